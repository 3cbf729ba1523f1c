import Foundation
import Logging
import MoltscopeCore

/// A response body as fetched, before parsing: kept (compressed) in `raw_responses`.
public struct RawResponse: Sendable {
    /// The URL without any secret (the token travels in a header, never in the URL).
    public var url: String
    public var status: Int
    public var contentType: String?
    public var body: Data
    public var fetchedAt: String

    public init(url: String, status: Int, contentType: String?, body: Data, fetchedAt: String) {
        self.url = url
        self.status = status
        self.contentType = contentType
        self.body = body
        self.fetchedAt = fetchedAt
    }
}

/// The Moltbook REST API over an `HTTPClient`: rate limit, retries with backoff, and checks
/// that an answer is JSON before it is parsed.
public struct MoltbookClient: Sendable {
    public struct Settings: Sendable {
        public var baseURL: String
        public var token: String?
        public var timeout: Double
        public var retry: RetryPolicy
        public var userAgent: String

        public init(baseURL: String, token: String?, timeout: Double, retry: RetryPolicy,
                    userAgent: String = "moltscope/\(MoltscopeVersion.string)") {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.token = token
            self.timeout = timeout
            self.retry = retry
            self.userAgent = userAgent
        }
    }

    public struct Fetched<Value: Sendable>: Sendable {
        public var value: Value
        public var raw: RawResponse
    }

    public let settings: Settings
    private let http: any HTTPClient
    private let limiter: TokenBucket
    private let logger: Logger

    public init(settings: Settings, http: any HTTPClient, limiter: TokenBucket, logger: Logger) {
        self.settings = settings
        self.http = http
        self.limiter = limiter
        self.logger = logger
    }

    // MARK: Endpoints

    public func listPosts(sort: String, limit: Int, offset: Int?, cursor: String?) async throws -> Fetched<PostPage> {
        var query = [("sort", sort), ("limit", String(limit))]
        if let cursor { query.append(("cursor", cursor)) } else if let offset { query.append(("offset", String(offset))) }
        return try await fetch("/posts", query: query, parse: MoltbookParser.postPage)
    }

    public func postDetail(id: String) async throws -> Fetched<PostDetail> {
        try await fetch("/posts/\(Self.escape(id))", query: [], parse: MoltbookParser.postDetail)
    }

    public func comments(postId: String) async throws -> Fetched<[APIComment]> {
        try await fetch("/posts/\(Self.escape(postId))/comments", query: [("sort", "new")]) { data in
            try MoltbookParser.comments(data, postId: postId)
        }
    }

    public func submolts(limit: Int, offset: Int) async throws -> Fetched<SubmoltPage> {
        try await fetch("/submolts", query: [("limit", String(limit)), ("offset", String(offset))],
                        parse: MoltbookParser.submoltPage)
    }

    public func agentProfile(name: String) async throws -> Fetched<APIAgent> {
        try await fetch("/agents/profile", query: [("name", name)], parse: MoltbookParser.agentProfile)
    }

    // MARK: Transport

    /// GETs a path, retrying what is worth retrying, and parses the JSON answer.
    public func fetch<Value: Sendable>(_ path: String, query: [(String, String)],
                                       parse: (Data) throws -> Value) async throws -> Fetched<Value> {
        let url = settings.baseURL + path + Self.queryString(query)
        var headers = [(name: "Accept", value: "application/json"), (name: "User-Agent", value: settings.userAgent)]
        if let token = settings.token, !token.isEmpty { headers.append((name: "Authorization", value: "Bearer \(token)")) }
        let request = HTTPRequest(method: .get, url: url, headers: headers, timeout: settings.timeout)

        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            try await limiter.acquire()
            switch try await attemptOnce(request, attempt: attempt, parse: parse) {
            case .success(let fetched):
                return fetched
            case .retry(let failure, let retryAfter):
                guard attempt < settings.retry.maxAttempts else { throw failure }
                let delay = max(retryAfter ?? 0, settings.retry.delay(afterAttempt: attempt - 1))
                logger.debug("retrying", metadata: ["url": .string(url), "attempt": "\(attempt)",
                                                    "reason": .string(failure.description),
                                                    "delay_s": .string(String(format: "%.2f", delay))])
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            }
        }
    }

    private enum Attempt<Value: Sendable> {
        case success(Fetched<Value>)
        /// Worth another try (429, 5xx, outage symptoms), after at least `retryAfter` seconds.
        case retry(APIRequestError, retryAfter: Double?)
    }

    /// One request: a parsed answer, a retryable failure, or a thrown final failure.
    private func attemptOnce<Value: Sendable>(_ request: HTTPRequest, attempt: Int,
                                              parse: (Data) throws -> Value) async throws -> Attempt<Value> {
        let url = request.url
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch let error as TransportError {
            if error.reason == .cancelled { throw CancellationError() }
            return .retry(APIRequestError(kind: .transport(error.reason), url: url, detail: error.message, attempts: attempt),
                          retryAfter: nil)
        }
        // A server may echo the key in a successful answer too (a debug field, a post quoting it):
        // it is cut before the body is stored or parsed, so no table ever holds it.
        let body = settings.token.map { SecretRedaction.redact(response.body, secret: $0) } ?? response.body
        let raw = RawResponse(url: url, status: response.status, contentType: response.contentType,
                              body: body, fetchedAt: Clock.now())
        let isJSON = Self.looksLikeJSON(response)
        if response.status == 200 && isJSON {
            do {
                return .success(Fetched(value: try parse(body), raw: raw))
            } catch let error as ParseError {
                let failure = APIRequestError(kind: .malformed, url: url, detail: redacted(error.reason), attempts: attempt)
                // A cut-off body is an outage symptom (retry); a wrong shape is not.
                let truncated = error.reason.contains("truncated") || error.reason.contains("not valid JSON")
                if truncated { return .retry(failure, retryAfter: nil) }
                throw failure
            }
        }
        if response.status == 200 {
            // An HTML page with 200 is a maintenance or captive page: try again later.
            return .retry(APIRequestError(kind: .notJSON, url: url,
                                          detail: response.contentType ?? "a body without Content-Type", attempts: attempt),
                          retryAfter: nil)
        }
        let error = MoltbookParser.errorBody(body)
        // Servers echo requests back in error bodies; the token must not reach a message or the errors table.
        let detail = redacted(error?.message ?? (isJSON ? Self.excerpt(body) : "an HTML page"))
        let failure = APIRequestError(kind: !isJSON && response.status == 404 ? .notJSON : .status(response.status),
                                      url: url, detail: detail, attempts: attempt)
        guard response.status == 429 || response.status == 408 || response.status >= 500 else { throw failure }
        let retryAfter = error?.retryAfterSeconds ?? response.headers["retry-after"].flatMap(Double.init)
        if response.status == 429 { await limiter.pause(seconds: retryAfter ?? settings.retry.baseDelay) }
        return .retry(failure, retryAfter: retryAfter)
    }

    /// `text` without the API key, also when cut to a few characters of it.
    private func redacted(_ text: String) -> String {
        guard let token = settings.token, token.count >= 4 else { return text }
        return SecretRedaction.redact(text, secret: token)
    }

    private static func looksLikeJSON(_ response: HTTPResponse) -> Bool {
        if let type = response.contentType?.lowercased() { return type.contains("json") }
        // No Content-Type: judge by the first byte.
        return response.body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }).map {
            $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[")
        } ?? false
    }

    private static func excerpt(_ data: Data) -> String {
        String(decoding: data.prefix(120), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
    }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? segment
    }

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))
        return "?" + query.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }
}
