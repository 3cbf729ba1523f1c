/// The words of a text for n-gram counting: lowercase runs of letters and digits (an
/// apostrophe inside a word keeps it whole: "don't"), each hashed to 64 bits, so n-grams are
/// counted by hash and never held as strings until they matter.
struct PhraseTokens {
    var hashes: [UInt64] = []
    var words: [Substring] = []
    /// True for words that carry no content alone (function words, numbers).
    var isFiller: [Bool] = []

    init(_ text: String, keepWords: Bool = false, fillers: Set<Substring>? = nil) {
        let lowered = text.lowercased()
        let scalars = lowered.unicodeScalars
        var start: String.UnicodeScalarView.Index?
        var hash: UInt64 = Self.offset
        var hasLetter = false
        var index = scalars.startIndex
        func flush(_ end: String.UnicodeScalarView.Index) {
            guard let from = start else { return }
            hashes.append(Self.finish(hash))
            if keepWords || fillers != nil {
                let word = Substring(lowered.unicodeScalars[from..<end])
                if keepWords { words.append(word) }
                if let fillers { isFiller.append(!hasLetter || fillers.contains(word)) }
            }
            start = nil
            hash = Self.offset
            hasLetter = false
        }
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let kind = Self.kind(of: scalar)
            if kind != .other {
                if start == nil { start = index }
                if kind == .letter { hasLetter = true }
                Self.mix(scalar.value, into: &hash)
            } else if (scalar == "'" || scalar == "\u{2019}"), start != nil,
                      scalars.index(after: index) < scalars.endIndex,
                      Self.kind(of: scalars[scalars.index(after: index)]) == .letter {
                Self.mix(0x27, into: &hash)
            } else {
                flush(index)
            }
            index = scalars.index(after: index)
        }
        flush(scalars.endIndex)
    }

    var count: Int { hashes.count }

    private enum Kind { case letter, digit, other }

    /// ASCII answered directly: Unicode property lookups were the tokenizer's largest cost.
    private static func kind(of scalar: Unicode.Scalar) -> Kind {
        let value = scalar.value
        if value < 0x80 {
            if (0x61...0x7A).contains(value) || (0x41...0x5A).contains(value) { return .letter }
            return (0x30...0x39).contains(value) ? .digit : .other
        }
        let properties = scalar.properties
        if properties.isAlphabetic { return .letter }
        return properties.numericType != nil ? .digit : .other
    }

    /// The hash of the n words starting at `start` (n is part of the hash).
    func ngram(_ start: Int, _ n: Int) -> UInt64 {
        var hash = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        for i in start..<(start + n) { hash = (hash ^ hashes[i]) &* 0x0000_0100_0000_01B3 }
        return Self.finish(hash)
    }

    func phrase(_ start: Int, _ n: Int) -> String {
        words[start..<(start + n)].joined(separator: " ")
    }

    private static let offset: UInt64 = 0xCBF2_9CE4_8422_2325

    private static func mix(_ value: UInt32, into hash: inout UInt64) {
        hash = (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3
    }

    /// SplitMix64's finalizer: spreads FNV's low-entropy high bits.
    private static func finish(_ value: UInt64) -> UInt64 {
        var x = value
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }
}
