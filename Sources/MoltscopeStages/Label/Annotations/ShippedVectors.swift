import Foundation
import GRDB
import MoltscopeCore

/// Vectors of the annotated texts shipped beside the annotated set for one model
/// (`annotations.<model>.f16`, written by data/labels/export_vectors.py): with the default model
/// the trained labeller starts without embedding 5,000 texts first. They enter the embedding
/// label stage's vector cache (`label_text_vectors`); a missing or foreign file is simply not used.
enum ShippedVectors {
    static func path(besides annotations: String, model: String) -> String {
        URL(fileURLWithPath: annotations).deletingLastPathComponent().appendingPathComponent("annotations.\(model).f16").path
    }

    /// Reads the file: hex content hash -> unit vector. Nil when absent; an error when damaged.
    static func load(_ path: String) throws -> [String: [Float]]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        func damaged(_ reason: String) -> MoltscopeError {
            MoltscopeError(.input, "\(path) is damaged (\(reason))",
                           remedy: "restore it from the repository, or delete it (the texts are then embedded by the model server)")
        }
        guard data.count >= 12, data.prefix(4) == Data("MSV1".utf8) else { throw damaged("no MSV1 header") }
        let count = Int(data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self) }.littleEndian)
        let dimension = Int(data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self) }.littleEndian)
        let stride = 32 + 2 * dimension
        guard dimension > 0, data.count == 12 + count * stride else { throw damaged("size does not match \(count) x \(dimension)") }
        var vectors: [String: [Float]] = [:]
        data.withUnsafeBytes { raw in
            for row in 0..<count {
                let start = 12 + row * stride
                let digest = Array(raw[start..<start + 32])
                let values = (0..<dimension).map { j in
                    Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: start + 32 + 2 * j, as: UInt16.self))))
                }
                if let unit = Vectors.normalized(values) { vectors[SHA256.hex(digest)] = unit }
            }
        }
        return vectors
    }

    /// Puts the shipped vectors of `hashes` that the label stage's cache (`table`) lacks into it;
    /// returns how many.
    static func seed(store: ResultsStore, annotations: String, model: String, hashes: [String], table: String) async throws -> Int {
        guard let shipped = try load(path(besides: annotations, model: model)) else { return 0 }
        let cached = try await store.pool.read { db in try VectorCache.vectors(db, model: model, hashes: hashes, table: table) }
        var rows: [(String, Int, Data)] = []
        var seen = Set<String>()
        for hash in hashes where cached[hash] == nil && seen.insert(hash).inserted {
            if let vector = shipped[hash] { rows.append((hash, vector.count, Vectors.blob(vector))) }
        }
        guard !rows.isEmpty else { return 0 }
        let batch = rows
        return try await store.commit { db in try VectorCache.insert(db, model: model, rows: batch, table: table) }
    }
}
