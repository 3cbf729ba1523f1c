import Foundation

/// Vuong's test for non-nested models as `powerlaw` computes it (`loglikelihood_ratio`,
/// normalized_ratio=True): R = Σ (l1 - l2) over the observations, its p-value
/// erfc(|R| / sqrt(2 n var)) with var the population variance of l1 - l2, and R reported
/// normalised as R / sqrt(n var). A log-likelihood of -inf counts as log(1e-307).
enum LikelihoodRatio {
    /// `first` and `second` are log-likelihoods per distinct value, `counts` their multiplicities.
    /// (0, 1) when the models agree on every observation.
    static func compare(_ first: [Double], _ second: [Double], counts: ArraySlice<Int>) -> (ratio: Double, pValue: Double) {
        let floor = log(DiscreteExponential.smallestProbability)
        var n = 0.0, ratio = 0.0
        var differences = [Double](repeating: 0, count: first.count)
        for (offset, count) in counts.enumerated() {
            let a = first[offset] == -.infinity ? floor : first[offset]
            let b = second[offset] == -.infinity ? floor : second[offset]
            differences[offset] = a - b
            n += Double(count)
            ratio += Double(count) * (a - b)
        }
        guard n > 0 else { return (0, 1) }
        let mean = ratio / n
        var squares = 0.0
        for (offset, count) in counts.enumerated() {
            let d = differences[offset] - mean
            squares += Double(count) * d * d
        }
        let variance = squares / n
        guard variance > 0 else { return (0, 1) }
        let pValue = erfc(abs(ratio) / (2 * n * variance).squareRoot())
        return (ratio / (n * variance).squareRoot(), pValue)
    }
}
