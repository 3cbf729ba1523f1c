import MoltscopeCore

/// What `moltscope synth` is asked to generate, validated.
public struct SynthSettings: Sendable {
    public var agents: Int
    public var posts: Int
    public var days: Int
    public var seed: UInt64
    public var commentsPerPost: Double

    /// The society needs room for its planted roles (floods, cascade, hubs, viral agents).
    public static let minimumAgents = 30
    public static let minimumPosts = 200

    public init(agents: Int, posts: Int, days: Int, seed: UInt64, commentsPerPost: Double = 3) throws {
        guard agents >= Self.minimumAgents else {
            throw MoltscopeError(.usage, "--agents \(agents) is too few; at least \(Self.minimumAgents) hold the planted roles")
        }
        guard posts >= Self.minimumPosts else {
            throw MoltscopeError(.usage, "--posts \(posts) is too few; at least \(Self.minimumPosts)")
        }
        guard (1...3650).contains(days) else { throw MoltscopeError(.usage, "--days \(days) is not in 1...3650") }
        guard commentsPerPost >= 0, commentsPerPost <= 100 else {
            throw MoltscopeError(.usage, "--comments-per-post \(commentsPerPost) is not in 0...100")
        }
        self.agents = agents
        self.posts = posts
        self.days = days
        self.seed = seed
        self.commentsPerPost = commentsPerPost
    }
}
