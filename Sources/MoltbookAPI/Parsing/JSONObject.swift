import Foundation

/// A JSON object as `JSONSerialization` returns it.
typealias JSONObject = [String: Any]

extension Dictionary where Key == String, Value == Any {
    /// The value under either spelling of `key`; JSON `null` counts as absent.
    func value(_ key: FieldKey) -> Any? {
        if let found = self[key.snake], !isJSONNull(found) { return found }
        if key.camel != key.snake, let found = self[key.camel], !isJSONNull(found) { return found }
        return nil
    }

    func string(_ key: FieldKey) -> String? { value(key) as? String }

    func object(_ key: FieldKey) -> JSONObject? { value(key) as? JSONObject }

    func array(_ key: FieldKey) -> [Any]? { value(key) as? [Any] }

    /// Whether either spelling of `key` is present at all, even as `null`.
    func has(_ key: FieldKey) -> Bool { self[key.snake] != nil || self[key.camel] != nil }
}

/// Whether a parsed value is JSON `null`. Compares the dynamic type, because on Linux `value is NSNull`
/// first bridges a Swift dictionary or array to its NS counterpart, recursively: that made parsing three times slower.
func isJSONNull(_ value: Any) -> Bool {
    ObjectIdentifier(type(of: value)) == ObjectIdentifier(NSNull.self)
}

/// A short name of a JSON value's kind, for error messages.
func jsonKind(_ value: Any?) -> String {
    guard let value, !isJSONNull(value) else { return "null" }
    switch value {
    case is JSONObject: return "an object"
    case is [Any]: return "an array"
    case is String: return "a string"
    case let number as NSNumber: return number.isJSONBoolean ? "a boolean" : "a number"
    default: return "an unexpected value"
    }
}
