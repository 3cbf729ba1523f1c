/// A weighted directed graph on nodes `0..<nodeCount` in compressed sparse rows, with both
/// directions (out-edges with their weights, in-edges without), each row sorted by neighbour.
/// It is the one input of `GraphMeasures`: flat arrays and Int32 node indices keep a graph of a
/// million edges at about 20 bytes an edge, and sorted rows make edge lookups a binary search and
/// neighbourhood intersections a merge.
///
/// It is the simple graph networkx builds from an edge list with weights summed: parallel edges
/// become one edge carrying the sum of their weights, and self-loops are dropped.
public struct WeightedDigraph: Sendable {
    public let nodeCount: Int
    /// Out-edges of `v`: `outTargets[outOffsets[v]..<outOffsets[v + 1]]`, increasing, with `outWeights` parallel.
    let outOffsets: [Int]
    let outTargets: [Int32]
    let outWeights: [Double]
    /// In-edges of `v`: `inSources[inOffsets[v]..<inOffsets[v + 1]]`, increasing.
    let inOffsets: [Int]
    let inSources: [Int32]
    let outStrength: [Double]
    let inStrength: [Double]

    /// `sources[i] -> targets[i]` with `weights[i]`; the three arrays have one entry per edge and
    /// every index is in `0..<nodeCount`.
    public init(nodeCount: Int, sources: [Int32], targets: [Int32], weights: [Double]) {
        precondition(nodeCount >= 0 && nodeCount <= Int(Int32.max), "node count \(nodeCount) out of range")
        precondition(sources.count == targets.count && targets.count == weights.count,
                     "\(sources.count) sources, \(targets.count) targets and \(weights.count) weights")
        let n = nodeCount
        // Two stable counting sorts (by target, then by source) order the edges by (source, target)
        // in O(edges + nodes), so parallel edges end up adjacent.
        var byTargetStart = [Int](repeating: 0, count: n + 1)
        for i in sources.indices {
            let s = Int(sources[i]), t = Int(targets[i])
            precondition(s >= 0 && s < n && t >= 0 && t < n, "edge \(s) -> \(t) outside 0..<\(n)")
            if s != t { byTargetStart[t + 1] += 1 }
        }
        for v in 0..<n { byTargetStart[v + 1] += byTargetStart[v] }
        let kept = byTargetStart[n]
        var byTarget = [Int](repeating: 0, count: kept)
        var next = byTargetStart
        for i in sources.indices where sources[i] != targets[i] {
            let t = Int(targets[i])
            byTarget[next[t]] = i
            next[t] += 1
        }
        var bySourceStart = [Int](repeating: 0, count: n + 1)
        for i in byTarget { bySourceStart[Int(sources[i]) + 1] += 1 }
        for v in 0..<n { bySourceStart[v + 1] += bySourceStart[v] }
        var ordered = [Int](repeating: 0, count: kept)
        next = bySourceStart
        for i in byTarget {
            let s = Int(sources[i])
            ordered[next[s]] = i
            next[s] += 1
        }
        byTarget = []

        // Merge runs of the same (source, target), summing their weights.
        var outOffsets = [Int](repeating: 0, count: n + 1)
        var outTargets = [Int32](), outWeights = [Double]()
        outTargets.reserveCapacity(kept)
        outWeights.reserveCapacity(kept)
        var outStrength = [Double](repeating: 0, count: n), inStrength = [Double](repeating: 0, count: n)
        var inCount = [Int](repeating: 0, count: n + 1)
        for s in 0..<n {
            var k = bySourceStart[s]
            let end = bySourceStart[s + 1]
            while k < end {
                let target = targets[ordered[k]]
                var weight = 0.0
                while k < end && targets[ordered[k]] == target {
                    weight += weights[ordered[k]]
                    k += 1
                }
                outTargets.append(target)
                outWeights.append(weight)
                outStrength[s] += weight
                inStrength[Int(target)] += weight
                inCount[Int(target) + 1] += 1
            }
            outOffsets[s + 1] = outTargets.count
        }
        ordered = []

        // In-adjacency: a counting sort of the merged edges by target; sources come in increasing order.
        for v in 0..<n { inCount[v + 1] += inCount[v] }
        var inSources = [Int32](repeating: 0, count: outTargets.count)
        var fill = inCount
        for s in 0..<n {
            for k in outOffsets[s]..<outOffsets[s + 1] {
                let t = Int(outTargets[k])
                inSources[fill[t]] = Int32(s)
                fill[t] += 1
            }
        }
        self.nodeCount = n
        self.outOffsets = outOffsets
        self.outTargets = outTargets
        self.outWeights = outWeights
        self.inOffsets = inCount
        self.inSources = inSources
        self.outStrength = outStrength
        self.inStrength = inStrength
    }

    /// Distinct directed edges (after merging parallel edges and dropping self-loops).
    public var edgeCount: Int { outTargets.count }

    public func outDegree(_ node: Int) -> Int { outOffsets[node + 1] - outOffsets[node] }

    public func inDegree(_ node: Int) -> Int { inOffsets[node + 1] - inOffsets[node] }

    /// Sum of the weights of the node's out-edges (its out-strength).
    public func outWeight(_ node: Int) -> Double { outStrength[node] }

    /// Sum of the weights of the node's in-edges (its in-strength).
    public func inWeight(_ node: Int) -> Double { inStrength[node] }

    /// Targets of the node's out-edges, increasing (a view into the graph, no copy).
    public func successors(_ node: Int) -> ArraySlice<Int32> { outTargets[outOffsets[node]..<outOffsets[node + 1]] }

    /// Weights of the node's out-edges, parallel to `successors(node)`.
    public func successorWeights(_ node: Int) -> ArraySlice<Double> { outWeights[outOffsets[node]..<outOffsets[node + 1]] }

    /// Sources of the node's in-edges, increasing.
    public func predecessors(_ node: Int) -> ArraySlice<Int32> { inSources[inOffsets[node]..<inOffsets[node + 1]] }

    public func hasEdge(from source: Int, to target: Int) -> Bool {
        edgeWeight(from: source, to: target) != nil
    }

    /// The (merged) weight of `source -> target`, nil when there is no such edge.
    public func edgeWeight(from source: Int, to target: Int) -> Double? {
        var low = outOffsets[source], high = outOffsets[source + 1]
        let wanted = Int32(truncatingIfNeeded: target)
        while low < high {
            let mid = (low + high) / 2
            if outTargets[mid] < wanted { low = mid + 1 } else { high = mid }
        }
        return low < outOffsets[source + 1] && outTargets[low] == wanted ? outWeights[low] : nil
    }
}
