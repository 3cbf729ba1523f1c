import Foundation
import MoltscopeNumerics

/// Test data with planted clusters (agreement with the truth: `adjustedRandIndex`).
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
