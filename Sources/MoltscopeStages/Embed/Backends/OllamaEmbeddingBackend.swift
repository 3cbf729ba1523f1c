import Foundation
import Logging
import MoltbookAPI
import MoltscopeCore

/// Ollama's batch endpoint: POST /api/embed `{"model", "input": [texts]}` ->
/// `{"model", "embeddings": [[...], ...]}`, in input order.
///
/// Ollama returns unit-length vectors; they are passed on as they come, like any backend's.
public struct OllamaEmbeddingBackend: EmbeddingBackend {
    public let model: String
    private let transport: EmbeddingTransport

    /// - Parameters:
    ///   - url: the full endpoint, e.g. http://127.0.0.1:11434/api/embed.
    ///   - timeout: seconds per request (a whole batch; the first one also loads the model).
    ///   - expectedDimension: when set, vectors of another length fail with `wrongDimension`.
    ///   - logger: retries are logged at debug level.
    public init(url: String, model: String, timeout: Double, retry: RetryPolicy, http: any HTTPClient,
                expectedDimension: Int? = nil, logger: Logger? = nil) {
        self.model = model
        transport = EmbeddingTransport(backend: "Ollama", url: url, token: nil, timeout: timeout, retry: retry,
                                       http: http, expectedDimension: expectedDimension, logger: logger)
    }

    public var summary: String { "Ollama \(transport.displayURL) (model \(model))" }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let body = EmbeddingTransport.requestBody(model: model, inputKey: "input", texts: texts)
        return try await transport.post(body, count: texts.count) { data in
            try Self.parse(data)
        }
    }

    static func parse(_ data: Data) throws -> [[Float]] {
        try EmbeddingJSONScanner.scan(data) { scanner in
            guard scanner.peek() == UInt8(ascii: "{") else {
                try scanner.skipValue()
                throw EmbeddingParseFailure.shape("expected an object with \"embeddings\"")
            }
            var vectors: [[Float]]?
            var serverError: String?
            try scanner.object { scanner, key in
                if scanner.matches(key, "embeddings") {
                    guard scanner.peek() == UInt8(ascii: "[") else {
                        try scanner.skipValue()
                        throw EmbeddingParseFailure.shape("\"embeddings\" is not an array")
                    }
                    var list: [[Float]] = []
                    var capacity = 1024
                    try scanner.array { scanner, position in
                        guard scanner.peek() == UInt8(ascii: "[") else {
                            try scanner.skipValue()
                            throw EmbeddingParseFailure.shape("embeddings[\(position)] is not an array of numbers")
                        }
                        let vector = try scanner.floatArray(capacity: capacity)
                        capacity = vector.count
                        list.append(vector)
                    }
                    vectors = list
                } else if scanner.matches(key, "error") {
                    serverError = try OpenAIEmbeddingBackend.errorText(&scanner)
                } else {
                    try scanner.skipValue()
                }
            }
            guard let vectors else {
                throw EmbeddingParseFailure.shape(serverError.map { "no \"embeddings\"; the server says: \($0)" }
                                                  ?? "no \"embeddings\" member (is this /api/embed?)")
            }
            return vectors
        }
    }
}
