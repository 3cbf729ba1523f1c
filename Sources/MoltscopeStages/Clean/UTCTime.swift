import MoltscopeCore

/// Reads the crawl's normalized timestamps (`YYYY-MM-DDTHH:MM:SS[.ffffff]Z`, UTC) as
/// microseconds since 1970, for gaps and ordering. Anything else reads as unknown (nil).
enum UTCTime {
    static func micros(_ text: String?) -> Int64? {
        guard var text else { return nil }
        return text.withUTF8 { bytes -> Int64? in
            guard bytes.count >= 20 else { return nil }
            func number(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for i in from..<(from + count) {
                    let byte = bytes[i]
                    guard byte >= 0x30, byte <= 0x39 else { return nil }
                    value = value * 10 + Int(byte - 0x30)
                }
                return value
            }
            guard let year = number(0, 4), bytes[4] == 0x2D, let month = number(5, 2), bytes[7] == 0x2D,
                  let day = number(8, 2), bytes[10] == 0x54 || bytes[10] == 0x20, let hour = number(11, 2),
                  bytes[13] == 0x3A, let minute = number(14, 2), bytes[16] == 0x3A, let second = number(17, 2),
                  (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
            else { return nil }
            var position = 19
            var micros = 0
            if position < bytes.count, bytes[position] == 0x2E {
                position += 1
                var digits = 0
                while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                    if digits < 6 { micros = micros * 10 + Int(bytes[position] - 0x30) }
                    digits += 1
                    position += 1
                }
                guard digits > 0 else { return nil }
                for _ in min(digits, 6)..<6 { micros *= 10 }
            }
            guard position == bytes.count - 1, bytes[position] == 0x5A else { return nil }
            let days = dayNumber(year: year, month: month, day: day)
            let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
            return seconds * 1_000_000 + Int64(micros)
        }
    }

    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        CivilCalendar.dayNumber(year: year, month: month, day: day)
    }
}
