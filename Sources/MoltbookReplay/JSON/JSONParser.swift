import MoltscopeCore

/// A small, fast JSON reader over raw bytes. It can build values, or only skip them to find
/// where each member of an object lies (so a capture's bodies can be kept and served verbatim).
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int
    private var depth = 0
    /// Deeper nesting is refused rather than risking the thread's stack.
    private static let maxDepth = 512

    private init(_ bytes: UnsafeBufferPointer<UInt8>, start: Int) {
        self.bytes = bytes
        self.position = start
    }

    /// Parses one JSON document occupying `range` of `bytes` (whitespace around it allowed).
    static func parse(_ bytes: [UInt8], range: Range<Int>? = nil) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            let range = range ?? 0..<buffer.count
            var parser = JSONParser(UnsafeBufferPointer(rebasing: buffer[..<range.upperBound]),
                                    start: range.lowerBound)
            let value = try parser.parseValue()
            parser.skipWhitespace()
            guard parser.position == range.upperBound else { throw parser.failure("trailing bytes") }
            return value
        }
    }

    /// The byte range of each member's value of the object in `range`, without building values.
    static func memberRanges(of bytes: [UInt8], range: Range<Int>? = nil) throws -> [String: Range<Int>] {
        try bytes.withUnsafeBufferPointer { buffer in
            let range = range ?? 0..<buffer.count
            var parser = JSONParser(UnsafeBufferPointer(rebasing: buffer[..<range.upperBound]),
                                    start: range.lowerBound)
            return try parser.memberRanges()
        }
    }

    // MARK: - Values

    private mutating func parseValue() throws -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw failure("unexpected end") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        default:
            let start = position
            try skipNumber()
            return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
        }
    }

    private mutating func parseObject() throws -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        position += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try parseString()
            try expectByte(UInt8(ascii: ":"))
            members.append(JSONMember(key, try parseValue()))
            if try endOfContainer(UInt8(ascii: "}")) { return .object(members) }
        }
    }

    private mutating func parseArray() throws -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            items.append(try parseValue())
            if try endOfContainer(UInt8(ascii: "]")) { return .array(items) }
        }
    }

    private mutating func parseString() throws -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes, so the bytes between the quotes are the string.
        // (Byte literals: 0x22 is '"', 0x5C is '\\'; plain numbers keep debug builds fast.)
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x22 {
                defer { position += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            }
            if byte == 0x5C { break }
            position += 1
        }
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: utf8, as: UTF8.self) }
            if byte != UInt8(ascii: "\\") { utf8.append(byte); continue }
            guard position < bytes.count else { break }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "u"): appendScalar(try parseUnicodeEscape(), to: &utf8)
            default: utf8.append(escape)  // \" \\ \/
            }
        }
        throw failure("unterminated string")
    }

    /// A `\uXXXX` escape, joining a surrogate pair; a lone surrogate becomes U+FFFD.
    private mutating func parseUnicodeEscape() throws -> Unicode.Scalar {
        let high = try parseHex4()
        if (0xD800..<0xDC00).contains(high), position + 6 <= bytes.count,
           bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
            let saved = position
            position += 2
            let low = try parseHex4()
            if (0xDC00..<0xE000).contains(low) {
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
            }
            position = saved
        }
        return Unicode.Scalar(high) ?? "\u{FFFD}"
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            position += 1
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("bad \\u escape")
            }
            value = value << 4 | digit
        }
        return value
    }

    private func appendScalar(_ scalar: Unicode.Scalar, to utf8: inout [UInt8]) {
        UTF8.encode(scalar) { utf8.append($0) }
    }

    // MARK: - Skipping

    private mutating func memberRanges() throws -> [String: Range<Int>] {
        skipWhitespace()
        guard try peek() == UInt8(ascii: "{") else { throw failure("expected an object") }
        position += 1
        var ranges: [String: Range<Int>] = [:]
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") { return ranges }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try parseString()
            try expectByte(UInt8(ascii: ":"))
            skipWhitespace()
            let start = position
            try skipValue()
            ranges[key] = start..<position
            if try endOfContainer(UInt8(ascii: "}")) { return ranges }
        }
    }

    private mutating func skipValue() throws {
        skipWhitespace()
        switch try peek() {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer()
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try expectWord("true")
        case UInt8(ascii: "f"): try expectWord("false")
        case UInt8(ascii: "n"): try expectWord("null")
        default: try skipNumber()
        }
    }

    /// Skips a whole object or array by counting brackets outside strings.
    private mutating func skipContainer() throws {
        var open = 0
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case 0x22: try skipString(); continue  // '"'
            case 0x7B, 0x5B: open += 1  // '{' '['
            case 0x7D, 0x5D:  // '}' ']'

                open -= 1
                if open == 0 { position += 1; return }
            default: break
            }
            position += 1
        }
        throw failure("unterminated container")
    }

    private mutating func skipString() throws {
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x22 { position += 1; return }
            position += byte == 0x5C ? 2 : 1
        }
        throw failure("unterminated string")
    }

    private mutating func skipNumber() throws {
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                 UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                position += 1
            default:
                guard position > start else { throw failure("unexpected byte") }
                return
            }
        }
        guard position > start else { throw failure("unexpected end") }
    }

    // MARK: - Small steps

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private func peek() throws -> UInt8 {
        guard position < bytes.count else { throw failure("unexpected end") }
        return bytes[position]
    }

    private mutating func expectByte(_ byte: UInt8) throws {
        skipWhitespace()
        guard try peek() == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        position += 1
    }

    private mutating func expectWord(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw failure("unexpected end") }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] {
            throw failure("unexpected byte")
        }
        position += count
    }

    /// After a member or item: true at the closing bracket, false after a comma.
    private mutating func endOfContainer(_ closing: UInt8) throws -> Bool {
        skipWhitespace()
        let byte = try peek()
        position += 1
        if byte == closing { return true }
        guard byte == UInt8(ascii: ",") else { throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))'") }
        return false
    }

    private mutating func enterContainer() throws {
        depth += 1
        guard depth <= Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth)") }
    }

    private func failure(_ what: String) -> MoltscopeError {
        MoltscopeError(.input, "invalid JSON at byte \(position): \(what)")
    }
}
