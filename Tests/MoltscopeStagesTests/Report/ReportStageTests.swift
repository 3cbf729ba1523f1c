import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics
import Testing
@testable import MoltscopeStages

/// The report stage on a small society with planted answers (ReportSociety): every table
/// equals what is computed here independently from the society itself.
@Suite(.serialized) struct ReportStageTests {
    static func settings(exports: URL) -> [String] {
        ["embed.model=\(ReportSociety.model)", "toxicity_label.labeller=trained", "report.export_dir=\(exports.path)"]
    }

    /// The society, written once, with the report stage run on it.
    private static func prepared(_ extra: [String] = [], name: String = #function) async throws -> (CleanPipeline, ReportSociety, URL) {
        let pipeline = try CleanPipeline(stages: Stages.registry, name: name)
        _ = try pipeline.store()
        let society = ReportSociety()
        try society.write(to: pipeline.db)
        let exports = pipeline.directory.appendingPathComponent("exports")
        try await pipeline.run(settings(exports: exports) + extra, plan: .rebuild(stage: "report", downstream: false))
        return (pipeline, society, exports.appendingPathComponent("results"))
    }

    static func columns(of table: String, in path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in try db.columns(in: table).map(\.name) }
    }

    static func execute(_ sql: String, in path: String) throws {
        try DatabaseQueue(path: path).write { db in try db.execute(sql: sql) }
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }

    @Test func personaSimilarityBaselineAndRankAreExact() async throws {
        let (pipeline, society, _) = try await Self.prepared()
        defer { pipeline.remove() }
        let rows = try DatabaseQueue(path: pipeline.db).read { db in
            try Row.fetchAll(db, sql: "SELECT document_id, similarity, baseline, lift, profile_rank, aligned FROM report_persona_alignment")
        }
        let profiles = society.agents.compactMap(\.profile)
        let mean = (0..<4).map { i in profiles.reduce(Float(0)) { $0 + $1[i] } / Float(profiles.count) }
        let expected = society.documents.filter { society.agents[$0.author].profile != nil }
        #expect(rows.count == expected.count)
        #expect(rows.count == 27)   // echo's two documents have no profile to compare with
        for document in expected {
            let row = try #require(rows.first { ($0["document_id"] as String) == document.id })
            let own = try #require(society.agents[document.author].profile)
            let similarity = Self.dot(document.vector, own)
            let others = society.agents.enumerated().filter { $0.offset != document.author }.compactMap(\.element.profile)
            let rank = Double(others.count { Self.dot(document.vector, $0) < similarity - 1e-6 }) / Double(others.count)
            #expect(abs((row["similarity"] as Double) - similarity) < 1e-6, "\(document.id)")
            #expect(abs((row["baseline"] as Double) - Self.dot(document.vector, mean)) < 1e-6, "\(document.id)")
            #expect(abs((row["lift"] as Double) - (similarity - Self.dot(document.vector, mean))) < 1e-6)
            #expect(abs((row["profile_rank"] as Double) - rank) < 1e-9, "\(document.id)")
            #expect((row["aligned"] as Int) == (similarity >= 0.6 ? 1 : 0))
        }
        // p1 lies on alpha's own axis: similarity 1, closer than to all three other profiles.
        #expect(try pipeline.double("SELECT similarity FROM report_persona_alignment WHERE document_id = 'p1'") == 1)
        #expect(try pipeline.double("SELECT profile_rank FROM report_persona_alignment WHERE document_id = 'p1'") == 1)

        // The summary groups are exactly the rows grouped.
        #expect(try pipeline.int("SELECT documents FROM report_intent_summary WHERE grouping = 'all'") == 27)
        #expect(try pipeline.int("SELECT sum(documents) FROM report_intent_summary WHERE grouping = 'kind'") == 27)
        #expect(try pipeline.int("SELECT sum(documents) FROM report_intent_summary WHERE grouping = 'day'") == 27)
        #expect(try pipeline.int("SELECT sum(documents) FROM report_intent_summary WHERE grouping = 'activity'") == 27)
        let aligned = try #require(try pipeline.double("SELECT avg(aligned) FROM report_persona_alignment"))
        #expect(try pipeline.double("SELECT aligned_share FROM report_intent_summary WHERE grouping = 'all'") == aligned)
        for (grouping, value, filter) in [("kind", "post", "kind = 'post'"), ("day", "2026-02-02", "created_at >= '2026-02-02'")] {
            let mean = try #require(try pipeline.double("SELECT avg(similarity) FROM report_persona_alignment WHERE \(filter)"))
            let summary = try #require(try pipeline.double("SELECT mean_similarity FROM report_intent_summary WHERE grouping = '\(grouping)' AND value = '\(value)'"))
            #expect(abs(summary - mean) < 1e-12)
        }
        // Activity levels by the author's documents: alpha wrote 11 (5-19), beta 7, gamma 5, delta 5.
        #expect(try pipeline.strings("SELECT value FROM report_intent_summary WHERE grouping = 'activity' ORDER BY position") == ["5-19"])
    }

    @Test func incentivesSplitEachAgentsOutputAtItsMostUpvotedPost() async throws {
        let (pipeline, society, _) = try await Self.prepared()
        defer { pipeline.remove() }
        let rows = try DatabaseQueue(path: pipeline.db).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM report_incentive_agents ORDER BY author_id")
        }
        // delta has karma 0; everyone else with a post is in.
        #expect(rows.map { $0["author_id"] as String } == ["alpha", "beta", "echo", "gamma"])
        for row in rows {
            let index = try #require(society.agents.firstIndex { $0.id == row["author_id"] as String })
            let posts = society.documents.filter { $0.isPost && $0.author == index }
            // The most upvoted, the earliest of ties.
            let top = try #require(posts.sorted { ($0.upvotes, -$0.hour) > ($1.upvotes, -$1.hour) }.first)
            #expect((row["top_post_id"] as String) == top.id)
            #expect((row["posts"] as Int) == posts.count)
            #expect((row["posts_after"] as Int) == posts.count { $0.hour > top.hour })
            #expect(abs((row["shift_ratio"] as Double) - Double(posts.count { $0.hour > top.hour }) / Double(posts.count)) < 1e-12)
            guard let profile = society.agents[index].profile else {
                #expect((row["similarity_before"] as Double?) == nil)
                continue
            }
            let mine = society.documents.filter { $0.author == index && $0.id != top.id }
            func mean(_ documents: [ReportSociety.Document]) -> Double? {
                documents.isEmpty ? nil : documents.reduce(0) { $0 + Self.dot($1.vector, profile) } / Double(documents.count)
            }
            let before = mean(mine.filter { $0.hour < top.hour }), after = mean(mine.filter { $0.hour > top.hour })
            #expect(((row["similarity_before"] as Double?) ?? -9) - (before ?? -9) < 1e-6)
            #expect(((row["similarity_after"] as Double?) ?? -9) - (after ?? -9) < 1e-6)
        }
        // The planted answers: alpha posted half its posts after its top post and moved away from its persona.
        #expect(try pipeline.double("SELECT shift_ratio FROM report_incentive_agents WHERE author_id = 'alpha'") == 0.5)
        #expect(try pipeline.int("SELECT moved_away FROM report_incentive_agents WHERE author_id = 'alpha'") == 1)
        #expect(try pipeline.strings("SELECT top_post_id FROM report_incentive_agents WHERE author_id = 'gamma'") == ["p6"])
        // Summaries over the agents.
        #expect(try pipeline.int("SELECT n FROM report_incentive_summary WHERE measure = 'shift_ratio'") == 4)
        #expect(try pipeline.double("SELECT mean FROM report_incentive_summary WHERE measure = 'shift_ratio'") == 0.25)
        #expect(try pipeline.double("SELECT median FROM report_incentive_summary WHERE measure = 'shift_ratio'") == 0.25)
        let agentsWithBoth = try pipeline.int("SELECT count(*) FROM report_incentive_agents WHERE similarity_change IS NOT NULL")
        #expect(try pipeline.int("SELECT n FROM report_incentive_summary WHERE measure = 'moved_away'") == agentsWithBoth)
        #expect(try pipeline.double("SELECT mean FROM report_incentive_summary WHERE measure = 'moved_away'")
                == pipeline.double("SELECT avg(moved_away) FROM report_incentive_agents WHERE similarity_change IS NOT NULL"))
    }

    @Test func conflictContagionCountsAndIntervals() async throws {
        let (pipeline, society, _) = try await Self.prepared()
        defer { pipeline.remove() }
        let byId = Dictionary(uniqueKeysWithValues: society.documents.map { ($0.id, $0) })
        var expected: [String: (exposed: (Int, Int), calm: (Int, Int))] = [
            "under_post": ((0, 0), (0, 0)), "after_first_comment": ((0, 0), (0, 0)), "reply_to_comment": ((0, 0), (0, 0)),
        ]
        func add(_ name: String, exposed: Bool, _ conflict: Int) {
            var entry = expected[name]!
            if exposed { entry.exposed = (entry.exposed.0 + 1, entry.exposed.1 + conflict) } else { entry.calm = (entry.calm.0 + 1, entry.calm.1 + conflict) }
            expected[name] = entry
        }
        let labelled = society.documents.filter { !$0.isPost && $0.conflict != nil }.sorted { $0.hour < $1.hour }
        for comment in labelled {
            let post = try #require(byId[comment.post])
            add("under_post", exposed: post.conflict == 1, comment.conflict!)
            let first = try #require(labelled.first { $0.post == comment.post })
            if first.id != comment.id { add("after_first_comment", exposed: first.conflict == 1, comment.conflict!) }
            if let parent = comment.parent.flatMap({ byId[$0] }) { add("reply_to_comment", exposed: parent.conflict == 1, comment.conflict!) }
        }
        let rows = try DatabaseQueue(path: pipeline.db).read { db in try Row.fetchAll(db, sql: "SELECT * FROM report_conflict_contagion") }
        #expect(rows.count == 3)
        for row in rows {
            let truth = try #require(expected[row["comparison"] as String])
            #expect((row["exposed_comments"] as Int) == truth.exposed.0)
            #expect((row["exposed_conflictual"] as Int) == truth.exposed.1)
            #expect((row["calm_comments"] as Int) == truth.calm.0)
            #expect((row["calm_conflictual"] as Int) == truth.calm.1)
            let wilson = try #require(Proportions.wilson(truth.exposed.1, truth.exposed.0))
            #expect(abs((row["exposed_low"] as Double) - wilson.low) < 1e-12)
            #expect(abs((row["exposed_high"] as Double) - wilson.high) < 1e-12)
            let difference = Double(truth.exposed.1) / Double(truth.exposed.0) - Double(truth.calm.1) / Double(truth.calm.0)
            #expect(abs((row["difference"] as Double) - difference) < 1e-12)
            #expect((row["difference_low"] as Double) <= difference && difference <= (row["difference_high"] as Double))
        }
        // The planted thread: 10 labelled comments under the conflictual p1 and p6, 3 of them conflictual... as counted above,
        // and the published values travel with the rows.
        #expect(expected["under_post"]!.exposed.0 == 11)
        #expect(try pipeline.double("SELECT published_exposed FROM report_conflict_contagion WHERE comparison = 'under_post'") == 0.146)
    }

    @Test func emotionTransitionsCountEveryAnswerOnce() async throws {
        let (pipeline, society, _) = try await Self.prepared()
        defer { pipeline.remove() }
        let byId = Dictionary(uniqueKeysWithValues: society.documents.map { ($0.id, $0) })
        var counts: [String: Int] = [:]
        for comment in society.documents where !comment.isPost && comment.conflict != nil {
            let parent = try #require(byId[comment.parent ?? comment.post])
            guard parent.conflict != nil else { continue }
            counts["\(parent.emotion)>\(comment.emotion)", default: 0] += 1
        }
        let rows = try DatabaseQueue(path: pipeline.db).read { db in
            try Row.fetchAll(db, sql: "SELECT parent_emotion, reply_emotion, replies, share, baseline, lift FROM report_emotion_contagion")
        }
        #expect(rows.count == 36)
        let total = counts.values.reduce(0, +)
        for row in rows {
            let key = "\(row[0] as String)>\(row[1] as String)"
            #expect((row[2] as Int) == counts[key, default: 0], "\(key)")
            let parentTotal = counts.filter { $0.key.hasPrefix("\(row[0] as String)>") }.values.reduce(0, +)
            let replyTotal = counts.filter { $0.key.hasSuffix(">\(row[1] as String)") }.values.reduce(0, +)
            if parentTotal > 0 {
                #expect(abs((row[3] as Double) - Double(counts[key, default: 0]) / Double(parentTotal)) < 1e-12)
            } else {
                #expect((row[3] as Double?) == nil)
            }
            #expect(abs((row[4] as Double) - Double(replyTotal) / Double(total)) < 1e-12)
        }
        // Anger answered with anger: c01 -> c15 and p1 -> c01, c02; p6 -> c07.
        #expect(try pipeline.int("SELECT replies FROM report_emotion_contagion WHERE parent_emotion = 'anger' AND reply_emotion = 'anger'") == 4)
    }

    @Test func normsBreakdownsSeriesAndFiguresComeFromTheirTables() async throws {
        let (pipeline, _, _) = try await Self.prepared()
        defer { pipeline.remove() }
        // Norms: ranked by template share, with the top template's example text.
        #expect(try pipeline.strings("SELECT submolt FROM report_norm_templates ORDER BY rank") == ["quiet", "general"])
        #expect(try pipeline.strings("SELECT example_text FROM report_norm_templates WHERE submolt = 'general'") == ["text of p2"])
        #expect(try pipeline.int("SELECT top_template_posts FROM report_norm_templates WHERE submolt = 'general'") == 4)
        // Breakdowns: only the report's labeller, with topic names.
        #expect(try pipeline.int("SELECT count(*) FROM report_topic_toxicity") == 2)
        #expect(try pipeline.strings("SELECT DISTINCT topic_name FROM report_topic_toxicity") == ["Economics"])
        // Series: the temporal rows with the day's persona alignment beside them.
        #expect(try pipeline.int("SELECT count(*) FROM report_series") == 2)
        for day in ["2026-02-01", "2026-02-02"] {
            let documents = try pipeline.int("SELECT count(*) FROM report_persona_alignment WHERE substr(created_at, 1, 10) = '\(day)'")
            #expect(try pipeline.int("SELECT aligned_documents FROM report_series WHERE start LIKE '\(day)%'") == documents)
            #expect(try pipeline.double("SELECT mean_similarity FROM report_series WHERE start LIKE '\(day)%'")
                    == pipeline.double("SELECT avg(similarity) FROM report_persona_alignment WHERE substr(created_at, 1, 10) = '\(day)'"))
        }
        // Figures: one row per published figure, ours from its table, the difference to the published value.
        #expect(try pipeline.int("SELECT count(*) FROM report_figures") == PublishedFigures.all.count)
        #expect(try pipeline.double("SELECT ours FROM report_figures WHERE measure = 'reciprocity'") == 0.25)
        let difference = try #require(try pipeline.double("SELECT difference FROM report_figures WHERE measure = 'reciprocity'"))
        #expect(abs(difference - (0.25 - 0.197)) < 1e-12)
        #expect(try pipeline.double("SELECT ours FROM report_figures WHERE measure = 'posts_safe_share'") == 7.0 / 9.0)
        #expect(try pipeline.double("SELECT ours FROM report_figures WHERE measure = 'shift_ratio_mean'") == 0.25)
        #expect(try pipeline.double("SELECT ours FROM report_figures WHERE measure = 'conflict_under_conflictual_post'")
                == pipeline.double("SELECT exposed_share FROM report_conflict_contagion WHERE comparison = 'under_post'"))
        // Too few posts for a topic to count (20): no name is made up either.
        #expect(try pipeline.int("SELECT count(*) FROM report_figures WHERE measure = 'highest_malicious_topic' AND ours_text IS NULL") == 1)
        // No source row (no cascades here): the figure is NULL, never a made-up number.
        #expect(try pipeline.int("SELECT count(*) FROM report_figures WHERE measure = 'cascade_alpha' AND ours IS NULL AND difference IS NULL") == 1)
        #expect(try pipeline.int("SELECT count(*) FROM report_runs WHERE labeller = 'trained' AND profiles = 4 AND aligned_documents = 27") == 1)
    }

    @Test func exportsEveryTableAsCSVAndASelfContainedPageAndNotebook() async throws {
        let (pipeline, _, exports) = try await Self.prepared()
        defer { pipeline.remove() }
        for table in ReportSchema.currentTables {
            let url = exports.appendingPathComponent("csv/\(table).csv")
            let text = try String(contentsOf: url, encoding: .utf8)
            let records = try CSVRecords.parse(text)
            let columns = try Self.columns(of: table, in: pipeline.db)
            #expect(records.first?.fields == columns, "\(table)")
            #expect(records.count - 1 == (try pipeline.int("SELECT count(*) FROM \(table)")), "\(table)")
        }
        // Values survive the round trip: the figures' CSV holds the table's numbers.
        let figures = try CSVRecords.parse(String(contentsOf: exports.appendingPathComponent("csv/report_figures.csv"), encoding: .utf8))
        let header = try #require(figures.first?.fields)
        let ours = try #require(header.firstIndex(of: "ours")), measure = try #require(header.firstIndex(of: "measure"))
        let reciprocity = try #require(figures.first { $0.fields[measure] == "reciprocity" })
        #expect(Double(reciprocity.fields[ours]) == 0.25)

        let html = try String(contentsOf: exports.appendingPathComponent("report.html"), encoding: .utf8)
        for id in ["figures", "activity", "topics", "intent", "incentives", "norms", "contagion", "clusters", "network", "provenance"] {
            #expect(html.contains("id=\"\(id)\""), "section \(id)")
        }
        #expect(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"))
        #expect(html.contains("<svg"))

        let notebook = try JSONSerialization.jsonObject(with: Data(contentsOf: exports.appendingPathComponent("report.ipynb"))) as? [String: Any]
        #expect(notebook?["nbformat"] as? Int == 4)
        let cells = try #require(notebook?["cells"] as? [[String: Any]])
        let code = cells.filter { $0["cell_type"] as? String == "code" }.compactMap { ($0["source"] as? [String])?.joined() }
        #expect(code.count >= 10)
        // The database is named relative to the notebook's folder (Jupyter's working directory): exports/results -> results.sqlite.
        #expect(code.first?.contains("DB = \"../../results.sqlite\"") == true)
        #expect(ReportNotebook.relativePath(of: "/a/b/c.sqlite", from: "/a/b/x/y") == "../../c.sqlite")
        #expect(ReportNotebook.relativePath(of: "/a/c.sqlite", from: "/a/c") == "../c.sqlite")
        #expect(ReportNotebook.relativePath(of: "/tmp/c.sqlite", from: "/work/x") == "/tmp/c.sqlite")
        #expect(code.first?.contains("mode=ro") == true)
    }

    @Test func anUnwritableExportFolderFailsInOneLineAndKeepsTheTables() async throws {
        let pipeline = try CleanPipeline(stages: Stages.registry)
        defer { pipeline.remove() }
        _ = try pipeline.store()
        try ReportSociety().write(to: pipeline.db)
        let file = pipeline.directory.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        await #expect {
            try await pipeline.run(Self.settings(exports: file.appendingPathComponent("under")), plan: .rebuild(stage: "report", downstream: false))
        } throws: { error in
            let text = "\(error)"
            return text.contains("cannot write the report") && text.contains("report.export_dir") && !text.contains("\n")
        }
        // The tables were committed before the exports: whole, and `moltscope report` can write the exports later.
        #expect(try pipeline.int("SELECT count(*) FROM report_figures") == PublishedFigures.all.count)
        let store = try pipeline.store()
        let written = try await ReportExports.write(store: store, config: pipeline.config(Self.settings(exports: pipeline.directory)))
        #expect(written.files == ReportSchema.currentTables.count + ReportExporter.upstreamTables.count + 2)   // CSVs, page, notebook
        #expect(FileManager.default.fileExists(atPath: written.html))
    }

    @Test func withoutLabelsOrProfilesTheReportIsEmptyNotWrong() async throws {
        let pipeline = try CleanPipeline(stages: Stages.registry)
        defer { pipeline.remove() }
        _ = try pipeline.store()
        try ReportSociety().write(to: pipeline.db)
        try Self.execute("DELETE FROM label_runs; DELETE FROM document_labels; UPDATE agents SET description = NULL", in: pipeline.db)
        try await pipeline.run(Self.settings(exports: pipeline.directory.appendingPathComponent("x")),
                               plan: .rebuild(stage: "report", downstream: false))
        #expect(try pipeline.int("SELECT count(*) FROM report_persona_alignment") == 0)
        #expect(try pipeline.int("SELECT sum(exposed_comments + calm_comments) FROM report_conflict_contagion") == 0)
        #expect(try pipeline.int("SELECT count(*) FROM report_topic_toxicity") == 0)
        // Shift ratios need no labels or profiles.
        #expect(try pipeline.int("SELECT count(*) FROM report_incentive_agents") == 4)
        #expect(try pipeline.int("SELECT count(*) FROM report_figures WHERE measure = 'persona_aligned_share' AND ours IS NULL") == 1)
    }
}
