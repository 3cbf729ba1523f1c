import Foundation
import GRDB
import Logging
import MoltbookAPI
import MoltscopeCore

/// Stage 3: a vector for every kept document, from a local model server over HTTP, cached per
/// (model, text); then flooding seen through those vectors, beside the shingle-based kind.
public actor EmbedStage: PipelineStage {
    public static let descriptor = StageDescriptor(
        name: "embed", version: 1, upstream: ["clean"], inputTables: ["documents"],
        outputTables: EmbedSchema.outputTables, configKeys: EmbedKeys.all, migrations: EmbedSchema.migrations,
        make: { context in EmbedStage(context: context) })

    private let context: StageContext

    init(context: StageContext) {
        self.context = context
    }

    /// Both modes embed only texts without a vector for the model (vectors depend on nothing
    /// but model and text), then recompute the flood tables in one transaction.
    public func run(mode: StageMode) async throws -> StageReport {
        let config = context.config
        let model = config.string("embed.model") ?? "multilingual-e5-small-q4"
        let missing = try await MissingVectors.count(in: context.store, model: model)
        var report = StageReport(note: "every text already has a \(model) vector (no server call)")
        if missing > 0 {
            report = try await withBackend(model: model) { backend in
                try await MissingVectors(context: context, backend: backend, model: model,
                                         batchSize: config.int("embed.batch_size"),
                                         concurrency: config.int("embed.concurrency")).run(missing: missing)
            }
        }
        let events = try await EmbeddingFloods(context: context, model: model,
                                               threshold: Float(config.double("embed.flood_cosine")),
                                               gapSeconds: config.double("embed.flood_gap_seconds")).run()
        report.note = [report.note, "\(events) flood events by embedding"].compactMap { $0 }.joined(separator: "; ")
        return report
    }

    /// Runs `body` with the configured backend, starting and always stopping a managed server
    /// when no URL is set.
    private func withBackend(model: String, _ body: (any EmbeddingBackend) async throws -> StageReport) async throws -> StageReport {
        let config = context.config
        let api = config.string("embed.api") ?? "openai"
        if let url = config.string("embed.url") {
            return try await body(makeBackend(api: api, url: url, model: model))
        }
        let command = config.string("embed.server.command") ?? EmbedKeys.defaultServerCommand
        let server = ManagedModelServer(command: command, healthTimeout: config.double("embed.server.health_timeout_seconds"),
                                        logger: context.logger)
        defer { server.stop() }
        let base = try await server.start()
        let path = api == "ollama" ? "/api/embed" : "/v1/embeddings"
        return try await body(makeBackend(api: api, url: base + path, model: model))
    }

    private func makeBackend(api: String, url: String, model: String) -> any EmbeddingBackend {
        let config = context.config
        let retry = RetryPolicy(maxAttempts: config.int("embed.max_attempts"), baseDelay: 0.5, maxDelay: 20)
        let http = CurlHTTPClient(maxConcurrentRequests: config.int("embed.concurrency"))
        let timeout = config.double("embed.timeout_seconds")
        if api == "ollama" {
            return OllamaEmbeddingBackend(url: url, model: model, timeout: timeout, retry: retry, http: http)
        }
        let token = context.environment[config.string("embed.token_env") ?? "EMBED_API_KEY"]
        return OpenAIEmbeddingBackend(url: url, model: model, token: token, timeout: timeout, retry: retry, http: http)
    }
}
