/// Adjusted Rand index of two labelings of the same points (Hubert & Arabie 1985): 1 for the
/// same partition whatever the label numbers, about 0 for independent ones. Every label value,
/// -1 included, is one group.
func adjustedRandIndex(_ a: [Int32], _ b: [Int32]) -> Double {
    precondition(a.count == b.count, "labelings of different lengths")
    func pairs(_ count: Int) -> Double { Double(count) * Double(count - 1) / 2 }
    var joint: [Int64: Int] = [:], rows: [Int32: Int] = [:], columns: [Int32: Int] = [:]
    for (x, y) in zip(a, b) {
        joint[Int64(x) << 32 | Int64(UInt32(bitPattern: y)), default: 0] += 1
        rows[x, default: 0] += 1
        columns[y, default: 0] += 1
    }
    let index = joint.values.reduce(0) { $0 + pairs($1) }
    let rowPairs = rows.values.reduce(0) { $0 + pairs($1) }
    let columnPairs = columns.values.reduce(0) { $0 + pairs($1) }
    let expected = rowPairs * columnPairs / pairs(a.count)
    let maximum = (rowPairs + columnPairs) / 2
    // One group on both sides: the partitions are equal.
    guard maximum != expected else { return 1 }
    return (index - expected) / (maximum - expected)
}
