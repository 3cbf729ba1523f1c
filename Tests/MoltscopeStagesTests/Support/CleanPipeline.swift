import Foundation
import GRDB
import Logging
import MoltscopeCore
@testable import MoltscopeStages

/// Runs crawl and clean on a capture in a temporary database, as the command line would.
struct CleanPipeline {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // file, Support, MoltscopeStagesTests, Tests
        return url
    }()

    static var sampleCapture: String { repositoryRoot.appendingPathComponent("data/sample-posts.jsonl.gz").path }

    /// The real capture in ../shared, when this checkout has it beside it.
    static var sharedCapture: String? {
        let path = repositoryRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/data/moltbook-2026-01-posts.jsonl.gz").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static let registry = StageRegistry([CrawlStage.descriptor, CleanStage.descriptor])

    let directory: URL
    let db: String
    let capture: String
    /// The stages this pipeline knows (crawl and clean unless a test needs more).
    let stages: StageRegistry

    init(capture: String = CleanPipeline.sampleCapture, stages: StageRegistry = CleanPipeline.registry,
         name: String = #function) throws {
        self.stages = stages
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("moltscope-clean-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        db = directory.appendingPathComponent("results.sqlite").path
        self.capture = capture
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func config(_ overrides: [String] = []) throws -> PipelineConfig {
        try PipelineConfig(path: nil, overrides: ["crawl.capture=\(capture)", "run.db=\(db)"] + overrides,
                           schema: stages.configSchema)
    }

    func store() throws -> ResultsStore {
        try ResultsStore(path: db, migrations: stages.migrations)
    }

    @discardableResult
    func run(_ overrides: [String] = [], plan: PipelineRunner.Plan = .pipeline(stages: nil)) async throws
        -> [PipelineRunner.Outcome] {
        let runner = PipelineRunner(registry: stages, store: try store(), config: try config(overrides),
                                    logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
                                    outputMode: .quiet, environment: [:])
        return try await runner.run(command: "test", plan: plan)
    }

    func int(_ sql: String) throws -> Int {
        try DatabaseQueue(path: db).read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    func double(_ sql: String) throws -> Double? {
        try DatabaseQueue(path: db).read { db in try Double.fetchOne(db, sql: sql) }
    }

    func strings(_ sql: String) throws -> [String] {
        try DatabaseQueue(path: db).read { db in try String.fetchAll(db, sql: sql) }
    }

    func doubles(_ sql: String) throws -> [Double] {
        try DatabaseQueue(path: db).read { db in try Double.fetchAll(db, sql: sql) }
    }

    func freshness(_ stage: String, _ overrides: [String] = []) throws -> StageState.Freshness {
        let config = try config(overrides)
        return try DatabaseQueue(path: db).read { db in
            try StageState.read(db, stage: try stages.descriptor(stage), registry: stages, config: config).freshness
        }
    }

    /// A digest of every output row, to compare two runs.
    func outputDigest() throws -> String {
        try DatabaseQueue(path: db).read { db in
            var digest = OutputDigest()
            for sql in [
                """
                SELECT id, kind, post_id, coalesce(parent_id, ''), coalesce(author_id, ''), coalesce(submolt, ''),
                       coalesce(created_at, ''), text, language, length, original_length, truncated, content_hash,
                       coalesce(exact_group, 0), coalesce(near_group, 0), coalesce(flood_event, 0), status,
                       coalesce(drop_reason, '') FROM documents ORDER BY id
                """,
                "SELECT group_id, method, size, distinct_authors, first_document_id, sample_text FROM duplicate_groups ORDER BY method, group_id",
                "SELECT id, author_id, near_group, documents, first_at, last_at, max_gap_seconds FROM flood_events ORDER BY id",
                """
                SELECT author_id, posts, comments, documents, duplicate_share, flood_events, coalesce(burstiness, -1),
                       coalesce(mean_gap_seconds, -1) FROM agent_activity ORDER BY author_id
                """,
            ] {
                let rows = try Row.fetchCursor(db, sql: sql)
                while let row = try rows.next() { digest.add(row.databaseValues.map { "\($0)" }) }
            }
            return digest.hex
        }
    }
}
