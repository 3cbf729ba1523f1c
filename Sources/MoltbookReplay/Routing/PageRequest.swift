import Foundation

/// Which slice of a listing a request asks for: `limit` plus `offset` (era A, and submolt lists
/// in every era) or an opaque `cursor` (posts in eras B and C).
struct PageRequest {
    static let defaultLimit = 25
    static let maxLimit = 100

    let limit: Int
    let start: Int

    struct BadCursor: Error {}

    private init(limit: String?, start: Int) {
        let asked = limit.flatMap { Int($0) } ?? Self.defaultLimit
        self.limit = min(max(asked, 1), Self.maxLimit)
        self.start = start
    }

    /// An offset page. `overlapItems`, when the overlap fault hit: the page starts that many
    /// items early, as on the busy real site (never later, so nothing is skipped).
    static func offsets(_ query: [String: String], overlapItems: Int? = nil) -> PageRequest {
        let offset = max(query["offset"].flatMap { Int($0) } ?? 0, 0)
        return PageRequest(limit: query["limit"], start: max(offset - (overlapItems ?? 0), 0))
    }

    /// A cursor page: no cursor is the first page; a cursor not made here is refused.
    static func cursors(_ query: [String: String]) throws(BadCursor) -> PageRequest {
        guard let cursor = query["cursor"], !cursor.isEmpty else { return PageRequest(limit: query["limit"], start: 0) }
        guard let offset = offset(fromCursor: cursor) else { throw BadCursor() }
        return PageRequest(limit: query["limit"], start: offset)
    }

    /// The window of `total` items this page covers.
    func window(total: Int) -> Range<Int> {
        let lower = min(start, total)
        return lower..<min(lower + limit, total)
    }

    /// base64url without padding, so the cursor needs no escaping in a query string.
    static func cursor(forOffset offset: Int) -> String {
        Data("o:\(offset)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func offset(fromCursor cursor: String) -> Int? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              text.hasPrefix("o:"), let offset = Int(text.dropFirst(2)), offset >= 0 else { return nil }
        return offset
    }
}
