/// The five things a classifier predicts, each as classes of a softmax model.
enum LabelTarget: String, CaseIterable, Sendable {
    case topic, toxicity, conflict, emotion, valence

    var classes: Int {
        switch self {
        case .topic: TopicLabel.allCases.count
        case .toxicity: ToxicityLevel.allCases.count
        case .conflict: 2
        case .emotion: EmotionLabel.allCases.count
        case .valence: 5
        }
    }

    /// Class names, for confusion matrices.
    var classNames: [String] {
        switch self {
        case .topic: TopicLabel.allCases.map { "\($0.rawValue) \($0.name)" }
        case .toxicity: ToxicityLevel.allCases.map { "\($0.rawValue) \($0.name)" }
        case .conflict: ["no", "yes"]
        case .emotion: EmotionLabel.allCases.map(\.rawValue)
        case .valence: ["-2", "-1", "0", "1", "2"]
        }
    }

    func classIndex(_ labels: DocumentLabels) -> Int {
        switch self {
        case .topic: labels.topic.index
        case .toxicity: labels.toxicity.rawValue
        case .conflict: labels.conflict ? 1 : 0
        case .emotion: EmotionLabel.allCases.firstIndex(of: labels.emotion)!
        case .valence: Int((labels.valence * 2).rounded()) + 2
        }
    }
}
