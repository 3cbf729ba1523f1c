import Foundation

/// Multinomial logistic regression (softmax) with L2 regularization, fitted by L-BFGS: the model
/// scikit-learn's `LogisticRegression(multi_class="multinomial", solver="lbfgs")` fits, so results
/// can be checked against it. Dense features are standardized on the training rows first.
public struct SoftmaxRegression: Sendable {
    public enum ClassWeight: String, Sendable {
        /// Every example counts once.
        case none
        /// Examples weighted n / (classes * n_class), as scikit-learn's "balanced": rare classes
        /// matter as much as common ones (macro-F1).
        case balanced
    }

    public var classes: Int
    /// Inverse regularization strength, scikit-learn's C (larger: weaker penalty).
    public var inverseRegularization: Double
    public var classWeight: ClassWeight
    public var solver: LBFGS

    public init(classes: Int, inverseRegularization: Double = 1, classWeight: ClassWeight = .none,
                solver: LBFGS = LBFGS()) {
        precondition(classes >= 2, "a classifier needs at least two classes")
        self.classes = classes
        self.inverseRegularization = inverseRegularization
        self.classWeight = classWeight
        self.solver = solver
    }

    /// Fits on `rows` with labels in 0..<classes. Minimizes
    /// sum_i w_i * crossEntropy_i + ||W||^2 / (2C), divided by the sum of weights (the intercepts
    /// are not penalized).
    public func fit(_ rows: FeatureRows, labels: [Int], cancellation: CancellationFlag? = nil) throws -> SoftmaxModel {
        precondition(rows.count == labels.count && rows.count > 0, "one label per row needed")
        precondition(labels.allSatisfy { (0..<classes).contains($0) }, "label out of range")
        let scaling = DenseScaling(fitting: rows)
        var standardized = rows
        standardized.transformDense(scaling.apply)
        let weights = sampleWeights(labels)
        let problem = SoftmaxObjective(rows: standardized, labels: labels, sampleWeights: weights, classes: classes,
                                       penalty: 1 / inverseRegularization)
        let start = [Double](repeating: 0, count: problem.parameterCount)
        let result = try solver.minimize(from: start, cancellation: cancellation) { x, gradient in
            problem.evaluate(x, gradient: &gradient)
        }
        return SoftmaxModel(classes: classes, denseWidth: rows.denseWidth, sparseWidth: rows.sparseWidth,
                            scaling: scaling, parameters: result.x.map { Float($0) },
                            iterations: result.iterations, converged: result.converged)
    }

    private func sampleWeights(_ labels: [Int]) -> [Float] {
        guard classWeight == .balanced else { return [Float](repeating: 1, count: labels.count) }
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        let present = counts.filter { $0 > 0 }.count
        return labels.map { Float(Double(labels.count) / (Double(present) * Double(counts[$0]))) }
    }
}

/// Per-column standardization of the dense features (mean 0, variance 1 on the training rows;
/// constant columns are only centred).
public struct DenseScaling: Sendable {
    public let mean: [Float]
    public let inverseDeviation: [Float]

    init(fitting rows: FeatureRows) {
        let width = rows.denseWidth, n = rows.count
        var sum = [Double](repeating: 0, count: width), squares = sum
        for row in 0..<n {
            for j in 0..<width {
                let value = Double(rows.dense[row * width + j])
                sum[j] += value
                squares[j] += value * value
            }
        }
        mean = sum.map { Float($0 / Double(n)) }
        inverseDeviation = (0..<width).map { j in
            let variance = max(squares[j] / Double(n) - (sum[j] / Double(n)) * (sum[j] / Double(n)), 0)
            return variance > 1e-12 ? Float(1 / variance.squareRoot()) : 1
        }
    }

    func apply(_ row: inout ArraySlice<Float>) {
        var j = 0
        for index in row.indices {
            row[index] = (row[index] - mean[j]) * inverseDeviation[j]
            j += 1
        }
    }
}
