/// HDBSCAN (Campello, Moulavi & Sander 2013) with the semantics of McInnes' `hdbscan` package:
/// Euclidean metric, alpha 1, excess-of-mass or leaf selection, `allow_single_cluster`, and
/// its `min_samples` (the core distance is the distance to the `minSamples`-th nearest other
/// point). Exact: the k-nearest neighbours and the minimum spanning tree are brute force
/// over blocked sgemm (about n^2 distances in all: half for the k-NN, at most half for the
/// tree) with bound-based pruning only, and the distances that reach the hierarchy are
/// recomputed in double precision. Memory: a centred float32 copy of the points,
/// O(n * minSamples) of neighbour lists, sgemm tiles, and at most 2048^2 entries of
/// component-pair edges. Single-threaded (BLAS as configured) and deterministic; `cancellation`
/// is checked between blocks.
///
/// Where the package's answer depends on the order of equal-weight merges, ours may differ: it
/// merges equal weights onto a growing cluster (`SingleLinkageTree`), so a group of more than
/// `minSamples` identical points is never split, while the package can scatter such copies over
/// several clusters at lambda = infinity (scikit-learn-contrib/hdbscan#94, #548).
public struct HDBSCAN: Sendable {
    public enum Selection: String, Sendable {
        case excessOfMass = "eom"
        case leaf
    }

    public struct ParameterError: Error, CustomStringConvertible {
        public var description: String
    }

    public var minClusterSize: Int
    /// nil: `minClusterSize`, as in the package.
    public var minSamples: Int?
    public var selection: Selection
    public var allowSingleCluster: Bool

    public init(minClusterSize: Int = 15, minSamples: Int? = nil, selection: Selection = .excessOfMass,
                allowSingleCluster: Bool = false) {
        self.minClusterSize = minClusterSize
        self.minSamples = minSamples
        self.selection = selection
        self.allowSingleCluster = allowSingleCluster
    }

    public func fit(_ points: Matrix, cancellation: CancellationFlag? = nil) throws -> HDBSCANResult {
        try run(points, cancellation: cancellation).result
    }

    /// A fit with its intermediate results, for tests and measurements.
    struct Run {
        var result: HDBSCANResult
        var coreDistances: [Double] = []
        var spanningTree: [SpanningEdge] = []
        var statistics = MutualReachabilityTree.Statistics()
        /// Seconds in the k-NN pass (with the core distances), the spanning tree, and the rest.
        var seconds: (neighbours: Double, spanningTree: Double, hierarchy: Double) = (0, 0, 0)
    }

    /// Neighbour-list length: a few beyond `minSamples` settle nearly all of Borůvka's first
    /// round without a search (measured: twice `minSamples` does no better).
    static func listLength(minSamples: Int, points: Int) -> Int {
        min(points - 1, minSamples + 8)
    }

    func run(_ points: Matrix, strategy: MutualReachabilityTree.Strategy = .automatic,
             cancellation: CancellationFlag? = nil) throws -> Run {
        guard minClusterSize >= 2 else { throw ParameterError(description: "min_cluster_size must be at least 2, not \(minClusterSize)") }
        if let minSamples, minSamples < 1 { throw ParameterError(description: "min_samples must be positive, not \(minSamples)") }
        guard points.values.allSatisfy({ $0.isFinite }) else { throw ParameterError(description: "points with non-finite coordinates") }
        let n = points.rows
        guard n > 1 else { return Run(result: .noise(count: n)) }
        // The package clamps min_samples to n - 1.
        let neighbours = min(n - 1, minSamples ?? minClusterSize)

        let clock = ContinuousClock()
        var mark = clock.now
        func lap() -> Double {
            let now = clock.now, elapsed = now - mark
            mark = now
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }
        var rows = CenteredRows(points)
        var lists = try NearestNeighbours.lists(of: &rows, count: Self.listLength(minSamples: neighbours, points: n),
                                                cancellation: cancellation)
        let core = CoreDistances.refine(&lists, points: points, minSamples: neighbours)
        let neighbourSeconds = lap()
        let (edges, statistics) = try MutualReachabilityTree.edges(points: points, rows: &rows, core: core, lists: lists,
                                                                  strategy: strategy, cancellation: cancellation)
        let treeSeconds = lap()
        try cancellation?.check()
        let condensed = CondensedTree(SingleLinkageTree(edges: edges, pointCount: n), minClusterSize: minClusterSize)
        let selected = ClusterSelection(condensed, method: selection, allowSingleCluster: allowSingleCluster)
        let result = HDBSCANResult(labels: selected.labels, probabilities: selected.probabilities,
                                   outlierScores: OutlierScores.glosh(condensed),
                                   clusterPersistence: selected.persistence, clusterCount: selected.clusterCount)
        return Run(result: result, coreDistances: core, spanningTree: edges, statistics: statistics,
                   seconds: (neighbourSeconds, treeSeconds, lap()))
    }
}
