extension GraphMeasures {
    /// `networkx.clustering(G.to_undirected())`: the local clustering coefficient of each node in
    /// the undirected simple graph under the directed one (u - v when u -> v or v -> u), unweighted:
    /// triangles through the node over d(d-1)/2 pairs of its d neighbours, 0 when d < 2.
    ///
    /// Triangles are counted once each by the forward algorithm: edges point from lower to higher
    /// (degree, index) rank, and for each node the higher-ranked neighbours of its higher-ranked
    /// neighbours are checked against a marking array. A node then has at most sqrt(2m) forward
    /// neighbours, so hubs cost O(m^1.5) in all instead of the sum of squared degrees.
    public static func clustering(_ graph: WeightedDigraph, cancellation: CancellationFlag? = nil) throws -> [Double] {
        let n = graph.nodeCount
        let undirected = UndirectedNeighbours(graph)
        // Rank by (degree, index); forward edges go to higher rank.
        let byDegree = (0..<n).sorted { (undirected.degree($0), $0) < (undirected.degree($1), $1) }
        var rank = [Int32](repeating: 0, count: n)
        for (position, v) in byDegree.enumerated() { rank[v] = Int32(position) }
        var forwardOffsets = [Int](repeating: 0, count: n + 1)
        var forward = [Int32]()
        forward.reserveCapacity(undirected.neighbours.count / 2)
        for v in 0..<n {
            for k in undirected.offsets[v]..<undirected.offsets[v + 1] {
                let u = undirected.neighbours[k]
                if rank[Int(u)] > rank[v] { forward.append(u) }
            }
            forwardOffsets[v + 1] = forward.count
        }

        var triangles = [Int](repeating: 0, count: n)
        var mark = [Int32](repeating: -1, count: n)
        forwardOffsets.withUnsafeBufferPointer { offsets in
            forward.withUnsafeBufferPointer { forward in
                mark.withUnsafeMutableBufferPointer { mark in
                    triangles.withUnsafeMutableBufferPointer { triangles in
                        for v in 0..<n {
                            if v & 1023 == 0 && cancellation?.isCancelled == true { return }
                            let row = offsets[v]..<offsets[v + 1]
                            for k in row { mark[Int(forward[k])] = Int32(v) }
                            for k in row {
                                let u = Int(forward[k])
                                for j in offsets[u]..<offsets[u + 1] where mark[Int(forward[j])] == Int32(v) {
                                    // v < u < w in rank: the triangle's only visit.
                                    triangles[v] += 1
                                    triangles[u] += 1
                                    triangles[Int(forward[j])] += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        try cancellation?.check()
        return (0..<n).map { v in
            let d = Double(undirected.degree(v))
            return d < 2 ? 0 : 2 * Double(triangles[v]) / (d * (d - 1))
        }
    }
}

/// Neighbours of each node in the undirected simple graph under a directed one: the union of its
/// successors and predecessors (both sorted, so one merge), in compressed sparse rows.
struct UndirectedNeighbours {
    var offsets: [Int]
    var neighbours: [Int32]

    init(_ graph: WeightedDigraph) {
        let n = graph.nodeCount
        offsets = [Int](repeating: 0, count: n + 1)
        neighbours = []
        neighbours.reserveCapacity(2 * graph.edgeCount)
        for v in 0..<n {
            let out = graph.successors(v), into = graph.predecessors(v)
            var i = out.startIndex, j = into.startIndex
            while i < out.endIndex || j < into.endIndex {
                if j == into.endIndex || (i < out.endIndex && out[i] < into[j]) {
                    neighbours.append(out[i]); i += 1
                } else if i == out.endIndex || into[j] < out[i] {
                    neighbours.append(into[j]); j += 1
                } else {
                    neighbours.append(out[i]); i += 1; j += 1
                }
            }
            offsets[v + 1] = neighbours.count
        }
    }

    func degree(_ v: Int) -> Int { offsets[v + 1] - offsets[v] }
}
