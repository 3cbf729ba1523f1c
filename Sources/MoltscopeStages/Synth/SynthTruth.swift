import Foundation

/// The planted ground truth written beside a synthetic capture (`<output>.truth.json`).
public struct SynthTruth: Codable, Sendable, Equatable {
    public struct Flood: Codable, Sendable, Equatable {
        public var agentId: String
        public var size: Int
        public var firstPostId: String
    }

    public struct Adopter: Codable, Sendable, Equatable {
        public var agentId: String
        public var firstPostId: String
        public var firstAt: String
    }

    public struct Cascade: Codable, Sendable, Equatable {
        public var phrase: String
        /// In order of adoption.
        public var adopters: [Adopter]
    }

    public struct Hubs: Codable, Sendable, Equatable {
        public var agentIds: [String]
        /// The share of comments the generator aims at, and the one it wrote.
        public var targetCommentShare: Double
        public var commentShare: Double
        public var comments: Int
    }

    public struct Viral: Codable, Sendable, Equatable {
        public var agentId: String
        public var postId: String
        public var upvotes: Int
        public var topicBefore: String
        public var topicAfter: String
        public var postsBefore: Int
        public var postsAfter: Int
    }

    public struct Toxicity: Codable, Sendable, Equatable {
        public var topic: String
        public var rate: Double
        public var documents: Int
        public var harmful: Int
    }

    public struct Counts: Codable, Sendable, Equatable {
        public var posts: Int
        public var comments: Int
        /// Agents that wrote at least one post or comment (those the crawl sees).
        public var agents: Int
        public var conflictComments: Int
    }

    public var seed: UInt64
    public var days: Int
    public var counts: Counts
    /// Agent id -> persona topic letter.
    public var personas: [String: String]
    public var floods: [Flood]
    public var cascade: Cascade
    public var hubs: Hubs
    public var viral: [Viral]
    public var toxicity: [Toxicity]

    public static func read(_ path: String) throws -> SynthTruth {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(SynthTruth.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func write(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]   // byte-identical for one seed
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }
}
