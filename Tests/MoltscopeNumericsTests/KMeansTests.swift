import Foundation
import Testing
@testable import MoltscopeNumerics

// Inside the serialized NumericsTests: these tests compute on the calling thread.
extension NumericsTests {

@Suite struct KMeansTests {
    @Test func recoversPlantedClusters() throws {
        let (points, truth) = PlantedBlobs.make(clusters: 6, perCluster: 150, dimensions: 20, separation: 4, seed: 7)
        let result = try KMeans(clusters: 6, initializations: 3, seed: 1).fit(points)
        #expect(adjustedRandIndex(result.labels, truth) > 0.99)
        #expect(result.sizes.sorted() == [Int](repeating: 150, count: 6))
        // The inertia is the sum of squared distances to the returned centres.
        var check = 0.0
        for i in 0..<points.rows {
            check += pow(ClusterQuality.distance(points.row(i), result.centroids.row(Int(result.labels[i]))), 2)
        }
        #expect(abs(check - result.inertia) / check < 1e-4)
    }

    @Test func sameSeedSameResultOtherSeedMayDiffer() throws {
        let (points, _) = PlantedBlobs.make(clusters: 12, perCluster: 40, dimensions: 8, separation: 1.5, seed: 3)
        let a = try KMeans(clusters: 12, seed: 5).fit(points)
        let b = try KMeans(clusters: 12, seed: 5).fit(points)
        #expect(a.labels == b.labels && a.inertia == b.inertia && a.centroids == b.centroids)
    }

    @Test func inertiaMatchesScikitLearnOnOverlappingUnitVectors() throws {
        // Overlapping clusters of unit vectors, like text embeddings: local optima differ, so
        // compare the best of several initialisations on both sides.
        let (points, _) = PlantedBlobs.make(clusters: 15, perCluster: 80, dimensions: 64, separation: 1, spread: 1.2,
                                            unitLength: true, seed: 11)
        let ours = try KMeans(clusters: 10, initializations: 4, tolerance: 1e-4, seed: 2).fit(points)
        let labels = try PythonReference.labelsFile(ours.labels)
        defer { try? FileManager.default.removeItem(atPath: labels) }
        let reference = try PythonReference.run("kmeans_reference.py", matrix: points,
                                                arguments: ["10", "4", "1e-4", "2", labels])
        let theirs = try #require(reference["inertia"] as? Double)
        #expect(ours.inertia <= theirs * 1.01, "ours \(ours.inertia) vs scikit-learn \(theirs)")
        // Our inertia is what scikit-learn computes for our labels (member means as centres).
        let recomputed = try #require(reference["labels_inertia"] as? Double)
        #expect(abs(recomputed - ours.inertia) / recomputed < 1e-3)
    }

    @Test func emptyClustersAreRefilledAndDuplicatesHandled() throws {
        // 3 distinct points repeated: k = 3 must find them exactly, with zero inertia.
        var rows: [[Float]] = []
        for _ in 0..<20 { rows += [[0, 0], [5, 5], [10, 0]] }
        let result = try KMeans(clusters: 3, seed: 0).fit(Matrix(rowVectors: rows))
        #expect(result.inertia < 1e-6)
        #expect(Set(result.labels).count == 3)
        let one = try KMeans(clusters: 1).fit(Matrix(rowVectors: [[1, 2]]))
        #expect(one.labels == [0] && one.inertia == 0)
    }

    @Test func miniBatchComesCloseToFullLloyd() throws {
        let (points, truth) = PlantedBlobs.make(clusters: 8, perCluster: 1000, dimensions: 16, separation: 3, seed: 21)
        let full = try KMeans(clusters: 8, seed: 1).fit(points)
        let mini = try MiniBatchKMeans(clusters: 8, batchSize: 512, seed: 1).fit(points)
        #expect(adjustedRandIndex(mini.labels, truth) > 0.95)
        #expect(mini.inertia <= full.inertia * 1.05, "mini-batch \(mini.inertia) vs Lloyd \(full.inertia)")
    }

    @Test func cancellationStopsARun() throws {
        let (points, _) = PlantedBlobs.make(clusters: 4, perCluster: 50, dimensions: 4, seed: 1)
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: CancellationError.self) { try KMeans(clusters: 4).fit(points, cancellation: flag) }
    }
}

@Suite struct PartitionQualityTests {
    @Test func silhouetteDaviesBouldinAndCalinskiHarabaszMatchScikitLearn() throws {
        let (points, _) = PlantedBlobs.make(clusters: 5, perCluster: 120, dimensions: 32, separation: 1.5, seed: 5)
        let labels = try KMeans(clusters: 5, seed: 3).fit(points).labels
        let file = try PythonReference.labelsFile(labels)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let reference = try PythonReference.run("kmeans_reference.py", matrix: points, arguments: ["5", "1", "1e-4", "0", file])
        let silhouette = try #require(try Silhouette.score(points, labels: labels))
        #expect(abs(silhouette - (reference["silhouette"] as! Double)) < 1e-4)
        let daviesBouldin = try #require(ClusterQuality.daviesBouldin(points, labels: labels))
        #expect(abs(daviesBouldin - (reference["davies_bouldin"] as! Double)) < 1e-4)
        let calinski = try #require(ClusterQuality.calinskiHarabasz(points, labels: labels))
        #expect(abs(calinski / (reference["calinski_harabasz"] as! Double) - 1) < 1e-4)
    }

    @Test func silhouetteLeavesNoiseOutAndNeedsTwoClusters() throws {
        let points = Matrix(rowVectors: [[0, 0], [0, 1], [10, 10], [10, 11], [50, 50]])
        let withNoise = try #require(try Silhouette.score(points, labels: [0, 0, 1, 1, -1]))
        let without = try #require(try Silhouette.score(points.gathering(rows: [0, 1, 2, 3]), labels: [0, 0, 1, 1]))
        #expect(withNoise == without && withNoise > 0.9)
        #expect(try Silhouette.score(points, labels: [0, 0, 0, 0, 0]) == nil)
        // A singleton cluster scores 0, as scikit-learn.
        let samples = try #require(try Silhouette.samples(points, labels: [0, 0, 1, 1, 2]))
        #expect(samples[4] == 0)
    }

    @Test func sampledSilhouetteIsCloseToTheExactOne() throws {
        let (points, _) = PlantedBlobs.make(clusters: 4, perCluster: 500, dimensions: 8, separation: 2, seed: 9)
        let labels = try KMeans(clusters: 4, seed: 1).fit(points).labels
        let exact = try #require(try Silhouette.score(points, labels: labels))
        let sampled = try #require(try Silhouette.sampledScore(points, labels: labels, size: 600, seed: 4))
        #expect(abs(exact - sampled) < 0.03)
    }
}

@Suite struct XMeansTests {
    @Test func findsThePlantedNumberOfClusters() throws {
        for planted in [1, 3, 5] {
            let (points, truth) = PlantedBlobs.make(clusters: planted, perCluster: 60, dimensions: 12, separation: 6,
                                                    seed: UInt64(planted))
            let result = try XMeans(maxClusters: 10, seed: 1).fit(points)
            #expect(result.centroids.rows == planted, "planted \(planted), found \(result.centroids.rows)")
            if planted > 1 { #expect(adjustedRandIndex(result.labels, truth) > 0.99) }
            #expect(result.bic >= result.singleClusterBIC)
        }
    }

    @Test func templatesInHighDimensionalUnitVectors() throws {
        // Posts of a submolt: 3 formulaic templates (tight) among varied posts, 384-dim unit vectors.
        var random = SeededRandom(seed: 8)
        func unit(_ v: [Float]) -> [Float] { let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot(); return v.map { $0 / n } }
        let templates = (0..<3).map { _ in (0..<384).map { _ in Float(random.gaussian()) } }
        var rows: [[Float]] = []
        for t in templates { for _ in 0..<25 { rows.append(unit(t.map { $0 + Float(random.gaussian() * 0.25) })) } }
        let result = try XMeans(maxClusters: 8, seed: 2).fit(Matrix(rowVectors: rows))
        #expect(result.centroids.rows == 3)
        #expect(result.centroids.rows <= 8)
    }

    @Test func respectsTheCap() throws {
        let (points, _) = PlantedBlobs.make(clusters: 6, perCluster: 30, dimensions: 4, separation: 8, seed: 2)
        #expect(try XMeans(maxClusters: 4, seed: 1).fit(points).centroids.rows <= 4)
        #expect(try XMeans(maxClusters: 8, seed: 1).fit(points.gathering(rows: [0])).centroids.rows == 1)
    }
}


@Suite struct BoundedLloydTests {
    /// Hamerly's bounds only skip work: labels, centres and inertia equal plain Lloyd's.
    @Test func boundsGiveThePlainLloydResult() throws {
        for (seed, k) in [(UInt64(1), 5), (2, 12), (3, 25)] {
            let (points, _) = PlantedBlobs.make(clusters: 10, perCluster: 60, dimensions: 48, separation: 1, spread: 1,
                                                unitLength: true, seed: seed)
            let norms = points.rowSquaredNorms()
            var random = SeededRandom(seed: seed)
            let start = try KMeansPlusPlus.centres(of: points, norms: norms, count: k, random: &random, cancellation: nil)
            let plain = try Lloyd(points: points, norms: norms, threshold: 0, maxIterations: 300).run(from: start, cancellation: nil)
            let bounded = try BoundedLloyd(points: points, norms: norms, threshold: 0, maxIterations: 300).run(from: start, cancellation: nil)
            #expect(bounded.labels == plain.labels)
            #expect(bounded.iterations == plain.iterations)
            #expect(abs(bounded.inertia - plain.inertia) / plain.inertia < 1e-5)
        }
    }
}
}
