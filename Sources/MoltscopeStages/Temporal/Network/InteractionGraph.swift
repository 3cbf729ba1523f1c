import MoltscopeNumerics

/// The interaction graph: an edge from each commenter to the author of what the comment
/// answers (its parent comment, else the post), weighted by the number of such comments, no
/// self-loops. Nodes are the agents with at least one edge.
struct InteractionGraph: Sendable {
    struct Edge: Sendable {
        var source: Int32   // agent index (SocietyRecords.agentIds)
        var target: Int32
        var weight: Int
        var first: Int64?
        var last: Int64?
    }

    /// Edges sorted by source then target agent.
    var edges: [Edge]
    /// Agent index of each graph node, and the node of each agent (-1: not in the graph).
    var agents: [Int32]
    var nodeOfAgent: [Int32]
    var graph: WeightedDigraph

    /// The whole period's graph.
    init(_ records: SocietyRecords) {
        self.init(records, documents: 0..<records.count)
    }

    /// The graph of the given documents' comments only (e.g. one bucket's).
    init(_ records: SocietyRecords, documents: some Sequence<Int>) {
        var merged: [Int64: Edge] = [:]
        for i in documents where !records.isPost[i] {
            let parent = Int(records.parent[i])
            guard parent >= 0 else { continue }
            let source = records.author[i], target = records.author[parent]
            guard source >= 0, target >= 0, source != target else { continue }
            let time = records.time[i]
            let key = Int64(source) << 32 | Int64(target)
            if var edge = merged[key] {
                edge.weight += 1
                if let time {
                    edge.first = min(edge.first ?? time, time)
                    edge.last = max(edge.last ?? time, time)
                }
                merged[key] = edge
            } else {
                merged[key] = Edge(source: source, target: target, weight: 1, first: time, last: time)
            }
        }
        edges = merged.values.sorted { ($0.source, $0.target) < ($1.source, $1.target) }
        nodeOfAgent = [Int32](repeating: -1, count: records.agentIds.count)
        agents = []
        for edge in edges {
            for agent in [edge.source, edge.target] where nodeOfAgent[Int(agent)] < 0 {
                nodeOfAgent[Int(agent)] = Int32(agents.count)
                agents.append(agent)
            }
        }
        let nodes = nodeOfAgent
        graph = WeightedDigraph(nodeCount: agents.count,
                                sources: edges.map { nodes[Int($0.source)] },
                                targets: edges.map { nodes[Int($0.target)] },
                                weights: edges.map { Double($0.weight) })
    }
}
