/// t-SNE's starting map, as scikit-learn's init="pca": the first two principal components,
/// scaled so the first has standard deviation 1e-4 (small enough that early exaggeration, not
/// the start, shapes the map; the PCA keeps runs deterministic and global structure sensible).
enum EmbeddingInitialization {
    static let standardDeviation = 1e-4

    /// n x 2, x and y interleaved. Where PCA cannot give two axes (one dimension, every point
    /// the same) the missing axes are Gaussian noise of the same scale from `seed`.
    static func principalComponents(of points: Matrix, seed: UInt64) -> [Float] {
        let n = points.rows
        let pca = PCA.fit(points, components: 2)
        let projected = pca.project(points)
        var positions = [Float](repeating: 0, count: 2 * n)
        var random = SeededRandom(seed: seed)
        let spread = firstColumnDeviation(projected)
        let usable = spread > 0 && spread.isFinite ? projected.columns : 0
        for i in 0..<n {
            for axis in 0..<2 {
                positions[2 * i + axis] = axis < usable
                    ? Float(Double(projected[i, axis]) / spread * standardDeviation)
                    : Float(random.gaussian() * standardDeviation)
            }
        }
        return positions
    }

    /// Population standard deviation (numpy's default) of the first column; 0 when there is none.
    private static func firstColumnDeviation(_ matrix: Matrix) -> Double {
        guard matrix.rows > 0, matrix.columns > 0 else { return 0 }
        var sum = 0.0, squares = 0.0
        for i in 0..<matrix.rows { sum += Double(matrix[i, 0]) }
        let mean = sum / Double(matrix.rows)
        for i in 0..<matrix.rows { let centred = Double(matrix[i, 0]) - mean; squares += centred * centred }
        return (squares / Double(matrix.rows)).squareRoot()
    }
}
