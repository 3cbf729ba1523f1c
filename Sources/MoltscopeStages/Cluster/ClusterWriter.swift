import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// Replaces the cluster stage's current tables and completes its `cluster_runs` row in one
/// transaction: readers see the old results or the new ones, never a mix.
struct ClusterWriter {
    let settings: ClusterSettings
    let checkpoints: Checkpoints

    /// Returns the number of document rows written.
    func write(to store: ResultsStore, run: Int64, model: String, documents: DocumentVectors, computed: ClusterRun.Computed,
               keywords: ClusterKeywords.Outcome, seconds: Double) async throws -> Int {
        let settings = self.settings, checkpoints = self.checkpoints
        do {
            return try await store.commit { db in
                for table in ClusterSchema.currentTables { try db.execute(sql: "DELETE FROM \(table)") }
                let topics = computed.topics
                let groups = Int((topics.labels.max() ?? -1) + 1)
                let centres = UnitCentroids.of(documents.vectors, labels: topics.labels, groups: groups)
                let similarity = UnitCentroids.similarities(documents.vectors, labels: topics.labels, centres: centres)
                var x = [Double?](repeating: nil, count: documents.count), y = x
                if let map = computed.map {
                    for (index, row) in map.rows.enumerated() {
                        x[row] = Double(map.coordinates[index, 0])
                        y[row] = Double(map.coordinates[index, 1])
                    }
                }
                try Self.writeDocuments(db, documents: documents, topics: topics, similarity: similarity, x: x, y: y)
                let rest = try RestAssignment(model: model, documents: documents, centres: centres).assign(db)
                try Self.writeTopics(db, documents: documents, rest: rest, topics: topics, similarity: similarity, x: x, y: y,
                                     keywords: keywords.topics, examples: settings.examples)
                if let communities = computed.communities {
                    try Self.writeCommunities(db, communities, keywords: keywords.communities)
                }
                try Self.writeTemplates(db, computed.templates, documents: documents, keywords: keywords.templates)
                try Self.completeRun(db, run: run, topics: topics, rest: rest, seconds: seconds)
                try checkpoints.remove(db, ClusterRun.runKey)
                return documents.count + rest.documents
            }
        } catch {
            throw StoreErrors.describe(error, path: store.path, doing: "writing clusters to")
        }
    }

    private static func writeDocuments(_ db: Database, documents: DocumentVectors, topics: TopicClustering.Outcome,
                                       similarity: [Float], x: [Double?], y: [Double?]) throws {
        let insert = try db.makeStatement(sql: """
            INSERT INTO document_clusters(document_id, cluster_id, similarity, probability, x, y) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for i in 0..<documents.count {
            try insert.execute(arguments: [documents.ids[i], Int64(topics.labels[i]), Double(similarity[i]),
                                           topics.probabilities.map { Double($0[i]) }, x[i], y[i]])
        }
    }

    /// One row per topic over every document: the fitted ones (`documents`) and the `rest` of a
    /// large corpus; examples and map centres come from the fitted ones.
    private static func writeTopics(_ db: Database, documents: DocumentVectors, rest: RestAssignment.Totals,
                                    topics: TopicClustering.Outcome,
                                    similarity: [Float], x: [Double?], y: [Double?],
                                    keywords: [[(term: String, score: Double)]], examples: Int) throws {
        var members: [Int32: [Int]] = [:]
        for (i, label) in topics.labels.enumerated() { members[label, default: []].append(i) }
        let insert = try db.makeStatement(sql: """
            INSERT INTO topic_clusters(cluster_id, size, share, posts, comments, cohesion, label, keywords, top_submolt,
                                       top_submolt_share, x, y)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let keyword = try db.makeStatement(sql: "INSERT INTO cluster_keywords(cluster_id, rank, term, score) VALUES (?, ?, ?, ?)")
        let example = try db.makeStatement(sql: "INSERT INTO cluster_examples(cluster_id, rank, document_id, similarity) VALUES (?, ?, ?, ?)")
        for label in members.keys.sorted() {
            let rows = members[label]!
            let restIndex = label >= 0 && Int(label) < rest.size.count ? Int(label) : nil
            let size = rows.count + (restIndex.map { rest.size[$0] } ?? 0)
            let posts = rows.filter { documents.isPost[$0] }.count + (restIndex.map { rest.posts[$0] } ?? 0)
            var submolts: [String: Int] = restIndex.map { rest.submolts[$0] } ?? [:]
            for row in rows { if let s = documents.submolts[row] { submolts[s, default: 0] += 1 } }
            let top = submolts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
            let mapped = rows.filter { x[$0] != nil }
            let centreX = mapped.isEmpty ? nil : mapped.reduce(0.0) { $0 + x[$1]! } / Double(mapped.count)
            let centreY = mapped.isEmpty ? nil : mapped.reduce(0.0) { $0 + y[$1]! } / Double(mapped.count)
            let words = label >= 0 && Int(label) < keywords.count ? keywords[Int(label)] : []
            let restSimilarity = restIndex.map { rest.similaritySum[$0] } ?? 0
            let cohesion = label >= 0 ? rows.reduce(restSimilarity) { $0 + Double(similarity[$1]) } / Double(size) : nil
            try insert.execute(arguments: [
                Int64(label), size, Double(size) / Double(documents.count + rest.documents), posts, size - posts, cohesion,
                words.isEmpty ? (label < 0 ? "noise" : nil) : words.prefix(3).map(\.term).joined(separator: " / "),
                words.isEmpty ? nil : words.map(\.term).joined(separator: ", "),
                top?.key, top.map { Double($0.value) / Double(size) }, centreX, centreY,
            ])
            for (rank, word) in words.enumerated() { try keyword.execute(arguments: [Int64(label), rank + 1, word.term, word.score]) }
            guard label >= 0 else { continue }
            let central = rows.sorted { similarity[$0] != similarity[$1] ? similarity[$0] > similarity[$1] : $0 < $1 }.prefix(examples)
            for (rank, row) in central.enumerated() {
                try example.execute(arguments: [Int64(label), rank + 1, documents.ids[row], Double(similarity[row])])
            }
        }
    }

    private static func writeCommunities(_ db: Database, _ communities: SubmoltCommunities.Outcome,
                                         keywords: [[(term: String, score: Double)]]) throws {
        let insert = try db.makeStatement(sql: """
            INSERT INTO submolt_communities(submolt, community_id, posts, similarity, x, y) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for (s, name) in communities.submolts.enumerated() {
            try insert.execute(arguments: [name, Int64(communities.labels[s]), communities.posts[s], Double(communities.similarity[s]),
                                           communities.coordinates.map { Double($0[s, 0]) },
                                           communities.coordinates.map { Double($0[s, 1]) }])
        }
        let community = try db.makeStatement(sql: """
            INSERT INTO communities(community_id, submolts, posts, cohesion, label, keywords, top_submolts)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for c in 0..<communities.k {
            let members = communities.submolts.indices.filter { communities.labels[$0] == Int32(c) }
            guard !members.isEmpty else { continue }
            let words = c < keywords.count ? keywords[c] : []
            let largest = members.sorted { communities.posts[$0] != communities.posts[$1] ? communities.posts[$0] > communities.posts[$1] : $0 < $1 }
            try community.execute(arguments: [
                c, members.count, members.reduce(0) { $0 + communities.posts[$1] },
                members.reduce(0.0) { $0 + Double(communities.similarity[$1]) } / Double(members.count),
                words.isEmpty ? nil : words.prefix(3).map(\.term).joined(separator: " / "),
                words.isEmpty ? nil : words.map(\.term).joined(separator: ", "),
                largest.prefix(5).map { communities.submolts[$0] }.joined(separator: ", "),
            ])
        }
    }

    private static func writeTemplates(_ db: Database, _ templates: [SubmoltTemplates.Submolt], documents: DocumentVectors,
                                       keywords: [[[(term: String, score: Double)]]]) throws {
        let submolt = try db.makeStatement(sql: """
            INSERT INTO submolt_templates(submolt, posts, templates, template_share, mean_similarity, bic_gain, top_template, keywords)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let centre = try db.makeStatement(sql: """
            INSERT INTO submolt_template_centres(submolt, template_id, posts, share, near_share, mean_similarity, keywords,
                                                 example_document_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (index, result) in templates.enumerated() {
            let posts = result.documents.count
            let top = result.centres.indices.max { a, b in
                let (x, y) = (result.centres[a].nearPosts, result.centres[b].nearPosts)
                return x != y ? x < y : a > b
            } ?? 0
            let words = index < keywords.count ? keywords[index] : []
            func terms(_ t: Int) -> String? {
                t < words.count && !words[t].isEmpty ? words[t].map(\.term).joined(separator: ", ") : nil
            }
            try submolt.execute(arguments: [result.name, posts, result.centres.count, Double(result.nearPosts) / Double(posts),
                                            result.meanSimilarity, result.bicGain, top, terms(top)])
            for (t, summary) in result.centres.enumerated() {
                try centre.execute(arguments: [
                    result.name, t, summary.posts, Double(summary.posts) / Double(posts),
                    summary.posts > 0 ? Double(summary.nearPosts) / Double(summary.posts) : 0, summary.meanSimilarity,
                    terms(t), documents.ids[summary.exampleDocument],
                ])
            }
        }
    }

    private static func completeRun(_ db: Database, run: Int64, topics: TopicClustering.Outcome, rest: RestAssignment.Totals,
                                    seconds: Double) throws {
        var sizes = [Int](repeating: 0, count: topics.k)
        for label in topics.labels where label >= 0 { sizes[Int(label)] += 1 }
        for (label, size) in rest.size.enumerated() where label < sizes.count { sizes[label] += size }
        let sorted = sizes.sorted()
        let median: Double? = sorted.isEmpty ? nil : sorted.count % 2 == 1
            ? Double(sorted[sorted.count / 2]) : Double(sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        try db.execute(sql: """
            UPDATE cluster_runs SET status = 'done', method = ?, k = ?, silhouette = ?, silhouette_sample = ?, inertia = ?,
                davies_bouldin = ?, calinski_harabasz = ?, noise_share = ?, smallest = ?, median_size = ?, largest = ?,
                size_gini = ?, iterations = ?, seconds = ?
            WHERE id = ?
            """, arguments: [topics.method, topics.k, topics.silhouette, topics.silhouetteSample, topics.inertia,
                             topics.daviesBouldin, topics.calinskiHarabasz, topics.noiseShare, sorted.first, median,
                             sorted.last, gini(sorted), topics.iterations, seconds, run])
        try db.execute(sql: "UPDATE cluster_k_scan SET chosen = (k = ?) WHERE cluster_run = ?", arguments: [topics.k, run])
    }

    /// Gini coefficient of non-negative values (0: all equal).
    static func gini(_ values: [Int]) -> Double? {
        let sorted = values.sorted()
        let total = sorted.reduce(0, +)
        guard sorted.count > 1, total > 0 else { return sorted.isEmpty ? nil : 0 }
        var weighted = 0.0
        for (i, value) in sorted.enumerated() { weighted += Double(2 * (i + 1) - sorted.count - 1) * Double(value) }
        return weighted / (Double(sorted.count) * Double(total))
    }
}
