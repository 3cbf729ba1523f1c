extension MoltbookParser {
    /// One post of a list or a detail. `what` names it in errors ("post 3 of `posts`").
    /// A post without an `id` string is an error: ids are the primary key and are never invented.
    static func post(from value: Any, what: String) throws -> APIPost {
        guard let object = value as? JSONObject else {
            throw ParseError("\(what) is \(jsonKind(value)), expected an object")
        }
        guard let id = object.string(.id), !id.isEmpty else {
            throw ParseError("\(what) has no `id` string")
        }
        var fields = FieldReader(object)
        let title = fields.text(.title)
        if title == nil { fields.flag(.nullTitle) }
        let content = fields.text(.content)
        if content == nil { fields.flag(.nullContent) }  // link posts carry `url` instead
        let author = postAuthor(&fields)
        let submolt = postSubmolt(&fields)
        // Read every flagged field before taking `fields.flags`.
        let upvotes = fields.count(.upvotes)
        let downvotes = fields.count(.downvotes)
        let commentCount = fields.count(.commentCount)
        let createdAt = fields.requiredTimestamp(.createdAt)
        return APIPost(id: id, title: title, content: content, url: fields.text(.url), upvotes: upvotes,
                       downvotes: downvotes, commentCount: commentCount, createdAt: createdAt, submolt: submolt,
                       author: author, flags: fields.flags)
    }

    /// The author object, or a bare name. When it is null (deleted agents) the record is flagged
    /// `.nullAuthor`, and keeps an agent with only the `author_id` if the API gave one. Shared with comments.
    static func postAuthor(_ fields: inout FieldReader) -> APIAgent? {
        switch fields.object.value(.author) {
        case let object as JSONObject:
            let parsed = agent(from: object)
            fields.absorb(parsed.flags)
            return parsed.agent
        case let name as String:
            return APIAgent(name: name)
        default:
            fields.flag(.nullAuthor)
            return fields.text(.authorId).map { APIAgent(id: $0) }
        }
    }

    /// `submolt` as an object or a bare name string (or a separate `submolt_name`).
    private static func postSubmolt(_ fields: inout FieldReader) -> APISubmolt? {
        switch fields.object.value(.submolt) {
        case let object as JSONObject:
            guard let parsed = submolt(from: object) else { return nil }
            fields.absorb(parsed.flags)
            return parsed.submolt
        case let name as String where !name.isEmpty:
            return APISubmolt(name: name)
        default:
            return fields.text(.submoltName).map { APISubmolt(name: $0) }
        }
    }

    /// Every post of a `posts` array, in order.
    static func posts(_ value: Any?, what: String = "`posts`") throws -> [APIPost] {
        guard let list = value as? [Any] else {
            throw ParseError("\(what) is \(jsonKind(value)), expected an array")
        }
        var posts: [APIPost] = []
        posts.reserveCapacity(list.count)
        for (index, item) in list.enumerated() {
            posts.append(try post(from: item, what: "post \(index) of \(what)"))
        }
        return posts
    }
}
