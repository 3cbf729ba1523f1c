/// scikit-learn's `_gradient_descent` for t-SNE: momentum plus per-coordinate gains (up by 0.2
/// while the gradient keeps its direction against the update, down by ×0.8 when it turns,
/// floored at `minimumGain`). The error is evaluated every `checkInterval` iterations and at
/// the last; a phase stops early after `patience` iterations without a better error or once the
/// gained gradient's norm falls to `minimumGradientNorm`.
struct GradientDescent {
    static let checkInterval = 50
    static let minimumGain: Float = 0.01
    static let minimumGradientNorm = 1e-7

    var learningRate: Float
    var momentum: Float
    var patience: Int

    struct Outcome {
        /// The last iteration run (its index in the whole schedule).
        var lastIteration: Int
        /// The error at the last evaluation, nil when none happened.
        var error: Double?
    }

    /// Runs iterations `range` from `positions`, each a call of `gradientAt(positions, iteration,
    /// withError, &gradient)`. Update and gains start afresh, as each scikit-learn phase does.
    func run(_ range: Range<Int>, positions: inout [Float], cancellation: CancellationFlag?,
             progress: ((Int) -> Void)?,
             gradientAt: (_ positions: [Float], _ withError: Bool, _ gradient: inout [Float]) -> Double?) throws -> Outcome {
        var update = [Float](repeating: 0, count: positions.count)
        var gains = [Float](repeating: 1, count: positions.count)
        var gradient = [Float](repeating: 0, count: positions.count)
        var outcome = Outcome(lastIteration: range.lowerBound - 1, error: nil)
        var bestError = Double.greatestFiniteMagnitude, bestIteration = range.lowerBound
        for iteration in range {
            try cancellation?.check()
            let check = (iteration + 1) % Self.checkInterval == 0
            let error = gradientAt(positions, check || iteration == range.upperBound - 1, &gradient)
            var squaredNorm = 0.0
            for index in positions.indices {
                let steady = update[index] * gradient[index] < 0   // still descending the same way
                gains[index] = max(Self.minimumGain, steady ? gains[index] + 0.2 : gains[index] * 0.8)
                let step = gradient[index] * gains[index]
                squaredNorm += Double(step * step)
                update[index] = momentum * update[index] - learningRate * step
                positions[index] += update[index]
            }
            outcome = Outcome(lastIteration: iteration, error: error ?? outcome.error)
            guard check else { continue }
            progress?(iteration + 1)
            if let error, error < bestError {
                bestError = error
                bestIteration = iteration
            } else if iteration - bestIteration > patience {
                break
            }
            if squaredNorm.squareRoot() <= Self.minimumGradientNorm { break }
        }
        return outcome
    }
}
