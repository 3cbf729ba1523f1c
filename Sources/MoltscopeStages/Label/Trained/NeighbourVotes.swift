import Foundation
import MoltscopeNumerics

/// Class votes of a document's nearest annotated neighbours in the embedding space (cosine
/// after centring on the annotated set's mean, weighted by exp(cosine / 0.05)): a local
/// complement to the linear models, blended into their probabilities. For balanced targets
/// the votes are divided by the class frequencies, as the model's class weights do.
struct NeighbourVotes: Sendable {
    let mean: [Float]
    let examples: Matrix          // centred unit vectors of the annotated set
    let classes: [LabelTarget: [Int]]
    /// Annotated examples per class of each target (the divisors of balanced votes).
    let classCounts: [LabelTarget: [Int]]
    let neighbours: Int
    let temperature: Float = 0.05

    init(_ examples: [TrainingExample], neighbours: Int) {
        let raw = Matrix(rowVectors: examples.map(\.source.vector))
        mean = raw.columnMeans()
        self.examples = raw.centred(by: mean).normalizedRows()
        var classes: [LabelTarget: [Int]] = [:], classCounts: [LabelTarget: [Int]] = [:]
        for target in LabelTarget.allCases {
            let indices = examples.map { target.classIndex($0.labels) }
            classes[target] = indices
            var counts = [Int](repeating: 0, count: target.classes)
            for index in indices { counts[index] += 1 }
            classCounts[target] = counts
        }
        self.classes = classes
        self.classCounts = classCounts
        self.neighbours = min(neighbours, examples.count)
    }

    /// Vote shares per target: rows x classes, row-major.
    func votes(_ vectors: [[Float]], balanced: Set<LabelTarget>) -> [LabelTarget: [Float]] {
        let n = vectors.count
        let queries = Matrix(rowVectors: vectors).centred(by: mean).normalizedRows()
        var similarities = [Float](repeating: 0, count: n * examples.rows)
        queries.values.withUnsafeBufferPointer { q in
            examples.values.withUnsafeBufferPointer { e in
                similarities.withUnsafeMutableBufferPointer { out in
                    BLAS.multiplyTransposed(q.baseAddress!, rows: n, e.baseAddress!, rows: examples.rows, depth: examples.columns,
                                            into: out.baseAddress!)
                }
            }
        }
        var result: [LabelTarget: [Float]] = [:]
        for target in LabelTarget.allCases { result[target] = [Float](repeating: 0, count: n * target.classes) }
        for i in 0..<n {
            let row = similarities[i * examples.rows..<(i + 1) * examples.rows]
            let nearest = Self.largest(neighbours, of: row)
            for target in LabelTarget.allCases {
                let k = target.classes
                var votes = [Float](repeating: 0, count: k)
                for (index, similarity) in nearest {
                    votes[classes[target]![index]] += Foundation.exp((similarity - 1) / temperature)
                }
                if balanced.contains(target) {
                    let counts = classCounts[target]!
                    for c in 0..<k { votes[c] /= Float(max(counts[c], 1)) }
                }
                let sum = votes.reduce(0, +)
                for c in 0..<k { result[target]![i * k + c] = sum > 0 ? votes[c] / sum : 1 / Float(k) }
            }
        }
        return result
    }

    /// The `count` largest values with their offsets in the slice (ties: the lower offset),
    /// by one pass keeping a small sorted list: far cheaper than sorting thousands per document.
    static func largest(_ count: Int, of row: ArraySlice<Float>) -> [(offset: Int, value: Float)] {
        var best: [(offset: Int, value: Float)] = []
        best.reserveCapacity(count + 1)
        for (offset, value) in row.enumerated() {
            if best.count == count, let last = best.last, value <= last.value { continue }
            var position = best.count
            while position > 0, best[position - 1].value < value { position -= 1 }
            best.insert((offset, value), at: position)
            if best.count > count { best.removeLast() }
        }
        return best
    }
}
