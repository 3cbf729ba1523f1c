import Foundation
import GRDB
import MoltscopeCore
import Testing
@testable import MoltscopeStages

/// The temporal stage on the whole shared capture: its interaction graph's measures against
/// networkx (Tests/References/network_reference.py, exact betweenness), and its thread figures
/// against the crawl's own comment depths.
@Suite struct TemporalGoldenTests {
    @Test(.timeLimit(.minutes(15)))
    func networkMeasuresAgreeWithNetworkxOnTheCapture() async throws {
        guard let pipeline = try await GoldenCapture.prepared.value else {
            print("golden: ../shared/data capture not present, skipped")
            return
        }
        try await pipeline.run(["embed.model=\(LexicalVectors.model)", "temporal.network.betweenness_pivots=0"],
                               plan: .rebuild(stage: "temporal", downstream: false))
        let db = pipeline.db
        let answer = try await Task.detached { try ReferenceScript.run("network_reference.py", [db]) }.value
        let reference = try #require(try JSONSerialization.jsonObject(with: answer) as? [String: Any])
        #expect(try pipeline.int("SELECT count(*) FROM network_agents") == reference["nodes"] as? Int)
        #expect(try pipeline.int("SELECT count(*) FROM interaction_edges") == reference["edges"] as? Int)
        #expect(try pipeline.int("SELECT count(*) FROM network_agents") > 3_000)
        let overall = try #require(reference["overall_reciprocity"] as? Double)
        #expect(abs(try #require(try pipeline.double("SELECT value FROM temporal_summary WHERE measure = 'reciprocity'")) - overall) < 1e-12)

        let rows = try DatabaseQueue(path: db).read { db in
            try Row.fetchAll(db, sql: """
                SELECT agent_id, pagerank, betweenness, clustering, reciprocity, in_degree, out_degree, in_weight FROM network_agents
                """)
        }
        func map(_ key: String) throws -> [String: Double] {
            try #require((reference[key] as? [String: Any])?.compactMapValues { ($0 as? NSNumber)?.doubleValue })
        }
        let pagerank = try map("pagerank"), betweenness = try map("betweenness"), clustering = try map("clustering")
        let reciprocity = try map("reciprocity"), inDegree = try map("in_degree"), outDegree = try map("out_degree")
        let inWeight = try map("in_weight")
        var worst = (pagerank: 0.0, betweenness: 0.0, clustering: 0.0, reciprocity: 0.0)
        var degreeMismatches = 0
        for row in rows {
            let agent: String = row[0]
            worst.pagerank = max(worst.pagerank, abs((row[1] as Double) - (pagerank[agent] ?? .nan)))
            worst.betweenness = max(worst.betweenness, abs((row[2] as Double) - (betweenness[agent] ?? .nan)))
            worst.clustering = max(worst.clustering, abs((row[3] as Double) - (clustering[agent] ?? .nan)))
            worst.reciprocity = max(worst.reciprocity, abs((row[4] as Double? ?? 0) - (reciprocity[agent] ?? 0)))
            if Double(row[5] as Int) != inDegree[agent] || Double(row[6] as Int) != outDegree[agent]
                || Double(row[7] as Int) != inWeight[agent] { degreeMismatches += 1 }
        }
        print("golden network vs networkx: max differences \(worst)")
        #expect(worst.pagerank < 1e-6)
        #expect(worst.betweenness < 1e-9)
        #expect(worst.clustering < 1e-12)
        #expect(worst.reciprocity < 1e-12)
        #expect(degreeMismatches == 0)

        // Thread figures against the crawl's own depth field (0 = answer to the post).
        let depth = try #require(try pipeline.double("SELECT avg(depth) + 1 FROM comments"))
        #expect(abs(try #require(try pipeline.double("SELECT value FROM temporal_summary WHERE measure = 'mean_comment_depth'")) - depth) < 1e-12)
        let unanswered = try #require(try pipeline.double("""
            SELECT avg(NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id)) FROM comments c
            """))
        #expect(abs(try #require(try pipeline.double("SELECT value FROM temporal_summary WHERE measure = 'unanswered_comment_share'")) - unanswered) < 1e-12)
        // The capture's figures are in the published range.
        #expect(depth > 1.0 && depth < 1.2)           // published 1.07
        #expect(unanswered > 0.85 && unanswered < 0.99) // published 93.5%
    }
}
