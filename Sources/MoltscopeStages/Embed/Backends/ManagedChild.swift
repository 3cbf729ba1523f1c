import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One spawned server process and the dedicated thread that watches it.
///
/// The thread spawns the child, pumps its stdout and stderr (logged at debug level; the last lines
/// kept for error messages), reaps it, and lives exactly as long as it. That matters on Linux:
/// the child is started through `setpriv --pdeathsig TERM` when available, and the kernel sends
/// that signal when the *thread* that spawned it ends, which here is only when moltscope itself
/// dies. So a crashed or killed moltscope does not leave a model server running.
///
/// Spawned with `posix_spawn` rather than Foundation's `Process`, which cannot reset what a child
/// inherits: moltscope's signal trap ignores SIGTERM and SIGINT, and threads spawned from the
/// cooperative pool carry a blocked signal mask, so a `Process` child would ignore the SIGTERM of
/// `stop()` (always the SIGKILL path) and of the parent-death signal (an orphan). Here the child
/// starts with default signal handling, an empty mask, no inherited descriptors beyond 0-2, and its
/// own process group: a Ctrl-C in the terminal does not reach it (moltscope stops it itself after
/// finishing its batch), and signals go to the whole group, so servers with workers stop entirely.
final class ManagedChild: @unchecked Sendable {
    let pid: Int32
    let label: String

    // Guarded by `condition`. The child is reaped under it too, so a signal sent under it never
    // reaches a recycled pid.
    private let condition = NSCondition()
    private var termination: (status: Int32, signaled: Bool)?
    private var finished = false
    private var stderrTail = LineTail(limit: 20)
    private var stdoutTail = LineTail(limit: 20)

    private init(pid: Int32, label: String) {
        self.pid = pid
        self.label = label
    }

    // MARK: Launching

    /// Spawns `executable` on a new thread and returns once it runs (or failed to start).
    static func launch(executable: String, arguments: [String], label: String,
                       logger: Logger) async throws -> ManagedChild {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ManagedChild, any Error>) in
            let thread = Thread {
                run(executable: executable, arguments: arguments, label: label, logger: logger,
                    started: { continuation.resume(with: $0) })
            }
            thread.name = "moltscope-model-server"
            thread.start()
        }
    }

    /// The thread's whole life: spawn, pump output and reap the child, then return.
    private static func run(executable: String, arguments: [String], label: String, logger: Logger,
                            started: (Result<ManagedChild, any Error>) -> Void) {
        var argv = [executable] + arguments
        if let setpriv = ParentDeathSignal.launcher {
            argv = [setpriv, "--pdeathsig", "TERM", "--"] + argv
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"  // Python servers: lines as they are written
        let spawned: ChildSpawn.Spawned
        do {
            spawned = try ChildSpawn.spawn(argv, environment: environment)
        } catch {
            started(.failure(error))
            return
        }
        let child = ManagedChild(pid: spawned.pid, label: label)
        started(.success(child))
        logger.debug("model server started", metadata: ["pid": "\(child.pid)", "command": .string(label)])
        child.watch(stdout: spawned.stdout, stderr: spawned.stderr, logger: logger)
        close(spawned.stdout)
        close(spawned.stderr)
    }

    /// Reads both pipes and reaps the child. Stops reading once the pipes close, or a second after
    /// the child exited if a grandchild keeps them open; returns once the child is reaped.
    private func watch(stdout: Int32, stderr: Int32, logger: Logger) {
        var open: [(fd: Int32, isStderr: Bool, partial: [UInt8])] = [(stdout, false, []), (stderr, true, [])]
        var exitSeen: Date?
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while !open.isEmpty {
            if exitSeen == nil, reap() { exitSeen = Date() }
            if let exitSeen, Date().timeIntervalSince(exitSeen) > 1 { break }
            var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), 100) > 0 else { continue }
            var closed: [Int] = []
            for index in fds.indices where fds[index].revents != 0 {
                let count = read(fds[index].fd, &buffer, buffer.count)
                if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                if count <= 0 {
                    closed.append(index)
                    continue
                }
                open[index].partial.append(contentsOf: buffer[..<count])
                emitLines(&open[index].partial, isStderr: open[index].isStderr, final: false, logger: logger)
            }
            for index in closed.reversed() {
                emitLines(&open[index].partial, isStderr: open[index].isStderr, final: true, logger: logger)
                open.remove(at: index)
            }
        }
        for index in open.indices {
            emitLines(&open[index].partial, isStderr: open[index].isStderr, final: true, logger: logger)
        }
        // Output closed while the child runs on (or just exiting): wait for it, briefly polling.
        while !reap() { usleep(20_000) }
        condition.withLock {
            finished = true
            condition.broadcast()
        }
        logger.debug("model server exited", metadata: ["pid": "\(pid)", "status": .string(exitDescription ?? "?")])
    }

    /// Reaps the child if it has exited (without waiting); true once it has been reaped.
    private func reap() -> Bool {
        condition.withLock {
            if termination != nil { return true }
            var status: Int32 = 0
            var result: Int32
            repeat { result = waitpid(pid, &status, WNOHANG) } while result < 0 && errno == EINTR
            if result == 0 { return false }
            if result < 0 {
                termination = (-1, false)  // not ours to wait for any more (ECHILD): gone
            } else {
                // WIFSIGNALED / WTERMSIG / WEXITSTATUS, which Swift does not import.
                let signal = status & 0x7F
                termination = signal != 0 && signal != 0x7F ? (signal, true) : ((status >> 8) & 0xFF, false)
            }
            condition.broadcast()
            return true
        }
    }

    private func emitLines(_ partial: inout [UInt8], isStderr: Bool, final: Bool, logger: Logger) {
        var lines: [String] = []
        while let newline = partial.firstIndex(of: 0x0A) {
            lines.append(String(decoding: partial[..<newline], as: UTF8.self))
            partial.removeSubrange(...newline)
        }
        // A line longer than a buffer's worth, or the unterminated end: flush it as is.
        if final || partial.count > 8192, !partial.isEmpty {
            lines.append(String(decoding: partial, as: UTF8.self))
            partial.removeAll()
        }
        for raw in lines {
            let line = String(raw.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
            guard !line.isEmpty else { continue }
            logger.debug("model server: \(line)", metadata: ["pid": "\(pid)", "stream": isStderr ? "stderr" : "stdout"])
            condition.withLock {
                if isStderr { stderrTail.append(line) } else { stdoutTail.append(line) }
            }
        }
    }

    // MARK: State

    var hasTerminated: Bool { condition.withLock { termination != nil } }

    /// Exited, and its output read to the end: the stderr tail is complete.
    var hasFinished: Bool { condition.withLock { finished } }

    /// "exited with status 3", "was killed by signal 9"; nil while running.
    var exitDescription: String? {
        condition.withLock {
            guard let termination else { return nil }
            return termination.signaled ? "was killed by signal \(termination.status)"
                : "exited with status \(termination.status)"
        }
    }

    /// The last lines the child wrote to stderr (or, when it wrote none there, to stdout).
    var recentOutput: [String] {
        condition.withLock { stderrTail.lines.isEmpty ? stdoutTail.lines : stderrTail.lines }
    }

    /// The last stderr line worth showing: tracebacks end with the exception, so the last line.
    var lastErrorLine: String? { recentOutput.last }

    /// Blocks the calling thread until the child has exited or `timeout` passes; true when it exited.
    @discardableResult
    func waitForTermination(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        return condition.withLock {
            while termination == nil {
                if !condition.wait(until: deadline) { return termination != nil }
            }
            return true
        }
    }

    /// Waits (without blocking a thread) until the output is read to the end, at most `timeout`.
    func waitUntilFinished(timeout: Double) async {
        let deadline = Date().addingTimeInterval(timeout)
        while !hasFinished && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    // MARK: Stopping

    /// Sends `signal` to the child's process group (falling back to the child) while it runs.
    func send(_ signal: Int32) {
        condition.withLock {
            guard termination == nil else { return }
            if kill(-pid, signal) != 0 { _ = kill(pid, signal) }
        }
    }

    /// `terminate` on a thread of its own, for async callers: the cooperative pool is not blocked.
    func terminateOffThread(grace: Double) async {
        guard !hasTerminated else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                self.terminate(grace: grace)
                continuation.resume()
            }
            thread.name = "moltscope-model-server-stop"
            thread.start()
        }
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; returns once the child has exited (blocking).
    func terminate(grace: Double) {
        guard !hasTerminated else { return }
        send(SIGTERM)
        if waitForTermination(timeout: grace) { return }
        send(SIGKILL)
        waitForTermination(timeout: 5)
    }
}

/// The last `limit` lines of a stream.
struct LineTail {
    let limit: Int
    private(set) var lines: [String] = []

    init(limit: Int) {
        self.limit = limit
    }

    mutating func append(_ line: String) {
        lines.append(line)
        if lines.count > limit { lines.removeFirst(lines.count - limit) }
    }
}

/// `setpriv --pdeathsig` (util-linux), when this system has one that understands the option.
enum ParentDeathSignal {
    static let launcher: String? = {
        #if os(Linux)
        guard let path = ServerCommand.resolve("setpriv") ?? ["/usr/bin/setpriv", "/bin/setpriv"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else { return nil }
        // Old util-linux lacks the option: try it once.
        guard let probe = try? ChildSpawn.spawn([path, "--pdeathsig", "TERM", "--", "/bin/sh", "-c", "exit 0"],
                                                environment: ProcessInfo.processInfo.environment) else { return nil }
        close(probe.stdout)
        close(probe.stderr)
        var status: Int32 = 0
        var result: Int32
        repeat { result = waitpid(probe.pid, &status, 0) } while result < 0 && errno == EINTR
        return result == probe.pid && status == 0 ? path : nil
        #else
        return nil
        #endif
    }()
}
