/// A JSON document as the replay server reads and rewrites it. Objects keep their members in
/// order (so re-rendered bodies read like the captured ones) and numbers keep their exact text
/// (so an era-C "numbers as strings" rewrite shows the very digits the capture had).
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])
    /// Bytes that are already JSON (a verbatim span of the capture), written as they are.
    case encoded(ArraySlice<UInt8>)

    static func int(_ value: Int) -> JSONValue { .number(String(value)) }
    static func optionalString(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// An integer from a number (or a number sent as a string, as era C does).
    var intValue: Int? {
        switch self {
        case .number(let text), .string(let text): return Int(text) ?? Double(text).map { Int($0) }
        default: return nil
        }
    }

    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

struct JSONMember: Sendable {
    var key: String
    var value: JSONValue

    init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue {
    /// The same object with `key` set (replaced in place, or appended when new).
    func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append(JSONMember(key, value))
        }
        return .object(members)
    }

    func removing(_ key: String) -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.filter { $0.key != key })
    }
}
