import MoltscopeCore

/// The `[cluster]` section of a pipeline configuration.
enum ClusterKeys {
    static let all: [ConfigKey] = [
        ConfigKey("cluster.method", .choice(["kmeans", "hdbscan"]), default: .string("kmeans"),
                  "Topic clustering of documents: k-means (k chosen by silhouette unless cluster.k is set) or density-based HDBSCAN (noise allowed)."),
        ConfigKey("cluster.center", .bool, default: .bool(true),
                  "Subtract the mean vector of all clustered documents and re-normalize first: models like e5 give every text a common direction (random pairs have cosine ~0.84; ~0 after centring), which would squash every similarity near 1."),
        ConfigKey("cluster.k", .int(0...10_000), default: .int(0),
                  "Fixed number of topic clusters for k-means; 0: choose the k with the best silhouette in k_min..k_max."),
        ConfigKey("cluster.k_min", .int(2...10_000), default: .int(4), "Smallest k the silhouette scan tries."),
        ConfigKey("cluster.k_max", .int(2...10_000), default: .int(24), "Largest k the silhouette scan tries."),
        ConfigKey("cluster.k_step", .int(1...1_000), default: .int(2), "Step between the k values the scan tries."),
        ConfigKey("cluster.n_init", .int(1...100), default: .int(3),
                  "k-means runs from different k-means++ seeds per k; the lowest inertia is kept."),
        ConfigKey("cluster.max_iterations", .int(1...10_000), default: .int(300), "Lloyd iterations per k-means run at most."),
        ConfigKey("cluster.tolerance", .double(0...1), default: .double(1e-4),
                  "k-means stops when its centres move less than this, relative to the data's mean variance (as scikit-learn)."),
        ConfigKey("cluster.minibatch_above", .int(0...1_000_000_000), default: .int(100_000),
                  "Above this many documents k-means runs in mini-batches (Sculley) instead of full Lloyd passes; 0: never."),
        ConfigKey("cluster.fit_sample", .int(0...1_000_000_000), default: .int(200_000),
                  "Above this many documents, topics, map, communities, templates and keywords are fitted on a seeded random sample of this many, and every other document is assigned to its nearest topic centre (cosine) in blocks: memory is bounded by this, not by the corpus (384-d vectors: 1.5 KB a document). 0: fit on all."),
        ConfigKey("cluster.silhouette_sample", .int(100...1_000_000), default: .int(10_000),
                  "Silhouette (O(n^2)) is computed on a random sample of this many documents when there are more."),
        ConfigKey("cluster.seed", .int(0...Int(Int32.max)), default: .int(42),
                  "Seed of every random choice (k-means++, samples, t-SNE): the same seed and data give the same tables."),
        ConfigKey("cluster.threads", .int(1...256), default: .int(1),
                  "OpenBLAS threads; 1 leaves the other cores to the stages running beside this one.", affectsOutput: false),
        ConfigKey("cluster.keywords", .int(1...100), default: .int(10), "Keywords stored per cluster (class-based TF-IDF)."),
        ConfigKey("cluster.examples", .int(1...100), default: .int(5), "Most central example documents stored per cluster."),
        ConfigKey("cluster.hdbscan.min_cluster_size", .int(2...1_000_000), default: .int(25),
                  "HDBSCAN: the smallest group of documents that counts as a cluster."),
        ConfigKey("cluster.hdbscan.min_samples", .int(0...1_000_000), default: .int(0),
                  "HDBSCAN: neighbours defining a core point (higher: more noise); 0: min_cluster_size."),
        ConfigKey("cluster.hdbscan.selection", .choice(["eom", "leaf"]), default: .string("eom"),
                  "HDBSCAN cluster selection: excess of mass (fewer, larger clusters) or leaf (many small ones)."),
        ConfigKey("cluster.hdbscan.dimensions", .int(0...4096), default: .int(50),
                  "HDBSCAN runs on a PCA projection to this many dimensions (density is unreliable in raw 384-dim space); 0: the raw vectors."),
        ConfigKey("cluster.communities.k", .int(2...1_000), default: .int(8),
                  "Themes the submolts are grouped into (k-means on submolt centroids; the Silicon-Based Societies study reports about 8)."),
        ConfigKey("cluster.communities.min_posts", .int(1...1_000_000), default: .int(3),
                  "Submolts with fewer kept posts are left out of the communities (too little text for a centroid)."),
        ConfigKey("cluster.templates.min_posts", .int(2...1_000_000), default: .int(20),
                  "Submolts with at least this many kept posts get an X-Means template analysis."),
        ConfigKey("cluster.templates.max_k", .int(1...1_000), default: .int(10), "Most templates X-Means may find in one submolt."),
        ConfigKey("cluster.templates.near_cosine", .double(0...1), default: .double(0.6),
                  "A post whose cosine similarity to its template centre is at least this follows the template (centred vectors: random pairs ~0, near-duplicates >= 0.9)."),
        ConfigKey("cluster.map.enabled", .bool, default: .bool(true), "Compute the 2-D maps of documents and submolts (PCA, then t-SNE)."),
        ConfigKey("cluster.map.max_points", .int(10...10_000_000), default: .int(50_000),
                  "Documents placed on the map; above this a seeded random sample is mapped and the rest have no coordinates."),
        ConfigKey("cluster.map.pca_dims", .int(2...4096), default: .int(50), "PCA dimensions before t-SNE."),
        ConfigKey("cluster.map.perplexity", .double(2...500), default: .double(30), "t-SNE perplexity (effective neighbours)."),
        ConfigKey("cluster.map.iterations", .int(250...100_000), default: .int(1000), "t-SNE iterations."),
    ]
}

/// The `[cluster]` settings of one run.
struct ClusterSettings: Sendable {
    enum Method: String, Sendable { case kmeans, hdbscan }

    var method: Method
    var center: Bool
    var fixedK: Int?
    var kRange: [Int]
    var initializations: Int
    var maxIterations: Int
    var tolerance: Double
    var miniBatchAbove: Int
    var silhouetteSample: Int
    var fitSample: Int
    var seed: UInt64
    var threads: Int
    var keywords: Int
    var examples: Int
    var hdbscanMinClusterSize: Int
    var hdbscanMinSamples: Int?
    var hdbscanLeaf: Bool
    var hdbscanDimensions: Int
    var communityK: Int
    var communityMinPosts: Int
    var templateMinPosts: Int
    var templateMaxK: Int
    var templateNearCosine: Float
    var mapEnabled: Bool
    var mapMaxPoints: Int
    var mapPCADimensions: Int
    var mapPerplexity: Double
    var mapIterations: Int

    init(config: PipelineConfig) throws {
        method = Method(rawValue: config.string("cluster.method") ?? "kmeans") ?? .kmeans
        center = config.bool("cluster.center")
        let k = config.int("cluster.k")
        fixedK = k > 0 ? k : nil
        let low = config.int("cluster.k_min"), high = config.int("cluster.k_max"), step = config.int("cluster.k_step")
        guard low <= high else {
            throw MoltscopeError(.config, "cluster.k_min (\(low)) is above cluster.k_max (\(high))", remedy: "set k_min <= k_max")
        }
        kRange = Array(stride(from: low, through: high, by: step))
        if kRange.last != high { kRange.append(high) }
        initializations = config.int("cluster.n_init")
        maxIterations = config.int("cluster.max_iterations")
        tolerance = config.double("cluster.tolerance")
        miniBatchAbove = config.int("cluster.minibatch_above")
        silhouetteSample = config.int("cluster.silhouette_sample")
        fitSample = config.int("cluster.fit_sample")
        seed = UInt64(config.int("cluster.seed"))
        threads = config.int("cluster.threads")
        keywords = config.int("cluster.keywords")
        examples = config.int("cluster.examples")
        hdbscanMinClusterSize = config.int("cluster.hdbscan.min_cluster_size")
        let samples = config.int("cluster.hdbscan.min_samples")
        hdbscanMinSamples = samples > 0 ? samples : nil
        hdbscanLeaf = config.string("cluster.hdbscan.selection") == "leaf"
        hdbscanDimensions = config.int("cluster.hdbscan.dimensions")
        communityK = config.int("cluster.communities.k")
        communityMinPosts = config.int("cluster.communities.min_posts")
        templateMinPosts = config.int("cluster.templates.min_posts")
        templateMaxK = config.int("cluster.templates.max_k")
        templateNearCosine = Float(config.double("cluster.templates.near_cosine"))
        mapEnabled = config.bool("cluster.map.enabled")
        mapMaxPoints = config.int("cluster.map.max_points")
        mapPCADimensions = config.int("cluster.map.pca_dims")
        mapPerplexity = config.double("cluster.map.perplexity")
        mapIterations = config.int("cluster.map.iterations")
    }
}
