import MoltscopeCore

/// The `[temporal]` section of a pipeline configuration.
enum TemporalKeys {
    static let all: [ConfigKey] = [
        ConfigKey("temporal.buckets", .list, default: .list(["1h", "1d"]),
                  "Time buckets every series is computed for: a number and a unit, h (hours) or d (days), aligned to UTC midnight, e.g. [\"1h\", \"6h\", \"1d\"]."),
        ConfigKey("temporal.labeller", .choice(["default", "trained", "zero-shot", "llm"]), default: .string("default"),
                  "Whose labels the topic and harm series use (its latest completed run); default: toxicity_label.labeller's."),
        ConfigKey("temporal.drift.min_documents", .int(2...1_000_000), default: .int(2),
                  "Agents need at least this many embedded documents in two or more buckets to get a drift row."),
        ConfigKey("temporal.ngrams.max_n", .int(1...5), default: .int(3),
                  "Longest n-gram (in words) whose birth and death rates are counted per bucket."),
        ConfigKey("temporal.ngrams.max_tracked", .int(0...2_000_000_000), default: .int(16_000_000),
                  "Distinct n-grams tracked at most (about 50 bytes each); above it turnover is counted on a hash sample of n-grams, halved as often as needed, and counts become estimates. 0: no bound."),
        ConfigKey("temporal.pagerank.top_k", .int(1...100_000), default: .int(50),
                  "Agents of each bucket's PageRank top list whose overlap with the previous bucket's is measured."),
        ConfigKey("temporal.network.betweenness_pivots", .int(0...10_000_000), default: .int(1000),
                  "Betweenness is exact up to this many agents in the interaction graph; above, it is estimated from this many sampled source agents (Brandes-Pich). 0: always exact."),
        ConfigKey("temporal.roles.k_min", .int(2...100), default: .int(3), "Fewest network roles the k-means scan tries."),
        ConfigKey("temporal.roles.k_max", .int(2...100), default: .int(8), "Most network roles the k-means scan tries."),
        ConfigKey("temporal.roles.silhouette_sample", .int(100...1_000_000), default: .int(10_000),
                  "The roles' silhouette is computed on a seeded sample of this many agents when there are more."),
        ConfigKey("temporal.cascades.min_n", .int(2...10), default: .int(3), "Shortest meme n-gram (words)."),
        ConfigKey("temporal.cascades.max_n", .int(2...10), default: .int(5), "Longest meme n-gram (words)."),
        ConfigKey("temporal.cascades.min_agents", .int(2...1_000_000), default: .int(10),
                  "A phrase is a cascade when at least this many distinct agents used it (Molt Dynamics: 10)."),
        ConfigKey("temporal.cascades.min_content_words", .int(0...10), default: .int(2),
                  "Boilerplate: phrases with fewer words that are not function words or numbers (\"this is exactly\", \"if you want\") are common phrasing, not memes, and are left out."),
        ConfigKey("temporal.cascades.max_document_share", .double(0...1), default: .double(0.02),
                  "Boilerplate: phrases in more than this share of all documents are stock phrasing, not memes, and are left out."),
        ConfigKey("temporal.cascades.max_adoptions", .int(0...2_000_000_000), default: .int(10_000_000),
                  "Uses of candidate phrases kept in memory at most (about 60 bytes each); when the sketch says there would be more, only phrases used in at least as many documents as fit are followed (the largest cascades, exact), and the log says the cut. 0: no bound."),
        ConfigKey("temporal.cascades.sketch_bits", .int(16...30), default: .int(22),
                  "The first pass counts phrases in a sketch of 2^bits counters (memory bound, independent of the corpus size); phrases it proves rare are never stored.",
                  affectsOutput: false),
        ConfigKey("temporal.power_law.min_tail", .int(5...1_000_000), default: .int(10),
                  "Power-law fits need at least this many values at or above x_min."),
        ConfigKey("temporal.seed", .int(0...Int(Int32.max)), default: .int(42),
                  "Seed of every random choice (betweenness pivots, k-means, silhouette samples): the same seed and data give the same tables."),
    ]
}

/// The `[temporal]` settings of one run.
struct TemporalSettings: Sendable {
    var buckets: [TimeBucket]
    var labeller: String
    var driftMinDocuments: Int
    var ngramMaxN: Int
    var ngramMaxTracked: Int
    var pageRankTopK: Int
    var betweennessPivots: Int
    var roleKRange: ClosedRange<Int>
    var roleSilhouetteSample: Int
    var cascadeN: ClosedRange<Int>
    var cascadeMinAgents: Int
    var cascadeMinContentWords: Int
    var cascadeMaxDocumentShare: Double
    var cascadeMaxAdoptions: Int
    var sketchBits: Int
    var powerLawMinTail: Int
    var seed: UInt64

    init(config: PipelineConfig) throws {
        let specs = config.list("temporal.buckets")
        guard !specs.isEmpty else {
            throw MoltscopeError(.config, "temporal.buckets is empty", remedy: "list at least one bucket, e.g. [\"1h\", \"1d\"]")
        }
        var buckets: [TimeBucket] = []
        for spec in specs {
            let bucket = try TimeBucket(spec)
            if !buckets.contains(where: { $0.seconds == bucket.seconds }) { buckets.append(bucket) }
        }
        self.buckets = buckets.sorted { $0.seconds < $1.seconds }
        labeller = LabelKeys.labeller(config, key: "temporal.labeller")
        driftMinDocuments = config.int("temporal.drift.min_documents")
        ngramMaxN = config.int("temporal.ngrams.max_n")
        ngramMaxTracked = config.int("temporal.ngrams.max_tracked")
        pageRankTopK = config.int("temporal.pagerank.top_k")
        betweennessPivots = config.int("temporal.network.betweenness_pivots")
        let kMin = config.int("temporal.roles.k_min"), kMax = config.int("temporal.roles.k_max")
        guard kMin <= kMax else {
            throw MoltscopeError(.config, "temporal.roles.k_min (\(kMin)) is above temporal.roles.k_max (\(kMax))",
                                 remedy: "set k_min <= k_max")
        }
        roleKRange = kMin...kMax
        roleSilhouetteSample = config.int("temporal.roles.silhouette_sample")
        let nMin = config.int("temporal.cascades.min_n"), nMax = config.int("temporal.cascades.max_n")
        guard nMin <= nMax else {
            throw MoltscopeError(.config, "temporal.cascades.min_n (\(nMin)) is above temporal.cascades.max_n (\(nMax))",
                                 remedy: "set min_n <= max_n")
        }
        cascadeN = nMin...nMax
        cascadeMinAgents = config.int("temporal.cascades.min_agents")
        cascadeMinContentWords = config.int("temporal.cascades.min_content_words")
        cascadeMaxDocumentShare = config.double("temporal.cascades.max_document_share")
        cascadeMaxAdoptions = config.int("temporal.cascades.max_adoptions")
        sketchBits = config.int("temporal.cascades.sketch_bits")
        powerLawMinTail = config.int("temporal.power_law.min_tail")
        seed = UInt64(config.int("temporal.seed"))
    }
}
