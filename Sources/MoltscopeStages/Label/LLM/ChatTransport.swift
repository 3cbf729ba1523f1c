import Foundation
import MoltscopeCore

/// One POST to the chat endpoint, classified. Retrying is the caller's: it shares one attempt
/// budget between server errors and invalid answers.
struct ChatTransport: Sendable {
    enum Exchange: Sendable {
        /// A 200 JSON answer.
        case answer(ChatCompletion)
        /// 408/429/5xx, a timeout, a dropped connection: try again after a pause.
        case retryable(String, retryAfter: Double?)
        /// Nobody answers (refused, no such host): retried, then the run stops.
        case unreachable(String)
        /// A 4xx about this request (400 context too long, 413, 422): not worth repeating as is.
        case rejected(String)
    }

    /// The URL, how it is shown, and the token kept out of every message.
    let endpoint: EndpointText
    let timeout: Double
    let jsonMode: ChatLabellerSettings.JSONMode
    let http: any HTTPClient

    init(settings: ChatLabellerSettings, http: any HTTPClient) {
        endpoint = EndpointText(url: settings.url, token: settings.token)
        timeout = settings.timeout
        jsonMode = settings.jsonMode
        self.http = http
    }

    /// Throws `MoltscopeError` for answers that doom every request (401/403/404, HTML, another
    /// API), `CancellationError` when cancelled.
    func exchange(_ body: Data) async throws -> Exchange {
        var headers = [(name: "Content-Type", value: "application/json"),
                       (name: "Accept", value: "application/json"),
                       (name: "User-Agent", value: "moltscope/\(MoltscopeVersion.string)")]
        if let token { headers.append((name: "Authorization", value: "Bearer \(token)")) }
        let request = HTTPRequest(method: .post, url: url, headers: headers, body: body, timeout: timeout)

        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch let error as TransportError {
            switch error.reason {
            case .cancelled: throw CancellationError()
            case .timeout: return .retryable("timed out after \(String(format: "%g", timeout)) s", retryAfter: nil)
            case .truncated, .connectionLost: return .retryable("lost the connection: \(transportDetail(error))", retryAfter: nil)
            default: return .unreachable(redacted(transportDetail(error)))
            }
        }

        let isJSON = EmbeddingTransport.looksLikeJSON(response)
        let status = response.status
        if (200..<300).contains(status) {
            guard isJSON else {
                // A web page with 200: the URL points at a UI or a proxy's page, not the API.
                throw MoltscopeError(.config, "POST \(displayURL) answered \(EmbeddingTransport.bodyKind(response)), not JSON",
                                     remedy: Self.urlRemedy)
            }
            // An echoed token in a successful answer is cut before anything of it (labels, a
            // failure's excerpt) can be stored.
            let completion = ChatCompletion.read(token.map { SecretRedaction.redact(response.body, secret: $0) } ?? response.body)
            switch completion {
            case .notACompletion(let detail):
                throw MoltscopeError(.config, "POST \(displayURL) answered something other than a chat completion: \(redacted(detail))",
                                     remedy: Self.urlRemedy)
            case .serverError(let detail):
                return .retryable("an error in a 200 answer: \(redacted(detail))", retryAfter: nil)
            case .brokenBody(let detail):
                return .retryable(detail, retryAfter: nil)
            default:
                return .answer(completion)
            }
        }

        let detail = redacted(isJSON ? EmbeddingTransport.errorMessage(response.body) : EmbeddingTransport.bodyKind(response))
        let cause = "POST \(displayURL) answered HTTP \(status): \(detail)"
        if status == 408 || status == 429 || status >= 500 {
            return .retryable("HTTP \(status): \(detail)", retryAfter: EmbeddingTransport.retryAfter(response.headers["retry-after"]))
        }
        switch status {
        case 401, 403:
            throw MoltscopeError(.config, cause, remedy: "check toxicity_label.llm.token_env (sent as a Bearer token) and that it may use toxicity_label.llm.model")
        case 404 where detail.lowercased().contains("model"):
            throw MoltscopeError(.config, cause, remedy: "check toxicity_label.llm.model: the server does not serve it")
        case 404, 405:
            throw MoltscopeError(.config, cause, remedy: Self.urlRemedy)
        default:
            let lowered = detail.lowercased()
            if jsonMode != .none, lowered.contains("response_format") || lowered.contains("json_schema") || lowered.contains("json_object") {
                throw MoltscopeError(.config, cause,
                                     remedy: "this server does not support toxicity_label.llm.json_mode = \(jsonMode.rawValue): try \(jsonMode == .schema ? "object or none" : "none")")
            }
            if lowered.contains("model") && (lowered.contains("not found") || lowered.contains("does not exist")) {
                throw MoltscopeError(.config, cause, remedy: "check toxicity_label.llm.model: the server does not serve it")
            }
            return .rejected("HTTP \(status): \(detail)")
        }
    }

    static let urlRemedy = "check toxicity_label.llm.url: it must be the full endpoint of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1/chat/completions"

    var url: String { endpoint.url }
    /// The URL as shown to users: without any user:password part.
    var displayURL: String { endpoint.displayURL }
    var token: String? { endpoint.token }

    private func transportDetail(_ error: TransportError) -> String { endpoint.transportDetail(error) }

    /// Servers echo odd things back; the token and URL credentials never reach a message.
    func redacted(_ text: String) -> String { endpoint.redacted(text) }
}
