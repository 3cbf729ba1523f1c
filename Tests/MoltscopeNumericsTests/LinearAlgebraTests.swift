import Testing
@testable import MoltscopeNumerics

// Inside the serialized NumericsTests: these tests compute on the calling thread.
extension NumericsTests {

@Suite struct LinearAlgebraTests {
    private func randomMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var random = SeededRandom(seed: seed)
        return Matrix(rows: rows, columns: columns, values: (0..<rows * columns).map { _ in Float(random.gaussian()) })
    }

    @Test func blockedDistancesEqualTheNaiveOnes() {
        let points = randomMatrix(rows: 300, columns: 17, seed: 1)
        let targets = randomMatrix(rows: 23, columns: 17, seed: 2)
        var block = [Float]()
        DistanceBlocks.squaredDistances(rows: 100..<300, of: points, pointNorms: points.rowSquaredNorms(),
                                        to: targets, targetNorms: targets.rowSquaredNorms(), into: &block)
        for i in 0..<200 {
            for j in 0..<23 {
                var naive: Float = 0
                for d in 0..<17 { let diff = points[100 + i, d] - targets[j, d]; naive += diff * diff }
                #expect(abs(block[i * 23 + j] - naive) < 1e-3 * max(1, naive))
            }
        }
        // The nearest-centre pass of k-means (centres as sgemm's first operand) against the naive argmin.
        var nearest = [Int32](repeating: -1, count: 300), squared = [Float](repeating: 0, count: 300)
        Lloyd(points: points, norms: points.rowSquaredNorms(), threshold: 0, maxIterations: 1)
            .assign(targets, labels: &nearest, distances: &squared)
        for i in 0..<300 {
            let best = (0..<23).min { a, b in
                zip(points.row(i), targets.row(a)).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
                    < zip(points.row(i), targets.row(b)).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            }!
            #expect(Int(nearest[i]) == best)
        }
    }

    @Test func symmetricEigenFindsTheLargestPairs() {
        // A known spectrum: Q diag(5, 3, 1, 0.5) Q^T with Q from a Gram-Schmidt of random columns.
        let n = 4
        let q = randomMatrix(rows: n, columns: n, seed: 3)
        var basis: [[Float]] = []
        for i in 0..<n {
            var v = Array(q.row(i))
            for b in basis { let dot = zip(v, b).map(*).reduce(0, +); v = zip(v, b).map { $0 - dot * $1 } }
            let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
            basis.append(v.map { $0 / norm })
        }
        let spectrum: [Float] = [5, 3, 1, 0.5]
        var a = [Float](repeating: 0, count: n * n)
        for (value, v) in zip(spectrum, basis) { for i in 0..<n { for j in 0..<n { a[i * n + j] += value * v[i] * v[j] } } }
        let (values, vectors) = BLAS.symmetricEigen(a, order: n, largest: 2)
        #expect(values.count == 2)
        #expect(abs(values[0] - 5) < 1e-4 && abs(values[1] - 3) < 1e-4)
        let alignment = abs(zip(Array(vectors.row(0)), basis[0]).map(*).reduce(0, +))
        #expect(abs(alignment - 1) < 1e-4)
    }

    @Test func seededRandomIsReproducibleAndUniform() {
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42), c = SeededRandom(seed: 43)
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
        var mean = 0.0
        for _ in 0..<100_000 { mean += a.unit() }
        #expect(abs(mean / 100_000 - 0.5) < 0.01)
    }
}
}
