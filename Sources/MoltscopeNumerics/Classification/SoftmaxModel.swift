/// A fitted softmax classifier: standardization of the dense features plus class weights.
public struct SoftmaxModel: Sendable {
    public let classes: Int
    public let denseWidth: Int
    public let sparseWidth: Int
    public let scaling: DenseScaling
    /// SoftmaxObjective's layout: dense weights by class, sparse weights by column, intercepts.
    public let parameters: [Float]
    public let iterations: Int
    public let converged: Bool

    /// Class probabilities, rows x classes, row-major.
    public func probabilities(_ rows: FeatureRows) -> [Float] {
        precondition(rows.denseWidth == denseWidth && rows.sparseWidth == sparseWidth, "features of another shape")
        var standardized = rows
        standardized.transformDense(scaling.apply)
        var cells = SoftmaxScores.compute(standardized, parameters: parameters, classes: classes)
        for i in 0..<rows.count { SoftmaxScores.normalizeRow(&cells[i * classes..<(i + 1) * classes]) }
        return cells.map(\.probability)
    }

    /// The most probable class of each row and its probability.
    public func predict(_ rows: FeatureRows) -> [(label: Int, probability: Float)] {
        let p = probabilities(rows)
        return (0..<rows.count).map { i in
            var best = 0
            for c in 1..<classes where p[i * classes + c] > p[i * classes + best] { best = c }
            return (best, p[i * classes + best])
        }
    }
}
