import Foundation
import GRDB
import MoltscopeCore
import MoltscopeTestSupport
import Testing

/// How a process lets go of the results database: readers that never set a busy timeout (the
/// `sqlite3` shell, GRDB's default, a notebook) must not see "database is locked" at that moment,
/// and the file must hold every committed row afterwards, WAL or no WAL.
///
/// SQLite's own close only locks readers out across processes (within one, the readers' open
/// connections keep it from checkpointing at all), so the end-to-end `ReadersDuringRunTests`
/// catch that; these pin what `close()` does instead: copy the WAL into the file, never blocking.
@Suite("ResultsStore: closing")
struct StoreCloseTests {
    /// What a reader without a busy timeout saw, opening the database again and again.
    final class ReaderLoop: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        private(set) var successes = 0
        private(set) var failures: [String] = []

        func run(path: String) {
            var configuration = Configuration()
            configuration.readonly = true  // busy mode: GRDB's default, fail at once
            while !lock.withLock({ stopped }) {
                do {
                    let count = try DatabaseQueue(path: path, configuration: configuration).read { db in
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM t") ?? 0
                    }
                    lock.withLock { successes += count >= 0 ? 1 : 0 }
                } catch {
                    lock.withLock { failures.append("\(error)") }
                }
                usleep(2_000)
            }
        }

        var seen: (successes: Int, failures: [String]) { lock.withLock { (successes, failures) } }
        func stop() { lock.withLock { stopped = true } }
    }

    @Test func readersWithoutABusyTimeoutNeverSeeTheCloseAndTheFileHoldsEverything() async throws {
        let directory = try makeTemporaryDirectory("moltscope-close")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("results.sqlite").path
        let store = try ResultsStore(path: path, migrations: [StoreMigration("t") { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)")
        }])
        // ~60 MB left in the WAL: without automatic checkpoints, closing has all of it to copy,
        // which SQLite's own close does under an EXCLUSIVE lock (about half a second here).
        let rows = 20_000
        try await store.pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.inTransaction {
                let insert = try db.makeStatement(sql: "INSERT INTO t (data) VALUES (randomblob(3000))")
                for _ in 0..<rows { try insert.execute() }
                return .commit
            }
        }
        let wal = path + "-wal"
        #expect(try walSize(wal) > 50_000_000)

        let reader = ReaderLoop()
        let readerDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            reader.run(path: path)
            readerDone.signal()
        }
        let started = await waitFor { reader.seen.successes >= 20 }
        #expect(started, "the reader opened the database: \(reader.seen)")

        await offThePool { store.close() }
        let successesAtClose = reader.seen.successes
        let continued = await waitFor { reader.seen.successes >= successesAtClose + 20 }
        reader.stop()
        await offThePool { readerDone.wait() }

        #expect(continued, "the reader went on after the close: \(reader.seen)")
        #expect(reader.seen.failures.isEmpty, "\(reader.seen.failures.count) failed opens, first: \(reader.seen.failures.first ?? "")")
        #expect(try walSize(wal) == 0, "the close copied the WAL into the file")
        // The database file alone (as a copy that forgot the -wal would be) has every row.
        let copy = directory.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let copied = try await DatabaseQueue(path: copy).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") }
        #expect(copied == rows)
    }

    /// A reader keeps an old snapshot open through the close: the close gives up on copying
    /// the WAL (it waits half a second, not the store's 10 s busy timeout, before it does), leaves
    /// it for the next open, and loses nothing.
    @Test func aLongReaderDuringTheCloseLosesNothing() async throws {
        let directory = try makeTemporaryDirectory("moltscope-close-reader")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("results.sqlite").path
        let store = try ResultsStore(path: path, migrations: [StoreMigration("t") { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)")
        }])
        try await store.pool.write { db in try db.execute(sql: "INSERT INTO t (data) VALUES (randomblob(100))") }

        var configuration = Configuration()
        configuration.readonly = true
        let reader = try DatabaseQueue(path: path, configuration: configuration)
        let gotSnapshot = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let seen = try? reader.read { db -> Int? in
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM t")
                gotSnapshot.signal()
                release.wait()
                return count
            }
            #expect(seen == 1, "the reader kept its snapshot")
            done.signal()
        }
        await offThePool { gotSnapshot.wait() }
        // Written after the reader's snapshot: no checkpoint can truncate the WAL under the reader.
        try await store.pool.write { db in try db.execute(sql: "INSERT INTO t (data) VALUES (randomblob(100))") }

        await offThePool { store.close() }
        let walAfterClose = try walSize(path + "-wal")
        release.signal()
        await offThePool { done.wait() }
        #expect(walAfterClose > 0, "the WAL stays for the next open")
        let count = try await DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") }
        #expect(count == 2)
    }

    private func walSize(_ wal: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: wal)[.size] as? NSNumber)?.intValue ?? -1
    }

    /// Polls without blocking the test's pool threads; a minute is far beyond what either needs.
    private func waitFor(_ condition: @Sendable () -> Bool) async -> Bool {
        for _ in 0..<6_000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
