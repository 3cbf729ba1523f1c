/// Character classes the cleaner needs, decided on scalar values (fast paths for ASCII; the
/// standard library's Unicode properties only for the rare cases that need them).
enum ScalarClasses {
    /// Scalars removed outright: control characters other than tab and newline, zero-width
    /// characters, the soft hyphen, bidi controls and other invisible format characters.
    /// U+200D (zero-width joiner) is handled by `TextEmitter`, which keeps it inside emoji sequences.
    @inline(__always)
    static func isRemoved(_ v: UInt32) -> Bool {
        if v < 0x20 { return v != 0x09 && v != 0x0A && v != 0x0B && v != 0x0C }
        if v < 0x7F { return false }
        if v <= 0x9F { return true }                        // DEL and the C1 controls
        if v < 0x00AD { return false }
        switch v {
        case 0x00AD,                                        // soft hyphen
             0x061C,                                        // Arabic letter mark (bidi)
             0x180E,                                        // Mongolian vowel separator
             0x200B, 0x200C, 0x200E, 0x200F,                // zero-width space, non-joiner, LRM, RLM
             0x202A...0x202E,                               // bidi embeddings and overrides
             0x2060...0x2064,                               // word joiner, invisible operators
             0x2066...0x206F,                               // bidi isolates, deprecated format characters
             0xFEFF,                                        // zero-width no-break space (BOM)
             0xFFF9...0xFFFB:                               // interlinear annotation controls
            return true
        default:
            return false
        }
    }

    /// Horizontal whitespace, which collapses to one space (line breaks are split out earlier).
    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool {
        if v < 0x80 { return v == 0x20 || v == 0x09 || v == 0x0B || v == 0x0C }
        switch v {
        case 0x00A0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Line terminators: LF, CR, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
    @inline(__always)
    static func isLineBreak(_ v: UInt32) -> Bool {
        v == 0x0A || v == 0x0D || v == 0x85 || v == 0x2028 || v == 0x2029
    }

    /// Emoji and the pieces of emoji sequences a zero-width joiner may sit between.
    static func isEmojiPart(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x2000 { return false }
        if v == 0xFE0F || (0x1F3FB...0x1F3FF).contains(v) { return true }  // VS16, skin tones
        return scalar.properties.isEmoji
    }

    /// ASCII punctuation (what a backslash may escape in Markdown).
    @inline(__always)
    static func isASCIIPunctuation(_ v: UInt32) -> Bool {
        (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v) || (0x7B...0x7E).contains(v)
    }

    /// Unicode punctuation or symbol, for Markdown's left/right-flanking rules.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return isASCIIPunctuation(v) }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Whitespace for the flanking rules (line start and end count as whitespace too).
    @inline(__always)
    static func isFlankingSpace(_ v: UInt32) -> Bool { isSpace(v) || isLineBreak(v) }

    @inline(__always)
    static func isASCIIAlphanumeric(_ v: UInt32) -> Bool {
        (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v)
    }

    @inline(__always)
    static func isASCIILetter(_ v: UInt32) -> Bool { (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) }

    @inline(__always)
    static func asciiLower(_ v: UInt32) -> UInt32 { (0x41...0x5A).contains(v) ? v + 0x20 : v }
}

extension ScalarClasses {
    /// Simple lowercase mapping (first scalar of the full mapping; ASCII without table lookups).
    @inline(__always)
    static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let v = scalar.value
        if v < 0x80 { return Unicode.Scalar(asciiLower(v))! }
        let properties = scalar.properties
        guard properties.changesWhenLowercased else { return scalar }
        return properties.lowercaseMapping.unicodeScalars.first ?? scalar
    }
}
