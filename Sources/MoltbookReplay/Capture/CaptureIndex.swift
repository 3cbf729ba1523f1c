import MoltscopeCore

/// The whole capture in memory, ready to serve: each post's captured bytes plus the orders,
/// submolts and agents the listing routes need. Built once; read by every connection thread.
final class CaptureIndex: Sendable {
    let posts: [CapturedPost]
    let postIndexByID: [String: Int]
    let orders: [PostSort: [Int]]
    let submolts: SubmoltDirectory
    let agents: AgentDirectory

    /// A comment's author as one captured response showed it.
    struct CommenterSighting: Sendable {
        let author: JSONValue
        let createdAt: String?
        let fetchedMicros: Int64
    }

    init(posts: [CapturedPost], commenters: [CommenterSighting]) {
        self.posts = posts
        var byID: [String: Int] = [:]
        for (index, post) in posts.enumerated() { byID[post.id] = index }
        postIndexByID = byID
        var orders: [PostSort: [Int]] = [:]
        for sort in PostSort.allCases { orders[sort] = sort.order(of: posts) }
        self.orders = orders

        var submolts = SubmoltDirectory()
        var agents = AgentDirectory()
        for (index, post) in posts.enumerated() {
            if let submolt = post.post["submolt"] { submolts.observe(submolt: submolt, postIndex: index) }
            if let author = post.post["author"] {
                agents.observe(author: author, fetchedMicros: post.fetchedMicros,
                               createdAt: post.post["created_at"]?.stringValue, isPostAuthor: true, postIndex: index)
            }
        }
        for sighting in commenters {
            agents.observe(author: sighting.author, fetchedMicros: sighting.fetchedMicros,
                           createdAt: sighting.createdAt, isPostAuthor: false, postIndex: nil)
        }
        submolts.finish(posts: posts)
        agents.finish(posts: posts)
        self.submolts = submolts
        self.agents = agents
    }

    func post(id: String) -> CapturedPost? {
        postIndexByID[id].map { posts[$0] }
    }

    func order(_ sort: PostSort) -> [Int] {
        orders[sort] ?? []
    }
}
