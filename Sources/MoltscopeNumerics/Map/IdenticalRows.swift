/// Groups a matrix's identical rows (the same document posted twice, a spam wave): each row's
/// group and one representative row per group, in order of first appearance.
struct IdenticalRows {
    /// Row index of each group's first row.
    var representatives: [Int] = []
    /// The group of every row.
    var groupOfRow: [Int] = []

    var hasDuplicates: Bool { representatives.count < groupOfRow.count }

    init(_ matrix: Matrix) {
        let d = matrix.columns
        var groupsByHash: [UInt64: [Int]] = [:]
        groupOfRow.reserveCapacity(matrix.rows)
        matrix.values.withUnsafeBufferPointer { values in
            func equal(_ a: Int, _ b: Int) -> Bool {
                for c in 0..<d where values[a * d + c] != values[b * d + c] { return false }
                return true
            }
            for row in 0..<matrix.rows {
                let hash = Self.hash(values, row: row, columns: d)
                let candidates = groupsByHash[hash, default: []]
                if let group = candidates.first(where: { equal(representatives[$0], row) }) {
                    groupOfRow.append(group)
                } else {
                    groupsByHash[hash, default: []].append(representatives.count)
                    groupOfRow.append(representatives.count)
                    representatives.append(row)
                }
            }
        }
    }

    /// FNV-1a over the values' bits; -0 and +0 hash alike since they compare equal.
    private static func hash(_ values: UnsafeBufferPointer<Float>, row: Int, columns d: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in 0..<d {
            let value = values[row * d + c]
            hash = (hash ^ UInt64((value == 0 ? 0 : value).bitPattern)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
