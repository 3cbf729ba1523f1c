import Foundation
import MoltscopeTestSupport
import Testing

/// A real `moltscope run` whose database lives on a disk that fills up (a tmpfs of about 1 MB):
/// the run stops with one line saying so and what to do, the database is whole, what was
/// committed stays, and once the disk has room the same command finishes the job exactly.
@Suite(.serialized, .enabled(if: SmallDisk.permitted, "mounting a tmpfs is not permitted here (run the tests as root to cover a full disk)"))
struct DiskFullTests {
    static func runArguments(db: String) -> [String] {
        ["run", "--config", "/dev/null", "--db", db, "--set", "crawl.capture=\(TestEnvironment.sampleCapture)",
         "--set", "run.stages=crawl,clean", "--set", "run.batch_size=8", "--quiet"]
    }

    @Test func aFullDiskStopsTheRunInOneLineAndTheRerunWithRoomFinishesIt() async throws {
        let binary = try TestEnvironment.moltscopeBinary()
        let roomy = try TestEnvironment.temporaryDirectory("diskfullreference")
        let reference = roomy.appendingPathComponent("reference.db").path
        let uninterrupted = try await ProcessResult.run(binary, Self.runArguments(db: reference), in: roomy)
        try #require(uninterrupted.status == 0, "\(uninterrupted.stderr)")

        // The sample's crawl and clean need about 5 MB; 1.2 MB fills during the crawl.
        let disk = try SmallDisk.mount(kilobytes: 1200)
        defer { disk.unmount() }
        let db = disk.mountPoint.appendingPathComponent("run.db").path
        let full = try await ProcessResult.run(binary, Self.runArguments(db: db), in: disk.mountPoint)
        #expect(full.status == 1)
        let lines = full.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(full.stderr)")
        #expect(full.stderr.contains("disk full") && full.stderr.contains("run.db"), "\(full.stderr)")
        #expect(full.stderr.contains("free space") && full.stderr.contains("--db"), "says what to do: \(full.stderr)")

        // Whole, and what was committed before the disk filled is there, unchanged.
        #expect(try DatabaseChecks.integrity(db) == "ok")
        let committed = try TestEnvironment.count(db, "SELECT count(*) FROM posts")
        #expect(committed > 0 && committed < 200, "the disk filled mid-crawl (\(committed) posts)")
        #expect(try DatabaseChecks.rowsDifferingFromReference(db, reference: reference, table: "posts", key: "id") == 0)
        #expect(try DatabaseChecks.rowsDifferingFromReference(db, reference: reference, table: "comments", key: "id") == 0)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM runs WHERE status = 'failed' AND error LIKE '%disk full%'") == 1)

        // More room, the same command: the tables equal the uninterrupted run's.
        try disk.grow(toKilobytes: 64 * 1024)
        let rerun = try await ProcessResult.run(binary, Self.runArguments(db: db), in: disk.mountPoint)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try DatabaseChecks.integrity(db) == "ok")
        #expect(try TestEnvironment.contentDigest(db) == TestEnvironment.contentDigest(reference))
        let documents = "SELECT id, kind, text, language, status, drop_reason, content_hash FROM documents ORDER BY id"
        #expect(try DatabaseChecks.digest(db, documents) == DatabaseChecks.digest(reference, documents))
    }

    @Test func aDatabaseCopiedToARoomyFolderFinishesThere() async throws {
        let binary = try TestEnvironment.moltscopeBinary()
        let roomy = try TestEnvironment.temporaryDirectory("diskfullcopy")
        let reference = roomy.appendingPathComponent("reference.db").path
        try await #require(try ProcessResult.run(binary, Self.runArguments(db: reference), in: roomy).status == 0)

        let disk = try SmallDisk.mount(kilobytes: 1200)
        defer { disk.unmount() }
        let db = disk.mountPoint.appendingPathComponent("run.db").path
        let full = try await ProcessResult.run(binary, Self.runArguments(db: db), in: disk.mountPoint)
        #expect(full.status == 1 && full.stderr.contains("disk full"), "\(full.stderr)")

        // What the message suggests: move the database (with its WAL) and pass the new path.
        let moved = roomy.appendingPathComponent("run.db").path
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
            try FileManager.default.copyItem(atPath: db + suffix, toPath: moved + suffix)
        }
        #expect(try DatabaseChecks.integrity(moved) == "ok")
        let rerun = try await ProcessResult.run(binary, Self.runArguments(db: moved), in: roomy)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try TestEnvironment.contentDigest(moved) == TestEnvironment.contentDigest(reference))
    }
}
