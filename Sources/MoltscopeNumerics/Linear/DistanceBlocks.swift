/// Squared Euclidean distances between blocks of rows, through one sgemm per block:
/// |x - c|^2 = |x|^2 + |c|^2 - 2 x.c. Callers walk the rows of a large matrix a block at a time,
/// so memory is block x targets, never n x n.
public struct DistanceBlocks: Sendable {
    /// Rows per block: 256 rows against 100k targets is 100 MB of floats; callers with many
    /// targets use `rowsPerBlock(targets:)`.
    public static let defaultRowsPerBlock = 256

    /// Rows per block so that one block of distances stays within `budgetBytes`.
    public static func rowsPerBlock(targets: Int, budgetBytes: Int = 64 << 20) -> Int {
        max(1, min(defaultRowsPerBlock * 4, budgetBytes / max(1, targets * 4)))
    }

    /// Distances from rows `range` of `points` to every row of `targets`, written to
    /// `output` (range.count x targets.rows, row-major). Norms are precomputed by the caller.
    public static func squaredDistances(
        rows range: Range<Int>, of points: Matrix, pointNorms: [Float],
        to targets: Matrix, targetNorms: [Float], into output: inout [Float]
    ) {
        precondition(points.columns == targets.columns, "points and targets of different dimensions")
        let m = range.count, n = targets.rows, k = points.columns
        if output.count < m * n { output = [Float](repeating: 0, count: m * n) }
        guard m > 0, n > 0 else { return }
        points.values.withUnsafeBufferPointer { x in
            targets.values.withUnsafeBufferPointer { c in
                output.withUnsafeMutableBufferPointer { out in
                    BLAS.multiplyTransposed(x.baseAddress! + range.lowerBound * k, rows: m, c.baseAddress!, rows: n,
                                            depth: k, into: out.baseAddress!, alpha: -2)
                    for i in 0..<m {
                        let xi = pointNorms[range.lowerBound + i]
                        let base = i * n
                        for j in 0..<n {
                            // Rounding can take a near-zero distance below zero.
                            out[base + j] = max(0, out[base + j] + xi + targetNorms[j])
                        }
                    }
                }
            }
        }
    }
}
