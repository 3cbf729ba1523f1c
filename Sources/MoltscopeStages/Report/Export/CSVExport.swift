import Foundation
import GRDB

/// One table as an RFC 4180 CSV file: a header of column names, every row, fields quoted when
/// they hold a comma, quote or line break; NULL as an empty field; reals in their shortest exact form.
enum CSVExport {
    static func write(_ db: Database, table: String, to url: URL) throws -> Int {
        var out = AtomicFile.Buffer()
        let statement = try db.makeStatement(sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)")
        out.append(statement.columnNames.map(field).joined(separator: ",") + "\r\n")
        let rows = try Row.fetchCursor(statement)
        var count = 0
        while let row = try rows.next() {
            out.append(row.databaseValues.map(text).joined(separator: ",") + "\r\n")
            count += 1
        }
        try AtomicFile.write(out.data, to: url)
        return count
    }

    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return ""
        case .int64(let i): return String(i)
        case .double(let d): return d.isFinite ? "\(d)" : ""
        case .string(let s): return field(s)
        case .blob(let b): return b.base64EncodedString()
        }
    }

    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Files written whole or not at all: to a temporary name beside the target, then renamed, so
/// a full disk or a killed run never leaves a half-written report in place of the last good one.
enum AtomicFile {
    struct Buffer {
        var data = Data()
        mutating func append(_ text: String) { data.append(contentsOf: Array(text.utf8)) }
    }

    static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        do {
            try data.write(to: temporary)
            // rename(2) replaces the target atomically (Foundation's replaceItemAt fails on Linux).
            guard rename(temporary.path, url.path) == 0 else {
                throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// The system's words for a file error ("No space left on device"), not Foundation's dump.
    static func reason(_ error: any Error) -> String {
        var error = error as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError { error = underlying }
        // Foundation reports ENOSPC as "The operation could not be completed. There isn't enough space."
        if error.domain == NSCocoaErrorDomain && error.code == CocoaError.fileWriteOutOfSpace.rawValue { return "disk full" }
        if error.domain == NSPOSIXErrorDomain, let text = strerror(Int32(error.code)) { return String(cString: text) }
        return error.localizedDescription
    }
}
