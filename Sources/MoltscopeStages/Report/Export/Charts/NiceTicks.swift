import Foundation

/// Axis ticks at 1, 2 or 5 x 10^k steps, widened to whole steps so the axis ends on a labelled tick
/// (the largest tick is never below the data).
struct NiceTicks: Sendable {
    let lower: Double
    let upper: Double
    let step: Double
    let values: [Double]

    /// About `target` ticks covering `min...max`; `minStep` (a 1/2/5 x 10^k, e.g. 1 for counts) keeps integer axes on whole numbers.
    init(min rawMin: Double, max rawMax: Double, target: Int, minStep: Double = 0) {
        // Clamped so that spans and step counts stay finite even for absurd inputs.
        var low = rawMin.isFinite ? Swift.min(Swift.max(rawMin, -1e300), 1e300) : 0
        var high = rawMax.isFinite ? Swift.min(Swift.max(rawMax, -1e300), 1e300) : 1
        if low > high { swap(&low, &high) }
        if high - low <= abs(high) * 1e-12 || !(high - low).isFinite {
            // One value: give it some room around it so it sits inside the axis.
            if low == 0 { high = 1 } else {
                let pad = abs(low) * 0.1
                if low > 0 && low - pad < 0 { low = 0 } else { low -= pad }
                high += pad
            }
        }
        let rough = (high - low) / Double(Swift.max(1, target))
        var step = Self.niceStep(near: rough)
        if step < minStep { step = minStep }
        let first = (low / step).rounded(.down)
        let last = (high / step - 1e-9).rounded(.up)
        let count = Swift.min(Swift.max(1, Int(last - first)), 1000)
        var values: [Double] = []
        for index in 0...count {
            let value = (first + Double(index)) * step
            values.append(abs(value) < step * 1e-9 ? 0 : value)
        }
        self.step = step
        self.values = values
        self.lower = values.first ?? low
        self.upper = values.last ?? high
    }

    /// The 1/2/5 x 10^k step nearest to `rough` on a log scale (d3's rule), so the count stays near the target.
    static func niceStep(near rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(rough)))
        let residual = rough / magnitude
        let mantissa: Double = residual >= 50.0.squareRoot() ? 10 : residual >= 10.0.squareRoot() ? 5 : residual >= 2.0.squareRoot() ? 2 : 1
        return mantissa * magnitude
    }
}

/// A linear map from data values to pixels (the y map runs downwards: larger value, smaller y).
struct LinearMap: Sendable {
    let domain: (Double, Double)
    let range: (Double, Double)

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.1 - domain.0
        guard span != 0, span.isFinite else { return (range.0 + range.1) / 2 }
        return range.0 + (value - domain.0) / span * (range.1 - range.0)
    }
}
