/// Turns a post or comment as written (Markdown, some HTML, any Unicode) into the plain text that
/// is embedded: markup reduced to its text, control and invisible characters removed, whitespace
/// collapsed (a run containing a line break becomes one newline), NFC. Never fails: every input,
/// including NUL, lone combining marks, bidi text and emoji sequences, gives some text.
///
/// Line-level Markdown is handled here (code fences keep their code, headings, blockquotes, list
/// bullets and task boxes, tables, horizontal rules, reference definitions); `InlineScanner` does
/// the rest of each line and `TextEmitter` the characters.
public struct TextNormalizer: Sendable {
    public init() {}

    public func normalize(_ raw: String) -> String {
        if raw.isEmpty { return "" }
        let s = Array(raw.unicodeScalars)
        var emitter = TextEmitter(capacity: raw.utf8.count)
        var inline = InlineScanner(s)
        let lines = Self.lines(s)
        var fence: (char: UInt32, count: Int)?
        var skip: RawSkip?
        var inTable = false

        for (index, line) in lines.enumerated() {
            let end = line.upperBound
            if let current = skip {
                guard let after = InlineScanner.terminator(of: current, in: s, range: line) else { continue }
                skip = inline.scan(after..<end, tableRow: false)
                inline.flush(into: &emitter)
                emitter.lineBreak()
                continue
            }
            if let open = fence {
                if Self.closesFence(s, line, open) {
                    fence = nil
                } else {
                    inline.literal(line)
                    inline.flush(into: &emitter)
                }
                emitter.lineBreak()
                continue
            }
            if let open = Self.opensFence(s, line) {
                fence = open
                emitter.lineBreak()
                continue
            }

            var start = Self.skipSpaces(s, line.lowerBound, end)
            while start < end, s[start].value == 0x3E {  // blockquote markers
                start = Self.skipSpaces(s, start + 1, end)
            }
            if start == end {
                inTable = false
                emitter.lineBreak()
                continue
            }
            let content = start..<end
            if Self.isThematicBreak(s, content) || Self.isTableSeparator(s, content) || Self.isReferenceDefinition(s, content) {
                if Self.isTableSeparator(s, content) { inTable = true }
                emitter.lineBreak()
                continue
            }
            let hasPipe = s[content].contains { $0.value == 0x7C }
            var tableRow = false
            if hasPipe {
                let nextIsSeparator = index + 1 < lines.count && Self.isTableSeparator(s, Self.trimmed(s, lines[index + 1]))
                tableRow = s[start].value == 0x7C || inTable || nextIsSeparator
            } else {
                inTable = false
            }
            var contentEnd = end
            start = Self.stripHeading(s, start, &contentEnd)
            start = Self.stripListMarker(s, start, contentEnd)
            skip = inline.scan(start..<contentEnd, tableRow: tableRow)
            inline.flush(into: &emitter)
            emitter.lineBreak()
        }
        return emitter.finish()
    }

    // MARK: Lines

    /// Line ranges, split at LF, CR LF, CR, NEL, U+2028 and U+2029.
    static func lines(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        var k = 0
        while k < s.count {
            let v = s[k].value
            if ScalarClasses.isLineBreak(v) {
                lines.append(start..<k)
                if v == 0x0D, k + 1 < s.count, s[k + 1].value == 0x0A { k += 1 }
                start = k + 1
            }
            k += 1
        }
        lines.append(start..<s.count)
        return lines
    }

    private static func skipSpaces(_ s: [Unicode.Scalar], _ from: Int, _ end: Int) -> Int {
        var i = from
        while i < end, ScalarClasses.isSpace(s[i].value) { i += 1 }
        return i
    }

    private static func trimmed(_ s: [Unicode.Scalar], _ range: Range<Int>) -> Range<Int> {
        let start = skipSpaces(s, range.lowerBound, range.upperBound)
        var end = range.upperBound
        while end > start, ScalarClasses.isSpace(s[end - 1].value) { end -= 1 }
        return start..<end
    }

    // MARK: Block constructs

    /// ```` ``` ```` or `~~~` (three or more, any indentation; a backtick fence's info string
    /// has no backtick).
    private static func opensFence(_ s: [Unicode.Scalar], _ line: Range<Int>) -> (char: UInt32, count: Int)? {
        let start = skipSpaces(s, line.lowerBound, line.upperBound)
        guard start < line.upperBound else { return nil }
        let c = s[start].value
        guard c == 0x60 || c == 0x7E else { return nil }
        var n = 0
        while start + n < line.upperBound, s[start + n].value == c { n += 1 }
        guard n >= 3 else { return nil }
        if c == 0x60, s[(start + n)..<line.upperBound].contains(where: { $0.value == 0x60 }) { return nil }
        return (c, n)
    }

    private static func closesFence(_ s: [Unicode.Scalar], _ line: Range<Int>, _ open: (char: UInt32, count: Int)) -> Bool {
        let range = trimmed(s, line)
        return range.count >= open.count && s[range].allSatisfy { $0.value == open.char }
    }

    /// `---`, `***`, `___` (spaces allowed between) and setext `===` underlines.
    private static func isThematicBreak(_ s: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        let c = s[range.lowerBound].value
        guard c == 0x2D || c == 0x2A || c == 0x5F || c == 0x3D else { return false }
        var count = 0
        for scalar in s[range] {
            if scalar.value == c {
                count += 1
            } else if !ScalarClasses.isSpace(scalar.value) {
                return false
            }
        }
        return count >= 3
    }

    /// A table's delimiter row: only `|`, `-`, `:` and spaces, with at least one `|` and one `-`.
    private static func isTableSeparator(_ s: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        var pipe = false
        var dash = false
        for scalar in s[range] {
            switch scalar.value {
            case 0x7C: pipe = true
            case 0x2D: dash = true
            case 0x3A: break
            default: if !ScalarClasses.isSpace(scalar.value) { return false }
            }
        }
        return pipe && dash
    }

    /// `[label]: destination`
    private static func isReferenceDefinition(_ s: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        guard s[range.lowerBound].value == 0x5B else { return false }
        var j = range.lowerBound + 1
        while j < range.upperBound, s[j].value != 0x5D {
            if s[j].value == 0x5B { return false }
            j += 1
        }
        guard j > range.lowerBound + 1, j + 2 < range.upperBound, s[j + 1].value == 0x3A,
              ScalarClasses.isSpace(s[j + 2].value) else { return false }
        return skipSpaces(s, j + 2, range.upperBound) < range.upperBound
    }

    /// `# Title #`: the text between the markers.
    private static func stripHeading(_ s: [Unicode.Scalar], _ start: Int, _ end: inout Int) -> Int {
        var n = 0
        while start + n < end, s[start + n].value == 0x23 { n += 1 }
        guard (1...6).contains(n), start + n == end || ScalarClasses.isSpace(s[start + n].value) else { return start }
        let textStart = skipSpaces(s, start + n, end)
        var e = end
        while e > textStart, ScalarClasses.isSpace(s[e - 1].value) { e -= 1 }
        var h = e
        while h > textStart, s[h - 1].value == 0x23 { h -= 1 }
        if h < e, h == textStart || ScalarClasses.isSpace(s[h - 1].value) { e = h }
        end = e
        return textStart
    }

    /// `- `, `* `, `+ `, `• `, `1. `, `1) `, then a task box `[ ] ` or `[x] `.
    private static func stripListMarker(_ s: [Unicode.Scalar], _ start: Int, _ end: Int) -> Int {
        var i = start
        guard i < end else { return start }
        switch s[i].value {
        case 0x2D, 0x2A, 0x2B, 0x2022, 0x25E6, 0x25AA, 0x2023, 0x2043:
            i += 1
        case 0x30...0x39:
            var digits = 0
            while i < end, (0x30...0x39).contains(s[i].value), digits < 9 {
                i += 1
                digits += 1
            }
            guard i < end, s[i].value == 0x2E || s[i].value == 0x29 else { return start }
            i += 1
        default:
            return start
        }
        guard i < end, ScalarClasses.isSpace(s[i].value) else { return start }
        i = skipSpaces(s, i, end)
        if i + 3 <= end, s[i].value == 0x5B, s[i + 2].value == 0x5D,
           [0x20, 0x78, 0x58].contains(s[i + 1].value), i + 3 == end || ScalarClasses.isSpace(s[i + 3].value) {
            i = skipSpaces(s, i + 3, end)
        }
        return i
    }
}
