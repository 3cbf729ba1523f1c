import Foundation
import GRDB
import MoltbookAPI
import MoltscopeCore

/// Stage 1: fetches posts, comments, agents and submolts from the API, a replay server or a
/// capture file into normalized tables, keeping every raw response.
public actor CrawlStage: PipelineStage {
    public static let descriptor = StageDescriptor(
        name: "crawl", version: 1, upstream: [], inputTables: [], outputTables: CrawlSchema.outputTables,
        configKeys: CrawlKeys.all, readsOutside: true, migrations: CrawlSchema.migrations,
        outputFingerprint: { db in
            // Listing pages and the frontier change on every crawl; what later stages read changes
            // only when posts, comments, agents or submolts do.
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT count(*) || ':' || coalesce(max(rowid), 0) || ':' || coalesce(max(fetched_at), '')
                               || ':' || coalesce(sum(comments_fetched), 0) FROM posts),
                       (SELECT count(*) || ':' || coalesce(max(rowid), 0) || ':' || coalesce(max(fetched_at), '') FROM comments),
                       (SELECT count(*) || ':' || coalesce(max(last_seen_at), '') FROM agents),
                       (SELECT count(*) || ':' || coalesce(max(last_seen_at), '') FROM submolts)
                """)
            return Fingerprint.of((0..<4).map { row?[$0] as String? ?? "" })
        },
        make: { context in CrawlStage(context: context) })

    private let context: StageContext

    init(context: StageContext) {
        self.context = context
    }

    public func run(mode: StageMode) async throws -> StageReport {
        if mode == .rebuild { return try await RawRebuild(context: context).run() }
        let config = context.config
        switch (config.string("crawl.base_url"), config.string("crawl.capture")) {
        case (nil, let capture?):
            return try await CaptureSource(path: capture, context: context).crawl()
        case (let baseURL?, nil):
            return try await HTTPCrawler(client: try makeClient(baseURL: baseURL), context: context,
                                         settings: httpSettings()).crawl()
        case (nil, nil):
            throw MoltscopeError(.config, "\(config.sourcePath ?? "config"): crawl needs crawl.base_url or crawl.capture",
                                 remedy: "set one (see pipelines/sample.toml and pipelines/live.toml)")
        case (_?, _?):
            throw MoltscopeError(.config, "\(config.sourcePath ?? "config"): crawl.base_url and crawl.capture are both set",
                                 remedy: "keep one: HTTP or a capture file")
        }
    }

    private func httpSettings() -> HTTPCrawler.Settings {
        let config = context.config
        return HTTPCrawler.Settings(
            sort: config.string("crawl.sort") ?? "new", pageSize: config.int("crawl.page_size"),
            maxPosts: config.int("crawl.max_posts"), relistAll: config.string("crawl.relist") != "until_known",
            concurrency: config.int("crawl.concurrency"), submolts: config.bool("crawl.submolts"),
            agentProfiles: config.string("crawl.agent_profiles") == "missing")
    }

    private func makeClient(baseURL: String) throws -> MoltbookClient {
        let config = context.config
        if let host = URL(string: baseURL)?.host?.lowercased(), host == "moltbook.com" {
            throw MoltscopeError(.config, "crawl.base_url uses the bare host moltbook.com, which redirects and drops the API key",
                                 remedy: "use https://www.moltbook.com/api/v1")
        }
        let tokenVariable = config.string("crawl.token_env") ?? "MOLTBOOK_API_KEY"
        let token = config.string("crawl.token") ?? context.environment[tokenVariable]
        if token == nil, URL(string: baseURL)?.host?.lowercased().hasSuffix("moltbook.com") == true {
            throw MoltscopeError(.config, "no API key: the environment variable \(tokenVariable) is not set",
                                 remedy: "export \(tokenVariable)=moltbook_sk_... (or set crawl.token_env)")
        }
        let concurrency = config.int("crawl.concurrency")
        let settings = MoltbookClient.Settings(
            baseURL: baseURL, token: token, timeout: config.double("crawl.timeout_seconds"),
            retry: RetryPolicy(maxAttempts: config.int("crawl.max_attempts"),
                               baseDelay: config.double("crawl.backoff_base_seconds"),
                               maxDelay: config.double("crawl.backoff_max_seconds")))
        return MoltbookClient(settings: settings, http: CurlHTTPClient(maxConcurrentRequests: concurrency + 1),
                              limiter: TokenBucket(perMinute: Double(config.int("crawl.rate_limit_per_minute")),
                                                   burst: max(concurrency, 1)),
                              logger: context.logger)
    }
}
