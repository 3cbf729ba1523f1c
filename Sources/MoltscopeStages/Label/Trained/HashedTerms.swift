/// Words and word pairs of a text, hashed into a fixed number of columns (the "hashing trick":
/// no vocabulary to store or ship). Words are lowercase runs of two or more letters, digits or
/// underscores, as scikit-learn's default token pattern `(?u)\b\w\w+\b`.
struct HashedTerms: Sendable {
    let bits: Int

    var width: Int { 1 << bits }

    /// Count of each hashed column of the text's words and adjacent word pairs.
    func counts(_ text: String) -> [Int32: Int] {
        var counts: [Int32: Int] = [:]
        var previous: UInt64?
        words(text) { hash in
            counts[column(hash), default: 0] += 1
            if let previous {
                counts[column(previous &* 0x100_0000_01B3 ^ hash ^ 0x9E37_79B9_7F4A_7C15), default: 0] += 1
            }
            previous = hash
        }
        return counts
    }

    /// The column of a name outside the text's words (e.g. the submolt), in its own hash space.
    func column(forName name: String) -> Int32 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ 0x5BD1_E995
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return column(hash)
    }

    private func column(_ hash: UInt64) -> Int32 {
        // Fold the high bits in: FNV's low bits alone mix poorly.
        Int32(truncatingIfNeeded: (hash ^ (hash >> 29) ^ (hash >> 47)) & UInt64(width - 1))
    }

    /// FNV-1a of each lowercased word, in order.
    private func words(_ text: String, _ body: (UInt64) -> Void) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var length = 0
        func flush() {
            if length >= 2 { body(hash) }
            hash = 0xCBF2_9CE4_8422_2325
            length = 0
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                // ASCII, most of the text: no Unicode property lookups.
                switch value {
                case 0x41...0x5A: hash = (hash ^ UInt64(value + 0x20)) &* 0x100_0000_01B3; length += 1
                case 0x61...0x7A, 0x30...0x39, 0x5F: hash = (hash ^ UInt64(value)) &* 0x100_0000_01B3; length += 1
                default: flush()
                }
                continue
            }
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil {
                for lower in properties.lowercaseMapping.utf8 { hash = (hash ^ UInt64(lower)) &* 0x100_0000_01B3 }
                length += 1
            } else {
                flush()
            }
        }
        flush()
    }
}
