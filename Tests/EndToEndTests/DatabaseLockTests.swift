import Foundation
import MoltbookReplay
import Testing

/// Another program holding the database's write lock, and a second `moltscope run` on the same
/// database, with the real binary: a run waits out a short lock, fails in one line on a long
/// one, never damages the file, and the next run completes.
@Suite(.serialized)
struct DatabaseLockTests {
    static func arguments(db: String, capture: String) -> [String] {
        ["run", "--config", "/dev/null", "--db", db, "--set", "crawl.capture=\(capture)", "--set", "run.stages=crawl", "--quiet"]
    }

    /// A database holding the first 20 posts of the sample, and the reference of the whole sample.
    static func prepared(_ name: String) throws -> (dir: URL, db: String, reference: String) {
        let binary = try TestEnvironment.moltscopeBinary()
        let dir = try TestEnvironment.temporaryDirectory(name)
        let small = try EmbedPipelineTests.smallCapture(posts: 20, in: dir)
        let db = dir.appendingPathComponent("run.db").path
        let first = try ProcessResult.run(binary, arguments(db: db, capture: small), in: dir)
        try #require(first.status == 0, "\(first.stderr)")
        let reference = dir.appendingPathComponent("reference.db").path
        let whole = try ProcessResult.run(binary, arguments(db: reference, capture: TestEnvironment.sampleCapture), in: dir)
        try #require(whole.status == 0, "\(whole.stderr)")
        return (dir, db, reference)
    }

    @Test(.enabled(if: SQLiteLockHolder.available, "needs python3 to hold a lock"))
    func aLockHeldLongerThanTheBusyTimeoutFailsInOneLineAndTheNextRunCompletes() async throws {
        let (dir, db, reference) = try Self.prepared("lockheld")
        let binary = try TestEnvironment.moltscopeBinary()
        let holder = try SQLiteLockHolder(database: db)
        // Held until the run has given up (its busy timeout is 10 s).
        let blocked = try await ProcessResult.run(binary, Self.arguments(db: db, capture: TestEnvironment.sampleCapture), in: dir)
        holder.release()
        #expect(blocked.status == 1)
        #expect(blocked.stderr.split(separator: "\n").count == 1, "one line: \(blocked.stderr)")
        #expect(blocked.stderr.contains("run.db is locked by another process"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("close the program holding it"), "says what to do: \(blocked.stderr)")

        #expect(try DatabaseChecks.integrity(db) == "ok")
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM posts") == 20)
        #expect(try DatabaseChecks.rowsDifferingFromReference(db, reference: reference, table: "posts", key: "id") == 0)
        let rerun = try await ProcessResult.run(binary, Self.arguments(db: db, capture: TestEnvironment.sampleCapture), in: dir)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try TestEnvironment.contentDigest(db) == TestEnvironment.contentDigest(reference))
    }

    @Test(.enabled(if: SQLiteLockHolder.available, "needs python3 to hold a lock"))
    func aLockReleasedWithinTheBusyTimeoutIsWaitedFor() async throws {
        let (dir, db, reference) = try Self.prepared("lockreleased")
        let holder = try SQLiteLockHolder(database: db)
        let run = try BackgroundMoltscope(Self.arguments(db: db, capture: TestEnvironment.sampleCapture), in: dir)
        // The run cannot write while the lock is held: it is still waiting a second later.
        try await Task.sleep(for: .seconds(1))
        #expect(run.isRunning, "the run waits for the lock instead of failing at once")
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM posts") == 20)
        holder.release()
        let result = try run.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try DatabaseChecks.integrity(db) == "ok")
        #expect(try TestEnvironment.contentDigest(db) == TestEnvironment.contentDigest(reference))
    }

    @Test func aSecondRunOnTheSameDatabaseFailsInOneLineWhileTheFirstFinishes() async throws {
        let baseline = try await CrawlReplayTests.captureBaseline()
        // Slow answers keep the first run writing for several seconds.
        let server = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .a,
                                      faults: try ReplayFaults.parse("slow:every=1,slow_ms=40"))
        let port = try server.start()
        defer { server.stop() }
        let dir = try TestEnvironment.temporaryDirectory("secondrun")
        let db = dir.appendingPathComponent("run.db").path
        let arguments = ["run", "--config", "/dev/null", "--db", db, "--set", "run.stages=crawl", "--quiet"]
            + CrawlReplayTests.crawlOverrides(port: port).flatMap { ["--set", $0] }
        let first = try BackgroundMoltscope(arguments, in: dir)
        #expect(try await TestEnvironment.wait { try TestEnvironment.count(db, "SELECT count(*) FROM posts") > 0 })
        try #require(first.isRunning, "the first run is still writing")

        let second = try await ProcessResult.run(try TestEnvironment.moltscopeBinary(), arguments, in: dir)
        #expect(second.status == 1)
        #expect(second.stderr.split(separator: "\n").count == 1, "one line: \(second.stderr)")
        #expect(second.stderr.contains("another moltscope run is writing \(db)"), "\(second.stderr)")
        #expect(second.stderr.contains("wait for it to finish"), "\(second.stderr)")

        let result = try first.finish()
        #expect(result.status == 0, "\(result.stderr)")
        let crawled = try TestEnvironment.contentDigest(db)
        #expect(crawled["posts"] == baseline["posts"] && crawled["comments"] == baseline["comments"])
        // The refused run left no trace: one run, completed.
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM runs") == 1)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM runs WHERE status = 'completed'") == 1)
    }
}
