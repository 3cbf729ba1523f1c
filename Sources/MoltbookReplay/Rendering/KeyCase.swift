/// snake_case to camelCase, the only difference in key spelling between era A and eras B/C.
enum KeyCase {
    static func camel(_ key: String) -> String {
        guard key.utf8.contains(UInt8(ascii: "_")) else { return key }
        var result = ""
        result.reserveCapacity(key.utf8.count)
        var upperNext = false
        for character in key {
            if character == "_" {
                upperNext = !result.isEmpty
                continue
            }
            result += upperNext ? character.uppercased() : String(character)
            upperNext = false
        }
        return result
    }

    /// Every key of `value`, at every depth, in camelCase.
    static func camelized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.map { JSONMember(camel($0.key), camelized($0.value)) })
        case .array(let items):
            return .array(items.map(camelized))
        default:
            return value
        }
    }
}
