/// Borůvka's last rounds in one pass: once there are few components, the lightest edge between
/// every pair of them comes from a single symmetric sweep over the rows (each pair of points
/// of different components once), and the components' own minimum spanning tree (Prim on that
/// small dense matrix) gives the remaining edges. A round costs about as much as this sweep
/// when most points must search, and several rounds would follow it.
struct ComponentPairSearch {
    static let rowsPerBlock = 512
    static let columnsPerTile = 512
    /// The matrix of lightest edges holds components^2 entries (weight and both ends).
    static let maximumComponents = 2048

    /// Distances computed by the sweep.
    private(set) var distanceEvaluations = 0

    /// The point pairs that join the components into one tree.
    mutating func spanningJoins(component: [Int32], componentCount m: Int, coreSquared: [Float],
                                rows: inout CenteredRows, cancellation: CancellationFlag?) throws -> [(Int, Int)] {
        precondition(m >= 2 && m <= Self.maximumComponents, "\(m) components")
        let n = component.count, dim = rows.matrix.columns
        let order = ComponentOrder(component: component, componentCount: m, coreSquared: coreSquared, rows: &rows)
        // Entry c * m + d (c < d): the lightest squared weight between components c and d, and its rows.
        var weight = [Float](repeating: .infinity, count: m * m)
        var ends = [(Int32, Int32)](repeating: (-1, -1), count: m * m)
        var tile = [Float](repeating: 0, count: Self.rowsPerBlock * Self.columnsPerTile)

        var rowStart = 0
        while rowStart < n {
            try cancellation?.check()
            let rowEnd = min(n, rowStart + Self.rowsPerBlock), blockRows = rowEnd - rowStart
            // Later rows only, and past the block's component when it has just one.
            let first = Int(order.rowComponent[rowStart]), last = Int(order.rowComponent[rowEnd - 1])
            var columnStart = first == last ? order.start[first + 1] : rowStart
            while columnStart < n {
                let columnEnd = min(n, columnStart + Self.columnsPerTile), w = columnEnd - columnStart
                distanceEvaluations += blockRows * w
                rows.matrix.values.withUnsafeBufferPointer { x in
                    tile.withUnsafeMutableBufferPointer { t in
                        BLAS.multiplyTransposed(x.baseAddress! + rowStart * dim, rows: blockRows,
                                                x.baseAddress! + columnStart * dim, rows: w, depth: dim,
                                                into: t.baseAddress!, alpha: -2)
                    }
                }
                tile.withUnsafeBufferPointer { t in
                    rows.norms.withUnsafeBufferPointer { norms in
                        order.rowCoreSquared.withUnsafeBufferPointer { cores in
                            for r in 0..<blockRows {
                                let i = rowStart + r, c = Int(order.rowComponent[i])
                                let rowNorm = norms[i], rowCore = cores[i]
                                let dots = t.baseAddress! + r * w - columnStart
                                // Runs of one component each: the lightest of the run, then
                                // where it is only when it improves the pair.
                                var j = max(columnStart, order.start[c + 1])
                                while j < columnEnd {
                                    let d = Int(order.rowComponent[j])
                                    let runEnd = min(columnEnd, order.start[d + 1])
                                    let pair = c * m + d
                                    let lightest = WeightScan.lightest(dots: dots + j, norms: norms.baseAddress! + j,
                                                                       cores: cores.baseAddress! + j, count: runEnd - j,
                                                                       rowNorm: rowNorm, rowCore: rowCore)
                                    if lightest < weight[pair] {
                                        let found = WeightScan.locateLightest(dots: dots, norms: norms.baseAddress!,
                                                                              cores: cores.baseAddress!, in: j..<runEnd,
                                                                              rowNorm: rowNorm, rowCore: rowCore)
                                        if found.weight < weight[pair] {
                                            weight[pair] = found.weight
                                            ends[pair] = (Int32(i), Int32(found.column))
                                        }
                                    }
                                    j = runEnd
                                }
                            }
                        }
                    }
                }
                columnStart = columnEnd
            }
            rowStart = rowEnd
        }

        // Prim on the components.
        var inTree = [Bool](repeating: false, count: m)
        var distance = [Float](repeating: .infinity, count: m)
        var via = [Int](repeating: -1, count: m)
        var joins: [(Int, Int)] = []
        var current = 0
        for _ in 1..<m {
            inTree[current] = true
            var next = -1
            for d in 0..<m where !inTree[d] {
                let pair = min(current, d) * m + max(current, d)
                if weight[pair] < distance[d] { distance[d] = weight[pair]; via[d] = pair }
                if next < 0 || distance[d] < distance[next] { next = d }
            }
            let (a, b) = ends[via[next]]
            joins.append((Int(rows.pointAtRow[Int(a)]), Int(rows.pointAtRow[Int(b)])))
            current = next
        }
        return joins
    }
}
