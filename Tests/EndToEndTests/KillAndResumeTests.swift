import Foundation
import MoltbookReplay
import MoltscopeCore
import MoltscopeTestSupport
import Testing

/// A real `moltscope run` process killed with SIGKILL mid-crawl, then started again, ends with
/// exactly the rows of an uninterrupted run: nothing lost, nothing twice.
@Suite(.serialized)
struct KillAndResumeTests {
    @Test func killedHTTPCrawlResumesToTheSameTables() async throws {
        let baseline = try await CrawlReplayTests.captureBaseline()
        // Slow answers stretch the crawl over ~10 s, so the kills land mid-run even when the
        // machine is busy with other tests and the poll below runs late.
        let server = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .b,
                                      faults: try ReplayFaults.parse("slow:every=1,slow_ms=50"))
        let port = try server.start()
        defer { server.stop() }
        let dir = try TestEnvironment.temporaryDirectory("kill")
        let config = dir.appendingPathComponent("kill.toml")
        try """
            [run]
            db = "kill.sqlite"
            batch_size = 8
            stages = ["crawl"]
            [crawl]
            base_url = "http://127.0.0.1:\(port)/api/v1"
            rate_limit_per_minute = 0
            concurrency = 2
            page_size = 20
            """.write(to: config, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("kill.sqlite").path

        var kills = 0
        for _ in 0..<2 {
            // Each run is killed 25 posts after where the previous one stopped, well before the 200.
            let before = FileManager.default.fileExists(atPath: db) ? try TestEnvironment.count(db, "SELECT count(*) FROM posts") : 0
            let process = try Self.launch(["run", "--config", config.path, "--quiet"], in: dir)
            let killed = await Self.kill(process, whenPostsReach: before + 25, db: db)
            if killed { kills += 1 }
        }
        #expect(kills == 2, "both kills landed mid-run")
        let stored = try TestEnvironment.count(db, "SELECT count(*) FROM posts")
        #expect(stored > 0 && stored < 200)

        let final = try await ProcessResult.run(try TestEnvironment.moltscopeBinary(), ["run", "--config", config.path, "--quiet"], in: dir)
        #expect(final.status == 0, "\(final.stderr)")
        let resumed = try TestEnvironment.contentDigest(db)
        #expect(resumed["posts"] == baseline["posts"])
        #expect(resumed["comments"] == baseline["comments"])
        #expect(resumed["agents"] == baseline["agents"])
        // Provenance tells the story: two runs interrupted, then one completed.
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM runs WHERE status = 'interrupted'") == 2)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM runs WHERE status = 'completed'") == 1)
        // Each post detail was committed once: a kill never stores a response twice.
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM (SELECT post_id FROM raw_responses WHERE kind = 'post_detail' GROUP BY post_id HAVING count(*) > 1)") == 0)
    }

    @Test func killedCaptureReadResumesToTheSameTables() async throws {
        let capture = TestEnvironment.sharedCapture ?? TestEnvironment.sampleCapture
        let dir = try TestEnvironment.temporaryDirectory("killcapture")
        let reference = dir.appendingPathComponent("reference.sqlite").path
        try await TestEnvironment.runPipeline(db: reference, overrides: ["crawl.capture=\(capture)"])
        let expected = try TestEnvironment.contentDigest(reference)

        let db = dir.appendingPathComponent("killed.sqlite").path
        let arguments = ["run", "--config", "/dev/null", "--db", db, "--set", "crawl.capture=\(capture)",
                         "--set", "run.batch_size=4", "--set", "run.stages=crawl", "--quiet"]
        let process = try Self.launch(arguments, in: dir)
        let killed = await Self.kill(process, whenPostsReach: 40, db: db)
        #expect(killed)
        let final = try await ProcessResult.run(try TestEnvironment.moltscopeBinary(), arguments, in: dir)
        #expect(final.status == 0, "\(final.stderr)")
        #expect(try TestEnvironment.contentDigest(db) == expected)
    }

    static func launch(_ arguments: [String], in directory: URL) throws -> Process {
        let process = Process()
        process.executableURL = try TestEnvironment.moltscopeBinary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// SIGKILLs the process once the database holds `threshold` posts; false if it finished first.
    /// Polls on a Dispatch thread: the test's own tasks may wait seconds for one of the bundle's
    /// two pool threads, and the kill would land late.
    static func kill(_ process: Process, whenPostsReach threshold: Int, db: String) async -> Bool {
        await offThePool {
            let reached = TestEnvironment.blockingWait(until: "SELECT count(*) FROM posts", in: db, reaches: threshold,
                                                       while: process)
            if reached != nil { Foundation.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return reached != nil && process.terminationReason == .uncaughtSignal
        }
    }
}
