import Foundation

/// Labels without annotations: each document takes, per label, the class whose description
/// (LabelDescriptions) is most similar to it in the embedding space. The confidence is the
/// softmax of the cosines at a temperature; valence is the softmax-weighted mean.
struct ZeroShotLabeller: Sendable {
    static let version = "zero-shot-v1+\(LabelDescriptions.version)"

    /// Unit vectors of each target's class descriptions.
    let descriptions: [LabelTarget: [[Float]]]
    let temperature: Double

    func label(_ vectors: [[Float]]) -> [DocumentLabels] {
        vectors.map { vector in
            func scores(_ target: LabelTarget) -> [Double] {
                let cosines = descriptions[target]!.map { Double(Vectors.cosine($0, vector)) / temperature }
                let largest = cosines.max() ?? 0
                let exps = cosines.map { Foundation.exp($0 - largest) }
                let sum = exps.reduce(0, +)
                return exps.map { $0 / sum }
            }
            func best(_ p: [Double]) -> (index: Int, probability: Double) {
                let index = p.indices.max { p[$0] < p[$1] }!
                return (index, p[index])
            }
            let topic = best(scores(.topic)), toxicity = best(scores(.toxicity))
            let valence = scores(.valence).enumerated().reduce(0.0) { $0 + $1.element * Double($1.offset - 2) / 2 }
            return DocumentLabels(topic: TopicLabel.allCases[topic.index], toxicity: ToxicityLevel(rawValue: toxicity.index)!,
                                  conflict: best(scores(.conflict)).index == 1,
                                  emotion: EmotionLabel.allCases[best(scores(.emotion)).index],
                                  valence: valence, confidence: min(topic.probability, toxicity.probability))
        }
    }
}
