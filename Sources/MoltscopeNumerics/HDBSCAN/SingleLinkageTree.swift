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

    /// Edges are merged in ascending weight. Edges of equal weight (exact duplicates give many
    /// zero weights) join their clusters one at a time onto a growing one, largest cluster
    /// first, as the package's Prim order does: in another order the dendrogram could join two
    /// halves of a group of equal points last, which condenses into a split at that weight.
    init(edges: [SpanningEdge], pointCount n: Int) {
        precondition(edges.count == max(0, n - 1), "a spanning tree of \(n) points has \(n - 1) edges")
        pointCount = n
        let sorted = edges.indices.sorted {
            edges[$0].weight < edges[$1].weight || (edges[$0].weight == edges[$1].weight && $0 < $1)
        }
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
        var runStart = 0
        while runStart < sorted.count {
            var runEnd = runStart + 1
            while runEnd < sorted.count && edges[sorted[runEnd]].weight == edges[sorted[runStart]].weight { runEnd += 1 }
            let run = sorted[runStart..<runEnd].map { edges[$0] }
            for (a, b) in Self.growingOrder(run, root: root, size: { Int(nodeSize[$0]) }) {
                let ra = root(a), rb = root(b)
                let node = n + left.count
                left.append(Int32(ra)); right.append(Int32(rb))
                distance.append(edges[sorted[runStart]].weight)
                nodeSize[node] = nodeSize[ra] + nodeSize[rb]
                size.append(nodeSize[node])
                parent[ra] = Int32(node); parent[rb] = Int32(node)
            }
            runStart = runEnd
        }
    }

    /// Edges of one weight as a breadth-first walk over the clusters they join (a forest: the
    /// edges are a spanning tree's), each tree walked from its largest cluster.
    private static func growingOrder(_ run: [SpanningEdge], root: (Int) -> Int, size: (Int) -> Int) -> [(Int, Int)] {
        if run.count == 1 { return [(Int(run[0].a), Int(run[0].b))] }
        var neighbours: [Int: [(cluster: Int, a: Int, b: Int)]] = [:]
        for edge in run {
            let a = Int(edge.a), b = Int(edge.b), ra = root(a), rb = root(b)
            neighbours[ra, default: []].append((rb, a, b))
            neighbours[rb, default: []].append((ra, a, b))
        }
        let starts = neighbours.keys.sorted { (size($0), -$0) > (size($1), -$1) }
        var visited = Set<Int>(), order: [(Int, Int)] = []
        for start in starts where !visited.contains(start) {
            visited.insert(start)
            var queue = [start], head = 0
            while head < queue.count {
                let cluster = queue[head]; head += 1
                for next in neighbours[cluster]! where !visited.contains(next.cluster) {
                    visited.insert(next.cluster)
                    queue.append(next.cluster)
                    order.append((next.a, next.b))
                }
            }
        }
        return order
    }
}
