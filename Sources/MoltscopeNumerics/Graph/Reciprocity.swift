extension GraphMeasures {
    /// `networkx.reciprocity(G, G.nodes)`: for each node, the share of its in- and out-edges that
    /// are reciprocated, 2 |pred ∩ succ| / (|pred| + |succ|); nil for an isolated node (no edges),
    /// where it is undefined.
    public static func reciprocity(_ graph: WeightedDigraph) -> [Double?] {
        (0..<graph.nodeCount).map { v in
            let total = graph.inDegree(v) + graph.outDegree(v)
            guard total > 0 else { return nil }
            return 2 * Double(reciprocated(graph, v)) / Double(total)
        }
    }

    /// `networkx.overall_reciprocity(G)`: the share of directed edges whose reverse edge also
    /// exists. 0 for a graph without edges (networkx raises there).
    public static func overallReciprocity(_ graph: WeightedDigraph) -> Double {
        guard graph.edgeCount > 0 else { return 0 }
        var mutual = 0
        for v in 0..<graph.nodeCount { mutual += reciprocated(graph, v) }
        return Double(mutual) / Double(graph.edgeCount)
    }

    /// |successors(v) ∩ predecessors(v)|: the out-edges of `v` that have a reverse edge (a merge of
    /// the two sorted rows).
    static func reciprocated(_ graph: WeightedDigraph, _ v: Int) -> Int {
        let out = graph.successors(v), into = graph.predecessors(v)
        var i = out.startIndex, j = into.startIndex, common = 0
        while i < out.endIndex && j < into.endIndex {
            if out[i] < into[j] { i += 1 } else if into[j] < out[i] { j += 1 } else { common += 1; i += 1; j += 1 }
        }
        return common
    }
}
