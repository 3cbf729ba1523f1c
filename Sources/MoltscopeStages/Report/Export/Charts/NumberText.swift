import Foundation

/// Locale-free number spelling (a report must read the same on every machine): fixed decimals with
/// thousands commas, significant digits, and short scientific notation.
enum NumberText {
    /// `1234.5, 1` -> "1,234.5"; never "-0".
    static func fixed(_ value: Double, decimals: Int, grouped: Bool = true) -> String {
        guard value.isFinite else { return "—" }
        let digits = String(format: "%.\(max(0, min(decimals, 12)))f", abs(value))
        let parts = digits.split(separator: ".", maxSplits: 1)
        var integer = String(parts.first ?? "0")
        if grouped && integer.count > 3 {
            var out = ""
            for (index, character) in integer.enumerated() {
                if index > 0 && (integer.count - index) % 3 == 0 { out += "," }
                out.append(character)
            }
            integer = out
        }
        let body = parts.count > 1 ? integer + "." + parts[1] : integer
        let isZero = !digits.contains { $0 != "0" && $0 != "." }
        return value < 0 && !isZero ? "-" + body : body
    }

    /// Drops trailing zeros after a decimal point: "2.50" -> "2.5", "3.00" -> "3".
    static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var copy = Substring(text)
        while copy.last == "0" { copy.removeLast() }
        if copy.last == "." { copy.removeLast() }
        return String(copy)
    }

    /// Fixed notation with `digits` significant digits, trailing zeros trimmed: `0.05712, 2` -> "0.057".
    static func significant(_ value: Double, digits: Int) -> String {
        guard value != 0 else { return "0" }
        let exponent = Int(floor(log10(abs(value))))
        return trimmed(fixed(value, decimals: max(0, digits - 1 - exponent)))
    }

    /// Short scientific notation: `0.0000123, 1` -> "1.2e-5".
    static func scientific(_ value: Double, mantissaDecimals: Int) -> String {
        guard value != 0, value.isFinite else { return value.isFinite ? "0" : "—" }
        var exponent = Int(floor(log10(abs(value))))
        var mantissa = value / pow(10, Double(exponent))
        let scale = pow(10, Double(mantissaDecimals))
        if abs((mantissa * scale).rounded() / scale) >= 10 {
            exponent += 1
            mantissa /= 10
        }
        return trimmed(fixed(mantissa, decimals: mantissaDecimals, grouped: false)) + "e\(exponent)"
    }
}
