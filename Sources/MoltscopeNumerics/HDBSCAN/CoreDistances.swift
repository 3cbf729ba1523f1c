/// Core distances as the hdbscan package defines them: its k-NN query asks for
/// `min_samples + 1` neighbours, the point itself included, and takes the last, so the core
/// distance is the distance to the `minSamples`-th nearest *other* point.
enum CoreDistances {
    /// Recomputes the listed distances exactly, re-sorts each list by them and returns every
    /// point's core distance.
    static func refine(_ lists: inout NeighbourLists, points: Matrix, minSamples: Int) -> [Double] {
        let n = points.rows, k = lists.count, dim = points.columns
        precondition(minSamples >= 1 && minSamples <= k, "min_samples \(minSamples) with \(k)-neighbour lists")
        var core = [Double](repeating: 0, count: n)
        var exact = [(distance: Double, index: Int32)](repeating: (0, 0), count: k)
        points.values.withUnsafeBufferPointer { p in
            for i in 0..<n {
                let base = i * k
                for slot in 0..<k {
                    let j = lists.indices[base + slot]
                    exact[slot] = (squared(p.baseAddress! + i * dim, p.baseAddress! + Int(j) * dim, dimension: dim), j)
                }
                exact.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.index < $1.index) }
                for slot in 0..<k {
                    lists.indices[base + slot] = exact[slot].index
                    lists.squaredDistances[base + slot] = Float(exact[slot].distance)
                }
                core[i] = exact[minSamples - 1].distance.squareRoot()
            }
        }
        return core
    }

    private static func squared(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, dimension: Int) -> Double {
        ExactDistance.squared(x, y, dimension: dimension)
    }
}
