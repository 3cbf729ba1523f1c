import Foundation

extension MoltbookParser {
    /// `/posts/{id}/comments`: `{"success":true,"comments":[...]}`, nested with `replies` or flat
    /// with `parent_id`, flattened in pre-order with each comment's depth.
    public static func comments(_ data: Data, postId: String) throws -> [APIComment] {
        let object = try responseObject(data, holding: .comments)
        return try comments(object.value(.comments), postId: postId)
    }

    /// A `comments` array of either shape, flattened in pre-order: a comment, then its `replies`
    /// (to any depth), then its next sibling. `parentId` comes from the field, else from the
    /// enclosing comment; depth from the nesting, or for list entries from the parent chain.
    static func comments(_ value: Any?, postId: String) throws -> [APIComment] {
        guard let list = value as? [Any] else {
            throw ParseError("`comments` of post \(postId) is \(jsonKind(value)), expected an array")
        }
        var comments: [APIComment] = []
        var enclosing: [Int?] = []
        // An explicit stack, not recursion: reply chains from agents talking to each other can be deep.
        var pending: [(value: Any, enclosing: Int?, offset: Int)] = list.enumerated().reversed().map {
            ($0.element, nil, $0.offset)
        }
        while let (value, parent, offset) = pending.popLast() {
            let enclosingId = parent.map { comments[$0].id }
            let (comment, replies) = try parseComment(
                from: value, postId: postId, enclosingId: enclosingId,
                what: enclosingId.map { "reply \(offset) to comment \($0)" } ?? "comment \(offset) of post \(postId)")
            let index = comments.count
            comments.append(comment)
            enclosing.append(parent)
            guard let replies else { continue }
            for (replyOffset, reply) in replies.enumerated().reversed() {
                pending.append((reply, index, replyOffset))
            }
        }
        let depths = CommentDepths.compute(ids: comments.map(\.id), parentIds: comments.map(\.parentId),
                                           enclosing: enclosing)
        for index in comments.indices { comments[index].depth = depths[index] }
        return comments
    }

    /// One comment without its depth (set once the whole list is known), and its `replies` if any.
    /// `what` names the comment in errors; built only when one is thrown.
    private static func parseComment(from value: Any, postId: String, enclosingId: String?,
                                     what: @autoclosure () -> String) throws -> (APIComment, [Any]?) {
        guard let object = value as? JSONObject else {
            throw ParseError("\(what()) is \(jsonKind(value)), expected an object")
        }
        guard let id = object.string(.id), !id.isEmpty else { throw ParseError("\(what()) has no `id` string") }
        var fields = FieldReader(object)
        let content = fields.text(.content)
        if content == nil { fields.flag(.nullContent) }
        let author = postAuthor(&fields)
        let replies: [Any]?
        switch object.value(.replies) {
        case nil: replies = nil
        case let list as [Any]: replies = list
        case let other: throw ParseError("`replies` of comment \(id) is \(jsonKind(other)), expected an array")
        }
        let upvotes = fields.count(.upvotes)
        let downvotes = fields.count(.downvotes)
        let createdAt = fields.requiredTimestamp(.createdAt)
        let comment = APIComment(
            id: id, postId: postId, parentId: object.string(.parentId) ?? enclosingId, depth: 0,
            content: content, upvotes: upvotes, downvotes: downvotes, createdAt: createdAt, author: author,
            flags: fields.flags)
        return (comment, replies)
    }
}
