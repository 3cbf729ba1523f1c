import GRDB
import MoltscopeNumerics

/// The single figures of the period, each beside what it summarises (`temporal_summary`):
/// the ones methods.md quotes under "Network roles and cascades" and "Other reference
/// figures", and the means of the socialization series.
struct TemporalSummary {
    let computed: TemporalRun.Computed
    let settings: TemporalSettings

    func write(_ db: Database) throws -> Int {
        let insert = try db.makeStatement(sql: "INSERT INTO temporal_summary(measure, value, n, detail) VALUES (?, ?, ?, ?)")
        var rows = 0
        func put(_ measure: String, _ value: Double?, _ n: Int?, _ detail: String) throws {
            try insert.execute(arguments: [measure, value.flatMap { $0.isFinite ? $0 : nil }, n, detail])
            rows += 1
        }
        let records = computed.records, graph = computed.graph.graph, threads = computed.threads
        let postIndices = (0..<records.count).filter { records.isPost[$0] }
        let posts = postIndices.count
        try put("posts", Double(posts), posts, "posts with a document row")
        try put("comments", Double(records.count - posts), records.count - posts, "comments with a document row")
        try put("agents", Double(records.agentIds.count), records.agentIds.count, "distinct authors")
        let times = records.time.compactMap { $0 }
        if let first = times.min(), let last = times.max() {
            try put("period_hours", Double(last - first) / 3_600_000_000, times.count,
                    "from \(TimeBucket.iso(micros: first)) to \(TimeBucket.iso(micros: last))")
        }
        try put("graph_agents", Double(graph.nodeCount), graph.nodeCount, "agents with at least one interaction edge")
        try put("graph_edges", Double(graph.edgeCount), graph.edgeCount, "distinct commenter -> author pairs, no self-loops")
        try put("reciprocity", graph.edgeCount > 0 ? GraphMeasures.overallReciprocity(graph) : nil, graph.edgeCount,
                "share of edges whose reverse edge exists (published 0.197)")
        try put("unanswered_comment_share", threads.unansweredShare, threads.comments,
                "comments no other comment replies to (published 93.5%)")
        try put("mean_comment_depth", threads.meanCommentDepth, threads.comments,
                "1 = answer to the post (published mean thread depth 1.07)")
        let threaded = threads.threadDepths.enumerated().dropFirst()
        let threadedPosts = threaded.reduce(0) { $0 + $1.element }
        try put("mean_thread_depth", threadedPosts > 0 ? Double(threaded.reduce(0) { $0 + $1.offset * $1.element }) / Double(threadedPosts) : nil,
                threadedPosts, "deepest comment per post with comments")
        let comments = (0..<records.count).filter { !records.isPost[$0] }
        let duplicates = comments.filter { records.duplicate[$0] }.count
        try put("exact_duplicate_comment_share", comments.isEmpty ? nil : Double(duplicates) / Double(comments.count), comments.count,
                "comments whose exact text appears more than once (published 34.1%)")
        let upvotes = postIndices.map { Double(records.upvotes[$0]) }
        try put("gini_upvotes", Inequality.gini(upvotes), upvotes.count, "attention inequality over all posts")
        let receivedByPost = postIndices.map { Double(records.commentsReceived[$0]) }
        try put("gini_comments", Inequality.gini(receivedByPost), receivedByPost.count, "comments received per post")

        let burstiness = try Double.fetchAll(db, sql: "SELECT burstiness FROM agent_activity WHERE burstiness IS NOT NULL ORDER BY burstiness")
        try put("burstiness_mean", burstiness.isEmpty ? nil : burstiness.reduce(0, +) / Double(burstiness.count), burstiness.count,
                "CV of gaps between an agent's posts, agents with >= 3 posts (published mean 1.02)")
        try put("burstiness_median", Self.median(burstiness), burstiness.count, "(published median 0.86)")

        if let roles = computed.roles {
            try put("roles", Double(roles.k), computed.centrality.count, "k with the best silhouette in \(settings.roleKRange)")
            try put("roles_silhouette", roles.silhouette, computed.centrality.count, "published 0.91 with 6 roles")
            if let periphery = roles.roles.first(where: { $0.name == "periphery" }) {
                try put("periphery_share", Double(periphery.members) / Double(computed.centrality.count), periphery.members,
                        "agents in the periphery role (published 93.5%)")
            }
        }
        try put("betweenness_sampled", computed.centrality.sampledBetweenness ? 1 : 0, settings.betweennessPivots,
                computed.centrality.sampledBetweenness ? "estimated from sampled source agents" : "exact")
        try put("cascades", Double(computed.cascades.count), computed.cascades.count,
                "phrases of \(settings.cascadeN) words adopted by >= \(settings.cascadeMinAgents) agents")
        if let largest = computed.cascades.first {
            try put("largest_cascade", Double(largest.size), largest.documents, largest.phrase)
        }
        for fit in computed.distributions.fits where fit.subject == "cascade_size" {
            try put("cascade_alpha", fit.fit.alpha, fit.fit.nTail, "x_min \(fit.fit.xMin) (published 2.57 +- 0.02)")
        }

        for (k, bucket) in settings.buckets.enumerated() {
            let semantics = computed.semantics.buckets[k]
            let shifts = semantics.compactMap(\.shift), spreads = semantics.compactMap(\.spread)
            try put("centroid_shift_mean_\(bucket.label)", Self.mean(shifts), shifts.count, "mean cosine distance between consecutive centroids")
            try put("spread_mean_\(bucket.label)", Self.mean(spreads), spreads.count, "mean distance of documents to their bucket's centroid")
            let drift = computed.semantics.agents[k].map(\.drift)
            try put("agent_drift_median_\(bucket.label)", Self.median(drift.sorted()), drift.count, "agents active in >= 2 buckets")
            let overlaps = computed.pageRank[k].compactMap(\.overlap)
            try put("pagerank_top_overlap_mean_\(bucket.label)", Self.mean(overlaps), overlaps.count,
                    "top \(settings.pageRankTopK) kept from one bucket to the next")
            let births = computed.ngrams[k].filter { $0.n == 1 }.compactMap(\.birthRate)
            try put("unigram_birth_rate_mean_\(bucket.label)", Self.mean(births), births.count, "new words per bucket, first bucket excluded")
            if let correlation = computed.series[k].correlations.first, let result = correlation.result {
                try put("volume_harm_r_\(bucket.label)", result.r, result.n, String(format: "posts vs harmful share of posts, p = %.3g (published hourly r = 0.769)", result.pValue))
            }
        }
        return rows
    }

    static func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }

    /// Median of sorted values.
    static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
