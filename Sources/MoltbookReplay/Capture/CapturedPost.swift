/// One post of the capture: the captured response's bytes (era A serves them verbatim) and the
/// few facts the listings sort and filter by.
struct CapturedPost: Sendable {
    let id: String
    /// The capture line; the ranges below point into it.
    let line: [UInt8]
    /// The API response body: `{"success":true,"post":{...},"comments":[...],"context":{...}}`.
    let bodyRange: Range<Int>
    /// The `post` object alone, which is how list pages show a post (without comments).
    let postRange: Range<Int>
    /// The `comments` tree, when the capture has one.
    let commentsRange: Range<Int>?
    /// The parsed `post` object, for the camelCase eras and derived shapes.
    let post: JSONValue
    /// Comments in the captured tree (declared `comment_count` may be larger).
    let commentTotal: Int
    let createdMicros: Int64
    let fetchedMicros: Int64

    var upvotes: Int { post["upvotes"]?.intValue ?? 0 }
    var downvotes: Int { post["downvotes"]?.intValue ?? 0 }
    var declaredCommentCount: Int { post["comment_count"]?.intValue ?? commentTotal }
    var submoltName: String? { post["submolt"]?["name"]?.stringValue ?? post["submolt"]?.stringValue }
    var authorName: String? { post["author"]?["name"]?.stringValue }

    var body: ArraySlice<UInt8> { line[bodyRange] }
    var rawPost: ArraySlice<UInt8> { line[postRange] }
    var rawComments: ArraySlice<UInt8> { commentsRange.map { line[$0] } ?? ArraySlice("[]".utf8) }

    /// The comment tree, parsed on demand (only the camelCase eras need it).
    func parsedComments() throws -> [JSONValue] {
        guard let commentsRange else { return [] }
        return try JSONParser.parse(line, range: commentsRange).arrayValue ?? []
    }
}
