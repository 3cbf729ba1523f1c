import Foundation

/// Discrete power-law fit after Clauset, Shalizi & Newman (2009), as the Python `powerlaw`
/// package does it with `discrete=True`: x_min by minimal KS distance, alpha by exact discrete MLE
/// (Hurwitz zeta normaliser), and likelihood-ratio (Vuong) comparisons against a discrete
/// lognormal and a discrete exponential fitted on the same tail.
///
/// Matching `powerlaw` 2.0 (`Fit(data, discrete=True, estimate_discrete=False)`, then
/// `distribution_compare("power_law", alternative, normalized_ratio=True)`):
/// - x_min candidates are the distinct values but the largest; each gets the exact MLE alpha
///   and the KS distance between the fitted and empirical P(X < x) at the tail's distinct
///   values. The lowest distance wins among candidates whose alpha is at least 1.01 (`powerlaw`
///   rejects fits within 0.01 of a parameter bound), or among all when none is.
/// - Alpha is not capped at 3: `powerlaw`'s default range for alpha is (0, 3), which would
///   reject every fit of a steeper tail (degree distributions often have alpha > 3), so the
///   reference runs with `parameter_ranges={"alpha": [1, None]}`, the range of a normalisable
///   discrete power law; above `DiscretePowerLaw.largestAlpha` (100) a candidate counts as no fit.
/// - `minTail` (default 10): candidates leaving fewer values in the tail are not tried.
///   `powerlaw` has no such floor and can pick x_min among the last few values, where a fit of
///   a handful of points matches its own empirical CDF by chance; with enough data both agree.
///
/// Cost: O(n log n) to sort, then per candidate one MLE (a few zeta evaluations) and one KS pass
/// over the distinct tail values, cut short once it cannot beat the best candidate so far; the
/// alternatives' fits work on distinct values with counts.
public struct DiscretePowerLawFit: Sendable, Equatable {
    /// A likelihood-ratio test of the power law against one alternative on the same tail.
    public struct Comparison: Sendable, Equatable {
        /// "lognormal" or "exponential".
        public let alternative: String
        /// The normalised log-likelihood ratio R / sqrt(n var): R > 0 favours the power law.
        public let loglikelihoodRatio: Double
        /// Two-sided significance of the sign of R (small: the sign is not chance).
        public let pValue: Double

        public init(alternative: String, loglikelihoodRatio: Double, pValue: Double) {
            self.alternative = alternative
            self.loglikelihoodRatio = loglikelihoodRatio
            self.pValue = pValue
        }
    }

    /// All values >= 1 given.
    public let n: Int
    public let xMin: Int
    public let alpha: Double
    /// (alpha - 1) / sqrt(nTail), the MLE's asymptotic standard error.
    public let alphaStandardError: Double
    /// Values >= xMin.
    public let nTail: Int
    /// KS distance of the fit on the tail.
    public let ksDistance: Double
    public let lognormal: Comparison
    public let exponential: Comparison

    public init(n: Int, xMin: Int, alpha: Double, alphaStandardError: Double, nTail: Int, ksDistance: Double,
                lognormal: Comparison, exponential: Comparison) {
        self.n = n
        self.xMin = xMin
        self.alpha = alpha
        self.alphaStandardError = alphaStandardError
        self.nTail = nTail
        self.ksDistance = ksDistance
        self.lognormal = lognormal
        self.exponential = exponential
    }

    /// Fits `values` (values < 1 ignored). `xMinCandidates` limits the search to that many of
    /// the smallest distinct values (nil: all of them but the largest, as `powerlaw`). nil when
    /// there are fewer than 3 distinct values (`powerlaw` needs 2 candidates) or no candidate
    /// leaves `minTail` values or yields a fit.
    public static func fit(_ values: [Int], minTail: Int = 10, xMinCandidates: Int? = nil,
                           cancellation: CancellationFlag? = nil) throws -> DiscretePowerLawFit? {
        let histogram = IntegerHistogram(values)
        let distinct = histogram.values.count
        guard distinct >= 3 else { return nil }
        let candidateCount = min(distinct - 1, max(1, xMinCandidates ?? distinct))
        var fitted: [(index: Int, alpha: Double)] = []
        for j in 0..<candidateCount where histogram.tailCounts[j] >= max(2, minTail) {
            if j % 64 == 0 { try cancellation?.check() }
            if let alpha = DiscretePowerLaw.alpha(xMin: histogram.values[j], count: histogram.tailCounts[j],
                                                  logSum: histogram.tailLogSums[j]) {
                fitted.append((j, alpha))
            }
        }
        let valid = fitted.filter { !($0.alpha - 0.01 < 1) }
        let pool = valid.isEmpty ? fitted : valid
        var best: (index: Int, alpha: Double, distance: Double)?
        for (position, candidate) in pool.enumerated() {
            if position % 16 == 0 { try cancellation?.check() }
            let distance = DiscretePowerLaw.ksDistance(histogram, start: candidate.index, alpha: candidate.alpha,
                                                       bound: best?.distance ?? .infinity)
            if distance < best?.distance ?? .infinity { best = (candidate.index, candidate.alpha, distance) }
        }
        guard let best else { return nil }
        try cancellation?.check()
        return compared(histogram, start: best.index, alpha: best.alpha, distance: best.distance)
    }

    /// The fit with x_min fixed at `xMin`, one of the values (`powerlaw`'s `Fit(data, xmin=...)`);
    /// nil when `xMin` is not a value or leaves no value above it.
    static func fit(_ values: [Int], xMin: Int) -> DiscretePowerLawFit? {
        let histogram = IntegerHistogram(values)
        guard let start = histogram.values.firstIndex(of: xMin), start < histogram.values.count - 1,
              let alpha = DiscretePowerLaw.alpha(xMin: xMin, count: histogram.tailCounts[start],
                                                 logSum: histogram.tailLogSums[start]) else { return nil }
        return compared(histogram, start: start, alpha: alpha,
                        distance: DiscretePowerLaw.ksDistance(histogram, start: start, alpha: alpha))
    }

    /// The result for the tail from distinct value `start`: the alternatives fitted on it and
    /// the likelihood ratios against them.
    private static func compared(_ histogram: IntegerHistogram, start: Int, alpha: Double,
                                 distance: Double) -> DiscretePowerLawFit {
        let range = histogram.tailRange(from: start)
        let xMin = histogram.values[start]
        let nTail = histogram.tailCounts[start]
        let counts = histogram.counts[range]
        let powerLaw = DiscretePowerLaw.logLikelihoods(alpha: alpha, xMin: xMin, logValues: histogram.logValues[range])
        let (mu, sigma) = DiscreteLognormal.fit(histogram, range: range)
        let lognormal = LikelihoodRatio.compare(
            powerLaw, DiscreteLognormal.logLikelihoods(mu: mu, sigma: sigma, histogram, range: range), counts: counts)
        let lambda = DiscreteExponential.fit(histogram, range: range)
        let exponential = LikelihoodRatio.compare(
            powerLaw, DiscreteExponential.logLikelihoods(lambda: lambda, histogram, range: range), counts: counts)
        return DiscretePowerLawFit(
            n: histogram.total, xMin: xMin, alpha: alpha, alphaStandardError: (alpha - 1) / Double(nTail).squareRoot(),
            nTail: nTail, ksDistance: distance,
            lognormal: Comparison(alternative: "lognormal", loglikelihoodRatio: lognormal.ratio, pValue: lognormal.pValue),
            exponential: Comparison(alternative: "exponential", loglikelihoodRatio: exponential.ratio,
                                    pValue: exponential.pValue))
    }
}
