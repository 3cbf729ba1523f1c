import Foundation

/// Ticks for a UTC time axis (seconds since 1970) on whole minutes, hours, days or weeks, the finest step
/// whose labels ("Jan 30", "Jan 30 06:00") still fit side by side in the axis width.
struct TimeTicks: Sendable {
    let values: [Double]
    let labels: [String]

    static let steps: [Double] = [300, 600, 900, 1800, 3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600,
                                  86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400, 56 * 86400,
                                  112 * 86400, 364 * 86400]

    init(from start: Double, to end: Double, axisWidth: Double, fontSize: Double) {
        let withYear = Self.civil(start).year != Self.civil(end).year
        var chosen: (values: [Double], labels: [String]) = ([], [])
        for step in Self.steps {
            let values = Self.ticks(from: start, to: end, step: step)
            let labels = values.map { Self.label($0, withTime: step < 86400, withYear: withYear) }
            let widest = labels.map { TextMetrics.width($0, size: fontSize) }.max() ?? 0
            chosen = (values, labels)
            if Double(values.count) * (widest + 14) <= axisWidth { break }
        }
        values = chosen.values
        labels = chosen.labels
    }

    /// Multiples of `step` inside the range; weeks start on Mondays (1970-01-05 was one).
    static func ticks(from start: Double, to end: Double, step: Double) -> [Double] {
        guard end >= start, step > 0 else { return [] }
        let offset = step >= 7 * 86400 ? 4 * 86400.0 : 0
        var tick = ((start - offset) / step).rounded(.up) * step + offset
        var out: [Double] = []
        while tick <= end + 1e-6 && out.count < 1000 {
            out.append(tick)
            tick += step
        }
        return out
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Jan 30" at midnight or for day steps, "Jan 30 06:00" otherwise; the year is added when the axis spans several.
    static func label(_ time: Double, withTime: Bool, withYear: Bool = false) -> String {
        let seconds = clamped(time).rounded()
        let date = civil(seconds)
        var text = "\(months[date.month - 1]) \(date.day)"
        if withYear { text += " \(date.year)" }
        let secondOfDay = Int((seconds - (seconds / 86400).rounded(.down) * 86400).rounded())
        if withTime && secondOfDay != 0 {
            text += String(format: " %02d:%02d", secondOfDay / 3600, secondOfDay % 3600 / 60)
        }
        return text
    }

    /// Times beyond ±300,000 years are nonsense data; clamping keeps the integer arithmetic from trapping.
    static func clamped(_ seconds: Double) -> Double { seconds.isFinite ? min(max(seconds, -1e13), 1e13) : 0 }

    /// The UTC calendar date of a time (Howard Hinnant's days-to-civil; no Calendar or time zone involved).
    static func civil(_ seconds: Double) -> (year: Int, month: Int, day: Int) {
        let days = Int((clamped(seconds) / 86400).rounded(.down)) + 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
