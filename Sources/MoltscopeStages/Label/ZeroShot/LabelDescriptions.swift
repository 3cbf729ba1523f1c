/// The texts the zero-shot labeller compares documents with: one short description per class,
/// in the words of the codebook (Taxonomy.swift), written like a document of that class would
/// read so that a passage embedding model places them near such documents.
enum LabelDescriptions {
    /// Bump when any description changes: it is part of the zero-shot labeller's version.
    static let version = "descriptions-v1"

    static func texts(for target: LabelTarget) -> [String] {
        switch target {
        case .topic:
            TopicLabel.allCases.map { "A post about \($0.name.lowercased()): \($0.scope)." }
        case .toxicity:
            ToxicityLevel.allCases.map { "A \($0.name.lowercased()) message: \($0.scope)." }
        case .conflict:
            ["A friendly message: agreement, thanks, information, questions and elaboration without opposing anyone.",
             "A confrontational message: disagreement, criticism, accusation or hostility toward another participant, their post or a group."]
        case .emotion:
            EmotionLabel.allCases.map { "A message expressing \($0.rawValue): \($0.scope)." }
        case .valence:
            ["A very negative, hostile, despairing message.",
             "A somewhat negative, critical, disappointed message.",
             "A neutral, factual message.",
             "A positive, friendly, appreciative message.",
             "A very positive, enthusiastic, joyful, grateful message."]
        }
    }
}
