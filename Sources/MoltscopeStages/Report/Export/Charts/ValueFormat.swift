import Foundation

/// Number formatting for axis ticks, cell texts and tooltips.
enum ValueFormat: Sendable {
    /// 1,234 / 0.57 / 1.2e-5 as appropriate (ticks: the fewest decimals that tell them apart).
    case number
    /// The value is a share 0...1: "23%" / "2.5%".
    case percent
    case integer

    /// One value for a cell, a bar end or a tooltip; nil or non-finite -> "—".
    func string(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        switch self {
        case .integer:
            return NumberText.fixed(value.rounded(), decimals: 0)
        case .percent:
            let share = value * 100
            let magnitude = abs(share)
            if magnitude == 0 { return "0%" }
            if magnitude >= 9.95 { return NumberText.fixed(share, decimals: 0) + "%" }
            if magnitude >= 0.995 { return NumberText.trimmed(NumberText.fixed(share, decimals: 1)) + "%" }
            if magnitude < 1e-4 { return NumberText.scientific(share, mantissaDecimals: 1) + "%" }
            return NumberText.significant(share, digits: 2) + "%"
        case .number:
            let magnitude = abs(value)
            if magnitude == 0 { return "0" }
            if magnitude >= 1e15 || magnitude < 1e-3 { return NumberText.scientific(value, mantissaDecimals: 1) }
            if magnitude >= 999.5 { return NumberText.fixed(value, decimals: 0) }
            return NumberText.significant(value, digits: magnitude >= 1 ? 3 : 2)
        }
    }

    /// Labels for evenly spaced ticks `step` apart: the fewest decimals that tell neighbours apart.
    func tickLabels(_ ticks: [Double], step: Double) -> [String] {
        guard step > 0, step.isFinite else { return ticks.map { string($0) } }
        switch self {
        case .integer:
            return ticks.map { NumberText.fixed($0.rounded(), decimals: 0) }
        case .percent:
            let decimals = Self.decimals(for: step * 100)
            return ticks.map { NumberText.trimmed(NumberText.fixed($0 * 100, decimals: decimals)) + "%" }
        case .number:
            let largest = ticks.map(abs).max() ?? 0
            if largest >= 1e6 && largest < 1e15 {
                let (unit, suffix) = largest >= 1e12 ? (1e12, "T") : largest >= 1e9 ? (1e9, "B") : (1e6, "M")
                let decimals = Self.decimals(for: step / unit)
                return ticks.map { $0 == 0 ? "0" : NumberText.trimmed(NumberText.fixed($0 / unit, decimals: decimals)) + suffix }
            }
            if largest < 1e-3 || largest >= 1e15 {
                let stepExponent = Int(floor(log10(step) + 1e-9))
                return ticks.map { tick in
                    guard abs(tick) >= step / 2 else { return "0" }
                    let digits = Int(floor(log10(abs(tick)) + 1e-9)) - stepExponent
                    return NumberText.scientific(tick, mantissaDecimals: max(0, digits))
                }
            }
            let decimals = Self.decimals(for: step)
            return ticks.map { NumberText.trimmed(NumberText.fixed($0, decimals: decimals)) }
        }
    }

    /// Decimals a 1/2/5 x 10^k step needs: 0.2 -> 1, 0.05 -> 2, 20 -> 0.
    static func decimals(for step: Double) -> Int {
        max(0, -Int(floor(log10(step) + 1e-9)))
    }
}
