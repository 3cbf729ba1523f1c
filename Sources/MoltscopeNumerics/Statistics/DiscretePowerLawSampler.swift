import Foundation

extension DiscretePowerLawFit {
    /// `count` draws from the discrete power law p(x) = x^-alpha / ζ(alpha, xMin), x >= xMin, by
    /// exact inverse transform: for u uniform in (0, 1], the largest x with
    /// P(X >= x) = ζ(alpha, x) / ζ(alpha, xMin) >= u, searched from the continuous approximation
    /// (usually within one of the answer). For planting power laws in tests and synthetic data;
    /// seeded, so the same arguments give the same values. Draws beyond 2^53 (possible only for
    /// alpha < 2) are capped there.
    public static func sample(alpha: Double, xMin: Int, count: Int, seed: UInt64) -> [Int] {
        precondition(alpha > 1 && xMin >= 1 && count >= 0, "a discrete power law needs alpha > 1 and xMin >= 1")
        var random = SeededRandom(seed: seed)
        let limit = 1 << 53
        let logZeta0 = SpecialFunctions.logHurwitzZeta(alpha, Double(xMin))
        func logSurvival(_ x: Int) -> Double { SpecialFunctions.logHurwitzZeta(alpha, Double(x)) - logZeta0 }
        return (0..<count).map { _ in
            let u = 1 - random.unit()
            let logU = log(u)
            let approximate = (Double(xMin) - 0.5) * pow(u, -1 / (alpha - 1)) + 0.5
            let guess = approximate >= Double(limit) ? limit : max(xMin, Int(approximate))
            // Bracket: logSurvival(low) >= logU > logSurvival(high).
            var low: Int, high: Int
            if logSurvival(guess) >= logU {
                low = guess
                var step = 1
                high = guess + 1
                while high <= limit, logSurvival(high) >= logU {
                    low = high
                    step *= 2
                    high = low + step
                }
                if high > limit { high = limit + 1 }
            } else {
                high = guess
                var step = 1
                low = max(xMin, guess - 1)
                while low > xMin, logSurvival(low) < logU {
                    high = low
                    step *= 2
                    low = max(xMin, high - step)
                }
            }
            while high - low > 1 {
                let middle = low + (high - low) / 2
                if logSurvival(middle) >= logU { low = middle } else { high = middle }
            }
            return low
        }
    }
}
