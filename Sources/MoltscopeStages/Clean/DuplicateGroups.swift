/// One row of `duplicate_groups`.
struct DuplicateGroup: Sendable, Equatable {
    enum Method: String, Sendable {
        case exact
        case near
    }

    var method: Method
    /// The chronological rank (1-based) of the group's first document: stable for the same
    /// documents, and the same number for an exact group and the near group that starts with it.
    var id: Int32
    var size: Int
    var distinctAuthors: Int
    /// Ordinal of the first document (earliest created_at; ties by kind, then id).
    var first: Int32
}

/// Exact and near duplicate groups from the corpus index and the near-duplicate union-find.
///
/// Exact groups are documents with the same cleaned text (same SHA-256). Near groups are the
/// connected components of verified MinHash pairs, where identical texts are always together, so
/// every exact group lies inside one near group. Empty texts belong to no group. Documents
/// without a duplicate have no group (NULL in `documents`); groups have at least 2 members.
enum DuplicateGrouping {
    /// Each document's chronological rank (0-based) and the ordinals in rank order: by time
    /// (unknown last), then posts before comments, then id.
    static func ranks(times: [Int64], kinds: [UInt8], idKeys: [UInt64]) -> (rank: [Int32], order: [Int32]) {
        var order = (0..<times.count).map { Int32($0) }
        order.sort { a, b in
            let x = Int(a), y = Int(b)
            if times[x] != times[y] { return times[x] < times[y] }
            if kinds[x] != kinds[y] { return kinds[x] < kinds[y] }
            if idKeys[x] != idKeys[y] { return idKeys[x] < idKeys[y] }
            return a < b
        }
        var rank = [Int32](repeating: 0, count: times.count)
        for (position, ordinal) in order.enumerated() { rank[Int(ordinal)] = Int32(position) }
        return (rank, order)
    }

    struct Assignment: Sendable {
        /// Per document: its exact and near group id, 0 for none.
        var exact: [Int32]
        var near: [Int32]
        var groups: [DuplicateGroup]
    }

    static func assign(lengths: [Int32], authors: [Int32], exactRepresentative: [Int32], rank: [Int32],
                       order: [Int32], sets: inout UnionFind) -> Assignment {
        let n = lengths.count
        var exactSize = [Int32](repeating: 0, count: n)
        var exactFirst = [Int32](repeating: .max, count: n)
        var nearSize = [Int32](repeating: 0, count: n)
        var nearFirst = [Int32](repeating: .max, count: n)
        var root = [Int32](repeating: -1, count: n)
        for d in 0..<n where lengths[d] > 0 {
            let e = Int(exactRepresentative[d])
            exactSize[e] += 1
            exactFirst[e] = min(exactFirst[e], rank[d])
            let r = Int(sets.find(Int32(e)))
            root[d] = Int32(r)
            nearSize[r] += 1
            nearFirst[r] = min(nearFirst[r], rank[d])
        }
        var exact = [Int32](repeating: 0, count: n)
        var near = [Int32](repeating: 0, count: n)
        for d in 0..<n where lengths[d] > 0 {
            let e = Int(exactRepresentative[d]), r = Int(root[d])
            if exactSize[e] >= 2 { exact[d] = exactFirst[e] + 1 }
            if nearSize[r] >= 2 { near[d] = nearFirst[r] + 1 }
        }
        var groups: [DuplicateGroup] = []
        for (method, ids) in [(DuplicateGroup.Method.exact, exact), (.near, near)] {
            let sizes = exactOrNearSizes(ids)
            let authorsPerGroup = distinctAuthors(ids, authors: authors)
            for (id, size) in sizes.sorted(by: { $0.key < $1.key }) {
                groups.append(DuplicateGroup(method: method, id: id, size: size,
                                             distinctAuthors: authorsPerGroup[id] ?? 0, first: order[Int(id) - 1]))
            }
        }
        return Assignment(exact: exact, near: near, groups: groups)
    }

    private static func exactOrNearSizes(_ ids: [Int32]) -> [Int32: Int] {
        var sizes: [Int32: Int] = [:]
        for id in ids where id != 0 { sizes[id, default: 0] += 1 }
        return sizes
    }

    /// Distinct known authors per group id.
    private static func distinctAuthors(_ ids: [Int32], authors: [Int32]) -> [Int32: Int] {
        var pairs: [(Int32, Int32)] = []
        for d in ids.indices where ids[d] != 0 && authors[d] >= 0 { pairs.append((ids[d], authors[d])) }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var counts: [Int32: Int] = [:]
        var previous: (Int32, Int32)?
        for pair in pairs {
            if let previous, previous == pair { continue }
            counts[pair.0, default: 0] += 1
            previous = pair
        }
        return counts
    }
}
