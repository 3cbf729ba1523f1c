import Foundation
import Logging

/// Everything a stage gets from the engine for one run.
public struct StageContext: Sendable {
    public let name: String
    public let store: ResultsStore
    public let config: PipelineConfig
    public let logger: Logger
    public let progress: ProgressSink
    public let checkpoints: Checkpoints
    public let errors: ErrorLog
    public let runId: Int64
    /// Environment for secrets (tokens are read from here, never from the database).
    public let environment: [String: String]

    public init(name: String, store: ResultsStore, config: PipelineConfig, logger: Logger, progress: ProgressSink,
                runId: Int64, environment: [String: String]) {
        self.name = name
        self.store = store
        self.config = config
        self.logger = logger
        self.progress = progress
        self.checkpoints = Checkpoints(stage: name)
        self.errors = ErrorLog(stage: name, runId: runId)
        self.runId = runId
        self.environment = environment
    }

    /// Batch size between tasks and per transaction (`run.batch_size`).
    public var batchSize: Int { config.int("run.batch_size") }
}
