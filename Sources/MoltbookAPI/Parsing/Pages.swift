import Foundation

extension MoltbookParser {
    /// `/posts`: offset pages `{"posts","count","has_more","next_offset"}` (era A) or cursor pages
    /// `{"posts","has_more","next_cursor"}` (era B/C).
    public static func postPage(_ data: Data) throws -> PostPage {
        let object = try responseObject(data, holding: .posts)
        var paging = FieldReader(object)
        let nextOffset = paging.count(.nextOffset)
        let nextCursor = Lenient.token(object.value(.nextCursor))
        return PostPage(
            posts: try posts(object.value(.posts)),
            hasMore: hasMore(object, nextOffset: nextOffset, nextCursor: nextCursor),
            nextOffset: nextOffset, nextCursor: nextCursor, count: paging.count(.count))
    }

    /// `/submolts`: `{"submolts":[...],"count":N,...}`; `count` is the site total.
    public static func submoltPage(_ data: Data) throws -> SubmoltPage {
        let object = try responseObject(data, holding: .submolts)
        guard let list = object.array(.submolts) else {
            throw ParseError("`submolts` is \(jsonKind(object.value(.submolts))), expected an array")
        }
        let submolts = try list.enumerated().map { try requiredSubmolt($0.element, what: "submolt \($0.offset)") }
        var paging = FieldReader(object)
        let nextOffset = paging.count(.nextOffset)
        return SubmoltPage(submolts: submolts, hasMore: hasMore(object, nextOffset: nextOffset, nextCursor: nil),
                           nextOffset: nextOffset, count: paging.count(.count))
    }

    /// `/submolts/{name}`: the submolt and its recent posts. Those posts omit their submolt, so
    /// they are given this one.
    public static func submoltDetail(_ data: Data) throws -> (submolt: APISubmolt, posts: [APIPost]) {
        let object = try responseObject(data, holding: .submolt)
        let submolt = try requiredSubmolt(object.value(.submolt), what: "`submolt`")
        var recentPosts = try object.value(.posts).map { try posts($0) } ?? []
        for index in recentPosts.indices where recentPosts[index].submolt == nil {
            recentPosts[index].submolt = submolt
        }
        return (submolt, recentPosts)
    }

    /// `/agents/profile?name=`: `{"agent":{...},"recentPosts":[...]}`; the agent only.
    public static func agentProfile(_ data: Data) throws -> APIAgent {
        let object = try responseObject(data, holding: .agent)
        guard let agentObject = object.object(.agent) else {
            throw ParseError("`agent` is \(jsonKind(object.value(.agent))), expected an object")
        }
        return agent(from: agentObject).agent
    }

    /// `has_more` when readable; otherwise whether the page says where the next one starts.
    private static func hasMore(_ object: JSONObject, nextOffset: Int?, nextCursor: String?) -> Bool {
        Lenient.bool(object.value(.hasMore)) ?? (nextOffset != nil || nextCursor != nil)
    }
}
