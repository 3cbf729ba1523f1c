import Foundation
import GRDB
import MoltscopeCore
@testable import MoltscopeStages

/// A small society with planted answers for the report stage, written straight into the tables
/// of the stages before it. Vectors live in 4 dimensions; agents' profiles are the unit axes,
/// so every similarity is known:
/// - alpha (profile e0, karma 50): posts at hours 0, 5, 30, 31 with upvotes 1, 10, 3, 2. Its top
///   post is the second, so 2 of 4 posts come after it (shift ratio 0.5); before it writes along
///   e0 (similarity 1), after it halfway to e1 (0.7071): it moves away.
/// - beta (e1, karma 10): one post (shift ratio 0). gamma (e2, karma 3): two posts tied at 4
///   upvotes: the earlier is the top one. delta (e3) has karma 0: no incentive row. echo has
///   karma but no description: a shift ratio, no similarity.
/// - comments under conflictual and calm posts, after conflictual and calm first comments, and
///   replies to conflictual and calm comments, each with an emotion; one comment is unlabelled.
struct ReportSociety {
    struct Agent {
        var id: String
        var description: String?
        var karma: Int
        var profile: [Float]?
    }

    struct Document {
        var id: String
        var isPost: Bool
        var post: String
        var parent: String?     // parent comment
        var author: Int
        var hour: Double
        var upvotes: Int
        var vector: [Float]
        var conflict: Int?      // nil: unlabelled
        var emotion: String
    }

    static let model = "report-4"
    static let start: Int64 = 1_769_904_000   // 2026-02-01T00:00:00Z

    static func axis(_ i: Int) -> [Float] { (0..<4).map { $0 == i ? 1 : 0 } }
    static func halfway(_ i: Int, _ j: Int) -> [Float] { (0..<4).map { $0 == i || $0 == j ? Float(0.5).squareRoot() : 0 } }

    let agents: [Agent] = [
        Agent(id: "alpha", description: "I think about **memory** and identity.", karma: 50, profile: axis(0)),
        Agent(id: "beta", description: "Tools, APIs and integrations.", karma: 10, profile: axis(1)),
        Agent(id: "gamma", description: "Markets and trading.", karma: 3, profile: axis(2)),
        Agent(id: "delta", description: "Poems at dawn.", karma: 0, profile: axis(3)),
        Agent(id: "echo", description: nil, karma: 7, profile: nil),
    ]
    var documents: [Document] = []

    init() {
        func post(_ id: String, _ author: Int, _ hour: Double, _ upvotes: Int, _ vector: [Float], _ conflict: Int, _ emotion: String) {
            documents.append(Document(id: id, isPost: true, post: id, parent: nil, author: author, hour: hour, upvotes: upvotes,
                                      vector: vector, conflict: conflict, emotion: emotion))
        }
        func comment(_ id: String, _ post: String, _ parent: String?, _ author: Int, _ hour: Double, _ conflict: Int?, _ emotion: String) {
            let vector = author == 4 ? Self.axis(1) : Self.halfway(author, (author + 1) % 4)
            documents.append(Document(id: id, isPost: false, post: post, parent: parent, author: author, hour: hour, upvotes: 0,
                                      vector: vector, conflict: conflict, emotion: emotion))
        }
        post("p1", 0, 0, 1, Self.axis(0), 1, "anger")
        post("p2", 0, 5, 10, Self.axis(0), 0, "joy")
        post("p3", 0, 30, 3, Self.halfway(0, 1), 0, "neutral")
        post("p4", 0, 31, 2, Self.halfway(0, 1), 0, "neutral")
        post("p5", 1, 2, 5, Self.axis(1), 0, "neutral")
        post("p6", 2, 3, 4, Self.axis(2), 1, "anger")
        post("p7", 2, 26, 4, Self.axis(3), 0, "neutral")
        post("p8", 4, 4, 2, Self.axis(1), 0, "neutral")
        post("p9", 3, 6, 9, Self.axis(3), 0, "sadness")
        // Under the conflictual p1: a conflictual first comment, then 1 conflictual of 4.
        comment("c01", "p1", nil, 1, 1.0, 1, "anger")
        comment("c02", "p1", nil, 2, 1.1, 1, "anger")
        comment("c03", "p1", nil, 3, 1.2, 0, "neutral")
        comment("c04", "p1", nil, 1, 1.3, 0, "neutral")
        comment("c05", "p1", nil, 2, 1.4, 0, "joy")
        // Under the conflictual p6: a calm first comment.
        comment("c06", "p6", nil, 0, 3.5, 0, "neutral")
        comment("c07", "p6", nil, 1, 3.6, 1, "anger")
        comment("c08", "p6", nil, 3, 3.7, 0, "fear")
        // Under the calm p2.
        comment("c09", "p2", nil, 1, 6.0, 0, "joy")
        comment("c10", "p2", nil, 2, 6.1, 0, "joy")
        comment("c11", "p2", nil, 3, 6.2, 0, "neutral")
        comment("c12", "p2", nil, 1, 6.3, 0, "joy")
        comment("c13", "p2", nil, 2, 6.4, 1, "anger")
        comment("c14", "p2", nil, 3, 28.0, 0, "neutral")
        // Replies to comments.
        comment("c15", "p1", "c01", 0, 2.0, 1, "anger")
        comment("c16", "p1", "c02", 3, 2.1, 0, "sadness")
        comment("c17", "p1", "c03", 0, 32.0, 0, "neutral")
        comment("c18", "p2", "c09", 0, 33.0, 1, "joy")
        comment("c19", "p5", nil, 4, 7.0, nil, "neutral")   // not labelled
        comment("c20", "p5", nil, 0, 8.0, 0, "surprise")
    }

    static func iso(hour: Double) -> String { TimeBucket.iso(seconds: start + Int64(hour * 3600)) }

    static func hash(_ id: String) -> String { ContentHash("text of \(id)").hex }

    /// The hash under which the report stage looks up a profile: of the cleaned description.
    static func profileHash(_ description: String) -> String { ContentHash(TextNormalizer().normalize(description)).hex }

    func write(to path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for agent in agents {
                try db.execute(sql: """
                    INSERT INTO agents(id, name, description, karma, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, '2026-02-05T00:00:00Z', '2026-02-05T00:00:00Z')
                    """, arguments: [agent.id, agent.id.capitalized, agent.description, agent.karma])
                if let description = agent.description, let profile = agent.profile {
                    try db.execute(sql: """
                        INSERT INTO profile_vectors(model, content_hash, dim, vector, created_at) VALUES (?, ?, 4, ?, '2026-02-05T00:00:00Z')
                        """, arguments: [Self.model, Self.profileHash(description), Vectors.blob(profile)])
                }
            }
            for d in documents {
                let author = agents[d.author].id
                try db.execute(sql: """
                    INSERT INTO documents(id, kind, post_id, parent_id, author_id, author_name, submolt, created_at, text, language,
                                          length, original_length, truncated, content_hash, status)
                    VALUES (?, ?, ?, ?, ?, ?, 'general', ?, ?, 'en', 10, 10, 0, ?, 'kept')
                    """, arguments: [d.id, d.isPost ? "post" : "comment", d.post, d.parent, author, author.capitalized,
                                     Self.iso(hour: d.hour), "text of \(d.id)", Self.hash(d.id)])
                if d.isPost {
                    try db.execute(sql: """
                        INSERT INTO posts(id, title, content, upvotes, submolt, author_id, created_at, source, fetched_at)
                        VALUES (?, '', ?, ?, 'general', ?, ?, 'capture', '2026-02-05T00:00:00Z')
                        """, arguments: [d.id, "text of \(d.id)", d.upvotes, author, Self.iso(hour: d.hour)])
                }
                try db.execute(sql: """
                    INSERT INTO embeddings(model, content_hash, dim, vector, created_at) VALUES (?, ?, 4, ?, '2026-02-05T00:00:00Z')
                    """, arguments: [Self.model, Self.hash(d.id), Vectors.blob(d.vector)])
                if let conflict = d.conflict {
                    try db.execute(sql: """
                        INSERT INTO document_labels(labeller, model, version, document_id, topic, toxicity, conflict, emotion, valence,
                                                    confidence, label_run, labelled_at)
                        VALUES ('trained', 'synthetic', 'v1', ?, ?, ?, ?, ?, 0, 1, 1, '2026-02-05T00:00:00Z')
                        """, arguments: [d.id, d.isPost ? "D" : "C", conflict == 1 ? 2 : 0, conflict, d.emotion])
                }
            }
            try db.execute(sql: """
                INSERT INTO label_runs(id, run_id, labeller, model, version, status, settings, started_at)
                VALUES (1, 0, 'trained', 'synthetic', 'v1', 'completed', '{}', '2026-02-05T00:00:00Z');
                INSERT INTO label_topic_toxicity(labeller, model, version, kind, topic, toxicity, documents, share_of_topic, share_of_all) VALUES
                    ('trained', 'synthetic', 'v1', 'post', 'D', 0, 7, 0.7778, 0.7778),
                    ('trained', 'synthetic', 'v1', 'post', 'D', 2, 2, 0.2222, 0.2222);
                INSERT INTO label_harm_by_topic(labeller, model, version, kind, topic, topic_name, documents, safe_share, harmful,
                                                harmful_share, malicious_share, mean_toxicity, conflict_share, mean_valence) VALUES
                    ('trained', 'synthetic', 'v1', 'post', 'D', 'Economics', 9, 0.7778, 2, 0.2222, 0, 0.4444, 0.2222, 0);
                INSERT INTO label_topic_toxicity(labeller, model, version, kind, topic, toxicity, documents, share_of_topic, share_of_all) VALUES
                    ('zero-shot', 'synthetic', 'v1', 'post', 'A', 0, 9, 1, 1);
                INSERT INTO submolt_templates(submolt, posts, templates, template_share, mean_similarity, bic_gain, top_template, keywords) VALUES
                    ('general', 9, 2, 0.4, 0.8, 12.5, 1, 'memory, identity'),
                    ('quiet', 5, 1, 0.9, 0.95, 0, 0, 'dawn, poems');
                INSERT INTO submolt_template_centres(submolt, template_id, posts, share, near_share, mean_similarity, keywords, example_document_id) VALUES
                    ('general', 0, 5, 0.55, 0.2, 0.7, 'tools', 'p5'),
                    ('general', 1, 4, 0.45, 0.5, 0.9, 'memory, identity', 'p2'),
                    ('quiet', 0, 5, 1, 0.9, 0.95, 'dawn, poems', 'p9');
                INSERT INTO temporal_summary(measure, value, n, detail) VALUES ('reciprocity', 0.25, 12, ''), ('roles', 4, 5, '');
                """)
            for (day, posts) in [("2026-02-01T00:00:00Z", 7), ("2026-02-02T00:00:00Z", 2)] {
                try db.execute(sql: """
                    INSERT INTO temporal_series(bucket, start, posts, comments, documents, kept, labelled, active_agents, new_agents,
                                                new_submolts, harmful, harmful_share, post_harmful_share, conflict_share)
                    VALUES ('1d', ?, ?, 0, 0, 0, 0, 3, 0, 0, 0, 0.1, 0.2, 0.3)
                    """, arguments: [day, posts])
            }
        }
    }
}
