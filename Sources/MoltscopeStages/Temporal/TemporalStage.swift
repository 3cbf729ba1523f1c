import MoltscopeCore

/// Stage 6: how the society changes over time and how it is wired. Per time bucket (hours and
/// days by default): volume, newcomers, the topic mix and its entropy, harm and its
/// correlation with volume, attention inequality, the semantic centroid's movement and spread,
/// agents' own drift, n-gram birth and death, and PageRank leaders' turnover. Over the whole
/// period: the interaction graph with per-agent centrality and roles, thread structure, meme
/// cascades, and power-law fits of the heavy-tailed distributions.
public actor TemporalStage: PipelineStage {
    public static let descriptor = StageDescriptor(
        name: "temporal", version: 1, upstream: ["clean", "embed", "toxicity-label"],
        inputTables: ["documents", "posts", "submolts", "agent_activity", "embeddings", "document_labels"],
        outputTables: TemporalSchema.outputTables, configKeys: TemporalKeys.all, migrations: TemporalSchema.migrations,
        outputFingerprint: { db in
            try StageDescriptor.tableFingerprint(db, tables: ["temporal_runs"] + TemporalSchema.currentTables)
        },
        make: { context in TemporalStage(context: context) })

    private let context: StageContext

    init(context: StageContext) {
        self.context = context
    }

    public func run(mode: StageMode) async throws -> StageReport {
        try await TemporalRun(context: context, settings: TemporalSettings(config: context.config)).run(mode: mode)
    }
}
