/// Per component of a Borůvka round: the lightest edge leaving it found so far (squared
/// mutual-reachability weight, from a point inside to a point outside).
struct ComponentCandidates {
    var weight: [Float]
    var from: [Int32]
    var to: [Int32]

    init(count: Int) {
        weight = [Float](repeating: .infinity, count: count)
        from = [Int32](repeating: -1, count: count)
        to = [Int32](repeating: -1, count: count)
    }

    @inline(__always)
    mutating func offer(_ component: Int, weight value: Float, from a: Int, to b: Int) {
        if value < weight[component] {
            weight[component] = value
            from[component] = Int32(a)
            to[component] = Int32(b)
        }
    }
}

/// What one point knows about its lightest edge to another component; it stays true while
/// components only grow.
struct PointBounds {
    /// A point whose lightest outside edge is known (-1: unknown) and that edge's squared weight.
    var target: [Int32]
    var targetWeight: [Float]
    /// No edge from the point to another component is lighter than this (squared).
    var lowerBound: [Float]

    init(count: Int) {
        target = [Int32](repeating: -1, count: count)
        targetWeight = [Float](repeating: 0, count: count)
        lowerBound = [Float](repeating: 0, count: count)
    }
}
