/// Concentration of a non-negative quantity (posts per agent, karma, followers) over a population.
public enum Inequality {
    /// Gini coefficient of non-negative values (0 equal .. (n-1)/n one holds all); nil when empty or all zero.
    /// The mean absolute difference over all ordered pairs divided by twice the mean,
    /// G = Σ_i Σ_j |x_i - x_j| / (2 n² mean), computed from the ascending order as
    /// 2 Σ_i i x_(i) / (n Σ x) - (n + 1) / n in O(n log n). Also nil when a value is negative or
    /// not finite (the coefficient is not defined there).
    public static func gini(_ values: [Double]) -> Double? {
        guard !values.isEmpty, values.allSatisfy({ $0 >= 0 && $0.isFinite }) else { return nil }
        let sorted = values.sorted()
        var total = 0.0, weighted = 0.0
        for (index, value) in sorted.enumerated() {
            total += value
            weighted += Double(index + 1) * value
        }
        guard total > 0 else { return nil }
        let n = Double(sorted.count)
        return max(0, 2 * weighted / (n * total) - (n + 1) / n)
    }
}
