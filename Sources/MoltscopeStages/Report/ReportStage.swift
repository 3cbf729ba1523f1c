import MoltscopeCore

/// Stage 7: MoltNet's four dimensions (intent, incentives and drift, norms and templates,
/// emotion and conflict contagion) as tables, the breakdowns and series a reader needs beside
/// them, every figure set against its published value, and the exports people read: CSV, a
/// self-contained HTML report and a Jupyter notebook under `notebooks-export/`.
public actor ReportStage: PipelineStage {
    public static let descriptor = StageDescriptor(
        name: "report", version: 1, upstream: ["clean", "embed", "cluster", "toxicity-label", "temporal"],
        inputTables: ["documents", "posts", "agents", "embeddings", "submolt_templates", "submolt_template_centres",
                      "document_labels", "label_topic_toxicity", "label_harm_by_topic", "temporal_series", "temporal_summary"],
        outputTables: ReportSchema.outputTables, configKeys: ReportKeys.all, migrations: ReportSchema.migrations,
        outputFingerprint: { db in
            try StageDescriptor.tableFingerprint(db, tables: ["report_runs"] + ReportSchema.currentTables)
        },
        make: { context in ReportStage(context: context) })

    private let context: StageContext

    init(context: StageContext) {
        self.context = context
    }

    public func run(mode: StageMode) async throws -> StageReport {
        try await ReportRun(context: context, settings: ReportSettings(config: context.config)).run(mode: mode)
    }
}
