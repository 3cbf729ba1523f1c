/// Lloyd's k-means with greedy k-means++ seeding, following scikit-learn's `KMeans`
/// (algorithm="lloyd"): the tolerance is relative to the data's mean variance, iteration stops
/// when no label changes or the centres move less than it, empty clusters take the points
/// farthest from their centres, and the best of `initializations` runs (lowest inertia) wins.
/// Distances come from sgemm blocks, so memory is the data plus block x k.
public struct KMeans: Sendable {
    public var clusters: Int
    public var initializations: Int
    public var maxIterations: Int
    public var tolerance: Double
    public var seed: UInt64

    public init(clusters: Int, initializations: Int = 1, maxIterations: Int = 300, tolerance: Double = 1e-4,
                seed: UInt64 = 0) {
        self.clusters = clusters
        self.initializations = initializations
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seed = seed
    }

    public func fit(_ points: Matrix, cancellation: CancellationFlag? = nil) throws -> KMeansResult {
        precondition(clusters >= 1, "k-means needs at least one cluster")
        precondition(points.rows >= clusters, "k-means needs at least as many points (\(points.rows)) as clusters (\(clusters))")
        // Centred data loses less precision in |x|^2 + |c|^2 - 2x.c (scikit-learn does the same).
        let mean = points.columnMeans()
        let centred = points.centred(by: mean)
        let norms = centred.rowSquaredNorms()
        let threshold = tolerance * Self.meanVariance(centred)
        var random = SeededRandom(seed: seed)
        var best: KMeansResult?
        for _ in 0..<max(1, initializations) {
            var runRandom = random.split()
            let start = try KMeansPlusPlus.centres(of: centred, norms: norms, count: clusters, random: &runRandom,
                                                   cancellation: cancellation)
            let result = try BoundedLloyd(points: centred, norms: norms, threshold: threshold, maxIterations: maxIterations)
                .run(from: start, cancellation: cancellation)
            if best == nil || result.inertia < best!.inertia { best = result }
        }
        var result = best!
        result.centroids = result.centroids.centred(by: mean.map { -$0 })
        return result
    }

    /// Lloyd iterations from given centres (X-Means refines its centres this way).
    public static func refine(_ points: Matrix, from centres: Matrix, maxIterations: Int = 300, tolerance: Double = 1e-4,
                              cancellation: CancellationFlag? = nil) throws -> KMeansResult {
        let mean = points.columnMeans()
        let centred = points.centred(by: mean)
        let threshold = tolerance * meanVariance(centred)
        var result = try BoundedLloyd(points: centred, norms: centred.rowSquaredNorms(), threshold: threshold,
                               maxIterations: maxIterations)
            .run(from: centres.centred(by: mean), cancellation: cancellation)
        result.centroids = result.centroids.centred(by: mean.map { -$0 })
        return result
    }

    static func meanVariance(_ centred: Matrix) -> Double {
        guard centred.rows > 0, centred.columns > 0 else { return 0 }
        var sum = 0.0
        for value in centred.values { sum += Double(value) * Double(value) }
        return sum / Double(centred.rows) / Double(centred.columns)
    }
}

/// A fitted partition: centres, one label per point, and its quality.
public struct KMeansResult: Sendable {
    public var centroids: Matrix
    public var labels: [Int32]
    /// Sum of squared distances of the points to their centres.
    public var inertia: Double
    public var iterations: Int

    public var sizes: [Int] {
        var sizes = [Int](repeating: 0, count: centroids.rows)
        for label in labels { sizes[Int(label)] += 1 }
        return sizes
    }
}
