import Foundation

/// The regularized, weighted cross-entropy of a softmax model and its gradient. Parameters are
/// laid out as the dense weights of each class (classes x denseWidth), then the sparse weights
/// by column (sparseWidth x classes: a non-zero touches one contiguous run), then one intercept
/// per class. The dense part runs through sgemm; the sparse part loops over non-zeros.
struct SoftmaxObjective {
    let rows: FeatureRows
    let labels: [Int]
    let sampleWeights: [Float]
    let classes: Int
    let penalty: Double

    var width: Int { rows.width }
    var parameterCount: Int { classes * width + classes }

    func evaluate(_ x: [Double], gradient: inout [Double]) -> Double {
        let n = rows.count, width = self.width, denseWidth = rows.denseWidth
        let parameters = x.map { Float($0) }
        var scores = SoftmaxScores.compute(rows, parameters: parameters, classes: classes)
        var loss = 0.0
        var totalWeight = 0.0
        for i in 0..<n {
            let offset = i * classes
            let normalizer = SoftmaxScores.normalizeRow(&scores[offset..<offset + classes])
            let weight = Double(sampleWeights[i])
            totalWeight += weight
            loss += weight * (normalizer - Double(scores[offset + labels[i]].rawLogit))
            // Residuals replace the scores: weight * (p - onehot).
            for c in 0..<classes {
                let target: Float = c == labels[i] ? 1 : 0
                scores[offset + c].residual = Float(weight) * (scores[offset + c].probability - target)
            }
        }
        let residuals = scores.map(\.residual)
        var denseGradient = [Float](repeating: 0, count: classes * denseWidth)
        residuals.withUnsafeBufferPointer { r in
            rows.dense.withUnsafeBufferPointer { features in
                denseGradient.withUnsafeMutableBufferPointer { g in
                    BLAS.multiplyTransposingFirst(r.baseAddress!, columns: classes, features.baseAddress!, columns: denseWidth,
                                                  depth: n, into: g.baseAddress!)
                }
            }
        }
        // Raw buffers in the loops over every parameter and non-zero: they run hundreds of
        // times per fit, and checked subscripts cost several times more (in debug builds, far more).
        var squares = 0.0
        let scale = 1 / max(totalWeight, 1e-300)
        gradient.withUnsafeMutableBufferPointer { g in
            x.withUnsafeBufferPointer { x in
                for i in 0..<g.count { g[i] = 0 }
                for index in 0..<(classes * denseWidth) { g[index] = Double(denseGradient[index]) }
                let sparseStart = classes * denseWidth, biasStart = classes * width
                residuals.withUnsafeBufferPointer { r in
                    rows.sparseIndices.withUnsafeBufferPointer { columns in
                        rows.sparseValues.withUnsafeBufferPointer { values in
                            rows.rowStarts.withUnsafeBufferPointer { starts in
                                for i in 0..<n {
                                    let residual = r.baseAddress! + i * classes
                                    for entry in starts[i]..<starts[i + 1] {
                                        let base = sparseStart + Int(columns[entry]) * classes
                                        let value = Double(values[entry])
                                        for c in 0..<classes { g[base + c] += Double(residual[c]) * value }
                                    }
                                    for c in 0..<classes { g[biasStart + c] += Double(residual[c]) }
                                }
                            }
                        }
                    }
                }
                for index in 0..<(classes * width) {
                    squares += x[index] * x[index]
                    g[index] += penalty * x[index]
                }
                for i in 0..<g.count { g[i] *= scale }
            }
        }
        return (loss + 0.5 * penalty * squares) * scale
    }
}

/// One row-class cell while scoring: the logit, then the probability, then the residual.
struct SoftmaxCell {
    var rawLogit: Float
    var probability: Float = 0
    var residual: Float = 0
}

enum SoftmaxScores {
    /// Logits of every row for every class, from parameters in SoftmaxObjective's layout.
    static func compute(_ rows: FeatureRows, parameters: [Float], classes: Int) -> [SoftmaxCell] {
        let n = rows.count, width = rows.width, denseWidth = rows.denseWidth
        var logits = [Float](repeating: 0, count: n * classes)
        rows.dense.withUnsafeBufferPointer { features in
            parameters.withUnsafeBufferPointer { w in
                logits.withUnsafeMutableBufferPointer { out in
                    BLAS.multiplyTransposed(features.baseAddress!, rows: n, w.baseAddress!, rows: classes, depth: denseWidth,
                                            into: out.baseAddress!)
                }
            }
        }
        let sparseStart = classes * denseWidth, biasStart = classes * width
        logits.withUnsafeMutableBufferPointer { out in
            parameters.withUnsafeBufferPointer { w in
                rows.sparseIndices.withUnsafeBufferPointer { columns in
                    rows.sparseValues.withUnsafeBufferPointer { values in
                        rows.rowStarts.withUnsafeBufferPointer { starts in
                            for i in 0..<n {
                                let row = out.baseAddress! + i * classes
                                for entry in starts[i]..<starts[i + 1] {
                                    let weights = w.baseAddress! + sparseStart + Int(columns[entry]) * classes
                                    let value = values[entry]
                                    for c in 0..<classes { row[c] += weights[c] * value }
                                }
                                for c in 0..<classes { row[c] += w[biasStart + c] }
                            }
                        }
                    }
                }
            }
        }
        return logits.map { SoftmaxCell(rawLogit: $0) }
    }

    /// Turns one row's logits into probabilities; returns log-sum-exp of the logits.
    @discardableResult
    static func normalizeRow(_ row: inout ArraySlice<SoftmaxCell>) -> Double {
        let largest = row.reduce(-Float.infinity) { max($0, $1.rawLogit) }
        var sum = 0.0
        for index in row.indices {
            let e = Foundation.exp(Double(row[index].rawLogit - largest))
            row[index].probability = Float(e)
            sum += e
        }
        for index in row.indices { row[index].probability = Float(Double(row[index].probability) / sum) }
        return Double(largest) + Foundation.log(sum)
    }
}
