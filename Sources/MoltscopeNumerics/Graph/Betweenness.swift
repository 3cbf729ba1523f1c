extension GraphMeasures {
    /// `networkx.betweenness_centrality(G, k: pivots, normalized: true, weight: nil, seed: ...)` on
    /// the directed graph: Brandes' algorithm over unweighted shortest paths. With `pivots` nil or
    /// at least `nodeCount` it is exact (each node's share of the shortest paths between ordered
    /// pairs of other nodes, divided by (n-1)(n-2)). Otherwise the sources are `pivots` nodes drawn
    /// with `seed` (not the nodes networkx's seed would draw) and scaled as networkx scales a sample.
    /// Time is O(sources x edges); memory a few arrays of `nodeCount`, reused across sources.
    public static func betweenness(_ graph: WeightedDigraph, pivots: Int? = nil, seed: UInt64 = 0,
                                   cancellation: CancellationFlag? = nil) throws -> [Double] {
        let n = graph.nodeCount
        guard let pivots, pivots < n else { return try betweenness(graph, sources: nil, cancellation: cancellation) }
        precondition(pivots >= 1, "betweenness needs at least one pivot")
        var random = SeededRandom(seed: seed)
        return try betweenness(graph, sources: random.sample(pivots, of: n), cancellation: cancellation)
    }

    /// Betweenness from the given distinct source nodes (all nodes when nil), scaled as networkx
    /// scales a sample of `sources.count` nodes: for estimates from chosen sources, and for checks
    /// against networkx's own sample. networkx (3.5 and later) divides the sources' values by
    /// (k-1)(n-2) and the others' by k(n-2), so that k = n gives the exact values; with a single
    /// source networkx returns NaN for it, this returns 0.
    public static func betweenness(_ graph: WeightedDigraph, sources: [Int]?,
                                   cancellation: CancellationFlag? = nil) throws -> [Double] {
        let n = graph.nodeCount
        var centrality = [Double](repeating: 0, count: n)
        guard n > 0 else { return centrality }
        var search = ShortestPathCounts(nodeCount: n)
        var isSource = [Bool](repeating: sources == nil, count: n)
        for s in sources ?? [] {
            precondition(s >= 0 && s < n && !isSource[s], "betweenness sources must be distinct nodes of the graph")
            isSource[s] = true
        }
        let count = sources?.count ?? n
        for s in sources ?? Array(0..<n) {
            try cancellation?.check()
            search.accumulate(from: s, in: graph, into: &centrality)
        }
        // n - 1 candidate sources and n - 2 targets per node (endpoints excluded).
        guard n > 2 else { return centrality }
        let pairs = Double(n - 2)
        let sourceScale = count > 1 ? 1 / (Double(count - 1) * pairs) : 0
        let otherScale = 1 / (Double(count) * pairs)
        for v in 0..<n { centrality[v] *= isSource[v] ? sourceScale : otherScale }
        return centrality
    }
}

/// One source's breadth-first search and Brandes' dependency accumulation, with the per-node
/// arrays allocated once and reset only where a search reached.
private struct ShortestPathCounts {
    var distance: [Int32]
    var paths: [Double]
    var dependency: [Double]
    /// Nodes in the order the search reached them: the BFS queue, read backwards for accumulation.
    var order: [Int32]

    init(nodeCount n: Int) {
        distance = [Int32](repeating: -1, count: n)
        paths = [Double](repeating: 0, count: n)
        dependency = [Double](repeating: 0, count: n)
        order = [Int32](repeating: 0, count: n)
    }

    mutating func accumulate(from source: Int, in graph: WeightedDigraph, into centrality: inout [Double]) {
        graph.outOffsets.withUnsafeBufferPointer { offsets in
            graph.outTargets.withUnsafeBufferPointer { targets in
                distance.withUnsafeMutableBufferPointer { distance in
                    paths.withUnsafeMutableBufferPointer { paths in
                        dependency.withUnsafeMutableBufferPointer { dependency in
                            order.withUnsafeMutableBufferPointer { order in
                                centrality.withUnsafeMutableBufferPointer { centrality in
                                    Self.run(source, offsets, targets, distance, paths, dependency, order, centrality)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func run(_ source: Int, _ offsets: UnsafeBufferPointer<Int>, _ targets: UnsafeBufferPointer<Int32>,
                            _ distance: UnsafeMutableBufferPointer<Int32>, _ paths: UnsafeMutableBufferPointer<Double>,
                            _ dependency: UnsafeMutableBufferPointer<Double>, _ order: UnsafeMutableBufferPointer<Int32>,
                            _ centrality: UnsafeMutableBufferPointer<Double>) {
        distance[source] = 0
        paths[source] = 1
        order[0] = Int32(source)
        var head = 0, tail = 1
        while head < tail {
            let v = Int(order[head])
            head += 1
            let next = distance[v] + 1
            let pathsV = paths[v]
            for k in offsets[v]..<offsets[v + 1] {
                let w = Int(targets[k])
                if distance[w] < 0 {
                    distance[w] = next
                    order[tail] = Int32(w)
                    tail += 1
                }
                if distance[w] == next { paths[w] += pathsV }
            }
        }
        // Farthest first: a node's dependency is the sum over its successors one step farther,
        // sigma(v) / sigma(w) * (1 + delta(w)). Pulling along out-edges writes only delta(v).
        var i = tail - 1
        while i >= 0 {
            let v = Int(order[i])
            let next = distance[v] + 1
            var sum = 0.0
            for k in offsets[v]..<offsets[v + 1] {
                let w = Int(targets[k])
                if distance[w] == next { sum += (1 + dependency[w]) / paths[w] }
            }
            dependency[v] = paths[v] * sum
            if v != source { centrality[v] += dependency[v] }
            i -= 1
        }
        for i in 0..<tail {
            let v = Int(order[i])
            distance[v] = -1
            paths[v] = 0
            dependency[v] = 0
        }
    }
}
