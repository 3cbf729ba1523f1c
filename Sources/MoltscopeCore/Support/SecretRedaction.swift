import Foundation

/// Removes a secret from text a server sent back (error bodies echo requests): the whole secret,
/// and also the start of it left where an excerpt was cut.
public enum SecretRedaction {
    public static let placeholder = "<redacted>"

    public static func redact(_ text: String, secret: String) -> String {
        guard secret.count >= 4 else { return text }
        var result = text.replacingOccurrences(of: secret, with: placeholder)
        // An excerpt cut inside the secret leaves its first characters: half of it, at least 12
        // (a public prefix such as "moltbook_sk_" alone gives nothing away), is taken as its start.
        let minimum = min(secret.count - 1, max(12, secret.count / 2))
        let head = String(secret.prefix(minimum))
        while let start = result.range(of: head) {
            var end = start.upperBound
            var secretIndex = secret.index(secret.startIndex, offsetBy: minimum)
            while end < result.endIndex, secretIndex < secret.endIndex, result[end] == secret[secretIndex] {
                end = result.index(after: end)
                secretIndex = secret.index(after: secretIndex)
            }
            result.replaceSubrange(start.lowerBound..<end, with: placeholder)
        }
        return result
    }

    /// `body` (a whole answer, as stored and parsed) without the secret, also as JSON writes it
    /// in a string (`"` and `\` escaped, `/` as it is or as `\/`). Unchanged when the secret is not in it.
    public static func redact(_ body: Data, secret: String) -> Data {
        guard secret.count >= 4 else { return body }
        func escaped(slash: Bool) -> String {
            var text = ""
            for character in secret {
                switch character {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "/" where slash: text += "\\/"
                default: text.append(character)
                }
            }
            return text
        }
        var result = body
        for form in Set([secret, escaped(slash: false), escaped(slash: true)]).sorted(by: { $0.utf8.count > $1.utf8.count }) {
            let needle = Data(form.utf8), replacement = Data(placeholder.utf8)
            var searchFrom = result.startIndex
            while let found = result.range(of: needle, in: searchFrom..<result.endIndex) {
                result.replaceSubrange(found, with: replacement)
                searchFrom = found.lowerBound + replacement.count
            }
        }
        return result
    }
}
