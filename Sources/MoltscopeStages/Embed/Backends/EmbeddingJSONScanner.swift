import Foundation

/// Why a response body could not be read as embeddings.
struct EmbeddingParseFailure: Error, Sendable {
    var message: String
    /// Broken JSON (typically a body cut short): worth one more request. Otherwise the JSON is
    /// fine but of the wrong shape, which another request will not change.
    var isSyntax: Bool

    static func syntax(_ message: String) -> EmbeddingParseFailure { .init(message: message, isSyntax: true) }
    static func shape(_ message: String) -> EmbeddingParseFailure { .init(message: message, isSyntax: false) }
}

/// A strict, allocation-light JSON reader specialised for embeddings responses.
///
/// Responses are mostly one thing: arrays of a few hundred numbers, 64 of them. A general parser
/// (JSONSerialization) boxes every number; this one reads them straight into `[Float]`, and walks
/// over everything else without building it. It still checks the whole grammar, so a body cut short
/// is reported as broken JSON rather than read as fewer numbers.
struct EmbeddingJSONScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    /// A string token, as the byte range between its quotes.
    struct StringToken {
        var start: Int
        var end: Int
        var hasEscapes: Bool
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Runs `body` on a scanner over `data`, then checks nothing but whitespace follows.
    static func scan<T>(_ data: Data, _ body: (inout EmbeddingJSONScanner) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw in
            var scanner = EmbeddingJSONScanner(raw.bindMemory(to: UInt8.self))
            let value = try body(&scanner)
            scanner.skipWhitespace()
            guard scanner.position == scanner.bytes.count else {
                throw EmbeddingParseFailure.syntax("not valid JSON: unexpected \(scanner.describeHere()) after the value")
            }
            return value
        }
    }

    // MARK: Tokens

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next non-blank byte, not consumed; nil at the end.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else {
            throw EmbeddingParseFailure.syntax("not valid JSON: expected '\(Character(UnicodeScalar(byte)))' but found \(describeHere())")
        }
        position += 1
    }

    /// "end of input (truncated?)" or "'x' at byte 12".
    func describeHere() -> String {
        guard position < bytes.count else { return "the end of the body (truncated?)" }
        let byte = bytes[position]
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        return "\(shown) at offset \(position)"
    }

    /// Calls `member` for each key of an object; `member` must consume the value (or call `skipValue`).
    mutating func object(_ member: (inout EmbeddingJSONScanner, StringToken) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else {
                throw EmbeddingParseFailure.syntax("not valid JSON: expected a key but found \(describeHere())")
            }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return
            default: throw EmbeddingParseFailure.syntax("not valid JSON: expected ',' or '}' but found \(describeHere())")
            }
        }
    }

    /// Calls `element` for each element of an array; `element` must consume it.
    mutating func array(_ element: (inout EmbeddingJSONScanner, Int) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        var index = 0
        while true {
            try element(&self, index)
            index += 1
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return
            default: throw EmbeddingParseFailure.syntax("not valid JSON: expected ',' or ']' but found \(describeHere())")
            }
        }
    }

    /// Reads a string token (the opening quote is next), checking escapes and control bytes.
    mutating func string() throws -> StringToken {
        try expect(UInt8(ascii: "\""))
        let start = position
        var hasEscapes = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return StringToken(start: start, end: position - 1, hasEscapes: hasEscapes)
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                position += 1
                guard position < bytes.count else { break }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    guard position + 4 < bytes.count else { position = bytes.count; break }
                    for offset in 1...4 where !Self.isHexDigit(bytes[position + offset]) {
                        position += offset
                        throw EmbeddingParseFailure.syntax("not valid JSON: bad \\u escape at offset \(position)")
                    }
                    position += 5
                default:
                    throw EmbeddingParseFailure.syntax("not valid JSON: bad escape at offset \(position)")
                }
                continue
            }
            if byte < 0x20 {
                throw EmbeddingParseFailure.syntax("not valid JSON: control byte in a string at offset \(position)")
            }
            position += 1
        }
        throw EmbeddingParseFailure.syntax("not valid JSON: a string runs to the end of the body (truncated?)")
    }

    /// True when the token spells `key` exactly (keys with escapes are decoded first).
    func matches(_ token: StringToken, _ key: StaticString) -> Bool {
        if token.hasEscapes { return decode(token) == key.description }
        let count = token.end - token.start
        guard count == key.utf8CodeUnitCount else { return false }
        let expected = key.utf8Start
        for offset in 0..<count where bytes[token.start + offset] != expected[offset] { return false }
        return true
    }

    /// The token's text with its escapes resolved.
    func decode(_ token: StringToken) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
        guard token.hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        // Rare (keys and error messages): let Foundation resolve escapes and surrogate pairs.
        var quoted = Data([UInt8(ascii: "\"")])
        quoted.append(raw)
        quoted.append(UInt8(ascii: "\""))
        return (try? JSONSerialization.jsonObject(with: quoted, options: .fragmentsAllowed)) as? String
            ?? String(decoding: raw, as: UTF8.self)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
    }

    // MARK: Values

    /// Walks over any value, checking its grammar.
    mutating func skipValue(depth: Int = 0) throws {
        guard depth < 128 else { throw EmbeddingParseFailure.shape("JSON nested deeper than 128 levels") }
        switch peek() {
        case UInt8(ascii: "{"): try object { scanner, _ in try scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): try array { scanner, _ in try scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case nil: throw EmbeddingParseFailure.syntax("not valid JSON: the body ends where a value should be (truncated?)")
        default: _ = try number()
        }
    }

    /// True (and consumed) when `null` is next.
    mutating func null() throws -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else {
            throw EmbeddingParseFailure.syntax("not valid JSON: the body ends inside '\(word)' (truncated?)")
        }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] {
            throw EmbeddingParseFailure.syntax("not valid JSON: unexpected \(describeHere())")
        }
        position += count
    }

    /// A non-negative integer that fits in Int (array indices).
    mutating func integer() throws -> Int {
        let start = position
        let value = try number()
        guard value >= 0, value < 1e15, value == value.rounded(.towardZero) else {
            throw EmbeddingParseFailure.shape("expected a non-negative integer at offset \(start), found \(value)")
        }
        return Int(value)
    }

    /// Reads an array of numbers into floats; `capacity` is a size hint (the previous vector's).
    mutating func floatArray(capacity: Int) throws -> [Float] {
        var values: [Float] = []
        values.reserveCapacity(capacity)
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") {
            position += 1
            return values
        }
        while true {
            let start = position
            guard let next = peek(), next == UInt8(ascii: "-") || (next >= 0x30 && next <= 0x39) || next == UInt8(ascii: "N")
                    || next == UInt8(ascii: "I") else {
                // Another kind of value (checked to be valid JSON) is the wrong shape; anything else
                // is broken JSON.
                switch peek() {
                case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    let found = describeHere()
                    try skipValue()
                    throw EmbeddingParseFailure.shape("a vector holds a non-number (\(found))")
                case nil:
                    throw EmbeddingParseFailure.syntax("not valid JSON: the body ends inside a vector (truncated?)")
                default:
                    throw EmbeddingParseFailure.syntax("not valid JSON: unexpected \(describeHere()) in a vector")
                }
            }
            let value = try Float(number())
            guard value.isFinite else {
                throw EmbeddingParseFailure.shape("a vector holds a non-finite number at offset \(start)")
            }
            values.append(value)
            // The separator, inline: this loop is where the time goes.
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A
                    || bytes[position] == 0x0D || bytes[position] == 0x09 {
                position += 1
            }
            guard position < bytes.count else {
                throw EmbeddingParseFailure.syntax("not valid JSON: the body ends inside a vector (truncated?)")
            }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return values
            } else {
                throw EmbeddingParseFailure.syntax("not valid JSON: expected ',' or ']' but found \(describeHere())")
            }
        }
    }

    private static let exactPowersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// Reads a JSON number. Also accepts NaN, Infinity and -Infinity, which Python's json writes,
    /// so that the caller can report a non-finite value rather than broken JSON.
    mutating func number() throws -> Double {
        skipWhitespace()
        let start = position
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < bytes.count else {
            throw EmbeddingParseFailure.syntax("not valid JSON: the body ends inside a number (truncated?)")
        }
        if bytes[position] == UInt8(ascii: "N") {
            try literal("NaN")
            return .nan
        }
        if bytes[position] == UInt8(ascii: "I") {
            try literal("Infinity")
            return negative ? -.infinity : .infinity
        }

        var mantissa: UInt64 = 0
        var significant = 0  // digits in `mantissa`, leading zeros excluded
        var exponent = 0
        var inexact = false  // more than 19 significant digits: left to strtod

        func digit(_ byte: UInt8) -> UInt64? {
            byte >= 0x30 && byte <= 0x39 ? UInt64(byte - 0x30) : nil
        }

        guard let first = digit(bytes[position]) else {
            throw EmbeddingParseFailure.syntax("not valid JSON: unexpected \(describeHere())")
        }
        position += 1
        if first != 0 {
            mantissa = first
            significant = 1
            while position < bytes.count, let d = digit(bytes[position]) {
                if significant < 19 {
                    mantissa = mantissa * 10 + d
                    significant += 1
                } else {
                    exponent += 1
                    if d != 0 { inexact = true }
                }
                position += 1
            }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, digit(bytes[position]) != nil else {
                if position >= bytes.count {
                    throw EmbeddingParseFailure.syntax("not valid JSON: the body ends inside a number (truncated?)")
                }
                throw EmbeddingParseFailure.syntax("not valid JSON: a number ends in '.' at offset \(position)")
            }
            while position < bytes.count, let d = digit(bytes[position]) {
                if significant < 19 {
                    mantissa = mantissa * 10 + d
                    exponent -= 1
                    if mantissa != 0 { significant += 1 }
                } else if d != 0 {
                    inexact = true
                }
                position += 1
            }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            var negativeExponent = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                negativeExponent = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            guard position < bytes.count, digit(bytes[position]) != nil else {
                if position >= bytes.count {
                    throw EmbeddingParseFailure.syntax("not valid JSON: the body ends inside a number (truncated?)")
                }
                throw EmbeddingParseFailure.syntax("not valid JSON: a number has an empty exponent at offset \(position)")
            }
            var written = 0
            while position < bytes.count, let d = digit(bytes[position]) {
                if written < 100_000 { written = written * 10 + Int(d) }
                position += 1
            }
            exponent += negativeExponent ? -written : written
        }

        if mantissa == 0 { return negative ? -0.0 : 0 }
        // Fast path: the mantissa as a Double (exact below 2^53, else within half an ulp) scaled
        // by an exact power of ten: within an ulp of the correctly rounded double, far below a
        // Float's precision. Everything else (very long or very small/large numbers) goes to strtod.
        if !inexact && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / Self.exactPowersOfTen[-exponent] : value * Self.exactPowersOfTen[exponent]
            return negative ? -value : value
        }
        return slowNumber(start, position)
    }

    /// strtod over the token's bytes: correct for anything, a little slower.
    private func slowNumber(_ start: Int, _ end: Int) -> Double {
        let count = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            for offset in 0..<count { buffer[offset] = CChar(bitPattern: bytes[start + offset]) }
            buffer[count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    // MARK: Base64 vectors

    /// A vector sent as base64 of little-endian float32s (encoding_format "base64").
    func base64Floats(_ token: StringToken) throws -> [Float] {
        let text = decode(token)
        guard let data = Data(base64Encoded: text), !data.isEmpty else {
            throw EmbeddingParseFailure.shape("an embedding string is not base64 (offset \(token.start))")
        }
        guard data.count % 4 == 0 else {
            throw EmbeddingParseFailure.shape("a base64 embedding holds \(data.count) bytes, not a whole number of float32s")
        }
        let count = data.count / 4
        let values = data.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count {
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                    buffer[index] = Float(bitPattern: bits)
                }
                initialized = count
            }
        }
        guard values.allSatisfy(\.isFinite) else {
            throw EmbeddingParseFailure.shape("a base64 embedding holds a non-finite number")
        }
        return values
    }
}
