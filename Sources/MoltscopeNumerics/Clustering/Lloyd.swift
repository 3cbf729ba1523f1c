/// The iterations of one k-means run, on centred data with precomputed squared norms.
struct Lloyd {
    let points: Matrix
    let norms: [Float]
    /// Total squared centre movement below which the run has converged.
    let threshold: Double
    let maxIterations: Int

    func run(from start: Matrix, cancellation: CancellationFlag?) throws -> KMeansResult {
        let k = start.rows
        var centres = start
        var labels = [Int32](repeating: -1, count: points.rows)
        var distances = [Float](repeating: 0, count: points.rows)
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            try cancellation?.check()
            iterations += 1
            let previous = labels
            var sums = [Double](repeating: 0, count: k * points.columns)
            var counts = [Int](repeating: 0, count: k)
            assign(centres, labels: &labels, distances: &distances, sums: &sums, counts: &counts)
            let updated = update(labels: labels, distances: distances, sums: sums, counts: counts)
            if labels == previous { converged = true; break }
            var shift = 0.0
            for i in 0..<centres.values.count {
                let d = Double(updated.values[i]) - Double(centres.values[i])
                shift += d * d
            }
            centres = updated
            if shift <= threshold { break }
        }
        // Labels and inertia must describe the final centres.
        if !converged { assign(centres, labels: &labels, distances: &distances) }
        let inertia = distances.reduce(0.0) { $0 + Double($1) }
        return KMeansResult(centroids: centres, labels: labels, inertia: inertia, iterations: iterations)
    }

    /// Nearest centre and squared distance of every point, a block of rows at a time.
    func assign(_ centres: Matrix, labels: inout [Int32], distances: inout [Float]) {
        var sums: [Double] = [], counts: [Int] = []
        assign(centres, labels: &labels, distances: &distances, sums: &sums, counts: &counts)
    }

    /// The assignment pass; when `sums` is non-empty it also adds every point to its centre's sum
    /// while its block is still in cache (float partial sums per block, double across blocks).
    func assign(_ centres: Matrix, labels: inout [Int32], distances: inout [Float], sums: inout [Double], counts: inout [Int]) {
        let k = centres.rows, d = points.columns
        let accumulate = !sums.isEmpty
        var partial = [Float](repeating: 0, count: accumulate ? k * d : 0)
        let centreNorms = centres.rowSquaredNorms()
        // Small blocks: a block of rows stays in the L2 cache between the sgemm and the sums.
        let block = min(256, DistanceBlocks.rowsPerBlock(targets: k))
        var buffer = [Float](repeating: 0, count: k * block)
        var best = [Float](repeating: 0, count: block), bestIndex = [Int32](repeating: 0, count: block)
        var start = 0
        while start < points.rows {
            let range = start..<min(points.rows, start + block)
            let m = range.count
            // Centres as sgemm's first operand: OpenBLAS then packs the small centre matrix rather
            // than every block of points (measured 2.3x faster for k = 20, 256-row blocks).
            points.values.withUnsafeBufferPointer { data in
                centres.values.withUnsafeBufferPointer { c in
                    buffer.withUnsafeMutableBufferPointer { out in
                        BLAS.multiplyTransposed(c.baseAddress!, rows: k, data.baseAddress! + range.lowerBound * d, rows: m,
                                                depth: d, into: out.baseAddress!, alpha: -2)
                    }
                }
            }
            buffer.withUnsafeBufferPointer { dots in
                best.withUnsafeMutableBufferPointer { best in
                    bestIndex.withUnsafeMutableBufferPointer { bestIndex in
                        for i in 0..<m { best[i] = dots[i] + centreNorms[0]; bestIndex[i] = 0 }
                        for c in 1..<max(k, 1) {
                            let row = dots.baseAddress! + c * m, norm = centreNorms[c]
                            for i in 0..<m {
                                let value = row[i] + norm
                                if value < best[i] { best[i] = value; bestIndex[i] = Int32(c) }
                            }
                        }
                    }
                }
            }
            for i in 0..<m {
                labels[range.lowerBound + i] = bestIndex[i]
                // |x|^2 + |c|^2 - 2 x.c, which rounding can take just below zero.
                distances[range.lowerBound + i] = max(0, best[i] + norms[range.lowerBound + i])
            }
            if accumulate {
                points.values.withUnsafeBufferPointer { data in
                    partial.withUnsafeMutableBufferPointer { partial in
                        for p in 0..<partial.count { partial[p] = 0 }
                        for row in range {
                            let c = Int(labels[row])
                            counts[c] += 1
                            let source = data.baseAddress! + row * d, target = partial.baseAddress! + c * d
                            for j in 0..<d { target[j] += source[j] }
                        }
                        sums.withUnsafeMutableBufferPointer { sums in
                            for p in 0..<partial.count { sums[p] += Double(partial[p]) }
                        }
                    }
                }
            }
            start = range.upperBound
        }
    }

    /// New centres as member means; an empty cluster takes the point farthest from its centre.
    func update(labels: [Int32], distances: [Float], sums: [Double], counts: [Int]) -> Matrix {
        let d = points.columns, k = counts.count
        var sums = sums, counts = counts
        let empty = counts.indices.filter { counts[$0] == 0 }
        if !empty.isEmpty {
            // As scikit-learn: the farthest points leave their clusters for the empty ones.
            let farthest = distances.indices.sorted { distances[$0] > distances[$1] || (distances[$0] == distances[$1] && $0 < $1) }
            for (cluster, point) in zip(empty, farthest) {
                let old = Int(labels[point])
                counts[old] -= 1
                counts[cluster] = 1
                for j in 0..<d {
                    let value = Double(points[point, j])
                    sums[old * d + j] -= value
                    sums[cluster * d + j] = value
                }
            }
        }
        var centres = Matrix(rows: k, columns: d)
        for c in 0..<k where counts[c] > 0 {
            let scale = 1 / Double(counts[c])
            for j in 0..<d { centres.values[c * d + j] = Float(sums[c * d + j] * scale) }
        }
        return centres
    }
}
