import Foundation

/// The special functions the statistics need, in double precision: the Hurwitz zeta function
/// (the normaliser of a discrete power law, and through its derivative the power-law MLE), the
/// regularized incomplete beta function (the null distribution of a correlation coefficient) and
/// the normal tail (likelihood-ratio p-values, discrete lognormal probabilities).
public enum SpecialFunctions {
    /// ζ(s, q) = Σ_{k≥0} (q + k)^-s for s > 1 and q > 0 (nan otherwise), to about 1e-14 relative.
    /// Underflows to 0 where the value is below the smallest double: use `logHurwitzZeta` there.
    public static func hurwitzZeta(_ s: Double, _ q: Double) -> Double {
        guard s > 1, q > 0 else { return .nan }
        let scaled = scaledHurwitzZeta(s, q).value
        let power = pow(q, -s)
        return power.isNormal ? scaled * power : exp(log(scaled) - s * log(q))
    }

    /// log ζ(s, q), finite even where ζ itself underflows (large q or s).
    public static func logHurwitzZeta(_ s: Double, _ q: Double) -> Double {
        guard s > 1, q > 0 else { return .nan }
        return log(scaledHurwitzZeta(s, q).value) - s * log(q)
    }

    /// q^s ζ(s, q) and q^s ∂ζ(s, q)/∂s, by Euler-Maclaurin summation as Cephes (scipy's
    /// `special.zeta`) does it: direct terms until a = q + N reaches max(10, s + 10), then the
    /// integral, half the boundary term and twelve Bernoulli corrections, whose error at that a
    /// is below 1e-14 relative. Scaling by q^s keeps both finite when q^-s underflows;
    /// ∂ζ/∂s / ζ is -E[log X] of the discrete power law, which its MLE needs.
    static func scaledHurwitzZeta(_ s: Double, _ q: Double) -> (value: Double, derivative: Double) {
        let threshold = max(10, s + 10)
        let direct = q >= threshold ? 0 : Int((threshold - q).rounded(.up))
        var value = 0.0, derivative = 0.0
        for k in 0..<direct {
            let term = exp(-s * log1p(Double(k) / q))
            value += term
            derivative -= log(q + Double(k)) * term
        }
        let a = q + Double(direct)
        let logA = log(a)
        let scaledPower = exp(-s * log1p(Double(direct) / q))  // q^s a^-s
        // The integral a^(1-s)/(s-1) and the boundary term a^-s / 2.
        value += a * scaledPower / (s - 1) + scaledPower / 2
        derivative += -logA * a * scaledPower / (s - 1) - a * scaledPower / ((s - 1) * (s - 1)) - logA * scaledPower / 2
        // Σ_j B_2j/(2j)! s(s+1)...(s+2j-2) a^(-s-2j+1), and its derivative in s.
        var rising = s, risingDerivative = 1.0
        var power = scaledPower / a
        for j in 0..<bernoulliOverFactorial.count {
            value += bernoulliOverFactorial[j] * rising * power
            derivative += bernoulliOverFactorial[j] * (risingDerivative - rising * logA) * power
            let u = s + Double(2 * j + 1), v = s + Double(2 * j + 2)
            risingDerivative = risingDerivative * u * v + rising * (u + v)
            rising *= u * v
            power /= a * a
        }
        return (value, derivative)
    }

    /// B_2j / (2j)! for j = 1...12.
    private static let bernoulliOverFactorial: [Double] = [
        1.0 / 6 / 2, -1.0 / 30 / 24, 1.0 / 42 / 720, -1.0 / 30 / 40320, 5.0 / 66 / 3628800,
        -691.0 / 2730 / 479001600, 7.0 / 6 / 87178291200, -3617.0 / 510 / 20922789888000,
        43867.0 / 798 / 6402373705728000, -174611.0 / 330 / 2432902008176640000,
        854513.0 / 138 / 1.1240007277776077e21, -236364091.0 / 2730 / 6.204484017332394e23,
    ]

    /// I_x(a, b), the regularized incomplete beta function (the beta distribution's CDF), for
    /// a, b > 0 and 0 <= x <= 1: the continued fraction of Numerical Recipes (modified Lentz),
    /// on the side of x where it converges fast, to about 1e-13 relative in the smaller tail.
    public static func regularizedIncompleteBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
        guard a > 0, b > 0, x >= 0, x <= 1 else { return .nan }
        if x == 0 { return 0 }
        if x == 1 { return 1 }
        let front = exp(a * log(x) + b * log1p(-x) - logBeta(a, b))
        if x < (a + 1) / (a + b + 2) {
            return front * betaContinuedFraction(a, b, x) / a
        }
        return 1 - front * betaContinuedFraction(b, a, 1 - x) / b
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a+b); for large arguments by Stirling's series
    /// with the large parts cancelled analytically (R's `lbeta`), where the three log-gammas
    /// would lose digits to cancellation.
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        let p = min(a, b), q = max(a, b)
        guard p >= 10 else { return lgamma(p) + lgamma(q) - lgamma(p + q) }
        let correction = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q)
        return -0.5 * log(q) + 0.5 * log(2 * Double.pi) + correction + (p - 0.5) * log(p / (p + q))
            + q * log1p(-p / (p + q))
    }

    /// log Γ(x) - ((x - 1/2) log x - x + log(2π)/2) for x >= 10 (Stirling's series to x^-11).
    private static func stirlingCorrection(_ x: Double) -> Double {
        let inverse = 1 / x, square = inverse * inverse
        let series = 1.0 / 12 - square * (1.0 / 360 - square * (1.0 / 1260 - square * (1.0 / 1680
            - square * (1.0 / 1188 - square * (691.0 / 360360)))))
        return series * inverse
    }

    private static func betaContinuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let tiny = 1e-300, epsilon = 1e-16
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...100_000 {
            let m = Double(m), m2 = 2 * m
            var numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let change = d * c
            result *= change
            if abs(change - 1) < epsilon { break }
        }
        return result
    }

    /// P(Z > z) for a standard normal Z, accurate far into the upper tail.
    public static func normalSurvival(_ z: Double) -> Double {
        0.5 * erfc(z / 2.0.squareRoot())
    }
}
