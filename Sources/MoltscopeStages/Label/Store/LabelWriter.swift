import Foundation
import GRDB
import MoltscopeCore

/// Writes one labeller's results: each page of labels with the run's cursor in one
/// transaction; at the end, in one more, the stale rows of earlier runs go and the evaluation
/// and summary tables of this labeller are replaced.
struct LabelWriter: Sendable {
    let identity: LabellerIdentity
    let labelRun: Int64

    func commitPage(_ db: Database, page: [LabelDocuments.Document], outcomes: [LabelOutcome]) throws -> (labelled: Int, failed: Int) {
        let now = Clock.now()
        let insert = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO document_labels(labeller, model, version, document_id, topic, toxicity, conflict, emotion,
                                                   valence, confidence, label_run, labelled_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let fail = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO label_failures(labeller, model, version, document_id, reason, label_run, failed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        let unfail = try db.cachedStatement(sql: "DELETE FROM label_failures WHERE labeller = ? AND model = ? AND version = ? AND document_id = ?")
        let unlabel = try db.cachedStatement(sql: "DELETE FROM document_labels WHERE labeller = ? AND model = ? AND version = ? AND document_id = ?")
        var labelled = 0, failed = 0
        for (document, outcome) in zip(page, outcomes) {
            let key = identity.arguments + [document.input.id]
            switch outcome {
            case .labels(let l):
                try insert.execute(arguments: StatementArguments(key) + [
                    l.topic.rawValue, l.toxicity.rawValue, l.conflict ? 1 : 0, l.emotion.rawValue,
                    min(max(l.valence, -1), 1), l.confidence, labelRun, now])
                try unfail.execute(arguments: StatementArguments(key))
                labelled += 1
            case .failed(let reason):
                try fail.execute(arguments: StatementArguments(key) + [reason, labelRun, now])
                try unlabel.execute(arguments: StatementArguments(key))
                failed += 1
            }
        }
        if let last = page.last {
            try db.execute(sql: "UPDATE label_runs SET cursor = ?, labelled = coalesce(labelled, 0) + ?, failed = coalesce(failed, 0) + ? WHERE id = ?",
                           arguments: [last.input.id, labelled, failed, labelRun])
        }
        return (labelled, failed)
    }

    /// Drops rows of documents this run did not see (gone from the database), writes the
    /// evaluation and the summaries, and marks the run completed.
    func finish(_ db: Database, evaluation: LabelEvaluation?, minDocuments: Int, top: Int, cached: Int, seconds: Double) throws {
        let key = StatementArguments(identity.arguments)
        for table in ["document_labels", "label_failures"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE labeller = ? AND model = ? AND version = ? AND label_run <> ?",
                           arguments: key + [labelRun])
        }
        for table in LabelSummaries.tables {
            try db.execute(sql: "DELETE FROM \(table) WHERE labeller = ? AND model = ? AND version = ?", arguments: key)
        }
        if let evaluation { try replaceEvaluation(db, evaluation) }
        try LabelSummaries(identity: identity, minDocuments: minDocuments, top: top).write(db)
        try db.execute(sql: """
            UPDATE label_runs SET status = 'completed', finished_at = ?, seconds = ?, cached = ?,
                labelled = (SELECT count(*) FROM document_labels WHERE labeller = ? AND model = ? AND version = ?),
                failed = (SELECT count(*) FROM label_failures WHERE labeller = ? AND model = ? AND version = ?)
            WHERE id = ?
            """, arguments: [Clock.now(), seconds, cached] + key + key + [labelRun])
    }

    func replaceEvaluation(_ db: Database, _ evaluation: LabelEvaluation) throws {
        let key = StatementArguments(identity.arguments)
        for table in ["label_evaluation", "label_confusion"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE labeller = ? AND model = ? AND version = ?", arguments: key)
        }
        for target in LabelTarget.allCases {
            let m = evaluation.matrices[target]!
            try db.execute(sql: """
                INSERT INTO label_evaluation(labeller, model, version, target, method, documents, accuracy, macro_f1, weighted_f1, kappa)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: key + [target.rawValue, evaluation.method, evaluation.documents, m.accuracy, m.macroF1,
                                       m.weightedF1, m.cohenKappa])
            let names = target.classNames
            for t in 0..<target.classes {
                for p in 0..<target.classes where m[t, p] > 0 {
                    try db.execute(sql: """
                        INSERT INTO label_confusion(labeller, model, version, target, truth, predicted, documents)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: key + [target.rawValue, names[t], names[p], m[t, p]])
                }
            }
        }
    }
}
