import Foundation
import MoltscopeTestSupport

/// Another program holding a database's write lock: python3's sqlite3 in `BEGIN EXCLUSIVE`
/// until it is told to let go (a line on its stdin) or killed.
final class SQLiteLockHolder: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()

    static var available: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }

    /// Returns once the lock is held; waits on a Dispatch thread, not the test's.
    static func holding(_ path: String) async throws -> SQLiteLockHolder {
        try await offThePool { try SQLiteLockHolder(database: path) }
    }

    /// Returns once the lock is held; blocks the calling thread until python has it.
    init(database path: String) throws {
        let script = """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
            c.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            sys.stdin.readline()
            c.execute("COMMIT")
            c.close()
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Its first line says the lock is taken (or it died: EOF).
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard String(decoding: line, as: UTF8.self) == "locked" else { throw SQLiteLockHolderError.couldNotLock(path) }
    }

    /// Commits (releasing the lock) and waits, on a Dispatch thread, for the program to end.
    func release() async {
        await offThePool { self.release() }
    }

    /// Commits (releasing the lock) and waits for the program to end; blocks the calling thread.
    func release() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.write(contentsOf: Data("\n".utf8))
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }
}

enum SQLiteLockHolderError: Error { case couldNotLock(String) }
