/// The kinds of request the API answers, named as a fault spec targets them
/// (`500@comments:every=2`): faults can hit one request type the crawler makes, not only
/// whichever requests happen to come Nth.
public enum ReplayRoute: String, Sendable, CaseIterable {
    /// `GET /posts` (listing pages).
    case posts
    /// `GET /posts/ID`.
    case post
    /// `GET /posts/ID/comments`.
    case comments
    /// `GET /submolts` (the submolt list).
    case submolts
    /// `GET /submolts/NAME`.
    case submolt
    /// `GET /submolts/NAME/feed`.
    case feed
    /// `GET /agents/profile`.
    case profile

    /// The route a request path asks for; nil for anything else (answered 404).
    public init?(path: String) {
        let prefix = ReplayRouter.prefix
        guard path.hasPrefix(prefix + "/") else { return nil }
        let parts = path.dropFirst(prefix.count).split(separator: "/")
        switch (parts.first, parts.count) {
        case ("posts", 1): self = .posts
        case ("posts", 2): self = .post
        case ("posts", 3) where parts[2] == "comments": self = .comments
        case ("submolts", 1): self = .submolts
        case ("submolts", 2): self = .submolt
        case ("submolts", 3) where parts[2] == "feed": self = .feed
        case ("agents", 2) where parts[1] == "profile": self = .profile
        default: return nil
        }
    }
}
