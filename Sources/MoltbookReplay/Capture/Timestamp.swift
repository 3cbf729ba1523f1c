import MoltscopeCore
import Foundation

/// The capture's timestamps (`2026-01-31T01:34:02.703333+00:00`), read for ordering and
/// rewritten in era C's looser style.
enum Timestamp {
    /// Microseconds since 1970 in UTC, or nil when `text` is not an ISO-8601-like timestamp.
    static func microseconds(_ text: String) -> Int64? {
        let chars = Array(text.utf8)
        var position = 0
        func number(_ digits: Int) -> Int64? {
            guard position + digits <= chars.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<digits {
                let byte = chars[position]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
                position += 1
            }
            return value
        }
        func expect(_ options: String) -> Bool {
            guard position < chars.count, options.utf8.contains(chars[position]) else { return false }
            position += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("T "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
              let second = number(2) else { return nil }
        var micros: Int64 = 0
        if expect(".") {
            var scale: Int64 = 100_000
            var digits = 0
            while position < chars.count, chars[position] >= 0x30, chars[position] <= 0x39 {
                micros += Int64(chars[position] - 0x30) * scale
                scale /= 10
                digits += 1
                position += 1
            }
            guard digits > 0 else { return nil }
        }
        var offsetSeconds: Int64 = 0
        if expect("Z") {
        } else if position < chars.count, chars[position] == UInt8(ascii: "+") || chars[position] == UInt8(ascii: "-") {
            let sign: Int64 = chars[position] == UInt8(ascii: "-") ? -1 : 1
            position += 1
            guard let hours = number(2) else { return nil }
            _ = expect(":")
            let minutes = position < chars.count ? (number(2) ?? 0) : 0
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        guard position == chars.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return seconds * 1_000_000 + micros
    }

    /// Era C's style for the same instant: `2026-01-31 01:34:02.703333+00`, trailing zeros of
    /// the fraction dropped (so `.70333` or `.7` where the value allows, never a rounded instant).
    static func eraCStyle(_ text: String) -> String {
        var body: Substring
        if text.hasSuffix("+00:00") {
            body = text.dropLast(6)
        } else if text.hasSuffix("Z") {
            body = text.dropLast(1)
        } else {
            return text
        }
        guard body.count >= 19, microseconds(text) != nil else { return text }
        if body.contains(".") {
            while body.last == "0" { body = body.dropLast() }
            if body.last == "." { body = body.dropLast() }
        }
        let date = body.prefix(10)
        let time = body.dropFirst(11)
        return date + " " + time + "+00"
    }

    /// Now, as a JavaScript server writes it (`2026-01-31T01:34:02.703Z`), for era C's errors.
    static func nowISO() -> String {
        let millis = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let inDay = millis - days * 86_400_000
        let (year, month, day) = civilFromDays(days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(inDay / 3_600_000, 2)):"
            + "\(pad(inDay / 60_000 % 60, 2)):\(pad(inDay / 1000 % 60, 2)).\(pad(inDay % 1000, 3))Z"
    }

    private static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let date = CivilCalendar.date(dayNumber: Int(days))
        return (Int64(date.year), Int64(date.month), Int64(date.day))
    }

    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        Int64(CivilCalendar.dayNumber(year: Int(year), month: Int(month), day: Int(day)))
    }
}
