import Foundation
import GRDB
import Logging
import MoltscopeCore
import MoltscopeNumerics
import MoltscopeTestSupport
import Testing
@testable import MoltscopeStages

/// The vector tables as rowid tables with a unique index: vectors stay in their table pages
/// instead of spilling into an overflow page each, and databases of the first shape (WITHOUT
/// ROWID) are moved over by a migration without losing a vector.
@Suite struct VectorCacheShapeTests {
    static let dimension = 384

    /// `count` unit-length rows of `dimension` floats, seeded.
    static func rows(_ count: Int, seed: UInt64 = 7) -> [(String, Int, Data)] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { index in
            let raw = (0..<dimension).map { _ in Float.random(in: -0.5..<0.5, using: &random) }
            let unit = Vectors.normalized(raw)!
            return (SHA256.hex(SHA256.digest("text \(index)")), dimension, Vectors.blob(unit))
        }
    }

    static func temporaryDatabase(_ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moltscope-vectors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    /// A database an earlier build made (only the embed stage's first migration) holding `rows`.
    static func firstShapeDatabase(_ name: String, rows: [(String, Int, Data)]) throws -> String {
        let path = try temporaryDatabase(name)
        let old = try ResultsStore(path: path, migrations: Array(EmbedSchema.migrations.prefix(1)))
        _ = try old.pool.write { db in try VectorCache.insert(db, model: "m", rows: rows) }
        let shape = try old.pool.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'embeddings'") }
        #expect(shape?.contains("WITHOUT ROWID") == true)
        return path
    }

    /// The store of this build on `path`, its log lines in `log`.
    static func open(_ path: String, log: LogLines) throws -> ResultsStore {
        try ResultsStore(path: path, migrations: EmbedSchema.migrations,
                         logger: Logger(label: "test") { _ in LogLines.Handler(lines: log) })
    }

    static func storedRows(_ store: ResultsStore) throws -> [String: Data] {
        try store.pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT content_hash, vector FROM embeddings WHERE model = 'm'")
                .map { ($0[0] as String, $0[1] as Data) })
        }
    }

    @Test func aDatabaseOfTheFirstShapeKeepsEveryVector() throws {
        let rows = Self.rows(300)
        let path = try Self.firstShapeDatabase("old.sqlite", rows: rows)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }

        let log = LogLines()
        let store = try Self.open(path, log: log)
        #expect(log.lines.contains { $0.hasPrefix("info updating the database") }, "the user hears why opening takes long: \(log.lines)")
        #expect(try Self.storedRows(store) == Dictionary(uniqueKeysWithValues: rows.map { ($0.0, $0.2) }))
        try store.pool.read { db in
            let shape = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'embeddings'") ?? ""
            #expect(!shape.contains("WITHOUT ROWID"), "\(shape)")
            #expect(try String.fetchOne(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE '%first_shape%'") == nil)
            // Lookups by (model, content hash) go through the unique index.
            let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT vector FROM embeddings WHERE model = 'm' AND content_hash = 'x'")
                .map { $0["detail"] as String }.joined(separator: "; ")
            #expect(plan.contains("embeddings_by_text"), "\(plan)")
        }
        // Still a cache: a text already stored is not stored twice.
        _ = try store.pool.write { db in try VectorCache.insert(db, model: "m", rows: Array(rows.prefix(10))) }
        #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM embeddings") } == rows.count)
        #expect(try store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test func aMoveStoppedPartWayIsFinishedByTheNextOpen() throws {
        let rows = Self.rows(300)
        let path = try Self.firstShapeDatabase("stopped.sqlite", rows: rows)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            // The migration committed, then two steps of the move, then the process died.
            let pool = try DatabasePool(path: path)
            try pool.write { db in
                try EmbedSchema.migrations[1].apply(db)
                try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('embed-v2')")
            }
            try VectorCache.moveFromFirstShape(pool, table: "embeddings", logger: nil, step: 64, maxSteps: 2)
            let counts = try pool.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM embeddings"),
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM embeddings_first_shape"))
            }
            #expect(counts.0 == 128 && counts.1 == 172, "\(counts)")
        }
        let log = LogLines()
        let store = try Self.open(path, log: log)
        #expect(log.lines.contains { $0.hasPrefix("info moving vectors") }, "\(log.lines)")
        #expect(try Self.storedRows(store) == Dictionary(uniqueKeysWithValues: rows.map { ($0.0, $0.2) }))
        let (leftOver, integrity) = try store.pool.read { db in
            (try db.tableExists("embeddings_first_shape"), try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(!leftOver && integrity == "ok")
    }

    @Test func aNewDatabaseSaysNothingAboutUpdating() throws {
        let path = try Self.temporaryDatabase("new.sqlite")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let log = LogLines()
        let store = try Self.open(path, log: log)
        #expect(log.lines.isEmpty, "\(log.lines)")
        let shape = try store.pool.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'embeddings'") }
        #expect(shape?.contains("WITHOUT ROWID") == false)
    }

    @Test func vectorsTakeLessThanHalfTheDiskOfTheFirstShape() throws {
        let path = try Self.temporaryDatabase("size.sqlite")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let rows = Self.rows(2_000)
        let queue = try DatabaseQueue(path: path)
        func pages(_ table: String) throws -> Int {
            try queue.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM dbstat WHERE name = ? OR name = ?", arguments: [table, "\(table)_by_text"]) ?? 0
            }
        }
        try queue.write { db in
            try db.execute(sql: VectorCache.createFirstShape("first"))
            try db.execute(sql: VectorCache.createTable("current"))
            _ = try VectorCache.insert(db, model: "m", rows: rows, table: "first")
            _ = try VectorCache.insert(db, model: "m", rows: rows, table: "current")
        }
        let first = try pages("first"), current = try pages("current")
        // ~4.5 KB a vector before (an overflow page each), ~2.2 KB now.
        #expect(current * 2 < first, "pages: \(current) now, \(first) in the first shape")
        #expect(current > 0)
    }
}
