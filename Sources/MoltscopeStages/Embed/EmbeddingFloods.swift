import Foundation
import GRDB
import MoltscopeCore

/// Flooding seen through embeddings (methods.md): an agent's documents that are near-duplicates
/// (cosine >= `threshold`) posted less than `gapSeconds` apart form one event. Each document is
/// compared with the agent's documents of the preceding `gapSeconds`, and linked pairs are
/// joined into events (union-find). Streams one agent at a time: memory is one agent's window.
struct EmbeddingFloods {
    let context: StageContext
    let model: String
    let threshold: Float
    let gapSeconds: Double

    private struct Document {
        var id: String
        var time: Double
        var iso: String
        var vector: [Float]
    }

    private struct Event {
        var authorId: String
        var members: [Document]
        var minCosine: Float
    }

    /// Recomputes the event tables and the comparison with shingle-based flooding, atomically.
    func run() async throws -> Int {
        let model = self.model
        let threshold = self.threshold
        let gap = self.gapSeconds
        do {
            return try await context.store.commit { db in
                try db.execute(sql: "DELETE FROM embedding_flood_members")
                try db.execute(sql: "DELETE FROM embedding_flood_events")
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT d.author_id, d.id, d.created_at, e.vector FROM documents d
                    JOIN embeddings e ON e.model = ? AND e.content_hash = d.content_hash
                    WHERE d.status = 'kept' AND d.author_id IS NOT NULL AND d.created_at IS NOT NULL
                    ORDER BY d.author_id, d.created_at, d.id
                    """, arguments: [model])
                var events = 0
                var author: String?
                var documents: [Document] = []
                func flush() throws {
                    guard let author, documents.count > 1 else { return }
                    for event in Self.events(of: documents, author: author, threshold: threshold, gap: gap) {
                        try Self.insert(db, event, model: model)
                        events += 1
                    }
                }
                while let row = try rows.next() {
                    let authorId: String = row[0]
                    if authorId != author {
                        try flush()
                        author = authorId
                        documents.removeAll(keepingCapacity: true)
                    }
                    let iso: String = row[2]
                    guard let time = Self.seconds(iso) else { continue }
                    documents.append(Document(id: row[1], time: time, iso: iso, vector: Vectors.vector(row[3])))
                }
                try flush()
                try Self.compare(db, model: model)
                return events
            }
        } catch {
            throw StoreErrors.describe(error, path: context.store.path, doing: "writing embedding floods to")
        }
    }

    private static func events(of documents: [Document], author: String, threshold: Float, gap: Double) -> [Event] {
        var parent = Array(documents.indices)
        var lowest = [Float](repeating: 1, count: documents.count)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        var windowStart = 0
        for j in documents.indices {
            while documents[j].time - documents[windowStart].time >= gap { windowStart += 1 }
            for i in windowStart..<j {
                let cosine = Vectors.cosine(documents[i].vector, documents[j].vector)
                guard cosine >= threshold else { continue }
                let (a, b) = (root(i), root(j))
                let minimum = min(lowest[a], lowest[b], cosine)
                if a != b { parent[b] = a }
                lowest[root(a)] = minimum
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in documents.indices { groups[root(i), default: []].append(i) }
        return groups.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { root, members in
            Event(authorId: author, members: members.map { documents[$0] }, minCosine: lowest[root])
        }
    }

    private static func insert(_ db: Database, _ event: Event, model: String) throws {
        let first = event.members.first!, last = event.members.last!
        try db.cachedStatement(sql: """
            INSERT INTO embedding_flood_events(model, author_id, documents, first_at, last_at, span_seconds, min_cosine)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [model, event.authorId, event.members.count, first.iso, last.iso,
                                     last.time - first.time, Double(event.minCosine)])
        let id = db.lastInsertedRowID
        let member = try db.cachedStatement(sql: "INSERT INTO embedding_flood_members(event_id, document_id) VALUES (?, ?)")
        for document in event.members { try member.execute(arguments: [id, document.id]) }
    }

    /// One row per method, and one for the documents both methods put in a flood.
    private static func compare(_ db: Database, model: String) throws {
        try db.execute(sql: "DELETE FROM flood_comparison")
        try db.execute(sql: """
            INSERT INTO flood_comparison(method, events, documents, agents, note)
            SELECT 'embedding', count(*), coalesce(sum(documents), 0), count(DISTINCT author_id),
                   'cosine >= threshold, sub-gap, model ' || ? FROM embedding_flood_events
            """, arguments: [model])
        try db.execute(sql: """
            INSERT INTO flood_comparison(method, events, documents, agents, note)
            SELECT 'shingle', count(*), coalesce(sum(documents), 0), count(DISTINCT author_id),
                   'MinHash near-duplicate groups (clean stage)' FROM flood_events
            """)
        try db.execute(sql: """
            WITH embedded AS (SELECT DISTINCT document_id FROM embedding_flood_members),
                 shingled AS (SELECT id AS document_id FROM documents WHERE flood_event IS NOT NULL),
                 both_ AS (SELECT document_id FROM embedded INTERSECT SELECT document_id FROM shingled),
                 either AS (SELECT document_id FROM embedded UNION SELECT document_id FROM shingled)
            INSERT INTO flood_comparison(method, events, documents, agents, note)
            SELECT 'both', 0, (SELECT count(*) FROM both_), 0,
                   'documents flagged by both methods; Jaccard of the two document sets = ' ||
                   printf('%.3f', CASE WHEN (SELECT count(*) FROM either) = 0 THEN 1.0
                                       ELSE (SELECT count(*) FROM both_) * 1.0 / (SELECT count(*) FROM either) END)
            """)
    }

    /// Seconds since 1970 of a stored UTC timestamp (the clean stage's reader).
    static func seconds(_ iso: String) -> Double? { UTCTime.micros(iso).map { Double($0) / 1_000_000 } }
}
