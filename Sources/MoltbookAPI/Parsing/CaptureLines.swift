import Foundation

/// One line of a capture file: `{"endpoint":"/posts/ID","fetched_at":"...","status":200,"body":{...}}`.
public struct CaptureRecord: Sendable {
    public var endpoint: String
    public var fetchedAt: APITimestamp
    public var status: Int
    /// The post and its comments; nil when the status is not 200 or the body is an error.
    public var detail: PostDetail?
    /// The body's error, when it is one (of either era).
    public var error: APIErrorBody?

    public init(endpoint: String, fetchedAt: APITimestamp, status: Int, detail: PostDetail?, error: APIErrorBody?) {
        self.endpoint = endpoint
        self.fetchedAt = fetchedAt
        self.status = status
        self.detail = detail
        self.error = error
    }
}

extension MoltbookParser {
    /// Reads one capture line; the body is parsed once, with the line.
    public static func captureLine(_ data: Data) throws -> CaptureRecord {
        let value: Any
        do {
            value = try jsonValue(data)
        } catch let error as ParseError {
            throw ParseError("capture line: \(error.reason)")
        }
        guard let line = value as? JSONObject else {
            throw ParseError("capture line is \(jsonKind(value)), expected an object")
        }
        guard let endpoint = line.string(.endpoint) else { throw ParseError("capture line has no `endpoint`") }
        guard let status = Lenient.int(line.value(.status)).value else {
            throw ParseError("capture line for \(endpoint) has no numeric `status`")
        }
        guard let body = line.value(.body) else { throw ParseError("capture line for \(endpoint) has no `body`") }

        let error = (body as? JSONObject).flatMap { errorBody(object: $0) }
        var detail: PostDetail?
        if status == 200, error == nil {
            do {
                detail = try postDetail(object: body)
            } catch let problem as ParseError {
                throw ParseError("capture line for \(endpoint): \(problem.reason)")
            }
        }
        return CaptureRecord(endpoint: endpoint, fetchedAt: timestamp(line.string(.fetchedAt)), status: status,
                             detail: detail, error: error)
    }
}
