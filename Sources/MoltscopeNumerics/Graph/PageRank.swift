extension GraphMeasures {
    /// `networkx.pagerank(G, alpha: damping, weight: "weight", tol: tolerance, max_iter: maxIterations)`:
    /// power iteration from the uniform vector, transitions proportional to out-edge weights,
    /// the rank of dangling nodes (no out-weight) spread uniformly, uniform teleportation, stopping
    /// when the L1 change of an iteration is below `nodeCount * tolerance`. Returns one value per
    /// node (summing to 1); throws `PageRankDidNotConverge` when `maxIterations` are not enough.
    public static func pageRank(_ graph: WeightedDigraph, damping: Double = 0.85, tolerance: Double = 1e-6,
                                maxIterations: Int = 100, cancellation: CancellationFlag? = nil) throws -> [Double] {
        let n = graph.nodeCount
        guard n > 0 else { return [] }
        // 1 / out-weight, 0 for dangling nodes (as networkx's row normalisation).
        let inverse = graph.outStrength.map { $0 != 0 ? 1 / $0 : 0 }
        var dangling = [Int32]()
        for v in 0..<n where graph.outStrength[v] == 0 { dangling.append(Int32(v)) }
        var rank = [Double](repeating: 1 / Double(n), count: n)
        var next = [Double](repeating: 0, count: n)
        var change = Double.infinity
        for _ in 0..<maxIterations {
            try cancellation?.check()
            var danglingRank = 0.0
            for v in dangling { danglingRank += rank[Int(v)] }
            for v in 0..<n { next[v] = 0 }
            // Push each node's rank along its out-edges (row-normalised weights).
            graph.outOffsets.withUnsafeBufferPointer { offsets in
                graph.outTargets.withUnsafeBufferPointer { targets in
                    graph.outWeights.withUnsafeBufferPointer { weights in
                        next.withUnsafeMutableBufferPointer { next in
                            for v in 0..<n {
                                let share = rank[v] * inverse[v]
                                guard share != 0 else { continue }
                                for k in offsets[v]..<offsets[v + 1] { next[Int(targets[k])] += share * weights[k] }
                            }
                        }
                    }
                }
            }
            let base = damping * danglingRank / Double(n) + (1 - damping) / Double(n)
            change = 0
            for v in 0..<n {
                let value = damping * next[v] + base
                change += abs(value - rank[v])
                next[v] = value
            }
            swap(&rank, &next)
            if change < Double(n) * tolerance { return rank }
        }
        throw PageRankDidNotConverge(iterations: maxIterations, change: change)
    }
}
