import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics
import Testing
@testable import MoltscopeStages

/// The temporal stage on a synthetic society with planted structure (SyntheticSociety): every
/// planted truth is recovered, and every count equals one computed here independently.
@Suite(.serialized) struct TemporalStageTests {
    static let settings = ["embed.model=\(SyntheticSociety.model)", "toxicity_label.labeller=trained",
                           "temporal.network.betweenness_pivots=0"]

    /// The society, written once, with the stage run on it.
    private static func prepared(_ extra: [String] = [], name: String = #function) async throws -> (CleanPipeline, SyntheticSociety) {
        let pipeline = try CleanPipeline(stages: Stages.registry, name: name)
        _ = try pipeline.store()
        let society = SyntheticSociety()
        try society.write(to: pipeline.db)
        try await pipeline.run(settings + extra, plan: .rebuild(stage: "temporal", downstream: false))
        return (pipeline, society)
    }

    @Test func recoversThePlantedSociety() async throws {
        let (pipeline, society) = try await Self.prepared()
        defer { pipeline.remove() }
        let documents = society.documents
        let hour: (SyntheticSociety.Document) -> Int = { Int(($0.time - SyntheticSociety.start) / 3_600_000_000) }

        // Volume per hour, exactly.
        var posts = [Int](repeating: 0, count: SyntheticSociety.hours), comments = posts, harmful = posts
        for d in documents {
            if d.isPost { posts[hour(d)] += 1 } else { comments[hour(d)] += 1 }
            if d.harmful { harmful[hour(d)] += 1 }
        }
        let firstHour = posts.indices.first { posts[$0] + comments[$0] > 0 }!
        #expect(try pipeline.strings("SELECT posts FROM temporal_series WHERE bucket = '1h' ORDER BY start")
            == posts[firstHour...].map(String.init))
        #expect(try pipeline.strings("SELECT comments FROM temporal_series WHERE bucket = '1h' ORDER BY start")
            == comments[firstHour...].map(String.init))
        #expect(try pipeline.int("SELECT sum(documents) FROM temporal_series WHERE bucket = '1d'") == documents.count)
        #expect(try pipeline.strings("SELECT start FROM temporal_series WHERE bucket = '1d' ORDER BY start")
            == ["2026-02-01T00:00:00Z", "2026-02-02T00:00:00Z", "2026-02-03T00:00:00Z", "2026-02-04T00:00:00Z"])
        // Every agent is new exactly once; topic shares sum to 1 per bucket.
        #expect(try pipeline.int("SELECT sum(new_agents) FROM temporal_series WHERE bucket = '1h'") == society.agents.count)
        #expect(try pipeline.int("""
            SELECT count(*) FROM (SELECT bucket, start, sum(share) AS s FROM temporal_topic_shares GROUP BY bucket, start)
            WHERE abs(s - 1) > 1e-9
            """) == 0)
        #expect(try Self.number(pipeline, "SELECT max(topic_entropy) FROM temporal_series") <= log2(9) + 1e-9)

        // The planted volume-harm correlation: recovered, and equal to Pearson on the truth.
        let hours = (firstHour..<SyntheticSociety.hours).filter { posts[$0] + comments[$0] > 0 }
        let volume = hours.map { Double(posts[$0] + comments[$0]) }
        let share = hours.map { Double(harmful[$0]) / Double(posts[$0] + comments[$0]) }
        let truth = try #require(PearsonCorrelation.of(volume, share))
        let r = try #require(try pipeline.double("SELECT r FROM temporal_correlations WHERE bucket = '1h' AND x = 'documents'"))
        #expect(abs(r - truth.r) < 1e-9)
        #expect(r > 0.4, "planted: harm rises with volume")
        #expect(try Self.number(pipeline, "SELECT p_value FROM temporal_correlations WHERE bucket = '1h' AND x = 'documents'") < 1e-3)

        // Unigram births per day, exactly: words first used that day over distinct words that day.
        var firstDay: [Substring: Int] = [:], lastDay: [Substring: Int] = [:], perDay: [Set<Substring>] = Array(repeating: [], count: 4)
        for d in documents {
            let day = hour(d) / 24
            for word in d.text.split(separator: " ") {
                perDay[day].insert(word)
                firstDay[word] = min(firstDay[word] ?? day, day)
                lastDay[word] = max(lastDay[word] ?? day, day)
            }
        }
        let births = try pipeline.doubles("SELECT coalesce(birth_rate, -1) FROM temporal_ngrams WHERE bucket = '1d' AND n = 1 ORDER BY start")
        let deaths = try pipeline.doubles("SELECT coalesce(death_rate, -1) FROM temporal_ngrams WHERE bucket = '1d' AND n = 1 ORDER BY start")
        for day in 0..<4 {
            let born = Double(perDay[day].filter { firstDay[$0] == day }.count) / Double(perDay[day].count)
            let died = Double(perDay[day].filter { lastDay[$0] == day }.count) / Double(perDay[day].count)
            #expect(abs(births[day] - (day == 0 ? -1 : born)) < 1e-12, "day \(day) births")
            #expect(abs(deaths[day] - (day == 3 ? -1 : died)) < 1e-12, "day \(day) deaths")
        }

        // The edges: commenter -> author of the parent, merged, no self-loops.
        var edges: [String: Int] = [:]
        for d in documents where !d.isPost {
            let target = documents[d.parent!].author
            if target != d.author { edges["\(society.agents[d.author])>\(society.agents[target])", default: 0] += 1 }
        }
        let stored = try pipeline.strings("SELECT source_id || '>' || target_id || '=' || weight FROM interaction_edges")
        #expect(Set(stored) == Set(edges.map { "\($0.key)=\($0.value)" }))
        let reciprocated = edges.keys.filter { key in
            let parts = key.split(separator: ">")
            return edges["\(parts[1])>\(parts[0])"] != nil
        }.count
        let reciprocity = try #require(try pipeline.double("SELECT value FROM temporal_summary WHERE measure = 'reciprocity'"))
        #expect(abs(reciprocity - Double(reciprocated) / Double(edges.count)) < 1e-12)

        // The hubs lead PageRank and in-degree, and share a role apart from the periphery.
        let hubs = Set(SyntheticSociety.hubs.map { society.agents[$0] })
        #expect(Set(try pipeline.strings("SELECT agent_id FROM network_agents ORDER BY pagerank DESC LIMIT 3")) == hubs)
        #expect(Set(try pipeline.strings("SELECT agent_id FROM network_agents ORDER BY in_degree DESC LIMIT 3")) == hubs)
        #expect(Set(try pipeline.strings("SELECT agent_id FROM network_agents ORDER BY betweenness DESC LIMIT 3")) == hubs)
        let hubRoles = try pipeline.strings("SELECT DISTINCT role FROM network_agents WHERE agent_id IN ('agent-0000','agent-0001','agent-0002')")
        #expect(hubRoles.count == 1 && hubRoles != ["0"], "hubs form their own role")
        #expect(try pipeline.strings("SELECT name FROM network_roles WHERE role = 0") == ["periphery"])
        #expect(try pipeline.int("SELECT count(*) FROM network_role_scan WHERE chosen = 1") == 1)
        #expect(try pipeline.int("""
            SELECT count(*) FROM network_role_scan WHERE silhouette > (SELECT silhouette FROM network_role_scan WHERE chosen = 1)
            """) == 0)
        #expect(try pipeline.int("SELECT sum(agents) FROM network_roles") == pipeline.int("SELECT count(*) FROM network_agents"))

        // Thread structure, exactly.
        let commentDocs = documents.filter { !$0.isPost }
        let answered = Set(commentDocs.compactMap { d in documents[d.parent!].isPost ? nil : d.parent! })
        let unanswered = Double(commentDocs.count - answered.count) / Double(commentDocs.count)
        #expect(abs(try Self.number(pipeline, "SELECT value FROM temporal_summary WHERE measure = 'unanswered_comment_share'") - unanswered) < 1e-12)
        let meanDepth = Double(commentDocs.reduce(0) { $0 + $1.depth }) / Double(commentDocs.count)
        #expect(abs(try Self.number(pipeline, "SELECT value FROM temporal_summary WHERE measure = 'mean_comment_depth'") - meanDepth) < 1e-12)
        #expect(try pipeline.int("SELECT sum(count) FROM network_distributions WHERE subject = 'comment_depth'") == commentDocs.count)

        // The planted meme: found whole, with its 30 adopters in order.
        let memeRow = try pipeline.strings("SELECT cascade_id || ' ' || size || ' ' || n FROM meme_cascades WHERE phrase = '\(SyntheticSociety.meme)'")
        #expect(memeRow.count == 1)
        #expect(memeRow.first?.hasSuffix(" \(SyntheticSociety.memeAdopters) 4") == true, "\(memeRow)")
        #expect(try pipeline.strings("""
            SELECT a.agent_id FROM cascade_adoptions a JOIN meme_cascades c USING (cascade_id)
            WHERE c.phrase = '\(SyntheticSociety.meme)' ORDER BY a.rank
            """) == society.memeAgents.map { society.agents[$0] })
        // Its 3-word parts are the same meme, folded in; random text makes no other cascade.
        #expect(try pipeline.int("SELECT count(*) FROM meme_cascades WHERE phrase LIKE '%lattice%'") == 1)
        #expect(try pipeline.int("SELECT count(*) FROM meme_cascades") == 1)

        // The drifter drifts most; ordinary agents barely move.
        #expect(try pipeline.strings("SELECT agent_id FROM temporal_agent_drift WHERE bucket = '1d' ORDER BY drift DESC LIMIT 1")
            == [society.agents[SyntheticSociety.drifter]])
        #expect(try Self.number(pipeline, "SELECT drift FROM temporal_agent_drift WHERE bucket = '1d' AND agent_id = 'agent-0003'") > 0.8)
        #expect(try Self.number(pipeline, "SELECT avg(drift) FROM temporal_agent_drift WHERE bucket = '1d' AND agent_id != 'agent-0003'") < 0.1)

        // The planted power law of documents per agent (alpha 2.5).
        let alpha = try #require(try pipeline.double("SELECT alpha FROM power_law_fits WHERE subject = 'agent_documents'"))
        let se = try #require(try pipeline.double("SELECT alpha_se FROM power_law_fits WHERE subject = 'agent_documents'"))
        #expect(abs(alpha - 2.5) < max(0.2, 4 * se), "alpha \(alpha) +- \(se)")
        #expect(try pipeline.int("SELECT x_min FROM power_law_fits WHERE subject = 'agent_documents'") <= 3)

        // Attention inequality over all posts, against the plain formula.
        let upvotes = documents.filter(\.isPost).map { Double($0.upvotes) }.sorted()
        let n = Double(upvotes.count)
        let gini = upvotes.enumerated().reduce(0.0) { $0 + (2 * Double($1.offset + 1) - n - 1) * $1.element } / (n * upvotes.reduce(0, +))
        #expect(abs(try Self.number(pipeline, "SELECT value FROM temporal_summary WHERE measure = 'gini_upvotes'") - gini) < 1e-9)

        // PageRank leaders per day: k of them (or all agents), overlap in [0, 1].
        #expect(try pipeline.int("SELECT count(*) FROM temporal_pagerank_leaders WHERE bucket = '1d'") == 4 * 50)
        #expect(try pipeline.int("SELECT count(*) FROM temporal_pagerank WHERE top_overlap < 0 OR top_overlap > 1") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM temporal_runs") == 1)
    }

    @Test func rerunsGiveTheSameTables() async throws {
        let (pipeline, _) = try await Self.prepared()
        defer { pipeline.remove() }
        let first = try Self.digest(pipeline)
        try await pipeline.run(Self.settings, plan: .rebuild(stage: "temporal", downstream: false))
        #expect(try Self.digest(pipeline) == first)
        #expect(try pipeline.int("SELECT count(*) FROM temporal_runs") == 2)
        #expect(try pipeline.freshness("temporal", Self.settings) == .upToDate)
    }

    @Test func bucketWidthsComeFromTheConfiguration() async throws {
        let (pipeline, _) = try await Self.prepared(["temporal.buckets=[\"6h\", \"2d\"]"])
        defer { pipeline.remove() }
        #expect(try pipeline.strings("SELECT DISTINCT bucket FROM temporal_series ORDER BY bucket") == ["2d", "6h"])
        #expect(try pipeline.int("SELECT count(*) FROM temporal_series WHERE bucket = '6h'") == 16)
        #expect(try pipeline.strings("SELECT start FROM temporal_series WHERE bucket = '6h' ORDER BY start LIMIT 2")
            == ["2026-02-01T00:00:00Z", "2026-02-01T06:00:00Z"])
        #expect(throws: MoltscopeError.self) { _ = try TimeBucket("5h") }   // does not divide a day
        #expect(throws: MoltscopeError.self) { _ = try TimeBucket("hour") }
    }

    @Test func withoutLabelsOrVectorsTheOtherTablesStillFill() async throws {
        let pipeline = try CleanPipeline(stages: Stages.registry, name: #function)
        defer { pipeline.remove() }
        _ = try pipeline.store()
        try SyntheticSociety(agents: 300).write(to: pipeline.db)
        let queue = try DatabaseQueue(path: pipeline.db)
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM document_labels; DELETE FROM label_runs; DELETE FROM embeddings")
        }
        try await pipeline.run(Self.settings, plan: .rebuild(stage: "temporal", downstream: false))
        #expect(try pipeline.int("SELECT count(*) FROM temporal_series WHERE labelled > 0") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM temporal_semantics") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM interaction_edges") > 0)
        #expect(try pipeline.int("SELECT count(*) FROM temporal_ngrams") > 0)
    }

    @Test func joiningMemesDoesNotDependOnTheirOrder() {
        // Two phrases lead into the same one with equal adopters: whichever comes first in the
        // input (dictionary order differs between processes), the joined memes are the same.
        func cascade(_ phrase: String) -> MemeCascades.Cascade {
            MemeCascades.Cascade(phrase: phrase, n: 5, documents: 10, lastUse: 9,
                                 adoptions: (0..<10).map { MemeCascades.Adoption(agent: Int32($0), time: Int64($0), document: "d\($0)") })
        }
        let input = [cascade("alpha bravo charlie delta echo"), cascade("omega bravo charlie delta echo"),
                     cascade("bravo charlie delta echo foxtrot")]
        let expected = MemeCascades.joinedChains(input, n: 5).map(\.phrase).sorted()
        #expect(expected.count == 2)
        #expect(expected.contains { $0.hasSuffix("delta echo foxtrot") && $0.split(separator: " ").count == 6 })
        for order in [[0, 1, 2], [1, 0, 2], [2, 1, 0], [2, 0, 1], [1, 2, 0], [0, 2, 1]] {
            #expect(MemeCascades.joinedChains(order.map { input[$0] }, n: 5).map(\.phrase).sorted() == expected, "\(order)")
        }
    }

    /// A number the test needs: a missing one fails the test instead of crashing it.
    static func number(_ pipeline: CleanPipeline, _ sql: String) throws -> Double {
        try #require(try pipeline.double(sql), "no value for \(sql)")
    }

    /// Every current table's rows, in a stable order.
    static func digest(_ pipeline: CleanPipeline) throws -> String {
        try DatabaseQueue(path: pipeline.db).read { db in
            var digest = OutputDigest()
            for table in TemporalSchema.currentTables {
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2, 3")
                while let row = try rows.next() { digest.add(row.databaseValues.map { "\($0)" }) }
            }
            return digest.hex
        }
    }
}
