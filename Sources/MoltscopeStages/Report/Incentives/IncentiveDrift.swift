import Foundation
import GRDB

/// MoltNet's incentive dimension: does success change what an agent does? For every agent with
/// karma > 0 and a dated post, its most-upvoted post (ties: the earliest) splits its output in
/// two. The output shift ratio is the share of its posts made after that post; the persona
/// drift compares the mean profile similarity of its documents before and after it.
struct IncentiveDrift {
    struct Agent: Sendable {
        var agent: Int32
        var karma: Int
        var posts: Int
        var topPost: Int          // index into the records
        var topUpvotes: Int
        var postsAfter: Int
        var shiftRatio: Double { Double(postsAfter) / Double(posts) }
        var documentsBefore: Int = 0
        var documentsAfter: Int = 0
        var similarityBefore: Double?
        var similarityAfter: Double?
        /// After minus before; negative: it moved away from its persona.
        var similarityChange: Double? {
            guard let similarityBefore, let similarityAfter else { return nil }
            return similarityAfter - similarityBefore
        }
    }

    /// Karma by agent id, as the agents table holds it (the largest the crawl saw).
    static func karma(_ db: Database) throws -> [String: Int] {
        var karma: [String: Int] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, karma FROM agents WHERE karma > 0")
        while let row = try rows.next() { karma[row[0]] = row[1] }
        return karma
    }

    static func run(records: SocietyRecords, karma: [String: Int], alignment: [PersonaAlignment.Document]) -> [Agent] {
        var agents: [Int32: Agent] = [:]
        // Records are in time order, so the first post with the most upvotes is the earliest.
        for i in 0..<records.count where records.isPost[i] && records.author[i] >= 0 && records.time[i] != nil {
            let agent = records.author[i]
            guard let karma = karma[records.agentIds[Int(agent)]] else { continue }
            if var current = agents[agent] {
                current.posts += 1
                if records.upvotes[i] > current.topUpvotes {
                    current.topPost = i
                    current.topUpvotes = records.upvotes[i]
                }
                agents[agent] = current
            } else {
                agents[agent] = Agent(agent: agent, karma: karma, posts: 1, topPost: i, topUpvotes: records.upvotes[i], postsAfter: 0)
            }
        }
        for i in 0..<records.count where records.isPost[i] && records.author[i] >= 0 {
            guard let time = records.time[i], let agent = agents[records.author[i]],
                  let top = records.time[agent.topPost], time > top else { continue }
            agents[records.author[i]]!.postsAfter += 1
        }
        // Persona similarity of each agent's documents before and after its top post (the post itself left out).
        var sums: [Int32: (before: Double, nBefore: Int, after: Double, nAfter: Int)] = [:]
        for document in alignment {
            let record = Int(document.record), author = records.author[record]
            guard let agent = agents[author], let time = records.time[record],
                  let top = records.time[agent.topPost], record != agent.topPost else { continue }
            var sum = sums[author] ?? (0, 0, 0, 0)
            if time < top { sum.before += document.similarity; sum.nBefore += 1 }
            if time > top { sum.after += document.similarity; sum.nAfter += 1 }
            sums[author] = sum
        }
        for (agent, sum) in sums {
            agents[agent]!.documentsBefore = sum.nBefore
            agents[agent]!.documentsAfter = sum.nAfter
            if sum.nBefore > 0 { agents[agent]!.similarityBefore = sum.before / Double(sum.nBefore) }
            if sum.nAfter > 0 { agents[agent]!.similarityAfter = sum.after / Double(sum.nAfter) }
        }
        return agents.values.sorted { $0.agent < $1.agent }
    }

    /// n, mean, median and quartiles of one measure over the agents that have it.
    struct Summary: Sendable, Equatable {
        var measure: String
        var n: Int
        var mean: Double?
        var median: Double?
        var p25: Double?
        var p75: Double?
    }

    static func summaries(_ agents: [Agent]) -> [Summary] {
        func summary(_ measure: String, _ values: [Double]) -> Summary {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return Summary(measure: measure, n: 0) }
            func quantile(_ q: Double) -> Double {   // linear interpolation, as numpy's default
                let position = q * Double(sorted.count - 1), low = Int(position.rounded(.down))
                let high = min(low + 1, sorted.count - 1), fraction = position - Double(low)
                return sorted[low] + (sorted[high] - sorted[low]) * fraction
            }
            return Summary(measure: measure, n: sorted.count, mean: sorted.reduce(0, +) / Double(sorted.count),
                           median: quantile(0.5), p25: quantile(0.25), p75: quantile(0.75))
        }
        let both = agents.filter { $0.similarityChange != nil }
        return [
            summary("shift_ratio", agents.map(\.shiftRatio)),
            summary("similarity_before", both.compactMap(\.similarityBefore)),
            summary("similarity_after", both.compactMap(\.similarityAfter)),
            summary("similarity_change", both.compactMap(\.similarityChange)),
            summary("moved_away", both.map { $0.similarityChange! < 0 ? 1 : 0 }),
        ]
    }
}

extension IncentiveDrift.Summary {
    init(measure: String, n: Int) { self.init(measure: measure, n: n, mean: nil, median: nil, p25: nil, p75: nil) }
}
