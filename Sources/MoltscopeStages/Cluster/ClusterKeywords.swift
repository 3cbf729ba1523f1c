import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// One pass over the texts of the clustered documents feeds three c-TF-IDF classings at once:
/// topic clusters, submolt communities (their posts), and templates (each submolt's templates
/// are classes among all submolts' templates, so a template's words are what set it apart).
struct ClusterKeywords {
    struct Outcome: Sendable {
        var topics: [[(term: String, score: Double)]]
        var communities: [[(term: String, score: Double)]]
        /// Per submolt (in the order given), per template.
        var templates: [[[(term: String, score: Double)]]]
    }

    let count: Int

    func run(store: ResultsStore, model: String, documents: DocumentVectors, topics: TopicClustering.Outcome,
             communities: SubmoltCommunities.Outcome?, templates: [SubmoltTemplates.Submolt],
             cancellation: CancellationFlag) async throws -> Outcome {
        let topicCount = Int((topics.labels.max() ?? -1) + 1)
        // Community of each document (posts of member submolts only).
        var communityOf = [Int32](repeating: -1, count: documents.count)
        if let communities {
            let community = Dictionary(uniqueKeysWithValues: zip(communities.submolts, communities.labels))
            for i in 0..<documents.count where documents.isPost[i] {
                if let submolt = documents.submolts[i], let label = community[submolt] { communityOf[i] = label }
            }
        }
        var templateOf = [Int32](repeating: -1, count: documents.count)
        var templateOffsets: [Int] = []
        var templateClasses = 0
        for submolt in templates {
            templateOffsets.append(templateClasses)
            for (row, label) in zip(submolt.documents, submolt.labels) { templateOf[row] = Int32(templateClasses) + label }
            templateClasses += submolt.centres.count
        }
        let labels = topics.labels, ids = documents.ids
        let community = communityOf, template = templateOf
        let communityCount = communities?.k ?? 0
        let sample = documents.sample
        let keep = count
        let templateClassCount = templateClasses
        let offsets = templateOffsets
        let centreCounts = templates.map { $0.centres.count }
        return try await store.pool.read { db in
            let vocabulary = ClassTFIDF.Vocabulary()
            var topicScores = ClassTFIDF(classes: topicCount)
            var communityScores = ClassTFIDF(classes: communityCount)
            var templateScores = ClassTFIDF(classes: templateClassCount)
            let rows = try Row.fetchCursor(db, sql: DocumentVectors.selection("d.id, d.text"), arguments: [model])
            var i = 0
            var terms: [Int32] = []
            // Keywords come from the fitted documents (the sample of a large corpus).
            var walk = FitSample.Walk(sample)
            while let row = try rows.next() {
                guard walk.nextIsSampled() else { continue }
                guard i < ids.count, (row[0] as String) == ids[i] else {
                    throw MoltscopeError(.database, "documents changed while the cluster stage read them",
                                         remedy: "run `moltscope stage cluster` again once no other run writes")
                }
                if i % 4096 == 0 { try cancellation.check() }
                terms.removeAll(keepingCapacity: true)
                KeywordTokenizer.terms(of: row[1] as String) { terms.append(vocabulary.id($0)) }
                if labels[i] >= 0 { topicScores.add(terms, to: Int(labels[i])) }
                if community[i] >= 0 { communityScores.add(terms, to: Int(community[i])) }
                if template[i] >= 0 { templateScores.add(terms, to: Int(template[i])) }
                i += 1
            }
            let templateTop = templateScores.top(keep, vocabulary: vocabulary)
            return Outcome(topics: topicScores.top(keep, vocabulary: vocabulary),
                           communities: communityScores.top(keep, vocabulary: vocabulary),
                           templates: zip(offsets, centreCounts).map { Array(templateTop[$0..<$0 + $1]) })
        }
    }
}
