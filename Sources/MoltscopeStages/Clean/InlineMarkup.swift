/// Where the scanner is inside content that spans lines and is not text: an HTML comment, or a
/// `<script>`/`<style>`/`<template>` element.
enum RawSkip: Equatable {
    case comment
    case element(String)
}

/// Reduces the inline markup of one line to text: code spans (backticks dropped, code kept),
/// links and images (text or alt kept, URL dropped), autolinks (URL kept), HTML tags (removed;
/// block tags become line breaks, `<img>` its alt text), character references (decoded) and
/// emphasis markers (`*`, `_`, `**`, `__`, `~~`, removed when they pair up as Markdown would
/// read them, so `snake_case` and `2 * 3` stay). A hand-written scanner: no regular expressions.
struct InlineScanner {
    private struct DelimiterRun {
        var start: Int
        var count: Int
        var char: UInt32
        var canOpen: Bool
        var canClose: Bool
        var removed = false
    }

    private let s: [Unicode.Scalar]
    private var out: [Unicode.Scalar] = []
    private var runs: [DelimiterRun] = []

    init(_ scalars: [Unicode.Scalar]) {
        s = scalars
    }

    /// Scans `range` (one line). Returns the state to carry to the next lines when an HTML
    /// comment or dropped element starts here without ending.
    mutating func scan(_ range: Range<Int>, tableRow: Bool) -> RawSkip? {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let v = s[i].value
            switch v {
            case 0x5C:  // backslash: escapes punctuation; at the end of a line it is a hard break
                if i + 1 < end, ScalarClasses.isASCIIPunctuation(s[i + 1].value) {
                    out.append(s[i + 1])
                    i += 2
                } else {
                    if i + 1 < end { out.append(s[i]) }
                    i += 1
                }
            case 0x60:
                i = codeSpan(at: i, end: end)
            case 0x21 where i + 1 < end && s[i + 1].value == 0x5B:  // ![alt](url)
                if let next = link(at: i + 1, end: end, tableRow: tableRow) {
                    i = next
                } else {
                    out.append(s[i])
                    i += 1
                }
            case 0x5B:
                if let next = link(at: i, end: end, tableRow: tableRow) {
                    i = next
                } else {
                    out.append(s[i])
                    i += 1
                }
            case 0x3C:
                switch angle(at: i, end: end) {
                case .next(let next): i = next
                case .skip(let state): return state
                }
            case 0x26:
                i = entity(at: i, end: end)
            case 0x2A, 0x5F, 0x7E:
                i = delimiterRun(at: i, range: range)
            case 0x7C where tableRow:
                out.append(" ")
                i += 1
            default:
                out.append(s[i])
                i += 1
            }
        }
        return nil
    }

    /// Code: kept as written, only character references decoded.
    mutating func literal(_ range: Range<Int>) {
        var i = range.lowerBound
        while i < range.upperBound {
            if s[i].value == 0x26 {
                i = entity(at: i, end: range.upperBound)
            } else {
                out.append(s[i])
                i += 1
            }
        }
    }

    /// Emits the line: pairs emphasis delimiters (openers and closers of the same character, the
    /// nearest first), drops the paired ones and keeps unpaired ones as text.
    mutating func flush(into emitter: inout TextEmitter) {
        var stack: [Int] = []
        for k in runs.indices {
            let run = runs[k]
            if run.canClose, let position = stack.lastIndex(where: { runs[$0].char == run.char }) {
                runs[stack[position]].removed = true
                runs[k].removed = true
                stack.removeSubrange(position...)
                continue
            }
            if run.canOpen { stack.append(k) }
        }
        var next = 0
        var index = 0
        while index < out.count {
            if next < runs.count, runs[next].start == index {
                let run = runs[next]
                next += 1
                if run.removed {
                    index += run.count
                    continue
                }
            }
            emitter.put(out[index])
            index += 1
        }
        out.removeAll(keepingCapacity: true)
        runs.removeAll(keepingCapacity: true)
    }

    /// Where the raw content of `skip` ends within `range` (the index after its terminator), or nil.
    static func terminator(of skip: RawSkip, in s: [Unicode.Scalar], range: Range<Int>) -> Int? {
        switch skip {
        case .comment:
            return find(Array("-->".unicodeScalars), in: s, from: range.lowerBound, end: range.upperBound).map { $0 + 3 }
        case .element(let name):
            return closingTag(name, in: s, from: range.lowerBound, end: range.upperBound)
        }
    }

    // MARK: Constructs

    private mutating func codeSpan(at i: Int, end: Int) -> Int {
        var n = 0
        while i + n < end, s[i + n].value == 0x60 { n += 1 }
        var j = i + n
        while j < end {
            guard s[j].value == 0x60 else {
                j += 1
                continue
            }
            var m = 0
            while j + m < end, s[j + m].value == 0x60 { m += 1 }
            if m == n {
                var a = i + n, b = j
                if b - a >= 2, s[a].value == 0x20, s[b - 1].value == 0x20,
                   s[a..<b].contains(where: { $0.value != 0x20 }) {
                    a += 1
                    b -= 1
                }
                literal(a..<b)
                return j + m
            }
            j += m
        }
        for _ in 0..<n { out.append("`") }
        return i + n
    }

    /// `[text](url)`, `[text][ref]` (and, called at the `[` of `![`, images): keeps the text.
    private mutating func link(at open: Int, end: Int, tableRow: Bool) -> Int? {
        guard let close = Self.matching(s, open, end: end, opener: 0x5B, closer: 0x5D) else { return nil }
        let after = close + 1
        guard after < end else { return nil }
        let next: Int
        if s[after].value == 0x28, let paren = Self.matching(s, after, end: end, opener: 0x28, closer: 0x29) {
            next = paren + 1
        } else if s[after].value == 0x5B, let reference = Self.matching(s, after, end: end, opener: 0x5B, closer: 0x5D) {
            next = reference + 1
        } else {
            return nil
        }
        _ = scan(open + 1..<close, tableRow: tableRow)
        return next
    }

    private enum AngleResult {
        case next(Int)
        case skip(RawSkip)
    }

    private mutating func angle(at i: Int, end: Int) -> AngleResult {
        let commentOpen = Array("<!--".unicodeScalars)
        if Self.matches(commentOpen, in: s, at: i, end: end) {
            if let close = Self.find(Array("-->".unicodeScalars), in: s, from: i + 4, end: end) { return .next(close + 3) }
            return .skip(.comment)
        }
        if i + 2 < end, s[i + 1].value == 0x21 || s[i + 1].value == 0x3F,
           ScalarClasses.isASCIILetter(s[i + 2].value) || s[i + 2].value == 0x3F || s[i + 2].value == 0x5B {
            // <!DOCTYPE ...>, <?xml ...?>, <![CDATA[ (dropped to the end of the declaration)
            var j = i + 2
            while j < end, s[j].value != 0x3E { j += 1 }
            if j < end { return .next(j + 1) }
        }
        if let next = autolink(at: i, end: end) { return .next(next) }
        if let result = tag(at: i, end: end) { return result }
        out.append(s[i])
        return .next(i + 1)
    }

    /// `<https://…>` or `<name@host>`: the address, without the brackets.
    private mutating func autolink(at i: Int, end: Int) -> Int? {
        let first = i + 1
        guard first < end, ScalarClasses.isASCIILetter(s[first].value) else { return nil }
        var k = first
        while k < end {
            let v = s[k].value
            guard ScalarClasses.isASCIIAlphanumeric(v) || v == 0x2B || v == 0x2E || v == 0x2D else { break }
            k += 1
        }
        var m = k
        var sawAt = false
        if (2...32).contains(k - first), k < end, s[k].value == 0x3A {
            m = k + 1
        }
        let isScheme = m != k
        while m < end {
            let v = s[m].value
            if v == 0x3E || v == 0x3C || ScalarClasses.isSpace(v) { break }
            if v == 0x40 { sawAt = true }
            m += 1
        }
        guard m < end, s[m].value == 0x3E, isScheme || sawAt else { return nil }
        out.append(contentsOf: s[first..<m])
        return m + 1
    }

    /// A known HTML tag: removed (block tags leave a line break, `<td>`/`<th>` a space, `<img>` its
    /// alt text); `<script>`, `<style>` and `<template>` lose their contents too.
    private mutating func tag(at i: Int, end: Int) -> AngleResult? {
        var j = i + 1
        var closing = false
        if j < end, s[j].value == 0x2F {
            closing = true
            j += 1
        }
        guard j < end, ScalarClasses.isASCIILetter(s[j].value) else { return nil }
        var name = ""
        while j < end, ScalarClasses.isASCIIAlphanumeric(s[j].value), name.unicodeScalars.count <= 10 {
            name.unicodeScalars.append(Unicode.Scalar(ScalarClasses.asciiLower(s[j].value))!)
            j += 1
        }
        guard j < end, HTMLMarkup.isKnown(name) else { return nil }
        let v = s[j].value
        guard v == 0x3E || v == 0x2F || ScalarClasses.isSpace(v) else { return nil }
        let attributesStart = j
        var quote: UInt32?
        while j < end {
            let c = s[j].value
            if let open = quote {
                if c == open { quote = nil }
            } else if c == 0x22 || c == 0x27 {
                quote = c
            } else if c == 0x3E {
                break
            }
            j += 1
        }
        guard j < end else { return nil }
        let selfClosing = s[j - 1].value == 0x2F
        let next = j + 1
        if !closing, name == "img", let alt = attribute("alt", in: attributesStart..<j) {
            out.append(" ")
            literal(alt)
            out.append(" ")
        }
        if HTMLMarkup.blockTags.contains(name) {
            out.append("\n")
        } else if name == "td" || name == "th" {
            out.append(" ")
        }
        if !closing, !selfClosing, HTMLMarkup.droppedContent.contains(name) {
            if let after = Self.closingTag(name, in: s, from: next, end: end) { return .next(after) }
            return .skip(.element(name))
        }
        return .next(next)
    }

    /// The value range of attribute `name` (quoted or not) inside a tag.
    private func attribute(_ name: String, in range: Range<Int>) -> Range<Int>? {
        let key = Array(name.unicodeScalars)
        var j = range.lowerBound
        while j < range.upperBound {
            let boundary = j == range.lowerBound || ScalarClasses.isSpace(s[j - 1].value)
            if boundary, Self.matches(key, in: s, at: j, end: range.upperBound, caseInsensitive: true) {
                var k = j + key.count
                while k < range.upperBound, ScalarClasses.isSpace(s[k].value) { k += 1 }
                if k < range.upperBound, s[k].value == 0x3D {
                    k += 1
                    while k < range.upperBound, ScalarClasses.isSpace(s[k].value) { k += 1 }
                    guard k < range.upperBound else { return nil }
                    let q = s[k].value
                    if q == 0x22 || q == 0x27 {
                        var e = k + 1
                        while e < range.upperBound, s[e].value != q { e += 1 }
                        return k + 1..<e
                    }
                    var e = k
                    while e < range.upperBound, !ScalarClasses.isSpace(s[e].value), s[e].value != 0x2F { e += 1 }
                    return k..<e
                }
            }
            j += 1
        }
        return nil
    }

    /// `&amp;`, `&#39;`, `&#x1F600;` and the named references of `HTMLMarkup`; anything else is text.
    private mutating func entity(at i: Int, end: Int) -> Int {
        var j = i + 1
        if j < end, s[j].value == 0x23 {
            j += 1
            var value: UInt32 = 0
            var digits = 0
            if j < end, s[j].value == 0x78 || s[j].value == 0x58 {
                j += 1
                while j < end, digits < 8, let d = Self.hexValue(s[j].value) {
                    value = value &* 16 &+ d
                    digits += 1
                    j += 1
                }
            } else {
                while j < end, digits < 9, (0x30...0x39).contains(s[j].value) {
                    value = value &* 10 &+ (s[j].value - 0x30)
                    digits += 1
                    j += 1
                }
            }
            if digits > 0, j < end, s[j].value == 0x3B {
                out.append(HTMLMarkup.numericReference(value))
                return j + 1
            }
        } else {
            var name = ""
            while j < end, ScalarClasses.isASCIIAlphanumeric(s[j].value), name.unicodeScalars.count < 32 {
                name.unicodeScalars.append(s[j])
                j += 1
            }
            if !name.isEmpty, j < end, s[j].value == 0x3B, let decoded = HTMLMarkup.namedEntities[name] {
                out.append(contentsOf: decoded)
                return j + 1
            }
        }
        out.append(s[i])
        return i + 1
    }

    /// A run of `*`, `_` or `~~`, with whether it may open or close emphasis (CommonMark's
    /// flanking rules; `_` inside a word and `*` between digits neither open nor close).
    private mutating func delimiterRun(at i: Int, range: Range<Int>) -> Int {
        let c = s[i].value
        var n = 0
        while i + n < range.upperBound, s[i + n].value == c { n += 1 }
        if c == 0x7E, n < 2 {  // a lone tilde is text (~5 minutes)
            out.append(s[i])
            return i + 1
        }
        let prev: Unicode.Scalar? = i > range.lowerBound ? s[i - 1] : nil
        let next: Unicode.Scalar? = i + n < range.upperBound ? s[i + n] : nil
        let prevSpace = prev.map { ScalarClasses.isFlankingSpace($0.value) } ?? true
        let nextSpace = next.map { ScalarClasses.isFlankingSpace($0.value) } ?? true
        let prevPunctuation = prev.map(ScalarClasses.isPunctuation) ?? false
        let nextPunctuation = next.map(ScalarClasses.isPunctuation) ?? false
        let left = !nextSpace && (!nextPunctuation || prevSpace || prevPunctuation)
        let right = !prevSpace && (!prevPunctuation || nextSpace || nextPunctuation)
        var canOpen: Bool
        var canClose: Bool
        if c == 0x5F {
            canOpen = left && (!right || prevPunctuation)
            canClose = right && (!left || nextPunctuation)
        } else {
            canOpen = left
            canClose = right
        }
        if c == 0x2A, let prev, let next, (0x30...0x39).contains(prev.value), (0x30...0x39).contains(next.value) {
            canOpen = false  // 5*3 is arithmetic
            canClose = false
        }
        runs.append(DelimiterRun(start: out.count, count: n, char: c, canOpen: canOpen, canClose: canClose))
        for _ in 0..<n { out.append(s[i]) }
        return i + n
    }

    // MARK: Helpers

    private static func hexValue(_ v: UInt32) -> UInt32? {
        switch v {
        case 0x30...0x39: return v - 0x30
        case 0x41...0x46: return v - 0x41 + 10
        case 0x61...0x66: return v - 0x61 + 10
        default: return nil
        }
    }

    /// The index of the bracket closing the one at `open` (nesting, backslash escapes), or nil.
    private static func matching(_ s: [Unicode.Scalar], _ open: Int, end: Int, opener: UInt32, closer: UInt32) -> Int? {
        var depth = 0
        var j = open
        while j < end {
            let v = s[j].value
            if v == 0x5C {
                j += 2
                continue
            }
            if v == opener {
                depth += 1
            } else if v == closer {
                depth -= 1
                if depth == 0 { return j }
            }
            j += 1
        }
        return nil
    }

    private static func matches(_ pattern: [Unicode.Scalar], in s: [Unicode.Scalar], at i: Int, end: Int,
                                caseInsensitive: Bool = false) -> Bool {
        guard i + pattern.count <= end else { return false }
        for (k, p) in pattern.enumerated() {
            let v = s[i + k].value
            if caseInsensitive ? ScalarClasses.asciiLower(v) != p.value : v != p.value { return false }
        }
        return true
    }

    private static func find(_ pattern: [Unicode.Scalar], in s: [Unicode.Scalar], from: Int, end: Int,
                             caseInsensitive: Bool = false) -> Int? {
        var j = from
        while j + pattern.count <= end {
            if matches(pattern, in: s, at: j, end: end, caseInsensitive: caseInsensitive) { return j }
            j += 1
        }
        return nil
    }

    /// The index after `</name ...>` at or after `from`, or nil.
    private static func closingTag(_ name: String, in s: [Unicode.Scalar], from: Int, end: Int) -> Int? {
        let pattern = Array(("</" + name).unicodeScalars)
        guard let start = find(pattern, in: s, from: from, end: end, caseInsensitive: true) else { return nil }
        var j = start + pattern.count
        while j < end, s[j].value != 0x3E { j += 1 }
        return min(j + 1, end)
    }
}
