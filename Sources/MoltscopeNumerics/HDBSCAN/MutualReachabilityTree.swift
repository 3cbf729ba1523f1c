/// The minimum spanning tree of the mutual-reachability graph (edge i-j weighs
/// max(core_i, core_j, |x_i - x_j|)) by Borůvka: each round joins every component to its
/// nearest other component, so there are at most log2(n) rounds.
///
/// Most of a round's answers come without touching the data: from the neighbour lists (an
/// edge to a listed point is the lightest when nothing off the list can be lighter) and from
/// earlier rounds (a point's lightest edge stays lightest while its far end is outside, and a
/// failed search stays a lower bound). Only points that could still beat their component's best
/// edge are searched, by blocked sgemm against the other components (`OutsideComponentSearch`).
/// Everything is exact: the search prunes only by bounds.
enum MutualReachabilityTree {
    struct Statistics: Sendable {
        var rounds = 0
        var searchedPoints = 0
        /// Point-to-point distances the searches computed.
        var distanceEvaluations = 0
    }

    static func edges(points: Matrix, rows: inout CenteredRows, core: [Double], lists: NeighbourLists,
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
        var component = [Int32](repeating: 0, count: n)

        while edges.count < n - 1 {
            try cancellation?.check()
            statistics.rounds += 1
            var number = [Int32](repeating: -1, count: n)
            var components = 0
            for i in 0..<n {
                let root = sets.find(i)
                if number[root] < 0 { number[root] = Int32(components); components += 1 }
                component[i] = number[root]
            }
            var best = ComponentCandidates(count: components)

            // Candidates known without a search.
            for i in 0..<n {
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
                if target >= 0 {
                    best.offer(c, weight: lightest, from: i, to: target)
                    if lightest <= max(offListBound[i], bounds.lowerBound[i]) {
                        bounds.target[i] = Int32(target)
                        bounds.targetWeight[i] = lightest
                    }
                }
            }

            // Points that might still beat their component's candidate.
            var searchers = [Int32]()
            for i in 0..<n where bounds.target[i] < 0
                && max(offListBound[i], bounds.lowerBound[i]) < best.weight[Int(component[i])] {
                searchers.append(Int32(i))
            }
            if !searchers.isEmpty {
                var search = OutsideComponentSearch(component: component, componentCount: components,
                                                    coreSquared: coreSquared, offListBound: offListBound)
                try search.run(searchers, rows: &rows, best: &best, bounds: &bounds, cancellation: cancellation)
                statistics.searchedPoints += search.searchedPoints
                statistics.distanceEvaluations += search.distanceEvaluations
            }

            for c in 0..<components where best.from[c] >= 0 {
                let a = Int(best.from[c]), b = Int(best.to[c])
                if sets.union(a, b) {
                    let weight = max(core[a], core[b], ExactDistance.between(a, b, in: points))
                    edges.append(SpanningEdge(a: Int32(a), b: Int32(b), weight: weight))
                }
            }
        }
        return (edges, statistics)
    }
}
