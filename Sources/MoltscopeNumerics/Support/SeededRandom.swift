import Foundation

/// A deterministic generator (xoshiro256**, seeded through SplitMix64): every randomized
/// method takes one, so a configured seed reproduces a run exactly on any machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var mix = seed
        func next() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal (Box-Muller).
    public mutating func gaussian() -> Double {
        let u1 = max(unit(), .leastNonzeroMagnitude), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// A generator for an independent sub-task (one k-means initialisation, one submolt).
    public mutating func split() -> SeededRandom {
        SeededRandom(seed: next())
    }

    /// `count` distinct indices of 0..<n in random order (all of them when count >= n; a partial
    /// Fisher-Yates shuffle).
    public mutating func sample(_ count: Int, of n: Int) -> [Int] {
        if count >= n { return Array(0..<n) }
        var pool = Array(0..<n)
        for i in 0..<count {
            let j = min(n - 1, i + Int(unit() * Double(n - i)))
            pool.swapAt(i, j)
        }
        return Array(pool[0..<count])
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
