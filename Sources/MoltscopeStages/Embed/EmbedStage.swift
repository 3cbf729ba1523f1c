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
        let model = EmbedKeys.model(config)
        // A bad server list is a config error even on a run that needs no server.
        _ = try EmbedServers.from(config)
        let missing = try await MissingVectors.count(in: context.store, model: model)
        var report = StageReport(note: "every text already has a \(model) vector (no server call)")
        if missing > 0 {
            report = try await ConfiguredBackend.with(context, model: model) { backend in
                try await MissingVectors(context: context, backend: backend, model: model,
                                         batchSize: config.int("embed.batch_size"),
                                         concurrency: EmbedServers.concurrency(config)).run(missing: missing)
            }
        }
        let events = try await EmbeddingFloods(context: context, model: model,
                                               threshold: Float(config.double("embed.flood_cosine")),
                                               gapSeconds: config.double("embed.flood_gap_seconds")).run()
        report.note = [report.note, "\(events) flood events by embedding"].compactMap { $0 }.joined(separator: "; ")
        return report
    }
}
