import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// The documents outside the fitted sample of a large corpus: each is centred like the sample,
/// given the topic whose unit centre it is nearest to (cosine, the `similarity` every clustered
/// document has) and written in blocks, while the totals the topic table needs are gathered.
/// Memory is one block, never the corpus.
struct RestAssignment {
    struct Totals {
        var documents = 0
        var size: [Int]
        var posts: [Int]
        var similaritySum: [Double]
        var submolts: [[String: Int]]

        init(groups: Int) {
            size = Array(repeating: 0, count: groups)
            posts = size
            similaritySum = Array(repeating: 0, count: groups)
            submolts = Array(repeating: [:], count: groups)
        }
    }

    static let blockRows = 4096

    let model: String
    /// The fitted documents: their sample says which to skip, their centring is repeated.
    let documents: DocumentVectors
    /// One unit row per topic (a zero row for a topic without members, never chosen).
    let centres: Matrix

    func assign(_ db: Database) throws -> Totals {
        let groups = centres.rows, dimensions = centres.columns
        var totals = Totals(groups: groups)
        guard documents.sample != nil, groups > 0 else { return totals }
        let usable = (0..<groups).map { c in (0..<dimensions).contains { centres[c, $0] != 0 } }
        let insert = try db.makeStatement(sql: """
            INSERT INTO document_clusters(document_id, cluster_id, similarity, probability, x, y) VALUES (?, ?, ?, NULL, NULL, NULL)
            """)
        var block = Block(capacity: Self.blockRows, dimensions: dimensions)
        var walk = FitSample.Walk(documents.sample)
        let rows = try Row.fetchCursor(db, sql: DocumentVectors.selection("d.id, d.kind, d.submolt, e.vector"), arguments: [model])
        while let row = try rows.next() {
            guard !walk.nextIsSampled() else { continue }
            let blob: Data = row[3]
            guard blob.count == dimensions * 4 else {
                throw MoltscopeError(.input, "a stored \(model) vector has \(blob.count) bytes for \(dimensions) dimensions",
                                     remedy: "rerun `moltscope stage embed`")
            }
            block.append(id: row[0], isPost: (row[1] as String) == "post", submolt: row[2], vector: Vectors.vector(blob))
            if block.isFull { try flush(&block, usable: usable, insert: insert, into: &totals) }
        }
        try flush(&block, usable: usable, insert: insert, into: &totals)
        return totals
    }

    private func flush(_ block: inout Block, usable: [Bool], insert: Statement, into totals: inout Totals) throws {
        guard !block.ids.isEmpty else { return }
        var points = Matrix(rows: block.ids.count, columns: centres.columns, values: block.values)
        if let mean = documents.centredBy { points.centre(by: mean) }
        points.normalizeRows()
        var scores = [Float](repeating: 0, count: points.rows * centres.rows)
        points.values.withUnsafeBufferPointer { a in
            centres.values.withUnsafeBufferPointer { b in
                scores.withUnsafeMutableBufferPointer { c in
                    BLAS.multiplyTransposed(a.baseAddress!, rows: points.rows, b.baseAddress!, rows: centres.rows,
                                            depth: centres.columns, into: c.baseAddress!)
                }
            }
        }
        for i in 0..<points.rows {
            var best = -1, similarity: Float = -2
            for c in 0..<centres.rows where usable[c] && scores[i * centres.rows + c] > similarity {
                best = c
                similarity = scores[i * centres.rows + c]
            }
            guard best >= 0 else { continue }
            try insert.execute(arguments: [block.ids[i], Int64(best), Double(similarity)])
            totals.documents += 1
            totals.size[best] += 1
            totals.similaritySum[best] += Double(similarity)
            if block.isPost[i] { totals.posts[best] += 1 }
            if let submolt = block.submolts[i] { totals.submolts[best][submolt, default: 0] += 1 }
        }
        block.removeAll()
    }

    /// The documents of one block, their vectors row after row.
    private struct Block {
        let capacity: Int
        var ids: [String] = [], isPost: [Bool] = [], submolts: [String?] = []
        var values: [Float] = []

        init(capacity: Int, dimensions: Int) {
            self.capacity = capacity
            values.reserveCapacity(capacity * dimensions)
        }

        var isFull: Bool { ids.count >= capacity }

        mutating func append(id: String, isPost: Bool, submolt: String?, vector: [Float]) {
            ids.append(id)
            self.isPost.append(isPost)
            submolts.append(submolt)
            values.append(contentsOf: vector)
        }

        mutating func removeAll() {
            ids.removeAll(keepingCapacity: true)
            isPost.removeAll(keepingCapacity: true)
            submolts.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
        }
    }
}
