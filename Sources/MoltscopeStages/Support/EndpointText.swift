import MoltscopeCore

/// How an HTTP endpoint of a model server appears in messages: the URL without any user:password
/// part, curl's message without the URL it repeats, and never the token. Shared by the
/// embedding and chat clients, whose errors users read.
struct EndpointText: Sendable {
    let url: String
    /// The URL as shown to users: without any user:password part.
    let displayURL: String
    let token: String?

    init(url: String, token: String?) {
        self.url = url
        displayURL = Self.withoutCredentials(url)
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// curl's message without the "POST <url>: " it starts with (messages name the URL themselves).
    func transportDetail(_ error: TransportError) -> String {
        let prefix = "\(error.url.isEmpty ? url : error.url): "
        if let range = error.message.range(of: prefix) { return String(error.message[range.upperBound...]) }
        return error.message
    }

    /// Servers echo odd things back: the token and URL credentials never reach a message, and
    /// a message stays on one line.
    func redacted(_ text: String) -> String {
        var text = text.replacingOccurrences(of: url, with: displayURL)
        if let token { text = SecretRedaction.redact(text, secret: token) }
        return text.replacingOccurrences(of: "\n", with: " ")
    }

    static func withoutCredentials(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + String(rest[rest.index(after: at)...])
    }
}
