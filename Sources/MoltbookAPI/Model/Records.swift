import Foundation
import MoltscopeCore

/// A timestamp as the API sent it, and its instant when it could be read.
/// The API sends 1 to 6 fractional digits, with `Z`, `+00:00`, or `+00` after a space.
public struct APITimestamp: Sendable, Equatable {
    public var raw: String?
    /// UTC ISO-8601 with microseconds, e.g. `2026-01-31T01:34:02.703333Z`; nil when unreadable.
    public var iso: String?

    public init(raw: String?, iso: String?) {
        self.raw = raw
        self.iso = iso
    }

    public var isUnreadable: Bool { raw != nil && iso == nil }
}

public struct APIAgent: Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var description: String?
    public var karma: Int?
    public var followerCount: Int?
    public var followingCount: Int?
    public var isClaimed: Bool?
    public var isActive: Bool?
    public var createdAt: APITimestamp?
    public var lastActive: APITimestamp?

    public init(id: String? = nil, name: String? = nil, description: String? = nil, karma: Int? = nil,
                followerCount: Int? = nil, followingCount: Int? = nil, isClaimed: Bool? = nil,
                isActive: Bool? = nil, createdAt: APITimestamp? = nil, lastActive: APITimestamp? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.karma = karma
        self.followerCount = followerCount
        self.followingCount = followingCount
        self.isClaimed = isClaimed
        self.isActive = isActive
        self.createdAt = createdAt
        self.lastActive = lastActive
    }
}

public struct APISubmolt: Sendable, Equatable {
    public var id: String?
    /// The key: the API sometimes sends only the bare name.
    public var name: String
    public var displayName: String?
    public var description: String?
    public var subscriberCount: Int?
    public var createdAt: APITimestamp?

    public init(id: String? = nil, name: String, displayName: String? = nil, description: String? = nil,
                subscriberCount: Int? = nil, createdAt: APITimestamp? = nil) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.description = description
        self.subscriberCount = subscriberCount
        self.createdAt = createdAt
    }
}

/// What is wrong with a record that is kept anyway.
public struct RecordFlags: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let nullAuthor = RecordFlags(rawValue: 1 << 0)
    public static let nullContent = RecordFlags(rawValue: 1 << 1)
    public static let badTimestamp = RecordFlags(rawValue: 1 << 2)
    public static let nullTitle = RecordFlags(rawValue: 1 << 3)
    public static let badCount = RecordFlags(rawValue: 1 << 4)

    /// Comma-separated names for the `flags` column; nil when clean.
    public var names: String? {
        var parts: [String] = []
        if contains(.nullAuthor) { parts.append("null_author") }
        if contains(.nullContent) { parts.append("null_content") }
        if contains(.badTimestamp) { parts.append("bad_timestamp") }
        if contains(.nullTitle) { parts.append("null_title") }
        if contains(.badCount) { parts.append("bad_count") }
        return parts.isEmpty ? nil : parts.joined(separator: ",")
    }
}

public struct APIPost: Sendable, Equatable {
    public var id: String
    public var title: String?
    public var content: String?
    public var url: String?
    public var upvotes: Int?
    public var downvotes: Int?
    public var commentCount: Int?
    public var createdAt: APITimestamp
    public var submolt: APISubmolt?
    public var author: APIAgent?
    public var flags: RecordFlags

    public init(id: String, title: String?, content: String?, url: String?, upvotes: Int?, downvotes: Int?,
                commentCount: Int?, createdAt: APITimestamp, submolt: APISubmolt?, author: APIAgent?,
                flags: RecordFlags) {
        self.id = id
        self.title = title
        self.content = content
        self.url = url
        self.upvotes = upvotes
        self.downvotes = downvotes
        self.commentCount = commentCount
        self.createdAt = createdAt
        self.submolt = submolt
        self.author = author
        self.flags = flags
    }
}

public struct APIComment: Sendable, Equatable {
    public var id: String
    public var postId: String
    public var parentId: String?
    /// 0 for a top-level comment; from the nesting of `replies`, or the parent chain of a flat list.
    public var depth: Int
    public var content: String?
    public var upvotes: Int?
    public var downvotes: Int?
    public var createdAt: APITimestamp
    public var author: APIAgent?
    public var flags: RecordFlags

    public init(id: String, postId: String, parentId: String?, depth: Int, content: String?, upvotes: Int?,
                downvotes: Int?, createdAt: APITimestamp, author: APIAgent?, flags: RecordFlags) {
        self.id = id
        self.postId = postId
        self.parentId = parentId
        self.depth = depth
        self.content = content
        self.upvotes = upvotes
        self.downvotes = downvotes
        self.createdAt = createdAt
        self.author = author
        self.flags = flags
    }
}

/// A page of `/posts`: offset pages (era A) or cursor pages (era B/C).
public struct PostPage: Sendable, Equatable {
    public var posts: [APIPost]
    public var hasMore: Bool
    public var nextOffset: Int?
    public var nextCursor: String?
    /// Site total, when the API says it.
    public var count: Int?

    public init(posts: [APIPost], hasMore: Bool, nextOffset: Int?, nextCursor: String?, count: Int?) {
        self.posts = posts
        self.hasMore = hasMore
        self.nextOffset = nextOffset
        self.nextCursor = nextCursor
        self.count = count
    }
}

/// `/posts/{id}`: the post, with its comment tree flattened in pre-order when it came embedded
/// (era A), nil when the comments must be fetched from `/posts/{id}/comments` (era B/C).
public struct PostDetail: Sendable, Equatable {
    public var post: APIPost
    public var comments: [APIComment]?

    public init(post: APIPost, comments: [APIComment]?) {
        self.post = post
        self.comments = comments
    }
}

public struct SubmoltPage: Sendable, Equatable {
    public var submolts: [APISubmolt]
    public var hasMore: Bool
    public var nextOffset: Int?
    public var count: Int?

    public init(submolts: [APISubmolt], hasMore: Bool, nextOffset: Int?, count: Int?) {
        self.submolts = submolts
        self.hasMore = hasMore
        self.nextOffset = nextOffset
        self.count = count
    }
}

/// The error body of either era: `{"success":false,"error","hint"}` or
/// `{"statusCode","message","error","timestamp","path"}`.
public struct APIErrorBody: Sendable, Equatable {
    public var message: String
    public var hint: String?
    public var retryAfterSeconds: Double?

    public init(message: String, hint: String?, retryAfterSeconds: Double?) {
        self.message = message
        self.hint = hint
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// A response body that is not what was asked for: not JSON, HTML, wrong shape.
public struct ParseError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    /// Reasons quote ids and endpoints from the body, which may hold line breaks or megabytes.
    public init(_ reason: String) { self.reason = MoltscopeError.oneLine(reason) }
    public var description: String { reason }
}
