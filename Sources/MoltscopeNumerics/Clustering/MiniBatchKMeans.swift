/// Mini-batch k-means (Sculley 2010, as scikit-learn's `MiniBatchKMeans`) for inputs too large
/// for full Lloyd passes: k-means++ on a random init sample, then centre updates from random
/// batches with per-centre learning rates, stopped when the smoothed batch inertia stops
/// improving; rarely chosen centres are moved to random points. A final full pass assigns
/// every point and computes the exact inertia.
public struct MiniBatchKMeans: Sendable {
    public var clusters: Int
    public var batchSize: Int
    public var maxEpochs: Int
    /// Batches without an improvement of the smoothed inertia before stopping.
    public var patience: Int
    public var seed: UInt64

    public init(clusters: Int, batchSize: Int = 1024, maxEpochs: Int = 100, patience: Int = 10, seed: UInt64 = 0) {
        self.clusters = clusters
        self.batchSize = batchSize
        self.maxEpochs = maxEpochs
        self.patience = patience
        self.seed = seed
    }

    public func fit(_ points: Matrix, cancellation: CancellationFlag? = nil) throws -> KMeansResult {
        let n = points.rows, k = clusters, d = points.columns
        precondition(k >= 1 && n >= k, "mini-batch k-means needs 1 <= k <= n")
        var random = SeededRandom(seed: seed)
        let mean = points.columnMeans()
        let centred = points.centred(by: mean)
        let norms = centred.rowSquaredNorms()

        let initSize = min(n, max(3 * batchSize, 3 * k))
        let initRows = random.sample(initSize, of: n)
        let initPoints = centred.gathering(rows: initRows)
        var centres = try KMeansPlusPlus.centres(of: initPoints, norms: initRows.map { norms[$0] }, count: k,
                                                 random: &random, cancellation: cancellation)
        var counts = [Double](repeating: 0, count: k)
        let batch = min(batchSize, n)
        let steps = max(1, maxEpochs * n / batch)
        var smoothed: Double?
        var bestSmoothed = Double.infinity
        var stale = 0
        var labels = [Int32](), distances = [Float]()
        var step = 0
        while step < steps {
            try cancellation?.check()
            step += 1
            let rows = random.sample(batch, of: n)
            let batchPoints = centred.gathering(rows: rows)
            let batchNorms = rows.map { norms[$0] }
            labels = [Int32](repeating: 0, count: batch)
            distances = [Float](repeating: 0, count: batch)
            Lloyd(points: batchPoints, norms: batchNorms, threshold: 0, maxIterations: 1)
                .assign(centres, labels: &labels, distances: &distances)
            // Per-centre running means: each centre moves towards its batch members by 1/count.
            var sums = [Double](repeating: 0, count: k * d), batchCounts = [Double](repeating: 0, count: k)
            for i in 0..<batch {
                let c = Int(labels[i])
                batchCounts[c] += 1
                for j in 0..<d { sums[c * d + j] += Double(batchPoints[i, j]) }
            }
            for c in 0..<k where batchCounts[c] > 0 {
                let total = counts[c] + batchCounts[c]
                for j in 0..<d {
                    let old = Double(centres[c, j])
                    centres[c, j] = Float((old * counts[c] + sums[c * d + j]) / total)
                }
                counts[c] = total
            }
            if step % 10 == 0 { reassignRare(&centres, counts: &counts, points: centred, random: &random) }
            // Early stop on the exponentially weighted average of the batch inertia (as scikit-learn).
            let batchInertia = distances.reduce(0.0) { $0 + Double($1) } / Double(batch)
            let alpha = min(1, Double(batch) * 2 / Double(n + 1))
            smoothed = smoothed.map { $0 * (1 - alpha) + batchInertia * alpha } ?? batchInertia
            if smoothed! < bestSmoothed {
                bestSmoothed = smoothed!
                stale = 0
            } else {
                stale += 1
                if stale >= patience { break }
            }
        }
        var allLabels = [Int32](repeating: 0, count: n), allDistances = [Float](repeating: 0, count: n)
        Lloyd(points: centred, norms: norms, threshold: 0, maxIterations: 1).assign(centres, labels: &allLabels, distances: &allDistances)
        let inertia = allDistances.reduce(0.0) { $0 + Double($1) }
        return KMeansResult(centroids: centres.centred(by: mean.map { -$0 }), labels: allLabels, inertia: inertia,
                            iterations: step)
    }

    /// Centres chosen far less often than the busiest one restart at random points, so no
    /// centre stays stranded (scikit-learn's reassignment_ratio 0.01).
    private func reassignRare(_ centres: inout Matrix, counts: inout [Double], points: Matrix, random: inout SeededRandom) {
        guard let busiest = counts.max(), busiest > 0 else { return }
        let rare = counts.indices.filter { counts[$0] < 0.01 * busiest }
        guard !rare.isEmpty, rare.count < counts.count / 2 + 1 else { return }
        for c in rare {
            let row = Int(random.unit() * Double(points.rows)) % points.rows
            centres.setRow(c, points.row(row))
            counts[c] = counts.filter { $0 >= 0.01 * busiest }.min() ?? 1
        }
    }
}
