import Foundation

/// Stand-in text embeddings without a language model: each text becomes signed feature-hashed
/// word counts (sublinear tf) in `dimensions` buckets, L2-normalized. Texts sharing words land
/// near each other, so topics, duplicates and templates keep their structure, at hundreds of
/// thousands of texts a second. For tests and scale benchmarks, never for research results.
public enum HashedWordVectors {
    public static func embed(_ text: String, dimensions: Int) -> [Float] {
        precondition(dimensions > 0, "dimensions must be positive")
        var counts: [Substring: Int] = [:]
        var words: [Substring] = []  // in order of first appearance
        let lowered = text.lowercased()
        for word in lowered.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            if counts[word] == nil { words.append(word) }
            counts[word, default: 0] += 1
        }
        var vector = [Float](repeating: 0, count: dimensions)
        // In the text's order, not the dictionary's: three or more words in one bucket add up to
        // different last bits in another order, and a dictionary's order differs between
        // instances, so the same text got vectors differing by an ulp (found by KillLoopTests).
        for word in words {
            let count = counts[word] ?? 0
            let hash = fnv1a(word)
            let sign: Float = hash & 1 == 0 ? 1 : -1
            vector[Int((hash >> 1) % UInt64(dimensions))] += sign * (1 + log(Float(count)))
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        // A text without words gets a fixed direction rather than a zero vector.
        guard norm > 0 else { vector[0] = 1; return vector }
        return vector.map { $0 / norm }
    }

    /// FNV-1a over UTF-8: stable across runs and platforms (Swift's Hasher is seeded per process).
    static func fnv1a(_ word: Substring) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
