import MoltscopeNumerics

/// MoltNet's norms and templates: within each submolt with enough posts, X-Means finds the
/// post templates; a post follows its template when it is at cosine >= `nearCosine` of the
/// centre. A submolt whose posts mostly sit that close to a few centres has strong formulaic norms.
struct SubmoltTemplates {
    struct Centre: Sendable {
        var posts: Int
        var nearPosts: Int
        var meanSimilarity: Double
        var exampleDocument: Int
    }

    struct Submolt: Sendable {
        var name: String
        var documents: [Int]          // rows of the post vectors, in document order
        var labels: [Int32]           // template of each, 0 = largest
        var centres: [Centre]
        var bicGain: Double
        var nearPosts: Int
        var meanSimilarity: Double
    }

    let minPosts: Int
    let maxK: Int
    let nearCosine: Float
    let seed: UInt64

    func run(_ documents: DocumentVectors, cancellation: CancellationFlag) throws -> [Submolt] {
        let bySubmolt = documents.postRowsBySubmolt
        var random = SeededRandom(seed: seed)
        var results: [Submolt] = []
        for name in bySubmolt.keys.sorted() {
            let rows = bySubmolt[name]!
            let submoltSeed = random.next()
            guard rows.count >= minPosts else { continue }
            try cancellation.check()
            let points = documents.vectors.gathering(rows: rows)
            let fit = try XMeans(maxClusters: maxK, seed: submoltSeed).fit(points, cancellation: cancellation)
            let k = fit.centroids.rows
            let labels = TopicClustering.renumberedBySize(fit.labels, clusters: k)
            let centres = UnitCentroids.of(points, labels: labels, groups: k)
            let similarity = UnitCentroids.similarities(points, labels: labels, centres: centres)
            var summaries = (0..<k).map { _ in Centre(posts: 0, nearPosts: 0, meanSimilarity: 0, exampleDocument: -1) }
            var best = [Float](repeating: -2, count: k)
            for (i, label) in labels.enumerated() {
                let c = Int(label)
                summaries[c].posts += 1
                summaries[c].meanSimilarity += Double(similarity[i])
                if similarity[i] >= nearCosine { summaries[c].nearPosts += 1 }
                if similarity[i] > best[c] { best[c] = similarity[i]; summaries[c].exampleDocument = rows[i] }
            }
            for c in 0..<k where summaries[c].posts > 0 { summaries[c].meanSimilarity /= Double(summaries[c].posts) }
            results.append(Submolt(
                name: name, documents: rows, labels: labels, centres: summaries, bicGain: fit.bic - fit.singleClusterBIC,
                nearPosts: summaries.reduce(0) { $0 + $1.nearPosts },
                meanSimilarity: similarity.reduce(0.0) { $0 + Double($1) } / Double(rows.count)))
        }
        return results
    }
}
