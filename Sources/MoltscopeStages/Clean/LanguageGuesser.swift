/// A compact language guess (ISO 639-1, or `und`), without models or downloads.
///
/// Scripts decide first: kana means Japanese, Han alone Chinese, Hangul Korean, Cyrillic Russian
/// (Ukrainian when it has і, ї, є or ґ), then Arabic, Hebrew, Thai, Devanagari (Hindi) and Greek.
/// Latin-script text is scored against the stopword lists of 12 languages (en, es, pt, fr, de, it,
/// nl, id, tr, pl, sv, vi), with a small bonus for letters only some of them use (ñ, ã, ß, å, ğ,
/// ł, ơ …). Too little text, or no clear winner, gives `und`.
public enum LanguageGuesser {
    public static let undetermined = "und"

    private enum Script: Int, CaseIterable {
        case latin, han, kana, hangul, cyrillic, arabic, hebrew, thai, devanagari, greek
    }

    public static func guess(_ text: String) -> String {
        var counts = [Int](repeating: 0, count: Script.allCases.count)
        var ukrainianLetters = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            guard let script = script(of: v) else { continue }
            counts[script.rawValue] += 1
            if script == .cyrillic, v == 0x456 || v == 0x457 || v == 0x454 || v == 0x491 || v == 0x406 || v == 0x407
                || v == 0x404 || v == 0x490 { ukrainianLetters += 1 }
        }
        // One Han, kana or Hangul character carries about as much as a short word.
        let weights: [Script: Int] = [.han: 3, .kana: 3, .hangul: 2]
        var best: Script?
        var bestWeight = 0
        for script in Script.allCases {
            let weight = counts[script.rawValue] * (weights[script] ?? 1)
            if weight > bestWeight {
                best = script
                bestWeight = weight
            }
        }
        guard let best else { return undetermined }
        switch best {
        case .latin:
            return latin(text)
        case .han, .kana:
            guard bestWeight >= 6 else { return undetermined }
            let han = counts[Script.han.rawValue], kana = counts[Script.kana.rawValue]
            return kana * 10 >= han + kana ? "ja" : "zh"
        case .hangul:
            return bestWeight >= 4 ? "ko" : undetermined
        case .cyrillic:
            guard bestWeight >= 4 else { return undetermined }
            return ukrainianLetters > 0 ? "uk" : "ru"
        case .arabic: return bestWeight >= 4 ? "ar" : undetermined
        case .hebrew: return bestWeight >= 4 ? "he" : undetermined
        case .thai: return bestWeight >= 4 ? "th" : undetermined
        case .devanagari: return bestWeight >= 4 ? "hi" : undetermined
        case .greek: return bestWeight >= 4 ? "el" : undetermined
        }
    }

    private static func script(of v: UInt32) -> Script? {
        switch v {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x24F, 0x1E00...0x1EFF: return .latin
        case 0x370...0x3FF, 0x1F00...0x1FFF: return .greek
        case 0x400...0x52F: return .cyrillic
        case 0x590...0x5FF: return .hebrew
        case 0x600...0x6FF, 0x750...0x77F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return .arabic
        case 0x900...0x97F: return .devanagari
        case 0xE00...0xE7F: return .thai
        case 0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF: return .hangul
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .kana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FFFF: return .han
        default: return nil
        }
    }

    /// The Latin-script languages, in the order of `Stopwords.lists` (bit i of a mask).
    private static let latinLanguages: [String] = Stopwords.lists.map(\.language)

    /// Stopword (hashed) -> the languages that have it, as a bit mask: one lookup per word and no
    /// string allocation (the guesser runs on every document).
    private static let stopwordMasks: [UInt64: UInt16] = {
        var masks: [UInt64: UInt16] = [:]
        for (index, list) in Stopwords.lists.enumerated() {
            for word in list.words {
                var h = Shingler.fnvOffset
                for scalar in word.unicodeScalars { h = Shingler.fnv(h, lowercase(scalar).value) }
                masks[Shingler.mix(h), default: 0] |= 1 << UInt16(index)
            }
        }
        return masks
    }()

    /// Letters that point to some Latin-script languages (half a stopword each), as masks.
    private static let letterHints: [UInt32: UInt16] = {
        var hints: [UInt32: UInt16] = [:]
        func add(_ letters: String, _ languages: [String]) {
            let mask = languages.reduce(UInt16(0)) { $0 | 1 << UInt16(latinLanguages.firstIndex(of: $1)!) }
            for scalar in letters.unicodeScalars { hints[scalar.value, default: 0] |= mask }
        }
        add("ñ", ["es"])
        add("ãõ", ["pt"])
        add("ç", ["fr", "pt", "tr"])
        add("èêëîïûœ", ["fr"])
        add("ß", ["de"])
        add("äö", ["de", "sv"])
        add("ü", ["de", "tr"])
        add("å", ["sv"])
        add("ğşı", ["tr"])
        add("łąęśźżńć", ["pl"])
        add("ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ", ["vi"])
        add("ìò", ["it"])
        return hints
    }()

    private static func latin(_ text: String) -> String {
        var scores = [Double](repeating: 0, count: latinLanguages.count)
        func credit(_ mask: UInt16, _ amount: Double) {
            var bits = mask
            while bits != 0 {
                scores[bits.trailingZeroBitCount] += amount
                bits &= bits - 1
            }
        }
        var tokens = 0
        var h = Shingler.fnvOffset
        var inWord = false
        // Words are runs of Latin letters: apostrophes split them ("l'homme" gives "l", "homme").
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v >= 0xC0, let mask = letterHints[v] ?? letterHints[lowercase(scalar).value] { credit(mask, 0.5) }
            if script(of: v) == .latin {
                h = Shingler.fnv(inWord ? h : Shingler.fnvOffset, lowercase(scalar).value)
                inWord = true
            } else if inWord {
                tokens += 1
                if let mask = stopwordMasks[Shingler.mix(h)] { credit(mask, 1) }
                inWord = false
            }
        }
        if inWord {
            tokens += 1
            if let mask = stopwordMasks[Shingler.mix(h)] { credit(mask, 1) }
        }
        guard tokens >= 3 else { return undetermined }
        var best = 0
        var second = 0.0
        for index in 1..<scores.count {
            if scores[index] > scores[best] {
                second = scores[best]
                best = index
            } else if scores[index] > second {
                second = scores[index]
            }
        }
        guard scores[best] >= 2, scores[best] > second else { return undetermined }
        return latinLanguages[best]
    }

    private static func lowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar { ScalarClasses.lowercased(scalar) }
}
