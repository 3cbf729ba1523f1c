import Foundation
import Logging

/// Runs stages in dependency order, each in the mode its state calls for, and records provenance.
public struct PipelineRunner: Sendable {
    public enum Plan: Sendable {
        /// `moltscope run`: bring every (selected) stage up to date.
        case pipeline(stages: [String]?)
        /// `moltscope stage NAME [--downstream]`: recompute from stored inputs.
        case rebuild(stage: String, downstream: Bool)
    }

    public struct Outcome: Sendable {
        public var stage: String
        public var action: String
        public var report: StageReport?
        public var seconds: Double
    }

    public let registry: StageRegistry
    public let store: ResultsStore
    public let config: PipelineConfig
    public let logger: Logger
    public let outputMode: OutputMode
    public let environment: [String: String]

    public init(registry: StageRegistry, store: ResultsStore, config: PipelineConfig, logger: Logger,
                outputMode: OutputMode, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.registry = registry
        self.store = store
        self.config = config
        self.logger = logger
        self.outputMode = outputMode
        self.environment = environment
    }

    /// Runs the plan. Throws the first stage error, or CancellationError when interrupted; the
    /// `runs` row says which, and every stage's committed work stays.
    @discardableResult
    public func run(command: String, plan: Plan) async throws -> [Outcome] {
        let provenance = Provenance(store: store)
        let runId = try await provenance.beginRun(command: command, config: config, registry: registry)
        let steps = try steps(for: plan)
        logger.debug("run started", metadata: ["run_id": "\(runId)", "stages": "\(steps.map(\.stage.name))"])
        var outcomes: [Outcome] = []
        do {
            // Stages whose upstream stages in this plan are done run together, in waves.
            var pending = steps
            var finished: Set<String> = []
            while !pending.isEmpty {
                let ready = pending.filter { step in
                    step.stage.upstream.allSatisfy { up in finished.contains(up) || !pending.contains { $0.stage.name == up } }
                }
                pending.removeAll { step in ready.contains { $0.stage.name == step.stage.name } }
                let wave = try await withThrowingTaskGroup(of: Outcome.self) { group in
                    for step in ready {
                        group.addTask { try await self.execute(step, runId: runId, provenance: provenance) }
                    }
                    var results: [Outcome] = []
                    for try await outcome in group { results.append(outcome) }
                    return results
                }
                outcomes += wave.sorted { a, b in
                    (registry.names.firstIndex(of: a.stage) ?? 0) < (registry.names.firstIndex(of: b.stage) ?? 0)
                }
                finished.formUnion(ready.map(\.stage.name))
            }
            try await provenance.endRun(runId, status: "completed", error: nil)
            return outcomes
        } catch is CancellationError {
            try? await provenance.endRun(runId, status: "interrupted", error: "interrupted")
            throw CancellationError()
        } catch {
            let message = MoltscopeError.wrap(error, context: "run").description
            try? await provenance.endRun(runId, status: "failed", error: message)
            throw error
        }
    }

    private struct Step: Sendable {
        let stage: StageDescriptor
        /// nil: decide from the stage's state when it is about to start.
        let forced: StageMode?
    }

    private func steps(for plan: Plan) throws -> [Step] {
        switch plan {
        case .pipeline(let selected):
            let names = selected ?? (config.value("run.stages") == nil ? registry.names : config.list("run.stages"))
            for name in names { _ = try registry.descriptor(name) }
            return registry.stages.filter { names.contains($0.name) }.map { Step(stage: $0, forced: nil) }
        case .rebuild(let name, let downstream):
            let first = try registry.descriptor(name)
            let rest = downstream ? try registry.downstream(of: name).map { try registry.descriptor($0) } : []
            return ([first] + rest).map { Step(stage: $0, forced: .rebuild) }
        }
    }

    private func execute(_ step: Step, runId: Int64, provenance: Provenance) async throws -> Outcome {
        try Task.checkCancellation()
        let stage = step.stage
        let state = try await store.pool.read { db in
            try StageState.read(db, stage: stage, registry: registry, config: config)
        }
        let mode: StageMode
        if let forced = step.forced {
            mode = forced
        } else if stage.readsOutside {
            mode = .update
        } else {
            switch state.freshness {
            case .upToDate:
                logger.info("\(stage.name): up to date, skipped")
                return Outcome(stage: stage.name, action: "skipped (up to date)", report: nil, seconds: 0)
            case .unfinished:
                // Resume only what an update left; a rebuild commits atomically, so it starts over.
                mode = state.lastMode == .update ? .update : .rebuild
            case .neverRun, .stale:
                mode = .rebuild
            }
        }

        let stageRunId = try await provenance.beginStage(runId: runId, stage: stage, mode: mode, state: state)
        var stageLogger = logger
        stageLogger[metadataKey: "stage"] = .string(stage.name)
        let progress = ProgressSink(stage: stage.name, style: LogSetup.progressStyle(mode: outputMode, logger: stageLogger))
        let context = StageContext(name: stage.name, store: store, config: config, logger: stageLogger,
                                   progress: progress, runId: runId, environment: environment)
        let started = Date()
        logger.info("\(stage.name): \(mode == .rebuild ? "rebuilding" : "updating")")
        do {
            let instance = try stage.make(context)
            let report = try await instance.run(mode: mode)
            try await provenance.endStage(stageRunId, stage: stage, status: "completed", report: report, message: nil)
            let seconds = Date().timeIntervalSince(started)
            logger.info("\(stage.name): done in \(String(format: "%.1f", seconds))s, \(report.rowsIn) in, \(report.rowsOut) out, \(report.errors) errors\(report.note.map { "; \($0)" } ?? "")")
            return Outcome(stage: stage.name, action: mode.rawValue, report: report, seconds: seconds)
        } catch let error where error is CancellationError || Task.isCancelled {
            try? await provenance.endStage(stageRunId, stage: stage, status: "interrupted", report: nil,
                                           message: "interrupted; committed work kept, `moltscope run` resumes")
            throw CancellationError()
        } catch {
            // A SQLite failure a stage did not describe itself (disk full, locked) still becomes one clear line.
            let error = StoreErrors.describeIfDatabase(error, path: store.path, doing: "running \(stage.name) on")
            let message = MoltscopeError.wrap(error, context: stage.name).description
            try? await provenance.endStage(stageRunId, stage: stage, status: "failed", report: nil, message: message)
            throw error
        }
    }
}
