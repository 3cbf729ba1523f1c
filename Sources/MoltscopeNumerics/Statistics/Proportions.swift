import Foundation

/// Confidence intervals for shares (binomial proportions) and for the difference of two.
/// Wilson's score interval behaves at 0 and 1 and for small counts, where the textbook
/// normal interval does not; Newcombe's hybrid score interval (his method 10) combines two
/// Wilson intervals into one for a difference of independent shares.
public enum Proportions {
    public struct Interval: Sendable, Equatable {
        public var low: Double
        public var high: Double
    }

    /// z for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    /// Wilson score interval of `successes` out of `trials`; nil without trials.
    public static func wilson(_ successes: Int, _ trials: Int, z: Double = z95) -> Interval? {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let n = Double(trials), p = Double(successes) / n, z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return Interval(low: max(0, centre - half), high: min(1, centre + half))
    }

    /// Newcombe's hybrid score interval of p1 - p2; nil when either group is empty.
    public static func difference(_ successes1: Int, _ trials1: Int, _ successes2: Int, _ trials2: Int,
                                  z: Double = z95) -> Interval? {
        guard let a = wilson(successes1, trials1, z: z), let b = wilson(successes2, trials2, z: z) else { return nil }
        let p1 = Double(successes1) / Double(trials1), p2 = Double(successes2) / Double(trials2)
        let d = p1 - p2
        let low = d - ((p1 - a.low) * (p1 - a.low) + (b.high - p2) * (b.high - p2)).squareRoot()
        let high = d + ((a.high - p1) * (a.high - p1) + (p2 - b.low) * (p2 - b.low)).squareRoot()
        return Interval(low: max(-1, low), high: min(1, high))
    }
}
