import Foundation
import GRDB
import MoltscopeCore

/// The LLM labeller over pages: answers come from `llm_label_cache` by (model, prompt version,
/// content hash) when there; each distinct uncached text is asked once, and every valid answer
/// is cached at once (a killed run never pays for an answer twice).
struct LLMPageLabeller: PageLabeller {
    let identity: LabellerIdentity
    let pageSize: Int
    let labeller: ChatLabeller
    let store: ResultsStore
    let cachedCount: CachedCounter

    final class CachedCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add(_ n: Int) { lock.withLock { count += n } }
        var value: Int { lock.withLock { count } }
    }

    func label(_ page: [LabelDocuments.Document]) async throws -> [LabelOutcome] {
        let model = identity.model, prompt = identity.version
        let hashes = Array(Set(page.map(\.input.contentHash)))
        var known = try await store.pool.read { db in try Self.cached(db, model: model, prompt: prompt, hashes: hashes) }
        cachedCount.add(page.filter { known[$0.input.contentHash] != nil }.count)
        var seen = Set(known.keys)
        let asked = page.filter { seen.insert($0.input.contentHash).inserted }.map(\.input)
        var failures: [String: String] = [:]
        if !asked.isEmpty {
            let outcomes = try await labeller.label(asked)
            var fresh: [(String, DocumentLabels)] = []
            for (input, outcome) in zip(asked, outcomes) {
                switch outcome {
                case .labels(let labels):
                    known[input.contentHash] = labels
                    fresh.append((input.contentHash, labels))
                case .failed(let reason):
                    failures[input.contentHash] = reason
                }
            }
            let rows = fresh
            _ = try await store.commit { db in
                try Self.remember(db, model: model, prompt: prompt, rows: rows)
                return rows.count
            }
        }
        return page.map { document in
            if let labels = known[document.input.contentHash] { return .labels(labels) }
            return .failed(failures[document.input.contentHash] ?? "no answer")
        }
    }

    static func cached(_ db: Database, model: String, prompt: String, hashes: [String]) throws -> [String: DocumentLabels] {
        let rows = try KeyedRows.fetch(db, keys: hashes, leading: [model, prompt]) { marks in
            """
            SELECT content_hash, topic, toxicity, conflict, emotion, valence, confidence FROM llm_label_cache
            WHERE model = ? AND prompt_version = ? AND content_hash IN (\(marks))
            """
        }
        return StoredLabels.byKey(rows)
    }

    static func remember(_ db: Database, model: String, prompt: String, rows: [(String, DocumentLabels)]) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO llm_label_cache(model, prompt_version, content_hash, topic, toxicity, conflict, emotion,
                                                   valence, confidence, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let now = Clock.now()
        for (hash, labels) in rows {
            try insert.execute(arguments: [model, prompt, hash, labels.topic.rawValue, labels.toxicity.rawValue, labels.conflict ? 1 : 0,
                                           labels.emotion.rawValue, labels.valence, labels.confidence, now])
        }
    }
}
