import GRDB

/// Labels read back from the label tables.
enum StoredLabels {
    /// A labeller's stored labels of the given documents, by document id.
    static func of(_ db: Database, identity: LabellerIdentity, ids: [String]) throws -> [String: DocumentLabels] {
        let rows = try KeyedRows.fetch(db, keys: ids, leading: identity.arguments) { marks in
            """
            SELECT document_id, topic, toxicity, conflict, emotion, valence, confidence FROM document_labels
            WHERE labeller = ? AND model = ? AND version = ? AND document_id IN (\(marks))
            """
        }
        return byKey(rows)
    }

    /// Rows of (key, topic, toxicity, conflict, emotion, valence, confidence) by key.
    static func byKey(_ rows: [Row]) -> [String: DocumentLabels] {
        var found: [String: DocumentLabels] = [:]
        for row in rows { found[row[0]] = DocumentLabels(row: row, from: 1) }
        return found
    }
}

extension DocumentLabels {
    /// Reads topic, toxicity, conflict, emotion, valence, confidence from consecutive columns
    /// starting at `first` (the column order of every label table).
    init?(row: Row, from first: Int) {
        guard let topic = TopicLabel(rawValue: row[first]), let toxicity = ToxicityLevel(rawValue: row[first + 1]),
              let emotion = EmotionLabel(rawValue: row[first + 3]) else { return nil }
        self.init(topic: topic, toxicity: toxicity, conflict: (row[first + 2] as Int) == 1, emotion: emotion,
                  valence: row[first + 4], confidence: row[first + 5])
    }
}
