/// A flat HDBSCAN clustering, field by field as the hdbscan package's fitted attributes.
public struct HDBSCANResult: Sendable, Equatable {
    /// Per point: its cluster (`0..<clusterCount`), -1 for noise.
    public var labels: [Int32]
    /// Per point: membership strength in its cluster (`probabilities_`), 0 for noise.
    public var probabilities: [Float]
    /// Per point: the GLOSH outlier score (`outlier_scores_`). As in the package, a point whose
    /// cluster subtree holds exact duplicates (at least `minSamples + 1` equal points, so an
    /// infinite lambda) scores NaN unless it is one of them.
    public var outlierScores: [Float]
    /// Per cluster: its stability relative to its size and the tree's largest lambda
    /// (`cluster_persistence_`).
    public var clusterPersistence: [Float]
    public var clusterCount: Int

    public init(labels: [Int32], probabilities: [Float], outlierScores: [Float], clusterPersistence: [Float],
                clusterCount: Int) {
        self.labels = labels
        self.probabilities = probabilities
        self.outlierScores = outlierScores
        self.clusterPersistence = clusterPersistence
        self.clusterCount = clusterCount
    }

    /// Identical results: floats compare by bit pattern, so NaN outlier scores compare equal.
    public static func == (a: HDBSCANResult, b: HDBSCANResult) -> Bool {
        func same(_ x: [Float], _ y: [Float]) -> Bool { x.map(\.bitPattern) == y.map(\.bitPattern) }
        return a.labels == b.labels && a.clusterCount == b.clusterCount && same(a.probabilities, b.probabilities)
            && same(a.outlierScores, b.outlierScores) && same(a.clusterPersistence, b.clusterPersistence)
    }

    /// Every point noise.
    static func noise(count: Int) -> HDBSCANResult {
        HDBSCANResult(labels: [Int32](repeating: -1, count: count), probabilities: [Float](repeating: 0, count: count),
                      outlierScores: [Float](repeating: 0, count: count), clusterPersistence: [], clusterCount: 0)
    }
}
