import Foundation
import MoltscopeCore
import MoltscopeNumerics

/// A fast stand-in model server on 127.0.0.1 speaking OpenAI's `POST /v1/embeddings`: every text
/// gets `HashedWordVectors` (hashed word counts, no language model), computed on the connection's
/// own thread, so one connection per client slot serves requests in parallel. It lets scale runs
/// and benchmarks push millions of texts through the real HTTP client and embed stage in minutes.
/// `GET /health` answers 200, so `embed.server.command` can start it like a real server.
public final class HashedEmbeddingServer: Sendable {
    public let dimensions: Int
    public let model: String
    /// Each answer waits this long first: a slower server, for tests and benchmarks.
    public let delayMilliseconds: Int
    private let requestedPort: Int
    private let running = Locked<HTTPServer?>(nil)
    private let served = Locked(0)

    /// Bodies up to 64 MB: a batch of 256 texts cut at 2,000 characters is about 2 MB.
    static let maxBodyBytes = 64 << 20

    public init(dimensions: Int = 384, model: String = "hashed-words-384", port: Int = 0, delayMilliseconds: Int = 0) throws {
        guard (1...65_536).contains(dimensions) else {
            throw MoltscopeError(.usage, "dimensions \(dimensions) is out of range", remedy: "use 1 to 65536 (384 is e5-small's)")
        }
        guard (0...65535).contains(port) else {
            throw MoltscopeError(.usage, "port \(port) is out of range", remedy: "use 1 to 65535, or 0 for any free port")
        }
        self.dimensions = dimensions
        self.model = model
        self.delayMilliseconds = max(0, delayMilliseconds)
        requestedPort = port
    }

    /// Starts serving; returns the bound port.
    public func start() throws -> Int {
        let server = HTTPServer(maxBodyBytes: Self.maxBodyBytes) { [self] request in
            served.withLock { $0 += 1 }
            return ReplayOutcome(response: answer(request), delayMilliseconds: request.path == "/v1/embeddings" ? delayMilliseconds : 0)
        }
        let port = try server.start(port: requestedPort)
        running.withLock { $0 = server }
        return port
    }

    public func stop() {
        running.withLock { server in
            server?.stop()
            server = nil
        }
    }

    /// Requests answered so far.
    public var requestCount: Int { served.withLock { $0 } }

    func answer(_ request: ReplayRequest) -> ReplayResponse {
        switch (request.method, request.path) {
        case ("GET", "/health"), ("GET", "/v1/models"):
            return ReplayResponse(json: .object([JSONMember("object", .string("list")),
                                                 JSONMember("data", .array([.object([JSONMember("id", .string(model))])]))]))
        case ("POST", "/v1/embeddings"):
            return embeddings(request.body)
        case (_, "/v1/embeddings"):
            return Self.error(405, "use POST for /v1/embeddings")
        default:
            return Self.error(404, "no route \(request.path); this server answers POST /v1/embeddings")
        }
    }

    private func embeddings(_ body: [UInt8]) -> ReplayResponse {
        let texts: [String]
        do {
            let json = try JSONParser.parse(body)
            switch json["input"] {
            case .string(let text)?: texts = [text]
            case .array(let items)?:
                let strings = items.compactMap(\.stringValue)
                guard strings.count == items.count else { return Self.error(400, "every input must be a string") }
                texts = strings
            default: return Self.error(400, "the body needs \"input\": a string or an array of strings")
            }
        } catch {
            return Self.error(400, "the body is not JSON: \(error)")
        }
        return ReplayResponse(status: 200, contentType: "application/json", body: encode(texts))
    }

    /// The OpenAI answer, written directly (a batch of 64 vectors is 25,000 numbers).
    private func encode(_ texts: [String]) -> [UInt8] {
        var out = ""
        out.reserveCapacity(texts.count * dimensions * 12 + 200)
        out += "{\"object\":\"list\",\"data\":["
        var words = 0
        for (index, text) in texts.enumerated() {
            if index > 0 { out += "," }
            out += "{\"object\":\"embedding\",\"index\":\(index),\"embedding\":["
            for (position, value) in HashedWordVectors.embed(text, dimensions: dimensions).enumerated() {
                if position > 0 { out += "," }
                out += value.description
            }
            out += "]}"
            words += text.split(whereSeparator: \.isWhitespace).count
        }
        out += "],\"model\":\"\(model)\",\"usage\":{\"prompt_tokens\":\(words),\"total_tokens\":\(words)}}"
        return Array(out.utf8)
    }

    private static func error(_ status: Int, _ message: String) -> ReplayResponse {
        ReplayResponse(status: status, json: .object([JSONMember("error", .object([
            JSONMember("message", .string(message)), JSONMember("type", .string("invalid_request_error")),
        ]))]))
    }
}
