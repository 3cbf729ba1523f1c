import GRDB
import MoltscopeCore

/// The kept, dated documents' texts in time order, read from the store one row at a time:
/// the n-gram measures' input, never held whole.
enum PhraseStream {
    static func read(_ db: Database, _ body: (_ id: String, _ author: String?, _ time: Int64, _ text: String) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT id, author_id, created_at, text FROM documents
            WHERE status = 'kept' AND created_at IS NOT NULL ORDER BY created_at, id
            """)
        while let row = try rows.next() {
            guard let time = UTCTime.micros(row[2]) else { continue }
            try body(row[0], row[1], time, row[3])
        }
    }
}
