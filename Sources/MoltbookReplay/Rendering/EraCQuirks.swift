/// The irregularities era C's responses show (docs/moltbook-api.md, "Quirks"), applied to about
/// one record in five, chosen by a hash of its id so every response about it agrees.
enum EraCQuirks {
    /// A post (camelCase keys): numbers as strings, `submolt` as a bare name, loose timestamps.
    static func post(_ post: JSONValue) -> JSONValue {
        guard let id = post["id"]?.stringValue else { return post }
        var result = record(post, id: id)
        if picks(id, salt: "submolt"), let name = result["submolt"]?["name"]?.stringValue {
            result = result.setting("submolt", .string(name))
        }
        return result
    }

    /// A comment (camelCase keys): numbers as strings, loose timestamps.
    static func comment(_ comment: JSONValue) -> JSONValue {
        guard let id = comment["id"]?.stringValue else { return comment }
        return record(comment, id: id)
    }

    /// Any other object with an id (agent, submolt): loose timestamps only.
    static func timestamps(_ value: JSONValue) -> JSONValue {
        guard case .object(var members) = value else { return value }
        let id = value["id"]?.stringValue
        for index in members.indices {
            switch members[index].value {
            case .string(let text):
                if let id, isTimestampKey(members[index].key), picks(id + members[index].key, salt: "time") {
                    members[index].value = .string(Timestamp.eraCStyle(text))
                }
            case .object:
                members[index].value = timestamps(members[index].value)
            default:
                break
            }
        }
        return .object(members)
    }

    private static func record(_ value: JSONValue, id: String) -> JSONValue {
        var value = timestamps(value)
        guard picks(id, salt: "numbers"), case .object(var members) = value else { return value }
        for index in members.indices {
            if case .number(let text) = members[index].value { members[index].value = .string(text) }
        }
        value = .object(members)
        return value
    }

    private static func isTimestampKey(_ key: String) -> Bool {
        key.hasSuffix("At") || key == "lastActive"
    }

    /// True for about one (id, salt) in five; the same answer in every run.
    static func picks(_ id: String, salt: String) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in salt.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash ^= hash >> 29
        return hash % 5 == 0
    }
}
