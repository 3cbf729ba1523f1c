import MoltscopeNumerics

/// Each graph node's position: degrees and weighted degrees, betweenness (sampled above
/// `pivots` nodes), clustering coefficient, PageRank (0.85) and reciprocity.
struct AgentCentrality: Sendable {
    static let features = ["in_degree", "out_degree", "in_weight", "out_weight", "betweenness", "clustering",
                           "pagerank", "reciprocity"]

    var inDegree: [Int] = []
    var outDegree: [Int] = []
    var inWeight: [Double] = []
    var outWeight: [Double] = []
    var betweenness: [Double] = []
    var clustering: [Double] = []
    var pageRank: [Double] = []
    var reciprocity: [Double?] = []
    /// True when betweenness was estimated from sampled sources.
    var sampledBetweenness = false

    var count: Int { inDegree.count }

    init(_ graph: WeightedDigraph, pivots: Int, seed: UInt64, cancellation: CancellationFlag) throws {
        let n = graph.nodeCount
        inDegree = (0..<n).map(graph.inDegree)
        outDegree = (0..<n).map(graph.outDegree)
        inWeight = (0..<n).map(graph.inWeight)
        outWeight = (0..<n).map(graph.outWeight)
        guard n > 0 else { return }
        pageRank = try GraphMeasures.pageRank(graph, cancellation: cancellation)
        sampledBetweenness = pivots > 0 && n > pivots
        betweenness = try GraphMeasures.betweenness(graph, pivots: sampledBetweenness ? pivots : nil, seed: seed,
                                                    cancellation: cancellation)
        clustering = try GraphMeasures.clustering(graph, cancellation: cancellation)
        reciprocity = GraphMeasures.reciprocity(graph)
    }

    /// The node's features in `features` order (reciprocity 0 when undefined).
    func row(_ node: Int) -> [Double] {
        [Double(inDegree[node]), Double(outDegree[node]), inWeight[node], outWeight[node], betweenness[node],
         clustering[node], pageRank[node], reciprocity[node] ?? 0]
    }
}
