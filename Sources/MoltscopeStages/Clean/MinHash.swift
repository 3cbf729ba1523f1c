/// MinHash signatures: for each of `permutations` seeded hash functions, the smallest hash of
/// any shingle. Two texts agree in one position with probability equal to the Jaccard similarity
/// of their shingle sets.
///
/// Hash function p is multiply-shift on the 64-bit shingle hash: `(a[p] * x + b[p]) >> 32`, with
/// odd `a[p]` and any `b[p]` drawn from splitmix64 with a fixed seed, so signatures are the same
/// on every run and platform.
///
/// Only the low 8 bits of each minimum are kept (b-bit MinHash, Li & König 2010): 1 byte per
/// permutation per document (128 bytes at the default 128). Two unrelated texts then agree in a
/// position with probability 1/256, which the estimator corrects: J = (f - 1/256) / (1 - 1/256)
/// for a share f of equal positions. The same bytes form the LSH bands.
struct MinHasher: Sendable {
    static let defaultSeed: UInt64 = 0x6D6F_6C74_7363_6F70  // "moltscop"
    static let collisionRate = 1.0 / 256.0

    let permutations: Int
    private let multipliers: [UInt64]
    private let increments: [UInt64]

    init(permutations: Int, seed: UInt64 = MinHasher.defaultSeed) {
        self.permutations = permutations
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            return Shingler.mix(state)
        }
        var multipliers: [UInt64] = []
        var increments: [UInt64] = []
        for _ in 0..<permutations {
            multipliers.append(next() | 1)
            increments.append(next())
        }
        self.multipliers = multipliers
        self.increments = increments
    }

    /// The full 32-bit signature (nil for no shingles).
    func signature(_ shingles: [UInt64]) -> [UInt32]? {
        guard !shingles.isEmpty else { return nil }
        var mins = [UInt32](repeating: .max, count: permutations)
        let k = permutations
        multipliers.withUnsafeBufferPointer { a in
            increments.withUnsafeBufferPointer { b in
                mins.withUnsafeMutableBufferPointer { mins in
                    for x in shingles {
                        for p in 0..<k {
                            let h = UInt32(truncatingIfNeeded: (a[p] &* x &+ b[p]) >> 32)
                            if h < mins[p] { mins[p] = h }
                        }
                    }
                }
            }
        }
        return mins
    }

    /// The stored form: the low 8 bits of each position.
    func compactSignature(_ shingles: [UInt64]) -> [UInt8]? {
        signature(shingles).map { $0.map { UInt8(truncatingIfNeeded: $0) } }
    }

    /// Share of equal positions of two full signatures.
    static func jaccard(_ a: [UInt32], _ b: [UInt32]) -> Double {
        precondition(a.count == b.count && !a.isEmpty)
        var equal = 0
        for i in a.indices where a[i] == b[i] { equal += 1 }
        return Double(equal) / Double(a.count)
    }

    /// Estimated Jaccard similarity of two compact signatures, corrected for 8-bit collisions.
    static func jaccard(compact a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count && !a.isEmpty)
        var equal = 0
        for i in a.indices where a[i] == b[i] { equal += 1 }
        return corrected(equal: equal, of: a.count)
    }

    static func corrected(equal: Int, of count: Int) -> Double {
        let f = Double(equal) / Double(count)
        return min(1, max(0, (f - collisionRate) / (1 - collisionRate)))
    }

    /// Fewest equal positions (out of `count`) whose corrected estimate reaches `threshold`.
    static func requiredMatches(threshold: Double, of count: Int) -> Int {
        let f = threshold * (1 - collisionRate) + collisionRate
        var needed = Int((f * Double(count)).rounded(.up))
        // Guard against rounding: the smallest count whose estimate is >= threshold.
        while needed > 0, corrected(equal: needed - 1, of: count) >= threshold { needed -= 1 }
        while needed <= count, corrected(equal: needed, of: count) < threshold { needed += 1 }
        return needed
    }
}
