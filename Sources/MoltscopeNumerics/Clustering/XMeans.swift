import Foundation

/// X-Means (Pelleg & Moore 2000): k-means that chooses k itself. Starting from `minClusters`
/// centres, every cluster is tentatively split in two by 2-means on its own points, and the
/// split is kept when the Bayesian information criterion of the two-centre model beats the
/// one-centre model on those points; all centres are then refined together, until no split
/// helps or `maxClusters` is reached. MoltNet uses it per submolt to find posting templates.
public struct XMeans: Sendable {
    public var minClusters: Int
    public var maxClusters: Int
    public var maxIterations: Int
    public var seed: UInt64

    public init(minClusters: Int = 1, maxClusters: Int = 20, maxIterations: Int = 100, seed: UInt64 = 0) {
        self.minClusters = minClusters
        self.maxClusters = maxClusters
        self.maxIterations = maxIterations
        self.seed = seed
    }

    public struct Result: Sendable {
        public var centroids: Matrix
        public var labels: [Int32]
        /// BIC of the final model over all points (higher is better).
        public var bic: Double
        /// BIC of the single-centre model, for comparison: how much structure the splits found.
        public var singleClusterBIC: Double
    }

    public func fit(_ points: Matrix, cancellation: CancellationFlag? = nil) throws -> Result {
        let n = points.rows
        precondition(n >= 1, "X-Means needs at least one point")
        let upper = max(1, min(maxClusters, n))
        let lower = max(1, min(minClusters, upper))
        var random = SeededRandom(seed: seed)
        var current = try KMeans(clusters: lower, maxIterations: maxIterations, seed: random.next())
            .fit(points, cancellation: cancellation)
        while current.centroids.rows < upper {
            try cancellation?.check()
            var centres: [[Float]] = []
            var split = false
            let members = Self.members(of: current.labels, clusters: current.centroids.rows)
            for (c, rows) in members.enumerated() {
                let parent = Array(current.centroids.row(c))
                // A split needs room under the cap and enough points to estimate two centres.
                guard centres.count + (members.count - c) < upper, rows.count >= 4 else {
                    centres.append(parent)
                    continue
                }
                let local = points.gathering(rows: rows)
                let children = try KMeans(clusters: 2, maxIterations: maxIterations, seed: random.next())
                    .fit(local, cancellation: cancellation)
                let parentModel = Self.bic(local, labels: [Int32](repeating: 0, count: rows.count),
                                           centroids: Matrix(rows: 1, columns: points.columns, values: parent))
                let childModel = Self.bic(local, labels: children.labels, centroids: children.centroids)
                if childModel > parentModel, children.sizes.allSatisfy({ $0 > 0 }) {
                    centres.append(Array(children.centroids.row(0)))
                    centres.append(Array(children.centroids.row(1)))
                    split = true
                } else {
                    centres.append(parent)
                }
            }
            guard split else { break }
            current = try KMeans.refine(points, from: Matrix(rowVectors: centres), maxIterations: maxIterations,
                                        cancellation: cancellation)
            current = Self.droppingEmpty(current)
        }
        let single = Self.bic(points, labels: [Int32](repeating: 0, count: n),
                              centroids: Matrix(rows: 1, columns: points.columns, values: points.columnMeans()))
        return Result(centroids: current.centroids, labels: current.labels,
                      bic: Self.bic(points, labels: current.labels, centroids: current.centroids),
                      singleClusterBIC: single)
    }

    /// BIC of a k-centre spherical Gaussian model with one shared variance (Pelleg & Moore,
    /// eq. 2-3, as pyclustering computes it): log-likelihood minus (p / 2) ln n with
    /// p = (k - 1) + d k + 1 free parameters.
    static func bic(_ points: Matrix, labels: [Int32], centroids: Matrix) -> Double {
        let n = Double(points.rows), k = Double(centroids.rows), d = Double(points.columns)
        guard n > k else { return -.infinity }
        var sizes = [Double](repeating: 0, count: centroids.rows)
        var squared = 0.0
        for i in 0..<points.rows {
            let c = Int(labels[i])
            sizes[c] += 1
            let distance = ClusterQuality.distance(points.row(i), centroids.row(c))
            squared += distance * distance
        }
        // Identical points make the variance 0 and the likelihood unbounded: floor it.
        let variance = max(squared / (n - k) / d, 1e-12)
        var likelihood = 0.0
        for size in sizes where size > 0 {
            likelihood += size * log(size) - size * log(n) - size / 2 * log(2 * Double.pi * variance) * d
                - (size - 1) * d / 2
        }
        let parameters = (k - 1) + d * k + 1
        return likelihood - parameters / 2 * log(n)
    }

    static func members(of labels: [Int32], clusters: Int) -> [[Int]] {
        var members = [[Int]](repeating: [], count: clusters)
        for (i, label) in labels.enumerated() { members[Int(label)].append(i) }
        return members
    }

    /// Renumbers clusters so none is empty (refinement can empty one on degenerate data).
    static func droppingEmpty(_ result: KMeansResult) -> KMeansResult {
        let sizes = result.sizes
        guard sizes.contains(0) else { return result }
        let kept = sizes.indices.filter { sizes[$0] > 0 }
        var renumber = [Int32](repeating: -1, count: sizes.count)
        for (new, old) in kept.enumerated() { renumber[old] = Int32(new) }
        var copy = result
        copy.centroids = result.centroids.gathering(rows: kept)
        copy.labels = result.labels.map { renumber[Int($0)] }
        return copy
    }
}
