import Foundation

/// Byte-level looks at a body that JSONSerialization refused, to say why in a useful way.
enum JSONText {
    /// The first byte that is not whitespace or a UTF-8 byte-order mark; nil for a blank body.
    static func firstSignificantByte(_ data: Data) -> UInt8? {
        var index = data.startIndex
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { index += 3 }
        while index < data.endIndex {
            let byte = data[index]
            if byte != 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { return byte }
            index += 1
        }
        return nil
    }

    /// Whether the text ends inside a string or with brackets left open: a body cut short.
    static func looksTruncated(_ data: Data) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return inString || depth > 0
    }

    /// The body's first characters, quoted on one line, for an error message.
    static func preview(_ data: Data, length: Int = 40) -> String {
        let head = String(decoding: data.prefix(length * 4), as: UTF8.self)
        let shown = head.prefix(length).map { $0.isNewline || ($0.asciiValue ?? 0x20) < 0x20 ? " " : $0 }
        let isCut = shown.count < head.count || data.count > length * 4
        return "\"\(String(shown))\(isCut ? "…" : "")\""
    }

    /// A copy with every `\uD800`–`\uDFFF` escape that is not half of a valid pair replaced by
    /// `\uFFFD` (same length, so done in place); nil when there is none to replace.
    static func replacingLoneSurrogates(in data: Data) -> Data? {
        // Most refused bodies have no backslash at all: memchr says so at once, even on megabytes.
        let hasBackslash = data.withUnsafeBytes { raw in
            raw.baseAddress.map { memchr($0, Int32(UInt8(ascii: "\\")), raw.count) != nil } ?? false
        }
        guard hasBackslash else { return nil }
        var bytes = [UInt8](data)
        var changed = false
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                index += 1
                continue
            }
            guard bytes[index + 1] == UInt8(ascii: "u"), let unit = codeUnit(bytes, at: index) else {
                index += 2  // another escape, such as `\\` or `\"`: skip both bytes
                continue
            }
            if (0xD800...0xDBFF).contains(unit), let low = codeUnit(bytes, at: index + 6),
               (0xDC00...0xDFFF).contains(low) {
                index += 12  // a valid pair
                continue
            }
            if (0xD800...0xDFFF).contains(unit) {
                bytes.replaceSubrange(index + 2..<index + 6, with: Array("fffd".utf8))
                changed = true
            }
            index += 6
        }
        return changed ? Data(bytes) : nil
    }

    /// The code unit of a `\uXXXX` escape starting at `index`, if there is one.
    private static func codeUnit(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
              bytes[index + 1] == UInt8(ascii: "u") else { return nil }
        var unit = 0
        for byte in bytes[index + 2..<index + 6] {
            guard let digit = hexValue(byte) else { return nil }
            unit = unit * 16 + digit
        }
        return unit
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }
}
