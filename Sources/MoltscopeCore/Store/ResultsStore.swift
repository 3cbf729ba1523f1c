import CSQLiteConfig
import Foundation
import GRDB
import Logging

/// The results database: one SQLite file in WAL mode, so readers (`moltscope sql`, any SQLite
/// client) can query while a run writes. Every table a stage owns is created by its migrations.
public final class ResultsStore: Sendable {
    public let path: String
    public let pool: DatabasePool

    /// Opens (creating if needed) the database for writing and applies all migrations; `logger`
    /// hears when a database made by an earlier build is brought up to date (which can take
    /// minutes on a large one).
    public init(path: String, migrations: [StoreMigration], logger: Logger? = nil) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 16 MB page cache (the default is 2 MB): bulk writers stop re-reading evicted index
            // pages; a fixed cost, not one that grows with the data.
            try db.execute(sql: "PRAGMA cache_size = -16384")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // A readers-friendly end: see close().
            _ = moltscope_sqlite3_no_checkpoint_on_close(db.sqliteConnection)
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            throw MoltscopeError(.database, "the folder of database \(path) does not exist",
                                 remedy: "create it or choose another --db")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let all = EngineSchema.migrations + migrations
            var migrator = DatabaseMigrator()
            for migration in all {
                migrator.registerMigration(migration.identifier, migrate: migration.apply)
            }
            if let logger {
                let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
                let pending = migrator.migrations.filter { !applied.contains($0) }
                if !applied.isEmpty && !pending.isEmpty {
                    logger.info("updating the database to this version of moltscope (once; minutes on a large one)",
                                metadata: ["database": .string(path), "changes": .string(pending.joined(separator: ","))])
                }
            }
            try migrator.migrate(pool)
            // Work a migration left to do in steps of their own (each commits), resumed here
            // after a kill; a no-op once done.
            for migration in all {
                try migration.followUp?(pool, logger)
            }
        } catch {
            throw StoreErrors.describe(error, path: path, doing: "opening")
        }
    }

    /// Ends this process's use of the database without locking readers out. SQLite's own close
    /// checkpoints the WAL under an EXCLUSIVE lock on the file, during which every reader that
    /// opens (`sqlite3`, a notebook) fails with "database is locked" unless it set a busy timeout;
    /// so connections skip that (see `prepareDatabase`) and this copies the WAL into the file
    /// with a TRUNCATE checkpoint, which readers go on reading through. If a reader keeps an old
    /// snapshot open past a short wait, the rest stays in the WAL for the next open: nothing is lost.
    public func close() {
        pool.writeWithoutTransaction { db in
            sqlite3_busy_timeout(db.sqliteConnection, 500)
            _ = try? db.checkpoint(.truncate)
        }
        try? pool.close()
    }
}

/// A named schema change, applied once per database.
public struct StoreMigration: Sendable {
    public typealias FollowUp = @Sendable (DatabasePool, Logger?) throws -> Void

    public let identifier: String
    public let apply: @Sendable (Database) throws -> Void
    /// Run at every open after the migrations, outside their transaction: for work too big for
    /// one transaction (copying gigabytes would need their size again in the WAL), done in
    /// committed steps that a later open resumes. Must be cheap when there is nothing to do.
    public let followUp: FollowUp?

    public init(_ identifier: String, followUp: FollowUp? = nil, _ apply: @escaping @Sendable (Database) throws -> Void) {
        self.identifier = identifier
        self.followUp = followUp
        self.apply = apply
    }
}

/// Turns SQLite failures into one-line errors that say what to do.
public enum StoreErrors {
    static func diskFull(path: String, doing action: String) -> MoltscopeError {
        MoltscopeError(.database, "disk full while \(action) \(path)",
                       remedy: "free space on that disk, or move the database to a disk with room and pass its new path with --db, then run again; committed work is kept and the run resumes")
    }

    /// A SQLite failure as one line naming the database; any other error as it is.
    public static func describeIfDatabase(_ error: any Error, path: String, doing action: String) -> any Error {
        error is DatabaseError ? describe(error, path: path, doing: action) : error
    }

    public static func describe(_ error: any Error, path: String, doing action: String) -> MoltscopeError {
        if let error = error as? MoltscopeError { return error }
        guard let dbError = error as? DatabaseError else {
            return MoltscopeError(.database, "\(action) \(path): \(error)")
        }
        let message = dbError.message ?? "\(dbError.resultCode)"
        switch dbError.resultCode {
        case .SQLITE_FULL:
            return diskFull(path: path, doing: action)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return MoltscopeError(.database, "database \(path) is locked by another process",
                                  remedy: "wait for the other moltscope run or close the program holding it")
        case .SQLITE_READONLY:
            return MoltscopeError(.database, "database \(path) is read-only", remedy: "check file permissions")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return MoltscopeError(.database, "\(path) is not a moltscope SQLite database (\(message))",
                                  remedy: "choose another --db")
        case .SQLITE_CANTOPEN:
            return MoltscopeError(.database, "cannot open database \(path)", remedy: "check the path and permissions")
        case .SQLITE_IOERR:
            // A full disk often surfaces as an I/O error (a WAL or journal write that failed with
            // ENOSPC): say so when the database's disk has (almost) no room left.
            if DiskSpace.isNearlyFull(folderOf: path) { return diskFull(path: path, doing: action) }
            return MoltscopeError(.database, "I/O error while \(action) \(path): \(message)",
                                  remedy: "check the disk; committed work is kept")
        default:
            return MoltscopeError(.database, "\(action) \(path): \(message)")
        }
    }
}

public enum Clock {
    /// Now as UTC ISO-8601 with milliseconds: the format of every time column the engine writes.
    public static func now() -> String { iso(Date()) }

    /// `2026-01-31T01:34:02.703Z`. Formatted by hand: ISO8601DateFormatter goes through ICU and
    /// cost a tenth of the crawl's CPU time, called once per stored response.
    public static func iso(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds % 1000), 3))Z"
    }
}
