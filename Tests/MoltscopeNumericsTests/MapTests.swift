import Foundation
import Testing
@testable import MoltscopeNumerics

// Inside the serialized NumericsTests: these tests compute on the calling thread.
extension NumericsTests {

@Suite struct MapTests {
    /// `clusters` Gaussian blobs of `size` points in `dimensions`: unit noise around centres drawn
    /// with standard deviation `spread`. Returns the points and each one's blob.
    static func blobs(clusters: Int, size: Int, dimensions: Int, spread: Double = 2,
                      seed: UInt64) -> (points: Matrix, labels: [Int]) {
        var random = SeededRandom(seed: seed)
        let centres = (0..<clusters).map { _ in (0..<dimensions).map { _ in random.gaussian() * spread } }
        var values: [Float] = [], labels: [Int] = []
        for c in 0..<clusters {
            for _ in 0..<size {
                values += centres[c].map { Float($0 + random.gaussian()) }
                labels.append(c)
            }
        }
        return (Matrix(rows: clusters * size, columns: dimensions, values: values), labels)
    }

    /// Leave-one-out majority vote of the `k` nearest points in the map.
    static func neighbourAccuracy(_ map: Matrix, labels: [Int], k: Int = 10) -> Double {
        var correct = 0
        for i in 0..<map.rows {
            let others: [(distance: Double, label: Int)] = (0..<map.rows).filter { $0 != i }
                .map { (squaredDistance(map, i, $0), labels[$0]) }
            let nearest = others.sorted { $0.distance < $1.distance }.prefix(k)
            var votes: [Int: Int] = [:]
            for neighbour in nearest { votes[neighbour.label, default: 0] += 1 }
            let winner = votes.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key
            if winner == labels[i] { correct += 1 }
        }
        return Double(correct) / Double(map.rows)
    }

    static func squaredDistance(_ points: Matrix, _ i: Int, _ j: Int) -> Double {
        var sum = 0.0
        for c in 0..<points.columns {
            let difference = Double(points[i, c]) - Double(points[j, c])
            sum += difference * difference
        }
        return sum
    }

    /// The points with the map appended as two more columns: one matrix for the reference script.
    static func appending(_ map: Matrix, to points: Matrix) -> Matrix {
        var values: [Float] = []
        for i in 0..<points.rows { values += points.row(i); values += map.row(i) }
        return Matrix(rows: points.rows, columns: points.columns + 2, values: values)
    }

    // MARK: The map against scikit-learn

    @Test func plantedClustersMapLikeScikitLearn() throws {
        let (points, labels) = Self.blobs(clusters: 5, size: 60, dimensions: 50, seed: 11)
        let tsne = TSNE(perplexity: 30, iterations: 1000, seed: 42)
        var reported: [Int] = []
        let (map, divergence) = try tsne.embed(points) { reported.append($0) }
        #expect(map.rows == 300 && map.columns == 2)
        #expect(reported == Array(stride(from: 50, through: 1000, by: 50)))

        let accuracy = Self.neighbourAccuracy(map, labels: labels)
        #expect(accuracy >= 0.95, "10-NN accuracy in the map \(accuracy)")

        let reference = try PythonReference.run("tsne_reference.py", matrix: Self.appending(map, to: points),
                                                arguments: ["map", "30", "1000", "42"])
        let ours = try #require(reference["trustworthiness_ours"] as? Double)
        let theirs = try #require(reference["trustworthiness_sklearn"] as? Double)
        let theirDivergence = try #require(reference["kl_sklearn"] as? Double)
        let divergenceOfOurs = try #require(reference["kl_of_ours"] as? Double)
        #expect(abs(ours - theirs) <= 0.02, "trustworthiness \(ours) vs scikit-learn's \(theirs)")
        // The same objective reached: within 5% of scikit-learn's final KL.
        #expect(abs(divergence - theirDivergence) <= 0.05 * theirDivergence,
                "KL \(divergence) vs scikit-learn's \(theirDivergence)")
        // And the KL we report is the one scikit-learn computes for our map.
        #expect(abs(divergence - divergenceOfOurs) <= 0.01 * divergenceOfOurs,
                "reported KL \(divergence), scikit-learn's objective at our map \(divergenceOfOurs)")
    }

    @Test func affinitiesMatchScikitLearn() throws {
        let (points, _) = Self.blobs(clusters: 3, size: 70, dimensions: 10, seed: 5)
        let perplexity = 12.0
        let ours = try TSNE(perplexity: perplexity).inputAffinities(points, cancellation: nil)
        let reference = try PythonReference.run("tsne_reference.py", matrix: points,
                                                arguments: ["affinities", String(perplexity)])
        let entries = try #require(reference["p"] as? [[Double]])
        var theirs: [Int: Double] = [:]
        for entry in entries { theirs[Int(entry[0]) * points.rows + Int(entry[1])] = entry[2] }
        var count = 0, worst = 0.0
        for i in 0..<ours.points {
            for entry in ours.rowStarts[i]..<ours.rowStarts[i + 1] {
                let key = i * points.rows + Int(ours.columns[entry])
                let value = Double(ours.values[entry])
                guard let expected = theirs[key] else { Issue.record("P[\(i), \(ours.columns[entry])] not in scikit-learn's"); continue }
                worst = max(worst, abs(value - expected) / expected)
                count += 1
            }
        }
        #expect(count == theirs.count, "\(count) entries, scikit-learn has \(theirs.count)")
        #expect(worst < 1e-3, "largest relative difference \(worst)")
    }

    // MARK: The parts

    @Test func exactNeighboursMatchBruteForce() throws {
        var (points, _) = Self.blobs(clusters: 2, size: 60, dimensions: 7, seed: 9)
        points.setRow(5, Array(points.row(17)))   // a duplicate pair
        let k = 8
        let lists = try ExactNeighbors.find(in: points, count: k)
        for i in 0..<points.rows {
            let others: [(Int, Double)] = (0..<points.rows).filter { $0 != i }.map { ($0, Self.squaredDistance(points, i, $0)) }
            let expected = others.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(k)
            #expect(lists.indices[i * k..<(i + 1) * k].map(Int.init) == expected.map(\.0), "row \(i)")
            for (slot, pair) in expected.enumerated() {
                #expect(abs(Double(lists.squaredDistances[i * k + slot]) - pair.1) <= 1e-5 * max(1, pair.1))
            }
        }
        #expect(lists.indices[5 * k] == 17 && lists.squaredDistances[5 * k] == 0)
        #expect(lists.indices[17 * k] == 5 && lists.squaredDistances[17 * k] == 0)
    }

    @Test func calibratedRowsHaveTheAskedPerplexity() throws {
        let (points, _) = Self.blobs(clusters: 2, size: 50, dimensions: 5, seed: 2)
        let lists = try ExactNeighbors.find(in: points, count: 31)
        let affinities = try PerplexityCalibration.conditionalAffinities(lists, perplexity: 10)
        for i in 0..<points.rows {
            let row = affinities[i * 31..<(i + 1) * 31].map(Double.init)
            #expect(abs(row.reduce(0, +) - 1) < 1e-5)
            let entropy = -row.reduce(0.0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
            #expect(abs(exp(entropy) - 10) < 1e-3, "row \(i): perplexity \(exp(entropy))")
        }
    }

    @Test func barnesHutRepulsionApproachesTheExactSum() {
        var random = SeededRandom(seed: 8)
        var positions = (0..<600).map { _ in Float(random.gaussian() * 10) }
        positions[2] = positions[0]; positions[3] = positions[1]   // a duplicate of point 0
        var tree = QuadTree()
        positions.withUnsafeBufferPointer { tree.build($0) }
        #expect(tree.cells[0].count == 300)
        var stack = [Int32](repeating: 0, count: QuadTree.stackCapacity)
        for i in [0, 1, 7, 150, 299] {
            var exactX = 0.0, exactY = 0.0, exactZ = 0.0
            for j in 0..<300 where positions[2 * j] != positions[2 * i] || positions[2 * j + 1] != positions[2 * i + 1] {
                let dx = Double(positions[2 * i] - positions[2 * j]), dy = Double(positions[2 * i + 1] - positions[2 * j + 1])
                let kernel = 1 / (1 + dx * dx + dy * dy)
                exactZ += kernel; exactX += kernel * kernel * dx; exactY += kernel * kernel * dy
            }
            let exact = stack.withUnsafeMutableBufferPointer {
                tree.repulsion(x: positions[2 * i], y: positions[2 * i + 1], squaredTheta: 0, stack: $0.baseAddress!)
            }
            #expect(abs(exact.normalisation - exactZ) < 1e-6 * exactZ)
            #expect(abs(exact.forceX - exactX) < 1e-6 * max(1e-3, abs(exactX)))
            #expect(abs(exact.forceY - exactY) < 1e-6 * max(1e-3, abs(exactY)))
            let rough = stack.withUnsafeMutableBufferPointer {
                tree.repulsion(x: positions[2 * i], y: positions[2 * i + 1], squaredTheta: 0.25, stack: $0.baseAddress!)
            }
            #expect(abs(rough.normalisation - exactZ) < 0.02 * exactZ)
        }
    }

    // MARK: Behaviour

    @Test func sameSeedSameMap() throws {
        let (points, _) = Self.blobs(clusters: 3, size: 40, dimensions: 8, seed: 4)
        let tsne = TSNE(perplexity: 10, iterations: 300)
        let first = try tsne.embed(points), second = try tsne.embed(points)
        #expect(first.coordinates == second.coordinates && first.klDivergence == second.klDivergence)
    }

    @Test func tinyInputs() throws {
        let tsne = TSNE()
        let empty = try tsne.embed(Matrix(rows: 0, columns: 4))
        #expect(empty.coordinates.rows == 0 && empty.coordinates.columns == 2 && empty.klDivergence == 0)
        let one = try tsne.embed(Matrix(rows: 1, columns: 4, values: [1, 2, 3, 4]))
        #expect(one.coordinates.values == [0, 0])

        for n in [2, 3, 5] {
            let (points, _) = Self.blobs(clusters: 1, size: n, dimensions: 4, seed: UInt64(n))
            let (map, divergence) = try tsne.embed(points)
            #expect(map.rows == n && map.values.allSatisfy(\.isFinite) && divergence.isFinite, "n = \(n)")
            // Distinct points do not collapse onto each other.
            for i in 0..<n { for j in 0..<i { #expect(map.row(i) != map.row(j), "n = \(n)") } }
        }
        #expect(tsne.effectivePerplexity(points: 2) == 1)
        #expect(tsne.effectivePerplexity(points: 31) == 10)
        #expect(tsne.effectivePerplexity(points: 1000) == 30)
    }

    @Test func duplicatesStayTogetherAndFinite() throws {
        var (points, labels) = Self.blobs(clusters: 2, size: 40, dimensions: 6, seed: 6)
        for i in 1..<15 { points.setRow(i, Array(points.row(0))) }   // 15 copies of point 0
        let (map, divergence) = try TSNE(perplexity: 5, iterations: 500).embed(points)
        #expect(map.values.allSatisfy(\.isFinite) && divergence.isFinite)
        for i in 1..<15 { #expect(map.row(i) == map.row(0), "copy \(i) apart from the original") }
        #expect(Self.neighbourAccuracy(map, labels: labels, k: 5) >= 0.95)

        // Nothing but duplicates: no spread for PCA to scale, still a finite map.
        let same = Matrix(rows: 6, columns: 3, repeating: 2)
        let flat = try TSNE().embed(same)
        #expect(flat.coordinates.values.allSatisfy(\.isFinite) && flat.klDivergence.isFinite)
    }

    @Test func identicalRowsAreGrouped() {
        let rows = Matrix(rows: 5, columns: 2, values: [1, 2, 3, 4, 1, 2, 0, 5, -0.0, 5])
        let identical = IdenticalRows(rows)
        #expect(identical.representatives == [0, 1, 3])
        #expect(identical.groupOfRow == [0, 1, 0, 2, 2])
        #expect(!IdenticalRows(Matrix(rows: 2, columns: 1, values: [1, 2])).hasDuplicates)
    }

    @Test func cancellationStopsTheRun() {
        let (points, _) = Self.blobs(clusters: 2, size: 30, dimensions: 4, seed: 1)
        let flag = CancellationFlag()
        #expect(throws: CancellationError.self) {
            _ = try TSNE(iterations: 1000).embed(points, cancellation: flag) { done in
                if done == 100 { flag.cancel() }
                #expect(done <= 100)
            }
        }
    }
}
}
