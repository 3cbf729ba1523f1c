import Foundation

/// Checks a config file's text before TOMLKit sees it, for what its C++ parser (toml++) does not
/// survive or handles badly, so each becomes a one-line config error instead of a crash or a hang.
enum TOMLPreflight {
    /// Pipeline configs are a few kilobytes; a file this big is something else.
    static let maximumBytes = 1 << 20
    /// Dotted keys and table headers this deep are not a config (toml++ and our flattening recurse).
    static let maximumKeyDepth = 64

    static func check(_ data: Data, origin: String) throws {
        if data.count > maximumBytes {
            throw MoltscopeError(.config, "\(origin) is \(data.count / 1024) KB, not a pipeline config (at most \(maximumBytes / 1024) KB)",
                                 remedy: "give a .toml file from pipelines/")
        }
    }

    static func check(_ text: String, origin: String) throws {
        var insideMultiLineString: Substring?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Lines of a multi-line string are text, not TOML (a delimiter that opens and closes on one line cancels out).
            for delimiter in [#"""""#, "'''"] where insideMultiLineString == nil || insideMultiLineString == Substring(delimiter) {
                if line.components(separatedBy: delimiter).count % 2 == 0 {
                    insideMultiLineString = insideMultiLineString == nil ? Substring(delimiter) : nil
                }
            }
            if insideMultiLineString != nil { continue }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.first == "[", !headerHasName(trimmed) {
                // toml++ asserts (or, built without assertions, assumes) that a name follows `[`.
                throw MoltscopeError(.config, "\(origin): line \(index + 1): table header without a name",
                                     remedy: "write [section] with the section's name")
            }
            if keyDepth(trimmed) > maximumKeyDepth {
                throw MoltscopeError(.config, "\(origin): line \(index + 1): key nested deeper than \(maximumKeyDepth) levels",
                                     remedy: "keys are section.key (see docs/configuration.md)")
            }
        }
    }

    /// Whether `[` or `[[`, then spaces, is followed by a key (bare or quoted) or the `]` toml++ reports itself.
    /// A nested array written over several lines would be refused too, but no key takes nested arrays.
    private static func headerHasName(_ line: Substring) -> Bool {
        var rest = line.dropFirst()
        if rest.first == "[" { rest = rest.dropFirst() }
        rest = rest.drop { $0 == " " || $0 == "\t" }
        guard let first = rest.first else { return false }
        return first == "]" || first == "\"" || first == "'" || first.isASCII && (first.isLetter || first.isNumber || first == "_" || first == "-")
    }

    /// The dots in a line's key (a header, or what comes before `=`), outside quotes.
    private static func keyDepth(_ line: Substring) -> Int {
        var dots = 0
        var quote: Character?
        for character in line {
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case ".": dots += 1
            case "=", "]", "#": return dots
            default: break
            }
        }
        return dots
    }
}
