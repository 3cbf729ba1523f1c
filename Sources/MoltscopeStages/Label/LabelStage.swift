import MoltscopeCore

/// Stage 5: a topic (A-I), toxicity (0-4), conflict flag, emotion and valence for every kept
/// post and comment, from a classifier trained on the annotated set (default), similarity to
/// label descriptions (zero-shot), or an LLM server; with the labeller's agreement with the
/// annotated set and summary tables. Each labeller's results are kept side by side.
public actor LabelStage: PipelineStage {
    public static let descriptor = StageDescriptor(
        name: "toxicity-label", version: 1, upstream: ["embed"],
        inputTables: ["documents", "embeddings", "duplicate_groups", "posts"],
        outputTables: LabelSchema.outputTables, configKeys: LabelKeys.all, migrations: LabelSchema.migrations,
        outputFingerprint: { db in
            // The labels and summaries, not the run history or the LLM cache.
            try StageDescriptor.tableFingerprint(db, tables: LabelSchema.perLabellerTables)
        },
        make: { context in LabelStage(context: context) })

    private let context: StageContext

    init(context: StageContext) {
        self.context = context
    }

    public func run(mode: StageMode) async throws -> StageReport {
        try await LabelRun(context: context, settings: LabelSettings(config: context.config)).run(mode: mode)
    }
}
