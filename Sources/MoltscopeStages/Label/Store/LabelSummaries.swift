import GRDB

/// The summary tables of one labeller, computed in SQL from its labels joined with the
/// documents: topic x toxicity, harm by topic and by submolt, the most toxic agents, and spam
/// as labelled next to flooding as measured. Each is split by kind (post, comment, all) where
/// the published figures differ by kind.
struct LabelSummaries {
    static let tables = ["label_topic_toxicity", "label_harm_by_topic", "label_harm_by_submolt", "label_toxic_agents", "label_spam"]

    let identity: LabellerIdentity
    let minDocuments: Int
    let top: Int

    func write(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS temp.current_labels")
        try db.execute(sql: """
            CREATE TEMP TABLE current_labels AS
            SELECT d.kind, d.submolt, d.author_id, d.author_name, d.flood_event IS NOT NULL AS flood,
                   d.exact_group IS NOT NULL AS duplicate, x.topic, x.toxicity, x.conflict, x.valence
            FROM document_labels x JOIN documents d ON d.id = x.document_id
            WHERE x.labeller = ? AND x.model = ? AND x.version = ?
            """, arguments: StatementArguments(identity.arguments))
        defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.current_labels") }
        let key = StatementArguments(identity.arguments)
        let kinds = "kinds(k) AS (VALUES ('post'), ('comment'), ('all'))"
        let ofKind = "(k = 'all' OR kind = k)"

        try db.execute(sql: """
            WITH \(kinds),
            cells AS (SELECT k, topic, toxicity, count(*) AS n FROM current_labels, kinds WHERE \(ofKind) GROUP BY k, topic, toxicity),
            topics AS (SELECT k, topic, sum(n) AS n FROM cells GROUP BY k, topic),
            totals AS (SELECT k, sum(n) AS n FROM cells GROUP BY k)
            INSERT INTO label_topic_toxicity(labeller, model, version, kind, topic, toxicity, documents, share_of_topic, share_of_all)
            SELECT ?, ?, ?, cells.k, cells.topic, cells.toxicity, cells.n, 1.0 * cells.n / topics.n, 1.0 * cells.n / totals.n
            FROM cells JOIN topics USING (k, topic) JOIN totals USING (k)
            """, arguments: key)

        let names = TopicLabel.allCases.map { "('\($0.rawValue)', '\($0.name)')" }.joined(separator: ", ")
        try db.execute(sql: """
            WITH \(kinds), names(topic, name) AS (VALUES \(names))
            INSERT INTO label_harm_by_topic(labeller, model, version, kind, topic, topic_name, documents, safe_share, harmful,
                                            harmful_share, malicious_share, mean_toxicity, conflict_share, mean_valence)
            SELECT ?, ?, ?, k, topic, names.name, count(*), avg(toxicity = 0), sum(toxicity >= 2), avg(toxicity >= 2),
                   avg(toxicity = 4), avg(toxicity), avg(conflict), avg(valence)
            FROM current_labels JOIN names USING (topic), kinds WHERE \(ofKind)
            GROUP BY k, topic
            """, arguments: key)

        try db.execute(sql: """
            WITH per AS (
                SELECT submolt, count(*) AS documents, sum(kind = 'post') AS posts, sum(toxicity >= 2) AS harmful,
                       avg(toxicity >= 2) AS harmful_share, avg(toxicity = 4) AS malicious_share, avg(toxicity) AS mean_toxicity,
                       avg(conflict) AS conflict_share
                FROM current_labels WHERE submolt IS NOT NULL GROUP BY submolt),
            tops AS (
                SELECT submolt, topic FROM (
                    SELECT submolt, topic, row_number() OVER (PARTITION BY submolt ORDER BY count(*) DESC, topic) AS r
                    FROM current_labels WHERE submolt IS NOT NULL GROUP BY submolt, topic) WHERE r = 1),
            ranked AS (
                SELECT submolt, row_number() OVER (ORDER BY harmful_share DESC, mean_toxicity DESC, documents DESC, submolt) AS rank
                FROM per WHERE documents >= ?)
            INSERT INTO label_harm_by_submolt(labeller, model, version, submolt, documents, posts, harmful, harmful_share,
                                              malicious_share, mean_toxicity, conflict_share, top_topic, rank)
            SELECT ?, ?, ?, per.submolt, documents, posts, harmful, harmful_share, malicious_share, mean_toxicity, conflict_share,
                   tops.topic, ranked.rank
            FROM per JOIN tops USING (submolt) LEFT JOIN ranked USING (submolt)
            """, arguments: [minDocuments] + key)

        try db.execute(sql: """
            WITH per AS (
                SELECT author_id, max(author_name) AS author_name, count(*) AS documents, sum(toxicity >= 2) AS harmful,
                       avg(toxicity >= 2) AS harmful_share, sum(toxicity = 4) AS malicious, avg(toxicity) AS mean_toxicity
                FROM current_labels WHERE author_id IS NOT NULL GROUP BY author_id HAVING count(*) >= ?)
            INSERT INTO label_toxic_agents(labeller, model, version, rank, author_id, author_name, documents, harmful,
                                           harmful_share, malicious, mean_toxicity)
            SELECT ?, ?, ?, row_number() OVER (ORDER BY harmful_share DESC, harmful DESC, mean_toxicity DESC, author_id),
                   author_id, author_name, documents, harmful, harmful_share, malicious, mean_toxicity
            FROM per WHERE harmful > 0
            ORDER BY harmful_share DESC, harmful DESC, mean_toxicity DESC, author_id LIMIT ?
            """, arguments: [minDocuments] + key + [top])

        try db.execute(sql: """
            WITH \(kinds)
            INSERT INTO label_spam(labeller, model, version, kind, documents, spam, spam_share, flood_documents, flood_share,
                                   flood_labelled_spam, duplicate_documents, duplicate_labelled_spam)
            SELECT ?, ?, ?, k, count(*), sum(topic = 'H'), avg(topic = 'H'), sum(flood), avg(flood),
                   1.0 * sum(flood AND topic = 'H') / nullif(sum(flood), 0), sum(duplicate),
                   1.0 * sum(duplicate AND topic = 'H') / nullif(sum(duplicate), 0)
            FROM current_labels, kinds WHERE \(ofKind) GROUP BY k
            """, arguments: key)
    }
}
