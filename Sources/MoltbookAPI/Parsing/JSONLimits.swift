import Foundation

/// Byte-level checks and repairs for bodies JSONSerialization refused, beyond those in JSONText.
extension JSONText {
    /// The deepest nesting JSONSerialization reads (on Linux and Darwin alike).
    static let maximumDepth = 512

    /// The deepest nesting of arrays and objects, outside strings.
    static func nestingDepth(_ data: Data) -> Int {
        data.withUnsafeBytes { bytes in
            var depth = 0
            var deepest = 0
            var inString = false
            var escaped = false
            for byte in bytes {
                if inString {
                    if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    deepest = max(deepest, depth)
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
            }
            return deepest
        }
    }

    /// Whether the bytes are valid UTF-8 (Foundation's check: a hand-written loop takes seconds on 10 MB in debug builds).
    static func isValidUTF8(_ data: Data) -> Bool {
        String(data: data, encoding: .utf8) != nil
    }

    /// A copy with every number outside strings that overflows a Double (`1e999`, 400 digits) put
    /// in quotes; nil when there is none.
    static func quotingUnrepresentableNumbers(in data: Data) -> Data? {
        let bytes = [UInt8](data)
        var out: [UInt8] = []
        var copied = 0
        var index = 0
        var inString = false
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                inString = true
                index += 1
                continue
            }
            guard byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
            if let number = Double(String(decoding: bytes[index..<end], as: UTF8.self)), number.isInfinite {
                out += bytes[copied..<index] + [UInt8(ascii: "\"")] + bytes[index..<end] + [UInt8(ascii: "\"")]
                copied = end
            }
            index = end
        }
        guard copied > 0 else { return nil }
        return Data(out + bytes[copied...])
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "e"), UInt8(ascii: "E"): return true
        default: return false
        }
    }
}
