import Foundation
import GRDB
import Logging
import MoltscopeCore

/// Vectors as the database keeps them: L2-normalized, little-endian float32 blobs.
enum Vectors {
    /// Scales to unit length; nil for a zero or non-finite vector, which no server should send.
    static func normalized(_ vector: [Float]) -> [Float]? {
        var sum: Double = 0
        for value in vector {
            guard value.isFinite else { return nil }
            sum += Double(value) * Double(value)
        }
        guard sum > 0 else { return nil }
        let scale = Float(1 / sum.squareRoot())
        return vector.map { $0 * scale }
    }

    static func blob(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector {
            var bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func vector(_ blob: Data) -> [Float] {
        let count = blob.count / 4
        return blob.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    /// Dot product of two unit vectors: their cosine similarity.
    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "vectors of different dimensions")
        var sum: Float = 0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }
}

/// The `embeddings` table (or another of its shape) as a cache of (model, content hash) -> unit vector.
enum VectorCache {
    /// The shape of every vector cache table: one L2-normalized little-endian float32 vector per
    /// (model, text). A rowid table with a unique index, not WITHOUT ROWID: a row of a WITHOUT
    /// ROWID table lives in an index page, which keeps only ~1 KB of it locally, so each 1.5 KB
    /// vector spilled into an overflow page of its own (4.5 KB a vector on disk, 17.8 GB for a
    /// million posts); a table page keeps up to ~4 KB locally (2.2 KB a vector with the index).
    static func createTable(_ name: String) -> String {
        """
        CREATE TABLE \(name) (
            model TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX \(name)_by_text ON \(name)(model, content_hash);
        """
    }

    /// The first shape of the vector tables (WITHOUT ROWID), as the first migrations made them.
    static func createFirstShape(_ name: String) -> String {
        """
        CREATE TABLE \(name) (
            model TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (model, content_hash)
        ) WITHOUT ROWID;
        """
    }

    /// A migration from the first shape to the current one. The migration itself only renames
    /// the old table and creates the new one; its follow-up moves the vectors over in committed
    /// steps, deleting each step's rows from the old table as it inserts them, so the file hardly
    /// grows (freed pages are reused) and the WAL holds one step, not a copy of every vector. A
    /// kill between steps loses nothing: the next open carries on where the last step ended.
    static func migrationFromFirstShape(_ identifier: String, table name: String) -> StoreMigration {
        StoreMigration(identifier, followUp: { pool, logger in try moveFromFirstShape(pool, table: name, logger: logger) }) { db in
            try db.execute(sql: """
                ALTER TABLE \(name) RENAME TO \(name)_first_shape;
                \(createTable(name))
                """)
        }
    }

    /// Rows moved per committed step (about 20 MB of vectors).
    static let moveStep = 10_000

    /// `maxSteps`: stop after that many steps, as a kill would (for tests).
    static func moveFromFirstShape(_ pool: DatabasePool, table name: String, logger: Logger?, step: Int = moveStep,
                                   maxSteps: Int = .max) throws {
        let old = "\(name)_first_shape"
        let remaining = try pool.read { db in try db.tableExists(old) ? try Int.fetchOne(db, sql: "SELECT count(*) FROM \(old)") ?? 0 : nil }
        guard let remaining else { return }
        if remaining > 0 {
            logger?.info("moving vectors to the smaller table shape (once; resumes if stopped)",
                         metadata: ["table": .string(name), "vectors": .stringConvertible(remaining)])
        }
        var steps = 0
        while steps < maxSteps, try pool.write({ db -> Bool in
            // The same first rows for both statements: the old table does not change between them.
            let firstRows = "FROM \(old) ORDER BY model, content_hash LIMIT \(step)"
            try db.execute(sql: """
                INSERT OR IGNORE INTO \(name)(model, content_hash, dim, vector, created_at)
                    SELECT model, content_hash, dim, vector, created_at \(firstRows)
                """)
            try db.execute(sql: "DELETE FROM \(old) WHERE (model, content_hash) IN (SELECT model, content_hash \(firstRows))")
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM \(old) LIMIT 1") == nil else { return true }
            try db.execute(sql: "DROP TABLE \(old)")
            return false
        }) {
            steps += 1
        }
    }

    /// Inserts normalized vectors as (content hash, dimension, blob) rows; refuses a dimension
    /// other than the one the model's vectors already have (another model behind the name).
    static func insert(_ db: Database, model: String, rows: [(String, Int, Data)], table: String = "embeddings") throws -> Int {
        if let existing = try Int.fetchOne(db, sql: "SELECT dim FROM \(table) WHERE model = ? LIMIT 1", arguments: [model]),
           let first = rows.first, existing != first.1 {
            throw MoltscopeError(.server, "\(model) vectors have \(first.1) dimensions now but \(existing) before",
                                 remedy: "the server runs another model: set embed.model to its name")
        }
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO \(table)(model, content_hash, dim, vector, created_at) VALUES (?, ?, ?, ?, ?)
            """)
        let now = Clock.now()
        for (hash, dim, blob) in rows { try insert.execute(arguments: [model, hash, dim, blob, now]) }
        return rows.count
    }

    /// The cached unit vectors of `hashes` (those the model has).
    static func vectors(_ db: Database, model: String, hashes: [String], table: String = "embeddings") throws -> [String: [Float]] {
        let rows = try KeyedRows.fetch(db, keys: hashes, leading: [model]) { marks in
            "SELECT content_hash, vector FROM \(table) WHERE model = ? AND content_hash IN (\(marks))"
        }
        return Dictionary(rows.map { ($0[0] as String, Vectors.vector($0[1])) }, uniquingKeysWith: { first, _ in first })
    }
}
