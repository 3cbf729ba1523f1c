/// The submolts the capture's posts name, with their posts. Only `id`, `name` and
/// `display_name` are captured; other facts are null unless a captured object carries them.
struct SubmoltDirectory: Sendable {
    struct Submolt: Sendable {
        let name: String
        /// The first captured `submolt` object of this name.
        let captured: JSONValue
        /// Indices of its posts, newest first once the directory is finished.
        var posts: [Int] = []
    }

    /// Sorted by name once finished.
    private(set) var all: [Submolt] = []
    private var indexByName: [String: Int] = [:]

    func submolt(named name: String) -> Submolt? {
        indexByName[name].map { all[$0] } ?? indexByName[name.lowercased()].map { all[$0] }
    }

    mutating func observe(submolt: JSONValue, postIndex: Int) {
        let name: String
        var captured = submolt
        if let bare = submolt.stringValue {
            name = bare
            captured = .object([JSONMember("name", .string(bare))])
        } else if let named = submolt["name"]?.stringValue {
            name = named
        } else {
            return
        }
        if let index = indexByName[name] {
            all[index].posts.append(postIndex)
        } else {
            indexByName[name] = all.count
            all.append(Submolt(name: name, captured: captured, posts: [postIndex]))
        }
    }

    mutating func finish(posts: [CapturedPost]) {
        all.sort { $0.name < $1.name }
        indexByName = [:]
        for index in all.indices {
            all[index].posts.sort { posts[$0].createdMicros > posts[$1].createdMicros }
            indexByName[all[index].name] = index
        }
        for index in all.indices where indexByName[all[index].name.lowercased()] == nil {
            indexByName[all[index].name.lowercased()] = index
        }
    }
}

extension SubmoltDirectory.Submolt {
    /// The `/submolts` item (snake_case, as era A).
    var listing: JSONValue {
        .object([
            JSONMember("id", captured["id"] ?? .null),
            JSONMember("name", .string(name)),
            JSONMember("display_name", captured["display_name"] ?? .null),
            JSONMember("description", captured["description"] ?? .null),
            JSONMember("subscriber_count", captured["subscriber_count"] ?? .null),
            JSONMember("created_at", captured["created_at"] ?? .null),
        ])
    }
}
