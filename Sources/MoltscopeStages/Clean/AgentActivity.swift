/// One row of `agent_activity`.
struct AgentStats: Sendable, Equatable {
    var posts = 0
    var comments = 0
    var documents = 0
    var duplicateDocuments = 0
    var floodEvents = 0
    var floodDocuments = 0
    var burstiness: Double?
    var meanGapSeconds: Double?

    /// Share of the agent's documents in an exact or near group of size >= 2.
    var duplicateShare: Double { documents == 0 ? 0 : Double(duplicateDocuments) / Double(documents) }
}

/// Per-agent activity: counts, duplicate share, floods and burstiness.
///
/// Burstiness is the coefficient of variation of the gaps between an agent's consecutive posts
/// (not comments), as in arXiv 2602.07432: population standard deviation divided by the mean
/// (σ/μ with σ² = Σ(g − μ)²/n over the n gaps). 1 for a Poisson process, 0 for a clock, above 1
/// for bursts. Only for agents with at least 3 posts with a readable time (2 or more gaps), and a
/// positive mean gap; NULL otherwise. `mean_gap_seconds` needs 2 such posts.
enum AgentActivity {
    static func compute(agentCount: Int, kinds: [UInt8], authors: [Int32], times: [Int64], nearGroup: [Int32],
                        events: [FloodEvent]) -> [AgentStats] {
        var stats = [AgentStats](repeating: AgentStats(), count: agentCount)
        var postTimes: [(agent: Int32, time: Int64)] = []
        for d in authors.indices where authors[d] >= 0 {
            let agent = Int(authors[d])
            stats[agent].documents += 1
            if kinds[d] == RawDocument.Kind.post.rawValue {
                stats[agent].posts += 1
                if times[d] != CorpusIndex.unknownTime { postTimes.append((authors[d], times[d])) }
            } else {
                stats[agent].comments += 1
            }
            if nearGroup[d] != 0 { stats[agent].duplicateDocuments += 1 }
        }
        for event in events {
            stats[Int(event.author)].floodEvents += 1
            stats[Int(event.author)].floodDocuments += event.members.count
        }
        postTimes.sort { $0.agent != $1.agent ? $0.agent < $1.agent : $0.time < $1.time }
        var start = 0
        while start < postTimes.count {
            var end = start + 1
            while end < postTimes.count, postTimes[end].agent == postTimes[start].agent { end += 1 }
            let (cv, mean) = burstiness(postTimes[start..<end].map(\.time))
            stats[Int(postTimes[start].agent)].burstiness = cv
            stats[Int(postTimes[start].agent)].meanGapSeconds = mean
            start = end
        }
        return stats
    }

    /// The coefficient of variation of the gaps between sorted times (microseconds), and the mean
    /// gap in seconds. CV needs 3 times and a positive mean; the mean needs 2 times.
    static func burstiness(_ sortedTimes: [Int64]) -> (cv: Double?, meanGapSeconds: Double?) {
        guard sortedTimes.count >= 2 else { return (nil, nil) }
        var gaps: [Double] = []
        for i in 1..<sortedTimes.count { gaps.append(Double(sortedTimes[i] - sortedTimes[i - 1]) / 1_000_000) }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        guard sortedTimes.count >= 3, mean > 0 else { return (nil, mean) }
        let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count)
        return (variance.squareRoot() / mean, mean)
    }
}
