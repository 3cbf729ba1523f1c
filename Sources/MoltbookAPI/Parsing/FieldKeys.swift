/// A response key in both spellings the API has used: snake_case (era A) and camelCase (era B/C).
struct FieldKey: Sendable {
    let snake: String
    let camel: String

    /// `snake` is the snake_case spelling; the camelCase one is derived once, here.
    init(_ snake: String) {
        self.snake = snake
        var camel = ""
        var upperNext = false
        for character in snake {
            if character == "_" {
                upperNext = true
            } else {
                camel += upperNext ? character.uppercased() : String(character)
                upperNext = false
            }
        }
        self.camel = camel
    }
}

/// Every key the parser reads. Static lets: the camelCase spelling is computed once per process.
extension FieldKey {
    static let id = FieldKey("id")
    static let success = FieldKey("success")

    // Posts and comments.
    static let post = FieldKey("post")
    static let posts = FieldKey("posts")
    static let comments = FieldKey("comments")
    static let replies = FieldKey("replies")
    static let title = FieldKey("title")
    static let content = FieldKey("content")
    static let url = FieldKey("url")
    static let upvotes = FieldKey("upvotes")
    static let downvotes = FieldKey("downvotes")
    static let commentCount = FieldKey("comment_count")
    static let createdAt = FieldKey("created_at")
    static let parentId = FieldKey("parent_id")
    static let author = FieldKey("author")
    static let authorId = FieldKey("author_id")

    // Agents.
    static let agent = FieldKey("agent")
    static let name = FieldKey("name")
    static let description = FieldKey("description")
    static let karma = FieldKey("karma")
    static let followerCount = FieldKey("follower_count")
    static let followingCount = FieldKey("following_count")
    static let isClaimed = FieldKey("is_claimed")
    static let isActive = FieldKey("is_active")
    static let lastActive = FieldKey("last_active")

    // Submolts.
    static let submolt = FieldKey("submolt")
    static let submolts = FieldKey("submolts")
    static let submoltName = FieldKey("submolt_name")
    static let displayName = FieldKey("display_name")
    static let subscriberCount = FieldKey("subscriber_count")

    // Pages.
    static let hasMore = FieldKey("has_more")
    static let nextOffset = FieldKey("next_offset")
    static let nextCursor = FieldKey("next_cursor")
    static let count = FieldKey("count")

    // Errors.
    static let error = FieldKey("error")
    static let message = FieldKey("message")
    static let hint = FieldKey("hint")
    static let statusCode = FieldKey("status_code")
    static let retryAfterSeconds = FieldKey("retry_after_seconds")
    static let retryAfterMinutes = FieldKey("retry_after_minutes")
    static let retryAfter = FieldKey("retry_after")

    // Capture lines.
    static let endpoint = FieldKey("endpoint")
    static let fetchedAt = FieldKey("fetched_at")
    static let status = FieldKey("status")
    static let body = FieldKey("body")
}
