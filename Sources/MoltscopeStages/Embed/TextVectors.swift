import Foundation
import MoltscopeCore

/// Vectors for texts that are not documents (the annotated set, label descriptions): from the
/// embed stage's cache when a document has the same text, else from `table` (a cache of the same
/// shape that the calling stage owns), else from the configured embedding backend, stored in
/// `table` as they arrive so each text is embedded once per model. The embed stage's own table is
/// never written here: its outputs would change and every stage after it would turn stale.
struct TextVectors {
    let context: StageContext
    let model: String
    let table: String

    /// A unit vector for every text, keyed by its content hash.
    func vectors(for texts: [(hash: String, text: String)], purpose: String) async throws -> [String: [Float]] {
        let hashes = texts.map(\.hash), model = self.model
        let table = self.table
        var found = try await context.store.pool.read { db in
            try VectorCache.vectors(db, model: model, hashes: hashes).merging(
                try VectorCache.vectors(db, model: model, hashes: hashes, table: table)) { document, _ in document }
        }
        var seen = Set(found.keys)
        let missing = texts.filter { seen.insert($0.hash).inserted }
        guard !missing.isEmpty else { return found }
        context.logger.info("embedding \(missing.count) texts of \(purpose) with \(model) (once; cached after)")
        let batchSize = context.config.int("embed.batch_size")
        try await ConfiguredBackend.with(context, model: model) { backend in
            for start in stride(from: 0, to: missing.count, by: batchSize) {
                try Task.checkCancellation()
                let batch = Array(missing[start..<min(start + batchSize, missing.count)])
                let vectors = try await backend.embed(batch.map(\.text))
                guard vectors.count == batch.count else {
                    throw MoltscopeError(.server, "\(backend.summary) returned \(vectors.count) vectors for \(batch.count) texts",
                                         remedy: "check the server")
                }
                let rows: [(String, Int, Data)] = try zip(batch, vectors).map { item, vector in
                    guard let unit = Vectors.normalized(vector) else {
                        throw MoltscopeError(.server, "\(backend.summary) returned a zero or non-finite vector", remedy: "check the server and model")
                    }
                    found[item.hash] = unit
                    return (item.hash, unit.count, Vectors.blob(unit))
                }
                _ = try await context.store.commit { db in try VectorCache.insert(db, model: model, rows: rows, table: table) }
            }
        }
        return found
    }
}
