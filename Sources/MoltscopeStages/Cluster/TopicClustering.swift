import Foundation
import MoltscopeNumerics

/// Topic clusters of all documents: k-means with k chosen by silhouette over the configured
/// range (or a fixed k), mini-batch above a size, or HDBSCAN on a PCA projection. Labels are
/// renumbered by size, largest first, so cluster 0 means the same thing across reruns.
struct TopicClustering {
    struct ScanPoint: Sendable {
        var k: Int
        var silhouette: Double?
        var inertia: Double
        var daviesBouldin: Double?
        var iterations: Int
        var seconds: Double
    }

    struct Outcome: Sendable {
        var method: String
        var labels: [Int32]
        /// HDBSCAN membership strength; nil for k-means.
        var probabilities: [Float]?
        var k: Int
        var inertia: Double?
        var iterations: Int?
        var silhouette: Double?
        var silhouetteSample: Int
        var daviesBouldin: Double?
        var calinskiHarabasz: Double?
        var noiseShare: Double?
        var scan: [ScanPoint]
    }

    let settings: ClusterSettings
    let cancellation: CancellationFlag

    /// `done` holds scan points a killed run already committed; `scanned` is called after each new one.
    func run(_ points: Matrix, done: [ScanPoint], scanned: (ScanPoint) throws -> Void) throws -> Outcome {
        switch settings.method {
        case .kmeans: return try kmeans(points, done: done, scanned: scanned)
        case .hdbscan: return try hdbscan(points)
        }
    }

    private func fit(_ points: Matrix, k: Int) throws -> KMeansResult {
        if settings.miniBatchAbove > 0, points.rows > settings.miniBatchAbove {
            return try MiniBatchKMeans(clusters: k, seed: settings.seed).fit(points, cancellation: cancellation)
        }
        return try KMeans(clusters: k, initializations: settings.initializations, maxIterations: settings.maxIterations,
                          tolerance: settings.tolerance, seed: settings.seed).fit(points, cancellation: cancellation)
    }

    private func silhouette(_ points: Matrix, _ labels: [Int32]) throws -> Double? {
        try Silhouette.sampledScore(points, labels: labels, size: settings.silhouetteSample, seed: settings.seed,
                                    cancellation: cancellation)
    }

    private func kmeans(_ points: Matrix, done: [ScanPoint], scanned: (ScanPoint) throws -> Void) throws -> Outcome {
        let n = points.rows
        let method = settings.miniBatchAbove > 0 && n > settings.miniBatchAbove ? "minibatch-kmeans" : "kmeans"
        let candidates = (settings.fixedK.map { [$0] } ?? settings.kRange).filter { $0 >= 2 && $0 < n }
        guard !candidates.isEmpty else {
            // Too few documents for two clusters: one cluster holds them all.
            return Outcome(method: method, labels: [Int32](repeating: 0, count: n), probabilities: nil, k: n > 0 ? 1 : 0,
                           inertia: nil, iterations: 0, silhouette: nil, silhouetteSample: 0, daviesBouldin: nil,
                           calinskiHarabasz: nil, noiseShare: nil, scan: [])
        }
        var scan = done.filter { candidates.contains($0.k) }
        var best: (k: Int, result: KMeansResult)?
        for k in candidates where !scan.contains(where: { $0.k == k }) {
            let started = Date()
            let result = try fit(points, k: k)
            let point = ScanPoint(k: k, silhouette: candidates.count > 1 ? try silhouette(points, result.labels) : nil,
                                  inertia: result.inertia,
                                  daviesBouldin: ClusterQuality.daviesBouldin(points, labels: result.labels),
                                  iterations: result.iterations, seconds: Date().timeIntervalSince(started))
            try scanned(point)
            scan.append(point)
            if Self.chosenK(scan) == k { best = (k, result) }
        }
        let k = Self.chosenK(scan)
        // A resumed scan may have chosen a k fitted by the killed run: fit it again (same seed, same result).
        let result = best?.k == k ? best!.result : try fit(points, k: k)
        let labels = Self.renumberedBySize(result.labels, clusters: k)
        let sample = min(settings.silhouetteSample, n)
        let scanned = scan.first { $0.k == k }?.silhouette
        let silhouette = try scanned ?? silhouette(points, labels)
        return Outcome(method: method, labels: labels, probabilities: nil, k: k, inertia: result.inertia,
                       iterations: result.iterations,
                       silhouette: silhouette,
                       silhouetteSample: sample, daviesBouldin: ClusterQuality.daviesBouldin(points, labels: labels),
                       calinskiHarabasz: ClusterQuality.calinskiHarabasz(points, labels: labels), noiseShare: nil,
                       scan: scan.sorted { $0.k < $1.k })
    }

    /// The k with the highest silhouette (the smallest such k on ties); a single candidate wins alone.
    static func chosenK(_ scan: [ScanPoint]) -> Int {
        scan.max { a, b in
            let (x, y) = (a.silhouette ?? -2, b.silhouette ?? -2)
            return x == y ? a.k > b.k : x < y
        }?.k ?? 1
    }

    private func hdbscan(_ points: Matrix) throws -> Outcome {
        let input: Matrix
        if settings.hdbscanDimensions > 0, settings.hdbscanDimensions < points.columns, points.rows > settings.hdbscanDimensions {
            input = PCA.fit(points, components: settings.hdbscanDimensions).project(points)
        } else {
            input = points
        }
        let result = try HDBSCAN(minClusterSize: settings.hdbscanMinClusterSize, minSamples: settings.hdbscanMinSamples,
                                 selection: settings.hdbscanLeaf ? .leaf : .excessOfMass)
            .fit(input, cancellation: cancellation)
        let labels = Self.renumberedBySize(result.labels, clusters: result.clusterCount)
        let noise = labels.filter { $0 < 0 }.count
        let clustered = labels.filter { $0 >= 0 }
        return Outcome(method: "hdbscan", labels: labels, probabilities: result.probabilities, k: result.clusterCount,
                       inertia: nil, iterations: nil,
                       silhouette: try silhouette(points, labels),
                       silhouetteSample: min(settings.silhouetteSample, clustered.count),
                       daviesBouldin: ClusterQuality.daviesBouldin(points, labels: labels),
                       calinskiHarabasz: ClusterQuality.calinskiHarabasz(points, labels: labels),
                       noiseShare: labels.isEmpty ? nil : Double(noise) / Double(labels.count), scan: [])
    }

    /// Cluster ids by descending size (ties by old id), a point counting `weights[i]` (1 without
    /// weights); -1 stays noise.
    static func renumberedBySize(_ labels: [Int32], clusters: Int, weights: [Int]? = nil) -> [Int32] {
        var sizes = [Int](repeating: 0, count: clusters)
        for (i, label) in labels.enumerated() where label >= 0 { sizes[Int(label)] += weights?[i] ?? 1 }
        let order = sizes.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        var renumber = [Int32](repeating: -1, count: clusters)
        for (new, old) in order.enumerated() { renumber[old] = Int32(new) }
        return labels.map { $0 < 0 ? -1 : renumber[Int($0)] }
    }
}
