import Foundation

/// A log10 axis: whole decades around the data, ticks at powers of ten labelled 1, 10, 1k, 0.01, 10⁻⁴.
struct LogTicks: Sendable {
    /// Decade exponents of the axis ends.
    let lowerExponent: Int
    let upperExponent: Int
    /// Exponents that get a labelled tick (every decade, or every other one on long axes).
    let exponents: [Int]

    init(min: Double, max: Double, maxTicks: Int = 10) {
        let low = Int(floor(log10(min) + 1e-9))
        var high = Int(ceil(log10(max) - 1e-9))
        if high <= low { high = low + 1 }
        lowerExponent = low
        upperExponent = high
        let every = Swift.max(1, Int((Double(high - low) / Double(Swift.max(1, maxTicks))).rounded(.up)))
        exponents = Array(stride(from: low, through: high, by: every))
    }

    /// Pixel position of `value` on an axis from `start` (lower end) to `end` pixels.
    func position(_ value: Double, start: Double, end: Double) -> Double {
        let t = (log10(value) - Double(lowerExponent)) / Double(upperExponent - lowerExponent)
        return start + t * (end - start)
    }

    /// 10^k as people read it: 1, 10, 100, 1k ... 100B, then 10¹²; 0.1, 0.01, 0.001, then 10⁻⁴.
    static func label(exponent k: Int) -> String {
        switch k {
        case 0...2: return String(Int(pow(10, Double(k))))
        case 3...5: return String(Int(pow(10, Double(k - 3)))) + "k"
        case 6...8: return String(Int(pow(10, Double(k - 6)))) + "M"
        case 9...11: return String(Int(pow(10, Double(k - 9)))) + "B"
        case -3 ... -1: return "0." + String(repeating: "0", count: -k - 1) + "1"
        default: return "10" + superscript(k)
        }
    }

    private static func superscript(_ k: Int) -> String {
        let digits: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶",
                                              "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
        return String(String(k).map { digits[$0] ?? $0 })
    }
}
