/// Flat clusters read off a condensed tree as the hdbscan package's `get_clusters` does:
/// excess of mass (the most stable non-nested clusters) or the leaves, then labels, membership
/// probabilities and per-cluster persistence.
struct ClusterSelection {
    var labels: [Int32]
    var probabilities: [Float]
    var persistence: [Float]
    var clusterCount: Int

    init(_ tree: CondensedTree, method: HDBSCAN.Selection, allowSingleCluster: Bool) {
        let n = tree.pointCount, clusters = tree.clusterCount
        let (parentOf, birth) = tree.clusterParents()

        // Stability: the lambda each row spends in its cluster after the cluster's birth,
        // weighted by the row's size.
        var stability = [Double](repeating: 0, count: clusters)
        var children = [[Int32]](repeating: [], count: clusters)
        for row in 0..<tree.rowCount {
            let p = Int(tree.parent[row])
            stability[p] += (tree.lambda[row] - birth[p]) * Double(tree.childSize[row])
            if let c = tree.cluster(ofChild: tree.child[row]) { children[p].append(Int32(c)) }
        }

        var selected = [Bool](repeating: false, count: clusters)
        switch method {
        case .excessOfMass:
            // Bottom-up (children have larger numbers than parents): a cluster is kept when it
            // is at least as stable as its children together, and the sum moves up otherwise.
            // The package sums the children in a C float; so does this, to take the same side
            // of near-ties.
            var tentative = [Bool](repeating: false, count: clusters)
            var carried = stability
            for c in stride(from: clusters - 1, through: allowSingleCluster ? 0 : 1, by: -1) {
                var subtree: Float = 0
                for child in children[c] { subtree = Float(Double(subtree) + carried[Int(child)]) }
                if Double(subtree) > carried[c] {
                    carried[c] = Double(subtree)
                } else {
                    tentative[c] = true
                }
            }
            // A kept cluster discards everything below it.
            var underKept = [Bool](repeating: false, count: clusters)
            for c in 0..<clusters {
                if c > 0 { let p = Int(parentOf[c]); underKept[c] = underKept[p] || tentative[p] }
                selected[c] = tentative[c] && !underKept[c]
            }
        case .leaf:
            // Without any split there are no leaves and, as in the package, no clusters.
            if clusters > 1 {
                for c in 1..<clusters where children[c].isEmpty { selected[c] = true }
            }
        }

        var labelOfCluster = [Int32](repeating: -1, count: clusters)
        var count: Int32 = 0
        for c in 0..<clusters where selected[c] { labelOfCluster[c] = count; count += 1 }
        clusterCount = Int(count)
        // The selected cluster every cluster's points end up in (-1: none, they are noise).
        var keeper = [Int32](repeating: -1, count: clusters)
        for c in 0..<clusters {
            if selected[c] { keeper[c] = Int32(c) } else if c > 0 { keeper[c] = keeper[Int(parentOf[c])] }
        }

        let deaths = tree.deaths()
        labels = [Int32](repeating: -1, count: n)
        probabilities = [Float](repeating: 0, count: n)
        for row in 0..<tree.rowCount where tree.cluster(ofChild: tree.child[row]) == nil {
            let point = Int(tree.child[row])
            let value = tree.lambda[row]
            let cluster = Int(keeper[Int(tree.parent[row])])
            guard cluster >= 0 else { continue }
            // A single root cluster keeps only the points still in it when it dies.
            if cluster == 0 && value < deaths[0] { continue }
            labels[point] = labelOfCluster[cluster]
            let strongest = deaths[cluster]
            probabilities[point] = strongest == 0 || !value.isFinite ? 1 : Float(min(value, strongest) / strongest)
        }

        var sizes = [Int](repeating: 0, count: Int(count))
        for label in labels where label >= 0 { sizes[Int(label)] += 1 }
        let largestLambda = tree.lambda.max() ?? 0
        persistence = []
        for c in 0..<clusters where selected[c] {
            let size = sizes[Int(labelOfCluster[c])]
            if largestLambda.isInfinite || largestLambda == 0 || size == 0 {
                persistence.append(1)
            } else {
                persistence.append(Float(stability[c] / (Double(size) * largestLambda)))
            }
        }
    }
}
