import Foundation

/// The conditional affinities p(j|i) over each point's neighbours: a Gaussian per point whose
/// precision is found by binary search so that the distribution's perplexity (2^entropy) is the
/// one asked for. Same search as scikit-learn's `_binary_search_perplexity` (100 steps,
/// tolerance 1e-5 on the entropy in nats, precision doubled or halved until bracketed).
enum PerplexityCalibration {
    static let maximumSteps = 100
    static let entropyTolerance = 1e-5

    /// p(j|i) laid out as `neighbors`: n rows of `neighbors.count`, each summing to 1.
    static func conditionalAffinities(_ neighbors: NeighborLists, perplexity: Double,
                                      cancellation: CancellationFlag? = nil) throws -> [Float] {
        let k = neighbors.count, n = neighbors.points
        var affinities = [Float](repeating: 0, count: n * k)
        guard k > 0 else { return affinities }
        let targetEntropy = log(perplexity)
        var weights = [Double](repeating: 0, count: k)
        for i in 0..<n {
            if i % 4096 == 0 { try cancellation?.check() }
            let distances = neighbors.squaredDistances[i * k..<(i + 1) * k]
            calibrateRow(distances, targetEntropy: targetEntropy, weights: &weights)
            for slot in 0..<k { affinities[i * k + slot] = Float(weights[slot]) }
        }
        return affinities
    }

    /// Leaves the normalised Gaussian weights of one row in `weights`.
    private static func calibrateRow(_ distances: ArraySlice<Float>, targetEntropy: Double, weights: inout [Double]) {
        // Distances are taken relative to the nearest: the shift cancels in the normalisation
        // and the entropy, and keeps the nearest weight at 1, so a row of large distances never
        // underflows to all zeros (scikit-learn's search then wanders on an epsilon sum).
        let nearest = Double(distances.min() ?? 0)
        var beta = 1.0, lowest = -Double.infinity, highest = Double.infinity
        for _ in 0..<maximumSteps {
            var sum = 0.0
            for (slot, distance) in distances.enumerated() {
                let weight = exp(-(Double(distance) - nearest) * beta)
                weights[slot] = weight
                sum += weight
            }
            var expectedDistance = 0.0
            for (slot, distance) in distances.enumerated() {
                weights[slot] /= sum
                expectedDistance += (Double(distance) - nearest) * weights[slot]
            }
            let entropy = log(sum) + beta * expectedDistance
            let difference = entropy - targetEntropy
            if abs(difference) <= entropyTolerance { break }
            if difference > 0 {
                // Too flat: sharpen.
                lowest = beta
                beta = highest == .infinity ? beta * 2 : (beta + highest) / 2
            } else {
                highest = beta
                beta = lowest == -.infinity ? beta / 2 : (beta + lowest) / 2
            }
        }
    }
}
