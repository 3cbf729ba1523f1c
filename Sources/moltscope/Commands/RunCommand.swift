import ArgumentParser
import Foundation
import MoltscopeCore
import MoltscopeStages

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every stage, in order, bringing each up to date (resumes an interrupted run).")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        try await CommandRunner.run {
            let config = try options.loadConfig()
            try await PipelineSession(config: config, options: options).run(command: "run", plan: .pipeline(stages: nil))
        }
    }
}

struct StageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Rerun one stage from its stored inputs, replacing its outputs atomically.",
        discussion: "crawl rebuilds its tables from the raw responses it kept (no network). Stages: \(Stages.registry.names.joined(separator: ", ")).")

    @Argument(help: "The stage to rerun.")
    var name: String

    @Flag(help: "Also rerun every stage that depends on it.")
    var downstream = false

    @OptionGroup var options: CommonOptions

    func run() async throws {
        try await CommandRunner.run {
            let config = try options.loadConfig()
            _ = try Stages.registry.descriptor(name)
            try await PipelineSession(config: config, options: options)
                .run(command: "stage \(name)\(downstream ? " --downstream" : "")",
                     plan: .rebuild(stage: name, downstream: downstream))
        }
    }
}

/// Opens the store under the run lock and runs a plan, printing a short summary.
struct PipelineSession {
    let config: PipelineConfig
    let options: CommonOptions

    func run(command: String, plan: PipelineRunner.Plan) async throws {
        let path = options.databasePath(config)
        let logger = LogSetup.logger(mode: options.outputMode)
        let outcomes = try await options.withLockedStore(config, logger: logger) { store in
            let runner = PipelineRunner(registry: Stages.registry, store: store, config: config, logger: logger,
                                        outputMode: options.outputMode)
            do {
                return try await CommandRunner.interruptible { try await runner.run(command: command, plan: plan) }
            } catch {
                // Provenance writes (the runs table) fail too when the disk is full or the file locked.
                throw StoreErrors.describeIfDatabase(error, path: path, doing: "running the pipeline on")
            }
        }
        if !options.quiet {
            let total = outcomes.reduce(0) { $0 + $1.seconds }
            FileHandle.standardError.write(Data("moltscope: \(command) finished in \(String(format: "%.1f", total))s; results in \(path) (try: moltscope sql \"SELECT count(*) FROM posts\")\n".utf8))
        }
    }
}
