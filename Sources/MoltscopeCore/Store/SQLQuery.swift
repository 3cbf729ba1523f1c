import Foundation
import GRDB
import GRDBSQLite

/// Read-only SQL for users: `moltscope sql`. The connection is opened read-only and with
/// `query_only`, so no statement can change the results.
public struct SQLQuery {
    public enum Format: String, CaseIterable, Sendable { case table, csv, json }

    public struct Result: Sendable {
        public var columns: [String]
        public var rows: [[DatabaseValue]]
    }

    public static func run(_ sql: String, databasePath: String, maxRows: Int = 1_000_000) throws -> Result {
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw MoltscopeError(.usage, "no results database at \(databasePath)",
                                 remedy: "run `moltscope run` first or pass --db")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA query_only = 1")
            // ATTACH counts as read-only to SQLite, yet it creates files and opens others.
            sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_ATTACHED, 0)
        }
        do {
            let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
            return try queue.read { db in
                let statement = try db.makeStatement(sql: sql)
                guard statement.isReadonly, !ReadOnlyStatements.changesTheConnection(sql) else {
                    throw MoltscopeError(.usage, "moltscope sql only reads; this statement would change the database",
                                         remedy: "use SELECT (or WITH ... SELECT)")
                }
                let columns = statement.columnNames
                var rows: [[DatabaseValue]] = []
                let cursor = try Row.fetchCursor(statement)
                while let row = try cursor.next() {
                    rows.append(columns.indices.map { row[$0] as DatabaseValue })
                    if rows.count >= maxRows { break }
                }
                return Result(columns: columns, rows: rows)
            }
        } catch let error as MoltscopeError {
            throw error
        } catch let error as DatabaseError where (error.message ?? "").contains("too many attached databases") {
            throw MoltscopeError(.usage, "moltscope sql only reads the results database; ATTACH is not allowed",
                                 remedy: "open other databases in sqlite3")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_MISUSE
                    && (error.message ?? "").contains("Multiple statements") {
            throw MoltscopeError(.usage, "moltscope sql runs one statement at a time", remedy: "remove the ';' and what follows it")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
            throw MoltscopeError(.usage, "SQL error: \(error.message ?? "\(error)")",
                                 remedy: "list tables with: moltscope sql \"SELECT name FROM sqlite_master WHERE type='table'\"")
        } catch {
            throw StoreErrors.describe(error, path: databasePath, doing: "querying")
        }
    }
}

extension SQLQuery.Result {
    public func render(_ format: SQLQuery.Format) -> String {
        switch format {
        case .table: return renderTable()
        case .csv: return renderCSV()
        case .json: return renderJSON()
        }
    }

    private func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "NULL"
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .blob(let b): return "<blob \(b.count) bytes>"
        }
    }

    private func renderTable() -> String {
        let maxWidth = 60
        let cells = rows.map { row in row.map { cell -> String in
            let flat = text(cell).replacingOccurrences(of: "\n", with: " ")
            return flat.count > maxWidth ? String(flat.prefix(maxWidth - 1)) + "…" : flat
        } }
        var widths = columns.map(\.count)
        for row in cells { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ values: [String], numeric: [Bool]) -> String {
            values.enumerated().map { i, v in
                let pad = String(repeating: " ", count: widths[i] - v.count)
                return numeric[i] ? pad + v : v + pad
            }.joined(separator: "  ").replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        }
        let numeric = columns.indices.map { i in
            !rows.isEmpty && rows.allSatisfy { row in
                switch row[i].storage { case .int64, .double, .null: return true; default: return false }
            }
        }
        var out = [line(columns, numeric: numeric), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += cells.map { line($0, numeric: numeric) }
        out.append("(\(rows.count) row\(rows.count == 1 ? "" : "s"))")
        return out.joined(separator: "\n")
    }

    private func renderCSV() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = [columns.map(field).joined(separator: ",")]
        for row in rows {
            out.append(row.map { $0.isNull ? "" : field(text($0)) }.joined(separator: ","))
        }
        return out.joined(separator: "\n")
    }

    /// An array of objects with keys in column order (JSONSerialization would sort them).
    private func renderJSON() -> String {
        func quote(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let keys = columns.map(quote)
        let objects = rows.map { row in
            "{" + row.enumerated().map { i, value -> String in
                let json: String
                switch value.storage {
                case .null: json = "null"
                case .int64(let v): json = String(v)
                case .double(let v): json = v.isFinite ? String(v) : "null"
                case .string(let v): json = quote(v)
                case .blob(let v): json = quote(v.base64EncodedString())
                }
                return keys[i] + ":" + json
            }.joined(separator: ",") + "}"
        }
        return "[" + objects.joined(separator: ",\n") + "]"
    }
}
