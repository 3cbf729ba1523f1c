import Foundation
@testable import MoltbookReplay

/// Starts a replay server on the test capture (any free port), runs `body`, stops it.
func withReplayServer<T>(era: ReplayEra, faults: String = "", _ body: (ReplayServer, Int) throws -> T) throws -> T {
    let server = try ReplayServer(capturePath: TestCapture.shared.path, era: era, faults: try ReplayFaults.parse(faults))
    let port = try server.start()
    defer { server.stop() }
    return try body(server, port)
}

/// Follows a post listing to its end: `next_offset` (era A) or `next_cursor` (eras B, C).
/// Returns the ids in the order served and how many pages it took.
func walkPostPages(port: Int, era: ReplayEra, path: String = "/api/v1/posts", sort: String, limit: Int) throws
    -> (ids: [String], pages: Int, firstPage: [String: Any]) {
    let connection = try TestHTTPConnection(port: port)
    var ids: [String] = []
    var pages = 0
    var firstPage: [String: Any] = [:]
    var next = era == .a ? "offset=0" : ""
    while true {
        let response = try connection.get("\(path)?sort=\(sort)&limit=\(limit)&\(next)")
        guard response.status == 200 else { throw TestClientError.malformed("status \(response.status)") }
        let page = try response.json()
        if pages == 0 { firstPage = page }
        pages += 1
        let posts = page["posts"] as? [[String: Any]] ?? []
        ids += posts.compactMap { $0["id"] as? String }
        guard page["has_more"] as? Bool == true else { break }
        if era == .a {
            next = "offset=\(page["next_offset"] as? Int ?? -1)"
        } else {
            next = "cursor=\(page["next_cursor"] as? String ?? "")"
        }
        if pages > 1000 { throw TestClientError.malformed("pagination does not end") }
    }
    return (ids, pages, firstPage)
}

/// snake_case keys to camelCase, at every depth.
func camelKeys(_ value: Any) -> Any {
    if let object = value as? [String: Any] {
        var result: [String: Any] = [:]
        for (key, item) in object {
            let parts = key.split(separator: "_")
            let camel = parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
            result[camel] = camelKeys(item)
        }
        return result
    }
    if let array = value as? [Any] { return array.map(camelKeys) }
    return value
}

/// Every key of a JSON value, at every depth.
func allKeys(_ value: Any) -> [String] {
    if let object = value as? [String: Any] { return object.keys + object.values.flatMap(allKeys) }
    if let array = value as? [Any] { return array.flatMap(allKeys) }
    return []
}

/// A value with era C's quirks undone, for comparing values: numbers sent as strings become
/// numbers, a submolt object becomes its name, timestamps become one canonical spelling.
func withoutQuirks(_ value: Any, key: String? = nil) -> Any {
    if let object = value as? [String: Any] {
        if key == "submolt", let name = object["name"] { return name }
        var result: [String: Any] = [:]
        for (key, item) in object { result[key] = withoutQuirks(item, key: key) }
        return result
    }
    if let array = value as? [Any] { return array.map { withoutQuirks($0) } }
    if let text = value as? String, let key {
        if ["upvotes", "downvotes", "commentCount", "karma", "followerCount", "followingCount"].contains(key),
           let number = Int(text) {
            return NSNumber(value: number)
        }
        if key.hasSuffix("At") || key == "lastActive" { return canonicalTimestamp(text) }
    }
    return value
}

/// `2026-01-31 01:34:02.7+00`, `...T01:34:02.700000+00:00` and `...Z` all as
/// `2026-01-31T01:34:02.700000` (the tests' timestamps are all UTC).
func canonicalTimestamp(_ text: String) -> String {
    var core = text
    for suffix in ["+00:00", "+00", "Z"] where core.hasSuffix(suffix) {
        core = String(core.dropLast(suffix.count))
        break
    }
    var characters = Array(core)
    if characters.count > 10, characters[10] == " " { characters[10] = "T" }
    core = String(characters)
    let parts = core.split(separator: ".", maxSplits: 1)
    let fraction = parts.count == 2 ? String(parts[1]) : ""
    return parts[0] + "." + fraction.padding(toLength: 6, withPad: "0", startingAt: 0)
}

/// A captured comment tree flattened in pre-order: (comment without replies, parent id).
func flatten(_ tree: [[String: Any]], parent: String? = nil) -> [(comment: [String: Any], parentID: String?)] {
    tree.flatMap { comment -> [(comment: [String: Any], parentID: String?)] in
        var own = comment
        own["replies"] = nil
        let replies = comment["replies"] as? [[String: Any]] ?? []
        return [(own, parent)] + flatten(replies, parent: comment["id"] as? String)
    }
}

func isEqualJSON(_ a: Any, _ b: Any) -> Bool {
    NSDictionary(dictionary: ["v": a]).isEqual(to: ["v": b])
}
