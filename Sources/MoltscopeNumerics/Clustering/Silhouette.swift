/// The silhouette coefficient with Euclidean distances, as scikit-learn's `silhouette_score`:
/// for each point, a = mean distance to the rest of its cluster, b = the lowest mean distance to
/// another cluster, s = (b - a) / max(a, b), and 0 for a point alone in its cluster. Exact is
/// O(n^2 d) time; memory is one block of rows against all points. Points labelled -1 (noise)
/// are left out.
public enum Silhouette {
    /// Mean silhouette of all labelled points; nil when fewer than 2 or more than n-1 clusters.
    public static func score(_ points: Matrix, labels: [Int32], cancellation: CancellationFlag? = nil) throws -> Double? {
        let kept = labels.indices.filter { labels[$0] >= 0 }
        let subset = kept.count == labels.count ? points : points.gathering(rows: kept)
        let subsetLabels = kept.count == labels.count ? labels : kept.map { labels[$0] }
        guard let values = try samples(subset, labels: subsetLabels, cancellation: cancellation) else { return nil }
        return values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
    }

    /// The score on a random sample of `size` labelled points (scikit-learn's `sample_size`),
    /// for inputs where the exact O(n^2) pass is too slow.
    public static func sampledScore(_ points: Matrix, labels: [Int32], size: Int, seed: UInt64,
                                    cancellation: CancellationFlag? = nil) throws -> Double? {
        let kept = labels.indices.filter { labels[$0] >= 0 }
        guard kept.count > size else { return try score(points, labels: labels, cancellation: cancellation) }
        var random = SeededRandom(seed: seed)
        let picked = random.sample(size, of: kept.count).map { kept[$0] }.sorted()
        return try score(points.gathering(rows: picked), labels: picked.map { labels[$0] }, cancellation: cancellation)
    }

    /// The coefficient of every point (labels must be 0..<k, no noise).
    public static func samples(_ points: Matrix, labels: [Int32], cancellation: CancellationFlag? = nil) throws -> [Float]? {
        let n = points.rows
        let k = Int((labels.max() ?? -1) + 1)
        var sizes = [Int](repeating: 0, count: k)
        for label in labels { sizes[Int(label)] += 1 }
        let populated = sizes.filter { $0 > 0 }.count
        guard populated >= 2, populated <= n - 1 else { return nil }
        let norms = points.rowSquaredNorms()
        let block = DistanceBlocks.rowsPerBlock(targets: n)
        var buffer = [Float]()
        var result = [Float](repeating: 0, count: n)
        var clusterSums = [Double](repeating: 0, count: k)
        var start = 0
        while start < n {
            try cancellation?.check()
            let range = start..<min(n, start + block)
            DistanceBlocks.squaredDistances(rows: range, of: points, pointNorms: norms, to: points,
                                            targetNorms: norms, into: &buffer)
            buffer.withUnsafeBufferPointer { distances in
                labels.withUnsafeBufferPointer { labels in
                    for i in 0..<range.count {
                        for c in 0..<k { clusterSums[c] = 0 }
                        let base = i * n
                        for j in 0..<n { clusterSums[Int(labels[j])] += Double(distances[base + j].squareRoot()) }
                        let point = range.lowerBound + i
                        let own = Int(labels[point])
                        // The point's distance to itself is ~0 (not exactly, after rounding): remove it.
                        clusterSums[own] -= Double(distances[base + point].squareRoot())
                        guard sizes[own] > 1 else { result[point] = 0; continue }
                        let a = clusterSums[own] / Double(sizes[own] - 1)
                        var b = Double.infinity
                        for c in 0..<k where c != own && sizes[c] > 0 { b = min(b, clusterSums[c] / Double(sizes[c])) }
                        let denominator = max(a, b)
                        result[point] = denominator > 0 ? Float((b - a) / denominator) : 0
                    }
                }
            }
            start = range.upperBound
        }
        return result
    }
}
