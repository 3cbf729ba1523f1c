import AsyncAlgorithms
import Foundation
import GRDB
import MoltscopeCore

/// Embeds every kept document text that has no vector for the model yet. Pages of missing
/// texts (keyset pagination on the content hash, so memory stays flat) go through a bounded
/// channel to `concurrency` requesters; one writer commits each answered batch as it arrives,
/// so a dead server costs at most the batches in flight.
struct MissingVectors {
    let context: StageContext
    let backend: any EmbeddingBackend
    let model: String
    let batchSize: Int
    let concurrency: Int

    private struct Batch: Sendable {
        var hashes: [String]
        var texts: [String]
    }

    private struct Answer: Sendable {
        var hashes: [String]
        var vectors: [[Float]]
    }

    /// Distinct kept texts without a vector for `model`.
    static func count(in store: ResultsStore, model: String) async throws -> Int {
        try await store.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(DISTINCT content_hash) FROM documents d
                WHERE status = 'kept' AND NOT EXISTS
                    (SELECT 1 FROM embeddings e WHERE e.model = ? AND e.content_hash = d.content_hash)
                """, arguments: [model]) ?? 0
        }
    }

    func run(missing: Int) async throws -> StageReport {
        var report = StageReport()
        context.logger.info("embedding \(missing) texts with \(backend.summary)")
        context.progress.begin(total: missing, unit: "texts")

        let batches = AsyncChannel<Batch>()
        let answers = AsyncChannel<Answer>()
        let progress = context.progress
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                defer { batches.finish() }
                try await produce(into: batches)
                return 0
            }
            group.addTask {
                defer { answers.finish() }
                try await withThrowingTaskGroup(of: Void.self) { requesters in
                    for _ in 0..<concurrency {
                        requesters.addTask {
                            for await batch in batches {
                                try Task.checkCancellation()
                                let vectors = try await backend.embed(batch.texts)
                                await answers.send(Answer(hashes: batch.hashes, vectors: vectors))
                            }
                        }
                    }
                    try await requesters.waitForAll()
                }
                return 0
            }
            group.addTask {
                var stored = 0
                for await answer in answers {
                    stored += try await store(answer)
                    progress.advance(by: answer.hashes.count)
                }
                return stored
            }
            do {
                for try await stored in group { report.rowsOut += stored }
            } catch {
                group.cancelAll()
                batches.finish()
                answers.finish()
                throw (error as? EmbeddingError)?.userError ?? error
            }
        }
        try Task.checkCancellation()
        progress.finish()
        report.rowsIn = missing
        return report
    }

    /// Pages through the texts that still lack a vector, in content-hash order.
    private func produce(into batches: AsyncChannel<Batch>) async throws {
        var after = ""
        let pageSize = batchSize * max(concurrency, 1) * 2
        let model = self.model
        while true {
            try Task.checkCancellation()
            let lowerBound = after
            // Plain tuples: GRDB's async read needs a Sendable result (Row is not).
            let rows: [(hash: String, text: String)] = try await context.store.pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT content_hash, min(text) AS text FROM documents d
                    WHERE status = 'kept' AND content_hash > ? AND NOT EXISTS
                        (SELECT 1 FROM embeddings e WHERE e.model = ? AND e.content_hash = d.content_hash)
                    GROUP BY content_hash ORDER BY content_hash LIMIT ?
                    """, arguments: [lowerBound, model, pageSize]).map { ($0["content_hash"], $0["text"]) }
            }
            guard let last = rows.last else { return }
            after = last.hash
            for start in stride(from: 0, to: rows.count, by: batchSize) {
                let slice = rows[start..<min(start + batchSize, rows.count)]
                await batches.send(Batch(hashes: slice.map(\.hash), texts: slice.map(\.text)))
            }
        }
    }

    /// Normalizes and stores one answered batch (even when the run is being cancelled).
    private func store(_ answer: Answer) async throws -> Int {
        guard answer.vectors.count == answer.hashes.count else {
            throw MoltscopeError(.server, "\(backend.summary) returned \(answer.vectors.count) vectors for \(answer.hashes.count) texts",
                                 remedy: "check the server")
        }
        let rows: [(String, Int, Data)] = try zip(answer.hashes, answer.vectors).map { hash, vector in
            guard let unit = Vectors.normalized(vector) else {
                throw MoltscopeError(.server, "\(backend.summary) returned a zero or non-finite vector",
                                     remedy: "check the server and model")
            }
            return (hash, unit.count, Vectors.blob(unit))
        }
        let model = self.model
        do {
            return try await context.store.commit { db in try VectorCache.insert(db, model: model, rows: rows) }
        } catch {
            throw StoreErrors.describe(error, path: context.store.path, doing: "storing vectors in")
        }
    }
}
