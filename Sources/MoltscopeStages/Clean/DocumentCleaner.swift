/// A document after cleaning: what is written to `documents`, plus what grouping needs.
struct CleanedDocument: Sendable {
    var raw: RawDocument
    var text: String
    var language: String
    var length: Int
    var originalLength: Int
    var truncated: Bool
    var hash: ContentHash
    /// Compact MinHash signature; nil for empty and too-short texts (exact grouping only).
    var signature: [UInt8]?
}

/// The per-document work, a pure function of the raw document and the settings (it runs on
/// several cores at once): assemble the text, normalize, cut, hash, guess the language, sign.
struct DocumentCleaner: Sendable {
    let settings: CleanSettings
    let normalizer = TextNormalizer()
    let shingler: Shingler
    let minHasher: MinHasher

    init(settings: CleanSettings) {
        self.settings = settings
        shingler = Shingler(wordSize: settings.shingle)
        minHasher = MinHasher(permutations: settings.permutations)
    }

    func clean(_ raw: RawDocument) -> CleanedDocument {
        let assembled = Self.assemble(raw, prefixChars: settings.rawPrefixChars)
        var (text, truncated) = Truncation.cut(normalizer.normalize(assembled.text), maxChars: settings.maxChars)
        truncated = truncated || assembled.cut
        let length = text.unicodeScalars.count
        if length == 0 { text = "" }
        var signature: [UInt8]?
        if length > 0 {
            let shingles = shingler.shingles(text)
            if shingles.kind != .tooShort { signature = minHasher.compactSignature(shingles.hashes) }
        }
        return CleanedDocument(raw: raw, text: text, language: LanguageGuesser.guess(text), length: length,
                               originalLength: assembled.originalLength, truncated: truncated,
                               hash: ContentHash(text), signature: signature)
    }

    /// The text as posted: a post's title, a blank line and its content (or its URL when it has no
    /// content); a comment's content. `originalLength` counts its characters (code points) in
    /// full; `cut` says SQLite handed over only a prefix of the content.
    static func assemble(_ raw: RawDocument, prefixChars: Int) -> (text: String, originalLength: Int, cut: Bool) {
        let content = raw.content ?? ""
        let contentScalars = content.unicodeScalars.count
        let cut = prefixChars > 0 && raw.contentLength > contentScalars
        let contentLength = max(raw.contentLength, contentScalars)
        switch raw.kind {
        case .comment:
            return (content, contentLength, cut)
        case .post:
            var parts: [String] = []
            var length = 0
            if let title = raw.title, !title.isEmpty {
                parts.append(title)
                length += title.unicodeScalars.count
            }
            if raw.content != nil {
                parts.append(content)
                length += contentLength
            } else if let url = raw.url, !url.isEmpty {
                parts.append(url)
                length += url.unicodeScalars.count
            }
            if parts.count == 2 { length += 2 }
            return (parts.joined(separator: "\n\n"), length, cut)
        }
    }
}
