/// How `ChatLabeller` talks to an OpenAI-compatible `/v1/chat/completions` endpoint
/// (vLLM, llama.cpp's server, Ollama's OpenAI API, LM Studio, OpenAI). Mirrors the `toxicity_label.llm.*`
/// configuration keys.
public struct ChatLabellerSettings: Sendable, Equatable {
    /// How the server is asked to keep its answer to JSON.
    public enum JSONMode: String, Sendable, Equatable, CaseIterable {
        /// `response_format: {"type": "json_schema", "json_schema": {name, strict: true, schema}}`:
        /// constrained decoding where supported (vLLM, llama.cpp, OpenAI), the safest.
        case schema
        /// `response_format: {"type": "json_object"}`: any JSON object; the parser checks the shape.
        case object
        /// No `response_format` at all, for servers that reject it; the prompt alone asks for JSON.
        case none
    }

    /// The full endpoint, e.g. http://127.0.0.1:8080/v1/chat/completions (`toxicity_label.llm.url`).
    public var url: String
    /// The model name sent in each request (`toxicity_label.llm.model`).
    public var model: String
    /// Sent as `Authorization: Bearer`; never appears in errors, logs or `summary`.
    public var token: String?
    /// Documents labelled per request; 1 is allowed (slowest, most robust).
    public var documentsPerRequest: Int
    /// Requests in flight at once. The HTTP client needs at least this many connections.
    public var concurrency: Int
    /// Attempts per request, the first included, for server errors and invalid answers alike.
    public var maxAttempts: Int
    /// Seconds per request (the whole answer).
    public var timeout: Double
    /// 0 for reproducible labels.
    public var temperature: Double
    /// `max_tokens` of each request; nil leaves the server's default (reasoning models need room).
    public var maxTokens: Int?
    public var jsonMode: JSONMode
    /// Backoff between retries of failed HTTP requests, seconds (jittered exponential).
    public var retryBaseDelay: Double
    public var retryMaxDelay: Double

    public init(url: String, model: String, token: String? = nil, documentsPerRequest: Int = 8,
                concurrency: Int = 2, maxAttempts: Int = 3, timeout: Double = 120, temperature: Double = 0,
                maxTokens: Int? = nil, jsonMode: JSONMode = .schema,
                retryBaseDelay: Double = 0.5, retryMaxDelay: Double = 20) {
        self.url = url
        self.model = model
        self.token = token
        self.documentsPerRequest = documentsPerRequest
        self.concurrency = concurrency
        self.maxAttempts = maxAttempts
        self.timeout = timeout
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.jsonMode = jsonMode
        self.retryBaseDelay = retryBaseDelay
        self.retryMaxDelay = retryMaxDelay
    }

    /// Out-of-range numbers clamped to what works (a batch of 0 would never finish).
    var normalized: ChatLabellerSettings {
        var settings = self
        settings.documentsPerRequest = max(1, documentsPerRequest)
        settings.concurrency = max(1, concurrency)
        settings.maxAttempts = max(1, maxAttempts)
        settings.timeout = timeout > 0 && timeout.isFinite ? timeout : 120
        settings.temperature = temperature.isFinite ? max(0, temperature) : 0
        settings.maxTokens = maxTokens.flatMap { $0 > 0 ? $0 : nil }
        settings.token = token.flatMap { $0.isEmpty ? nil : $0 }
        return settings
    }
}
