/// Cuts a cleaned text into shingles (hashed to 64 bits) for near-duplicate detection.
///
/// Words are runs of letters, digits and marks, lowercased; each Han, kana, Thai, Lao, Khmer or
/// Myanmar character is a word of its own. Texts of at least 8 words are shingled into word
/// n-grams (`clean.shingle`); shorter ones, and texts mostly in scripts written without spaces,
/// into character 5-grams of the lowercased text. Texts with fewer words than the n-gram size
/// (or fewer than 5 characters) are too short: they only take part in exact grouping.
struct Shingler: Sendable {
    enum Kind: Sendable, Equatable {
        case words
        case characters
        case tooShort
    }

    static let characterSize = 5
    static let minimumWordsForWordShingles = 8

    let wordSize: Int

    func shingles(_ text: String) -> (kind: Kind, hashes: [UInt64]) {
        var tokens: [UInt64] = []
        var letters = 0
        var unspaced = 0
        var current: UInt64 = Self.fnvOffset
        var inWord = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if Self.isUnspaced(v) {
                if inWord { tokens.append(Self.finish(current)) }
                inWord = false
                tokens.append(Self.finish(Self.fnv(Self.fnvOffset, v)))
                letters += 1
                unspaced += 1
            } else if Self.isWordScalar(scalar) {
                current = inWord ? current : Self.fnvOffset
                current = Self.fnv(current, ScalarClasses.lowercased(scalar).value)
                inWord = true
                letters += 1
            } else if inWord {
                tokens.append(Self.finish(current))
                inWord = false
            }
        }
        if inWord { tokens.append(Self.finish(current)) }

        if unspaced * 2 <= letters, tokens.count >= Self.minimumWordsForWordShingles, tokens.count >= wordSize {
            var hashes: [UInt64] = []
            hashes.reserveCapacity(tokens.count - wordSize + 1)
            for start in 0...(tokens.count - wordSize) {
                var h: UInt64 = 0x243F_6A88_85A3_08D3
                for k in 0..<wordSize { h = Self.mix(h &+ tokens[start + k] &* 0x9E37_79B9_7F4A_7C15) }
                hashes.append(h)
            }
            return (.words, hashes)
        }
        if tokens.count < wordSize && unspaced * 2 <= letters { return (.tooShort, []) }

        // Character 5-grams of the lowercased text, whitespace as one space.
        var scalars: [UInt32] = []
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if ScalarClasses.isSpace(v) || ScalarClasses.isLineBreak(v) {
                if let last = scalars.last, last != 0x20 { scalars.append(0x20) }
            } else {
                scalars.append(ScalarClasses.lowercased(scalar).value)
            }
        }
        guard scalars.count >= Self.characterSize else { return (.tooShort, []) }
        var hashes: [UInt64] = []
        hashes.reserveCapacity(scalars.count - Self.characterSize + 1)
        for start in 0...(scalars.count - Self.characterSize) {
            var h = Self.fnvOffset
            for k in 0..<Self.characterSize { h = Self.fnv(h, scalars[start + k]) }
            hashes.append(Self.finish(h))
        }
        return (.characters, hashes)
    }

    // MARK: Hashing (FNV-1a over scalar values, finished with the splitmix64 mixer)

    static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325

    @inline(__always)
    static func fnv(_ h: UInt64, _ v: UInt32) -> UInt64 {
        var h = h
        h = (h ^ UInt64(v & 0xFF)) &* 0x100_0000_01B3
        h = (h ^ UInt64(v >> 8)) &* 0x100_0000_01B3
        return h
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    static func finish(_ h: UInt64) -> UInt64 { mix(h) }

    // MARK: Character classes

    @inline(__always)
    static func isUnspaced(_ v: UInt32) -> Bool {
        switch v {
        case 0x0E00...0x0EFF, 0x1000...0x109F, 0x1780...0x17FF, 0x3040...0x30FF, 0x31F0...0x31FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF66...0xFF9F, 0x20000...0x2FFFF:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return ScalarClasses.isASCIIAlphanumeric(v) }
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
