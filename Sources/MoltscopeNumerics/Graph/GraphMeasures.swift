/// Node measures of a `WeightedDigraph` as networkx computes them (PageRank, betweenness,
/// local clustering, reciprocity), so results can be checked against the library researchers
/// would otherwise use, on graphs networkx is too slow for. Each measure is in a file of its own;
/// all are single-threaded and check `cancellation` between units of work.
public enum GraphMeasures {
    /// PageRank's power iteration did not reach the tolerance (networkx raises
    /// `PowerIterationFailedConvergence` there).
    public struct PageRankDidNotConverge: Error, CustomStringConvertible {
        public let iterations: Int
        public let change: Double

        public var description: String {
            "PageRank did not converge in \(iterations) iterations (last L1 change \(change))"
        }
    }
}
