import MoltscopeNumerics

/// The documents a large corpus is fitted on: `size` positions of the clustered documents'
/// order, drawn with a seeded generator by Floyd's algorithm (memory for the sample only,
/// never for the corpus), sorted so one pass over the ordered documents can pick them out.
struct FitSample: Sendable {
    let positions: [Int]

    init(size: Int, of total: Int, seed: UInt64) {
        precondition(size < total, "a sample is smaller than what it is drawn from")
        var random = SeededRandom(seed: seed ^ 0x6669_745f_7361_6d70)   // "fit_samp": its own stream
        var chosen = Set<Int>(minimumCapacity: size)
        for j in (total - size)..<total {
            let t = Int(random.unit() * Double(j + 1)).clamped(to: 0...j)
            chosen.insert(chosen.contains(t) ? j : t)
        }
        positions = chosen.sorted()
    }

    /// Follows the ordered documents one at a time and says which are in the sample (all of
    /// them without a sample).
    struct Walk {
        private let positions: [Int]?
        private var next = 0
        private var position = -1

        init(_ sample: FitSample?) { positions = sample?.positions }

        /// Whether the next document in order is sampled.
        mutating func nextIsSampled() -> Bool {
            position += 1
            guard let positions else { return true }
            guard next < positions.count, positions[next] == position else { return false }
            next += 1
            return true
        }
    }
}

private extension Int {
    func clamped(to range: ClosedRange<Int>) -> Int { Swift.min(range.upperBound, Swift.max(range.lowerBound, self)) }
}
