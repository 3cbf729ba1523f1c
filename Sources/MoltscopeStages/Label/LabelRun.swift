import AsyncAlgorithms
import Foundation
import GRDB
import MoltscopeCore

/// One run of the toxicity-label stage: prepare the configured labeller, then page through the
/// kept documents (a reader task a page ahead, through a bounded channel), committing each
/// page's labels with the run's cursor, so a killed run resumes after the last page; finally
/// replace this labeller's evaluation and summary tables in one transaction.
struct LabelRun {
    let context: StageContext
    let settings: LabelSettings

    func run(mode: StageMode) async throws -> StageReport {
        let started = Date()
        let total = try await LabelDocuments.count(in: context.store)
        guard total > 0 else {
            throw MoltscopeError(.input, "there are no kept documents to label", remedy: "run `moltscope stage clean` first")
        }
        let prepared = try await LabellerSetup(context: context, settings: settings).prepare()
        let labeller = prepared.labeller
        let identity = labeller.identity
        let (labelRun, cursor) = try await begin(mode: mode, identity: identity, documents: total, annotated: prepared.annotated)
        let writer = LabelWriter(identity: identity, labelRun: labelRun)
        context.logger.info("labelling \(total) documents with \(identity.description) (label run \(labelRun))")

        let reader = LabelDocuments(store: context.store, model: settings.embeddingModel, withVectors: settings.labeller != .llm)
        let done = try await context.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM documents WHERE status = 'kept' AND id <= ?", arguments: [cursor]) ?? 0
        }
        let progress = context.progress
        progress.begin(total: total, unit: "documents")
        progress.advance(by: done)
        let pages = AsyncChannel<[LabelDocuments.Document]>()
        let pageSize = labeller.pageSize
        let store = context.store
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { pages.finish() }
                var after = cursor
                while true {
                    try Task.checkCancellation()
                    let page = try await reader.page(after: after, size: pageSize)
                    guard let last = page.last else { return }
                    after = last.input.id
                    await pages.send(page)
                }
            }
            group.addTask {
                for await page in pages {
                    try Task.checkCancellation()
                    let outcomes = try await labeller.label(page)
                    _ = try await store.commit { db in try writer.commitPage(db, page: page, outcomes: outcomes) }
                    progress.advance(by: page.count)
                }
            }
            do {
                try await group.waitForAll()
            } catch {
                group.cancelAll()
                pages.finish()
                throw error
            }
        }
        progress.finish()

        let evaluation = settings.labeller == .llm ? try await agreementInDatabase(identity: identity) : prepared.evaluation
        let cached = (labeller as? LLMPageLabeller)?.cachedCount.value ?? 0
        let seconds = Date().timeIntervalSince(started)
        let checkpoints = context.checkpoints
        let (labelled, failed) = try await context.store.commit { [settings] db in
            try writer.finish(db, evaluation: evaluation, minDocuments: settings.minDocuments, top: settings.top, cached: cached,
                              seconds: seconds)
            try checkpoints.remove(db, Self.inputsKey)
            let row = try Row.fetchOne(db, sql: "SELECT labelled, failed FROM label_runs WHERE id = ?", arguments: [labelRun])!
            return (row[0] as Int, row[1] as Int)
        }
        if failed > 0 {
            context.logger.warning("\(failed) documents could not be labelled by \(identity.labeller); see label_failures")
        }
        var note = "\(labelled) documents labelled by \(identity.description)"
        if failed > 0 { note += ", \(failed) failed (label_failures)" }
        if let evaluation, let topic = evaluation.matrices[.topic], let toxicity = evaluation.matrices[.toxicity] {
            note += String(format: "; %@ on %d annotated: topic macro-F1 %.3f, toxicity accuracy %.3f",
                           evaluation.method, evaluation.documents, topic.macroF1, toxicity.accuracy)
        }
        return StageReport(rowsIn: total, rowsOut: labelled, errors: failed, note: note)
    }

    static let inputsKey = "label_run_inputs"

    /// The `label_runs` row: the unfinished one of this labeller with the same settings that a
    /// killed run left (with its cursor), or a new one. A killed rebuild resumes too when its
    /// inputs are the ones it started on: the engine reruns an interrupted first run as a
    /// rebuild, which used to relabel from the first page after every kill (found by KillLoopTests).
    private func begin(mode: StageMode, identity: LabellerIdentity, documents: Int, annotated: Int) async throws -> (Int64, String) {
        let settingsJSON = Self.settingsJSON(context.config)
        let pipelineRun = context.runId, checkpoints = context.checkpoints
        return try await context.store.commit { db in
            let inputs = try Self.inputsFingerprint(db)
            if let row = try Row.fetchOne(db, sql: """
                SELECT id, cursor FROM label_runs WHERE labeller = ? AND model = ? AND version = ? AND status = 'running' AND settings = ?
                ORDER BY id DESC LIMIT 1
                """, arguments: StatementArguments(identity.arguments) + [settingsJSON]),
               try mode == .update || checkpoints.get(db, Self.inputsKey) == "\(row[0] as Int64) \(inputs)" {
                return (row[0], (row[1] as String?) ?? "")
            }
            try db.execute(sql: """
                INSERT INTO label_runs(run_id, labeller, model, version, status, settings, documents, annotated, started_at)
                VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)
                """, arguments: [pipelineRun] + StatementArguments(identity.arguments) + [settingsJSON, documents, annotated, Clock.now()])
            let id = db.lastInsertedRowID
            try checkpoints.set(db, Self.inputsKey, "\(id) \(inputs)")
            return (id, "")
        }
    }

    /// What the stage reads (posts, documents, duplicate groups, vectors), as the engine fingerprints them.
    static func inputsFingerprint(_ db: Database) throws -> String {
        Fingerprint.of([try CrawlStage.descriptor.outputFingerprint(db), try CleanStage.descriptor.outputFingerprint(db),
                        try EmbedStage.descriptor.outputFingerprint(db)])
    }

    /// Agreement of the labels just stored with the annotated documents this database holds
    /// (the LLM labeller is evaluated on those it labelled; none when the file is absent).
    private func agreementInDatabase(identity: LabellerIdentity) async throws -> LabelEvaluation? {
        guard FileManager.default.fileExists(atPath: settings.annotations) else { return nil }
        let set = try AnnotatedSet.load(path: settings.annotations)
        let truth = Dictionary(set.items.map { ($0.input.id, $0.labels) }, uniquingKeysWith: { a, _ in a })
        let stored = try await context.store.pool.read { db in
            try StoredLabels.of(db, identity: identity, ids: Array(truth.keys))
        }
        guard !stored.isEmpty else { return nil }
        let ids = stored.keys.sorted()
        return LabelEvaluation.agreement(truth: ids.map { truth[$0]! }, predicted: ids.map { stored[$0]! })
    }

    /// The `[toxicity_label]` settings (and the embedding model) as a JSON object with sorted keys.
    static func settingsJSON(_ config: PipelineConfig) -> String {
        config.settingsJSON(section: "toxicity_label", extra: ["embed.model"])
    }
}
