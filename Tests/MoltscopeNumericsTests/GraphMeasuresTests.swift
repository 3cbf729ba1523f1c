import Foundation
import Testing
@testable import MoltscopeNumerics

// Inside the serialized NumericsTests: these tests compute on the calling thread.
extension NumericsTests {

@Suite struct GraphMeasuresTests {
    // MARK: Data

    /// An edge list (before merging) and the node count it is meant for.
    struct EdgeList {
        var nodeCount: Int
        var sources: [Int32] = [], targets: [Int32] = [], weights: [Double] = []

        mutating func add(_ s: Int, _ t: Int, _ w: Double = 1) {
            sources.append(Int32(s)); targets.append(Int32(t)); weights.append(w)
        }

        var graph: WeightedDigraph {
            WeightedDigraph(nodeCount: nodeCount, sources: sources, targets: targets, weights: weights)
        }
    }

    /// A seeded random digraph with every case the measures must get right: skewed sources (hubs),
    /// parallel edges, self-loops, reciprocal pairs, dangling nodes (250..<290 only receive) and
    /// isolated nodes (290..<300).
    static func awkwardGraph(seed: UInt64) -> EdgeList {
        var random = SeededRandom(seed: seed)
        var edges = EdgeList(nodeCount: 300)
        func weight() -> Double { 0.5 + 2.5 * random.unit() }
        for _ in 0..<1500 {
            let s = Int(random.unit() * random.unit() * 250)
            let t = Int(random.unit() * 290)
            edges.add(s, t, weight())
        }
        let plain = edges.sources.count
        for _ in 0..<200 {
            let i = Int(random.unit() * Double(plain))
            edges.add(Int(edges.sources[i]), Int(edges.targets[i]), weight())
        }
        for _ in 0..<30 {
            let v = Int(random.unit() * 290)
            edges.add(v, v, weight())
        }
        for _ in 0..<300 {
            let i = Int(random.unit() * Double(plain))
            if edges.targets[i] < 250 { edges.add(Int(edges.targets[i]), Int(edges.sources[i]), weight()) }
        }
        return edges
    }

    /// A sparse digraph with heavy-tailed in- and out-degrees (Chung-Lu: endpoints drawn in
    /// proportion to power-law propensities), seeded.
    static func heavyTailedGraph(nodes: Int, edges count: Int, seed: UInt64) -> EdgeList {
        var random = SeededRandom(seed: seed)
        var edges = EdgeList(nodeCount: nodes)
        let propensity = (0..<nodes).map { pow(Double($0 + 1), -0.7) }
        var prefix = [Double](), running = 0.0
        for p in propensity { running += p; prefix.append(running) }
        func draw() -> Int {
            let target = random.unit() * running
            var low = 0, high = nodes - 1
            while low < high {
                let mid = (low + high) / 2
                if prefix[mid] < target { low = mid + 1 } else { high = mid }
            }
            return low
        }
        // Out- and in-propensities ranked differently, so the biggest sources are not the biggest sinks.
        let shuffled = random.sample(nodes, of: nodes)
        for _ in 0..<count { edges.add(draw(), shuffled[draw()]) }
        return edges
    }

    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "\(a.count) vs \(b.count) values")
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    static func doubles(_ value: Any?) throws -> [Double] {
        try #require(value as? [Any]).map { try #require(($0 as? NSNumber)?.doubleValue) }
    }

    // MARK: Against networkx

    @Test func everyMeasureMatchesNetworkxOnAnAwkwardRandomGraph() throws {
        let edges = Self.awkwardGraph(seed: 17)
        let graph = edges.graph
        let reference = try PythonReference.run("graph_reference.py", nodeCount: edges.nodeCount, sources: edges.sources,
                                                targets: edges.targets, weights: edges.weights, arguments: ["60", "5"])
        let n = graph.nodeCount
        // The cases are really there.
        #expect(Set(zip(edges.sources, edges.targets).map { "\($0)-\($1)" }).count < edges.sources.count - 100)
        #expect(zip(edges.sources, edges.targets).filter { $0 == $1 }.count >= 20)
        #expect((0..<n).filter { graph.outDegree($0) == 0 && graph.inDegree($0) > 0 }.count >= 30)
        #expect((0..<n).filter { graph.outDegree($0) == 0 && graph.inDegree($0) == 0 }.count >= 10)

        #expect(graph.edgeCount == (reference["edges"] as? Int))
        #expect((0..<n).map { Double(graph.outDegree($0)) } == (try Self.doubles(reference["out_degree"])))
        #expect((0..<n).map { Double(graph.inDegree($0)) } == (try Self.doubles(reference["in_degree"])))
        #expect(Self.maxDifference((0..<n).map(graph.outWeight), try Self.doubles(reference["out_weight"])) < 1e-9)
        #expect(Self.maxDifference((0..<n).map(graph.inWeight), try Self.doubles(reference["in_weight"])) < 1e-9)

        let pageRank = try GraphMeasures.pageRank(graph)
        #expect(Self.maxDifference(pageRank, try Self.doubles(reference["pagerank"])) < 1e-6)
        #expect(abs(pageRank.reduce(0, +) - 1) < 1e-9)
        let tight = try GraphMeasures.pageRank(graph, tolerance: 1e-12, maxIterations: 1000)
        #expect(Self.maxDifference(tight, try Self.doubles(reference["pagerank_tight"])) < 1e-9)

        let betweenness = try GraphMeasures.betweenness(graph)
        let exact = try Self.doubles(reference["betweenness"])
        #expect(Self.maxDifference(betweenness, exact) < 1e-9)
        #expect(exact.filter { $0 > 0.01 }.count > 20)
        #expect(try GraphMeasures.betweenness(graph, pivots: n) == betweenness)

        // networkx's own sample of 60 sources (seed 5) through ours: the same sampled scaling.
        let sources = try Self.doubles(reference["sampled_sources"]).map { Int($0) }
        let sampled = try GraphMeasures.betweenness(graph, sources: sources)
        #expect(Self.maxDifference(sampled, try Self.doubles(reference["sampled_betweenness"])) < 1e-9)

        let clustering = try GraphMeasures.clustering(graph)
        let theirClustering = try Self.doubles(reference["clustering"])
        #expect(Self.maxDifference(clustering, theirClustering) < 1e-9)
        #expect(theirClustering.filter { $0 > 0 }.count > 100)

        let reciprocity = GraphMeasures.reciprocity(graph)
        let theirs = try #require(reference["reciprocity"] as? [Any])
        #expect(reciprocity.count == theirs.count)
        for (v, (ours, their)) in zip(reciprocity, theirs).enumerated() {
            if let ours, let their = (their as? NSNumber)?.doubleValue {
                #expect(abs(ours - their) < 1e-9, "node \(v): \(ours) vs \(their)")
            } else {
                #expect(ours == nil && their is NSNull, "node \(v): \(String(describing: ours)) vs \(their)")
            }
        }
        #expect(reciprocity.compactMap { $0 }.filter { $0 > 0 }.count > 50)
        let overall = try #require(reference["overall_reciprocity"] as? Double)
        #expect(abs(GraphMeasures.overallReciprocity(graph) - overall) < 1e-12)
        #expect(overall > 0.1)
    }

    // MARK: Hand-checked

    @Test func pathAndParallelEdgesByHand() throws {
        // 0 -> 1 -> 2 -> 3, with 0 -> 1 twice (weights 1 and 2) and a self-loop on 2.
        var edges = EdgeList(nodeCount: 4)
        edges.add(0, 1, 1); edges.add(1, 2, 4); edges.add(2, 3, 1); edges.add(0, 1, 2); edges.add(2, 2, 7)
        let graph = edges.graph
        #expect(graph.edgeCount == 3)
        #expect((0..<4).map(graph.outDegree) == [1, 1, 1, 0])
        #expect((0..<4).map(graph.inDegree) == [0, 1, 1, 1])
        #expect((0..<4).map(graph.outWeight) == [3, 4, 1, 0])
        #expect((0..<4).map(graph.inWeight) == [0, 3, 4, 1])
        #expect(graph.hasEdge(from: 0, to: 1) && !graph.hasEdge(from: 1, to: 0) && !graph.hasEdge(from: 2, to: 2))
        #expect(graph.edgeWeight(from: 0, to: 1) == 3)
        #expect(Array(graph.successors(1)) == [2] && Array(graph.predecessors(1)) == [0])
        // 1 lies on 0 ~> 2 and 0 ~> 3, 2 on 0 ~> 3 and 1 ~> 3: 2 of (n-1)(n-2) = 6 ordered pairs each.
        let betweenness = try GraphMeasures.betweenness(graph)
        #expect(Self.maxDifference(betweenness, [0, 1.0 / 3, 1.0 / 3, 0]) < 1e-15)
        #expect(try GraphMeasures.clustering(graph) == [0, 0, 0, 0])
        #expect(GraphMeasures.reciprocity(graph) == [0, 0, 0, 0])
        #expect(GraphMeasures.overallReciprocity(graph) == 0)
        // PageRank: p0 = t, p1 = t + a p0, p2 = t + a p1, p3 = t + a p2, with t = (1 - a)/4 + a p3 / 4
        // (3 is dangling). Unrolled: p3 = t (1 + a + a^2 + a^3), so t = (1 - a)/4 / (1 - a/4 (1 + a + a^2 + a^3)).
        let a = 0.85
        let t = (1 - a) / 4 / (1 - a / 4 * (1 + a + a * a + a * a * a))
        let expected = [t, t * (1 + a), t * (1 + a + a * a), t * (1 + a + a * a + a * a * a)]
        let pageRank = try GraphMeasures.pageRank(graph, tolerance: 1e-14, maxIterations: 1000)
        #expect(Self.maxDifference(pageRank, expected) < 1e-12, "\(pageRank) vs \(expected)")
    }

    @Test func reciprocalStarAndTriangleByHand() throws {
        // A star: 0 <-> 1, 2, 3, 4.
        var star = EdgeList(nodeCount: 5)
        for leaf in 1...4 { star.add(0, leaf); star.add(leaf, 0) }
        let graph = star.graph
        // Every ordered pair of distinct leaves (12) goes through the centre; normalised by 4 x 3.
        #expect(try GraphMeasures.betweenness(graph) == [1, 0, 0, 0, 0])
        #expect(try GraphMeasures.clustering(graph) == [0, 0, 0, 0, 0])
        #expect(GraphMeasures.reciprocity(graph) == [1, 1, 1, 1, 1])
        #expect(GraphMeasures.overallReciprocity(graph) == 1)
        // Centre c, leaves l: c = 0.15/5 + 0.85 (1 - c), so c = 0.88 / 1.85, l = (1 - c) / 4.
        let centre = 0.88 / 1.85
        let pageRank = try GraphMeasures.pageRank(graph, tolerance: 1e-14, maxIterations: 1000)
        #expect(Self.maxDifference(pageRank, [centre] + [Double](repeating: (1 - centre) / 4, count: 4)) < 1e-12)

        // A triangle 0 -> 1 -> 2 -> 0 with 1 -> 0 too and a tail 0 -> 3: undirected, 0 has neighbours
        // 1, 2, 3 and one triangle (1 of 3 pairs); 1 and 2 have 1 of 1; 3 has one neighbour.
        var triangle = EdgeList(nodeCount: 4)
        triangle.add(0, 1); triangle.add(1, 2); triangle.add(2, 0); triangle.add(1, 0); triangle.add(0, 3)
        let clustering = try GraphMeasures.clustering(triangle.graph)
        #expect(Self.maxDifference(clustering, [1.0 / 3, 1, 1, 0]) < 1e-15)
        // 0: pred {1, 2}, succ {1, 3}, one in common: 2 x 1 / 4. 1: pred {0}, succ {0, 2}: 2 / 3.
        let reciprocity = GraphMeasures.reciprocity(triangle.graph)
        #expect(reciprocity == [0.5, 2.0 / 3, 0, 0])
        #expect(GraphMeasures.overallReciprocity(triangle.graph) == 2.0 / 5)
    }

    // MARK: Sampling, hubs, edge cases

    @Test func sampledBetweennessFindsTheExactTopNodes() throws {
        let graph = Self.heavyTailedGraph(nodes: 2000, edges: 12000, seed: 3).graph
        let exact = try GraphMeasures.betweenness(graph)
        let sampled = try GraphMeasures.betweenness(graph, pivots: 300, seed: 9)
        #expect(try GraphMeasures.betweenness(graph, pivots: 300, seed: 9) == sampled)
        #expect(try GraphMeasures.betweenness(graph, pivots: 300, seed: 10) != sampled)
        func top(_ values: [Double], _ count: Int) -> [Int] {
            Array(values.indices.sorted { values[$0] > values[$1] }.prefix(count))
        }
        let exactTop = top(exact, 10), sampledTop = Set(top(sampled, 20))
        let found = exactTop.filter(sampledTop.contains).count
        #expect(found >= 9, "\(found) of the exact top 10 among the sampled top 20")
        // The 5 largest hubs: a 300-of-2000 sample estimates their betweenness within 20% (here
        // 2% for the top 3 and 12-13% for the next two), the top 3 within 5%.
        for (position, v) in exactTop.prefix(5).enumerated() {
            #expect(abs(sampled[v] - exact[v]) <= (position < 3 ? 0.05 : 0.2) * exact[v], "node \(v): sampled \(sampled[v]) vs exact \(exact[v])")
        }
    }

    @Test func aPlantedHubRanksFirst() throws {
        // Six communities of 40 that reach each other only through node 0: every node links to the
        // hub, the hub links back to three nodes of each community.
        var random = SeededRandom(seed: 4)
        var edges = EdgeList(nodeCount: 241)
        for community in 0..<6 {
            let first = 1 + community * 40
            for i in 0..<40 {
                for _ in 0..<4 { edges.add(first + i, first + Int(random.unit() * 40), 1 + random.unit()) }
                edges.add(first + i, 0)
            }
            for i in 0..<3 { edges.add(0, first + i) }
        }
        let graph = edges.graph
        for values in [try GraphMeasures.pageRank(graph), try GraphMeasures.betweenness(graph),
                       try GraphMeasures.betweenness(graph, pivots: 40, seed: 1)] {
            let ranked = values.indices.sorted { values[$0] > values[$1] }
            #expect(ranked[0] == 0)
            #expect(values[0] > 2 * values[ranked[1]])
        }
    }

    @Test func emptyAndSingleNodeGraphs() throws {
        let empty = WeightedDigraph(nodeCount: 0, sources: [], targets: [], weights: [])
        #expect(empty.edgeCount == 0)
        #expect(try GraphMeasures.pageRank(empty).isEmpty)
        #expect(try GraphMeasures.betweenness(empty).isEmpty)
        #expect(try GraphMeasures.betweenness(empty, pivots: 5).isEmpty)
        #expect(try GraphMeasures.clustering(empty).isEmpty)
        #expect(GraphMeasures.reciprocity(empty).isEmpty)
        #expect(GraphMeasures.overallReciprocity(empty) == 0)

        // One node with a self-loop: the loop is dropped, the node is isolated.
        let single = WeightedDigraph(nodeCount: 1, sources: [0], targets: [0], weights: [2])
        #expect(single.edgeCount == 0 && single.outWeight(0) == 0)
        #expect(try GraphMeasures.pageRank(single) == [1])
        #expect(try GraphMeasures.betweenness(single) == [0])
        #expect(try GraphMeasures.clustering(single) == [0])
        #expect(GraphMeasures.reciprocity(single) == [nil])
        #expect(GraphMeasures.overallReciprocity(single) == 0)

        // One pivot: networkx gives its lone source NaN, this 0.
        let pair = WeightedDigraph(nodeCount: 3, sources: [0, 1], targets: [1, 2], weights: [1, 1])
        #expect(try GraphMeasures.betweenness(pair, pivots: 1, seed: 2).allSatisfy { $0.isFinite })
    }

    @Test func pageRankThrowsWhenItDoesNotConvergeAndRunsStopWhenCancelled() throws {
        let graph = Self.awkwardGraph(seed: 1).graph
        #expect(throws: GraphMeasures.PageRankDidNotConverge.self) {
            try GraphMeasures.pageRank(graph, maxIterations: 3)
        }
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: CancellationError.self) { try GraphMeasures.pageRank(graph, cancellation: flag) }
        #expect(throws: CancellationError.self) { try GraphMeasures.betweenness(graph, cancellation: flag) }
        #expect(throws: CancellationError.self) { try GraphMeasures.clustering(graph, cancellation: flag) }
    }
}
}
