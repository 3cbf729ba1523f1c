import Foundation
import MoltscopeNumerics

/// What the trained labeller knows of a document.
struct FeatureSource: Sendable {
    var text: String
    var kind: String
    var submolt: String?
    /// Documents with exactly this text (1 for a unique one).
    var copies: Int
    /// The document's unit embedding.
    var vector: [Float]
}

/// Turns documents into classifier features: the embedding and a few scalars (dense,
/// standardized by the classifier), plus TF-IDF of hashed words and word pairs and the submolt
/// (sparse). The inverse document frequencies come from the training documents.
struct LabelFeatures: Sendable {
    let terms: HashedTerms
    let lexicalWeight: Float
    let submoltWeight: Float
    /// idf of each hashed column, from the training documents (scikit-learn's smooth idf).
    let inverseFrequency: [Float]

    static let scalarCount = 3
    /// Hashed submolt columns after the word columns (collisions among the few hundred submolts
    /// that matter are rare at this width).
    static let submoltColumns = 4096

    /// Fits the inverse document frequencies on `training`.
    init(fitting training: [FeatureSource], hashBits: Int, lexicalWeight: Double, submoltWeight: Double) {
        terms = HashedTerms(bits: hashBits)
        self.lexicalWeight = Float(lexicalWeight)
        self.submoltWeight = Float(submoltWeight)
        var documentFrequency = [Int](repeating: 0, count: terms.width)
        for source in training {
            for column in terms.counts(source.text).keys { documentFrequency[Int(column)] += 1 }
        }
        let n = Double(training.count)
        inverseFrequency = documentFrequency.map { Float(Foundation.log((1 + n) / (1 + Double($0))) + 1) }
    }

    func rows(_ sources: [FeatureSource], dimension: Int) -> FeatureRows {
        var rows = FeatureRows(denseWidth: dimension + Self.scalarCount, sparseWidth: terms.width + Self.submoltColumns)
        for source in sources {
            rows.append(dense: dense(source, dimension: dimension), sparse: sparse(source))
        }
        return rows
    }

    private func dense(_ source: FeatureSource, dimension: Int) -> [Float] {
        precondition(source.vector.count == dimension, "a vector of \(source.vector.count) dimensions among \(dimension)")
        return source.vector + [Float(Foundation.log(Double(max(source.copies, 1)))),
                                source.kind == "comment" ? 1 : 0,
                                Float(Foundation.log1p(Double(source.text.unicodeScalars.count)))]
    }

    /// Sublinear TF-IDF of the words (L2-normalized, scaled), then the submolt's column in the
    /// second half of the sparse space.
    private func sparse(_ source: FeatureSource) -> [(column: Int32, value: Float)] {
        // Sorted before any sum: a dictionary's order differs between instances, and float sums
        // in another order would change the labels in their last bits.
        var entries = terms.counts(source.text).sorted { $0.key < $1.key }.map { column, count in
            (column: column, value: Float(1 + Foundation.log(Double(count))) * inverseFrequency[Int(column)])
        }
        let norm = entries.reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot()
        if norm > 0 { entries = entries.map { ($0.column, $0.value / norm * lexicalWeight) } }
        if let submolt = source.submolt, submoltWeight > 0 {
            let bucket = Int32(truncatingIfNeeded: UInt32(bitPattern: terms.column(forName: submolt)) % UInt32(Self.submoltColumns))
            entries.append((Int32(terms.width) + bucket, submoltWeight))
        }
        return entries
    }
}
