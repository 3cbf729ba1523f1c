import Foundation
import MoltscopeNumerics

/// The trained labeller's settings (`toxicity_label.trained.*`).
struct TrainedLabellerSettings: Sendable, Equatable {
    var inverseRegularization: Double
    var lexicalWeight: Double
    var hashBits: Int
    var balancedTopics: Bool
    var exactMatches: Bool
    var submoltWeight: Double = 3
    /// Annotated neighbours voting beside the models, and the weight of their vote.
    var neighbours: Int = 15
    var neighbourWeight: Double = 0.2
}

/// One example of the annotated set, as the trained labeller learns from it.
struct TrainingExample: Sendable {
    var source: FeatureSource
    var contentHash: String
    var labels: DocumentLabels
}

/// Logistic regressions (one per label) on a document's embedding, a few scalars, its words
/// and its submolt, trained on the annotated set. Documents whose text is identical to an
/// annotated one take the annotation.
struct TrainedLabeller: Sendable {
    /// Bump when features or models change: it is part of every label row's version.
    static let version = "softmax-v1"

    let settings: TrainedLabellerSettings
    let features: LabelFeatures
    let dimension: Int
    let models: [LabelTarget: SoftmaxModel]
    let neighbourVotes: NeighbourVotes?
    let annotated: [String: DocumentLabels]

    static func train(_ examples: [TrainingExample], settings: TrainedLabellerSettings,
                      cancellation: CancellationFlag? = nil) throws -> TrainedLabeller {
        precondition(!examples.isEmpty, "no training examples")
        let dimension = examples[0].source.vector.count
        let features = LabelFeatures(fitting: examples.map(\.source), hashBits: settings.hashBits,
                                     lexicalWeight: settings.lexicalWeight, submoltWeight: settings.submoltWeight)
        let rows = features.rows(examples.map(\.source), dimension: dimension)
        var models: [LabelTarget: SoftmaxModel] = [:]
        for target in LabelTarget.allCases {
            try cancellation?.check()
            let weight: SoftmaxRegression.ClassWeight = target == .topic && settings.balancedTopics ? .balanced : .none
            let regression = SoftmaxRegression(classes: target.classes, inverseRegularization: settings.inverseRegularization,
                                               classWeight: weight, solver: LBFGS(maxIterations: 300, gradientTolerance: 1e-4))
            models[target] = try regression.fit(rows, labels: examples.map { target.classIndex($0.labels) }, cancellation: cancellation)
        }
        var annotated: [String: DocumentLabels] = [:]
        if settings.exactMatches { for example in examples { annotated[example.contentHash] = example.labels } }
        let votes = settings.neighbourWeight > 0 && settings.neighbours > 0 ? NeighbourVotes(examples, neighbours: settings.neighbours) : nil
        return TrainedLabeller(settings: settings, features: features, dimension: dimension, models: models,
                               neighbourVotes: votes, annotated: annotated)
    }

    /// Labels for each source (`hashes` are their content hashes, for exact matches).
    func label(_ sources: [FeatureSource], hashes: [String]) -> [DocumentLabels] {
        guard !sources.isEmpty else { return [] }
        let rows = features.rows(sources, dimension: dimension)
        var probabilities: [LabelTarget: [Float]] = [:]
        for target in LabelTarget.allCases { probabilities[target] = models[target]!.probabilities(rows) }
        if let neighbourVotes {
            let votes = neighbourVotes.votes(sources.map(\.vector), balanced: settings.balancedTopics ? [.topic] : [])
            let a = Float(settings.neighbourWeight)
            for target in LabelTarget.allCases {
                probabilities[target] = zip(probabilities[target]!, votes[target]!).map { (1 - a) * $0 + a * $1 }
            }
        }
        return sources.indices.map { i in
            if let known = annotated[hashes[i]] { return known }
            func best(_ target: LabelTarget) -> (index: Int, probability: Float) {
                let p = probabilities[target]!, k = target.classes
                var index = 0
                for c in 1..<k where p[i * k + c] > p[i * k + index] { index = c }
                return (index, p[i * k + index])
            }
            let topic = best(.topic), toxicity = best(.toxicity)
            let valenceProbabilities = probabilities[.valence]!
            var valence: Float = 0
            for c in 0..<5 { valence += valenceProbabilities[i * 5 + c] * Float(c - 2) / 2 }
            return DocumentLabels(topic: TopicLabel.allCases[topic.index], toxicity: ToxicityLevel(rawValue: toxicity.index)!,
                                  conflict: best(.conflict).index == 1, emotion: EmotionLabel.allCases[best(.emotion).index],
                                  valence: Double(valence), confidence: Double(min(topic.probability, toxicity.probability)))
        }
    }
}
