/// Brent's method (Numerical Recipes' zbrent): a root of a continuous function bracketed by a
/// sign change, by inverse quadratic interpolation with bisection as the safeguard, so it
/// converges superlinearly and never leaves the bracket.
enum RootFinding {
    /// A root of `f` in [a, b], where f(a) and f(b) differ in sign (nil otherwise), to
    /// `tolerance` in x.
    static func brent(_ f: (Double) -> Double, _ a: Double, _ b: Double, tolerance: Double = 1e-12,
                      maxIterations: Int = 200) -> Double? {
        var a = a, b = b, c = b
        var fa = f(a), fb = f(b)
        guard !fa.isNaN, !fb.isNaN, (fa > 0) != (fb > 0) || fa == 0 || fb == 0 else { return nil }
        if fa == 0 { return a }
        var fc = fb, d = b - a, e = d
        for _ in 0..<maxIterations {
            if (fb > 0) == (fc > 0) { c = a; fc = fa; d = b - a; e = d }
            if abs(fc) < abs(fb) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa }
            let tolerance1 = 2 * Double.ulpOfOne * abs(b) + 0.5 * tolerance
            let middle = 0.5 * (c - b)
            if abs(middle) <= tolerance1 || fb == 0 { return b }
            if abs(e) >= tolerance1, abs(fa) > abs(fb) {
                let s = fb / fa
                var p: Double, q: Double
                if a == c {
                    p = 2 * middle * s
                    q = 1 - s
                } else {
                    let qa = fa / fc, r = fb / fc
                    p = s * (2 * middle * qa * (qa - r) - (b - a) * (r - 1))
                    q = (qa - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q }
                p = abs(p)
                if 2 * p < min(3 * middle * q - abs(tolerance1 * q), abs(e * q)) {
                    e = d; d = p / q
                } else {
                    d = middle; e = d
                }
            } else {
                d = middle; e = d
            }
            a = b; fa = fb
            b += abs(d) > tolerance1 ? d : (middle > 0 ? tolerance1 : -tolerance1)
            fb = f(b)
            if fb.isNaN { return nil }
        }
        return b
    }
}
