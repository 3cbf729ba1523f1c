import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// The kept documents that have a vector for the configured model, loaded once: ids, what
/// the stage groups them by, and the unit vectors as one matrix. Above `cluster.fit_sample`
/// documents only a seeded sample is loaded (`sample`); `RestAssignment` streams the others.
struct DocumentVectors: Sendable {
    var ids: [String]
    var isPost: [Bool]
    var submolts: [String?]
    var vectors: Matrix
    /// Kept documents without a vector for the model (embed has not finished).
    var missing: Int
    /// Rows of the posts of each submolt (communities and templates both group by it).
    var postRowsBySubmolt: [String: [Int]]
    /// Documents with a vector, loaded or not.
    var total: Int
    /// The loaded documents' positions among all `total` when they are a sample; nil when all are loaded.
    var sample: FitSample?
    /// The mean the vectors were centred by (`cluster.center`), so the rest can be centred alike.
    var centredBy: [Float]?

    var count: Int { ids.count }

    /// Centres the vectors on their column means and re-normalizes them.
    mutating func centre() {
        let mean = vectors.columnMeans()
        vectors.centre(by: mean)
        vectors.normalizeRows()
        centredBy = mean
    }

    /// The clustered documents, in the order every reader of the stage must see them: kept, with
    /// a vector for the model (bound to the one `?`), by id.
    static func selection(_ columns: String) -> String {
        """
        SELECT \(columns) FROM documents d
        JOIN embeddings e ON e.model = ? AND e.content_hash = d.content_hash
        WHERE d.status = 'kept' ORDER BY d.id
        """
    }

    /// Loads every document, or a seeded sample of `sampleSize` when there are more (0: all).
    static func load(from store: ResultsStore, model: String, sampleSize: Int = 0, seed: UInt64 = 0) async throws -> DocumentVectors {
        try await store.pool.read { db in
            var ids: [String] = [], isPost: [Bool] = [], submolts: [String?] = []
            var postRowsBySubmolt: [String: [Int]] = [:]
            var values: [Float] = []
            var dimensions: Int?
            let total = try Int.fetchOne(db, sql: selection("count(*)"), arguments: [model]) ?? 0
            let sample = sampleSize > 0 && total > sampleSize ? FitSample(size: sampleSize, of: total, seed: seed) : nil
            var walk = FitSample.Walk(sample)
            let rows = try Row.fetchCursor(db, sql: selection("d.id, d.kind, d.submolt, e.dim, e.vector"),
                                           arguments: [model])
            while let row = try rows.next() {
                guard walk.nextIsSampled() else { continue }
                let dim: Int = row[3]
                if dimensions == nil {
                    dimensions = dim
                    // Exactly what will be loaded: no doubling of a large array while it grows.
                    values.reserveCapacity(dim * (sample?.positions.count ?? total))
                }
                guard dim == dimensions else {
                    throw MoltscopeError(.input, "embeddings of model \(model) have \(dimensions!) and \(dim) dimensions",
                                         remedy: "rerun `moltscope stage embed` with one model")
                }
                let blob: Data = row[4]
                guard blob.count == dim * 4 else {
                    throw MoltscopeError(.input, "a stored \(model) vector has \(blob.count) bytes for \(dim) dimensions",
                                         remedy: "rerun `moltscope stage embed`")
                }
                values.append(contentsOf: Vectors.vector(blob))
                let post = (row[1] as String) == "post", submolt: String? = row[2]
                if post, let submolt { postRowsBySubmolt[submolt, default: []].append(ids.count) }
                ids.append(row[0])
                isPost.append(post)
                submolts.append(submolt)
            }
            let missing = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM documents d WHERE status = 'kept' AND NOT EXISTS
                    (SELECT 1 FROM embeddings e WHERE e.model = ? AND e.content_hash = d.content_hash)
                """, arguments: [model]) ?? 0
            let width = dimensions ?? 0
            return DocumentVectors(ids: ids, isPost: isPost, submolts: submolts,
                                   vectors: Matrix(rows: ids.count, columns: width, values: values), missing: missing,
                                   postRowsBySubmolt: postRowsBySubmolt, total: max(total, ids.count), sample: sample)
        }
    }
}
