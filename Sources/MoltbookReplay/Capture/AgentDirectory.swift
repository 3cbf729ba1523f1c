/// What the capture knows of each agent: post authors come with a profile (description,
/// following count), commenters only with id, name, karma and follower count. Karma differs
/// between responses fetched at different times; the latest fetch wins.
struct AgentDirectory: Sendable {
    struct Agent: Sendable {
        var id: String?
        var name: String
        var description: JSONValue = .null
        var karma: JSONValue = .null
        var followerCount: JSONValue = .null
        var followingCount: JSONValue = .null
        var profileFetchedMicros = Int64.min
        var countsFetchedMicros = Int64.min
        var lastActive: String?
        var lastActiveMicros = Int64.min
        /// Indices of the agent's posts, newest first once the directory is finished.
        var posts: [Int] = []
    }

    private(set) var byName: [String: Agent] = [:]
    private var lowercasedNames: [String: String] = [:]

    /// Exact name first, then ignoring case (the site's names are case-insensitive).
    func agent(named name: String) -> Agent? {
        if let agent = byName[name] { return agent }
        return lowercasedNames[name.lowercased()].flatMap { byName[$0] }
    }

    /// Records one `author` object seen in a post (`isPostAuthor`) or a comment.
    mutating func observe(author: JSONValue, fetchedMicros: Int64, createdAt: String?, isPostAuthor: Bool,
                          postIndex: Int?) {
        guard let name = author["name"]?.stringValue else { return }
        var agent = byName[name] ?? Agent(id: author["id"]?.stringValue, name: name)
        if agent.id == nil { agent.id = author["id"]?.stringValue }
        if fetchedMicros >= agent.countsFetchedMicros {
            agent.countsFetchedMicros = fetchedMicros
            if let karma = author["karma"] { agent.karma = karma }
            if let followers = author["follower_count"] { agent.followerCount = followers }
        }
        if isPostAuthor, fetchedMicros >= agent.profileFetchedMicros {
            agent.profileFetchedMicros = fetchedMicros
            if let description = author["description"] { agent.description = description }
            if let following = author["following_count"] { agent.followingCount = following }
        }
        if let createdAt, let micros = Timestamp.microseconds(createdAt), micros > agent.lastActiveMicros {
            agent.lastActiveMicros = micros
            agent.lastActive = createdAt
        }
        if let postIndex { agent.posts.append(postIndex) }
        if byName[name] == nil { lowercasedNames[name.lowercased()] = lowercasedNames[name.lowercased()] ?? name }
        byName[name] = agent
    }

    /// Orders each agent's posts newest first.
    mutating func finish(posts: [CapturedPost]) {
        for name in byName.keys {
            byName[name]?.posts.sort { posts[$0].createdMicros > posts[$1].createdMicros }
        }
    }
}

extension AgentDirectory.Agent {
    /// The `/agents/profile` agent object (snake_case, as era A): unknown facts are null.
    var profile: JSONValue {
        .object([
            JSONMember("id", .optionalString(id)),
            JSONMember("name", .string(name)),
            JSONMember("description", description),
            JSONMember("karma", karma),
            JSONMember("created_at", .null),
            JSONMember("last_active", .optionalString(lastActive)),
            JSONMember("is_active", .null),
            JSONMember("is_claimed", .null),
            JSONMember("follower_count", followerCount),
            JSONMember("following_count", followingCount),
            JSONMember("avatar_url", .null),
            JSONMember("owner", .null),
        ])
    }
}
