import GRDB
import MoltscopeCore

/// Stage 2: turns every post and comment into one cleaned document to embed (normalized text,
/// language, length, content hash), groups exact and near duplicates, finds floods, computes
/// per-agent activity and burstiness, and marks documents the configured rules drop (never
/// deleting them). Both modes recompute everything and replace the outputs atomically.
public actor CleanStage: PipelineStage {
    public static let descriptor = StageDescriptor(
        name: "clean", version: 1, upstream: ["crawl"], inputTables: ["posts", "comments"],
        outputTables: CleanSchema.outputTables, configKeys: CleanKeys.all, migrations: CleanSchema.migrations,
        outputFingerprint: { db in
            // The digest of the rows the last run wrote, stored with them in one transaction.
            if let digest = try Checkpoints(stage: "clean").get(db, CleanWriter.digestKey) { return digest }
            return try StageDescriptor.tableFingerprint(db, tables: CleanSchema.outputTables)
        },
        make: { context in CleanStage(context: context) })

    private let context: StageContext

    init(context: StageContext) {
        self.context = context
    }

    public func run(mode: StageMode) async throws -> StageReport {
        let settings = try CleanSettings(config: context.config)
        return try await CleanRun(context: context, settings: settings).run()
    }
}
