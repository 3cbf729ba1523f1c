import Testing
@testable import MoltscopeNumerics

// Inside the serialized NumericsTests: these tests compute on the calling thread.
extension NumericsTests {

@Suite struct PCATests {
    /// Correlated Gaussian rows (z · A for a random A), offset from the origin, so the spectrum
    /// is spread out and the mean matters.
    static func correlatedMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var random = SeededRandom(seed: seed)
        let mixing = (0..<columns * columns).map { _ in random.gaussian() }
        var values = [Float](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            let z = (0..<columns).map { _ in random.gaussian() }
            for j in 0..<columns {
                var sum = 3.0 + Double(j)   // offset
                for m in 0..<columns { sum += z[m] * mixing[m * columns + j] }
                values[i * columns + j] = Float(sum)
            }
        }
        return Matrix(rows: rows, columns: columns, values: values)
    }

    @Test func matchesScikitLearn() throws {
        // More rows than one block, so the blocked scatter and projection are both exercised.
        let points = Self.correlatedMatrix(rows: 1500, columns: 30, seed: 7)
        let k = 6
        let pca = PCA.fit(points, components: k)
        let reference = try PythonReference.run("pca_reference.py", matrix: points, arguments: [String(k)])
        let ratios = try #require(reference["ratios"] as? [Double])
        let components = try #require(reference["components"] as? [[Double]])
        let projection = try #require(reference["projection"] as? [[Double]])

        #expect(pca.components.rows == k && pca.components.columns == 30)
        for c in 0..<k {
            #expect(abs(Double(pca.explainedVarianceRatio[c]) - ratios[c]) < 1e-3, "ratio \(c)")
            // Equal up to sign; the sign is then the same on every projected row.
            let dot = (0..<30).reduce(0.0) { $0 + Double(pca.components[c, $1]) * components[c][$1] }
            #expect(abs(abs(dot) - 1) < 1e-3, "component \(c): |cos| = \(abs(dot))")
            let sign: Double = dot < 0 ? -1 : 1
            let projected = pca.project(points)
            let scale = projection.map { abs($0[c]) }.max()!
            let worst = (0..<points.rows).map { abs(Double(projected[$0, c]) * sign - projection[$0][c]) }.max()!
            #expect(worst < 1e-3 * scale, "projection \(c) off by \(worst) of \(scale)")
        }
    }

    @Test func componentsAreUnitOrthogonalAndSignedLikeScikitLearn() {
        let pca = PCA.fit(Self.correlatedMatrix(rows: 200, columns: 12, seed: 3), components: 4)
        for a in 0..<4 {
            let row = Array(pca.components.row(a))
            for b in 0..<4 {
                let dot = zip(row, pca.components.row(b)).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                #expect(abs(dot - (a == b ? 1 : 0)) < 1e-4)
            }
            // svd_flip: the largest-magnitude entry is positive.
            #expect(row.max(by: { abs($0) < abs($1) })! > 0)
        }
        #expect(zip(pca.explainedVarianceRatio, pca.explainedVarianceRatio.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func allComponentsExplainAllTheVariance() {
        let pca = PCA.fit(Self.correlatedMatrix(rows: 50, columns: 5, seed: 4), components: 9)
        #expect(pca.components.rows == 5)   // min(components, d, n)
        #expect(abs(pca.explainedVarianceRatio.reduce(0, +) - 1) < 1e-4)
    }

    @Test func smallAndDegenerateInputs() {
        let empty = PCA.fit(Matrix(rows: 0, columns: 3), components: 2)
        #expect(empty.components.rows == 0 && empty.components.columns == 3)
        #expect(empty.project(Matrix(rows: 0, columns: 3)).rows == 0)

        let single = Matrix(rows: 1, columns: 3, values: [1, 2, 3])
        let one = PCA.fit(single, components: 2)
        #expect(one.components.rows == 1 && one.mean == [1, 2, 3])
        #expect(one.explainedVarianceRatio == [0])
        #expect(one.project(single).values == [0])

        // Every row the same: no variance, no NaN.
        let same = Matrix(rows: 4, columns: 2, values: [1, 1, 1, 1, 1, 1, 1, 1])
        let flat = PCA.fit(same, components: 2)
        #expect(flat.explainedVarianceRatio.allSatisfy { $0 == 0 })
        #expect(flat.project(same).values.allSatisfy { $0 == 0 })
    }
}
}
