import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// Replaces every current temporal table and records the run in one transaction: readers see
/// the previous results or the new ones, never a mix.
struct TemporalWriter {
    let settings: TemporalSettings
    let model: String
    let settingsJSON: String

    /// Returns the number of rows written.
    func write(_ computed: TemporalRun.Computed, to store: ResultsStore, runId: Int64, started: Date) async throws -> Int {
        let settings = self.settings, model = self.model, settingsJSON = self.settingsJSON
        do {
            return try await store.commit { db in
                for table in TemporalSchema.currentTables { try db.execute(sql: "DELETE FROM \(table)") }
                var rows = 0
                rows += try Self.writeSeries(db, computed, buckets: settings.buckets)
                rows += try Self.writeSocialization(db, computed, buckets: settings.buckets)
                rows += try Self.writeNetwork(db, computed)
                rows += try Self.writeCascades(db, computed)
                rows += try Self.writeDistributions(db, computed.distributions)
                rows += try TemporalSummary(computed: computed, settings: settings).write(db)
                let labels = computed.records.labels
                try db.execute(sql: """
                    INSERT INTO temporal_runs(run_id, labeller, label_model, label_version, embedding_model, documents, embedded,
                                              settings, started_at, seconds)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [runId, labels?.labeller, labels?.model, labels?.version, model, computed.records.count,
                                     computed.semantics.embedded, settingsJSON, Clock.iso(started),
                                     Date().timeIntervalSince(started)])
                return rows
            }
        } catch {
            throw StoreErrors.describe(error, path: store.path, doing: "writing the temporal tables to")
        }
    }

    private static func iso(_ micros: Int64?) -> String? {
        micros.map(TimeBucket.iso(micros:))
    }

    private static func writeSeries(_ db: Database, _ computed: TemporalRun.Computed, buckets: [TimeBucket]) throws -> Int {
        let series = try db.makeStatement(sql: """
            INSERT INTO temporal_series(bucket, start, posts, comments, documents, kept, labelled, active_agents, new_agents,
                                        new_submolts, harmful, harmful_share, post_harmful_share, conflict_share, topic_entropy,
                                        gini_upvotes, gini_comments)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let topics = try db.makeStatement(sql: """
            INSERT INTO temporal_topic_shares(bucket, start, topic, topic_name, documents, share) VALUES (?, ?, ?, ?, ?, ?)
            """)
        let correlations = try db.makeStatement(sql: """
            INSERT INTO temporal_correlations(bucket, x, y, buckets, r, p_value) VALUES (?, ?, ?, ?, ?, ?)
            """)
        var rows = 0
        for (bucket, outcome) in zip(buckets, computed.series) {
            for row in outcome.rows {
                let start = bucket.start(of: row.index)
                try series.execute(arguments: [bucket.label, start, row.posts, row.comments, row.documents, row.kept, row.labelled,
                                               row.activeAgents, row.newAgents, row.newSubmolts, row.harmful, row.harmfulShare,
                                               row.postHarmfulShare, row.conflictShare, row.topicEntropy, row.giniUpvotes,
                                               row.giniComments])
                let labelled = row.topics.reduce(0, +)
                for (index, topic) in TopicLabel.allCases.enumerated() where labelled > 0 {
                    try topics.execute(arguments: [bucket.label, start, topic.rawValue, topic.name, row.topics[index],
                                                   Double(row.topics[index]) / Double(labelled)])
                    rows += 1
                }
                rows += 1
            }
            for correlation in outcome.correlations {
                try correlations.execute(arguments: [bucket.label, correlation.x, correlation.y, correlation.buckets,
                                                     correlation.result?.r, correlation.result?.pValue])
                rows += 1
            }
        }
        return rows
    }

    private static func writeSocialization(_ db: Database, _ computed: TemporalRun.Computed, buckets: [TimeBucket]) throws -> Int {
        let records = computed.records
        let semantics = try db.makeStatement(sql: """
            INSERT INTO temporal_semantics(bucket, start, documents, centroid_shift, shift_from_first, spread) VALUES (?, ?, ?, ?, ?, ?)
            """)
        let ngrams = try db.makeStatement(sql: """
            INSERT INTO temporal_ngrams(bucket, start, n, distinct_ngrams, born, died, birth_rate, death_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let drift = try db.makeStatement(sql: """
            INSERT INTO temporal_agent_drift(bucket, agent_id, agent_name, documents, active_buckets, first_start, last_start, drift, mean_step)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let pageRank = try db.makeStatement(sql: """
            INSERT INTO temporal_pagerank(bucket, start, agents, edges, top_overlap, top_jaccard) VALUES (?, ?, ?, ?, ?, ?)
            """)
        let leaders = try db.makeStatement(sql: """
            INSERT INTO temporal_pagerank_leaders(bucket, start, rank, agent_id, agent_name, pagerank) VALUES (?, ?, ?, ?, ?, ?)
            """)
        var rows = 0
        for (k, bucket) in buckets.enumerated() {
            for row in computed.semantics.buckets[k] {
                try semantics.execute(arguments: [bucket.label, bucket.start(of: row.index), row.documents, row.shift, row.fromFirst, row.spread])
                rows += 1
            }
            for row in computed.ngrams[k] {
                try ngrams.execute(arguments: [bucket.label, bucket.start(of: row.index), row.n, row.distinct, row.born, row.died,
                                               row.birthRate, row.deathRate])
                rows += 1
            }
            for row in computed.semantics.agents[k] {
                let agent = Int(row.agent)
                try drift.execute(arguments: [bucket.label, records.agentIds[agent], records.agentNames[agent], row.documents,
                                              row.activeBuckets, bucket.start(of: row.firstIndex), bucket.start(of: row.lastIndex),
                                              row.drift, row.meanStep])
                rows += 1
            }
            for row in computed.pageRank[k] {
                let start = bucket.start(of: row.index)
                try pageRank.execute(arguments: [bucket.label, start, row.agents, row.edges, row.overlap, row.jaccard])
                for leader in row.leaders {
                    let agent = Int(leader.agent)
                    try leaders.execute(arguments: [bucket.label, start, leader.rank, records.agentIds[agent], records.agentNames[agent],
                                                    leader.pageRank])
                }
                rows += 1 + row.leaders.count
            }
        }
        return rows
    }

    private static func writeNetwork(_ db: Database, _ computed: TemporalRun.Computed) throws -> Int {
        let records = computed.records, graph = computed.graph, centrality = computed.centrality
        let edges = try db.makeStatement(sql: """
            INSERT INTO interaction_edges(source_id, target_id, weight, first_at, last_at) VALUES (?, ?, ?, ?, ?)
            """)
        for edge in graph.edges {
            try edges.execute(arguments: [records.agentIds[Int(edge.source)], records.agentIds[Int(edge.target)], edge.weight,
                                          iso(edge.first), iso(edge.last)])
        }
        let agents = try db.makeStatement(sql: """
            INSERT INTO network_agents(agent_id, agent_name, in_degree, out_degree, in_weight, out_weight, betweenness, clustering,
                                       pagerank, reciprocity, role)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for node in 0..<centrality.count {
            let agent = Int(graph.agents[node])
            try agents.execute(arguments: [records.agentIds[agent], records.agentNames[agent], centrality.inDegree[node],
                                           centrality.outDegree[node], Int(centrality.inWeight[node]), Int(centrality.outWeight[node]),
                                           centrality.betweenness[node], centrality.clustering[node], centrality.pageRank[node],
                                           centrality.reciprocity[node], computed.roles.map { Int($0.labels[node]) }])
        }
        var rows = graph.edges.count + centrality.count
        guard let roles = computed.roles else { return rows }
        let role = try db.makeStatement(sql: """
            INSERT INTO network_roles(role, name, agents, share, description, in_degree, out_degree, in_weight, out_weight, betweenness,
                                      clustering, pagerank, reciprocity, z_in_degree, z_out_degree, z_in_weight, z_out_weight,
                                      z_betweenness, z_clustering, z_pagerank, z_reciprocity)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for r in roles.roles {
            let values: [(any DatabaseValueConvertible)?] = [r.id, r.name, r.members, Double(r.members) / Double(centrality.count),
                                                             r.description] + r.means + r.zScores
            try role.execute(arguments: StatementArguments(values))
        }
        let scan = try db.makeStatement(sql: "INSERT INTO network_role_scan(k, silhouette, inertia, chosen) VALUES (?, ?, ?, ?)")
        for point in roles.scan {
            try scan.execute(arguments: [point.k, point.silhouette, point.inertia, point.k == roles.k])
        }
        rows += roles.roles.count + roles.scan.count
        return rows
    }

    private static func writeCascades(_ db: Database, _ computed: TemporalRun.Computed) throws -> Int {
        let records = computed.records
        let cascade = try db.makeStatement(sql: """
            INSERT INTO meme_cascades(cascade_id, phrase, n, size, documents, first_at, first_agent_id, first_document_id, half_at,
                                      last_at, duration_hours)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let adoption = try db.makeStatement(sql: """
            INSERT INTO cascade_adoptions(cascade_id, rank, agent_id, adopted_at, document_id) VALUES (?, ?, ?, ?, ?)
            """)
        var rows = 0
        for (id, meme) in computed.cascades.enumerated() {
            let first = meme.adoptions[0], last = meme.adoptions[meme.adoptions.count - 1]
            let half = meme.adoptions[(meme.adoptions.count - 1) / 2]
            try cascade.execute(arguments: [id, meme.phrase, meme.n, meme.size, meme.documents, iso(first.time),
                                            records.agentIds[Int(first.agent)], first.document, iso(half.time), iso(meme.lastUse),
                                            Double(last.time - first.time) / 3_600_000_000])
            for (rank, adopter) in meme.adoptions.enumerated() {
                try adoption.execute(arguments: [id, rank + 1, records.agentIds[Int(adopter.agent)], iso(adopter.time), adopter.document])
            }
            rows += 1 + meme.adoptions.count
        }
        return rows
    }

    private static func writeDistributions(_ db: Database, _ distributions: Distributions) throws -> Int {
        let count = try db.makeStatement(sql: "INSERT INTO network_distributions(subject, value, count) VALUES (?, ?, ?)")
        for row in distributions.counts { try count.execute(arguments: [row.subject, row.value, row.count]) }
        let fit = try db.makeStatement(sql: """
            INSERT INTO power_law_fits(subject, n, x_min, alpha, alpha_se, n_tail, ks_distance, lr_lognormal, p_lognormal,
                                       lr_exponential, p_exponential, verdict)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in distributions.fits {
            let f = row.fit
            try fit.execute(arguments: [row.subject, f.n, f.xMin, f.alpha, f.alphaStandardError, f.nTail, f.ksDistance,
                                        f.lognormal.loglikelihoodRatio, f.lognormal.pValue, f.exponential.loglikelihoodRatio,
                                        f.exponential.pValue, row.verdict])
        }
        return distributions.counts.count + distributions.fits.count
    }
}
