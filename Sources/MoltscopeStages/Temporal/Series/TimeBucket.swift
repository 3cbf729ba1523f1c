import Foundation
import MoltscopeCore

/// A bucket width for the time series ("1h", "6h", "1d"), aligned to UTC midnight so that
/// hours and days line up across buckets and runs.
struct TimeBucket: Sendable, Equatable {
    /// As configured, normalized (e.g. "1h", "1d"): the `bucket` column of every series table.
    let label: String
    let seconds: Int64

    init(_ spec: String) throws {
        let text = spec.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = text.last, let count = Int64(text.dropLast()), count > 0,
              let unitSeconds: Int64 = unit == "h" ? 3_600 : unit == "d" ? 86_400 : nil,
              count * unitSeconds <= 366 * 86_400, 86_400 % (count * unitSeconds) == 0 || unit == "d"
        else {
            throw MoltscopeError(.config, "temporal.buckets entry '\(spec)' is not a bucket width",
                                 remedy: "use a number and h or d that divides a day or is whole days, e.g. \"1h\", \"6h\", \"1d\", \"7d\"")
        }
        label = "\(count)\(unit)"
        seconds = count * unitSeconds
    }

    /// The index of the bucket holding a time (microseconds since 1970).
    func index(ofMicros micros: Int64) -> Int64 {
        let width = seconds * 1_000_000
        return micros >= 0 ? micros / width : (micros - width + 1) / width
    }

    /// The UTC start of a bucket, as the crawl writes timestamps (`YYYY-MM-DDTHH:MM:SSZ`).
    func start(of index: Int64) -> String {
        Self.iso(seconds: index * seconds)
    }

    /// A time as the crawl writes it: microseconds shown when there are any.
    static func iso(micros: Int64) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        guard fraction > 0 else { return iso(seconds: seconds) }
        return String(iso(seconds: seconds).dropLast()) + String(format: ".%06dZ", Int(fraction))
    }

    static func iso(seconds: Int64) -> String {
        let day = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let rest = Int(seconds - Int64(day) * 86_400)
        let (year, month, dayOfMonth) = CivilCalendar.date(dayNumber: day)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, dayOfMonth, rest / 3600, rest / 60 % 60, rest % 60)
    }
}
