import Foundation

/// A finished child process: its exit status and everything it printed.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdoutData: Data
    public var stderrData: Data

    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrData, as: UTF8.self) }

    public init(status: Int32, stdoutData: Data, stderrData: Data) {
        self.status = status
        self.stdoutData = stdoutData
        self.stderrData = stderrData
    }

    public init(status: Int32, stdout: String, stderr: String) {
        self.init(status: status, stdoutData: Data(stdout.utf8), stderrData: Data(stderr.utf8))
    }

    /// Runs `executable` to its end. Both pipes are drained at once (stderr on a thread of its
    /// own), so a child that fills one while the other is read cannot deadlock.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String]? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errors = DrainedPipe(err)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdoutData: outData, stderrData: errData)
    }

    /// A Python script run single-threaded (as moltscope's own numerics run), for the reference
    /// implementations the golden tests compare against.
    public static func python(_ script: String, _ arguments: [String]) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        for key in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] { environment[key] = "1" }
        return try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script] + arguments, environment: environment)
    }
}

/// Waiting for a child process off Swift's cooperative pool (see `offThePool`). In an async
/// context these overloads are chosen, so the compiler points at every wait to move.
extension ProcessResult {
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String]? = nil) async throws -> ProcessResult {
        try await offThePool { try run(executable, arguments, in: directory, environment: environment) }
    }
}

extension Process {
    public func waitUntilExit() async {
        await offThePool { self.waitUntilExit() }
    }
}

/// Reads a pipe to its end on a Dispatch thread.
private final class DrainedPipe: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        DispatchQueue.global().async {
            self.data = pipe.fileHandleForReading.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
