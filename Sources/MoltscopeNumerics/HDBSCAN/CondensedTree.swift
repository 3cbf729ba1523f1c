/// The single-linkage tree condensed by a minimum cluster size (the hdbscan package's
/// `condense_tree`): walking down from the root, a split into two parts of at least
/// `minClusterSize` points makes two child clusters; a smaller part falls out of its cluster,
/// point by point, at that lambda (1 / distance). Rows are in the package's order.
struct CondensedTree {
    let pointCount: Int
    /// Clusters, the root included; cluster `c` is node `pointCount + c` in `child`.
    private(set) var clusterCount = 1
    /// Per row: the cluster (`0..<clusterCount`) something leaves.
    private(set) var parent: [Int32] = []
    /// Per row: a point (`< pointCount`) or a cluster (`pointCount + c`) leaving `parent`.
    private(set) var child: [Int32] = []
    private(set) var lambda: [Double] = []
    private(set) var childSize: [Int32] = []

    init(_ tree: SingleLinkageTree, minClusterSize: Int) {
        let n = tree.pointCount
        pointCount = n
        guard n > 1 else { return }
        let root = 2 * n - 2
        func count(_ node: Int) -> Int { node < n ? 1 : Int(tree.size[node - n]) }

        // Breadth-first order of the whole dendrogram, left child before right.
        var order = [Int32](repeating: 0, count: 2 * n - 1)
        order[0] = Int32(root)
        var tail = 1
        for head in 0..<order.count {
            let node = Int(order[head])
            if node >= n {
                order[tail] = tree.left[node - n]; order[tail + 1] = tree.right[node - n]
                tail += 2
            }
        }

        var relabel = [Int32](repeating: -1, count: 2 * n - 1)
        relabel[root] = Int32(n)
        var ignore = [Bool](repeating: false, count: 2 * n - 1)
        parent.reserveCapacity(2 * n); child.reserveCapacity(2 * n)
        lambda.reserveCapacity(2 * n); childSize.reserveCapacity(2 * n)
        var queue = [Int32]()

        func emit(_ from: Int32, _ to: Int, _ value: Double, _ size: Int) {
            parent.append(from - Int32(n)); child.append(Int32(to))
            lambda.append(value); childSize.append(Int32(size))
        }
        // Every point under `node` leaves cluster `from` at `value`; the subtree is done.
        func fallOut(_ node: Int, from: Int32, at value: Double) {
            queue.removeAll(keepingCapacity: true)
            queue.append(Int32(node))
            var head = 0
            while head < queue.count {
                let sub = Int(queue[head]); head += 1
                ignore[sub] = true
                if sub < n { emit(from, sub, value, 1) } else {
                    queue.append(tree.left[sub - n]); queue.append(tree.right[sub - n])
                }
            }
        }

        var nextLabel = Int32(n + 1)
        for entry in order {
            let node = Int(entry)
            if ignore[node] || node < n { continue }
            let merge = node - n
            let left = Int(tree.left[merge]), right = Int(tree.right[merge])
            let distance = tree.distance[merge]
            let value = distance > 0 ? 1 / distance : Double.infinity
            let leftCount = count(left), rightCount = count(right)
            let cluster = relabel[node]
            if leftCount >= minClusterSize && rightCount >= minClusterSize {
                relabel[left] = nextLabel; nextLabel += 1
                emit(cluster, Int(relabel[left]), value, leftCount)
                relabel[right] = nextLabel; nextLabel += 1
                emit(cluster, Int(relabel[right]), value, rightCount)
            } else if leftCount < minClusterSize && rightCount < minClusterSize {
                fallOut(left, from: cluster, at: value)
                fallOut(right, from: cluster, at: value)
            } else if leftCount < minClusterSize {
                relabel[right] = cluster
                fallOut(left, from: cluster, at: value)
            } else {
                relabel[left] = cluster
                fallOut(right, from: cluster, at: value)
            }
        }
        clusterCount = Int(nextLabel) - n
    }

    var rowCount: Int { parent.count }

    /// The cluster of a `child` entry, or nil for a point.
    @inline(__always) func cluster(ofChild entry: Int32) -> Int? {
        Int(entry) >= pointCount ? Int(entry) - pointCount : nil
    }

    /// Per cluster: its parent cluster (-1 for the root) and the lambda it was born at (0 for
    /// the root).
    func clusterParents() -> (parent: [Int32], birth: [Double]) {
        var parents = [Int32](repeating: -1, count: clusterCount)
        var births = [Double](repeating: 0, count: clusterCount)
        for row in 0..<rowCount {
            if let c = cluster(ofChild: child[row]) {
                parents[c] = parent[row]
                births[c] = lambda[row]
            }
        }
        return (parents, births)
    }

    /// Per cluster: the largest lambda of a row leaving it directly (the package's
    /// `max_lambdas`, its "deaths").
    func deaths() -> [Double] {
        var result = [Double](repeating: 0, count: clusterCount)
        for row in 0..<rowCount {
            let cluster = Int(parent[row])
            result[cluster] = max(result[cluster], lambda[row])
        }
        return result
    }
}
