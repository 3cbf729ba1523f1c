import MoltscopeNumerics

/// Group centres in cosine geometry: the normalized mean of the members' unit vectors, and
/// each member's cosine similarity to its centre (how typical it is of the group).
enum UnitCentroids {
    /// One unit row per group 0..<groups (a zero row for an empty group).
    static func of(_ points: Matrix, labels: [Int32], groups: Int) -> Matrix {
        var sums = [Double](repeating: 0, count: groups * points.columns)
        points.values.withUnsafeBufferPointer { data in
            for i in 0..<points.rows where labels[i] >= 0 {
                let c = Int(labels[i]) * points.columns, base = i * points.columns
                for j in 0..<points.columns { sums[c + j] += Double(data[base + j]) }
            }
        }
        var centres = Matrix(rows: groups, columns: points.columns)
        for c in 0..<groups {
            var norm = 0.0
            for j in 0..<points.columns { norm += sums[c * points.columns + j] * sums[c * points.columns + j] }
            guard norm > 0 else { continue }
            let scale = 1 / norm.squareRoot()
            for j in 0..<points.columns { centres[c, j] = Float(sums[c * points.columns + j] * scale) }
        }
        return centres
    }

    /// Cosine similarity of every labelled point to its group's centre (0 for noise).
    static func similarities(_ points: Matrix, labels: [Int32], centres: Matrix) -> [Float] {
        (0..<points.rows).map { i in
            guard labels[i] >= 0 else { return 0 }
            var dot: Float = 0
            let c = Int(labels[i])
            for j in 0..<points.columns { dot += points[i, j] * centres[c, j] }
            return dot
        }
    }
}
