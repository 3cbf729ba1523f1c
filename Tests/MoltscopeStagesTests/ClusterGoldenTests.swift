import Foundation
import MoltscopeCore
import MoltscopeNumerics
import Testing
@testable import MoltscopeStages

/// k-means on the whole shared capture (40,389 documents; lexical stand-in vectors, since a
/// model server would need over an hour for them here) against scikit-learn on the same vectors.
@Suite struct ClusterGoldenTests {
    @Test(.timeLimit(.minutes(15)))
    func kmeansInertiaWithinOnePercentOfScikitLearnOnTheCapture() async throws {
        guard let pipeline = try await GoldenCapture.prepared.value else {
            print("golden: ../shared/data capture not present, skipped")
            return
        }
        let documents = try await DocumentVectors.load(from: pipeline.store(), model: LexicalVectors.model)
        #expect(documents.count == 40_387)   // the kept documents: 40,389 less the 2 empty ones
        let k = 20
        let vectors = documents.vectors
        let ours = try await Compute.run { _ in try KMeans(clusters: k, initializations: 3, seed: 42).fit(vectors) }
        let theirs = try await Compute.run { _ in try ScikitLearn.kmeansInertia(vectors, k: k, initializations: 3, seed: 42) }
        print("golden k-means on the capture: moltscope inertia \(ours.inertia), scikit-learn \(theirs)")
        #expect(ours.inertia <= theirs * 1.01, "moltscope \(ours.inertia) vs scikit-learn \(theirs)")
        #expect(ours.inertia >= theirs * 0.97, "a much lower inertia than scikit-learn's would mean a different objective")
        #expect(Set(ours.labels).count == k)
    }
}
