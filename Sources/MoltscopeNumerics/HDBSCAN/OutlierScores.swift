/// GLOSH outlier scores from a condensed tree (Campello et al. 2015), as the hdbscan package's
/// `outlier_scores`: 1 - lambda(point leaves) / lambda(densest point under its cluster dies).
enum OutlierScores {
    static func glosh(_ tree: CondensedTree) -> [Float] {
        var deaths = tree.deaths()
        let parentOf = tree.clusterParents().parent
        // Children have larger numbers than their parents: one descending pass carries each
        // subtree's largest lambda up.
        for c in stride(from: tree.clusterCount - 1, to: 0, by: -1) {
            let p = Int(parentOf[c])
            if deaths[c] > deaths[p] { deaths[p] = deaths[c] }
        }
        var scores = [Float](repeating: 0, count: tree.pointCount)
        for row in 0..<tree.rowCount where tree.cluster(ofChild: tree.child[row]) == nil {
            let largest = deaths[Int(tree.parent[row])], value = tree.lambda[row]
            // An infinite `largest` with a finite `value` gives NaN, as in the package: a
            // cluster holding exact duplicates has no finite density scale.
            if largest != 0 && value.isFinite {
                scores[Int(tree.child[row])] = Float((largest - value) / largest)
            }
        }
        return scores
    }
}
