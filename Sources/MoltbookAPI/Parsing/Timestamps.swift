import MoltscopeCore

extension MoltbookParser {
    /// Reads an API timestamp and normalises it to UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`, keeping the
    /// original in `raw`. `iso` is nil when the text cannot be read or names an impossible date.
    ///
    /// Accepted: `T`, `t` or a space between date and time; seconds with 0 to 9 fractional digits
    /// (`.` or `,`; beyond microseconds truncated); then `Z`, `UTC`, an offset `±HH`, `±HHMM` or
    /// `±HH:MM` (optionally after one space), or nothing, read as UTC since the API speaks UTC.
    /// Written by hand: DateFormatter is slow and locale-sensitive.
    public static func timestamp(_ raw: String?) -> APITimestamp {
        guard let raw else { return APITimestamp(raw: nil, iso: nil) }
        var text = raw
        let iso = text.withUTF8 { bytes in
            var scanner = TimestampScanner(bytes)
            return scanner.read()
        }
        return APITimestamp(raw: raw, iso: iso)
    }
}

/// A one-pass scanner over the UTF-8 bytes of a timestamp.
private struct TimestampScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int
    private var end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        position = 0
        end = bytes.count
        while position < end, bytes[position] == 0x20 { position += 1 }  // tolerate padding
        while end > position, bytes[end - 1] == 0x20 { end -= 1 }
    }

    mutating func read() -> String? {
        guard let year = digits(4), take(0x2D), let month = digits(2), take(0x2D), let day = digits(2),
              take(0x54) || take(0x74) || take(0x20),
              let hour = digits(2), take(0x3A), let minute = digits(2), take(0x3A), let second = digits(2)
        else { return nil }
        let micros = fraction()
        guard let micros, let offsetMinutes = zone(), position == end else { return nil }
        guard (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day),
              hour < 24, minute < 60, second < 60 else { return nil }

        // Shift to UTC in whole minutes; floor division carries into the day (and so month and year).
        let localMinutes = hour * 60 + minute - offsetMinutes
        let dayShift = localMinutes >= 0 ? localMinutes / 1440 : (localMinutes - 1439) / 1440
        let minuteOfDay = localMinutes - dayShift * 1440
        let date = CivilCalendar.date(dayNumber: CivilCalendar.dayNumber(year: year, month: month, day: day) + dayShift)
        guard (0...9999).contains(date.year) else { return nil }
        return Self.format(year: date.year, month: date.month, day: date.day, hour: minuteOfDay / 60,
                           minute: minuteOfDay % 60, second: second, micros: micros)
    }

    /// Exactly `count` ASCII digits as a number.
    private mutating func digits(_ count: Int) -> Int? {
        guard end - position >= count else { return nil }
        var value = 0
        for _ in 0..<count {
            let byte = bytes[position]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
            position += 1
        }
        return value
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard position < end, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func take(_ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard end - position >= length else { return false }
        for index in 0..<length where bytes[position + index] != word.utf8Start[index] { return false }
        position += length
        return true
    }

    /// Fractional seconds as microseconds: 0 when absent, nil for a dot without digits or over 9 digits.
    private mutating func fraction() -> Int? {
        guard take(0x2E) || take(0x2C) else { return 0 }
        var micros = 0
        var count = 0
        while position < end, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            if count < 6 { micros = micros * 10 + Int(bytes[position] - 0x30) }
            count += 1
            position += 1
        }
        guard (1...9).contains(count) else { return nil }
        for _ in count..<max(count, 6) { micros *= 10 }
        return micros
    }

    /// The zone as minutes east of UTC; 0 when absent or UTC; nil when malformed.
    private mutating func zone() -> Int? {
        if position == end { return 0 }
        _ = take(0x20)  // "2026-01-30 12:00:00 +0000" (Go, Postgres text)
        if take(0x5A) || take(0x7A) || take("UTC") || take("GMT") { return 0 }
        let sign: Int
        if take(0x2B) {
            sign = 1
        } else if take(0x2D) {
            sign = -1
        } else {
            return nil
        }
        guard let hours = digits(2), hours < 24 else { return nil }
        var minutes = 0
        if position < end {
            _ = take(0x3A)  // "+00:00" and "+0000" alike
            guard let parsed = digits(2), parsed < 60 else { return nil }
            minutes = parsed
        }
        return sign * (hours * 60 + minutes)
    }

    private static func format(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                               micros: Int) -> String {
        var out = [UInt8](repeating: 0, count: 27)
        func put(_ value: Int, width: Int, at offset: Int) {
            var rest = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                out[index] = UInt8(0x30 + rest % 10)
                rest /= 10
            }
        }
        put(year, width: 4, at: 0); out[4] = 0x2D
        put(month, width: 2, at: 5); out[7] = 0x2D
        put(day, width: 2, at: 8); out[10] = 0x54
        put(hour, width: 2, at: 11); out[13] = 0x3A
        put(minute, width: 2, at: 14); out[16] = 0x3A
        put(second, width: 2, at: 17); out[19] = 0x2E
        put(micros, width: 6, at: 20); out[26] = 0x5A
        return String(decoding: out, as: UTF8.self)
    }
}
