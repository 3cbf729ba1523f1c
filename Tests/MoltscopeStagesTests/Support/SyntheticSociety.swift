import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics
@testable import MoltscopeStages

/// A small agent society with planted structure, written straight into the clean, embed and
/// label stages' tables so the temporal stage can be checked against known truth:
/// - documents per agent follow a discrete power law (alpha 2.5, x_min 1);
/// - three hubs whose documents draw 30% of all replies;
/// - hourly volume rises and falls daily, and each document is harmful with a probability
///   that rises with its hour's planned volume (a volume-harm correlation);
/// - a meme ("crimson lattice protocol engaged") adopted by 30 agents in turn;
/// - one agent whose vectors turn from one direction to an orthogonal one after the first day;
/// - each day has words of its own, so n-gram births are known exactly.
struct SyntheticSociety {
    struct Document {
        var id: String
        var isPost: Bool
        var post: Int          // index of the post
        var parent: Int?       // index of the parent (comment or post) for comments
        var author: Int
        var time: Int64        // micros
        var text: String
        var harmful: Bool
        var upvotes: Int
        var depth: Int         // 0 for posts, 1 for answers to the post
    }

    static let start: Int64 = 1_769_904_000 * 1_000_000   // 2026-02-01T00:00:00Z
    static let hours = 96
    static let meme = "crimson lattice protocol engaged"
    static let memeAdopters = 30
    static let hubs = [0, 1, 2]
    static let drifter = 3
    static let model = "synthetic-8"
    static let dimensions = 8

    var agents: [String] = []
    var documents: [Document] = []
    /// Planned relative volume of each hour (what harm follows).
    var hourWeights: [Double] = []
    /// Agent of each meme adoption, in order.
    var memeAgents: [Int] = []
    var vectors: [[Float]] = []

    init(agents count: Int = 1500, seed: UInt64 = 7) {
        var random = SeededRandom(seed: seed)
        agents = (0..<count).map { String(format: "agent-%04d", $0) }
        hourWeights = (0..<Self.hours).map { 1 + 0.8 * sin(2 * Double.pi * Double($0) / 24) }

        // Documents per agent: hubs and the drifter 40 each, everyone else a power law.
        var slots: [Int] = []
        for agent in 0..<count {
            let k = agent <= Self.drifter ? 40 : Self.powerLaw(alpha: 2.5, cap: 400, random: &random)
            slots.append(contentsOf: repeatElement(agent, count: k))
        }
        // Times: an hour drawn by planned volume, uniform within it.
        let total = hourWeights.reduce(0, +)
        var timed: [(time: Int64, author: Int)] = slots.map { author in
            var pick = random.unit() * total, hour = 0
            while hour < Self.hours - 1, pick >= hourWeights[hour] { pick -= hourWeights[hour]; hour += 1 }
            let offset = Int64(random.unit() * 3_600_000_000)
            return (Self.start + Int64(hour) * 3_600_000_000 + offset, author)
        }
        timed.sort { ($0.time, $0.author) < ($1.time, $1.author) }

        var posts: [Int] = [], hubDocuments: [Int] = [], commentsOfPost: [Int: [Int]] = [:]
        for (time, author) in timed {
            let index = documents.count
            let hour = Int((time - Self.start) / 3_600_000_000)
            let harmProbability = 0.02 + 0.2 * (hourWeights[hour] - 0.2) / 1.6
            let harmful = random.unit() < harmProbability
            let day = hour / 24
            var words = (0..<10).map { _ in "w\(Int(random.unit() * 400))" }
            words.append("day\(day)word\(Int(random.unit() * 150))")
            words.append("day\(day)word\(Int(random.unit() * 150))")
            let id = String(format: "doc-%05d", index)
            if posts.isEmpty || random.unit() < 0.25 {
                documents.append(Document(id: id, isPost: true, post: index, parent: nil, author: author, time: time,
                                          text: words.joined(separator: " "), harmful: harmful,
                                          upvotes: Int(pow(random.unit(), 3) * 200), depth: 0))
                posts.append(index)
            } else {
                let roll = random.unit()
                var parent: Int
                if roll < 0.3, let hubDocument = hubDocuments.randomElement(using: &random), documents[hubDocument].author != author {
                    parent = hubDocument
                } else {
                    let post = posts[max(0, posts.count - 1 - Int(random.unit() * 50))]
                    parent = post
                    if roll > 0.75, let earlier = commentsOfPost[post]?.randomElement(using: &random) { parent = earlier }
                }
                let post = documents[parent].post
                documents.append(Document(id: id, isPost: false, post: post, parent: parent, author: author, time: time,
                                          text: words.joined(separator: " "), harmful: harmful, upvotes: 0,
                                          depth: documents[parent].depth + 1))
                commentsOfPost[post, default: []].append(index)
            }
            if Self.hubs.contains(author) { hubDocuments.append(index) }
        }

        // The meme: the first comment of each of 30 distinct ordinary agents after hour 10.
        var adopted = Set<Int>()
        for i in documents.indices where !documents[i].isPost && documents[i].time > Self.start + 10 * 3_600_000_000 {
            let author = documents[i].author
            guard author > Self.drifter, !adopted.contains(author), adopted.count < Self.memeAdopters else { continue }
            adopted.insert(author)
            memeAgents.append(author)
            documents[i].text += " " + Self.meme
        }

        // Vectors: each agent near a direction of its own; the drifter turns after day one.
        let directions: [[Float]] = agents.indices.map { _ in Self.unit((0..<Self.dimensions).map { _ in Float(random.gaussian()) }) }
        vectors = documents.map { document in
            var base = directions[document.author]
            if document.author == Self.drifter {
                base = [Float](repeating: 0, count: Self.dimensions)
                base[document.time < Self.start + 24 * 3_600_000_000 ? 0 : 1] = 1
            }
            return Self.unit(base.map { $0 + 0.1 * Float(random.gaussian()) })
        }
    }

    /// Inverse-transform sample of a discrete power law on 1...cap.
    static func powerLaw(alpha: Double, cap: Int, random: inout SeededRandom) -> Int {
        let weights = (1...cap).map { pow(Double($0), -alpha) }
        var pick = random.unit() * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            pick -= weight
            if pick < 0 { return index + 1 }
        }
        return cap
    }

    static func unit(_ v: [Float]) -> [Float] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }

    /// Writes the society as the clean, embed and toxicity-label stages would have.
    func write(to path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            let document = try db.makeStatement(sql: """
                INSERT INTO documents(id, kind, post_id, parent_id, author_id, author_name, submolt, created_at, text, language,
                                      length, original_length, truncated, content_hash, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'en', ?, ?, 0, ?, 'kept')
                """)
            let post = try db.makeStatement(sql: """
                INSERT INTO posts(id, title, content, upvotes, submolt, author_id, created_at, source, fetched_at)
                VALUES (?, '', ?, ?, ?, ?, ?, 'capture', '2026-02-05T00:00:00Z')
                """)
            let vector = try db.makeStatement(sql: """
                INSERT INTO embeddings(model, content_hash, dim, vector, created_at) VALUES (?, ?, ?, ?, '2026-02-05T00:00:00Z')
                """)
            let label = try db.makeStatement(sql: """
                INSERT INTO document_labels(labeller, model, version, document_id, topic, toxicity, conflict, emotion, valence,
                                            confidence, label_run, labelled_at)
                VALUES ('trained', 'synthetic', 'v1', ?, ?, ?, 0, 'neutral', 0, 1, 1, '2026-02-05T00:00:00Z')
                """)
            let topics = ["A", "B", "C", "D", "E", "F", "G", "H", "I"]
            for (index, d) in documents.enumerated() {
                let hash = SHA256.hex(SHA256.digest(d.id + d.text))
                let submolt = "sub\(d.author % 7)"
                let parentId = d.isPost || d.parent == d.post ? nil : documents[d.parent!].id
                try document.execute(arguments: [d.id, d.isPost ? "post" : "comment", documents[d.post].id, parentId,
                                                 agents[d.author], agents[d.author], submolt, TimeBucket.iso(micros: d.time), d.text,
                                                 d.text.count, d.text.count, hash])
                if d.isPost {
                    try post.execute(arguments: [d.id, d.text, d.upvotes, submolt, agents[d.author], TimeBucket.iso(micros: d.time)])
                }
                let blob = vectors[index].withUnsafeBufferPointer { Data(buffer: $0) }
                try vector.execute(arguments: [Self.model, hash, Self.dimensions, blob])
                try label.execute(arguments: [d.id, topics[index % 9], d.harmful ? 2 + index % 2 : 0])
            }
            try db.execute(sql: """
                INSERT INTO label_runs(id, run_id, labeller, model, version, status, settings, started_at)
                VALUES (1, 0, 'trained', 'synthetic', 'v1', 'completed', '{}', '2026-02-05T00:00:00Z')
                """)
        }
    }
}
