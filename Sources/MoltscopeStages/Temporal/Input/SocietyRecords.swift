import Foundation
import GRDB
import MoltscopeCore

/// Every post and comment as the temporal stage needs it, loaded once into flat columns
/// (agents and submolts as small integers): who wrote what, when, under which parent, and
/// how it was labelled. Texts and vectors are streamed separately, never held.
struct SocietyRecords: Sendable {
    static let noLabel: Int8 = -1

    var ids: [String] = []
    var isPost: [Bool] = []
    var kept: [Bool] = []
    /// Index of the document's post (itself for a post).
    var post: [Int32] = []
    /// Index of the document a comment answers: its parent comment, else its post; -1 for posts.
    var parent: [Int32] = []
    /// Agent index, -1 when the author is unknown.
    var author: [Int32] = []
    var submolt: [Int32] = []
    /// Microseconds since 1970; nil when the time is missing or unreadable.
    var time: [Int64?] = []
    /// In an exact-duplicate group (the same text posted more than once).
    var duplicate: [Bool] = []
    /// Topic index 0-8 (A-I), toxicity 0-4, conflict 0/1; `noLabel` when unlabelled.
    var topic: [Int8] = []
    var toxicity: [Int8] = []
    var conflict: [Int8] = []
    /// Emotion index into `EmotionLabel.allCases`; `noLabel` when unlabelled.
    var emotion: [Int8] = []
    /// Upvotes of posts as the API reported them (0 for comments).
    var upvotes: [Int] = []
    /// Comments each post received over the whole period (0 for comments).
    var commentsReceived: [Int] = []

    var agentIds: [String] = []
    /// Index of each agent id in `agentIds`.
    var agentIndex: [String: Int32] = [:]
    var agentNames: [String?] = []
    var submoltNames: [String] = []
    /// When each submolt was created (micros): as the API says, else its first document.
    var submoltCreated: [Int64?] = []
    /// The labels read: labeller, model and version, or nil when there are none.
    var labels: LabellerIdentity?

    var count: Int { ids.count }

    static func load(from store: ResultsStore, labeller: String) async throws -> SocietyRecords {
        try await store.pool.read { db in
            var records = SocietyRecords()
            records.labels = try Row.fetchOne(db, sql: """
                SELECT labeller, model, version FROM label_runs WHERE labeller = ? AND status = 'completed'
                ORDER BY id DESC LIMIT 1
                """, arguments: [labeller]).map { LabellerIdentity(labeller: $0[0], model: $0[1], version: $0[2]) }

            var submoltIndex: [String: Int32] = [:]
            var documentIndex: [String: Int32] = [:]
            let identity = records.labels ?? LabellerIdentity(labeller: "", model: "", version: "")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT d.id, d.kind, d.author_id, d.author_name, d.submolt, d.created_at,
                       d.status = 'kept', d.exact_group IS NOT NULL, x.topic, x.toxicity, x.conflict,
                       CASE WHEN d.kind = 'post' THEN coalesce(p.upvotes, 0) ELSE 0 END, x.emotion
                FROM documents d
                LEFT JOIN document_labels x ON x.document_id = d.id AND x.labeller = ? AND x.model = ? AND x.version = ?
                LEFT JOIN posts p ON d.kind = 'post' AND p.id = d.id
                ORDER BY d.created_at IS NULL, d.created_at, d.id
                """, arguments: StatementArguments(identity.arguments))
            while let row = try rows.next() {
                let id: String = row[0]
                documentIndex[id] = Int32(records.ids.count)
                records.ids.append(id)
                records.isPost.append((row[1] as String) == "post")
                if let agent: String = row[2] {
                    if let index = records.agentIndex[agent] {
                        records.author.append(index)
                    } else {
                        let index = Int32(records.agentIds.count)
                        records.agentIndex[agent] = index
                        records.agentIds.append(agent)
                        records.agentNames.append(row[3])
                        records.author.append(index)
                    }
                } else {
                    records.author.append(-1)
                }
                if let name: String = row[4] {
                    records.submolt.append(submoltIndex[name] ?? {
                        let index = Int32(records.submoltNames.count)
                        submoltIndex[name] = index
                        records.submoltNames.append(name)
                        return index
                    }())
                } else {
                    records.submolt.append(-1)
                }
                records.time.append(UTCTime.micros(row[5]))
                records.kept.append(row[6])
                records.duplicate.append(row[7])
                let topic: String? = row[8]
                records.topic.append(topic.flatMap { TopicLabel(rawValue: $0) }.map { Int8(TopicLabel.allCases.firstIndex(of: $0)!) } ?? noLabel)
                records.toxicity.append((row[9] as Int?).map { Int8($0) } ?? noLabel)
                records.conflict.append((row[10] as Int?).map { Int8($0) } ?? noLabel)
                records.upvotes.append(max(0, row[11] as Int))
                let emotion: String? = row[12]
                records.emotion.append(emotion.flatMap { EmotionLabel(rawValue: $0) }
                    .flatMap { EmotionLabel.allCases.firstIndex(of: $0) }.map { Int8($0) } ?? noLabel)
            }
            // The links in a second pass over the same order (row i is record i, one snapshot), so
            // two more columns of id strings (~150 bytes a document) are never held beside the records.
            records.post.reserveCapacity(records.count)
            records.parent.reserveCapacity(records.count)
            let links = try Row.fetchCursor(db, sql: """
                SELECT d.post_id, d.parent_id FROM documents d ORDER BY d.created_at IS NULL, d.created_at, d.id
                """)
            let changed = MoltscopeError(.input, "the documents table changed while it was read", remedy: "run the stage again")
            while let row = try links.next() {
                guard records.post.count < records.count else { throw changed }
                let postId: String = row[0], parentId: String? = row[1]
                let post = documentIndex[postId] ?? -1
                records.post.append(post)
                // A comment answers its parent comment, else (parent unknown or not stored) its post.
                records.parent.append(records.isPost[records.parent.count] ? -1 : documentIndex[parentId ?? postId] ?? post)
            }
            guard records.post.count == records.count else { throw changed }
            records.commentsReceived = [Int](repeating: 0, count: records.count)
            for i in 0..<records.count where !records.isPost[i] && records.post[i] >= 0 {
                records.commentsReceived[Int(records.post[i])] += 1
            }
            // Submolts that exist but hold no document still count as created.
            let submolts = try Row.fetchCursor(db, sql: "SELECT name, created_at FROM submolts ORDER BY name")
            records.submoltCreated = Array(repeating: nil, count: records.submoltNames.count)
            while let row = try submolts.next() {
                let name: String = row[0]
                let created = UTCTime.micros(row[1])
                if let index = submoltIndex[name] {
                    records.submoltCreated[Int(index)] = created
                } else {
                    submoltIndex[name] = Int32(records.submoltNames.count)
                    records.submoltNames.append(name)
                    records.submoltCreated.append(created)
                }
            }
            // The API often leaves a submolt's creation time out: its first document stands in.
            for i in 0..<records.count {
                let submolt = Int(records.submolt[i])
                if submolt >= 0, records.submoltCreated[submolt] == nil, let time = records.time[i] {
                    records.submoltCreated[submolt] = time   // records are in time order: the first is the earliest
                }
            }
            return records
        }
    }
}
