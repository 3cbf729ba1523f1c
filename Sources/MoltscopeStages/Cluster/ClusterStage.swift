import MoltscopeCore

/// Stage 4: topic clusters of all documents (k-means with a silhouette scan, or HDBSCAN) with
/// keywords, central examples and a 2-D map; submolt communities; per-submolt templates
/// (X-Means); and quality metrics kept for every run. It reads only stored vectors and texts:
/// rerunning it never touches the model server.
public actor ClusterStage: PipelineStage {
    public static let descriptor = StageDescriptor(
        name: "cluster", version: 1, upstream: ["embed"], inputTables: ["documents", "embeddings"],
        outputTables: ClusterSchema.outputTables, configKeys: ClusterKeys.all, migrations: ClusterSchema.migrations,
        outputFingerprint: { db in
            // The current results, not the kept history of runs.
            try StageDescriptor.tableFingerprint(db, tables: ClusterSchema.currentTables)
        },
        make: { context in ClusterStage(context: context) })

    private let context: StageContext

    init(context: StageContext) {
        self.context = context
    }

    public func run(mode: StageMode) async throws -> StageReport {
        try await ClusterRun(context: context, settings: ClusterSettings(config: context.config)).run(mode: mode)
    }
}
