import MoltscopeNumerics

/// Per bucket: volume (posts, comments, active, new agents, new submolts), the topic mix and
/// its entropy, harm, and attention inequality; and over the whole period, the correlation of
/// volume with harm (the published hourly r = 0.769).
struct ActivitySeries {
    struct Row: Sendable {
        var index: Int64
        var posts = 0, comments = 0, kept = 0, labelled = 0, harmful = 0, conflicts = 0
        var postsLabelled = 0, postsHarmful = 0
        var activeAgents = 0, newAgents = 0, newSubmolts = 0
        var topics = [Int](repeating: 0, count: TopicLabel.allCases.count)
        var giniUpvotes: Double?
        var giniComments: Double?

        var documents: Int { posts + comments }
        var harmfulShare: Double? { labelled > 0 ? Double(harmful) / Double(labelled) : nil }
        var postHarmfulShare: Double? { postsLabelled > 0 ? Double(postsHarmful) / Double(postsLabelled) : nil }
        var conflictShare: Double? { labelled > 0 ? Double(conflicts) / Double(labelled) : nil }
        var topicEntropy: Double? { Diversity.shannonEntropy(topics.map(Double.init)) }
    }

    struct Correlation: Sendable {
        var x: String
        var y: String
        var result: PearsonCorrelation?
        var buckets: Int
    }

    struct Outcome: Sendable {
        var rows: [Row]
        var correlations: [Correlation]
    }

    let bucket: TimeBucket

    func run(_ records: SocietyRecords) -> Outcome {
        let dated = records.time.compactMap { $0 }
        guard let first = dated.min(), let last = dated.max() else { return Outcome(rows: [], correlations: []) }
        let low = bucket.index(ofMicros: first), high = bucket.index(ofMicros: last)
        var rows = (low...high).map { Row(index: $0) }
        var lastSeen = [Int64](repeating: .min, count: records.agentIds.count)
        var postUpvotes = [[Double]](repeating: [], count: rows.count)
        var postComments = [[Double]](repeating: [], count: rows.count)

        // Records come in time order, so an agent's first document is the first one met.
        for i in 0..<records.count {
            guard let time = records.time[i] else { continue }
            let b = Int(bucket.index(ofMicros: time) - low)
            if records.isPost[i] {
                rows[b].posts += 1
                postUpvotes[b].append(Double(records.upvotes[i]))
                postComments[b].append(Double(records.commentsReceived[i]))
            } else {
                rows[b].comments += 1
            }
            if records.kept[i] { rows[b].kept += 1 }
            let agent = Int(records.author[i])
            if agent >= 0 {
                if lastSeen[agent] == .min { rows[b].newAgents += 1 }
                if lastSeen[agent] != Int64(b) {
                    rows[b].activeAgents += 1
                    lastSeen[agent] = Int64(b)
                }
            }
            let toxicity = records.toxicity[i]
            guard toxicity != SocietyRecords.noLabel else { continue }
            rows[b].labelled += 1
            if toxicity >= 2 { rows[b].harmful += 1 }
            if records.conflict[i] == 1 { rows[b].conflicts += 1 }
            if records.topic[i] >= 0 { rows[b].topics[Int(records.topic[i])] += 1 }
            if records.isPost[i] {
                rows[b].postsLabelled += 1
                if toxicity >= 2 { rows[b].postsHarmful += 1 }
            }
        }
        for created in records.submoltCreated.compactMap({ $0 }) {
            let b = bucket.index(ofMicros: created)
            if b >= low, b <= high { rows[Int(b - low)].newSubmolts += 1 }
        }
        for b in rows.indices {
            rows[b].giniUpvotes = Inequality.gini(postUpvotes[b])
            rows[b].giniComments = Inequality.gini(postComments[b])
        }
        return Outcome(rows: rows, correlations: Self.correlations(rows))
    }

    /// Volume against harm, over the buckets where harm is defined.
    static func correlations(_ rows: [Row]) -> [Correlation] {
        func pair(_ x: String, _ y: String, _ value: (Row) -> (Double, Double)?) -> Correlation {
            let points = rows.compactMap(value)
            return Correlation(x: x, y: y, result: PearsonCorrelation.of(points.map(\.0), points.map(\.1)), buckets: points.count)
        }
        return [
            pair("posts", "post_harmful_share") { row in row.postHarmfulShare.map { (Double(row.posts), $0) } },
            pair("documents", "harmful_share") { row in row.harmfulShare.map { (Double(row.documents), $0) } },
            pair("comments", "harmful_share") { row in row.harmfulShare.map { (Double(row.comments), $0) } },
        ]
    }
}
