import MoltscopeNumerics

/// Group centres in cosine geometry: the normalized mean of the members' unit vectors, and
/// each member's cosine similarity to its centre (how typical it is of the group).
enum UnitCentroids {
    /// One unit row per group 0..<groups (a zero row for an empty group): the members' mean,
    /// normalized.
    static func of(_ points: Matrix, labels: [Int32], groups: Int) -> Matrix {
        ClusterQuality.centroidsOf(points, labels: labels, groups: groups).centroids.normalizedRows()
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
