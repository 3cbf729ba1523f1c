import Foundation

/// A number field read leniently: the API has sent counts as ints, floats (`3.0`) and strings (`"3"`).
enum LenientNumber<Value> {
    case absent
    case value(Value)
    /// Present but unreadable as this kind of number: the record gets `.badCount`.
    case unreadable

    var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

extension NSNumber {
    /// `JSONSerialization` returns `true`/`false` as NSNumber too, and on Linux `1 as? Bool` succeeds,
    /// so booleans are told apart by their storage type: `c` (char) for booleans on both platforms.
    var isJSONBoolean: Bool { objCType.pointee == 0x63 }

    /// Whether the number was stored as a floating-point value (a JSON `3.0`, or a huge literal).
    var isFloatingPoint: Bool {
        let type = objCType.pointee
        return type == 0x64 || type == 0x66  // "d", "f"
    }

    var isUnsigned64: Bool {
        let type = objCType.pointee
        return type == 0x51 || type == 0x4C  // "Q", "L"
    }
}

enum Lenient {
    /// An integer from an int, an integral float, or a string holding either. Booleans,
    /// fractions and out-of-range values are unreadable, never trapped on.
    static func int(_ value: Any?) -> LenientNumber<Int> {
        guard let value, !isJSONNull(value) else { return .absent }
        switch value {
        case let number as NSNumber:
            if number.isJSONBoolean { return .unreadable }
            if number.isFloatingPoint { return integral(number.doubleValue) }
            // Literals above Int.max come as unsigned 64-bit, which `intValue` would wrap negative.
            if number.isUnsigned64 { return Int(exactly: number.uint64Value).map { .value($0) } ?? .unreadable }
            return .value(number.intValue)
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let exact = Int(trimmed) { return .value(exact) }
            if let real = Double(trimmed) { return integral(real) }
            return .unreadable
        default:
            return .unreadable
        }
    }

    /// A real number from a number or a numeric string (retry delays may be fractional).
    static func double(_ value: Any?) -> LenientNumber<Double> {
        guard let value, !isJSONNull(value) else { return .absent }
        switch value {
        case let number as NSNumber:
            return number.isJSONBoolean ? .unreadable : finite(number.doubleValue)
        case let text as String:
            return Double(text.trimmingCharacters(in: .whitespaces)).map(finite) ?? .unreadable
        default:
            return .unreadable
        }
    }

    /// A boolean from `true`/`false`, `0`/`1`, or the strings `"true"`/`"false"`.
    static func bool(_ value: Any?) -> Bool? {
        switch value {
        case let number as NSNumber:
            if number.isJSONBoolean { return number.boolValue }
            switch int(number) {
            case .value(0): return false
            case .value(1): return true
            default: return nil
            }
        case let text as String:
            switch text.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        default:
            return nil
        }
    }

    /// A cursor or token the API may send as a string or a bare number.
    static func token(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let number as NSNumber where !number.isJSONBoolean: return number.stringValue
        default: return nil
        }
    }

    private static func integral(_ real: Double) -> LenientNumber<Int> {
        // Int(_:) traps outside Int's range: check first (2^63 is exactly representable).
        guard real.isFinite, real == real.rounded(), real >= -9.223372036854775808e18,
              real < 9.223372036854775808e18 else { return .unreadable }
        return .value(Int(real))
    }

    private static func finite(_ real: Double) -> LenientNumber<Double> {
        real.isFinite ? .value(real) : .unreadable
    }
}
