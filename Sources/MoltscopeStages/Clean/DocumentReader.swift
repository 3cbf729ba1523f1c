import GRDB
import MoltscopeCore

/// A post or comment as stored by the crawl, with its text cut to a prefix by SQLite (so a
/// multi-megabyte text is never read whole) and its full length.
struct RawDocument: Sendable {
    enum Kind: UInt8, Sendable {
        case post = 0
        case comment = 1

        var name: String { self == .post ? "post" : "comment" }
    }

    var kind: Kind
    var id: String
    var postId: String
    var parentId: String?
    var authorId: String?
    var authorName: String?
    var submolt: String?
    var createdAt: String?
    /// Posts only.
    var title: String?
    /// The content (a prefix of it when `contentLength` is larger).
    var content: String?
    /// Characters of the whole content, as SQLite counts them.
    var contentLength: Int
    /// Posts only.
    var url: String?
}

/// Reads posts, then comments, in rowid order, one batch per read, from a snapshot of the
/// database taken when the stage starts (so every batch sees the same crawl).
struct DocumentReader: Sendable {
    enum Position: Sendable, Equatable {
        case posts(after: Int64)
        case comments(after: Int64)
        case done
    }

    let snapshot: DatabaseSnapshot
    let prefixChars: Int
    let batchSize: Int

    func total() async throws -> Int {
        try await snapshot.read { db in
            (try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM comments)")) ?? 0
        }
    }

    /// The next batch and the position after it; an empty batch only at `.done`.
    func batch(at position: Position) async throws -> (documents: [RawDocument], next: Position) {
        var position = position
        while true {
            switch position {
            case .done:
                return ([], .done)
            case .posts(let after):
                let (documents, last) = try await posts(after: after)
                if documents.isEmpty {
                    position = .comments(after: 0)
                    continue
                }
                return (documents, .posts(after: last))
            case .comments(let after):
                let (documents, last) = try await comments(after: after)
                if documents.isEmpty { return ([], .done) }
                return (documents, .comments(after: last))
            }
        }
    }

    private var contentColumn: String {
        prefixChars > 0 ? "substr(content, 1, \(prefixChars))" : "content"
    }

    private func posts(after: Int64) async throws -> ([RawDocument], Int64) {
        let sql = """
            SELECT rowid, id, title, \(contentColumn), coalesce(length(content), 0), url, created_at, submolt,
                   author_id, author_name
            FROM posts WHERE rowid > ? ORDER BY rowid LIMIT ?
            """
        let limit = batchSize
        return try await snapshot.read { db in
            var documents: [RawDocument] = []
            var last = after
            let rows = try Row.fetchCursor(db, sql: sql, arguments: [after, limit])
            while let row = try rows.next() {
                last = row[0]
                let id: String = row[1]
                documents.append(RawDocument(
                    kind: .post, id: id, postId: id, parentId: nil, authorId: row[8], authorName: row[9],
                    submolt: row[7], createdAt: row[6], title: row[2], content: row[3], contentLength: row[4],
                    url: row[5]))
            }
            return (documents, last)
        }
    }

    private func comments(after: Int64) async throws -> ([RawDocument], Int64) {
        let sql = """
            SELECT c.rowid, c.id, c.post_id, c.parent_id, \(prefixChars > 0 ? "substr(c.content, 1, \(prefixChars))" : "c.content"),
                   coalesce(length(c.content), 0), c.created_at, p.submolt, c.author_id, c.author_name
            FROM comments c LEFT JOIN posts p ON p.id = c.post_id
            WHERE c.rowid > ? ORDER BY c.rowid LIMIT ?
            """
        let limit = batchSize
        return try await snapshot.read { db in
            var documents: [RawDocument] = []
            var last = after
            let rows = try Row.fetchCursor(db, sql: sql, arguments: [after, limit])
            while let row = try rows.next() {
                last = row[0]
                documents.append(RawDocument(
                    kind: .comment, id: row[1], postId: row[2], parentId: row[3], authorId: row[8], authorName: row[9],
                    submolt: row[7], createdAt: row[6], title: nil, content: row[4], contentLength: row[5], url: nil))
            }
            return (documents, last)
        }
    }
}
