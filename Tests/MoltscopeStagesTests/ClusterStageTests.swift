import Foundation
import GRDB
import Logging
import MoltscopeCore
import MoltscopeNumerics
import Testing
@testable import MoltscopeStages

/// The cluster stage on the bundled sample, with lexical stand-in vectors (no model server).
@Suite(.serialized) struct ClusterStageTests {
    /// Quick settings: a short k scan and a short t-SNE, so a debug build finishes in seconds.
    static let quick = ["embed.model=\(LexicalVectors.model)", "cluster.k_min=4", "cluster.k_max=10", "cluster.k_step=3",
                        "cluster.n_init=2", "cluster.map.iterations=300", "cluster.templates.min_posts=10"]

    private func preparedSample(_ name: String = #function) async throws -> CleanPipeline {
        let pipeline = try CleanPipeline(stages: Stages.registry, name: name)
        try await pipeline.run(Self.quick, plan: .pipeline(stages: ["crawl", "clean"]))
        _ = try pipeline.store()   // every stage's tables, embeddings included
        let db = pipeline.db
        _ = try await Compute.run { _ in try LexicalVectors.fill(db: db) }
        return pipeline
    }

    @Test func fillsEveryTableConsistently() async throws {
        let pipeline = try await preparedSample()
        defer { pipeline.remove() }
        try await pipeline.run(Self.quick, plan: .rebuild(stage: "cluster", downstream: false))

        let documents = try pipeline.int("SELECT count(*) FROM documents WHERE status = 'kept'")
        #expect(try pipeline.int("SELECT count(*) FROM document_clusters") == documents)
        #expect(try pipeline.int("SELECT sum(size) FROM topic_clusters") == documents)
        #expect(try pipeline.int("SELECT count(*) FROM document_clusters WHERE x IS NULL OR y IS NULL") == 0)
        // The chosen k is the scan's best silhouette, and the run row says so.
        let k = try pipeline.int("SELECT k FROM cluster_runs WHERE status = 'done'")
        #expect(try pipeline.int("SELECT count(*) FROM topic_clusters") == k)
        #expect(try pipeline.int("SELECT k FROM cluster_k_scan WHERE chosen = 1") == k)
        #expect(try pipeline.int("SELECT k FROM cluster_k_scan ORDER BY silhouette DESC, k LIMIT 1") == k)
        #expect(try pipeline.strings("SELECT k FROM cluster_k_scan ORDER BY k") == ["4", "7", "10"])
        // Quality metrics stored with the run.
        let silhouette = try #require(try pipeline.double("SELECT silhouette FROM cluster_runs"))
        #expect(silhouette > -1 && silhouette < 1)
        #expect(try pipeline.double("SELECT davies_bouldin FROM cluster_runs")! > 0)
        #expect(try pipeline.double("SELECT inertia FROM cluster_runs")! > 0)
        #expect(try pipeline.int("SELECT largest FROM cluster_runs") == pipeline.int("SELECT max(size) FROM topic_clusters"))
        // Cluster 0 is the largest; sizes, posts and comments agree with the documents.
        #expect(try pipeline.int("SELECT cluster_id FROM topic_clusters ORDER BY size DESC, cluster_id LIMIT 1") == 0)
        #expect(try pipeline.int("""
            SELECT count(*) FROM topic_clusters t WHERE size != (SELECT count(*) FROM document_clusters d WHERE d.cluster_id = t.cluster_id)
               OR posts != (SELECT count(*) FROM document_clusters d JOIN documents x ON x.id = d.document_id
                            WHERE d.cluster_id = t.cluster_id AND x.kind = 'post')
            """) == 0)
        // Keywords: ten per cluster, no stopwords; examples are members, most central first.
        #expect(try pipeline.int("SELECT count(*) FROM cluster_keywords") == 10 * k)
        #expect(try pipeline.int("SELECT count(*) FROM cluster_keywords WHERE term IN ('the','and','this','that','with')") == 0)
        #expect(try pipeline.int("""
            SELECT count(*) FROM cluster_examples e JOIN document_clusters d ON d.document_id = e.document_id
            WHERE d.cluster_id = e.cluster_id
            """) == pipeline.int("SELECT count(*) FROM cluster_examples"))
        #expect(try pipeline.int("""
            SELECT count(*) FROM cluster_examples a JOIN cluster_examples b ON a.cluster_id = b.cluster_id AND b.rank = a.rank + 1
            WHERE b.similarity > a.similarity
            """) == 0)
        // Cohesion is the mean member similarity.
        #expect(try pipeline.int("""
            SELECT count(*) FROM topic_clusters t
            WHERE abs(cohesion - (SELECT avg(similarity) FROM document_clusters d WHERE d.cluster_id = t.cluster_id)) > 1e-6
            """) == 0)
        // Communities cover the submolts with >= 3 kept posts; templates those with >= 10.
        let eligible = try pipeline.int("""
            SELECT count(*) FROM (SELECT submolt FROM documents WHERE kind = 'post' AND status = 'kept'
                                  GROUP BY submolt HAVING count(*) >= 3)
            """)
        #expect(try pipeline.int("SELECT count(*) FROM submolt_communities") == eligible)
        #expect(try pipeline.int("SELECT sum(submolts) FROM communities") == eligible)
        let templated = try pipeline.int("""
            SELECT count(*) FROM (SELECT submolt FROM documents WHERE kind = 'post' AND status = 'kept'
                                  GROUP BY submolt HAVING count(*) >= 10)
            """)
        #expect(templated >= 1)
        #expect(try pipeline.int("SELECT count(*) FROM submolt_templates") == templated)
        #expect(try pipeline.int("""
            SELECT count(*) FROM submolt_templates t
            WHERE posts != (SELECT sum(posts) FROM submolt_template_centres c WHERE c.submolt = t.submolt)
            """) == 0)
    }

    @Test func sameSeedSameTablesAndRunsAreKept() async throws {
        let pipeline = try await preparedSample()
        defer { pipeline.remove() }
        let digest = """
            SELECT group_concat(document_id || ':' || cluster_id || ':' || printf('%.4f', x), ',') FROM
            (SELECT * FROM document_clusters ORDER BY document_id)
            """
        try await pipeline.run(Self.quick, plan: .rebuild(stage: "cluster", downstream: false))
        let first = try pipeline.strings(digest)
        try await pipeline.run(Self.quick, plan: .rebuild(stage: "cluster", downstream: false))
        #expect(try pipeline.strings(digest) == first)
        try await pipeline.run(Self.quick + ["cluster.seed=7"], plan: .rebuild(stage: "cluster", downstream: false))
        #expect(try pipeline.int("SELECT count(*) FROM cluster_runs WHERE status = 'done'") == 3)
        #expect(try pipeline.int("SELECT count(DISTINCT seed) FROM cluster_runs") == 2)
        // Nothing upstream ran again.
        #expect(try pipeline.int("SELECT count(*) FROM stage_runs WHERE stage = 'embed'") == 0)
    }

    @Test func inertiaMatchesScikitLearnOnTheStoredVectors() async throws {
        let pipeline = try await preparedSample()
        defer { pipeline.remove() }
        let documents = try await DocumentVectors.load(from: pipeline.store(), model: LexicalVectors.model)
        let vectors = documents.vectors
        let ours = try await Compute.run { _ in try KMeans(clusters: 12, initializations: 3, seed: 42).fit(vectors) }
        let theirs = try await Compute.run { _ in try ScikitLearn.kmeansInertia(vectors, k: 12, initializations: 3, seed: 42) }
        #expect(ours.inertia <= theirs * 1.01, "moltscope \(ours.inertia) vs scikit-learn \(theirs)")
    }

    @Test func fixedKAndHDBSCANAreConfigChoices() async throws {
        let pipeline = try await preparedSample()
        defer { pipeline.remove() }
        try await pipeline.run(Self.quick + ["cluster.k=6", "cluster.map.enabled=false"],
                               plan: .rebuild(stage: "cluster", downstream: false))
        #expect(try pipeline.int("SELECT count(*) FROM topic_clusters") == 6)
        #expect(try pipeline.int("SELECT count(*) FROM cluster_k_scan") == 1)
        #expect(try pipeline.int("SELECT count(*) FROM document_clusters WHERE x IS NOT NULL") == 0)

        try await pipeline.run(Self.quick + ["cluster.method=hdbscan", "cluster.hdbscan.min_cluster_size=10", "cluster.map.enabled=false"],
                               plan: .rebuild(stage: "cluster", downstream: false))
        #expect(try pipeline.strings("SELECT method FROM cluster_runs ORDER BY id DESC LIMIT 1") == ["hdbscan"])
        let clusters = try pipeline.int("SELECT k FROM cluster_runs ORDER BY id DESC LIMIT 1")
        #expect(clusters >= 2)
        #expect(try pipeline.int("SELECT count(*) FROM topic_clusters WHERE cluster_id >= 0") == clusters)
        let noise = try pipeline.int("SELECT count(*) FROM document_clusters WHERE cluster_id = -1")
        let share = try #require(try pipeline.double("SELECT noise_share FROM cluster_runs ORDER BY id DESC LIMIT 1"))
        #expect(abs(share - Double(noise) / Double(try pipeline.int("SELECT count(*) FROM document_clusters"))) < 1e-9)
        #expect(try pipeline.int("SELECT count(*) FROM document_clusters WHERE probability IS NULL OR probability < 0 OR probability > 1") == 0)
    }

    @Test func clearErrorWithoutVectors() async throws {
        let pipeline = try CleanPipeline(stages: Stages.registry)
        defer { pipeline.remove() }
        try await pipeline.run(Self.quick, plan: .pipeline(stages: ["crawl", "clean"]))
        await #expect {
            try await pipeline.run(Self.quick, plan: .rebuild(stage: "cluster", downstream: false))
        } throws: { error in
            "\(error)".contains("no kept document has a \(LexicalVectors.model) vector") && "\(error)".contains("moltscope stage embed")
        }
        #expect(try pipeline.int("SELECT count(*) FROM topic_clusters") == 0)
    }

    @Test func aResumedScanKeepsTheCommittedPoints() async throws {
        let pipeline = try await preparedSample()
        defer { pipeline.remove() }
        // A run killed after scanning k = 4 with a (planted) unbeatable silhouette: the update
        // that resumes it must keep that point, scan only the rest, and choose k = 4.
        try await Self.runAfterAKilledScan(pipeline, mode: .update) { _ in "7" }
        #expect(try pipeline.int("SELECT count(*) FROM cluster_runs") == 1)
        #expect(try pipeline.int("SELECT k FROM cluster_runs WHERE id = 7 AND status = 'done'") == 4)
        #expect(try pipeline.double("SELECT seconds FROM cluster_k_scan WHERE cluster_run = 7 AND k = 4") == 123)
        #expect(try pipeline.int("SELECT count(*) FROM cluster_k_scan WHERE cluster_run = 7") == 3)
        #expect(try pipeline.int("SELECT count(*) FROM stage_checkpoints WHERE stage = 'cluster'") == 0)
    }

    /// The engine reruns a killed first run (a rebuild) as a rebuild: it resumes the scan when its
    /// inputs are unchanged, and starts over when they changed, removing the killed run (its row
    /// would read 'running' forever) and its partial scan.
    @Test(arguments: [true, false]) func aKilledRebuildResumesOnlyOnTheSameInputs(sameInputs: Bool) async throws {
        let pipeline = try await preparedSample()
        defer { pipeline.remove() }
        try await Self.runAfterAKilledScan(pipeline, mode: .rebuild) { db in
            "7 \(sameInputs ? try ClusterRun.inputsFingerprint(db) : "inputs-before-a-new-crawl")"
        }
        #expect(try pipeline.int("SELECT count(*) FROM cluster_runs") == 1)
        #expect(try pipeline.int("SELECT count(*) FROM cluster_runs WHERE status = 'running'") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM cluster_runs WHERE id = 7 AND status = 'done'") == (sameInputs ? 1 : 0))
        // The planted point (silhouette 0.99 at k = 4) survives only in the resumed run.
        #expect(try pipeline.int("SELECT count(*) FROM cluster_k_scan WHERE silhouette = 0.99") == (sameInputs ? 1 : 0))
    }

    /// Plants a cluster run killed after scanning k = 4, with the given checkpoint, then runs the stage.
    static func runAfterAKilledScan(_ pipeline: CleanPipeline, mode: StageMode,
                                    checkpoint: @escaping @Sendable (Database) throws -> String) async throws {
        let config = try pipeline.config(Self.quick)
        let store = try pipeline.store()
        let documents = try await DocumentVectors.load(from: store, model: LexicalVectors.model)
        let settings = ClusterRun.settingsJSON(config)
        try await store.pool.write { db in
            try db.execute(sql: """
                INSERT INTO cluster_runs(id, run_id, status, method, model, documents, dimensions, seed, settings, created_at)
                VALUES (7, NULL, 'running', 'kmeans', ?, ?, 384, 42, ?, '2026-01-01T00:00:00Z')
                """, arguments: [LexicalVectors.model, documents.count, settings])
            try ClusterRun.insertScanPoint(db, .init(k: 4, silhouette: 0.99, inertia: 1, daviesBouldin: 1, iterations: 1,
                                                     seconds: 123), run: 7)
            try Checkpoints(stage: "cluster").set(db, ClusterRun.runKey, try checkpoint(db))
        }
        let context = StageContext(name: "cluster", store: store, config: config,
                                   logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
                                   progress: ProgressSink(stage: "cluster", style: .silent), runId: 1, environment: [:])
        _ = try await ClusterRun(context: context, settings: try ClusterSettings(config: config)).run(mode: mode)
    }
}

/// scikit-learn's KMeans through the numerics tests' reference script.
enum ScikitLearn {
    static func kmeansInertia(_ points: Matrix, k: Int, initializations: Int, seed: Int) throws -> Double {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moltscope-sk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("points.f32")
        try points.values.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: file)
        let data = try ReferenceScript.run("kmeans_reference.py", [file.path, String(points.rows), String(points.columns), String(k),
                                                                 String(initializations), "1e-4", String(seed)])
        guard let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let inertia = answer["inertia"] as? Double else {
            throw MoltscopeError(.internal, "the scikit-learn reference printed no inertia", remedy: "run scripts/install-deps")
        }
        return inertia
    }
}
