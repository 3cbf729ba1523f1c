/// For every point, its `count` nearest other points (ascending), by brute force over sgemm
/// tiles. Only the upper triangle of the distance matrix is computed: each tile updates the
/// lists of its rows and of its columns, which halves the work.
struct NeighbourLists: Sendable {
    let count: Int
    /// `count` per point, nearest first.
    var indices: [Int32]
    /// Matching squared distances.
    var squaredDistances: [Float]

    /// The squared distance to the farthest listed neighbour: every point off the list is at
    /// least this far.
    @inline(__always) func radiusSquared(of point: Int) -> Float { squaredDistances[point * count + count - 1] }
}

enum NearestNeighbours {
    /// Rows per sgemm block and columns per tile: a 128 x 1024 tile of distances (512 KB) stays
    /// in L2 while it is scanned.
    static let rowsPerBlock = 128
    static let columnsPerTile = 1024

    /// Lists from the squared distances of `work` (`norms` are its squared row norms); the
    /// ranking is the sgemm's, the caller refines the distances.
    static func lists(of work: Matrix, norms: [Float], count k: Int,
                      cancellation: CancellationFlag?) throws -> NeighbourLists {
        let n = work.rows, dim = work.columns
        precondition(k >= 1 && k < n, "\(k) neighbours among \(n) points")
        // One max-heap per point, pre-filled with infinities, so its top is always the bound
        // to beat; `bound` mirrors the tops contiguously for the column scan.
        var heapDistance = [Float](repeating: .infinity, count: n * k)
        var heapIndex = [Int32](repeating: -1, count: n * k)
        var bound = [Float](repeating: .infinity, count: n)
        var tile = [Float](repeating: 0, count: rowsPerBlock * columnsPerTile)

        try work.values.withUnsafeBufferPointer { x in
            try norms.withUnsafeBufferPointer { norm in
                try heapDistance.withUnsafeMutableBufferPointer { heapD in
                    try heapIndex.withUnsafeMutableBufferPointer { heapI in
                        try bound.withUnsafeMutableBufferPointer { bound in
                            try tile.withUnsafeMutableBufferPointer { tile in
                                @inline(__always) func offer(_ point: Int, _ other: Int, _ d2: Float) {
                                    let base = point * k
                                    replaceTop(heapD.baseAddress! + base, heapI.baseAddress! + base, k, d2, Int32(other))
                                    bound[point] = heapD[base]
                                }
                                var rowStart = 0
                                while rowStart < n {
                                    try cancellation?.check()
                                    let rowEnd = min(n, rowStart + rowsPerBlock), m = rowEnd - rowStart
                                    var columnStart = rowStart
                                    while columnStart < n {
                                        let columnEnd = min(n, columnStart + columnsPerTile), w = columnEnd - columnStart
                                        BLAS.multiplyTransposed(x.baseAddress! + rowStart * dim, rows: m,
                                                                x.baseAddress! + columnStart * dim, rows: w, depth: dim,
                                                                into: tile.baseAddress!, alpha: -2)
                                        for r in 0..<m {
                                            let i = rowStart + r
                                            let first = max(columnStart, i + 1)
                                            guard first < columnEnd else { continue }
                                            let row = tile.baseAddress! + r * w - columnStart
                                            let ni = norm[i]
                                            var rowBound = bound[i]
                                            for j in first..<columnEnd {
                                                let d2 = max(0, row[j] + ni + norm[j])
                                                if d2 < rowBound {
                                                    offer(i, j, d2)
                                                    rowBound = bound[i]
                                                }
                                                if d2 < bound[j] { offer(j, i, d2) }
                                            }
                                        }
                                        columnStart = columnEnd
                                    }
                                    rowStart = rowEnd
                                }
                            }
                        }
                    }
                }
            }
        }

        // Heaps to ascending lists (ties by index, so the order is reproducible).
        var order = [Int](repeating: 0, count: k)
        var indices = [Int32](repeating: 0, count: n * k)
        var distances = [Float](repeating: 0, count: n * k)
        for point in 0..<n {
            let base = point * k
            for slot in 0..<k { order[slot] = slot }
            order.sort { heapDistance[base + $0] < heapDistance[base + $1]
                || (heapDistance[base + $0] == heapDistance[base + $1] && heapIndex[base + $0] < heapIndex[base + $1]) }
            for (slot, from) in order.enumerated() {
                indices[base + slot] = heapIndex[base + from]
                distances[base + slot] = heapDistance[base + from]
            }
        }
        return NeighbourLists(count: k, indices: indices, squaredDistances: distances)
    }

    /// Replaces the top (largest) entry of a max-heap of `k` entries and sifts it down.
    @inline(__always)
    private static func replaceTop(_ distance: UnsafeMutablePointer<Float>, _ index: UnsafeMutablePointer<Int32>,
                                   _ k: Int, _ value: Float, _ label: Int32) {
        var position = 0
        while true {
            let left = 2 * position + 1
            if left >= k { break }
            var larger = left
            if left + 1 < k && distance[left + 1] > distance[left] { larger = left + 1 }
            if distance[larger] <= value { break }
            distance[position] = distance[larger]
            index[position] = index[larger]
            position = larger
        }
        distance[position] = value
        index[position] = label
    }
}
