import GRDB

/// How a stage is asked to run.
public enum StageMode: String, Sendable {
    /// Bring outputs up to date: continue from checkpoints, fetch or compute only what is new.
    case update
    /// Recompute every output from the stage's stored inputs and replace the old outputs atomically.
    case rebuild
}

/// What a stage did in one run, recorded in `stage_runs`.
public struct StageReport: Sendable {
    public var rowsIn: Int
    public var rowsOut: Int
    public var errors: Int
    public var note: String?

    public init(rowsIn: Int = 0, rowsOut: Int = 0, errors: Int = 0, note: String? = nil) {
        self.rowsIn = rowsIn
        self.rowsOut = rowsOut
        self.errors = errors
        self.note = note
    }
}

/// A pipeline stage. Each is an actor that reads its inputs from the store (or from outside, for
/// `crawl`), passes work between its own tasks through bounded channels, and commits its output
/// rows together with its checkpoint in one transaction, so a killed run resumes exactly.
public protocol PipelineStage: Actor {
    func run(mode: StageMode) async throws -> StageReport
}

/// What the engine knows of a stage without running it.
public struct StageDescriptor: Sendable {
    public let name: String
    /// Bump when the stage's outputs would change for the same inputs: it makes them stale.
    public let version: Int
    /// Stages whose outputs this one reads.
    public let upstream: [String]
    /// Tables it reads (for `status`).
    public let inputTables: [String]
    /// Tables it owns and writes.
    public let outputTables: [String]
    /// Its configuration keys (section named like the stage, `-` as `_`).
    public let configKeys: [ConfigKey]
    /// True for stages that read from outside the database (crawl): `run` always runs them in
    /// update mode, since the outside may have changed.
    public let readsOutside: Bool
    public let migrations: [StoreMigration]
    /// Summarises the stage's current outputs; a change makes downstream stages stale.
    public let outputFingerprint: @Sendable (Database) throws -> String
    public let make: @Sendable (StageContext) throws -> any PipelineStage

    public init(name: String, version: Int, upstream: [String], inputTables: [String], outputTables: [String],
                configKeys: [ConfigKey], readsOutside: Bool = false, migrations: [StoreMigration],
                outputFingerprint: (@Sendable (Database) throws -> String)? = nil,
                make: @escaping @Sendable (StageContext) throws -> any PipelineStage) {
        self.name = name
        self.version = version
        self.upstream = upstream
        self.inputTables = inputTables
        self.outputTables = outputTables
        self.configKeys = configKeys
        self.readsOutside = readsOutside
        self.migrations = migrations
        self.outputFingerprint = outputFingerprint ?? { db in
            // A rebuild that deletes and reinserts gets the same rowids back (SQLite restarts them),
            // so each completed rebuild counts as a change too.
            let rebuild = try Int64.fetchOne(db, sql: """
                SELECT max(id) FROM stage_runs WHERE stage = ? AND mode = 'rebuild' AND status = 'completed'
                """, arguments: [name]) ?? 0
            return Fingerprint.of([try Self.tableFingerprint(db, tables: outputTables), "rebuild=\(rebuild)"])
        }
        self.make = make
    }

    public var configSection: String { name.replacingOccurrences(of: "-", with: "_") }

    /// Row count and largest rowid of each output table. Cheap, and it changes whenever rows are
    /// added or removed; the default fingerprint adds the stage's last completed rebuild, since
    /// rows replaced by DELETE and INSERT get the same rowids back.
    public static func tableFingerprint(_ db: Database, tables: [String]) throws -> String {
        var parts: [String] = []
        for table in tables {
            // WITHOUT ROWID tables (content-addressed caches) have no rowid: their count stands alone.
            let hasRowid = try Bool.fetchOne(db, sql: "SELECT NOT wr FROM pragma_table_list WHERE name = ?",
                                             arguments: [table]) ?? true
            let sql = "SELECT count(*), \(hasRowid ? "coalesce(max(rowid), 0)" : "0") FROM \(table.quotedDatabaseIdentifier)"
            let row = try Row.fetchOne(db, sql: sql)
            parts.append("\(table):\(row?[0] as Int64? ?? 0):\(row?[1] as Int64? ?? 0)")
        }
        return Fingerprint.of(parts)
    }
}
