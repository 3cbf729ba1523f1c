import Foundation
import GRDB
import MoltscopeCore

/// `moltscope labels evaluate`: how the configured labeller agrees with the annotated set,
/// printed as scores and confusion matrices and stored in label_evaluation / label_confusion
/// (cross-validated for the trained labeller, direct agreement for zero-shot).
public enum LabelEvaluationReport {
    public static func run(context: StageContext) async throws -> String {
        var settings = LabelSettings(config: context.config)
        if settings.folds < 2 { settings.folds = 5 }
        guard settings.labeller != .llm else {
            throw MoltscopeError(.usage, "the LLM labeller is evaluated by labelling: `moltscope stage toxicity-label` stores its agreement with the annotated documents the database holds",
                                 remedy: "evaluate the trained or zero-shot labeller here (--set toxicity_label.labeller=trained)")
        }
        let prepared = try await LabellerSetup(context: context, settings: settings).prepare()
        guard let evaluation = prepared.evaluation else {
            throw MoltscopeError(.config, "no annotated set to evaluate against at \(settings.annotations)",
                                 remedy: "set toxicity_label.annotations to the annotated CSV")
        }
        let identity = prepared.labeller.identity
        _ = try await context.store.commit { db in
            try LabelWriter(identity: identity, labelRun: 0).replaceEvaluation(db, evaluation)
            return 0
        }
        return distribution(prepared.annotatedLabels) + "\n" + evaluation.report(title: identity.description)
    }

    /// The class distribution of the annotated set, per label and kind.
    static func distribution(_ items: [(kind: String, labels: DocumentLabels)]) -> String {
        guard !items.isEmpty else { return "" }
        var lines = ["annotated set: \(items.filter { $0.kind == "post" }.count) posts, \(items.filter { $0.kind == "comment" }.count) comments"]
        for target in LabelTarget.allCases {
            var counts = [Int](repeating: 0, count: target.classes)
            for item in items { counts[target.classIndex(item.labels)] += 1 }
            let cells = zip(target.classNames, counts).map { name, count in
                String(format: "%@ %d (%.1f%%)", name, count, 100 * Double(count) / Double(items.count))
            }
            lines.append("  \(target.rawValue): " + cells.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
