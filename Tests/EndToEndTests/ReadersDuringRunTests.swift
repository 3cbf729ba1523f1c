import Foundation
import GRDB
import MoltbookReplay
import MoltscopeTestSupport
import Testing

/// WAL mode as users meet it: `moltscope sql` in other processes and a read-only GRDB reader
/// (no busy timeout, as GRDB and the `sqlite3` shell default to) query the database while a real
/// `moltscope run` writes it and ends, and none of them ever sees "database is locked" or a count
/// going backwards. `moltscope sql` itself never writes.
@Suite(.serialized)
struct ReadersDuringRunTests {
    /// A read-only reader, as another program would open the file.
    static func readOnlyCount(_ path: String) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM posts") ?? -1
        }
    }

    static func sqlCount(_ binary: URL, db: String, in dir: URL) async throws -> (count: Int?, result: ProcessResult) {
        try await offThePool { try sqlCount(binary, db: db, in: dir) }
    }

    static func sqlCount(_ binary: URL, db: String, in dir: URL) throws -> (count: Int?, result: ProcessResult) {
        let result = try ProcessResult.run(binary, ["sql", "--db", db, "--format", "csv", "SELECT count(*) FROM posts"], in: dir)
        let lines = result.stdout.split(separator: "\n")
        return (lines.count == 2 ? Int(lines[1]) : nil, result)
    }

    /// What the readers saw while the run wrote.
    struct Observations: Sendable {
        var sqlQueries = 0, readerQueries = 0, growingObservations = 0
        var failures: [String] = []
    }

    /// Queries with `moltscope sql` and a read-only reader, in turn, until the run ends. Blocking:
    /// runs on a Dispatch thread, so the readers keep pace with the run however busy the test
    /// bundle's two pool threads are.
    static func observe(_ run: BackgroundMoltscope, binary: URL, db: String, in dir: URL) throws -> Observations {
        var seen = Observations()
        var lastSQL = 0, lastReader = 0
        while run.isRunning {
            let (count, result) = try sqlCount(binary, db: db, in: dir)
            if let count {
                seen.sqlQueries += 1
                if count < lastSQL { seen.failures.append("moltscope sql count went from \(lastSQL) to \(count)") }
                if count > lastSQL && count < 200 { seen.growingObservations += 1 }
                lastSQL = max(lastSQL, count)
            } else if run.isRunning || result.status != 0 {
                seen.failures.append("moltscope sql failed (\(result.status)): \(result.stderr)")
            }
            for _ in 0..<5 {
                do {
                    let count = try readOnlyCount(db)
                    seen.readerQueries += 1
                    if count < lastReader { seen.failures.append("reader count went from \(lastReader) to \(count)") }
                    lastReader = max(lastReader, count)
                } catch {
                    seen.failures.append("read-only reader failed: \(error)")
                }
            }
        }
        return seen
    }

    @Test func sqlAndReadOnlyReadersNeverFailOrGoBackwardsWhileARunWrites() async throws {
        let binary = try TestEnvironment.moltscopeBinary()
        // Slow answers stretch the crawl over 25 s or more of small commits, so even on a loaded
        // machine, where each `moltscope sql` process may take seconds to start, several land mid-run.
        let server = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .b,
                                      faults: try ReplayFaults.parse("slow:every=1,slow_ms=250"))
        let port = try server.start()
        defer { server.stop() }
        let dir = try TestEnvironment.temporaryDirectory("readers")
        let db = dir.appendingPathComponent("run.db").path
        let arguments = ["run", "--config", "/dev/null", "--db", db, "--set", "run.stages=crawl", "--set", "run.batch_size=4",
                         "--quiet"] + CrawlReplayTests.crawlOverrides(port: port, extra: ["crawl.concurrency=2"]).flatMap { ["--set", $0] }
        let run = try BackgroundMoltscope(arguments, in: dir)
        #expect(try await TestEnvironment.wait { try FileManager.default.fileExists(atPath: db) && Self.readOnlyCount(db) >= 0 })

        let seen = try await offThePool { try Self.observe(run, binary: binary, db: db, in: dir) }
        let result = try await run.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(seen.failures.isEmpty, "\(seen.failures.prefix(5))")
        // Counts of queries that landed mid-run depend on the machine's load (each `moltscope sql`
        // is a new process); one of each, and one view of the run part-way, is the point.
        #expect(seen.sqlQueries >= 1 && seen.readerQueries >= 5,
                "queried during the run: \(seen.sqlQueries) sql, \(seen.readerQueries) reader")
        #expect(seen.growingObservations >= 1, "saw the run part-way at least once")
        // After the run every reader sees the final tables.
        let final = try TestEnvironment.count(db, "SELECT count(*) FROM posts")
        #expect(final == 200)
        await #expect(try Self.sqlCount(binary, db: db, in: dir).count == final)
        #expect(try Self.readOnlyCount(db) == final)
        // The run ended without SQLite's checkpoint-on-close, which holds an EXCLUSIVE lock (every
        // reader opening then fails at once unless it waits) and deletes the WAL; moltscope copied
        // the WAL into the file itself and left it empty. (CI once saw five readers fail there.)
        let wal = try FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? NSNumber
        #expect(wal?.intValue == 0)
    }

    @Test(arguments: [
        "DELETE FROM posts", "UPDATE posts SET title = 'x'", "DROP TABLE posts", "ATTACH 'other.db' AS other",
        "ATTACH 'file:other2.db?mode=rwc' AS other", "PRAGMA writable_schema = ON", "PRAGMA query_only = 0",
        "PRAGMA query_only(0)", "PRAGMA main.user_version = 7", "PRAGMA journal_mode = DELETE", "VACUUM", "VACUUM INTO 'copy.db'",
        "SELECT load_extension('libsqlite3.so.0')", "CREATE TEMP TABLE t(x)", "SELECT 1; DELETE FROM posts",
    ])
    func sqlRefusesEveryWayToWriteInOneLine(statement: String) async throws {
        let binary = try TestEnvironment.moltscopeBinary()
        let dir = try TestEnvironment.temporaryDirectory("sqlrefuses")
        let db = dir.appendingPathComponent("run.db").path
        let run = try await ProcessResult.run(binary, ["run", "--config", "/dev/null", "--db", db, "--set",
                                                 "crawl.capture=\(TestEnvironment.sampleCapture)", "--set", "run.stages=crawl", "--quiet"], in: dir)
        try #require(run.status == 0, "\(run.stderr)")
        let before = try TestEnvironment.contentDigest(db)
        let schema = try TestEnvironment.strings(db, "SELECT name || ':' || coalesce(sql, '') FROM sqlite_master ORDER BY name")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()

        let refused = try await ProcessResult.run(binary, ["sql", "--db", db, statement], in: dir)
        #expect(refused.status == 1, "\(statement): \(refused.stdout)")
        #expect(refused.stderr.hasPrefix("moltscope: usage error: "), "\(statement): \(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(statement): \(refused.stderr)")
        #expect(refused.stdout.isEmpty)

        #expect(try TestEnvironment.contentDigest(db) == before)
        #expect(try TestEnvironment.strings(db, "SELECT name || ':' || coalesce(sql, '') FROM sqlite_master ORDER BY name") == schema)
        #expect(try TestEnvironment.strings(db, "PRAGMA journal_mode") == ["wal"])
        #expect(try TestEnvironment.count(db, "PRAGMA user_version") == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == files, "no file created")
    }
}
