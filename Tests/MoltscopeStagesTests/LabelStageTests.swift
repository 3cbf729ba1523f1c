import Foundation
import GRDB
import Logging
import MoltscopeCore
import Testing
@testable import MoltscopeStages

/// The toxicity-label stage on the bundled sample with lexical stand-in vectors (no model server).
@Suite(.serialized) struct LabelStageTests {
    static let labelTables = "document_labels"

    @Test func labelsEveryDocumentAndSummarizes() async throws {
        let pipeline = try await LabelPipeline.prepared()
        defer { pipeline.remove() }
        let settings = LabelPipeline.settings(pipeline)
        let embedOutputs = try embedFingerprint(pipeline)
        try await pipeline.run(settings, plan: .rebuild(stage: "toxicity-label", downstream: false))
        // The stage caches its own vectors (annotated texts, descriptions) in its own table: the
        // embed stage's outputs are untouched, so nothing after embed turns stale.
        #expect(try embedFingerprint(pipeline) == embedOutputs)
        #expect(try pipeline.int("SELECT count(*) FROM label_text_vectors") > 0)

        let kept = try pipeline.int("SELECT count(*) FROM documents WHERE status = 'kept'")
        #expect(try pipeline.int("SELECT count(*) FROM document_labels") == kept)
        #expect(try pipeline.int("SELECT count(*) FROM label_failures") == 0)
        #expect(try pipeline.strings("SELECT DISTINCT labeller || '|' || model FROM document_labels") == ["trained|\(LexicalVectors.model)"])
        #expect(try pipeline.strings("SELECT status FROM label_runs") == ["completed"])
        #expect(try pipeline.int("SELECT labelled FROM label_runs") == kept)
        #expect(try pipeline.int("SELECT count(*) FROM document_labels WHERE confidence < 0 OR confidence > 1 OR valence < -1 OR valence > 1") == 0)
        // Evaluation: one row per label, cross-validated, with a confusion matrix that adds up.
        #expect(try pipeline.strings("SELECT target FROM label_evaluation ORDER BY target") == ["conflict", "emotion", "topic", "toxicity", "valence"])
        #expect(try pipeline.strings("SELECT DISTINCT method FROM label_evaluation") == ["2-fold cross-validation"])
        #expect(try pipeline.int("SELECT sum(documents) FROM label_confusion WHERE target = 'topic'") == 600)
        let accuracy = try #require(try pipeline.double("SELECT accuracy FROM label_evaluation WHERE target = 'topic'"))
        let diagonal = try pipeline.int("SELECT sum(documents) FROM label_confusion WHERE target = 'topic' AND truth = predicted")
        #expect(abs(accuracy - Double(diagonal) / 600) < 1e-9)
        // Topics learned from lexical vectors are far better than chance over nine classes.
        #expect(accuracy > 0.4)

        // Summaries agree with the labels.
        #expect(try pipeline.int("SELECT sum(documents) FROM label_topic_toxicity WHERE kind = 'all'") == kept)
        #expect(try pipeline.int("SELECT sum(documents) FROM label_topic_toxicity WHERE kind != 'all'") == kept)
        #expect(try pipeline.int("""
            SELECT count(*) FROM label_harm_by_topic h WHERE harmful != (SELECT coalesce(sum(documents), 0) FROM label_topic_toxicity t
                WHERE t.kind = h.kind AND t.topic = h.topic AND t.toxicity >= 2)
            """) == 0)
        #expect(try pipeline.int("""
            SELECT count(*) FROM label_harm_by_topic h
            WHERE abs(safe_share * documents - (SELECT coalesce(sum(documents), 0) FROM label_topic_toxicity t
                      WHERE t.kind = h.kind AND t.topic = h.topic AND t.toxicity = 0)) > 1e-6
               OR malicious_share > harmful_share + 1e-9 OR safe_share + harmful_share > 1 + 1e-9
            """) == 0)
        #expect(try pipeline.int("SELECT documents FROM label_spam WHERE kind = 'all'") == kept)
        #expect(try pipeline.int("SELECT spam FROM label_spam WHERE kind = 'all'")
                == pipeline.int("SELECT count(*) FROM document_labels WHERE topic = 'H'"))
        #expect(try pipeline.int("SELECT flood_documents FROM label_spam WHERE kind = 'all'")
                == pipeline.int("SELECT count(*) FROM documents WHERE status = 'kept' AND flood_event IS NOT NULL"))
        // Rankings: ranks 1..n in order of harmful share, only above the minimum size.
        let shares = try pipeline.doubles("SELECT harmful_share FROM label_toxic_agents ORDER BY rank")
        #expect(shares == shares.sorted(by: >))
        #expect(try pipeline.int("SELECT count(*) FROM label_toxic_agents WHERE documents < 3 OR harmful = 0") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM label_harm_by_submolt WHERE rank IS NOT NULL AND documents < 3") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM label_harm_by_submolt WHERE rank IS NULL AND documents >= 3") == 0)
        #expect(try pipeline.int("SELECT sum(documents) FROM label_harm_by_submolt")
                == pipeline.int("SELECT count(*) FROM documents WHERE status = 'kept' AND submolt IS NOT NULL"))

        // A document whose text was annotated carries the annotation.
        let set = try AnnotatedSet.load(path: LabelPipeline.annotationSlice(pipeline))
        let annotated = Dictionary(set.items.map { ($0.input.contentHash, $0.labels) }, uniquingKeysWith: { a, _ in a })
        let rows = try DatabaseQueue(path: pipeline.db).read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.content_hash, l.topic, l.toxicity, l.confidence FROM document_labels l JOIN documents d ON d.id = l.document_id
                """)
        }
        let matched = rows.filter { annotated[$0[0]] != nil }
        #expect(!matched.isEmpty, "the sample shares texts with the annotated slice")
        for row in matched {
            let truth = annotated[row[0]]!
            #expect((row[1] as String) == truth.topic.rawValue && (row[2] as Int) == truth.toxicity.rawValue && (row[3] as Double) == 1)
        }
    }

    @Test func keepsEachLabellersResultsSideBySide() async throws {
        let pipeline = try await LabelPipeline.prepared(rows: 200)
        defer { pipeline.remove() }
        let settings = LabelPipeline.settings(pipeline)
        try await pipeline.run(settings, plan: .rebuild(stage: "toxicity-label", downstream: false))
        let trained = try labelDigest(pipeline, labeller: "trained")
        try await pipeline.run(settings + ["toxicity_label.labeller=zero-shot"], plan: .rebuild(stage: "toxicity-label", downstream: false))
        let kept = try pipeline.int("SELECT count(*) FROM documents WHERE status = 'kept'")
        #expect(try pipeline.int("SELECT count(*) FROM document_labels WHERE labeller = 'zero-shot'") == kept)
        #expect(try labelDigest(pipeline, labeller: "trained") == trained, "another labeller leaves the trained labels alone")
        #expect(try pipeline.strings("SELECT DISTINCT labeller FROM label_topic_toxicity ORDER BY 1") == ["trained", "zero-shot"])
        #expect(try pipeline.strings("SELECT DISTINCT method FROM label_evaluation WHERE labeller = 'zero-shot'") == ["agreement"])
        // The same labeller again: same labels (deterministic), its rows replaced, not added.
        try await pipeline.run(settings, plan: .rebuild(stage: "toxicity-label", downstream: false))
        #expect(try labelDigest(pipeline, labeller: "trained") == trained)
        #expect(try pipeline.int("SELECT count(*) FROM document_labels") == 2 * kept)
        #expect(try pipeline.int("SELECT count(*) FROM label_runs WHERE status = 'completed'") == 3)
        #expect(try pipeline.int("SELECT count(DISTINCT label_run) FROM document_labels WHERE labeller = 'trained'") == 1)
    }

    @Test func resumesAKilledRunWithoutRelabelling() async throws {
        let pipeline = try await LabelPipeline.prepared(rows: 200)
        defer { pipeline.remove() }
        let settings = LabelPipeline.settings(pipeline) + ["toxicity_label.page_size=64"]
        try await pipeline.run(settings, plan: .rebuild(stage: "toxicity-label", downstream: false))
        let before = try labelDigest(pipeline, labeller: "trained")
        // Make it look killed half way: the run is 'running', its cursor in the middle, later labels gone.
        let ids = try pipeline.strings("SELECT id FROM documents WHERE status = 'kept' ORDER BY id")
        let cursor = ids[ids.count / 2]
        try await DatabaseQueue(path: pipeline.db).write { db in
            try db.execute(sql: "UPDATE label_runs SET status = 'running', cursor = ?", arguments: [cursor])
            try db.execute(sql: "DELETE FROM document_labels WHERE document_id > ?", arguments: [cursor])
            try db.execute(sql: "UPDATE document_labels SET labelled_at = 'before the kill'")
        }
        let config = try pipeline.config(settings)
        let context = StageContext(name: "toxicity-label", store: try pipeline.store(), config: config,
                                   logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
                                   progress: ProgressSink(stage: "toxicity-label", style: .silent), runId: 1, environment: [:])
        _ = try await LabelRun(context: context, settings: LabelSettings(config: config)).run(mode: .update)
        #expect(try pipeline.int("SELECT count(*) FROM label_runs") == 1, "the unfinished run was continued, not restarted")
        #expect(try pipeline.strings("SELECT status FROM label_runs") == ["completed"])
        #expect(try pipeline.int("SELECT count(*) FROM document_labels WHERE labelled_at = 'before the kill'") == ids.count / 2 + 1)
        #expect(try pipeline.int("SELECT count(*) FROM document_labels") == ids.count)
        #expect(try labelDigest(pipeline, labeller: "trained") == before)
    }

    /// The engine reruns a killed first run (a rebuild) as a rebuild: it continues the run when
    /// its inputs are unchanged, and starts over when they changed.
    @Test(arguments: [true, false]) func aKilledRebuildResumesOnlyOnTheSameInputs(sameInputs: Bool) async throws {
        let pipeline = try await LabelPipeline.prepared(rows: 200)
        defer { pipeline.remove() }
        let settings = LabelPipeline.settings(pipeline) + ["toxicity_label.page_size=64"]
        try await pipeline.run(settings, plan: .rebuild(stage: "toxicity-label", downstream: false))
        let cursor = try pipeline.strings("SELECT id FROM documents WHERE status = 'kept' ORDER BY id")[50]
        try await DatabaseQueue(path: pipeline.db).write { db in
            try db.execute(sql: "UPDATE label_runs SET status = 'running', cursor = ?", arguments: [cursor])
            let run = try Int64.fetchOne(db, sql: "SELECT id FROM label_runs") ?? 0
            let inputs = sameInputs ? try LabelRun.inputsFingerprint(db) : "inputs-before-a-new-crawl"
            try Checkpoints(stage: "toxicity-label").set(db, LabelRun.inputsKey, "\(run) \(inputs)")
        }
        let config = try pipeline.config(settings)
        let context = StageContext(name: "toxicity-label", store: try pipeline.store(), config: config,
                                   logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
                                   progress: ProgressSink(stage: "toxicity-label", style: .silent), runId: 1, environment: [:])
        _ = try await LabelRun(context: context, settings: LabelSettings(config: config)).run(mode: .rebuild)
        #expect(try pipeline.int("SELECT count(*) FROM label_runs") == (sameInputs ? 1 : 2))
        #expect(try pipeline.int("SELECT count(*) FROM stage_checkpoints WHERE stage = 'toxicity-label'") == 0)
    }

    @Test func llmLabellerCachesAnswersAndKeepsItsOwnRows() async throws {
        let pipeline = try await LabelPipeline.prepared(rows: 200)
        defer { pipeline.remove() }
        let server = try FakeChatServer()
        defer { server.stop() }
        let settings = LabelPipeline.settings(pipeline) + [
            "toxicity_label.labeller=llm", "toxicity_label.llm.url=\(server.url)", "toxicity_label.llm.model=fake-chat",
            "toxicity_label.llm.documents_per_request=16", "toxicity_label.llm.concurrency=2"]
        try await pipeline.run(settings, plan: .rebuild(stage: "toxicity-label", downstream: false))
        let kept = try pipeline.int("SELECT count(*) FROM documents WHERE status = 'kept'")
        let distinct = try pipeline.int("SELECT count(DISTINCT content_hash) FROM documents WHERE status = 'kept'")
        #expect(try pipeline.int("SELECT count(*) FROM document_labels WHERE labeller = 'llm' AND model = 'fake-chat' AND version = '\(LabelPrompt.version)'") == kept)
        #expect(try pipeline.int("SELECT count(*) FROM llm_label_cache") == distinct, "one answer per distinct text")
        // The fake server labels by keywords: its labels are what the table holds.
        let sample = try DatabaseQueue(path: pipeline.db).read { db in
            try Row.fetchAll(db, sql: "SELECT d.text, l.topic, l.toxicity FROM document_labels l JOIN documents d ON d.id = l.document_id LIMIT 50")
        }
        for row in sample {
            let expected = FakeChatServer.labels(for: row[0]).labels
            #expect((row[1] as String) == expected.topic.rawValue && (row[2] as Int) == expected.toxicity.rawValue)
        }
        // Evaluated against the annotated documents this database holds.
        #expect(try pipeline.strings("SELECT DISTINCT method FROM label_evaluation WHERE labeller = 'llm'") == ["agreement"])
        // A rerun asks the server nothing: every answer is cached.
        let requests = server.requestCount
        try await pipeline.run(settings, plan: .rebuild(stage: "toxicity-label", downstream: false))
        #expect(server.requestCount == requests)
        #expect(try pipeline.int("SELECT cached FROM label_runs ORDER BY id DESC LIMIT 1") == kept)
    }

    @Test func missingInputsGiveOneClearLine() async throws {
        let pipeline = try await LabelPipeline.prepared(rows: 50)
        defer { pipeline.remove() }
        let settings = LabelPipeline.settings(pipeline)
        await #expect {
            try await pipeline.run(settings + ["toxicity_label.annotations=/nonexistent/annotations.csv"],
                                   plan: .rebuild(stage: "toxicity-label", downstream: false))
        } throws: { error in
            let text = "\(error)"
            return text.contains("/nonexistent/annotations.csv") && text.contains("toxicity_label.annotations") && !text.contains("\n")
        }
        await #expect {
            try await pipeline.run(settings + ["toxicity_label.labeller=llm"], plan: .rebuild(stage: "toxicity-label", downstream: false))
        } throws: { error in
            "\(error)".contains("toxicity_label.llm.url")
        }
        // Nothing was written by the failed runs.
        #expect(try pipeline.int("SELECT count(*) FROM document_labels") == 0)
    }

    private func embedFingerprint(_ pipeline: CleanPipeline) throws -> String {
        let descriptor = try Stages.registry.descriptor("embed")
        return try DatabaseQueue(path: pipeline.db).read { db in try descriptor.outputFingerprint(db) }
    }

    /// The labels of one labeller, without times and run ids.
    private func labelDigest(_ pipeline: CleanPipeline, labeller: String) throws -> [String] {
        try pipeline.strings("""
            SELECT document_id || topic || toxicity || conflict || emotion || printf('%.6f', valence) || printf('%.6f', confidence)
            FROM document_labels WHERE labeller = '\(labeller)' ORDER BY document_id
            """)
    }
}
