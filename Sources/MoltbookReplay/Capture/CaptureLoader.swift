import MoltscopeCore

/// Reads a capture file (`{"endpoint":"/posts/ID","fetched_at":...,"status":200,"body":{...}}`
/// per line, .jsonl or .jsonl.gz) into posts. Lines that are not a successful post detail are
/// skipped; a post captured twice keeps its latest fetch.
enum CaptureLoader {
    static func load(path: String) throws -> CaptureIndex {
        let reader = try LineReader(path: path)
        var posts: [CapturedPost] = []
        var indexByID: [String: Int] = [:]
        var commenters: [CaptureIndex.CommenterSighting] = []
        while let data = try reader.nextLine() {
            if data.isEmpty { continue }
            let line = [UInt8](data)
            let post: CapturedPost?
            do {
                post = try readPost(line, commenters: &commenters)
            } catch {
                throw MoltscopeError(.input, "\(path) line \(reader.lineNumber) is not a capture record: \(error)",
                                     remedy: "check the file is a complete capture (.jsonl or .jsonl.gz)")
            }
            guard let post else { continue }
            if let existing = indexByID[post.id] {
                if post.fetchedMicros >= posts[existing].fetchedMicros { posts[existing] = post }
            } else {
                indexByID[post.id] = posts.count
                posts.append(post)
            }
        }
        guard !posts.isEmpty else {
            throw MoltscopeError(.input, "\(path) holds no post detail responses",
                                 remedy: "give a capture of /posts/ID responses")
        }
        return CaptureIndex(posts: posts, commenters: commenters)
    }

    /// One post from a capture line, or nil for a record that is not a successful post detail.
    static func readPost(_ line: [UInt8], commenters: inout [CaptureIndex.CommenterSighting]) throws -> CapturedPost? {
        let record = try JSONParser.memberRanges(of: line)
        guard let bodyRange = record["body"] else { return nil }
        if let statusRange = record["status"], try JSONParser.parse(line, range: statusRange).intValue != 200 {
            return nil
        }
        let body = try JSONParser.memberRanges(of: line, range: bodyRange)
        guard let postRange = body["post"] else { return nil }
        let post = try JSONParser.parse(line, range: postRange)
        guard let id = post["id"]?.stringValue else { return nil }
        let fetchedAt = try record["fetched_at"].map { try JSONParser.parse(line, range: $0) }?.stringValue
        let fetchedMicros = fetchedAt.flatMap(Timestamp.microseconds) ?? 0
        let commentsRange = body["comments"]
        var commentTotal = 0
        if let commentsRange {
            // Parsing the tree here validates it once (so serving it later cannot fail) and
            // is the only place commenters are seen.
            let tree = try JSONParser.parse(line, range: commentsRange)
            walk(tree.arrayValue ?? []) { comment in
                commentTotal += 1
                if let author = comment["author"], !author.isNull {
                    commenters.append(.init(author: author, createdAt: comment["created_at"]?.stringValue,
                                            fetchedMicros: fetchedMicros))
                }
            }
        }
        return CapturedPost(
            id: id, line: line, bodyRange: bodyRange, postRange: postRange, commentsRange: commentsRange,
            post: post, commentTotal: commentTotal,
            createdMicros: post["created_at"]?.stringValue.flatMap(Timestamp.microseconds) ?? 0,
            fetchedMicros: fetchedMicros)
    }

    /// Visits every comment of a tree in pre-order.
    static func walk(_ comments: [JSONValue], _ visit: (JSONValue) -> Void) {
        for comment in comments {
            visit(comment)
            walk(comment["replies"]?.arrayValue ?? [], visit)
        }
    }
}
