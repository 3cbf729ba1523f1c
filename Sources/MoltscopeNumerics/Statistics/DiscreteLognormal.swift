import Foundation

/// The discrete lognormal of `powerlaw` 2.0 (discrete_normalization="round"): the continuous
/// lognormal's mass on [x - 1/2, x + 1/2] over its mass above x_min - 1/2,
/// p(x) = (erfc(z(x - 1/2)) - erfc(z(x + 1/2))) / erfc(z(x_min - 1/2)), z(t) = (log t - mu) / (sqrt 2 sigma),
/// fitted by Nelder-Mead from the mean and standard deviation of log x, with a probability of
/// 0 counted as 1e-307. Heavy-tailed samples put the optimum far out on a flat ridge (a
/// lognormal with very negative mu and large sigma imitates a power law), where the optimizer's
/// stopping point depends on its path: taking `powerlaw`'s path gives its answer.
enum DiscreteLognormal {
    /// The fitted (mu, sigma) on the tail `range` of `histogram` (x_min its first value).
    static func fit(_ histogram: IntegerHistogram, range: Range<Int>) -> (mu: Double, sigma: Double) {
        let count = Double(histogram.tailCounts[range.lowerBound])
        var sum = 0.0
        for k in range { sum += Double(histogram.counts[k]) * histogram.logValues[k] }
        let mean = sum / count
        var squares = 0.0
        for k in range { let d = histogram.logValues[k] - mean; squares += Double(histogram.counts[k]) * d * d }
        let optimizer = NelderMead(lower: [-.infinity, 0], upper: [.infinity, .infinity])
        let result = optimizer.minimize(from: [mean, (squares / count).squareRoot()]) { parameters in
            let logs = logLikelihoods(mu: parameters[0], sigma: parameters[1], histogram, range: range)
            var negative = 0.0
            for (offset, k) in range.enumerated() { negative -= Double(histogram.counts[k]) * logs[offset] }
            return negative
        }
        return (result.x[0], result.x[1])
    }

    /// log p(x) for each distinct value in `range`, as `powerlaw` computes it.
    static func logLikelihoods(mu: Double, sigma: Double, _ histogram: IntegerHistogram, range: Range<Int>) -> [Double] {
        let floor = log(DiscreteExponential.smallestProbability)
        guard sigma > 0 else { return [Double](repeating: floor, count: range.count) }
        let scale = 2.0.squareRoot() * sigma
        let xMin = Double(histogram.values[range.lowerBound])
        let normaliser = 0.5 * erfc((log(xMin - 0.5) - mu) / scale)
        return range.map { k in
            let x = Double(histogram.values[k])
            let mass = 0.5 * (erfc((log(x - 0.5) - mu) / scale) - erfc((log(x + 0.5) - mu) / scale))
            let probability = mass / normaliser
            return probability == 0 ? floor : log(probability)
        }
    }
}
