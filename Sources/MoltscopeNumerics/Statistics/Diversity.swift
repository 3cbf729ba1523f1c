import Foundation

/// How evenly activity spreads over categories (submolts an agent posts in, topics of a submolt).
public enum Diversity {
    /// Shannon entropy in bits of counts (zeros ignored); 0 for one category; nil when total is 0.
    /// H = -Σ p_i log2 p_i with p_i = count_i / total: log2(k) for k equally used categories.
    /// Also nil when a count is negative or not finite.
    public static func shannonEntropy(_ counts: [Double]) -> Double? {
        guard counts.allSatisfy({ $0 >= 0 && $0.isFinite }) else { return nil }
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        var entropy = 0.0
        for count in counts where count > 0 {
            let share = count / total
            entropy -= share * log2(share)
        }
        return max(0, entropy)
    }
}
