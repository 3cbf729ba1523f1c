/// One edge of the minimum spanning tree: points `a` and `b` at mutual-reachability `weight`.
struct SpanningEdge: Sendable {
    var a: Int32
    var b: Int32
    var weight: Double
}

/// The single-linkage dendrogram of a spanning tree in scipy's linkage layout, built as the
/// hdbscan package's `label` does: merge `k` joins nodes `left[k]` and `right[k]` (points are
/// `0..<n`, merge `k` is node `n + k`) at `distance[k]` into a node of `size[k]` points.
struct SingleLinkageTree {
    let pointCount: Int
    var left: [Int32] = []
    var right: [Int32] = []
    var distance: [Double] = []
    var size: [Int32] = []

    /// Edges are merged in ascending weight; equal weights keep the spanning tree's order, so
    /// the result is deterministic.
    init(edges: [SpanningEdge], pointCount n: Int) {
        precondition(edges.count == max(0, n - 1), "a spanning tree of \(n) points has \(n - 1) edges")
        pointCount = n
        let order = edges.indices.sorted { edges[$0].weight < edges[$1].weight || (edges[$0].weight == edges[$1].weight && $0 < $1) }
        // Union-find over points and merge nodes: every root is the newest node of its set.
        var parent = [Int32](repeating: -1, count: max(0, 2 * n - 1))
        var nodeSize = [Int32](repeating: 1, count: max(0, 2 * n - 1))
        func root(_ node: Int) -> Int {
            var top = node
            while parent[top] != -1 { top = Int(parent[top]) }
            var walk = node
            while parent[walk] != -1 && Int(parent[walk]) != top {
                let next = Int(parent[walk])
                parent[walk] = Int32(top)
                walk = next
            }
            return top
        }
        left.reserveCapacity(edges.count); right.reserveCapacity(edges.count)
        distance.reserveCapacity(edges.count); size.reserveCapacity(edges.count)
        for (merge, index) in order.enumerated() {
            let edge = edges[index]
            let a = root(Int(edge.a)), b = root(Int(edge.b))
            let node = n + merge
            left.append(Int32(a)); right.append(Int32(b))
            distance.append(edge.weight)
            nodeSize[node] = nodeSize[a] + nodeSize[b]
            size.append(nodeSize[node])
            parent[a] = Int32(node); parent[b] = Int32(node)
        }
    }
}
