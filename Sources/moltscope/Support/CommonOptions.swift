import ArgumentParser
import Foundation
import Logging
import MoltscopeCore
import MoltscopeStages

/// Options every pipeline command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Pipeline configuration (TOML).")
    var config: String = "pipelines/sample.toml"

    @Option(name: .long, help: "Results database; overrides run.db.")
    var db: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a configuration key.", valueName: "section.key=value"))
    var overrides: [String] = []

    @Flag(name: .shortAndLong, help: "Only errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Debug logs.")
    var verbose = false

    var outputMode: OutputMode { quiet ? .quiet : (verbose ? .verbose : .normal) }

    func loadConfig() throws -> PipelineConfig {
        var overrides = self.overrides
        if let db { overrides.append("run.db=\(db)") }
        return try PipelineConfig(path: config, overrides: overrides, schema: Stages.registry.configSchema)
    }

    func databasePath(_ config: PipelineConfig) -> String { config.string("run.db") ?? "moltscope.sqlite" }

    /// Runs `body` with the results database open under the run lock (one run per database at
    /// a time), created if need be, and closes it so that no reader is locked out as it ends.
    func withLockedStore<T>(_ config: PipelineConfig, logger: Logger, _ body: (ResultsStore) async throws -> T) async throws -> T {
        let path = databasePath(config)
        let lock = try RunLock(databasePath: path)
        let store = try ResultsStore(path: path, migrations: Stages.registry.migrations, logger: logger)
        defer {
            store.close()
            withExtendedLifetime(lock) {}
        }
        return try await body(store)
    }

    /// Runs `body` with the results database a run wrote (commands that only read results never
    /// create one), closed as `withLockedStore` closes it.
    func withExistingStore<T>(_ config: PipelineConfig, _ body: (ResultsStore) async throws -> T) async throws -> T {
        let path = databasePath(config)
        guard FileManager.default.fileExists(atPath: path) else {
            throw MoltscopeError(.usage, "no results database at \(path)", remedy: "run `moltscope run` first or pass --db")
        }
        let store = try ResultsStore(path: path, migrations: Stages.registry.migrations, logger: LogSetup.logger(mode: outputMode))
        defer { store.close() }
        return try await body(store)
    }
}

/// Runs a command body and turns every failure into one line on stderr and an exit code.
enum CommandRunner {
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch is CancellationError {
            FileHandle.standardError.write(Data("moltscope: interrupted; committed work is kept, run the same command again to resume\n".utf8))
            throw ExitCode(130)
        } catch let error as ExitCode {
            throw error
        } catch {
            let message = MoltscopeError.wrap(error, context: "unexpected failure").description
            FileHandle.standardError.write(Data("moltscope: \(message)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Runs `work` in a task that SIGINT/SIGTERM cancel: stages stop after committing what they have.
    static func interruptible<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await work() }
        let trap = SignalTrap { task.cancel() }
        defer { trap.release() }
        return try await task.value
    }
}

/// First SIGINT/SIGTERM: cancel cleanly. Second: leave at once (committed work is safe anyway).
final class SignalTrap: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private var fired = false
    private let lock = NSLock()

    init(onSignal: @escaping @Sendable () -> Void) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let again = self.lock.withLock { () -> Bool in
                    defer { self.fired = true }
                    return self.fired
                }
                if again {
                    ManagedModelServer.terminateAllNow()   // no orphaned model server
                    _exit(130)
                }
                FileHandle.standardError.write(Data("\nmoltscope: stopping after the current batch (Ctrl-C again to quit now)\n".utf8))
                onSignal()
            }
            source.resume()
            sources.append(source)
        }
    }

    func release() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
