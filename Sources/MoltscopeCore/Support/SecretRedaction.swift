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
}
