import Foundation
import MoltbookReplay
import MoltscopeTestSupport
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
    static func prepared(_ name: String) async throws -> (dir: URL, db: String, reference: String) {
        let binary = try TestEnvironment.moltscopeBinary()
        let dir = try TestEnvironment.temporaryDirectory(name)
        let small = try EmbedPipelineTests.smallCapture(posts: 20, in: dir)
        let db = dir.appendingPathComponent("run.db").path
        let first = try await ProcessResult.run(binary, arguments(db: db, capture: small), in: dir)
        try #require(first.status == 0, "\(first.stderr)")
        let reference = dir.appendingPathComponent("reference.db").path
        let whole = try await ProcessResult.run(binary, arguments(db: reference, capture: TestEnvironment.sampleCapture), in: dir)
        try #require(whole.status == 0, "\(whole.stderr)")
        return (dir, db, reference)
    }

    @Test(.enabled(if: SQLiteLockHolder.available, "needs python3 to hold a lock"))
    func aLockHeldLongerThanTheBusyTimeoutFailsInOneLineAndTheNextRunCompletes() async throws {
        let (dir, db, reference) = try await Self.prepared("lockheld")
        let binary = try TestEnvironment.moltscopeBinary()
        let holder = try await SQLiteLockHolder.holding(db)
        // Held until the run has given up (its busy timeout is 10 s).
        let blocked = try await ProcessResult.run(binary, Self.arguments(db: db, capture: TestEnvironment.sampleCapture), in: dir)
        await holder.release()
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
        let (dir, db, reference) = try await Self.prepared("lockreleased")
        let holder = try await SQLiteLockHolder.holding(db)
        let run = try BackgroundMoltscope(Self.arguments(db: db, capture: TestEnvironment.sampleCapture), in: dir)
        // The run cannot write while the lock is held: it is still waiting a second later. Timed
        // on a Dispatch thread, so the release comes well inside the run's 10 s busy timeout
        // however long the test's own tasks wait for one of the bundle's two pool threads.
        let (waiting, posts) = await offThePool { () -> (Bool, Int?) in
            Thread.sleep(forTimeInterval: 1)
            let waiting = run.isRunning
            let posts = try? TestEnvironment.count(db, "SELECT count(*) FROM posts")
            holder.release()
            return (waiting, posts)
        }
        #expect(waiting, "the run waits for the lock instead of failing at once")
        #expect(posts == 20)
        let result = try await run.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try DatabaseChecks.integrity(db) == "ok")
        #expect(try TestEnvironment.contentDigest(db) == TestEnvironment.contentDigest(reference))
    }

    @Test func aSecondRunOnTheSameDatabaseFailsInOneLineWhileTheFirstFinishes() async throws {
        let baseline = try await CrawlReplayTests.captureBaseline()
        // Slow answers keep the first run writing for ten seconds or more.
        let server = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .a,
                                      faults: try ReplayFaults.parse("slow:every=1,slow_ms=120"))
        let port = try server.start()
        defer { server.stop() }
        let dir = try TestEnvironment.temporaryDirectory("secondrun")
        let db = dir.appendingPathComponent("run.db").path
        let arguments = ["run", "--config", "/dev/null", "--db", db, "--set", "run.stages=crawl", "--quiet"]
            + CrawlReplayTests.crawlOverrides(port: port).flatMap { ["--set", $0] }
        let first = try BackgroundMoltscope(arguments, in: dir)
        // The second run starts as soon as the first has written, from a Dispatch thread (the
        // test's own tasks may wait seconds for a pool thread).
        let binary = try TestEnvironment.moltscopeBinary()
        let (firstWasRunning, second) = try await offThePool { () throws -> (Bool, ProcessResult) in
            _ = TestEnvironment.blockingWait(until: "SELECT count(*) FROM posts", in: db, reaches: 1, while: first.process)
            let running = first.isRunning
            return (running, try ProcessResult.run(binary, arguments, in: dir))
        }
        try #require(firstWasRunning, "the first run is still writing")
        #expect(second.status == 1)
        #expect(second.stderr.split(separator: "\n").count == 1, "one line: \(second.stderr)")
        #expect(second.stderr.contains("another moltscope run is writing \(db)"), "\(second.stderr)")
        #expect(second.stderr.contains("wait for it to finish"), "\(second.stderr)")

        let result = try await first.finish()
        #expect(result.status == 0, "\(result.stderr)")
        let crawled = try TestEnvironment.contentDigest(db)
        #expect(crawled["posts"] == baseline["posts"] && crawled["comments"] == baseline["comments"])
        // The refused run left no trace: one run, completed.
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM runs") == 1)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM runs WHERE status = 'completed'") == 1)
    }
}
