import ArgumentParser
import Foundation
import MoltscopeCore
import MoltscopeStages

struct LabelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Work with the annotated set and the labellers of the toxicity-label stage.",
        subcommands: [LabelsEvaluateCommand.self])
}

struct LabelsEvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a labeller against the annotated set and print its confusion matrices.",
        discussion: """
            The trained labeller is cross-validated (toxicity_label.evaluate.folds, stratified by topic); the zero-shot \
            labeller is compared directly. Scores are also stored in label_evaluation and label_confusion. Vectors of \
            the annotated texts come from the embedding cache, or once from the configured model server.
            """)

    @Option(help: "trained or zero-shot (default: toxicity_label.labeller).")
    var labeller: String?

    @OptionGroup var options: CommonOptions

    func run() async throws {
        try await CommandRunner.run {
            var options = self.options
            if let labeller { options.overrides.append("toxicity_label.labeller=\(labeller)") }
            let config = try options.loadConfig()
            let logger = LogSetup.logger(mode: options.outputMode)
            let report = try await options.withLockedStore(config, logger: logger) { store in
                let context = StageContext(name: "toxicity-label", store: store, config: config, logger: logger,
                                           progress: ProgressSink(stage: "evaluate", style: LogSetup.progressStyle(mode: options.outputMode, logger: logger)),
                                           runId: 0, environment: ProcessInfo.processInfo.environment)
                return try await CommandRunner.interruptible { try await LabelEvaluationReport.run(context: context) }
            }
            print(report)
        }
    }
}
