import Foundation
import GRDB
import MoltscopeCore
import Testing

/// Checks on a database a failed or interrupted run left behind.
enum DatabaseChecks {
    /// `PRAGMA integrity_check` after opening the file as a client would (which replays the WAL).
    static func integrity(_ path: String) throws -> String {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
        }
    }

    /// How many of `table`'s rows in `path` differ from, or are missing in, the same table of
    /// `reference` (compared on the content columns TestEnvironment.contentQueries lists).
    static func rowsDifferingFromReference(_ path: String, reference: String, table: String, key: String) throws -> Int {
        let sql = try #require(TestEnvironment.contentQueries[table])
        let mine = try keyedRows(path, sql, key: key)
        let theirs = try keyedRows(reference, sql, key: key)
        return mine.filter { theirs[$0.key] != $0.value }.count
    }

    private static func keyedRows(_ path: String, _ sql: String, key: String) throws -> [String: String] {
        try DatabaseQueue(path: path).read { db in
            var rows: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: sql) {
                let id: String = row[key] ?? ""
                rows[id] = row.databaseValues.map { "\($0)" }.joined(separator: "|")
            }
            return rows
        }
    }
}

extension DatabaseChecks {
    /// A digest of every row `sql` returns, in order.
    static func digest(_ path: String, _ sql: String) throws -> String {
        try DatabaseQueue(path: path).read { db in
            var hasher = SHA256Hasher()
            for row in try Row.fetchAll(db, sql: sql) {
                for value in row.databaseValues { hasher.update("\(value)|") }
                hasher.update("\n")
            }
            return hasher.finalize().map { String(format: "%02x", $0) }.joined()
        }
    }
}
