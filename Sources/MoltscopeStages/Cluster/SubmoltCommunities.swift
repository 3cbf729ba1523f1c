import MoltscopeNumerics

/// Submolt communities as in "Exploring Silicon-Based Societies": every submolt with enough
/// posts becomes the normalized centroid of its posts' vectors; k-means groups these into
/// themes, and t-SNE places them on a map.
struct SubmoltCommunities {
    struct Outcome: Sendable {
        var submolts: [String]
        var posts: [Int]
        var labels: [Int32]          // community of each submolt, 0 = most posts
        var similarity: [Float]      // cosine to the community centre
        var k: Int
        var coordinates: Matrix?     // submolts x 2
    }

    let k: Int
    let minPosts: Int
    let seed: UInt64

    func run(_ documents: DocumentVectors, map: ((Matrix) throws -> Matrix)?, cancellation: CancellationFlag) throws -> Outcome? {
        let rowsBySubmolt = documents.postRowsBySubmolt
        let names = rowsBySubmolt.keys.filter { rowsBySubmolt[$0]!.count >= minPosts }.sorted()
        guard names.count >= 2 else { return nil }
        var centroids = Matrix(rows: names.count, columns: documents.vectors.columns)
        for (s, name) in names.enumerated() {
            let rows = rowsBySubmolt[name]!
            let centre = UnitCentroids.of(documents.vectors.gathering(rows: rows),
                                          labels: [Int32](repeating: 0, count: rows.count), groups: 1)
            centroids.setRow(s, centre.row(0))
        }
        let posts = names.map { rowsBySubmolt[$0]!.count }
        let groups = min(k, names.count)
        let fit = try KMeans(clusters: groups, initializations: 10, seed: seed).fit(centroids, cancellation: cancellation)
        // Communities numbered by posts, largest first.
        let labels = TopicClustering.renumberedBySize(fit.labels, clusters: groups, weights: posts)
        let centres = UnitCentroids.of(centroids, labels: labels, groups: groups)
        return Outcome(submolts: names, posts: posts, labels: labels,
                       similarity: UnitCentroids.similarities(centroids, labels: labels, centres: centres), k: groups,
                       coordinates: try map?(centroids))
    }
}
