import Foundation
import Testing
@testable import MoltscopeNumerics

// Inside the serialized NumericsTests: these tests compute on the calling thread.
extension NumericsTests {

@Suite struct HDBSCANTests {
    // MARK: Data

    /// Gaussian blobs (one spread each) around random centres, then uniform noise over their
    /// bounding box; truth labels the noise -1.
    private func blobs(sizes: [Int], spreads: [Double], dimension: Int, separation: Double, noise: Int,
                       seed: UInt64) -> (points: Matrix, truth: [Int32]) {
        var random = SeededRandom(seed: seed)
        var rows: [[Float]] = [], truth: [Int32] = []
        for (label, (size, spread)) in zip(sizes, spreads).enumerated() {
            let centre = (0..<dimension).map { _ in random.gaussian() * separation }
            for _ in 0..<size {
                rows.append(centre.map { Float($0 + spread * random.gaussian()) })
                truth.append(Int32(label))
            }
        }
        let low = (0..<dimension).map { d in rows.map { $0[d] }.min()! }
        let high = (0..<dimension).map { d in rows.map { $0[d] }.max()! }
        for _ in 0..<noise {
            rows.append((0..<dimension).map { d in low[d] + Float(random.unit()) * (high[d] - low[d]) })
            truth.append(-1)
        }
        return (Matrix(rowVectors: rows), truth)
    }

    /// Unit vectors (text-embedding-like): normalised noisy copies of random unit centres, the
    /// noise `spreads[c]` of the centre's length, plus uniform directions as background.
    private func unitVectors(sizes: [Int], spreads: [Double], dimension: Int, background: Int,
                             seed: UInt64) -> (points: Matrix, truth: [Int32]) {
        var random = SeededRandom(seed: seed)
        func normalised(_ v: [Double]) -> [Float] {
            let length = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { Float($0 / length) }
        }
        var rows: [[Float]] = [], truth: [Int32] = []
        let scale = 1 / Double(dimension).squareRoot()
        for (label, (size, spread)) in zip(sizes, spreads).enumerated() {
            let centre = normalised((0..<dimension).map { _ in random.gaussian() }).map(Double.init)
            for _ in 0..<size {
                rows.append(normalised(centre.map { $0 + spread * scale * random.gaussian() }))
                truth.append(Int32(label))
            }
        }
        for _ in 0..<background {
            rows.append(normalised((0..<dimension).map { _ in random.gaussian() }))
            truth.append(-1)
        }
        return (Matrix(rowVectors: rows), truth)
    }

    // MARK: Comparison with the hdbscan package

    private func reference(_ points: Matrix, _ model: HDBSCAN, algorithm: String = "best",
                           approximateTree: Bool = false) throws -> [String: Any] {
        try PythonReference.run("hdbscan_reference.py", matrix: points, arguments: [
            String(model.minClusterSize), model.minSamples.map(String.init) ?? "none", model.selection.rawValue,
            model.allowSingleCluster ? "1" : "0", algorithm, approximateTree ? "1" : "0",
        ])
    }

    private func doubles(_ value: Any?) -> [Double] {
        (value as? [Any] ?? []).map { ($0 as? NSNumber)?.doubleValue ?? .nan }
    }

    /// Our fit against the package's on the same matrix: core distances and the spanning tree's
    /// weights (unique for any minimum spanning tree) to rounding, then the same partition.
    private func expectAgreement(_ points: Matrix, _ model: HDBSCAN, minimumARI: Double = 0.99,
                                 comment: String) throws {
        let run = try model.run(points)
        let theirs = try reference(points, model)
        let ours = run.result
        let theirLabels = (theirs["labels"] as? [Int] ?? []).map { Int32($0) }
        try #require(theirLabels.count == points.rows, "\(comment): no labels from the package")

        let theirCore = doubles(theirs["core"])
        let coreError = zip(run.coreDistances, theirCore).map { abs($0 - $1) / max($1, 1e-12) }.max() ?? 0
        #expect(coreError < 1e-9, "\(comment): core distances differ by \(coreError) (relative)")

        let ourWeights = run.spanningTree.map(\.weight).sorted()
        let theirWeights = doubles(theirs["spanning_weights"])
        #expect(ourWeights.count == theirWeights.count)
        let weightError = zip(ourWeights, theirWeights).map { abs($0 - $1) / max($1, 1e-12) }.max() ?? 0
        #expect(weightError < 1e-6, "\(comment): spanning-tree weights differ by \(weightError) (relative)")

        let ari = adjustedRandIndex(ours.labels, theirLabels)
        let theirClusters = Set(theirLabels.filter { $0 >= 0 }).count
        let ourNoise = ours.labels.filter { $0 < 0 }.count, theirNoise = theirLabels.filter { $0 < 0 }.count
        #expect(ari >= minimumARI, "\(comment): ARI \(ari) with the package")
        #expect(ours.clusterCount == theirClusters, "\(comment): \(ours.clusterCount) clusters, package \(theirClusters)")
        #expect(abs(ourNoise - theirNoise) <= max(2, points.rows / 100),
                "\(comment): \(ourNoise) noise points, package \(theirNoise)")

        let theirProbabilities = doubles(theirs["probabilities"])
        let probabilityGap = zip(ours.probabilities, theirProbabilities).map { abs(Double($0) - $1) }.reduce(0, +)
            / Double(points.rows)
        #expect(probabilityGap < 0.01, "\(comment): probabilities differ by \(probabilityGap) on average")

        // NaN scores (see HDBSCANResult) travel as null.
        let theirScores = doubles(theirs["outlier_scores"])
        // Equal weights (mutual reachability has many) let equally minimal trees condense a
        // point into one side or the other of a split at that weight: allow a few such points.
        let nanMismatches = zip(ours.outlierScores, theirScores).filter { $0.isNaN != $1.isNaN }.count
        #expect(nanMismatches <= points.rows / 100, "\(comment): NaN outlier scores at \(nanMismatches) other points")
        let scoreGap = zip(ours.outlierScores, theirScores).filter { !$1.isNaN && !$0.isNaN }
            .map { abs(Double($0) - $1) }.reduce(0, +) / Double(points.rows)
        #expect(scoreGap < 0.01, "\(comment): outlier scores differ by \(scoreGap) on average")

        let theirPersistence = doubles(theirs["persistence"]).sorted()
        let ourPersistence = ours.clusterPersistence.map(Double.init).sorted()
        if ourPersistence.count == theirPersistence.count {
            let gap = zip(ourPersistence, theirPersistence).map { abs($0 - $1) }.max() ?? 0
            #expect(gap < 1e-3, "\(comment): cluster persistence differs by \(gap)")
        }
    }

    /// Brute force in double precision: core distances, and the sorted weights of a minimum
    /// spanning tree of the mutual-reachability graph (Prim over all pairs); any minimum spanning
    /// tree has these weights.
    private func bruteForceTree(_ points: Matrix, minSamples: Int) -> (core: [Double], weights: [Double]) {
        let n = points.rows
        var distance = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            for b in 0..<n {
                var sum = 0.0
                for d in 0..<points.columns { let diff = Double(points[a, d]) - Double(points[b, d]); sum += diff * diff }
                distance[a * n + b] = sum.squareRoot()
            }
        }
        let core = (0..<n).map { i in (0..<n).filter { $0 != i }.map { distance[i * n + $0] }.sorted()[minSamples - 1] }
        var inTree = [Bool](repeating: false, count: n), lightest = [Double](repeating: .infinity, count: n)
        var weights: [Double] = [], current = 0
        for _ in 1..<n {
            inTree[current] = true
            var next = -1
            for j in 0..<n where !inTree[j] {
                lightest[j] = min(lightest[j], max(core[current], core[j], distance[current * n + j]))
                if next < 0 || lightest[j] < lightest[next] { next = j }
            }
            weights.append(lightest[next])
            current = next
        }
        return (core, weights.sorted())
    }

    // MARK: Tests

    @Test func plantedBlobsAreRecoveredAndNoiseIsNoise() throws {
        let (points, truth) = blobs(sizes: [300, 200, 150, 250, 100], spreads: [1, 0.6, 1.4, 0.8, 0.5],
                                    dimension: 8, separation: 12, noise: 120, seed: 7)
        let result = try HDBSCAN(minClusterSize: 15).fit(points)
        let planted = truth.indices.filter { truth[$0] >= 0 }
        let ari = adjustedRandIndex(planted.map { result.labels[$0] }, planted.map { truth[$0] })
        #expect(ari >= 0.95, "ARI \(ari) with the planted blobs")
        #expect(result.clusterCount == 5)
        let noise = truth.indices.filter { truth[$0] < 0 }
        let noiseFound = noise.filter { result.labels[$0] < 0 }.count
        #expect(Double(noiseFound) >= 0.8 * Double(noise.count), "only \(noiseFound) of \(noise.count) noise points are noise")
        #expect(result.labels.allSatisfy { $0 >= -1 && $0 < Int32(result.clusterCount) })
        #expect(result.labels.indices.allSatisfy { result.labels[$0] >= 0 || result.probabilities[$0] == 0 })
        #expect(result.clusterPersistence.count == result.clusterCount)
        // Noise is more outlying than the blob points, on average.
        let meanScore = { (indices: [Int]) in indices.map { Double(result.outlierScores[$0]) }.reduce(0, +) / Double(indices.count) }
        #expect(meanScore(noise) > meanScore(planted) + 0.2)
    }

    @Test(arguments: [MutualReachabilityTree.Strategy.automatic, .roundsOnly, .sweepEarly])
    func spanningTreeIsMinimal(strategy: MutualReachabilityTree.Strategy) throws {
        var (points, _) = blobs(sizes: [150, 100, 80, 60], spreads: [1, 0.5, 2, 0.7], dimension: 6, separation: 5,
                                noise: 60, seed: 13)
        // Some exact duplicates, for zero distances and ties.
        var rows = (0..<points.rows).map { Array(points.row($0)) }
        rows += Array(repeating: rows[3], count: 12) + rows[200..<220]
        points = Matrix(rowVectors: rows)
        for minSamples in [1, 4, 15] {
            let run = try HDBSCAN(minClusterSize: 10, minSamples: minSamples).run(points, strategy: strategy)
            let truth = bruteForceTree(points, minSamples: minSamples)
            let coreError = zip(run.coreDistances, truth.core).map { abs($0 - $1) / max($1, 1e-12) }.max() ?? 0
            #expect(coreError < 1e-12, "min_samples \(minSamples): core distances off by \(coreError)")
            let ours = run.spanningTree.map(\.weight).sorted()
            #expect(ours.count == truth.weights.count)
            let weightError = zip(ours, truth.weights).map { abs($0 - $1) / max($1, 1e-12) }.max() ?? 0
            #expect(weightError < 1e-6, "min_samples \(minSamples), \(strategy): spanning-tree weights off by \(weightError)")
        }
    }

    @Test(arguments: [
        HDBSCAN(minClusterSize: 15),
        HDBSCAN(minClusterSize: 15, minSamples: 5, selection: .leaf),
        HDBSCAN(minClusterSize: 40, minSamples: 10),
        HDBSCAN(minClusterSize: 25, minSamples: 3, selection: .excessOfMass, allowSingleCluster: true),
    ])
    func agreesWithThePackageOnBlobsOfVaryingDensity(model: HDBSCAN) throws {
        let (points, _) = blobs(sizes: [500, 400, 300, 300, 200, 100], spreads: [1, 2, 0.5, 1.5, 0.8, 3],
                                dimension: 16, separation: 6, noise: 200, seed: 11)
        try expectAgreement(points, model, comment: "2,000 x 16 blobs, \(model)")
    }

    @Test(arguments: [
        HDBSCAN(minClusterSize: 15),
        HDBSCAN(minClusterSize: 10, minSamples: 5, selection: .leaf),
    ])
    func agreesWithThePackageOnUnitVectors(model: HDBSCAN) throws {
        let (points, _) = unitVectors(sizes: [400, 300, 250, 200, 150], spreads: [0.6, 0.9, 0.4, 1.2, 0.8],
                                      dimension: 384, background: 200, seed: 5)
        try expectAgreement(points, model, comment: "1,500 x 384 unit vectors, \(model)")
    }

    @Test func singleClusterIsAllowedOnlyWhenAsked() throws {
        let (points, _) = blobs(sizes: [300], spreads: [1], dimension: 4, separation: 1, noise: 30, seed: 3)
        try expectAgreement(points, HDBSCAN(minClusterSize: 20, allowSingleCluster: true), comment: "one blob, single allowed")
        try expectAgreement(points, HDBSCAN(minClusterSize: 20), comment: "one blob")
        try expectAgreement(points, HDBSCAN(minClusterSize: 20, selection: .leaf, allowSingleCluster: true),
                            comment: "one blob, leaf")
    }

    @Test func duplicatePointsMatchThePackage() throws {
        // Exact copies: zero core distances, infinite lambdas, NaN outlier scores in their
        // clusters, as in the package.
        var (points, _) = blobs(sizes: [60, 60, 60], spreads: [1, 1, 1], dimension: 5, separation: 10, noise: 20, seed: 9)
        var rows = (0..<points.rows).map { Array(points.row($0)) }
        rows += Array(repeating: rows[0], count: 30) + Array(repeating: rows[70], count: 4) + rows[100..<140]
        points = Matrix(rowVectors: rows)
        try expectAgreement(points, HDBSCAN(minClusterSize: 10), comment: "duplicates")
        try expectAgreement(points, HDBSCAN(minClusterSize: 10, minSamples: 3, selection: .leaf), comment: "duplicates, leaf")
        let allSame = Matrix(rowVectors: Array(repeating: [1, 2, 3], count: 40))
        let result = try HDBSCAN(minClusterSize: 5, allowSingleCluster: true).fit(allSame)
        #expect(result.labels.count == 40)
        try expectAgreement(allSame, HDBSCAN(minClusterSize: 5, allowSingleCluster: true), comment: "all equal")
    }

    @Test(arguments: [HDBSCAN.Selection.excessOfMass, .leaf])
    func exactDuplicateGroupsShareOneLabel(selection: HDBSCAN.Selection) throws {
        // More than minSamples copies: zero core distances, so the merges among them all weigh
        // 0. The package's arbitrary order of equal weights can condense such a group into
        // several clusters at lambda = infinity (scikit-learn-contrib/hdbscan#94, #548); the
        // growing order keeps it whole.
        let (points, _) = blobs(sizes: [150, 150, 150, 150], spreads: [1, 1, 1, 1], dimension: 8, separation: 8,
                                noise: 40, seed: 21)
        var rows = (0..<points.rows).map { Array(points.row($0)) }
        let copied = [3, 160, 310, 470]
        for source in copied { rows += Array(repeating: rows[source], count: 120) }
        let result = try HDBSCAN(minClusterSize: 15, selection: selection).fit(Matrix(rowVectors: rows))
        for (group, source) in copied.enumerated() {
            let members = (points.rows + 120 * group..<points.rows + 120 * (group + 1)).map { result.labels[$0] }
            #expect(Set(members + [result.labels[source]]).count == 1,
                    "copies of point \(source) carry labels \(Set(members))")
        }
    }

    @Test func fewerPointsThanTheMinimumClusterSizeAreNoise() throws {
        let (points, _) = blobs(sizes: [10], spreads: [1], dimension: 3, separation: 1, noise: 0, seed: 1)
        let result = try HDBSCAN(minClusterSize: 15).fit(points)
        #expect(result.labels == [Int32](repeating: -1, count: 10))
        #expect(result.clusterCount == 0 && result.clusterPersistence.isEmpty)
        #expect(result.probabilities.allSatisfy { $0 == 0 })
        try expectAgreement(points, HDBSCAN(minClusterSize: 15), comment: "10 points")
        let pair = Matrix(rowVectors: [[0, 0], [1, 1]])
        try expectAgreement(pair, HDBSCAN(minClusterSize: 2, minSamples: 1), comment: "2 points")
    }

    @Test func emptyAndSinglePointInputs() throws {
        let none = try HDBSCAN().fit(Matrix(rows: 0, columns: 4))
        #expect(none.labels.isEmpty && none.clusterCount == 0)
        let one = try HDBSCAN().fit(Matrix(rowVectors: [[1, 2, 3]]))
        #expect(one.labels == [-1] && one.probabilities == [0] && one.outlierScores == [0])
        // No coordinates: every point is a copy of every other.
        let flat = try HDBSCAN(minClusterSize: 5, allowSingleCluster: true).fit(Matrix(rows: 30, columns: 0))
        #expect(flat.labels.count == 30 && Set(flat.labels).count == 1)
    }

    @Test func invalidParametersAndDataThrow() {
        let points = Matrix(rowVectors: [[0, 0], [1, 1], [2, 2]])
        #expect(throws: HDBSCAN.ParameterError.self) { try HDBSCAN(minClusterSize: 1).fit(points) }
        #expect(throws: HDBSCAN.ParameterError.self) { try HDBSCAN(minSamples: 0).fit(points) }
        #expect(throws: HDBSCAN.ParameterError.self) { try HDBSCAN().fit(Matrix(rowVectors: [[0, .nan], [1, 1]])) }
    }

    @Test func fitsAreDeterministic() throws {
        let (points, _) = unitVectors(sizes: [200, 200], spreads: [0.8, 0.8], dimension: 32, background: 50, seed: 2)
        let model = HDBSCAN(minClusterSize: 10)
        #expect(try model.fit(points) == model.fit(points))
    }

    @Test func cancellationStopsAFit() throws {
        let (points, _) = unitVectors(sizes: [2000, 2000], spreads: [0.8, 0.8], dimension: 64, background: 500, seed: 4)
        let cancelled = CancellationFlag()
        cancelled.cancel()
        #expect(throws: CancellationError.self) { try HDBSCAN().fit(points, cancellation: cancelled) }
        // Cancelled while running: the fit throws instead of finishing. A loaded machine can delay
        // the cancelling timer until a fit has finished: that attempt says nothing, and the next
        // one is longer (more background points).
        for background in [500, 4000, 16000] {
            let (points, _) = unitVectors(sizes: [2000, 2000], spreads: [0.8, 0.8], dimension: 64, background: background, seed: 4)
            let flag = CancellationFlag()
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { flag.cancel() }
            do {
                _ = try HDBSCAN().fit(points, cancellation: flag)
            } catch is CancellationError {
                return
            }
            // Finished first: wait for the timer so it cannot touch the next attempt's flag.
            while !flag.isCancelled { Thread.sleep(forTimeInterval: 0.01) }
        }
        Issue.record("no fit was stopped by a cancellation while it ran")
    }
}

}

extension HDBSCAN: CustomTestStringConvertible {
    public var testDescription: String {
        "mcs \(minClusterSize), ms \(minSamples.map(String.init) ?? "nil"), \(selection.rawValue)\(allowSingleCluster ? ", single" : "")"
    }
}
