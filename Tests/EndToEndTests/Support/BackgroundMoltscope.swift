import Foundation
import MoltscopeTestSupport

/// A `moltscope` process left running while the test does other things; its output goes to
/// files (a pipe nobody reads could fill and stall it).
final class BackgroundMoltscope: @unchecked Sendable {
    let process = Process()
    private let stdoutFile: URL
    private let stderrFile: URL

    /// `executable`: another program than moltscope (e.g. `script`, to give it a terminal).
    init(_ arguments: [String], in directory: URL, environment: [String: String]? = nil, executable: URL? = nil) throws {
        let name = UUID().uuidString.prefix(8)
        stdoutFile = directory.appendingPathComponent("bg-\(name).out")
        stderrFile = directory.appendingPathComponent("bg-\(name).err")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = try executable ?? TestEnvironment.moltscopeBinary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// Waits for the end (on a Dispatch thread, not the test's) and returns what it printed.
    func finish() async throws -> ProcessResult {
        try await offThePool { try self.finish() }
    }

    /// Waits for the end and returns what it printed; blocks the calling thread.
    func finish() throws -> ProcessResult {
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus,
                             stdout: try String(contentsOf: stdoutFile, encoding: .utf8),
                             stderr: try String(contentsOf: stderrFile, encoding: .utf8))
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }
}

extension TestEnvironment {
    /// Polls `condition` every 20 ms until it holds (true) or `seconds` pass (false).
    static func wait(upTo seconds: Double = 180, for condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? condition()) == true { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    /// Polls `count` (a `SELECT count(*)`) in `db` every 5 ms until it reaches `threshold` and
    /// returns it; nil once `process` has ended or `seconds` passed. Blocks the calling thread:
    /// call it inside `offThePool`, so a test's moment of action is not late when the bundle's
    /// two pool threads are busy. A wait, not a bound: runs reach their point slowly on a busy machine.
    static func blockingWait(until count: String, in db: String, reaches threshold: Int, while process: Process,
                             upTo seconds: Double = 600) -> Int? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline {
            if FileManager.default.fileExists(atPath: db), let value = try? TestEnvironment.count(db, count), value >= threshold {
                return value
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return nil
    }
}
