import Foundation

#if arch(x86_64) && !os(Windows)
/// numpy's `longdouble`: x87 extended precision on x86-64, plain double elsewhere (arm64).
typealias LongDouble = Float80
#else
typealias LongDouble = Double
#endif

/// The discrete exponential p(x) = (1 - e^-lambda) e^(-lambda (x - x_min)) on x >= x_min, the
/// light-tailed alternative of Clauset et al., fitted as `powerlaw` 2.0 fits it so the
/// likelihood ratio agrees: Nelder-Mead from lambda = 1/mean on the likelihood `powerlaw`
/// computes, e^(-lambda x) in double times (1 - e^-lambda) e^(lambda x_min) in long double,
/// where a probability that underflows to 0 counts as 1e-307 (`powerlaw`'s floor). For a
/// heavy tail that floor caps the penalty of the largest values (and so makes the exponential
/// look better than exact arithmetic would); it is kept to give `powerlaw`'s R and p.
enum DiscreteExponential {
    /// `powerlaw`'s stand-in for a zero probability, 10^(DBL_MIN_10_EXP).
    static let smallestProbability = 1e-307

    /// The fitted lambda on the tail `range` of `histogram` (x_min its first value).
    static func fit(_ histogram: IntegerHistogram, range: Range<Int>) -> Double {
        var sum = 0.0
        for k in range { sum += Double(histogram.counts[k]) * Double(histogram.values[k]) }
        let start = 1 / (sum / Double(histogram.tailCounts[range.lowerBound]))
        let optimizer = NelderMead(lower: [0], upper: [.infinity])
        let result = optimizer.minimize(from: [start]) { parameters in
            let logs = logLikelihoods(lambda: parameters[0], histogram, range: range)
            var negative = 0.0
            for (offset, k) in range.enumerated() { negative -= Double(histogram.counts[k]) * logs[offset] }
            return negative
        }
        return result.x[0]
    }

    /// log p(x) for each distinct value in `range`, as `powerlaw` computes it (-inf where the
    /// long-double probability rounds to 0 in double).
    static func logLikelihoods(lambda: Double, _ histogram: IntegerHistogram, range: Range<Int>) -> [Double] {
        guard lambda > 0 else { return [Double](repeating: log(smallestProbability), count: range.count) }
        let xMin = Double(histogram.values[range.lowerBound])
        let normaliser = LongDouble(1 - exp(-lambda)) * exp(LongDouble(lambda * xMin))
        return range.map { k in
            var probability = LongDouble(exp(-lambda * Double(histogram.values[k]))) * normaliser
            if probability == 0 { probability = LongDouble(smallestProbability) }
            return log(Double(probability))
        }
    }
}
