/// The minimum spanning tree of the mutual-reachability graph (edge i-j weighs
/// max(core_i, core_j, |x_i - x_j|)) by Borůvka: each round joins every component to its
/// nearest other component.
///
/// Most of a round's answers come without touching the data: from the neighbour lists (an
/// edge to a listed point is the lightest when nothing off the list can be lighter) and from
/// earlier rounds (a point's lightest edge stays lightest while its far end is outside, and a
/// failed search stays a lower bound). The first round is settled almost entirely so and
/// leaves about n / 150 components. Points that could still beat their component's best edge
/// are searched by blocked sgemm (`OutsideComponentSearch`); once a round would search much,
/// one sweep over all pairs of components finishes the tree instead (`ComponentPairSearch`).
/// Everything is exact: the searches prune by bounds only, and the weights of the chosen edges
/// are recomputed in double precision.
enum MutualReachabilityTree {
    struct Statistics: Sendable {
        var rounds = 0
        var searchedPoints = 0
        /// Point-to-point distances the searches computed.
        var distanceEvaluations = 0
        /// Per round: components, points that searched, distances computed so far.
        var perRound: [(components: Int, searched: Int, evaluations: Int)] = []
    }

    /// When to finish with the sweep over all pairs of components.
    enum Strategy: Sendable {
        /// When a round would cost more than an eighth of the sweep: such a round rarely
        /// finishes the tree, and the sweep would follow it anyway.
        case automatic
        /// Never (tests compare the two ways).
        case roundsOnly
        /// As soon as there are few enough components.
        case sweepEarly
    }

    static func edges(points: Matrix, rows: inout CenteredRows, core: [Double], lists: NeighbourLists,
                      strategy: Strategy = .automatic,
                      cancellation: CancellationFlag?) throws -> (edges: [SpanningEdge], statistics: Statistics) {
        let n = points.rows
        var statistics = Statistics()
        var edges = [SpanningEdge]()
        edges.reserveCapacity(max(0, n - 1))
        guard n > 1 else { return (edges, statistics) }

        let coreSquared = core.map { Float($0 * $0) }
        // Every point off a point's list is at least its list radius away.
        let offListBound = (0..<n).map { max(coreSquared[$0], lists.radiusSquared(of: $0)) }
        var sets = DisjointSets(count: n)
        var bounds = PointBounds(count: n)
        func join(_ a: Int, _ b: Int) {
            if sets.union(a, b) {
                edges.append(SpanningEdge(a: Int32(a), b: Int32(b),
                                          weight: max(core[a], core[b], ExactDistance.between(a, b, in: points))))
            }
        }

        while edges.count < n - 1 {
            try cancellation?.check()
            statistics.rounds += 1
            let (component, components) = numberComponents(&sets, count: n)
            var best = ComponentCandidates(count: components)
            knownCandidates(component: component, lists: lists, coreSquared: coreSquared, offListBound: offListBound,
                            best: &best, bounds: &bounds)
            // Points that might still beat their component's candidate.
            let searchers = (0..<n).filter { i in
                bounds.target[i] < 0 && max(offListBound[i], bounds.lowerBound[i]) < best.weight[Int(component[i])]
            }.map { Int32($0) }

            if sweepIsCheaper(searchers, component: component, components: components, strategy: strategy) {
                var sweep = ComponentPairSearch()
                let joins = try sweep.spanningJoins(component: component, componentCount: components,
                                                    coreSquared: coreSquared, rows: &rows, cancellation: cancellation)
                statistics.distanceEvaluations += sweep.distanceEvaluations
                statistics.perRound.append((components, n, statistics.distanceEvaluations))
                for (a, b) in joins { join(a, b) }
                break
            }
            if !searchers.isEmpty {
                var search = OutsideComponentSearch(component: component, componentCount: components,
                                                    coreSquared: coreSquared, offListBound: offListBound)
                try search.run(searchers, rows: &rows, best: &best, bounds: &bounds, cancellation: cancellation)
                statistics.searchedPoints += search.searchedPoints
                statistics.distanceEvaluations += search.distanceEvaluations
            }
            statistics.perRound.append((components, searchers.count, statistics.distanceEvaluations))
            for c in 0..<components where best.from[c] >= 0 { join(Int(best.from[c]), Int(best.to[c])) }
        }
        return (edges, statistics)
    }

    /// Components numbered `0..<count` in order of their first point.
    private static func numberComponents(_ sets: inout DisjointSets, count n: Int) -> (component: [Int32], count: Int) {
        var number = [Int32](repeating: -1, count: n), component = [Int32](repeating: 0, count: n)
        var count: Int32 = 0
        for i in 0..<n {
            let root = sets.find(i)
            if number[root] < 0 { number[root] = count; count += 1 }
            component[i] = number[root]
        }
        return (component, Int(count))
    }

    /// Candidate edges from what the points already know (a still valid lightest edge) and from
    /// their neighbour lists; an edge from the list is the point's lightest when nothing off the
    /// list, nor anything below its lower bound, can be lighter.
    private static func knownCandidates(component: [Int32], lists: NeighbourLists, coreSquared: [Float],
                                        offListBound: [Float], best: inout ComponentCandidates,
                                        bounds: inout PointBounds) {
        for i in 0..<component.count {
            let c = Int(component[i])
            let known = Int(bounds.target[i])
            if known >= 0 {
                if Int(component[known]) != c {
                    best.offer(c, weight: bounds.targetWeight[i], from: i, to: known)
                    continue
                }
                bounds.target[i] = -1
                bounds.lowerBound[i] = max(bounds.lowerBound[i], bounds.targetWeight[i])
            }
            var lightest = Float.infinity, target = -1
            for slot in i * lists.count..<(i + 1) * lists.count {
                let j = Int(lists.indices[slot])
                if Int(component[j]) != c {
                    let weight = max(coreSquared[i], coreSquared[j], lists.squaredDistances[slot])
                    if weight < lightest { lightest = weight; target = j }
                }
            }
            guard target >= 0 else { continue }
            best.offer(c, weight: lightest, from: i, to: target)
            if lightest <= max(offListBound[i], bounds.lowerBound[i]) {
                bounds.target[i] = Int32(target)
                bounds.targetWeight[i] = lightest
            }
        }
    }

    /// Distances a round would compute against those of the sweep.
    private static func sweepIsCheaper(_ searchers: [Int32], component: [Int32], components: Int,
                                       strategy: Strategy) -> Bool {
        guard components <= ComponentPairSearch.maximumComponents && strategy != .roundsOnly else { return false }
        if strategy == .sweepEarly { return true }
        let n = component.count
        var sizes = [Int](repeating: 0, count: components)
        for c in component { sizes[Int(c)] += 1 }
        let roundCost = searchers.reduce(0) { $0 + n - sizes[Int(component[Int($1)])] }
        let sweepCost = sizes.reduce(0) { $0 + $1 * (n - $1) } / 2
        return 8 * roundCost > sweepCost
    }
}
