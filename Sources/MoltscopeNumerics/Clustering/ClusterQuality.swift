/// Partition quality measures that need only centroids, as scikit-learn computes them.
/// Points labelled -1 (noise) are left out.
public enum ClusterQuality {
    /// Davies-Bouldin index (lower is better): the mean over clusters of the worst ratio
    /// (spread_i + spread_j) / distance(centroid_i, centroid_j), spread = mean distance to the centroid.
    public static func daviesBouldin(_ points: Matrix, labels: [Int32]) -> Double? {
        let (centroids, sizes) = centroidsOf(points, labels: labels)
        let k = centroids.rows
        guard k >= 2 else { return nil }
        var spread = [Double](repeating: 0, count: k)
        for i in 0..<points.rows where labels[i] >= 0 {
            let c = Int(labels[i])
            spread[c] += distance(points.row(i), centroids.row(c))
        }
        for c in 0..<k where sizes[c] > 0 { spread[c] /= Double(sizes[c]) }
        if spread.allSatisfy({ $0 == 0 }) { return 0 }
        var total = 0.0
        for i in 0..<k {
            var worst = 0.0
            for j in 0..<k where j != i {
                let between = distance(centroids.row(i), centroids.row(j))
                let ratio = between == 0 ? Double.infinity : (spread[i] + spread[j]) / between
                worst = max(worst, ratio)
            }
            total += worst
        }
        return total / Double(k)
    }

    /// Calinski-Harabasz index (higher is better): between- over within-cluster dispersion,
    /// each divided by its degrees of freedom.
    public static func calinskiHarabasz(_ points: Matrix, labels: [Int32]) -> Double? {
        let (centroids, sizes) = centroidsOf(points, labels: labels)
        let k = centroids.rows
        let n = sizes.reduce(0, +)
        guard k >= 2, n > k else { return nil }
        var overall = [Double](repeating: 0, count: points.columns)
        for i in 0..<points.rows where labels[i] >= 0 { for j in 0..<points.columns { overall[j] += Double(points[i, j]) } }
        overall = overall.map { $0 / Double(n) }
        var between = 0.0, within = 0.0
        for c in 0..<k {
            var squared = 0.0
            for j in 0..<points.columns { let d = Double(centroids[c, j]) - overall[j]; squared += d * d }
            between += Double(sizes[c]) * squared
        }
        for i in 0..<points.rows where labels[i] >= 0 {
            let d = distance(points.row(i), centroids.row(Int(labels[i])))
            within += d * d
        }
        return within == 0 ? 1 : between * Double(n - k) / (within * Double(k - 1))
    }

    /// Mean of each cluster's members (clusters numbered 0..<k, k = `groups` or the largest
    /// label + 1; empty ones stay zero).
    public static func centroidsOf(_ points: Matrix, labels: [Int32], groups: Int? = nil) -> (centroids: Matrix, sizes: [Int]) {
        let k = groups ?? Int((labels.max() ?? -1) + 1)
        var sums = [Double](repeating: 0, count: k * points.columns)
        var sizes = [Int](repeating: 0, count: k)
        for i in 0..<points.rows where labels[i] >= 0 {
            let c = Int(labels[i])
            sizes[c] += 1
            for j in 0..<points.columns { sums[c * points.columns + j] += Double(points[i, j]) }
        }
        var centroids = Matrix(rows: k, columns: points.columns)
        for c in 0..<k where sizes[c] > 0 {
            for j in 0..<points.columns { centroids[c, j] = Float(sums[c * points.columns + j] / Double(sizes[c])) }
        }
        return (centroids, sizes)
    }

    static func distance(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var sum = 0.0
        var i = a.startIndex, j = b.startIndex
        while i < a.endIndex {
            let d = Double(a[i]) - Double(b[j])
            sum += d * d
            i += 1; j += 1
        }
        return sum.squareRoot()
    }
}
