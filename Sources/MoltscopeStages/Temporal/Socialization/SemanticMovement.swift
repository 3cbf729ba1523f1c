import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// The society's semantic centroid per bucket, how far it moves between buckets, how widely
/// documents spread around it, and each agent's own drift ("Does Socialization Emerge?").
/// Vectors are streamed (two passes: the buckets in time order, the agents in author order),
/// so memory is a few vectors per bucket, not per document.
///
/// The vectors are not centred: subtracting the mean of all documents would make the centroids
/// of the largest buckets point away from each other by construction. With models like e5
/// (every text shares a common direction) the distances are therefore small in absolute
/// terms; compare them between buckets and agents.
///
/// With unit vectors v and their sum S over a bucket, the mean cosine of the documents to the
/// unit centroid S/|S| is |S|/n, so the spread (mean cosine distance) needs only the sums.
struct SemanticMovement {
    struct BucketRow: Sendable {
        var index: Int64
        var documents: Int
        /// Cosine distance of this bucket's centroid to the previous non-empty bucket's.
        var shift: Double?
        /// Cosine distance to the first bucket's centroid.
        var fromFirst: Double?
        /// Mean cosine distance of the bucket's documents to its centroid.
        var spread: Double?
    }

    struct AgentRow: Sendable {
        var agent: Int32
        var documents: Int
        var activeBuckets: Int
        var firstIndex: Int64
        var lastIndex: Int64
        /// Cosine distance between the agent's centroid in its first and in its last active bucket.
        var drift: Double
        /// Mean cosine distance between the centroids of its consecutive active buckets.
        var meanStep: Double
    }

    struct Outcome: Sendable {
        var buckets: [[BucketRow]]   // per configured bucket width
        var agents: [[AgentRow]]
        var embedded: Int
    }

    let buckets: [TimeBucket]
    let model: String
    let minDocuments: Int

    func run(store: ResultsStore, records: SocietyRecords, cancellation: CancellationFlag) async throws -> Outcome {
        let buckets = self.buckets, model = self.model, minDocuments = self.minDocuments
        return try await store.pool.read { db in
            var sums: [[Int64: [Double]]] = Array(repeating: [:], count: buckets.count)
            var counts: [[Int64: Int]] = Array(repeating: [:], count: buckets.count)
            var embedded = 0
            // Pass 1: bucket sums, in time order.
            try Self.stream(db, model: model, orderedByAuthor: false) { _, time, vector in
                embedded += 1
                for (k, bucket) in buckets.enumerated() {
                    let b = bucket.index(ofMicros: time)
                    Self.add(vector, to: &sums[k][b, default: [Double](repeating: 0, count: vector.count)])
                    counts[k][b, default: 0] += 1
                }
                try cancellation.check()
            }
            var bucketRows: [[BucketRow]] = []
            for k in buckets.indices {
                var rows: [BucketRow] = []
                var previous: [Double]?, first: [Double]?
                for b in sums[k].keys.sorted() {
                    let sum = sums[k][b]!, n = counts[k][b]!
                    let norm = Self.norm(sum)
                    let centroid = norm > 0 ? sum.map { $0 / norm } : nil
                    var row = BucketRow(index: b, documents: n)
                    row.spread = norm > 0 ? max(0, 1 - norm / Double(n)) : nil
                    if let centroid {
                        if let previous { row.shift = 1 - Self.dot(previous, centroid) }
                        if let first { row.fromFirst = 1 - Self.dot(first, centroid) }
                        previous = centroid
                        if first == nil { first = centroid }
                    }
                    rows.append(row)
                }
                bucketRows.append(rows)
            }

            // Pass 2: each agent's buckets, in author order, one agent at a time.
            var agentRows: [[AgentRow]] = Array(repeating: [], count: buckets.count)
            var current: String?
            var vectors: [(time: Int64, vector: [Float])] = []
            func finish() {
                guard let id = current, let agent = records.agentIndex[id], vectors.count >= minDocuments else { return }
                for (k, bucket) in buckets.enumerated() {
                    if let row = Self.drift(of: agent, vectors, bucket: bucket) { agentRows[k].append(row) }
                }
            }
            try Self.stream(db, model: model, orderedByAuthor: true) { author, time, vector in
                if author != current {
                    finish()
                    current = author
                    vectors.removeAll(keepingCapacity: true)
                    try cancellation.check()
                }
                vectors.append((time, vector))
            }
            finish()
            return Outcome(buckets: bucketRows, agents: agentRows, embedded: embedded)
        }
    }

    /// One agent's drift between its first and last active bucket; nil with one bucket only.
    static func drift(of agent: Int32, _ vectors: [(time: Int64, vector: [Float])], bucket: TimeBucket) -> AgentRow? {
        var centroids: [(index: Int64, centroid: [Double])] = []
        var sum: [Double] = [], index: Int64?
        func close() {
            guard let index else { return }
            let norm = Self.norm(sum)
            if norm > 0 { centroids.append((index, sum.map { $0 / norm })) }
        }
        for (time, vector) in vectors {
            let b = bucket.index(ofMicros: time)
            if b != index {
                close()
                index = b
                sum = [Double](repeating: 0, count: vector.count)
            }
            add(vector, to: &sum)
        }
        close()
        guard centroids.count >= 2 else { return nil }
        var steps = 0.0
        for i in 1..<centroids.count { steps += 1 - dot(centroids[i - 1].centroid, centroids[i].centroid) }
        return AgentRow(agent: agent, documents: vectors.count, activeBuckets: centroids.count,
                        firstIndex: centroids.first!.index, lastIndex: centroids.last!.index,
                        drift: 1 - dot(centroids.first!.centroid, centroids.last!.centroid),
                        meanStep: steps / Double(centroids.count - 1))
    }

    /// Dated kept documents with a vector of the model: (author, time, unit vector), in time
    /// order or in author then time order.
    private static func stream(_ db: Database, model: String, orderedByAuthor: Bool,
                               _ body: (String?, Int64, [Float]) throws -> Void) throws {
        let order = orderedByAuthor ? "d.author_id, d.created_at, d.id" : "d.created_at, d.id"
        let rows = try Row.fetchCursor(db, sql: """
            SELECT d.author_id, d.created_at, e.vector FROM documents d
            JOIN embeddings e ON e.model = ? AND e.content_hash = d.content_hash
            WHERE d.status = 'kept' AND d.created_at IS NOT NULL \(orderedByAuthor ? "AND d.author_id IS NOT NULL" : "")
            ORDER BY \(order)
            """, arguments: [model])
        while let row = try rows.next() {
            guard let time = UTCTime.micros(row[1]) else { continue }
            try body(row[0], time, Vectors.vector(row[2]))
        }
    }

    static func add(_ vector: [Float], to sum: inout [Double]) {
        guard sum.count == vector.count else { return }
        for i in vector.indices { sum[i] += Double(vector[i]) }
    }

    static func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }
}
