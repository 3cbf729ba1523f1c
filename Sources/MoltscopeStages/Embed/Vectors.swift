import Foundation

/// Vectors as the database keeps them: L2-normalized, little-endian float32 blobs.
enum Vectors {
    /// Scales to unit length; nil for a zero or non-finite vector, which no server should send.
    static func normalized(_ vector: [Float]) -> [Float]? {
        var sum: Double = 0
        for value in vector {
            guard value.isFinite else { return nil }
            sum += Double(value) * Double(value)
        }
        guard sum > 0 else { return nil }
        let scale = Float(1 / sum.squareRoot())
        return vector.map { $0 * scale }
    }

    static func blob(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector {
            var bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func vector(_ blob: Data) -> [Float] {
        let count = blob.count / 4
        return blob.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    /// Dot product of two unit vectors: their cosine similarity.
    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "vectors of different dimensions")
        var sum: Float = 0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }
}
