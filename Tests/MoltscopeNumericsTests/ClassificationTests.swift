import Foundation
import MoltscopeNumerics
import Testing

extension NumericsTests {
    @Suite struct Classification {
        /// Three overlapping Gaussian classes in 12 dimensions, unequal sizes.
        static func blobs(seed: UInt64 = 7) -> (rows: FeatureRows, matrix: Matrix, labels: [Int]) {
            var random = SeededRandom(seed: seed)
            let sizes = [150, 60, 30], dims = 12
            var rows = FeatureRows(denseWidth: dims, sparseWidth: 0)
            var values: [Float] = [], labels: [Int] = []
            for (label, size) in sizes.enumerated() {
                for _ in 0..<size {
                    let row = (0..<dims).map { j in Float(random.gaussian() + (j % 3 == label ? 1.2 : 0)) }
                    rows.append(dense: row, sparse: [])
                    values += row
                    labels.append(label)
                }
            }
            return (rows, Matrix(rows: labels.count, columns: dims, values: values), labels)
        }

        @Test("L-BFGS finds the minimum of the Rosenbrock function")
        func rosenbrock() throws {
            let result = try LBFGS(maxIterations: 2000, gradientTolerance: 1e-9, relativeTolerance: 0).minimize(from: [-1.2, 1]) { x, g in
                let a = 1 - x[0], b = x[1] - x[0] * x[0]
                g[0] = -2 * a - 400 * x[0] * b
                g[1] = 200 * b
                return a * a + 100 * b * b
            }
            #expect(result.converged)
            #expect(abs(result.x[0] - 1) < 1e-4 && abs(result.x[1] - 1) < 1e-4)
        }

        @Test("softmax regression reaches scikit-learn's objective and predictions", arguments: [
            (1.0, SoftmaxRegression.ClassWeight.none), (0.05, .balanced),
        ])
        func matchesScikitLearn(c: Double, weight: SoftmaxRegression.ClassWeight) throws {
            let (rows, matrix, labels) = Self.blobs()
            let solver = LBFGS(maxIterations: 5000, gradientTolerance: 1e-9, relativeTolerance: 0)
            let model = try SoftmaxRegression(classes: 3, inverseRegularization: c, classWeight: weight, solver: solver)
                .fit(rows, labels: labels)
            let labelFile = try PythonReference.labelsFile(labels.map { Int32($0) })
            defer { try? FileManager.default.removeItem(atPath: labelFile) }
            let reference = try PythonReference.run("logistic_reference.py", matrix: matrix,
                                                    arguments: [labelFile, String(c), weight.rawValue])
            let theirs = try #require(reference["objective"] as? Double)
            let ours = objective(model, rows: rows, labels: labels, c: c, balanced: weight == .balanced)
            #expect(abs(ours - theirs) <= 1e-4 * theirs, "objective \(ours) vs scikit-learn \(theirs)")
            let predictions = try #require(reference["predictions"] as? [Int])
            let agreement = zip(model.predict(rows).map(\.label), predictions).filter { $0 == $1 }.count
            #expect(agreement >= labels.count - 2, "\(agreement) of \(labels.count) predictions agree")
        }

        @Test("sparse features give the same model as the same values dense")
        func sparseEqualsDense() throws {
            let (dense, _, labels) = Self.blobs(seed: 3)
            // Move the last 4 columns into the sparse part (sparse columns are not standardized,
            // so standardize them here first to compare like with like).
            var standardized = dense
            var mean = [Float](repeating: 0, count: 12), sq = mean
            for i in 0..<dense.count { for j in 0..<12 { let v = dense.dense[i * 12 + j]; mean[j] += v; sq[j] += v * v } }
            let n = Float(dense.count)
            let sd = (0..<12).map { ((sq[$0] / n - (mean[$0] / n) * (mean[$0] / n))).squareRoot() }
            standardized.transformDense { row in
                var j = 0
                for index in row.indices { row[index] = (row[index] - mean[j] / n) / sd[j]; j += 1 }
            }
            var split = FeatureRows(denseWidth: 8, sparseWidth: 4)
            for i in 0..<dense.count {
                let row = Array(standardized.dense[i * 12..<(i + 1) * 12])
                split.append(dense: Array(row[0..<8]), sparse: (0..<4).map { (Int32($0), row[8 + $0]) })
            }
            let regression = SoftmaxRegression(classes: 3, inverseRegularization: 0.5,
                                               solver: LBFGS(maxIterations: 3000, gradientTolerance: 1e-8, relativeTolerance: 0))
            let a = try regression.fit(standardized, labels: labels).probabilities(standardized)
            let b = try regression.fit(split, labels: labels).probabilities(split)
            let largest = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(largest < 1e-3)
        }

        @Test("confusion matrix scores as scikit-learn defines them")
        func confusionScores() {
            // truth:     0 0 0 1 1 2
            // predicted: 0 0 1 1 2 2
            let m = ConfusionMatrix(classes: 4, truth: [0, 0, 0, 1, 1, 2], predicted: [0, 0, 1, 1, 2, 2])
            #expect(m.accuracy == 4.0 / 6)
            #expect(abs(m.f1(0) - 0.8) < 1e-12)       // p 1, r 2/3
            #expect(abs(m.f1(1) - 0.5) < 1e-12)       // p 1/2, r 1/2
            #expect(abs(m.f1(2) - 2.0 / 3) < 1e-12)   // p 1/2, r 1
            #expect(m.presentClasses == [0, 1, 2])    // class 3 absent: not in the macro average
            #expect(abs(m.macroF1 - (0.8 + 0.5 + 2.0 / 3) / 3) < 1e-12)
            // kappa: p_o = 4/6, p_e = (3*2 + 2*2 + 1*2) / 36 = 1/3
            #expect(abs(m.cohenKappa - (4.0 / 6 - 1.0 / 3) / (2.0 / 3)) < 1e-12)
        }

        @Test("stratified folds keep every class's share in each fold")
        func folds() {
            let labels = [Int](repeating: 0, count: 50) + [Int](repeating: 1, count: 20) + [Int](repeating: 2, count: 5)
            let fold = StratifiedFolds.assign(labels: labels, folds: 5, seed: 1)
            for f in 0..<5 {
                let members = labels.indices.filter { fold[$0] == f }
                #expect(members.count == 15)
                #expect(members.filter { labels[$0] == 2 }.count == 1)
                #expect(members.filter { labels[$0] == 1 }.count == 4)
            }
            #expect(fold == StratifiedFolds.assign(labels: labels, folds: 5, seed: 1))
        }

        /// The training objective of a fitted model, computed independently of the solver.
        private func objective(_ model: SoftmaxModel, rows: FeatureRows, labels: [Int], c: Double, balanced: Bool) -> Double {
            let p = model.probabilities(rows)
            var counts = [Int](repeating: 0, count: model.classes)
            for label in labels { counts[label] += 1 }
            var loss = 0.0, total = 0.0
            for (i, label) in labels.enumerated() {
                let w = balanced ? Double(labels.count) / Double(model.classes * counts[label]) : 1
                loss -= w * Foundation.log(Double(p[i * model.classes + label]))
                total += w
            }
            let width = model.denseWidth + model.sparseWidth
            let squares = model.parameters[0..<(model.classes * width)].reduce(0.0) { $0 + Double($1) * Double($1) }
            return (loss + 0.5 / c * squares) / total
        }
    }
}
