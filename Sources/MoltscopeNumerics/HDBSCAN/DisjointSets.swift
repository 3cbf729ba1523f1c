/// Union-find over `0..<count` with path halving and union by rank: the components of the
/// spanning forest while Borůvka grows it.
struct DisjointSets {
    private var parent: [Int32]
    private var rank: [UInt8]

    init(count: Int) {
        parent = (0..<count).map { Int32($0) }
        rank = [UInt8](repeating: 0, count: count)
    }

    mutating func find(_ element: Int) -> Int {
        var x = element
        while Int(parent[x]) != x {
            let grandparent = parent[Int(parent[x])]
            parent[x] = grandparent
            x = Int(grandparent)
        }
        return x
    }

    /// Joins the sets of `a` and `b`; false when they were already one.
    @discardableResult
    mutating func union(_ a: Int, _ b: Int) -> Bool {
        var ra = find(a), rb = find(b)
        guard ra != rb else { return false }
        if rank[ra] < rank[rb] { swap(&ra, &rb) }
        parent[rb] = Int32(ra)
        if rank[ra] == rank[rb] { rank[ra] += 1 }
        return true
    }
}
