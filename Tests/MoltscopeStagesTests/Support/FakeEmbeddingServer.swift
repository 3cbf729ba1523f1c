import Foundation
import MoltscopeTestSupport

/// A local embeddings server (OpenAI-compatible `/v1/embeddings` and Ollama `/api/embed`) on
/// 127.0.0.1 with an ephemeral port, keep-alive and TCP_NODELAY (a LoopbackHTTPServer), for testing backends.
///
/// Vectors are deterministic: `FakeEmbeddingServer.vector(for:)`. Each request is answered by the
/// next entry of `plan` (then by `defaultMode`), so a test can script "500, then fine".
/// Everything is nested here: this test target is shared, and other suites have their own helpers.
final class FakeEmbeddingServer: @unchecked Sendable {
    enum Mode: Sendable, Equatable {
        case normal
        /// Answers normally after this many seconds.
        case slow(Double)
        /// This status with an OpenAI-style JSON error body (that echoes the Authorization header,
        /// to prove clients keep the token out of messages).
        case status(Int)
        /// 429 with `Retry-After: seconds`.
        case tooManyRequests(retryAfter: Int)
        /// Vectors of `dimension + 3` numbers.
        case wrongDimension
        /// One vector fewer than texts.
        case wrongCount
        /// A valid start of JSON, cut in the middle (a dropped body).
        case malformedJSON
        /// A 200 HTML page.
        case html
        /// `data` in reverse order, with correct `index` fields.
        case shuffled
        /// Embeddings as base64 float32 strings.
        case base64
        /// Python's json.dumps of a NaN.
        case nonFinite
        /// Vectors of different lengths in one answer.
        case mixedDimensions
        /// Reads the request, closes the connection.
        case closeWithoutAnswer
    }

    typealias Request = LoopbackHTTPServer.Request

    let dimension: Int
    var port: UInt16 { server.port }
    var baseURL: String { server.baseURL }
    var openAIURL: String { baseURL + "/v1/embeddings" }
    var ollamaURL: String { baseURL + "/api/embed" }

    private let server: LoopbackHTTPServer
    private let modes = ModeScript<Mode>(fallback: .normal)

    init(dimension: Int = 8) throws {
        self.dimension = dimension
        server = try LoopbackHTTPServer(name: "fake-embedding")
        server.start(replying: { [weak self] request in
            self?.reply(to: request) ?? LoopbackHTTPServer.Reply(status: 503)
        })
    }

    /// Ends the accept loop and all connections. Call it when done.
    func stop() { server.stop() }

    /// Answers the next requests with these modes, in order, then with `defaultMode`.
    func script(_ modes: [Mode]) { self.modes.script(modes) }
    var defaultMode: Mode {
        get { modes.defaultMode }
        set { modes.defaultMode = newValue }
    }

    var requests: [Request] { server.requests }
    var requestCount: Int { server.requestCount }
    var acceptedConnections: Int { server.acceptedConnections }

    /// The vector the server gives `text`: a hash spread over `dimension` numbers in [-1, 1].
    static func vector(for text: String, dimension: Int = 8) -> [Float] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return (0..<dimension).map { index in
            var x = hash &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            x ^= x >> 31
            return Float(Int(x % 20001) - 10000) / 10000
        }
    }

    /// A port with a bound, non-listening socket: connecting is refused until `close`.
    static func refusingPort() throws -> (port: UInt16, close: @Sendable () -> Void) {
        try LoopbackHTTPServer.refusingPort()
    }

    // MARK: Answers

    private typealias Reply = LoopbackHTTPServer.Reply

    private func nextMode() -> Mode { modes.next() }

    private func reply(to request: Request) -> Reply {
        let mode = nextMode()
        let ollama = request.path.hasPrefix("/api/")
        let texts = request.inputs
        var vectors = texts.map { Self.vector(for: $0, dimension: dimension) }
        switch mode {
        case .normal, .slow, .shuffled, .base64:
            break
        case .status(let code):
            let echoed = request.headers["authorization"] ?? "none"
            let body = ollama ? #"{"error":"model \"x\" not found, try pulling it first (\#(echoed))"}"#
                : #"{"error":{"message":"failure \#(code) for \#(echoed)","type":"server_error"}}"#
            return Reply(status: code, body: Data(body.utf8))
        case .tooManyRequests(let seconds):
            return Reply(status: 429, headers: [("Content-Type", "application/json"), ("Retry-After", "\(seconds)")],
                         body: Data(#"{"error":{"message":"slow down"}}"#.utf8))
        case .wrongDimension:
            vectors = texts.map { Self.vector(for: $0, dimension: dimension + 3) }
        case .wrongCount:
            vectors = Array(vectors.dropLast())
        case .mixedDimensions:
            if !vectors.isEmpty { vectors[0].append(0.5) }
        case .malformedJSON:
            let full = render(vectors, ollama: ollama, mode: .normal)
            return Reply(body: full.prefix(full.count / 2))
        case .html:
            return Reply(headers: [("Content-Type", "text/html; charset=utf-8")],
                         body: Data("<!DOCTYPE html><html><body>Welcome to the dashboard</body></html>".utf8))
        case .nonFinite:
            // The first number of the first vector becomes NaN.
            var text = Array(String(decoding: render(vectors, ollama: ollama, mode: .normal), as: UTF8.self))
            if let open = text.indices.first(where: { text[$0] == "[" && text.indices.contains($0 + 1)
                                                    && (text[$0 + 1] == "-" || text[$0 + 1].isNumber) }),
               let end = text[(open + 1)...].firstIndex(where: { $0 == "," || $0 == "]" }) {
                text.replaceSubrange((open + 1)..<end, with: Array("NaN"))
            }
            let body = String(text)
            return Reply(body: Data(body.utf8))
        case .closeWithoutAnswer:
            return Reply(close: true)
        }
        var answer = Reply(body: render(vectors, ollama: ollama, mode: mode))
        if case .slow(let seconds) = mode { answer.delay = seconds }
        return answer
    }

    private func render(_ vectors: [[Float]], ollama: Bool, mode: Mode) -> Data {
        func numbers(_ vector: [Float]) -> String { "[" + vector.map { "\($0)" }.joined(separator: ", ") + "]" }
        if ollama {
            let list = vectors.map(numbers).joined(separator: ",")
            return Data(#"{"model":"fake","embeddings":[\#(list)],"total_duration":1234}"#.utf8)
        }
        var items = vectors.enumerated().map { index, vector -> String in
            let embedding: String
            if mode == .base64 {
                var data = Data()
                for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
                embedding = "\"\(data.base64EncodedString())\""
            } else {
                embedding = numbers(vector)
            }
            return #"{"object":"embedding","index":\#(index),"embedding":\#(embedding)}"#
        }
        if mode == .shuffled { items.reverse() }
        let body = #"{"object":"list","data":[\#(items.joined(separator: ","))],"model":"fake","usage":{"prompt_tokens":3,"total_tokens":3}}"#
        return Data(body.utf8)
    }
}

extension LoopbackHTTPServer.Request {
    /// The texts of an embeddings request (`input`).
    var inputs: [String] { json?["input"] as? [String] ?? [] }
}
