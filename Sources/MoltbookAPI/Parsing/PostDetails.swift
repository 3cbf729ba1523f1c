import Foundation

extension MoltbookParser {
    /// `/posts/{id}`: `{"success":true,"post":{...},"comments":[...]}`. `comments` is nil when the
    /// response does not embed them (era B/C: fetch `/posts/{id}/comments`).
    public static func postDetail(_ data: Data) throws -> PostDetail {
        try postDetail(object: try jsonValue(data))
    }

    /// The same from already-parsed JSON, so a capture line is parsed once.
    public static func postDetail(object value: Any) throws -> PostDetail {
        let object = try responseObject(value, holding: .post)
        guard let postValue = object.value(.post) else { throw ParseError("expected an object with `post`") }
        let parsedPost = try post(from: postValue, what: "`post`")
        // Some shapes nest the comments inside the post object.
        let embedded = object.value(.comments) ?? (postValue as? JSONObject)?.value(.comments)
        let flattened = try embedded.map { try comments($0, postId: parsedPost.id) }
        return PostDetail(post: parsedPost, comments: flattened)
    }
}
