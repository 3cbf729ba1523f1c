import Foundation

/// Labels without annotations: each document takes, per label, the class whose description
/// (LabelDescriptions) is most similar to it in the embedding space. Topics are calibrated: each
/// topic's mean similarity over a sample of the corpus is subtracted (no labels needed), since
/// some descriptions sit closer to every text than others. The skewed labels (toxicity,
/// conflict, emotion, valence) are not: calibration would make their rare classes as frequent
/// as the common ones (measured: worse agreement). The confidence is the softmax of the
/// calibrated cosines at a temperature; valence is the softmax-weighted mean.
struct ZeroShotLabeller: Sendable {
    static let version = "zero-shot-v2+\(LabelDescriptions.version)"

    /// Unit vectors of each target's class descriptions.
    let descriptions: [LabelTarget: [[Float]]]
    let temperature: Double
    /// Mean cosine of each class description over the reference sample.
    let bias: [LabelTarget: [Double]]

    init(descriptions: [LabelTarget: [[Float]]], temperature: Double, reference: [[Float]]) {
        self.descriptions = descriptions
        self.temperature = temperature
        var bias: [LabelTarget: [Double]] = [:]
        for (target, vectors) in descriptions {
            bias[target] = vectors.map { description in
                guard target == .topic, !reference.isEmpty else { return 0 }
                return reference.reduce(0.0) { $0 + Double(Vectors.cosine(description, $1)) } / Double(reference.count)
            }
        }
        self.bias = bias
    }

    func label(_ vectors: [[Float]]) -> [DocumentLabels] {
        vectors.map { vector in
            func scores(_ target: LabelTarget) -> [Double] {
                let shift = bias[target]!
                let cosines = descriptions[target]!.enumerated().map { (Double(Vectors.cosine($1, vector)) - shift[$0]) / temperature }
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
