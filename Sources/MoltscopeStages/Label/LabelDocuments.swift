import Foundation
import GRDB
import MoltscopeCore

/// Kept documents in id order, a page at a time (keyset pagination: memory stays flat), with
/// what every labeller may need: text, content hash, submolt, copies, the post's title for a
/// comment, and the vector for the embedding model when there is one.
struct LabelDocuments: Sendable {
    struct Document: Sendable {
        var input: LabelInput
        var submolt: String?
        var copies: Int
        var vector: [Float]?
    }

    let store: ResultsStore
    let model: String
    let withVectors: Bool

    static func count(in store: ResultsStore) async throws -> Int {
        try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM documents WHERE status = 'kept'") ?? 0 }
    }

    /// The next page after `cursor` (empty at the end).
    func page(after cursor: String, size: Int) async throws -> [Document] {
        let model = self.model, withVectors = self.withVectors
        return try await store.pool.read { db in
            let vectorColumn = withVectors
                ? "(SELECT e.vector FROM embeddings e WHERE e.model = ? AND e.content_hash = d.content_hash)"
                : "NULL"
            let arguments: StatementArguments = withVectors ? [model, cursor, size] : [cursor, size]
            return try Row.fetchAll(db, sql: """
                SELECT d.id, d.kind, d.text, d.content_hash, d.submolt,
                       COALESCE((SELECT g.size FROM duplicate_groups g WHERE g.method = 'exact' AND g.group_id = d.exact_group), 1),
                       CASE WHEN d.kind = 'comment' THEN (SELECT p.title FROM posts p WHERE p.id = d.post_id) END,
                       \(vectorColumn)
                FROM documents d
                WHERE d.status = 'kept' AND d.id > ?
                ORDER BY d.id LIMIT ?
                """, arguments: arguments).map { row in
                let blob: Data? = row[7]
                return Document(input: LabelInput(id: row[0], kind: row[1], text: row[2], postTitle: row[6], contentHash: row[3]),
                                submolt: row[4], copies: row[5], vector: blob.map(Vectors.vector))
            }
        }
    }
}
