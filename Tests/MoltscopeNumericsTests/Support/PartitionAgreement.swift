import Foundation
import MoltscopeNumerics

/// How far two partitions of the same points agree, and test data with planted clusters.
enum PartitionAgreement {
    /// Adjusted Rand index (Hubert & Arabie): 1 for identical partitions up to renumbering,
    /// about 0 for independent ones. Labels may be any integers (noise -1 is one more class).
    static func adjustedRandIndex(_ a: [Int32], _ b: [Int32]) -> Double {
        precondition(a.count == b.count, "partitions of different sizes")
        func pairs(_ x: Double) -> Double { x * (x - 1) / 2 }
        var table: [Int64: Double] = [:], rows: [Int32: Double] = [:], columns: [Int32: Double] = [:]
        for (x, y) in zip(a, b) {
            table[Int64(x) << 32 | Int64(UInt32(bitPattern: y)), default: 0] += 1
            rows[x, default: 0] += 1
            columns[y, default: 0] += 1
        }
        let index = table.values.reduce(0) { $0 + pairs($1) }
        let rowPairs = rows.values.reduce(0) { $0 + pairs($1) }
        let columnPairs = columns.values.reduce(0) { $0 + pairs($1) }
        let expected = rowPairs * columnPairs / pairs(Double(a.count))
        let maximum = (rowPairs + columnPairs) / 2
        return maximum == expected ? 1 : (index - expected) / (maximum - expected)
    }
}

enum PlantedBlobs {
    /// `clusters` Gaussian blobs of `perCluster` points in `dimensions` dims: centres drawn
    /// with standard deviation `separation`, points around them with standard deviation `spread`.
    /// With `unitLength`, every point is L2-normalized like a text embedding.
    static func make(clusters: Int, perCluster: Int, dimensions: Int, separation: Double = 10, spread: Double = 1,
                     unitLength: Bool = false, seed: UInt64) -> (points: Matrix, truth: [Int32]) {
        var random = SeededRandom(seed: seed)
        let centres = (0..<clusters).map { _ in (0..<dimensions).map { _ in random.gaussian() * separation } }
        var points = Matrix(rows: clusters * perCluster, columns: dimensions)
        var truth: [Int32] = []
        var row = 0
        for (c, centre) in centres.enumerated() {
            for _ in 0..<perCluster {
                var values = centre.map { Float($0 + random.gaussian() * spread) }
                if unitLength {
                    let norm = values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
                    values = values.map { $0 / norm }
                }
                points.setRow(row, values)
                truth.append(Int32(c))
                row += 1
            }
        }
        return (points, truth)
    }
}
