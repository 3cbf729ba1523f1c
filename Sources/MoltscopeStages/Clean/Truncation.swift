/// Cuts cleaned text to the configured length before embedding. Lengths are counted in Unicode
/// scalars (code points: what SQLite's `length()` and Python's `len()` count). The cut falls on a
/// grapheme boundary, so no emoji or accented letter is split, and at the last whitespace when
/// that loses at most a fifth of the limit.
enum Truncation {
    static func cut(_ text: String, maxChars: Int) -> (text: String, truncated: Bool) {
        guard maxChars > 0 else { return (text, false) }
        let scalars = text.unicodeScalars
        // Cheap test first: UTF-8 length bounds the scalar count from above.
        if text.utf8.count <= maxChars || scalars.count <= maxChars { return (text, false) }
        var count = 0
        var fit = text.startIndex
        var space: String.Index?
        var spaceCount = 0
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            let size = scalars[index..<next].count
            if count + size > maxChars { break }
            if text[index].isWhitespace {
                space = index
                spaceCount = count
            }
            count += size
            fit = next
            index = next
        }
        var end = fit
        if let space, spaceCount * 5 >= maxChars * 4 { end = space }
        var result = text[..<end]
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return (String(result), true)
    }
}
