/// Principal component analysis through the covariance matrix: a d x d scatter accumulated block
/// by block (ssyrk), then its largest eigenpairs (ssyevr). Memory is d² plus one block of rows,
/// so 200k documents of 384 dimensions fit easily; this is scikit-learn's "covariance_eigh" solver.
public struct PCA: Sendable {
    /// k x d, unit rows, by descending variance; each row's largest-magnitude entry is positive
    /// (scikit-learn's `svd_flip` convention, so components and projections match its signs).
    public var components: Matrix
    public var mean: [Float]
    /// Each component's share of the total variance (the trace of the covariance).
    public var explainedVarianceRatio: [Float]

    /// Rows centred and multiplied per block: 1,024 rows of 384 floats is 1.5 MB.
    static let rowsPerBlock = 1024

    public init(components: Matrix, mean: [Float], explainedVarianceRatio: [Float]) {
        self.components = components
        self.mean = mean
        self.explainedVarianceRatio = explainedVarianceRatio
    }

    /// The first `min(components, d, n)` principal components of `points`.
    public static func fit(_ points: Matrix, components wanted: Int) -> PCA {
        let n = points.rows, d = points.columns
        let mean = points.columnMeans()
        let k = max(0, min(wanted, d, n))
        guard k > 0 else {
            return PCA(components: Matrix(rows: 0, columns: d), mean: mean, explainedVarianceRatio: [])
        }
        let scatter = centredScatter(points, mean: mean)
        let totalVariance = (0..<d).reduce(0.0) { $0 + Double(scatter[$1 * d + $1]) }
        let (values, vectors) = BLAS.symmetricEigen(scatter, order: d, largest: k)
        var components = vectors
        for row in 0..<components.rows { flipSign(of: row, in: &components) }
        // Scatter / (n - 1) is the covariance; the ratio needs no scaling. Rounding can leave
        // eigenvalues of a rank-deficient scatter slightly negative.
        let ratios = values.map { totalVariance > 0 ? Float(max(0, Double($0)) / totalVariance) : 0 }
        return PCA(components: components, mean: mean, explainedVarianceRatio: ratios)
    }

    /// (x - mean) · componentsᵀ, a block of rows at a time: n x k.
    public func project(_ points: Matrix) -> Matrix {
        precondition(points.columns == mean.count, "points of \(points.columns) dimensions for a PCA of \(mean.count)")
        let n = points.rows, d = points.columns, k = components.rows
        var output = Matrix(rows: n, columns: k)
        guard n > 0, k > 0 else { return output }
        var block = [Float](repeating: 0, count: min(n, Self.rowsPerBlock) * d)
        var start = 0
        while start < n {
            let rows = min(Self.rowsPerBlock, n - start)
            Self.centre(points, rows: start..<start + rows, mean: mean, into: &block)
            block.withUnsafeBufferPointer { centred in
                components.values.withUnsafeBufferPointer { basis in
                    output.values.withUnsafeMutableBufferPointer { out in
                        BLAS.multiplyTransposed(centred.baseAddress!, rows: rows, basis.baseAddress!, rows: k,
                                                depth: d, into: out.baseAddress! + start * k)
                    }
                }
            }
            start += rows
        }
        return output
    }

    /// Σ (x - mean)(x - mean)ᵀ as a dense d x d matrix. Each block's product is float32 (BLAS);
    /// blocks are summed in double so 200k rows lose nothing to accumulation.
    private static func centredScatter(_ points: Matrix, mean: [Float]) -> [Float] {
        let n = points.rows, d = points.columns
        var total = [Double](repeating: 0, count: d * d)
        var blockGram = [Float](repeating: 0, count: d * d)
        var block = [Float](repeating: 0, count: min(n, rowsPerBlock) * d)
        var start = 0
        while start < n {
            let rows = min(rowsPerBlock, n - start)
            centre(points, rows: start..<start + rows, mean: mean, into: &block)
            block.withUnsafeBufferPointer { centred in
                blockGram.withUnsafeMutableBufferPointer { gram in
                    BLAS.gramOfColumns(centred.baseAddress!, rows: rows, columns: d, into: gram.baseAddress!)
                }
            }
            for index in 0..<d * d { total[index] += Double(blockGram[index]) }
            start += rows
        }
        return total.map { Float($0) }
    }

    /// Copies rows `range` of `points`, minus `mean`, to the front of `block`.
    private static func centre(_ points: Matrix, rows range: Range<Int>, mean: [Float], into block: inout [Float]) {
        let d = points.columns
        points.values.withUnsafeBufferPointer { source in
            block.withUnsafeMutableBufferPointer { target in
                for (local, row) in range.enumerated() {
                    for j in 0..<d { target[local * d + j] = source[row * d + j] - mean[j] }
                }
            }
        }
    }

    /// Makes the row's largest-magnitude entry (the first such, as numpy's argmax) positive.
    private static func flipSign(of row: Int, in matrix: inout Matrix) {
        var largest = 0
        for j in 0..<matrix.columns where abs(matrix[row, j]) > abs(matrix[row, largest]) { largest = j }
        guard matrix[row, largest] < 0 else { return }
        for j in 0..<matrix.columns { matrix[row, j] = -matrix[row, j] }
    }
}
