import MoltscopeNumerics

/// The 2-D map: PCA to a few dozen dimensions (t-SNE's usual preprocessing: it removes noise
/// and makes neighbour search cheap), then Barnes-Hut t-SNE. Above `maxPoints`, a seeded
/// random sample is mapped and the other documents get no coordinates.
struct DocumentMap {
    let maxPoints: Int
    let pcaDimensions: Int
    let perplexity: Double
    let iterations: Int
    let seed: UInt64

    /// Rows mapped (ascending) and their coordinates.
    func run(_ points: Matrix, cancellation: CancellationFlag, progress: ((Int) -> Void)?) throws -> (rows: [Int], coordinates: Matrix) {
        var random = SeededRandom(seed: seed)
        let rows = points.rows > maxPoints
            ? random.sample(maxPoints, of: points.rows).sorted()
            : Array(0..<points.rows)
        let subset = rows.count == points.rows ? points : points.gathering(rows: rows)
        return (rows, try coordinates(of: subset, cancellation: cancellation, progress: progress))
    }

    /// Coordinates of every row of `points` (also used for the submolt map).
    func coordinates(of points: Matrix, cancellation: CancellationFlag, progress: ((Int) -> Void)?) throws -> Matrix {
        let reduced = pcaDimensions < points.columns && points.rows > pcaDimensions
            ? PCA.fit(points, components: pcaDimensions).project(points)
            : points
        var tsne = TSNE()
        tsne.perplexity = perplexity
        tsne.iterations = iterations
        tsne.seed = seed
        return try tsne.embed(reduced, cancellation: cancellation, progress: progress).coordinates
    }
}
