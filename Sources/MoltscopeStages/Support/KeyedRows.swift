import GRDB

/// Rows whose key is one of many values (`... IN (?, ?, ...)`), fetched in chunks that stay under
/// SQLite's limit on bound variables.
enum KeyedRows {
    static let chunkSize = 500

    /// `sql` gets the `?, ?, ...` list of one chunk; `leading` values are bound before the keys.
    static func fetch(_ db: Database, keys: [String], leading: [String] = [], sql: (String) -> String) throws -> [Row] {
        var rows: [Row] = []
        for start in stride(from: 0, to: keys.count, by: chunkSize) {
            let chunk = Array(keys[start..<min(start + chunkSize, keys.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            rows += try Row.fetchAll(db, sql: sql(marks), arguments: StatementArguments(leading + chunk))
        }
        return rows
    }
}
