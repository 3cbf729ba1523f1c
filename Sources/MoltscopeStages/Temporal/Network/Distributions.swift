import MoltscopeNumerics

/// Value counts of the heavy-tailed quantities (degrees, activity, cascade sizes, depths),
/// and their discrete power-law fits with the likelihood-ratio verdicts.
struct Distributions: Sendable {
    struct Fit: Sendable {
        var subject: String
        var fit: DiscretePowerLawFit

        /// Clauset et al.: a sign is only meaningful when its p-value is small (< 0.1).
        var verdict: String {
            func against(_ comparison: DiscretePowerLawFit.Comparison) -> String {
                guard comparison.pValue < 0.1 else { return "inconclusive against \(comparison.alternative)" }
                return comparison.loglikelihoodRatio > 0 ? "power law over \(comparison.alternative)"
                    : "\(comparison.alternative) over power law"
            }
            return [against(fit.lognormal), against(fit.exponential)].joined(separator: "; ")
        }
    }

    /// Subject -> value -> count.
    var counts: [(subject: String, value: Int, count: Int)] = []
    var fits: [Fit] = []

    mutating func add(_ subject: String, _ values: [Int], fit: Bool, minTail: Int, cancellation: CancellationFlag) throws {
        var histogram: [Int: Int] = [:]
        for value in values { histogram[value, default: 0] += 1 }
        for value in histogram.keys.sorted() { counts.append((subject, value, histogram[value]!)) }
        if fit, let result = try DiscretePowerLawFit.fit(values, minTail: minTail, cancellation: cancellation) {
            fits.append(Fit(subject: subject, fit: result))
        }
    }

    /// A histogram given as counts per value (index = value).
    mutating func add(_ subject: String, countsByValue: [Int], from first: Int = 0) {
        for (value, count) in countsByValue.enumerated() where value >= first && count > 0 {
            counts.append((subject, value, count))
        }
    }
}
