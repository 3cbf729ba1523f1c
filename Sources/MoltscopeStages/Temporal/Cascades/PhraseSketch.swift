/// A count-min sketch of phrase document frequencies: two rows of saturating 16-bit counters.
/// Its estimate is never below the true count, so phrases it shows below a threshold are
/// certainly below it; memory is fixed by `bits`, whatever the corpus size.
struct PhraseSketch {
    private var rows: [[UInt16]]
    private let mask: UInt64

    init(bits: Int) {
        mask = (UInt64(1) << UInt64(bits)) - 1
        rows = Array(repeating: [UInt16](repeating: 0, count: 1 << bits), count: 2)
    }

    mutating func add(_ hash: UInt64) {
        let a = Int(hash & mask), b = Int((hash >> 32 ^ hash.rotatedRight(17)) & mask)
        if rows[0][a] < .max { rows[0][a] += 1 }
        if rows[1][b] < .max { rows[1][b] += 1 }
    }

    func estimate(_ hash: UInt64) -> Int {
        let a = Int(hash & mask), b = Int((hash >> 32 ^ hash.rotatedRight(17)) & mask)
        return Int(min(rows[0][a], rows[1][b]))
    }
}

extension UInt64 {
    fileprivate func rotatedRight(_ count: UInt64) -> UInt64 { self >> count | self << (64 - count) }
}
