import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// One run of the temporal stage: load the society once, stream texts and vectors for the
/// n-gram and semantic measures, compute the series, the network and the cascades off the
/// cooperative pool, and replace every output table in one transaction. It is a batch over
/// stored inputs (seconds on the capture): a killed run leaves the previous results whole
/// and the next run recomputes.
struct TemporalRun {
    let context: StageContext
    let settings: TemporalSettings

    /// Everything one run computes, per configured bucket width where it is a series.
    struct Computed: Sendable {
        var records: SocietyRecords
        var series: [ActivitySeries.Outcome]
        var semantics: SemanticMovement.Outcome
        var ngrams: [[NGramTurnover.Row]]
        var pageRank: [[PageRankTurnover.Row]]
        var graph: InteractionGraph
        var centrality: AgentCentrality
        var roles: NetworkRoles.Outcome?
        var threads: ThreadStructure
        var cascades: [MemeCascades.Cascade]
        var distributions: Distributions
        /// Seconds of the parts computed off the pool (series, network, roles, distributions).
        var timer: PartTimer
    }

    func run(mode: StageMode) async throws -> StageReport {
        let started = Date()
        let settings = self.settings, store = context.store, progress = context.progress, logger = context.logger
        let model = EmbedKeys.model(context.config)
        progress.begin(total: 6, unit: "steps")
        var timer = PartTimer()
        let records = try await SocietyRecords.load(from: store, labeller: settings.labeller)
        timer.mark("load")
        guard records.count > 0 else {
            throw MoltscopeError(.input, "there are no documents to follow over time", remedy: "run `moltscope stage clean` first")
        }
        if records.labels == nil {
            logger.warning("no completed \(settings.labeller) label run: topic and harm series are empty; run `moltscope stage toxicity-label`")
        }
        progress.advance()

        let phrases = try await CancellationFlag.tracking { flag in
            try await Self.phrases(store: store, records: records, settings: settings, cancellation: flag)
        }
        let (ngrams, cascades) = (phrases.ngrams, phrases.cascades)
        if phrases.ngramScale > 1 {
            logger.info("n-gram turnover counted on 1 in \(Int(phrases.ngramScale)) n-grams (more than temporal.ngrams.max_tracked = \(settings.ngramMaxTracked) distinct): its counts are estimates")
        }
        if phrases.cascadeAdmission > settings.cascadeMinAgents {
            logger.info("meme cascades: only phrases in at least \(phrases.cascadeAdmission) documents were followed (temporal.cascades.max_adoptions = \(settings.cascadeMaxAdoptions)): the largest cascades, exact; smaller ones are left out")
        }
        timer.mark("n-grams and cascades")
        progress.advance()
        let semantics = try await CancellationFlag.tracking { flag in
            try await SemanticMovement(buckets: settings.buckets, model: model,
                                       minDocuments: settings.driftMinDocuments)
                .run(store: store, records: records, cancellation: flag)
        }
        if semantics.embedded == 0 {
            logger.warning("no kept document has a \(model) vector: the semantic series are empty; run `moltscope stage embed`")
        }
        timer.mark("semantics")
        progress.advance()

        let computed = try await Compute.run("moltscope-temporal") { flag -> Computed in
            BLAS.setThreads(1)
            var timer = PartTimer()
            let series = settings.buckets.map { ActivitySeries(bucket: $0).run(records) }
            timer.mark("series")
            let pageRank = try settings.buckets.map { try PageRankTurnover(bucket: $0, topK: settings.pageRankTopK).run(records, cancellation: flag) }
            timer.mark("pagerank per bucket")
            progress.advance()
            let graph = InteractionGraph(records)
            let centrality = try AgentCentrality(graph.graph, pivots: settings.betweennessPivots, seed: settings.seed, cancellation: flag)
            timer.mark("network measures")
            let roles = try NetworkRoles(kRange: settings.roleKRange, silhouetteSample: settings.roleSilhouetteSample, seed: settings.seed)
                .run(centrality, cancellation: flag)
            timer.mark("roles")
            let threads = ThreadStructure(records)
            progress.advance()
            var distributions = Distributions()
            let tail = settings.powerLawMinTail
            try distributions.add("in_degree", centrality.inDegree, fit: true, minTail: tail, cancellation: flag)
            try distributions.add("out_degree", centrality.outDegree, fit: true, minTail: tail, cancellation: flag)
            try distributions.add("degree", zip(centrality.inDegree, centrality.outDegree).map { $0 + $1 }, fit: true, minTail: tail, cancellation: flag)
            try distributions.add("agent_documents", Self.documentsPerAgent(records), fit: true, minTail: tail, cancellation: flag)
            try distributions.add("cascade_size", cascades.map(\.size), fit: true, minTail: tail, cancellation: flag)
            distributions.add("comment_depth", countsByValue: threads.commentDepths, from: 1)
            distributions.add("thread_depth", countsByValue: threads.threadDepths)
            timer.mark("threads and distributions")
            return Computed(records: records, series: series, semantics: semantics, ngrams: ngrams, pageRank: pageRank,
                            graph: graph, centrality: centrality, roles: roles, threads: threads, cascades: cascades,
                            distributions: distributions, timer: timer)
        }
        timer.append(computed.timer)
        let written = try await TemporalWriter(settings: settings, model: model, settingsJSON: Self.settingsJSON(context.config))
            .write(computed, to: store, runId: context.runId, started: started)
        timer.mark("write")
        progress.advance()
        progress.finish()
        logger.info("temporal: seconds per part: \(timer.description)")

        let roles = computed.roles.map { "\($0.k) roles (silhouette \(String(format: "%.2f", $0.silhouette ?? .nan)))" } ?? "no roles"
        let note = "\(computed.graph.graph.nodeCount) agents and \(computed.graph.graph.edgeCount) edges in the interaction graph; \(roles); \(computed.cascades.count) meme cascades"
        return StageReport(rowsIn: records.count, rowsOut: written, note: note)
    }

    struct Phrases {
        var ngrams: [[NGramTurnover.Row]]
        var cascades: [MemeCascades.Cascade]
        /// What one tracked n-gram stands for (1: all counted).
        var ngramScale: Double
        /// Documents a phrase needed to be followed as a cascade candidate.
        var cascadeAdmission: Int
    }

    /// The n-gram turnover and the meme cascades: one pass over the texts for turnover and the
    /// cascade sketch, a second for the cascades' adopters.
    static func phrases(store: ResultsStore, records: SocietyRecords, settings: TemporalSettings,
                        cancellation: CancellationFlag) async throws -> Phrases {
        return try await store.pool.read { db in
            var turnover = NGramTurnover(buckets: settings.buckets, maxN: settings.ngramMaxN, maxTracked: settings.ngramMaxTracked)
            let fillers = KeywordTokenizer.stopwords
            var cascades = MemeCascades(lengths: settings.cascadeN, minAgents: settings.cascadeMinAgents,
                                        minContentWords: settings.cascadeMinContentWords,
                                        maxDocumentShare: settings.cascadeMaxDocumentShare, sketchBits: settings.sketchBits,
                                        fillers: fillers, maxAdoptions: settings.cascadeMaxAdoptions)
            var seen = 0
            try PhraseStream.read(db) { _, _, time, text in
                let tokens = PhraseTokens(text, fillers: fillers)
                turnover.add(tokens, time: time)
                cascades.count(tokens)
                seen += 1
                if seen % 1024 == 0 { try cancellation.check() }
            }
            try PhraseStream.read(db) { id, author, time, text in
                let tokens = PhraseTokens(text, keepWords: true, fillers: fillers)
                cascades.collect(tokens, agent: author.flatMap { records.agentIndex[$0] } ?? -1, time: time, document: id)
                seen += 1
                if seen % 1024 == 0 { try cancellation.check() }
            }
            return Phrases(ngrams: turnover.finish(), cascades: cascades.finish(), ngramScale: turnover.scale,
                           cascadeAdmission: cascades.admission ?? settings.cascadeMinAgents)
        }
    }

    static func documentsPerAgent(_ records: SocietyRecords) -> [Int] {
        var counts = [Int](repeating: 0, count: records.agentIds.count)
        for agent in records.author where agent >= 0 { counts[Int(agent)] += 1 }
        return counts.filter { $0 > 0 }
    }

    /// The `[temporal]` settings, the labeller they resolve to and the embedding model, as JSON.
    static func settingsJSON(_ config: PipelineConfig) -> String {
        config.settingsJSON(section: "temporal", extra: ["embed.model", "toxicity_label.labeller"])
    }
}
