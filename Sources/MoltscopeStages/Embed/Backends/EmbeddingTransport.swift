import Foundation
import Logging
import MoltbookAPI
import MoltscopeCore

/// What both protocols share: POST a JSON body, retry what is worth retrying, read vectors out of
/// the answer, and check them against the request.
struct EmbeddingTransport: Sendable {
    /// "OpenAI-compatible" or "Ollama", for messages.
    let backend: String
    /// The URL, how it is shown, and the token kept out of every message.
    let endpoint: EndpointText
    let timeout: Double
    let retry: RetryPolicy
    let http: any HTTPClient
    let expectedDimension: Int?
    let logger: Logger?

    /// The longest Retry-After honoured, seconds: a server asking for an hour is treated as failing.
    static let retryAfterCap: Double = 120

    init(backend: String, url: String, token: String?, timeout: Double, retry: RetryPolicy,
         http: any HTTPClient, expectedDimension: Int?, logger: Logger?) {
        self.backend = backend
        endpoint = EndpointText(url: url, token: token)
        self.timeout = timeout
        self.retry = retry
        self.http = http
        self.expectedDimension = expectedDimension
        self.logger = logger
    }

    /// POSTs `body` until an answer parses into `count` vectors, or fails for good.
    func post(_ body: Data, count: Int, parse: (Data) throws -> [[Float]]) async throws -> [[Float]] {
        var headers = [(name: "Content-Type", value: "application/json"),
                       (name: "Accept", value: "application/json"),
                       (name: "User-Agent", value: "moltscope/\(MoltscopeVersion.string)")]
        if let token { headers.append((name: "Authorization", value: "Bearer \(token)")) }
        let request = HTTPRequest(method: .post, url: url, headers: headers, body: body, timeout: timeout)

        var attempt = 0
        var brokenBodies = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let outcome = try await attemptOnce(request, count: count, attempt: attempt, parse: parse)
            switch outcome {
            case .vectors(let vectors):
                return vectors
            case .brokenBody(let failure):
                // A cut body is an outage symptom: one more try, then it is the server's answer.
                brokenBodies += 1
                guard brokenBodies < 2, attempt < max(retry.maxAttempts, 2) else { throw failure }
                logger?.debug("embedding response was broken JSON; retrying",
                              metadata: ["url": .string(displayURL), "reason": .string(failure.detail)])
            case .retry(let failure, let retryAfter):
                guard attempt < retry.maxAttempts else { throw failure }
                let delay = max(min(retryAfter ?? 0, Self.retryAfterCap), retry.delay(afterAttempt: attempt - 1))
                logger?.debug("retrying embeddings request",
                              metadata: ["url": .string(displayURL), "attempt": "\(attempt)",
                                         "reason": .string(failure.description),
                                         "delay_s": .string(String(format: "%.2f", delay))])
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            }
        }
    }

    private enum Outcome {
        case vectors([[Float]])
        case retry(EmbeddingError, retryAfter: Double?)
        case brokenBody(EmbeddingError)
    }

    private func attemptOnce(_ request: HTTPRequest, count: Int, attempt: Int,
                             parse: (Data) throws -> [[Float]]) async throws -> Outcome {
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch let error as TransportError {
            if error.reason == .cancelled { throw CancellationError() }
            let kind: EmbeddingError.Kind = switch error.reason {
            case .timeout: .timeout
            case .truncated, .connectionLost: .connectionLost
            default: .unreachable
            }
            return .retry(failure(kind, transportDetail(error), attempt), retryAfter: nil)
        }

        let isJSON = Self.looksLikeJSON(response)
        if (200..<300).contains(response.status) {
            guard isJSON else {
                // A web page with 200: the URL points at a UI or a proxy's page, not the API.
                throw failure(.notJSON, Self.bodyKind(response), attempt)
            }
            let vectors: [[Float]]
            do {
                vectors = try parse(response.body)
            } catch let error as EmbeddingParseFailure {
                let failure = failure(.malformed, error.message, attempt)
                if error.isSyntax { return .brokenBody(failure) }
                throw failure
            }
            try check(vectors, count: count, attempt: attempt)
            return .vectors(vectors)
        }

        let detail = isJSON ? Self.errorMessage(response.body) : Self.bodyKind(response)
        let statusFailure = failure(.httpStatus(response.status), detail, attempt)
        let status = response.status
        guard status == 408 || status == 429 || status >= 500 else { throw statusFailure }
        return .retry(statusFailure, retryAfter: Self.retryAfter(response.headers["retry-after"]))
    }

    /// Count, consistent and expected dimension.
    private func check(_ vectors: [[Float]], count: Int, attempt: Int) throws {
        guard vectors.count == count else {
            throw failure(.malformed, "\(vectors.count) vectors for \(count) texts", attempt)
        }
        guard let dimension = vectors.first?.count else { return }
        guard dimension > 0 else { throw failure(.malformed, "empty vectors", attempt) }
        if let other = vectors.first(where: { $0.count != dimension }) {
            throw failure(.malformed, "vectors of different lengths (\(dimension) and \(other.count))", attempt)
        }
        if let expectedDimension, expectedDimension != dimension {
            throw failure(.wrongDimension(expected: expectedDimension, got: dimension), "", attempt)
        }
    }

    private func failure(_ kind: EmbeddingError.Kind, _ detail: String, _ attempt: Int) -> EmbeddingError {
        EmbeddingError(kind: kind, url: displayURL, detail: redacted(detail), attempts: attempt, backend: backend)
    }

    var url: String { endpoint.url }
    /// The URL as shown to users: without any user:password part.
    var displayURL: String { endpoint.displayURL }
    var token: String? { endpoint.token }

    private func transportDetail(_ error: TransportError) -> String { endpoint.transportDetail(error) }

    func redacted(_ text: String) -> String { endpoint.redacted(text) }

    // MARK: Reading answers

    static func looksLikeJSON(_ response: HTTPResponse) -> Bool {
        if let type = response.contentType?.lowercased(), type.contains("json") { return true }
        // Missing or odd Content-Type (text/plain from small servers): judge by the first byte.
        return response.body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }).map {
            $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[")
        } ?? false
    }

    static func bodyKind(_ response: HTTPResponse) -> String {
        let type = response.contentType?.lowercased() ?? ""
        let start = String(decoding: response.body.prefix(256), as: UTF8.self).lowercased()
        if type.contains("html") || start.contains("<html") || start.contains("<!doctype") { return "an HTML page" }
        if response.body.isEmpty { return "an empty body" }
        let excerpt = excerpt(response.body)
        return type.isEmpty ? "\"\(excerpt)\"" : "\(type) \"\(excerpt)\""
    }

    /// The message of an error body in any of the usual shapes: OpenAI {"error":{"message"}},
    /// Ollama/TEI {"error":"..."}, vLLM {"message"}, FastAPI {"detail"}.
    static func errorMessage(_ body: Data) -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return excerpt(body) }
        if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
        for key in ["error", "message", "detail"] {
            if let message = object[key] as? String { return message }
        }
        if let detail = object["detail"], JSONSerialization.isValidJSONObject(detail),
           let data = try? JSONSerialization.data(withJSONObject: detail) {
            return excerpt(data)
        }
        return excerpt(body)
    }

    static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(200), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return data.count > 200 ? text + "…" : text
    }

    /// Retry-After as seconds or an HTTP date.
    static func retryAfter(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    /// "http://user:secret@host/x" -> "http://host/x".

    // MARK: Writing requests

    /// A JSON string literal for `text`.
    static func jsonString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// `{"model":..., "<inputKey>":[texts...]<extra>}`; `extra` is raw JSON members starting with ",".
    static func requestBody(model: String, inputKey: String, texts: [String], extra: String = "") -> Data {
        var output: [UInt8] = []
        output.reserveCapacity(texts.reduce(64 + model.utf8.count) { $0 + $1.utf8.count + 8 })
        output.append(contentsOf: Array("{\"model\":".utf8))
        jsonString(model, into: &output)
        output.append(contentsOf: Array(",\"\(inputKey)\":[".utf8))
        for (index, text) in texts.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            jsonString(text, into: &output)
        }
        output.append(UInt8(ascii: "]"))
        output.append(contentsOf: Array(extra.utf8))
        output.append(UInt8(ascii: "}"))
        return Data(output)
    }
}
