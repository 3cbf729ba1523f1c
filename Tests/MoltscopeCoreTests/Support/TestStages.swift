import Foundation
import GRDB
import Logging
import MoltscopeCore

/// A small pipeline for engine tests: `src` (reads "outside": it generates rows) -> `dbl`
/// (value * multiplier) -> `sum` (one row with the total). The names are not in
/// `StageRegistry.designOrder`, so the registry keeps them in the order given, which is
/// dependency order.
enum TestStages {
    static func registry(srcVersion: Int = 1, dblVersion: Int = 1, sumVersion: Int = 1) -> StageRegistry {
        StageRegistry([source(version: srcVersion), doubler(version: dblVersion), summer(version: sumVersion)])
    }

    /// `src`: writes rows 1...`src.count` (value = id * 10) in batches of `run.batch_size`, each
    /// batch with its checkpoint in one transaction. Ids listed in `src.skip` are recorded in
    /// `errors` instead. Environment: `FAIL_AFTER` (throw after that many batches of this run),
    /// `HANG_AFTER` (wait, until cancelled, after that many batches: a test cancels mid-stage).
    static func source(version: Int = 1) -> StageDescriptor {
        StageDescriptor(
            name: "src", version: version, upstream: [], inputTables: [], outputTables: ["src_rows"],
            configKeys: [
                ConfigKey("src.count", .int(0...100_000), default: .int(10), "Rows the source holds."),
                ConfigKey("src.skip", .list, default: .list([]), "Ids recorded as errors instead of written."),
            ],
            readsOutside: true,
            migrations: [StoreMigration("test-src-v1") { db in
                try db.execute(sql: "CREATE TABLE src_rows (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
            }],
            make: { context in SourceStage(context: context) })
    }

    /// `dbl`: `dbl_rows(id, value)` = src value * `dbl.multiplier`. Rebuild replaces every row in
    /// one transaction; update adds the rows it is missing.
    static func doubler(version: Int = 1) -> StageDescriptor {
        StageDescriptor(
            name: "dbl", version: version, upstream: ["src"], inputTables: ["src_rows"], outputTables: ["dbl_rows"],
            configKeys: [
                ConfigKey("dbl.multiplier", .int(1...1000), default: .int(2), "Factor applied to each value."),
                ConfigKey("dbl.label", .string, default: .string("plain"), "Cosmetic only.", affectsOutput: false),
            ],
            migrations: [StoreMigration("test-dbl-v1") { db in
                try db.execute(sql: "CREATE TABLE dbl_rows (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
            }],
            make: { context in DoublerStage(context: context) })
    }

    /// `sum`: one row with the total and count of `dbl_rows`.
    static func summer(version: Int = 1) -> StageDescriptor {
        StageDescriptor(
            name: "sum", version: version, upstream: ["dbl"], inputTables: ["dbl_rows"], outputTables: ["sum_rows"],
            configKeys: [],
            migrations: [StoreMigration("test-sum-v1") { db in
                try db.execute(sql: "CREATE TABLE sum_rows (total INTEGER NOT NULL, n INTEGER NOT NULL)")
            }],
            make: { context in SumStage(context: context) })
    }
}

actor SourceStage: PipelineStage {
    private let context: StageContext

    init(context: StageContext) { self.context = context }

    func run(mode: StageMode) async throws -> StageReport {
        let count = context.config.int("src.count")
        let skip = Set(context.config.list("src.skip").compactMap(Int.init))
        let batchSize = context.batchSize
        let failAfter = context.environment["FAIL_AFTER"].flatMap(Int.init)
        let hangAfter = context.environment["HANG_AFTER"].flatMap(Int.init)
        let checkpoints = context.checkpoints
        let errors = context.errors
        if mode == .rebuild {
            try await context.store.pool.write { db in
                try db.execute(sql: "DELETE FROM src_rows")
                try checkpoints.clear(db)
            }
        }
        var last = try await context.store.pool.read { db in
            try checkpoints.get(db, "last_id").flatMap(Int.init) ?? 0
        }
        var written = 0
        var skipped = 0
        var batches = 0
        while last < count {
            if let failAfter, batches == failAfter {
                throw MoltscopeError(.input, "src: injected failure after \(batches) batches")
            }
            if let hangAfter, batches == hangAfter { try await Task.sleep(for: .seconds(3600)) }
            let ids = (last + 1)...min(count, last + batchSize)
            let result = try await context.store.pool.write { db -> (Int, Int) in
                var written = 0
                var skipped = 0
                for id in ids {
                    if skip.contains(id) {
                        try errors.record(db, source: "src id \(id)", reason: "skipped by src.skip", excerpt: "id=\(id)")
                        skipped += 1
                    } else {
                        // No OR IGNORE: a resumed run that wrote a row twice fails loudly.
                        try db.execute(sql: "INSERT INTO src_rows(id, value) VALUES (?, ?)", arguments: [id, id * 10])
                        written += 1
                    }
                }
                try checkpoints.set(db, "last_id", String(ids.upperBound))
                return (written, skipped)
            }
            written += result.0
            skipped += result.1
            last = ids.upperBound
            batches += 1
        }
        return StageReport(rowsIn: written + skipped, rowsOut: written, errors: skipped)
    }
}

actor DoublerStage: PipelineStage {
    private let context: StageContext

    init(context: StageContext) { self.context = context }

    func run(mode: StageMode) async throws -> StageReport {
        let multiplier = context.config.int("dbl.multiplier")
        return try await context.store.pool.write { db in
            let rowsIn = try Int.fetchOne(db, sql: "SELECT count(*) FROM src_rows") ?? 0
            if mode == .rebuild {
                try db.execute(sql: "DELETE FROM dbl_rows")
                try db.execute(sql: "INSERT INTO dbl_rows(id, value) SELECT id, value * ? FROM src_rows ORDER BY id",
                               arguments: [multiplier])
            } else {
                try db.execute(sql: """
                    INSERT INTO dbl_rows(id, value) SELECT id, value * ? FROM src_rows
                    WHERE id NOT IN (SELECT id FROM dbl_rows) ORDER BY id
                    """, arguments: [multiplier])
            }
            return StageReport(rowsIn: rowsIn, rowsOut: db.changesCount)
        }
    }
}

actor SumStage: PipelineStage {
    private let context: StageContext

    init(context: StageContext) { self.context = context }

    func run(mode: StageMode) async throws -> StageReport {
        try await context.store.pool.write { db in
            try db.execute(sql: "DELETE FROM sum_rows")
            try db.execute(sql: "INSERT INTO sum_rows(total, n) SELECT coalesce(sum(value), 0), count(*) FROM dbl_rows")
            let rowsIn = try Int.fetchOne(db, sql: "SELECT n FROM sum_rows") ?? 0
            return StageReport(rowsIn: rowsIn, rowsOut: 1)
        }
    }
}

/// A temporary folder with a results database, removed when the test ends.
final class TestPipeline {
    let directory: URL
    let databasePath: String
    private(set) var registry: StageRegistry
    private(set) var store: ResultsStore

    init(registry: StageRegistry = TestStages.registry()) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("moltscope-engine-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        databasePath = directory.appendingPathComponent("results.sqlite").path
        self.registry = registry
        store = try ResultsStore(path: databasePath, migrations: registry.migrations)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Uses another registry (a version bump, say) on the same database.
    func reopen(with registry: StageRegistry) throws {
        self.registry = registry
        store = try ResultsStore(path: databasePath, migrations: registry.migrations)
    }

    func config(_ overrides: [String] = []) throws -> PipelineConfig {
        try PipelineConfig(path: nil, overrides: ["run.batch_size=4"] + overrides, schema: registry.configSchema)
    }

    func runner(_ overrides: [String] = [], environment: [String: String] = [:]) throws -> PipelineRunner {
        PipelineRunner(registry: registry, store: store, config: try config(overrides), logger: quietLogger,
                       outputMode: .quiet, environment: environment)
    }

    /// Runs the plan; returns each stage's action ("update", "rebuild", "skipped (up to date)").
    @discardableResult
    func run(_ plan: PipelineRunner.Plan = .pipeline(stages: nil), _ overrides: [String] = [],
             environment: [String: String] = [:]) async throws -> [String: String] {
        let outcomes = try await runner(overrides, environment: environment).run(command: "test run", plan: plan)
        return Dictionary(uniqueKeysWithValues: outcomes.map { ($0.stage, $0.action) })
    }

    func freshness(_ stage: String, _ overrides: [String] = []) async throws -> StageState.Freshness {
        try await state(stage, overrides).freshness
    }

    func state(_ stage: String, _ overrides: [String] = []) async throws -> StageState {
        let descriptor = try registry.descriptor(stage)
        let registry = registry
        let config = try config(overrides)
        return try await store.pool.read { db in
            try StageState.read(db, stage: descriptor, registry: registry, config: config)
        }
    }

    func ints(_ sql: String) async throws -> [Int] {
        try await store.pool.read { db in try Int.fetchAll(db, sql: sql) }
    }

    func int(_ sql: String) async throws -> Int? {
        try await store.pool.read { db in try Int.fetchOne(db, sql: sql) }
    }

    func strings(_ sql: String) async throws -> [String?] {
        try await store.pool.read { db in try Optional<String>.fetchAll(db, sql: sql) }
    }

    /// Rows as Sendable values (GRDB's `Row` is not Sendable, so it cannot leave an async read).
    func rows(_ sql: String) async throws -> [TestRow] {
        try await store.pool.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                TestRow(values: Dictionary(row.columnNames.map { ($0, row[$0] as DatabaseValue) }) { first, _ in first })
            }
        }
    }

    func execute(_ sql: String) async throws {
        try await store.pool.write { db in try db.execute(sql: sql) }
    }
}

struct TestRow: Sendable {
    let values: [String: DatabaseValue]

    func string(_ column: String) -> String? { values[column].flatMap(String.fromDatabaseValue) }
    func int(_ column: String) -> Int? { values[column].flatMap(Int.fromDatabaseValue) }
}

let quietLogger = Logger(label: "moltscope-tests") { _ in SwiftLogNoOpLogHandler() }

/// A fresh temporary directory, removed when this object goes away.
final class TemporaryDirectory {
    let url: URL

    init(_ prefix: String) throws { url = try makeTemporaryDirectory(prefix) }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// A fresh temporary directory; the caller removes it.
func makeTemporaryDirectory(_ prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
