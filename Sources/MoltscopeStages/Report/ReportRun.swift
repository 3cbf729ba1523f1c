import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// One run of the report stage: load the society (the temporal stage's flat records), embed
/// the profile descriptions not yet cached, compute MoltNet's four dimensions, replace the
/// report tables in one transaction, then write the exports. A batch over stored inputs: a
/// killed run leaves the previous tables whole and the next one recomputes.
struct ReportRun {
    let context: StageContext
    let settings: ReportSettings

    struct SeriesRow: Sendable {
        var bucket: String
        var start: String
        var documents: Int
        var alignedShare: Double?
        var meanSimilarity: Double?
        var meanRank: Double?
    }

    struct Computed: Sendable {
        var records: SocietyRecords
        var alignment: PersonaAlignment.Outcome
        var intent: [IntentSummary.Row]
        var incentives: [IncentiveDrift.Agent]
        var conflict: [ConflictContagion.Comparison]
        var emotions: [EmotionContagion.Cell]
        var series: [SeriesRow]
    }

    func run(mode: StageMode) async throws -> StageReport {
        let started = Date()
        let settings = self.settings, store = context.store, logger = context.logger
        let model = EmbedKeys.model(context.config)
        context.progress.begin(total: 5, unit: "steps")
        let records = try await SocietyRecords.load(from: store, labeller: settings.labeller)
        guard records.count > 0 else {
            throw MoltscopeError(.input, "there are no documents to report on", remedy: "run `moltscope run` first")
        }
        if records.labels == nil {
            logger.warning("no completed \(settings.labeller) label run: topic, toxicity and contagion tables are empty; run `moltscope stage toxicity-label`")
        }
        context.progress.advance()
        let (profiles, described) = try await ProfileVectors(context: context, model: model).load()
        context.progress.advance()

        let computed = try await CancellationFlag.tracking { flag in
            try await store.pool.read { db -> Computed in
                let alignment = try PersonaAlignment(model: model, referenceProfiles: settings.referenceProfiles, seed: settings.seed).run(db, records: records, profiles: profiles, cancellation: flag)
                let karma = try IncentiveDrift.karma(db)
                let buckets = try Self.seriesBuckets(db)
                return Computed(records: records, alignment: alignment,
                                intent: IntentSummary(threshold: settings.threshold).rows(alignment.documents, records: records),
                                incentives: IncentiveDrift.run(records: records, karma: karma, alignment: alignment.documents),
                                conflict: ConflictContagion.run(records), emotions: EmotionContagion.run(records),
                                series: Self.series(alignment.documents, records: records, buckets: buckets, threshold: settings.threshold))
            }
        }
        if described == 0 {
            logger.warning("no agent has a profile description: the intent and persona-drift tables are empty")
        } else if computed.alignment.documents.isEmpty {
            logger.warning("no kept document with a \(model) vector has an author with a profile: run `moltscope stage embed`")
        }
        context.progress.advance()
        let written = try await ReportWriter(settings: settings, model: model, settingsJSON: Self.settingsJSON(context.config))
            .write(computed, to: store, runId: context.runId, started: started)
        context.progress.advance()
        var note = "\(computed.alignment.documents.count) documents against \(computed.alignment.profiles) profiles; \(computed.incentives.count) agents with karma"
        if settings.export {
            let directory = try ReportExporter.directory(for: store.path, base: settings.exportDirectory)
            let files = try await ReportExporter(store: store, directory: directory, mapPoints: settings.mapPoints,
                                                 tableRows: settings.tableRows).export()
            logger.info("report: wrote \(files.count) files to \(directory)")
            note += "; exports in \(directory)"
        }
        context.progress.advance()
        context.progress.finish()
        return StageReport(rowsIn: records.count, rowsOut: written, note: note)
    }

    /// Every (bucket width, start) of the temporal series.
    static func seriesBuckets(_ db: Database) throws -> [(bucket: String, start: String)] {
        try Row.fetchAll(db, sql: "SELECT bucket, start FROM temporal_series ORDER BY bucket, start").map { ($0[0], $0[1]) }
    }

    /// Persona alignment per series bucket.
    static func series(_ documents: [PersonaAlignment.Document], records: SocietyRecords,
                       buckets: [(bucket: String, start: String)], threshold: Double) -> [SeriesRow] {
        var widths: [String: TimeBucket] = [:]
        for label in Set(buckets.map(\.bucket)) { widths[label] = try? TimeBucket(label) }
        var sums: [String: (n: Int, aligned: Int, similarity: Double, ranked: Int, rank: Double)] = [:]   // "bucket start" -> sums
        for (label, width) in widths.sorted(by: { $0.key < $1.key }) {
            for document in documents {
                guard let time = records.time[Int(document.record)] else { continue }
                let key = label + " " + width.start(of: width.index(ofMicros: time))
                var sum = sums[key] ?? (0, 0, 0, 0, 0)
                sum.n += 1
                if document.similarity >= threshold { sum.aligned += 1 }
                sum.similarity += document.similarity
                if let rank = document.rank {
                    sum.ranked += 1
                    sum.rank += rank
                }
                sums[key] = sum
            }
        }
        return buckets.map { bucket in
            let sum = sums[bucket.bucket + " " + bucket.start] ?? (0, 0, 0, 0, 0)
            return SeriesRow(bucket: bucket.bucket, start: bucket.start, documents: sum.n,
                             alignedShare: sum.n > 0 ? Double(sum.aligned) / Double(sum.n) : nil,
                             meanSimilarity: sum.n > 0 ? sum.similarity / Double(sum.n) : nil,
                             meanRank: sum.ranked > 0 ? sum.rank / Double(sum.ranked) : nil)
        }
    }

    static func settingsJSON(_ config: PipelineConfig) -> String {
        config.settingsJSON(section: "report", extra: ["embed.model", "toxicity_label.labeller"])
    }
}
