/// Barnes-Hut t-SNE to two dimensions, following scikit-learn's `TSNE(method="barnes_hut",
/// init="pca")` step for step so maps and KL divergences are comparable: exact 3·perplexity
/// nearest neighbours, per-point Gaussians calibrated to the perplexity, symmetric sparse P,
/// 250 iterations of early exaggeration at momentum 0.5, then momentum 0.8, with gains.
/// Memory is O(n·perplexity); deterministic for a seed (single-threaded, no random init unless
/// PCA cannot give two axes).
///
/// Identical rows are embedded once and share their coordinates. Left in, copies tie in every
/// neighbour list, the list boundary takes some copies and not others, and the copies split into
/// separate clumps (as in scikit-learn); one document posted twice belongs on one spot.
public struct TSNE: Sendable {
    public var perplexity: Double
    /// Total iterations, early exaggeration included (scikit-learn's max_iter).
    public var iterations: Int
    public var earlyExaggeration: Double
    /// nil is scikit-learn's "auto": max(n / earlyExaggeration / 4, 50).
    public var learningRate: Double?
    /// Barnes-Hut angle: cells whose width / distance is below it repel as one body.
    public var theta: Double
    public var seed: UInt64

    /// Iterations with exaggerated P and low momentum (scikit-learn's _EXPLORATION_MAX_ITER).
    static let explorationIterations = 250
    static let explorationMomentum: Float = 0.5
    static let finalMomentum: Float = 0.8
    /// scikit-learn's n_iter_without_progress default, for the final phase.
    static let finalPatience = 300

    public init(perplexity: Double = 30, iterations: Int = 1000, earlyExaggeration: Double = 12,
                learningRate: Double? = nil, theta: Double = 0.5, seed: UInt64 = 42) {
        self.perplexity = perplexity
        self.iterations = iterations
        self.earlyExaggeration = earlyExaggeration
        self.learningRate = learningRate
        self.theta = theta
        self.seed = seed
    }

    /// The perplexity actually used for n distinct points. scikit-learn refuses perplexity ≥ n;
    /// we clamp instead, to (n - 1) / 3 so the 3·perplexity neighbours exist and the Gaussians
    /// stay local (openTSNE's rule; 10 submolts get perplexity 3, not a uniform P), and to at
    /// least 1, the smallest perplexity a distribution can have.
    public func effectivePerplexity(points n: Int) -> Double {
        max(1, min(perplexity, Double(n - 1) / 3))
    }

    /// The map (n x 2) and the final KL divergence (as scikit-learn's kl_divergence_, evaluated
    /// at the last iteration; of the distinct rows' map when there are copies). Checks
    /// `cancellation` every iteration and every block of neighbour search; calls `progress` with
    /// the iterations done every 50.
    public func embed(_ points: Matrix, cancellation: CancellationFlag? = nil,
                      progress: ((Int) -> Void)? = nil) throws -> (coordinates: Matrix, klDivergence: Double) {
        precondition(perplexity > 0 && earlyExaggeration > 0 && iterations >= 0 && theta >= 0,
                     "t-SNE needs a positive perplexity and exaggeration, and non-negative iterations and theta")
        let identical = IdenticalRows(points)
        guard identical.hasDuplicates else {
            return try embedDistinct(points, cancellation: cancellation, progress: progress)
        }
        let distinct = try embedDistinct(points.gathering(rows: identical.representatives),
                                         cancellation: cancellation, progress: progress)
        let coordinates = distinct.coordinates.gathering(rows: identical.groupOfRow)
        return (coordinates, distinct.klDivergence)
    }

    /// `embed` for rows that are all different.
    private func embedDistinct(_ points: Matrix, cancellation: CancellationFlag?,
                               progress: ((Int) -> Void)?) throws -> (coordinates: Matrix, klDivergence: Double) {
        let n = points.rows
        guard n > 1 else { return (Matrix(rows: n, columns: 2), 0) }
        let affinities = try inputAffinities(points, cancellation: cancellation)
        var positions = EmbeddingInitialization.principalComponents(of: points, seed: seed)
        var gradient = BarnesHutGradient(affinities: affinities, theta: theta)
        let rate = Float(learningRate ?? max(Double(n) / earlyExaggeration / 4, 50))

        let exploration = GradientDescent(learningRate: rate, momentum: Self.explorationMomentum,
                                          patience: Self.explorationIterations)
        let exaggeration = Float(earlyExaggeration)
        let first = try exploration.run(0..<min(Self.explorationIterations, iterations), positions: &positions,
                                        cancellation: cancellation, progress: progress) { at, withError, into in
            gradient.evaluate(at: at, exaggeration: exaggeration, withError: withError, into: &into)
        }
        let final = GradientDescent(learningRate: rate, momentum: Self.finalMomentum, patience: Self.finalPatience)
        let second = try final.run(first.lastIteration + 1..<max(first.lastIteration + 1, iterations),
                                   positions: &positions, cancellation: cancellation, progress: progress) {
            at, withError, into in
            gradient.evaluate(at: at, exaggeration: 1, withError: withError, into: &into)
        }
        if let divergence = second.error {
            return (Matrix(rows: n, columns: 2, values: positions), divergence)
        }
        // No final phase ran (iterations ≤ 250): the error so far was of the exaggerated P.
        var scratch = [Float](repeating: 0, count: positions.count)
        let divergence = gradient.evaluate(at: positions, exaggeration: 1, withError: true, into: &scratch) ?? 0
        return (Matrix(rows: n, columns: 2, values: positions), divergence)
    }

    /// The symmetric sparse P of the input points.
    func inputAffinities(_ points: Matrix, cancellation: CancellationFlag?) throws -> JointAffinities {
        let perplexity = effectivePerplexity(points: points.rows)
        let neighbors = try ExactNeighbors.find(in: points, count: Int(3 * perplexity + 1), cancellation: cancellation)
        let conditional = try PerplexityCalibration.conditionalAffinities(neighbors, perplexity: perplexity,
                                                                          cancellation: cancellation)
        return JointAffinities(neighbors: neighbors, conditional: conditional)
    }
}
