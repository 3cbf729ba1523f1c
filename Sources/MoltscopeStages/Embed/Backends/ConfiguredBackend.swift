import MoltbookAPI
import MoltscopeCore

/// The embedding backend the `[embed]` section configures: a server at `embed.url`, a pool over
/// the servers of `embed.urls`, or a managed local server started for the duration of `body`
/// and always stopped. Every stage that needs vectors (embed; toxicity-label for its annotated
/// set and label descriptions) goes through it.
enum ConfiguredBackend {
    static func with<T>(_ context: StageContext, model: String, isolation: isolated (any Actor)? = #isolation,
                        _ body: (any EmbeddingBackend) async throws -> T) async throws -> T {
        let config = context.config
        let api = config.string("embed.api") ?? "openai"
        switch try EmbedServers.from(config) {
        case .single(let url):
            return try await body(make(context, api: api, url: url, model: model))
        case .pool(let urls):
            let servers = urls.map { EmbeddingPool.Server(url: $0, backend: make(context, api: api, url: $0, model: model)) }
            let cooldown = PoolCooldown(base: config.double("embed.pool_cooldown_seconds"))
            return try await body(EmbeddingPool(servers: servers, cooldown: cooldown, logger: context.logger))
        case .managed:
            let command = config.string("embed.server.command") ?? EmbedKeys.defaultServerCommand
            let server = ManagedModelServer(command: command, healthTimeout: config.double("embed.server.health_timeout_seconds"),
                                            logger: context.logger)
            defer { server.stop() }
            let base = try await server.start()
            let path = api == "ollama" ? "/api/embed" : "/v1/embeddings"
            return try await body(make(context, api: api, url: base + path, model: model))
        }
    }

    private static func make(_ context: StageContext, api: String, url: String, model: String) -> any EmbeddingBackend {
        let config = context.config
        let retry = RetryPolicy(maxAttempts: config.int("embed.max_attempts"), baseDelay: 0.5, maxDelay: 20)
        let http = CurlHTTPClient(maxConcurrentRequests: EmbedServers.concurrency(config))
        let timeout = config.double("embed.timeout_seconds")
        if api == "ollama" {
            return OllamaEmbeddingBackend(url: url, model: model, timeout: timeout, retry: retry, http: http)
        }
        let token = context.environment[config.string("embed.token_env") ?? "EMBED_API_KEY"]
        return OpenAIEmbeddingBackend(url: url, model: model, token: token, timeout: timeout, retry: retry, http: http)
    }
}
