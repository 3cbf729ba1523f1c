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
            assign(centres, labels: &labels, distances: &distances)
            let updated = update(labels: labels, distances: distances, k: k)
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
        let k = centres.rows
        let centreNorms = centres.rowSquaredNorms()
        let block = DistanceBlocks.rowsPerBlock(targets: k)
        var buffer = [Float]()
        var start = 0
        while start < points.rows {
            let range = start..<min(points.rows, start + block)
            DistanceBlocks.squaredDistances(rows: range, of: points, pointNorms: norms, to: centres,
                                            targetNorms: centreNorms, into: &buffer)
            buffer.withUnsafeBufferPointer { block in
                for i in 0..<range.count {
                    var best = Float.infinity, bestIndex = 0
                    let base = i * k
                    for j in 0..<k where block[base + j] < best {
                        best = block[base + j]
                        bestIndex = j
                    }
                    labels[range.lowerBound + i] = Int32(bestIndex)
                    distances[range.lowerBound + i] = best
                }
            }
            start = range.upperBound
        }
    }

    /// New centres as member means; an empty cluster takes the point farthest from its centre.
    private func update(labels: [Int32], distances: [Float], k: Int) -> Matrix {
        let d = points.columns
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        points.values.withUnsafeBufferPointer { data in
            sums.withUnsafeMutableBufferPointer { sums in
                for i in 0..<points.rows {
                    let c = Int(labels[i])
                    counts[c] += 1
                    let source = i * d, target = c * d
                    for j in 0..<d { sums[target + j] += Double(data[source + j]) }
                }
            }
        }
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
