import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// MoltNet's intent dimension: how close each post and comment is to its author's own profile
/// description (cosine of unit vectors), "persona-aligned" at or above the threshold.
///
/// Similarities depend on the model: e5 puts every pair of texts at 0.7-0.9, MiniLM unrelated
/// texts near 0, so a fixed threshold means different things. Two model-independent measures
/// sit beside it: the baseline, a document's mean similarity to every agent's profile (exactly
/// its dot product with the mean profile vector) and the lift over it; and the profile rank, the
/// share of other agents' profiles (a seeded sample) that the document is less similar to than
/// to its own: 0.5 is chance, 1 means its own profile is the closest.
struct PersonaAlignment {
    /// One aligned document, 40 bytes: who wrote it, what kind and when are in the records
    /// (`record` indexes them), so a million-document society does not keep their ids twice.
    struct Document: Sendable {
        var record: Int32
        var similarity: Double
        var baseline: Double
        var rank: Double?
        var lift: Double { similarity - baseline }
    }

    struct Outcome: Sendable {
        var documents: [Document]
        /// Agents with a profile vector; profiles each document is ranked against.
        var profiles: Int
        var referenceProfiles: Int
        /// Kept embedded documents whose author has no profile.
        var withoutProfile: Int
    }

    let model: String
    let referenceProfiles: Int
    let seed: UInt64
    static let blockSize = 512

    func run(_ db: Database, records: SocietyRecords, profiles: [String: [Float]],
             cancellation: CancellationFlag) throws -> Outcome {
        guard let dim = profiles.values.first?.count else {
            return Outcome(documents: [], profiles: 0, referenceProfiles: 0, withoutProfile: 0)
        }
        // In agent order, so sums and samples are the same every run.
        let agents = profiles.keys.sorted()
        var mean = [Double](repeating: 0, count: dim)
        for agent in agents {
            for (i, x) in profiles[agent]!.enumerated() { mean[i] += Double(x) }
        }
        mean = mean.map { $0 / Double(agents.count) }
        var random = SeededRandom(seed: seed)
        let reference = agents.count <= referenceProfiles ? agents : Array(agents.shuffled(using: &random).prefix(referenceProfiles)).sorted()
        let referenceMatrix = Matrix(rowVectors: reference.map { profiles[$0]! }, columns: dim)
        let referenceAgents = reference.map { records.agentIndex[$0] ?? -1 }

        var documents: [Document] = []
        var block: [Float] = []
        var blockStart = 0
        func flush() {
            let count = documents.count - blockStart
            guard count > 0, !reference.isEmpty else { return }
            var scores = [Float](repeating: 0, count: count * reference.count)
            block.withUnsafeBufferPointer { a in
                referenceMatrix.values.withUnsafeBufferPointer { b in
                    scores.withUnsafeMutableBufferPointer { c in
                        BLAS.multiplyTransposed(a.baseAddress!, rows: count, b.baseAddress!, rows: reference.count, depth: dim,
                                                into: c.baseAddress!)
                    }
                }
            }
            for j in 0..<count {
                let document = documents[blockStart + j]
                let own = Float(document.similarity), agent = records.author[Int(document.record)]
                var below = 0, others = 0
                for r in 0..<reference.count where referenceAgents[r] != agent {
                    others += 1
                    if scores[j * reference.count + r] < own { below += 1 }
                }
                if others > 0 { documents[blockStart + j].rank = Double(below) / Double(others) }
            }
            block.removeAll(keepingCapacity: true)
            blockStart = documents.count
        }

        var withoutProfile = 0
        // In the records' order, so each row's record is found by walking forward (a dictionary
        // of ids would cost ~100 bytes a document).
        let rows = try Row.fetchCursor(db, sql: """
            SELECT d.id, d.author_id, e.vector FROM documents d
            JOIN embeddings e ON e.model = ? AND e.content_hash = d.content_hash
            WHERE d.status = 'kept' AND d.author_id IS NOT NULL
            ORDER BY d.created_at IS NULL, d.created_at, d.id
            """, arguments: [model])
        var record = 0
        while let row = try rows.next() {
            let author: String = row[1]
            guard let profile = profiles[author], records.agentIndex[author] != nil else {
                withoutProfile += 1
                continue
            }
            let id: String = row[0]
            while record < records.count && records.ids[record] != id { record += 1 }
            guard record < records.count else {
                throw MoltscopeError(.input, "the documents table changed while the report read it (document \(id))",
                                     remedy: "run `moltscope stage report` again")
            }
            let vector = Vectors.vector(row[2])
            guard vector.count == dim else { continue }
            var similarity = 0.0, baseline = 0.0
            for i in 0..<dim {
                similarity += Double(vector[i]) * Double(profile[i])
                baseline += Double(vector[i]) * mean[i]
            }
            documents.append(Document(record: Int32(record), similarity: similarity, baseline: baseline))
            block.append(contentsOf: vector)
            if documents.count - blockStart == Self.blockSize {
                flush()
                try cancellation.check()
            }
        }
        flush()
        return Outcome(documents: documents, profiles: profiles.count, referenceProfiles: reference.count, withoutProfile: withoutProfile)
    }
}
