import Foundation
import GRDB
import MoltscopeCore
import Testing

// The limit guards against a hang, not a slow machine: the whole test bundle shares two cores.
@Suite("Pipeline engine", .timeLimit(.minutes(10)))
struct EngineTests {
    // MARK: Registry

    @Test func registryOrdersDesignStagesFirstAndKeepsOthersInGivenOrder() throws {
        func stage(_ name: String, upstream: [String] = []) -> StageDescriptor {
            StageDescriptor(name: name, version: 1, upstream: upstream, inputTables: [], outputTables: [],
                            configKeys: [], migrations: [], make: { context in SourceStage(context: context) })
        }
        let registry = StageRegistry([stage("zeta"), stage("clean", upstream: ["crawl"]), stage("alpha"),
                                      stage("crawl"), stage("report")])
        #expect(registry.names == ["crawl", "clean", "report", "zeta", "alpha"])
        #expect(TestStages.registry().names == ["src", "dbl", "sum"])
        #expect(TestStages.registry().downstream(of: "src") == ["dbl", "sum"])
        #expect(TestStages.registry().downstream(of: "dbl") == ["sum"])
        #expect(TestStages.registry().downstream(of: "sum") == [])
        let error = #expect(throws: MoltscopeError.self) { try registry.descriptor("nope") }
        #expect(error?.description.contains("no stage named nope") == true)
        #expect(error?.description.contains("crawl, clean, report, zeta, alpha") == true)
    }

    // MARK: First and second run

    @Test func firstRunRunsEveryStageAndRecordsProvenance() async throws {
        let pipeline = try TestPipeline()
        for stage in ["src", "dbl", "sum"] {
            #expect(try await pipeline.freshness(stage) == .neverRun)
        }

        let actions = try await pipeline.run()
        #expect(actions == ["src": "update", "dbl": "rebuild", "sum": "rebuild"])

        #expect(try await pipeline.ints("SELECT id FROM src_rows ORDER BY id") == Array(1...10))
        #expect(try await pipeline.ints("SELECT value FROM dbl_rows ORDER BY id") == (1...10).map { $0 * 20 })
        #expect(try await pipeline.ints("SELECT total FROM sum_rows") == [1100])
        #expect(try await pipeline.strings("SELECT value FROM stage_checkpoints WHERE stage = 'src' AND key = 'last_id'")
                == ["10"])

        let config = try pipeline.config()
        let runs = try await pipeline.rows("SELECT * FROM runs")
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(run.string("status") == "completed")
        #expect(run.string("command") == "test run")
        #expect(run.string("config_hash") == config.hash)
        #expect(run.string("config_path") == nil)
        #expect(run.string("stage_versions") == "src=1,dbl=1,sum=1")
        #expect(run.string("moltscope_version") == MoltscopeVersion.string)
        #expect(run.string("ended_at") != nil)
        #expect(run.string("error") == nil)

        let stageRuns = try await pipeline.rows("SELECT * FROM stage_runs ORDER BY id")
        #expect(stageRuns.map { $0.string("stage") } == ["src", "dbl", "sum"])
        #expect(stageRuns.map { $0.string("status") } == ["completed", "completed", "completed"])
        #expect(stageRuns.map { $0.string("mode") } == ["update", "rebuild", "rebuild"])
        #expect(stageRuns.map { $0.int("rows_in") } == [10, 10, 10])
        #expect(stageRuns.map { $0.int("rows_out") } == [10, 10, 1])
        #expect(stageRuns.map { $0.int("errors") } == [0, 0, 0])
        #expect(stageRuns.allSatisfy { $0.int("run_id") == run.int("id") })
        #expect(stageRuns.allSatisfy { $0.string("ended_at") != nil && $0.string("started_at") != nil })

        // Each stage's recorded fingerprints are the ones its state now computes.
        for row in stageRuns {
            let name = try #require(row.string("stage"))
            let state = try await pipeline.state(name)
            #expect(state.freshness == .upToDate, "\(name)")
            #expect(row.string("input_fingerprint") == state.currentInputFingerprint)
            #expect(row.string("config_hash") == config.hash(section: name))
            #expect(row.string("upstream_fingerprints") == state.upstreamFingerprints)
            #expect(row.int("stage_version") == 1)
            let descriptor = try pipeline.registry.descriptor(name)
            let output = try await pipeline.store.pool.read { db in try descriptor.outputFingerprint(db) }
            #expect(row.string("output_fingerprint") == output)
            #expect(output.count == 64)
        }
        let dblState = try await pipeline.state("dbl")
        #expect(dblState.upstreamFingerprints.hasPrefix("src="))
        #expect(dblState.rowsIn == 10 && dblState.rowsOut == 10)
        #expect(dblState.lastStatus == "completed" && dblState.lastMode == .rebuild)
    }

    @Test func secondRunSkipsUpToDateStages() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.run()
        let actions = try await pipeline.run()
        // The source reads outside the database, so it always runs (and finds nothing new).
        #expect(actions == ["src": "update", "dbl": "skipped (up to date)", "sum": "skipped (up to date)"])
        #expect(try await pipeline.ints("SELECT count(*) FROM stage_runs WHERE stage = 'dbl'") == [1])
        #expect(try await pipeline.ints("SELECT rows_out FROM stage_runs WHERE stage = 'src' ORDER BY id") == [10, 0])
        #expect(try await pipeline.ints("SELECT count(*) FROM runs WHERE status = 'completed'") == [2])
        #expect(try await pipeline.ints("SELECT count(*) FROM src_rows") == [10])
    }

    @Test func selectedStagesOnly() async throws {
        let pipeline = try TestPipeline()
        let actions = try await pipeline.run(.pipeline(stages: ["src"]))
        #expect(actions == ["src": "update"])
        #expect(try await pipeline.freshness("dbl") == .neverRun)
        #expect(try await pipeline.int("SELECT count(*) FROM dbl_rows") == 0)
        await #expect(throws: MoltscopeError.self) { try await pipeline.run(.pipeline(stages: ["nope"])) }
        // run.stages in the configuration selects too.
        let viaConfig = try await pipeline.run(.pipeline(stages: nil), ["run.stages=src,dbl"])
        #expect(viaConfig == ["src": "update", "dbl": "rebuild"])
    }

    // MARK: Staleness

    @Test func configChangeMakesStageStaleAndRebuildsIt() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.run()
        // A key that does not affect outputs changes nothing.
        #expect(try await pipeline.freshness("dbl", ["dbl.label=fancy"]) == .upToDate)

        #expect(try await pipeline.freshness("dbl", ["dbl.multiplier=3"]) == .stale("config changed"))
        #expect(try await pipeline.freshness("sum", ["dbl.multiplier=3"]) == .upToDate)

        let actions = try await pipeline.run(.pipeline(stages: nil), ["dbl.multiplier=3"])
        #expect(actions["dbl"] == "rebuild")
        #expect(try await pipeline.ints("SELECT value FROM dbl_rows ORDER BY id") == (1...10).map { $0 * 30 })
        #expect(try await pipeline.freshness("dbl", ["dbl.multiplier=3"]) == .upToDate)
        // Going back to the old value is a change again.
        #expect(try await pipeline.freshness("dbl") == .stale("config changed"))
    }

    @Test func rebuiltUpstreamOutputsMakeDownstreamStale() async throws {
        // dbl's rebuild replaces its rows with new values (same ids, same count): sum, which
        // totals them, must not stay "up to date" on the old total.
        let pipeline = try TestPipeline()
        try await pipeline.run()
        #expect(try await pipeline.ints("SELECT total FROM sum_rows") == [1100])

        let actions = try await pipeline.run(.pipeline(stages: nil), ["dbl.multiplier=3"])
        #expect(actions["dbl"] == "rebuild")
        #expect(actions["sum"] == "rebuild")
        #expect(try await pipeline.ints("SELECT total FROM sum_rows") == [1650])
    }

    @Test func moreSourceRowsMakeDownstreamStale() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.run()
        try await pipeline.run(.pipeline(stages: ["src"]), ["src.count=15"])
        #expect(try await pipeline.ints("SELECT count(*) FROM src_rows") == [15])
        #expect(try await pipeline.freshness("dbl", ["src.count=15"]) == .stale("upstream changed: src"))
        // sum's own upstream (dbl) has not changed yet.
        #expect(try await pipeline.freshness("sum", ["src.count=15"]) == .upToDate)

        let actions = try await pipeline.run(.pipeline(stages: nil), ["src.count=15"])
        #expect(actions == ["src": "update", "dbl": "rebuild", "sum": "rebuild"])
        #expect(try await pipeline.ints("SELECT id FROM dbl_rows ORDER BY id") == Array(1...15))
        #expect(try await pipeline.ints("SELECT total FROM sum_rows") == [(1...15).reduce(0, +) * 20])
        for stage in ["dbl", "sum"] {
            #expect(try await pipeline.freshness(stage, ["src.count=15"]) == .upToDate)
        }
    }

    @Test func versionBumpMakesStageStale() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.run()
        try pipeline.reopen(with: TestStages.registry(dblVersion: 2))
        #expect(try await pipeline.freshness("dbl") == .stale("stage version changed"))
        #expect(try await pipeline.freshness("src") == .upToDate)

        let actions = try await pipeline.run()
        #expect(actions["dbl"] == "rebuild")
        #expect(try await pipeline.ints("SELECT stage_version FROM stage_runs WHERE stage = 'dbl' ORDER BY id") == [1, 2])
        #expect(try await pipeline.strings("SELECT stage_versions FROM runs ORDER BY id") == ["src=1,dbl=1,sum=1", "src=1,dbl=2,sum=1"])
        #expect(try await pipeline.freshness("dbl") == .upToDate)
    }

    // MARK: Failure, cancellation and resume

    @Test func failedSourceKeepsCommittedBatchesAndRerunCompletesExactly() async throws {
        let pipeline = try TestPipeline()
        let overrides = ["src.count=22"]  // batches of 4: 4,4,4,4,4,2
        await #expect(throws: MoltscopeError.self) {
            try await pipeline.run(.pipeline(stages: nil), overrides, environment: ["FAIL_AFTER": "2"])
        }
        // Two committed batches, and the checkpoint that goes with them.
        #expect(try await pipeline.ints("SELECT id FROM src_rows ORDER BY id") == Array(1...8))
        #expect(try await pipeline.strings("SELECT value FROM stage_checkpoints WHERE stage = 'src'") == ["8"])

        let srcRun = try #require(try await pipeline.rows("SELECT * FROM stage_runs WHERE stage = 'src'").first)
        #expect(srcRun.string("status") == "failed")
        #expect(srcRun.string("message")?.contains("injected failure after 2 batches") == true)
        #expect(srcRun.string("ended_at") != nil)
        #expect(srcRun.string("output_fingerprint") == nil)
        // dbl never started.
        #expect(try await pipeline.int("SELECT count(*) FROM stage_runs WHERE stage = 'dbl'") == 0)
        let run = try #require(try await pipeline.rows("SELECT status, error FROM runs").first)
        #expect(run.string("status") == "failed")
        #expect(run.string("error")?.contains("injected failure") == true)
        #expect(try await pipeline.freshness("src", overrides) == .unfinished("last run failed"))

        let actions = try await pipeline.run(.pipeline(stages: nil), overrides)
        #expect(actions == ["src": "update", "dbl": "rebuild", "sum": "rebuild"])
        #expect(try await pipeline.ints("SELECT id FROM src_rows ORDER BY id") == Array(1...22))
        #expect(try await pipeline.ints("SELECT rows_out FROM stage_runs WHERE stage = 'src' ORDER BY id") == [0, 14])
        #expect(try await pipeline.ints("SELECT total FROM sum_rows") == [(1...22).reduce(0, +) * 20])

        // Same rows as a run that was never interrupted.
        let clean = try TestPipeline()
        try await clean.run(.pipeline(stages: nil), overrides)
        #expect(try await clean.ints("SELECT value FROM dbl_rows ORDER BY id")
                == pipeline.ints("SELECT value FROM dbl_rows ORDER BY id"))
    }

    @Test func skippedInputIsRecordedInErrors() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.run(.pipeline(stages: ["src"]), ["src.skip=3,7"])
        #expect(try await pipeline.ints("SELECT id FROM src_rows ORDER BY id") == [1, 2, 4, 5, 6, 8, 9, 10])
        let errors = try await pipeline.rows(
            "SELECT e.run_id, e.stage, e.source, e.reason, e.excerpt, r.id AS run FROM errors e, runs r ORDER BY e.id")
        #expect(errors.map { $0.string("source") } == ["src id 3", "src id 7"])
        #expect(errors.allSatisfy { $0.string("stage") == "src" && $0.int("run_id") == $0.int("run") })
        #expect(errors.first?.string("reason") == "skipped by src.skip")
        #expect(errors.first?.string("excerpt") == "id=3")
        #expect(try await pipeline.ints("SELECT errors FROM stage_runs") == [2])
    }

    @Test func cancellingTheRunMarksItInterruptedAndRerunCompletes() async throws {
        let pipeline = try TestPipeline()
        // The source commits one batch of 4, then waits until it is cancelled.
        let runner = try pipeline.runner(["src.count=40"], environment: ["HANG_AFTER": "1"])
        let task = Task { try await runner.run(command: "test run", plan: .pipeline(stages: nil)) }
        // A wait, not a bound: long enough for a test bundle that keeps both cores busy.
        let deadline = Date().addingTimeInterval(300)
        while try await pipeline.int("SELECT count(*) FROM src_rows") ?? 0 < 4 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        try #require(try await pipeline.int("SELECT count(*) FROM src_rows") == 4, "the source committed its first batch")
        task.cancel()
        let cancelled = ContinuousClock.now
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - cancelled < .seconds(300))  // not the hour the stage would wait

        #expect(try await pipeline.ints("SELECT id FROM src_rows ORDER BY id") == [1, 2, 3, 4])
        #expect(try await pipeline.strings("SELECT value FROM stage_checkpoints WHERE stage = 'src'") == ["4"])
        let run = try #require(try await pipeline.rows("SELECT * FROM runs").first)
        #expect(run.string("status") == "interrupted")
        #expect(run.string("error") == "interrupted")
        #expect(run.string("ended_at") != nil)
        let stageRuns = try await pipeline.rows("SELECT * FROM stage_runs")
        #expect(stageRuns.map { $0.string("stage") } == ["src"])
        #expect(stageRuns.first?.string("status") == "interrupted")
        #expect(stageRuns.first?.string("message")?.contains("committed work kept") == true)
        #expect(stageRuns.first?.string("ended_at") != nil)
        #expect(try await pipeline.freshness("src", ["src.count=40"]) == .unfinished("last run interrupted"))

        let actions = try await pipeline.run(.pipeline(stages: nil), ["src.count=40"])
        #expect(actions == ["src": "update", "dbl": "rebuild", "sum": "rebuild"])
        #expect(try await pipeline.ints("SELECT id FROM src_rows ORDER BY id") == Array(1...40))
        #expect(try await pipeline.ints("SELECT rows_out FROM stage_runs WHERE stage = 'src' AND status = 'completed'") == [36])
        #expect(try await pipeline.strings("SELECT status FROM runs ORDER BY id") == ["interrupted", "completed"])
    }

    @Test func runningRowsOfAKilledProcessAreMarkedInterrupted() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.run()
        // What a process killed in the middle of dbl leaves behind.
        try await pipeline.execute("UPDATE runs SET status = 'running', ended_at = NULL")
        try await pipeline.execute("UPDATE stage_runs SET status = 'running', ended_at = NULL WHERE stage = 'dbl'")
        #expect(try await pipeline.freshness("dbl") == .unfinished("last run running"))

        let actions = try await pipeline.run()
        #expect(actions["dbl"] == "rebuild")  // a rebuild is atomic: it starts over
        let rows = try await pipeline.rows("SELECT status, ended_at FROM runs ORDER BY id")
        #expect(rows.map { $0.string("status") } == ["interrupted", "completed"])
        #expect(rows.allSatisfy { $0.string("ended_at") != nil })
        let dbl = try await pipeline.rows("SELECT status, message FROM stage_runs WHERE stage = 'dbl' ORDER BY id")
        #expect(dbl.map { $0.string("status") } == ["interrupted", "completed"])
        #expect(dbl.first?.string("message") == "process ended without finishing")
        #expect(try await pipeline.int("SELECT count(*) FROM stage_runs WHERE status = 'running'") == 0)
        #expect(try await pipeline.freshness("dbl") == .upToDate)
    }

    // MARK: Explicit rebuilds

    @Test func rebuildWithDownstreamRerunsDownstreamStages() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.run()
        let actions = try await pipeline.run(.rebuild(stage: "dbl", downstream: true))
        #expect(actions == ["dbl": "rebuild", "sum": "rebuild"])
        #expect(try await pipeline.ints("SELECT count(*) FROM stage_runs WHERE stage = 'sum'") == [2])
        #expect(try await pipeline.ints("SELECT count(*) FROM stage_runs WHERE stage = 'src'") == [1])
        #expect(try await pipeline.ints("SELECT total FROM sum_rows") == [1100])

        // A forced rebuild of the source recomputes it from scratch, checkpoint included.
        let fromSource = try await pipeline.run(.rebuild(stage: "src", downstream: true))
        #expect(fromSource == ["src": "rebuild", "dbl": "rebuild", "sum": "rebuild"])
        #expect(try await pipeline.ints("SELECT id FROM src_rows ORDER BY id") == Array(1...10))
        #expect(try await pipeline.ints("SELECT rows_out FROM stage_runs WHERE stage = 'src' ORDER BY id") == [10, 10])
    }

    @Test func rebuildWithoutDownstreamRunsOnlyThatStage() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.run()
        let actions = try await pipeline.run(.rebuild(stage: "dbl", downstream: false), ["dbl.multiplier=5"])
        #expect(actions == ["dbl": "rebuild"])
        #expect(try await pipeline.ints("SELECT count(*) FROM stage_runs WHERE stage = 'sum'") == [1])
        #expect(try await pipeline.ints("SELECT value FROM dbl_rows WHERE id = 1") == [50])
        // sum still holds the old total, and says it is stale.
        #expect(try await pipeline.ints("SELECT total FROM sum_rows") == [1100])
        #expect(try await pipeline.freshness("sum", ["dbl.multiplier=5"]) == .stale("upstream changed: dbl"))
        await #expect(throws: MoltscopeError.self) {
            try await pipeline.run(.rebuild(stage: "nope", downstream: false))
        }
    }

    // MARK: Run lock

    @Test func secondRunLockOnTheSameDatabaseFails() throws {
        let directory = try makeTemporaryDirectory("moltscope-lock")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db.sqlite").path
        var first: RunLock? = try RunLock(databasePath: path)
        #expect(first?.path == path + ".lock")

        let error = #expect(throws: MoltscopeError.self) { try RunLock(databasePath: path) }
        #expect(error?.kind == .database)
        #expect(error?.description.contains("another moltscope run is writing \(path)") == true)
        #expect(error?.description.contains("--db") == true)

        // Another database is not blocked.
        let other = try RunLock(databasePath: directory.appendingPathComponent("other.sqlite").path)
        _ = other

        first = nil
        let again = try RunLock(databasePath: path)
        #expect(again.path == path + ".lock")
        _ = first
    }

    @Test func runLockInAMissingFolderSaysSo() throws {
        let error = #expect(throws: MoltscopeError.self) {
            try RunLock(databasePath: "/nonexistent-moltscope-dir/x/db.sqlite")
        }
        #expect(error?.description.contains("cannot create lock file /nonexistent-moltscope-dir/x/db.sqlite.lock") == true)
    }

    // MARK: Store

    @Test func storeOpensInWALModeAndRefusesAMissingFolder() async throws {
        let pipeline = try TestPipeline()
        let mode = try await pipeline.store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let tables = try await pipeline.strings("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for table in ["runs", "stage_runs", "stage_checkpoints", "errors", "src_rows", "dbl_rows", "sum_rows"] {
            #expect(tables.contains(table), "\(table)")
        }
        // Reopening applies no migration twice.
        try pipeline.reopen(with: TestStages.registry())

        let error = #expect(throws: MoltscopeError.self) {
            try ResultsStore(path: "/nonexistent-moltscope-dir/results.sqlite", migrations: [])
        }
        #expect(error?.description.contains("does not exist") == true)

        let notADatabase = pipeline.directory.appendingPathComponent("text.sqlite")
        try Data(String(repeating: "this is not sqlite\n", count: 300).utf8).write(to: notADatabase)
        let notDB = #expect(throws: MoltscopeError.self) {
            try ResultsStore(path: notADatabase.path, migrations: [])
        }
        #expect(notDB?.description.contains("is not a moltscope SQLite database") == true)
    }

    @Test func checkpointsAreScopedByStage() async throws {
        let pipeline = try TestPipeline()
        let a = Checkpoints(stage: "a")
        let b = Checkpoints(stage: "b")
        try await pipeline.store.pool.write { db in
            try a.set(db, "k", "1")
            try a.set(db, "k", "2")
            try a.set(db, "other", "x")
            try b.set(db, "k", "b1")
        }
        let values = try await pipeline.store.pool.read { db in
            [try a.get(db, "k"), try b.get(db, "k"), try a.get(db, "missing")]
        }
        #expect(values == ["2", "b1", nil])
        try await pipeline.store.pool.write { db in
            try a.remove(db, "other")
            try b.clear(db)
        }
        #expect(try await pipeline.strings("SELECT stage || ':' || key || '=' || value FROM stage_checkpoints") == ["a:k=2"])
    }
}
