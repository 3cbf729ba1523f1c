import Foundation

/// The orders of `GET /posts?sort=`.
enum PostSort: String, Sendable, CaseIterable {
    case new, hot, top, rising

    /// The real site's default is the front page's order.
    static let `default` = PostSort.hot

    init(query: String?) {
        self = query.flatMap { PostSort(rawValue: $0.lowercased()) } ?? .default
    }

    /// Indices of `posts` in this order. `rising` lists only posts that have comments.
    func order(of posts: [CapturedPost]) -> [Int] {
        let newest: (Int, Int) -> Bool = { a, b in
            let (pa, pb) = (posts[a], posts[b])
            if pa.createdMicros != pb.createdMicros { return pa.createdMicros > pb.createdMicros }
            return pa.id < pb.id
        }
        var indices = Array(posts.indices)
        switch self {
        case .new:
            indices.sort(by: newest)
        case .top:
            indices.sort { a, b in
                posts[a].upvotes != posts[b].upvotes ? posts[a].upvotes > posts[b].upvotes : newest(a, b)
            }
        case .hot:
            let scores = posts.map(Self.hotScore)
            indices.sort { a, b in scores[a] != scores[b] ? scores[a] > scores[b] : newest(a, b) }
        case .rising:
            indices = indices.filter { posts[$0].declaredCommentCount > 0 || posts[$0].commentTotal > 0 }
            indices.sort(by: newest)
        }
        return indices
    }

    /// Reddit's hot ranking: the vote margin counts logarithmically, and every 12.5 hours of
    /// age weighs as much as a tenfold margin.
    private static func hotScore(_ post: CapturedPost) -> Double {
        let margin = post.upvotes - post.downvotes
        let magnitude = log10(Double(max(abs(margin), 1)))
        let sign: Double = margin > 0 ? 1 : (margin < 0 ? -1 : 0)
        return sign * magnitude + Double(post.createdMicros) / 1_000_000 / 45_000
    }
}
