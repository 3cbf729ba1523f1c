import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// Stand-in embeddings for tests that need vectors of real texts without a model server:
/// each text becomes signed feature-hashed word counts (sublinear tf) in `dimensions`
/// buckets, L2-normalized. Texts sharing words land near each other, so the capture's topics,
/// duplicates and templates keep their structure, and the whole capture is embedded in seconds.
enum LexicalVectors {
    static let model = "lexical-hash-384"

    /// Stores a vector for every kept document text that has none under `model`; returns how many.
    @discardableResult
    static func fill(db path: String, model: String = model, dimensions: Int = 384) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        return try queue.write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT DISTINCT content_hash, text FROM documents d WHERE status = 'kept' AND NOT EXISTS
                    (SELECT 1 FROM embeddings e WHERE e.model = ? AND e.content_hash = d.content_hash)
                GROUP BY content_hash
                """, arguments: [model])
            let insert = try db.makeStatement(sql: """
                INSERT INTO embeddings(model, content_hash, dim, vector, created_at) VALUES (?, ?, ?, ?, '2026-01-01T00:00:00Z')
                """)
            for row in rows {
                let vector = embed(row[1], dimensions: dimensions)
                let blob = vector.withUnsafeBufferPointer { Data(buffer: $0) }
                try insert.execute(arguments: [model, row[0] as String, dimensions, blob])
            }
            return rows.count
        }
    }

    /// Stores vectors for texts that are not documents (annotations, label descriptions), keyed
    /// by the SHA-256 of each text as the stages key them.
    static func fill(db path: String, texts: [String], table: String, model: String = model, dimensions: Int = 384) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            let insert = try db.makeStatement(sql: """
                INSERT OR IGNORE INTO \(table)(model, content_hash, dim, vector, created_at) VALUES (?, ?, ?, ?, '2026-01-01T00:00:00Z')
                """)
            for text in texts {
                let blob = embed(text, dimensions: dimensions).withUnsafeBufferPointer { Data(buffer: $0) }
                try insert.execute(arguments: [model, SHA256.hex(SHA256.digest(text)), dimensions, blob])
            }
        }
    }

    static func embed(_ text: String, dimensions: Int) -> [Float] {
        HashedWordVectors.embed(text, dimensions: dimensions)
    }
}
