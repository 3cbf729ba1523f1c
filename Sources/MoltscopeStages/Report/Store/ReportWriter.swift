import Foundation
import GRDB
import MoltscopeCore

/// Replaces every current report table and records the run in one transaction. The figures are
/// computed last, by SQL over the tables just written, so each is exactly what its table says.
struct ReportWriter {
    let settings: ReportSettings
    let model: String
    let settingsJSON: String

    func write(_ computed: ReportRun.Computed, to store: ResultsStore, runId: Int64, started: Date) async throws -> Int {
        let settings = self.settings, model = self.model, settingsJSON = self.settingsJSON
        do {
            return try await store.commit { db in
                for table in ReportSchema.currentTables { try db.execute(sql: "DELETE FROM \(table)") }
                var rows = 0
                rows += try Self.writeIntent(db, computed, threshold: settings.threshold)
                rows += try Self.writeIncentives(db, computed)
                rows += try Self.writeNorms(db)
                rows += try Self.writeContagion(db, computed)
                rows += try Self.writeBreakdowns(db, labels: computed.records.labels)
                rows += try Self.writeSeries(db, computed)
                rows += try ReportFigures.write(db)
                let labels = computed.records.labels
                try db.execute(sql: """
                    INSERT INTO report_runs(run_id, labeller, label_model, label_version, embedding_model, documents, aligned_documents,
                                            profiles, reference_profiles, threshold, settings, started_at, seconds)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [runId, labels?.labeller, labels?.model, labels?.version, model, computed.records.count,
                                     computed.alignment.documents.count, computed.alignment.profiles, computed.alignment.referenceProfiles, settings.threshold,
                                     settingsJSON, Clock.iso(started), Date().timeIntervalSince(started)])
                return rows
            }
        } catch {
            throw StoreErrors.describe(error, path: store.path, doing: "writing the report tables to")
        }
    }

    private static func iso(_ micros: Int64?) -> String? { micros.map(TimeBucket.iso(micros:)) }

    private static func writeIntent(_ db: Database, _ computed: ReportRun.Computed, threshold: Double) throws -> Int {
        let records = computed.records
        let documents = try db.makeStatement(sql: """
            INSERT INTO report_persona_alignment(document_id, author_id, kind, created_at, similarity, baseline, lift, profile_rank, aligned)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for document in computed.alignment.documents {
            let record = Int(document.record)
            try documents.execute(arguments: [records.ids[record], records.agentIds[Int(records.author[record])],
                                              records.isPost[record] ? "post" : "comment",
                                              iso(records.time[record]), document.similarity, document.baseline, document.lift, document.rank,
                                              document.similarity >= threshold ? 1 : 0])
        }
        let summary = try db.makeStatement(sql: """
            INSERT INTO report_intent_summary(grouping, value, position, documents, agents, mean_similarity, median_similarity,
                                              aligned_share, mean_lift, mean_rank)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in computed.intent {
            try summary.execute(arguments: [row.grouping, row.value, row.order, row.documents, row.agents, row.meanSimilarity,
                                            row.medianSimilarity, row.alignedShare, row.meanLift, row.meanRank])
        }
        return computed.alignment.documents.count + computed.intent.count
    }

    private static func writeIncentives(_ db: Database, _ computed: ReportRun.Computed) throws -> Int {
        let records = computed.records
        let agents = try db.makeStatement(sql: """
            INSERT INTO report_incentive_agents(author_id, author_name, karma, posts, top_post_id, top_upvotes, top_at, posts_after,
                                                shift_ratio, documents_before, documents_after, similarity_before, similarity_after,
                                                similarity_change, moved_away)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for agent in computed.incentives {
            let index = Int(agent.agent)
            try agents.execute(arguments: [records.agentIds[index], records.agentNames[index], agent.karma, agent.posts,
                                           records.ids[agent.topPost], agent.topUpvotes, iso(records.time[agent.topPost]),
                                           agent.postsAfter, agent.shiftRatio, agent.documentsBefore, agent.documentsAfter,
                                           agent.similarityBefore, agent.similarityAfter, agent.similarityChange,
                                           agent.similarityChange.map { $0 < 0 ? 1 : 0 }])
        }
        let summaries = IncentiveDrift.summaries(computed.incentives)
        let summary = try db.makeStatement(sql: """
            INSERT INTO report_incentive_summary(measure, n, mean, median, p25, p75) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for row in summaries {
            try summary.execute(arguments: [row.measure, row.n, row.mean, row.median, row.p25, row.p75])
        }
        return computed.incentives.count + summaries.count
    }

    /// The cluster stage's templates per submolt, with the top template's share and example.
    private static func writeNorms(_ db: Database) throws -> Int {
        try db.execute(sql: """
            INSERT INTO report_norm_templates(submolt, rank, posts, templates, template_share, mean_similarity, bic_gain, top_template,
                                              top_template_posts, top_template_share, keywords, example_document_id, example_text)
            SELECT t.submolt, row_number() OVER (ORDER BY t.template_share DESC, t.posts DESC, t.submolt), t.posts, t.templates,
                   t.template_share, t.mean_similarity, t.bic_gain, t.top_template, c.posts, c.share, t.keywords,
                   c.example_document_id, substr(d.text, 1, 300)
            FROM submolt_templates t
            LEFT JOIN submolt_template_centres c ON c.submolt = t.submolt AND c.template_id = t.top_template
            LEFT JOIN documents d ON d.id = c.example_document_id
            """)
        return db.changesCount
    }

    private static func writeContagion(_ db: Database, _ computed: ReportRun.Computed) throws -> Int {
        let conflict = try db.makeStatement(sql: """
            INSERT INTO report_conflict_contagion(comparison, description, exposed_comments, exposed_conflictual, exposed_share,
                                                  exposed_low, exposed_high, calm_comments, calm_conflictual, calm_share, calm_low,
                                                  calm_high, difference, difference_low, difference_high, risk_ratio,
                                                  published_exposed, published_calm)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for c in computed.conflict {
            try conflict.execute(arguments: [
                c.name, c.description, c.exposed.comments, c.exposed.conflictual, c.exposed.share, c.exposed.interval?.low,
                c.exposed.interval?.high, c.calm.comments, c.calm.conflictual, c.calm.share, c.calm.interval?.low,
                c.calm.interval?.high, c.difference, c.differenceInterval?.low, c.differenceInterval?.high, c.riskRatio,
                c.publishedExposed, c.publishedCalm,
            ])
        }
        let emotion = try db.makeStatement(sql: """
            INSERT INTO report_emotion_contagion(parent_emotion, reply_emotion, replies, share, baseline, lift) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for cell in computed.emotions {
            try emotion.execute(arguments: [cell.parent.rawValue, cell.reply.rawValue, cell.replies, cell.share, cell.baseline, cell.lift])
        }
        return computed.conflict.count + computed.emotions.count
    }

    /// The labeller's topic and toxicity summaries, as the report uses them.
    private static func writeBreakdowns(_ db: Database, labels: LabellerIdentity?) throws -> Int {
        guard let labels else { return 0 }
        let names = "CASE topic " + TopicLabel.allCases.map { "WHEN '\($0.rawValue)' THEN '\($0.name)'" }.joined(separator: " ") + " ELSE topic END"
        try db.execute(sql: """
            INSERT INTO report_topic_toxicity(kind, topic, topic_name, toxicity, documents, share_of_topic, share_of_all)
            SELECT kind, topic, \(names), toxicity, documents, share_of_topic, share_of_all FROM label_topic_toxicity
            WHERE labeller = ? AND model = ? AND version = ?
            """, arguments: StatementArguments(labels.arguments))
        var rows = db.changesCount
        try db.execute(sql: """
            INSERT INTO report_harm_by_topic(kind, topic, topic_name, documents, safe_share, harmful_share, malicious_share,
                                             conflict_share, mean_valence)
            SELECT kind, topic, topic_name, documents, safe_share, harmful_share, malicious_share, conflict_share, mean_valence
            FROM label_harm_by_topic WHERE labeller = ? AND model = ? AND version = ?
            """, arguments: StatementArguments(labels.arguments))
        rows += db.changesCount
        return rows
    }

    /// The temporal stage's series beside the persona alignment of the same buckets.
    private static func writeSeries(_ db: Database, _ computed: ReportRun.Computed) throws -> Int {
        let statement = try db.makeStatement(sql: """
            INSERT INTO report_series(bucket, start, posts, comments, active_agents, harmful_share, post_harmful_share, conflict_share,
                                      aligned_documents, aligned_share, mean_similarity, mean_rank, centroid_shift, spread,
                                      pagerank_top_overlap)
            SELECT s.bucket, s.start, s.posts, s.comments, s.active_agents, s.harmful_share, s.post_harmful_share, s.conflict_share,
                   ?, ?, ?, ?, m.centroid_shift, m.spread, p.top_overlap
            FROM temporal_series s
            LEFT JOIN temporal_semantics m ON m.bucket = s.bucket AND m.start = s.start
            LEFT JOIN temporal_pagerank p ON p.bucket = s.bucket AND p.start = s.start
            WHERE s.bucket = ? AND s.start = ?
            """)
        var rows = 0
        for row in computed.series {
            try statement.execute(arguments: [row.documents, row.alignedShare, row.meanSimilarity, row.meanRank, row.bucket, row.start])
            rows += db.changesCount
        }
        return rows
    }
}
