import Foundation
import GRDB
import MoltscopeCore

/// Each agent's profile description as a unit vector of the embedding model: cleaned like a
/// document (the same normalizer and cut, so a profile and a post are compared on equal terms),
/// then taken from the cache or embedded once through the configured model server and kept in
/// `profile_vectors`.
struct ProfileVectors {
    static let table = "profile_vectors"

    let context: StageContext
    let model: String

    /// Unit vectors by agent id; agents without a description have none.
    func load() async throws -> (vectors: [String: [Float]], described: Int) {
        let maxChars = context.config.int("clean.max_chars")
        let profiles = try await context.store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, description FROM agents WHERE description IS NOT NULL AND trim(description) <> '' ORDER BY id
                """).map { row -> (agent: String, text: String) in (row[0], row[1]) }
        }
        let normalizer = TextNormalizer()
        var hashes: [String: String] = [:]
        var texts: [(hash: String, text: String)] = []
        for (agent, description) in profiles {
            var text = normalizer.normalize(description)
            if text.count > maxChars { text = String(text.prefix(maxChars)) }
            guard !text.isEmpty else { continue }
            let hash = ContentHash(text).hex
            hashes[agent] = hash
            texts.append((hash, text))
        }
        guard !texts.isEmpty else { return ([:], 0) }
        let byHash = try await TextVectors(context: context, model: model, table: Self.table)
            .vectors(for: texts, purpose: "agents' profile descriptions")
        var vectors: [String: [Float]] = [:]
        for (agent, hash) in hashes { vectors[agent] = byHash[hash] }
        return (vectors, hashes.count)
    }
}
