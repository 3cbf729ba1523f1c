import Foundation

/// The discrete power law p(x) = x^-alpha / ζ(alpha, x_min) on x >= x_min: its exact maximum
/// likelihood exponent, per-value log-likelihoods and the KS distance `powerlaw` selects x_min by.
enum DiscretePowerLaw {
    /// Exponents above this are reported as no fit (a tail almost entirely at x_min).
    static let largestAlpha = 100.0

    /// The exact MLE of alpha for a tail of `count` values >= `xMin` whose logs sum to `logSum`:
    /// the root of E_alpha[log X] = mean log x, where E_alpha[log X] = -∂ζ/∂alpha / ζ falls
    /// from infinity (alpha -> 1) to log x_min, so the root is unique when some value exceeds
    /// x_min. `powerlaw` (estimate_discrete=False) minimises the same likelihood by Nelder-Mead
    /// to 1e-4; this solves it to 1e-12. nil when no value exceeds x_min or alpha > `largestAlpha`.
    static func alpha(xMin: Int, count: Int, logSum: Double) -> Double? {
        let q = Double(xMin)
        let meanLog = logSum / Double(count)
        guard meanLog > log(q) * (1 + 1e-15) + 1e-300 else { return nil }
        func excess(_ alpha: Double) -> Double {
            let zeta = SpecialFunctions.scaledHurwitzZeta(alpha, q)
            return -zeta.derivative / zeta.value - meanLog
        }
        // Expand from the continuous estimate until the expectation drops below the mean log.
        var low = 1 + 1e-9
        var high = max(1.5, 1 + 1 / (meanLog - log(q)))
        while excess(high) > 0 {
            low = high
            high = 1 + 2 * (high - 1)
            if high > largestAlpha { return nil }
        }
        guard let root = RootFinding.brent(excess, low, high, tolerance: 1e-12) else { return nil }
        return root
    }

    /// log p(x) for each distinct value of the tail.
    static func logLikelihoods(alpha: Double, xMin: Int, logValues: ArraySlice<Double>) -> [Double] {
        let logZeta = SpecialFunctions.logHurwitzZeta(alpha, Double(xMin))
        return logValues.map { -alpha * $0 - logZeta }
    }

    /// `powerlaw`'s KS distance for discrete data: the largest gap between the fitted and the
    /// empirical P(X < x) of the tail, at each distinct tail value x (both are 0 at x_min).
    /// Model: 1 - ζ(alpha, x)/ζ(alpha, x_min), stepped down from x_min by subtracting the terms
    /// between neighbouring values (recomputed from ζ across wide gaps), so a pass costs one
    /// or a few powers per distinct value. Stops early, returning a value above `bound`, once
    /// the gap exceeds it (a candidate x_min that cannot beat the best so far).
    static func ksDistance(_ histogram: IntegerHistogram, start: Int, alpha: Double,
                           bound: Double = .infinity) -> Double {
        let values = histogram.values
        let xMin = Double(values[start])
        let logZeta0 = SpecialFunctions.logHurwitzZeta(alpha, xMin)
        let tailCount = Double(histogram.tailCounts[start])
        var ratio = 1.0  // ζ(alpha, values[k]) / ζ(alpha, x_min)
        var below = 0    // tail observations < values[k]
        var distance = 0.0
        for k in (start + 1)..<values.count {
            below += histogram.counts[k - 1]
            let previous = values[k - 1], current = values[k]
            if current - previous <= 4 {
                for x in previous..<current { ratio -= exp(-alpha * log(Double(x)) - logZeta0) }
            } else {
                ratio = exp(SpecialFunctions.logHurwitzZeta(alpha, Double(current)) - logZeta0)
            }
            let gap = abs((1 - ratio) - Double(below) / tailCount)
            if gap > distance {
                distance = gap
                if distance > bound { return distance }
            }
        }
        return distance
    }
}
