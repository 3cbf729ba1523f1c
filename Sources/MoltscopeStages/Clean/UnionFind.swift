/// Disjoint sets over document ordinals (path halving; the smaller ordinal becomes the root, so
/// the result does not depend on the order of unions).
struct UnionFind: Sendable {
    private var parent: [Int32]

    init(count: Int) {
        parent = (0..<count).map { Int32($0) }
    }

    mutating func find(_ x: Int32) -> Int32 {
        var x = x
        while parent[Int(x)] != x {
            let grandparent = parent[Int(parent[Int(x)])]
            parent[Int(x)] = grandparent
            x = grandparent
        }
        return x
    }

    /// Joins the sets of a and b; false when they were already one set.
    @discardableResult
    mutating func union(_ a: Int32, _ b: Int32) -> Bool {
        let ra = find(a), rb = find(b)
        if ra == rb { return false }
        if ra < rb { parent[Int(rb)] = ra } else { parent[Int(ra)] = rb }
        return true
    }
}
