import MoltscopeNumerics

/// PageRank of each bucket's interaction graph and how much of its top k stays in the next
/// bucket's top k ("no persistent super-nodes").
struct PageRankTurnover {
    struct Leader: Sendable {
        var rank: Int
        var agent: Int32
        var pageRank: Double
    }

    struct Row: Sendable {
        var index: Int64
        var agents: Int
        var edges: Int
        var leaders: [Leader]
        /// Of this bucket's top k, the share also in the previous non-empty bucket's top k.
        var overlap: Double?
        /// Jaccard index of the two top-k sets.
        var jaccard: Double?
    }

    let bucket: TimeBucket
    let topK: Int

    func run(_ records: SocietyRecords, cancellation: CancellationFlag) throws -> [Row] {
        var comments: [Int64: [Int]] = [:]
        for i in 0..<records.count where !records.isPost[i] {
            if let time = records.time[i] { comments[bucket.index(ofMicros: time), default: []].append(i) }
        }
        var rows: [Row] = []
        var previous: Set<Int32>?
        for index in comments.keys.sorted() {
            try cancellation.check()
            let graph = InteractionGraph(records, documents: comments[index]!)
            guard graph.graph.nodeCount > 0 else { continue }
            let scores = try GraphMeasures.pageRank(graph.graph, cancellation: cancellation)
            let top = scores.indices.sorted { (scores[$0], graph.agents[$1]) > (scores[$1], graph.agents[$0]) }.prefix(topK)
            let leaders = top.enumerated().map { Leader(rank: $0.offset + 1, agent: graph.agents[$0.element], pageRank: scores[$0.element]) }
            let set = Set(leaders.map(\.agent))
            var row = Row(index: index, agents: graph.graph.nodeCount, edges: graph.graph.edgeCount, leaders: leaders)
            if let previous, !set.isEmpty {
                let shared = set.intersection(previous).count
                row.overlap = Double(shared) / Double(set.count)
                row.jaccard = Double(shared) / Double(set.union(previous).count)
            }
            previous = set
            rows.append(row)
        }
        return rows
    }
}
