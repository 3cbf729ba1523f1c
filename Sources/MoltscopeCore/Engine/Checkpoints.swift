import GRDB

/// A stage's resume points, stored in `stage_checkpoints`. Always written inside the same
/// transaction as the output rows they describe, so they can never disagree after a crash.
public struct Checkpoints: Sendable {
    public let stage: String

    public init(stage: String) { self.stage = stage }

    public func get(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM stage_checkpoints WHERE stage = ? AND key = ?",
                            arguments: [stage, key])
    }

    public func set(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(sql: """
            INSERT INTO stage_checkpoints(stage, key, value, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(stage, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, arguments: [stage, key, value, Clock.now()])
    }

    public func remove(_ db: Database, _ key: String) throws {
        try db.execute(sql: "DELETE FROM stage_checkpoints WHERE stage = ? AND key = ?", arguments: [stage, key])
    }

    public func clear(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM stage_checkpoints WHERE stage = ?", arguments: [stage])
    }
}
