import GRDB

/// Records bad input a stage kept going past (malformed responses, unreadable lines) in `errors`.
public struct ErrorLog: Sendable {
    public let stage: String
    public let runId: Int64

    public func record(_ db: Database, source: String?, reason: String, excerpt: String? = nil) throws {
        try db.execute(sql: "INSERT INTO errors(run_id, stage, source, reason, excerpt, at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [runId, stage, source, reason, excerpt.map { String($0.prefix(500)) }, Clock.now()])
    }
}
