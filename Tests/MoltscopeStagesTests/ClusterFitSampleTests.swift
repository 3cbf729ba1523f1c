import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics
import Testing
@testable import MoltscopeStages

/// Above `cluster.fit_sample` documents the stage fits on a seeded sample and assigns every
/// other document to its nearest topic centre: all documents still get a row, the topic table
/// counts them all, and each assignment equals an independent nearest-centre computation.
@Suite(.serialized) struct ClusterFitSampleTests {
    @Test func everyDocumentIsAssignedToItsNearestTopicCentre() async throws {
        let pipeline = try CleanPipeline(stages: Stages.registry)
        defer { pipeline.remove() }
        try await pipeline.run(ClusterStageTests.quick, plan: .pipeline(stages: ["crawl", "clean"]))
        _ = try pipeline.store()
        let db = pipeline.db
        _ = try await Compute.run { _ in try LexicalVectors.fill(db: db) }
        let all = try await DocumentVectors.load(from: pipeline.store(), model: LexicalVectors.model)
        let total = all.count, fit = all.count * 6 / 10
        try #require(total > 100)

        try await pipeline.run(ClusterStageTests.quick + ["cluster.fit_sample=\(fit)"],
                               plan: .rebuild(stage: "cluster", downstream: false))

        // Every document has a row, the topic table counts every one, the run says how many.
        #expect(try pipeline.int("SELECT count(*) FROM document_clusters") == total)
        #expect(try pipeline.int("SELECT sum(size) FROM topic_clusters") == total)
        #expect(try pipeline.int("SELECT documents FROM cluster_runs WHERE status = 'done'") == total)
        #expect(try pipeline.int("SELECT count(*) FROM document_clusters WHERE x IS NOT NULL") <= fit)
        #expect(try pipeline.int("""
            SELECT count(*) FROM topic_clusters t WHERE size != (SELECT count(*) FROM document_clusters d WHERE d.cluster_id = t.cluster_id)
               OR posts != (SELECT count(*) FROM document_clusters d JOIN documents x ON x.id = d.document_id
                            WHERE d.cluster_id = t.cluster_id AND x.kind = 'post')
               OR abs(cohesion - (SELECT avg(similarity) FROM document_clusters d WHERE d.cluster_id = t.cluster_id)) > 1e-6
            """) == 0)

        // Independently: centre on the sample's mean, topic centres from the sampled members,
        // then each unsampled document's best cosine must be its stored topic.
        let sampled = Set(FitSample(size: fit, of: total, seed: 42).positions)
        #expect(sampled.count == fit)
        let stored = try Dictionary(uniqueKeysWithValues: pipeline.strings(
            "SELECT document_id || ' ' || cluster_id || ' ' || similarity FROM document_clusters").map { line in
                let parts = line.split(separator: " ")
                return (String(parts[0]), (Int(parts[1]) ?? -9, Float(parts[2]) ?? .nan))
            })
        let sample = all.vectors.gathering(rows: sampled.sorted())
        let mean = sample.columnMeans()
        let unit = all.vectors.centred(by: mean).normalizedRows()
        let k = try pipeline.int("SELECT count(*) FROM topic_clusters")
        var sums = Matrix(rows: k, columns: unit.columns)
        for row in sampled {
            let label = try #require(stored[all.ids[row]]).0
            for j in 0..<unit.columns { sums[label, j] += unit[row, j] }
        }
        let centres = sums.normalizedRows()
        var checked = 0
        for row in 0..<total where !sampled.contains(row) {
            let scores = (0..<k).map { c in (0..<unit.columns).reduce(Float(0)) { $0 + unit[row, $1] * centres[c, $1] } }
            let best = try #require(scores.indices.max { scores[$0] < scores[$1] })
            let (label, similarity) = try #require(stored[all.ids[row]])
            // A near tie may go either way in float32 block products.
            #expect(label == best || abs(scores[label] - scores[best]) < 1e-5, "document \(all.ids[row])")
            #expect(abs(similarity - scores[label]) < 1e-4)
            checked += 1
        }
        #expect(checked == total - fit)
    }

    @Test func theSampleIsSeededSortedAndDistinct() {
        let a = FitSample(size: 1_000, of: 1_000_000, seed: 42).positions
        #expect(a == FitSample(size: 1_000, of: 1_000_000, seed: 42).positions)
        #expect(a != FitSample(size: 1_000, of: 1_000_000, seed: 43).positions)
        #expect(a == a.sorted() && Set(a).count == 1_000 && a.allSatisfy { (0..<1_000_000).contains($0) })
        // Every position is drawn about equally often: the halves get about half each.
        #expect((400...600).contains(a.filter { $0 < 500_000 }.count))
        var walk = FitSample.Walk(FitSample(size: 3, of: 10, seed: 1))
        let picked = (0..<10).filter { _ in walk.nextIsSampled() }
        #expect(picked == FitSample(size: 3, of: 10, seed: 1).positions)
    }
}
