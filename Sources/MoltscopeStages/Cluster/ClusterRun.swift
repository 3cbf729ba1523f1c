import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// One run of the cluster stage: load the stored vectors, compute topics (with a silhouette
/// scan whose steps are committed as they finish, so a killed run resumes the scan), the map,
/// communities and templates off the cooperative pool, then keywords from the texts, and
/// replace the stage's current tables in one transaction.
struct ClusterRun {
    static let runKey = "cluster_run"

    let context: StageContext
    let settings: ClusterSettings

    struct Computed: Sendable {
        var topics: TopicClustering.Outcome
        var map: (rows: [Int], coordinates: Matrix)?
        var communities: SubmoltCommunities.Outcome?
        var templates: [SubmoltTemplates.Submolt]
    }

    func run(mode: StageMode) async throws -> StageReport {
        BLAS.setThreads(settings.threads)
        let started = Date()
        let model = EmbedKeys.model(context.config)
        var loaded = try await DocumentVectors.load(from: context.store, model: model, sampleSize: settings.fitSample,
                                                    seed: settings.seed)
        if settings.center { loaded.centre() }
        let documents = loaded
        guard documents.count > 0 else {
            throw MoltscopeError(.input, "no kept document has a \(model) vector to cluster",
                                 remedy: "run `moltscope stage embed` first (or check embed.model)")
        }
        if documents.missing > 0 {
            context.logger.warning("\(documents.missing) kept documents have no \(model) vector and are not clustered; run `moltscope stage embed` to add them")
        }
        let (clusterRun, done) = try await begin(mode: mode, model: model, documents: documents)
        context.logger.info("clustering \(documents.count) documents of \(documents.vectors.columns) dimensions (cluster run \(clusterRun))")
        if documents.sample != nil {
            context.logger.info("fitting on a sample of \(documents.count) of \(documents.total) documents (cluster.fit_sample); the rest are assigned to their nearest topic")
        }

        let settings = self.settings, store = context.store, progress = context.progress
        let scanTotal = settings.method == .kmeans ? (settings.fixedK.map { _ in 1 } ?? settings.kRange.count) : 1
        progress.begin(total: scanTotal, unit: "k values")
        progress.advance(by: done.count)
        let computed = try await Compute.run("moltscope-cluster") { flag -> Computed in
            let topics = try TopicClustering(settings: settings, cancellation: flag)
                .run(documents.vectors, done: done) { point in
                    try store.pool.write { db in try Self.insertScanPoint(db, point, run: clusterRun) }
                    progress.advance()
                }
            progress.finish()
            let map = settings.mapEnabled ? DocumentMap(maxPoints: settings.mapMaxPoints, pcaDimensions: settings.mapPCADimensions,
                                                        perplexity: settings.mapPerplexity, iterations: settings.mapIterations,
                                                        seed: settings.seed) : nil
            var mapped: (rows: [Int], coordinates: Matrix)?
            if let map, documents.count >= 2 {
                progress.begin(total: settings.mapIterations, unit: "t-SNE iterations")
                var reported = 0
                mapped = try map.run(documents.vectors, cancellation: flag) { iteration in
                    progress.advance(by: iteration - reported)
                    reported = iteration
                }
                progress.finish()
            }
            let communities = try SubmoltCommunities(k: settings.communityK, minPosts: settings.communityMinPosts,
                                                     seed: settings.seed)
                .run(documents, map: map.map { map in { try map.coordinates(of: $0, cancellation: flag, progress: nil) } },
                     cancellation: flag)
            let templates = try SubmoltTemplates(minPosts: settings.templateMinPosts, maxK: settings.templateMaxK,
                                                 nearCosine: settings.templateNearCosine, seed: settings.seed)
                .run(documents, cancellation: flag)
            return Computed(topics: topics, map: mapped, communities: communities, templates: templates)
        }
        let keywords = try await CancellationFlag.tracking { flag in
            try await ClusterKeywords(count: settings.keywords).run(
                store: context.store, model: model, documents: documents, topics: computed.topics,
                communities: computed.communities, templates: computed.templates, cancellation: flag)
        }

        let written = try await ClusterWriter(settings: settings, checkpoints: context.checkpoints).write(
            to: context.store, run: clusterRun, model: model, documents: documents, computed: computed, keywords: keywords,
            seconds: Date().timeIntervalSince(started))
        let topics = computed.topics
        if settings.method == .kmeans, settings.fixedK == nil, settings.kRange.count > 1, topics.k == settings.kRange.last {
            context.logger.warning("the silhouette was best at the largest k tried (\(topics.k)); raise cluster.k_max to see whether more clusters fit better")
        }
        var note = "\(topics.method): \(topics.k) topic clusters of \(documents.total) documents"
        if documents.sample != nil { note += " (fitted on \(documents.count))" }
        if let silhouette = topics.silhouette { note += String(format: ", silhouette %.3f", silhouette) }
        if let noise = topics.noiseShare { note += String(format: ", noise %.1f%%", noise * 100) }
        note += "; \(computed.communities?.k ?? 0) communities of \(computed.communities?.submolts.count ?? 0) submolts"
        note += "; templates in \(computed.templates.count) submolts"
        return StageReport(rowsIn: documents.total, rowsOut: written, note: note)
    }

    /// The `cluster_runs` row of this run: the unfinished one a killed run left (its scan
    /// points are kept), or a new one. A killed rebuild resumes too when its inputs are the ones
    /// it started on: the engine reruns an interrupted first run as a rebuild, and a killed
    /// first run used to start its scan over every time (found by KillLoopTests).
    private func begin(mode: StageMode, model: String, documents: DocumentVectors) async throws -> (Int64, [TopicClustering.ScanPoint]) {
        let checkpoints = context.checkpoints, pipelineRun = context.runId
        let settingsJSON = Self.settingsJSON(context.config)
        let seed = settings.seed
        let method = settings.method == .kmeans ? "kmeans" : "hdbscan"
        return try await context.store.commit { db in
            let inputs = try Self.inputsFingerprint(db)
            if let value = try checkpoints.get(db, Self.runKey), let (id, startedOn) = Self.parseRunCheckpoint(value),
               mode == .update || startedOn == inputs,
               let row = try Row.fetchOne(db, sql: "SELECT settings, documents FROM cluster_runs WHERE id = ? AND status = 'running'", arguments: [id]),
               (row[0] as String) == settingsJSON, (row[1] as Int) == documents.total {
                let scan = try Row.fetchAll(db, sql: """
                    SELECT k, silhouette, inertia, davies_bouldin, iterations, seconds FROM cluster_k_scan
                    WHERE cluster_run = ? ORDER BY k
                    """, arguments: [id]).map {
                    TopicClustering.ScanPoint(k: $0[0], silhouette: $0[1], inertia: $0[2], daviesBouldin: $0[3],
                                              iterations: $0[4], seconds: $0[5])
                }
                return (id, scan)
            }
            // Runs killed and not resumed (their inputs or settings have changed since): only the
            // checkpoint's run can ever resume, so their partial scans are of no use and their rows
            // would read 'running' forever.
            try db.execute(sql: "DELETE FROM cluster_k_scan WHERE cluster_run IN (SELECT id FROM cluster_runs WHERE status = 'running')")
            try db.execute(sql: "DELETE FROM cluster_runs WHERE status = 'running'")
            try db.execute(sql: """
                INSERT INTO cluster_runs(run_id, status, method, model, documents, dimensions, seed, settings, created_at)
                VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [pipelineRun, method, model, documents.total, documents.vectors.columns, Int64(seed),
                                 settingsJSON, Clock.now()])
            let id = db.lastInsertedRowID
            try checkpoints.set(db, Self.runKey, "\(id) \(inputs)")
            return (id, [])
        }
    }

    /// What the stage reads (documents and vectors), as the engine fingerprints them.
    static func inputsFingerprint(_ db: Database) throws -> String {
        Fingerprint.of([try CleanStage.descriptor.outputFingerprint(db), try EmbedStage.descriptor.outputFingerprint(db)])
    }

    /// "<cluster run id> <inputs fingerprint>"; a bare id (written before the fingerprint was kept) has none.
    static func parseRunCheckpoint(_ value: String) -> (Int64, String?)? {
        let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
        guard let id = parts.first.flatMap({ Int64($0) }) else { return nil }
        return (id, parts.count > 1 ? parts[1] : nil)
    }

    static func insertScanPoint(_ db: Database, _ point: TopicClustering.ScanPoint, run: Int64) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO cluster_k_scan(cluster_run, k, silhouette, inertia, davies_bouldin, iterations, seconds)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [run, point.k, point.silhouette, point.inertia, point.daviesBouldin, point.iterations, point.seconds])
    }

    /// The `[cluster]` settings (and the embedding model) as a JSON object with sorted keys.
    static func settingsJSON(_ config: PipelineConfig) -> String {
        config.settingsJSON(section: "cluster", extra: ["embed.model"])
    }
}
