import MoltscopeNumerics

/// How a labeller agrees with the annotated set: a confusion matrix per label.
struct LabelEvaluation: Sendable {
    /// "5-fold cross-validation" or "agreement".
    var method: String
    var documents: Int
    var matrices: [LabelTarget: ConfusionMatrix]

    /// Stratified k-fold cross-validation of the trained labeller (folds stratified by topic):
    /// each fold is labelled by a labeller trained on the others, exact-text matches included
    /// (only with the training folds' annotations), as the stage would label new documents.
    static func crossValidate(_ examples: [TrainingExample], settings: TrainedLabellerSettings, folds: Int, seed: UInt64,
                              cancellation: CancellationFlag? = nil, progress: ((Int) -> Void)? = nil) throws -> LabelEvaluation {
        let fold = StratifiedFolds.assign(labels: examples.map { $0.labels.topic.index }, folds: folds, seed: seed)
        var predicted = [DocumentLabels?](repeating: nil, count: examples.count)
        for f in 0..<folds {
            let training = examples.indices.filter { fold[$0] != f }.map { examples[$0] }
            let testing = examples.indices.filter { fold[$0] == f }
            let labeller = try TrainedLabeller.train(training, settings: settings, cancellation: cancellation)
            let labels = labeller.label(testing.map { examples[$0].source }, hashes: testing.map { examples[$0].contentHash })
            for (index, label) in zip(testing, labels) { predicted[index] = label }
            progress?(f + 1)
        }
        var result = agreement(truth: examples.map(\.labels), predicted: predicted.map { $0! })
        result.method = "\(folds)-fold cross-validation"
        return result
    }

    static func agreement(truth: [DocumentLabels], predicted: [DocumentLabels]) -> LabelEvaluation {
        var matrices: [LabelTarget: ConfusionMatrix] = [:]
        for target in LabelTarget.allCases {
            matrices[target] = ConfusionMatrix(classes: target.classes, truth: truth.map(target.classIndex),
                                               predicted: predicted.map(target.classIndex))
        }
        return LabelEvaluation(method: "agreement", documents: truth.count, matrices: matrices)
    }

    /// The confusion matrices and scores as text, for the terminal.
    func report(title: String) -> String {
        var lines = ["\(title): \(method) on \(documents) annotated documents", ""]
        for target in LabelTarget.allCases {
            let m = matrices[target]!
            lines.append(String(format: "%@: accuracy %.3f, macro-F1 %.3f, weighted F1 %.3f, kappa %.3f",
                                target.rawValue, m.accuracy, m.macroF1, m.weightedF1, m.cohenKappa))
            let names = target.classNames.map { String($0.prefix(14)) }
            let width = max(names.map(\.count).max() ?? 0, 6)
            func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
            lines.append(pad("truth \\ predicted", width + 2) + names.map { pad(String($0.prefix(5)), 6) }.joined() + pad("recall", 8) + pad("F1", 7))
            for t in 0..<target.classes where m.support(t) > 0 || m.predictedCount(t) > 0 {
                let cells = (0..<target.classes).map { pad(String(m[t, $0]), 6) }.joined()
                lines.append(pad(names[t], width + 2) + cells + pad(String(format: "%.2f", m.recall(t)), 8) + pad(String(format: "%.2f", m.f1(t)), 7))
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
