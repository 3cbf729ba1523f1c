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
    /// Rows per sgemm block and columns per tile: a 512 x 512 tile of distances (1 MB) stays
    /// in L2 while it is scanned.
    static let rowsPerBlock = 512
    static let columnsPerTile = 512

    /// Lists from the squared distances of `rows` (the sgemm's ranking; the caller refines the
    /// distances). The rows are first put in projection-tree order and every block is searched
    /// against itself: the lists then start near their final radius, so the full pass that
    /// follows rarely touches them and passes over most columns sixteen at a time.
    static func lists(of rows: inout CenteredRows, count k: Int,
                      cancellation: CancellationFlag?) throws -> NeighbourLists {
        let n = rows.count, dim = rows.matrix.columns
        precondition(k >= 1 && k < n, "\(k) neighbours among \(n) points")
        rows.reorder(ProjectionTreeOrder.order(of: rows.matrix, leafSize: rowsPerBlock / 2))
        // One max-heap per row, pre-filled with infinities, so its top is always the bound to
        // beat; `bound` mirrors the tops contiguously for the column scan.
        var heapDistance = [Float](repeating: .infinity, count: n * k)
        var heapIndex = [Int32](repeating: -1, count: n * k)
        var bound = [Float](repeating: .infinity, count: n)
        var tile = [Float](repeating: 0, count: rowsPerBlock * columnsPerTile)

        try rows.matrix.values.withUnsafeBufferPointer { x in
            try rows.norms.withUnsafeBufferPointer { norm in
                try heapDistance.withUnsafeMutableBufferPointer { heapD in
                    try heapIndex.withUnsafeMutableBufferPointer { heapI in
                        try bound.withUnsafeMutableBufferPointer { bound in
                            try tile.withUnsafeMutableBufferPointer { tile in
                                @inline(__always) func offer(_ row: Int, _ other: Int, _ d2: Float) {
                                    let base = row * k
                                    replaceTop(heapD.baseAddress! + base, heapI.baseAddress! + base, k, d2, Int32(other))
                                    bound[row] = heapD[base]
                                }
                                // Pairs i < j of rows `rowRange` x columns `columnRange`.
                                func search(_ rowRange: Range<Int>, _ columnRange: Range<Int>) {
                                    let m = rowRange.count, w = columnRange.count
                                    BLAS.multiplyTransposed(x.baseAddress! + rowRange.lowerBound * dim, rows: m,
                                                            x.baseAddress! + columnRange.lowerBound * dim, rows: w, depth: dim,
                                                            into: tile.baseAddress!, alpha: -2)
                                    for i in rowRange {
                                        var j = max(columnRange.lowerBound, i + 1)
                                        let row = tile.baseAddress! + (i - rowRange.lowerBound) * w - columnRange.lowerBound
                                        let ni = norm[i]
                                        while j < columnRange.upperBound {
                                            let chunkEnd = min(columnRange.upperBound, j + 16)
                                            if chunkEnd - j == 16 && !WeightScan.anyNearer(
                                                dots: row + j, norms: norm.baseAddress! + j, bounds: bound.baseAddress! + j,
                                                rowNorm: ni, rowBound: bound[i]) {
                                                j = chunkEnd
                                                continue
                                            }
                                            for jj in j..<chunkEnd {
                                                let d2 = max(0, WeightScan.squaredDistance(dot: row[jj], rowNorm: ni, norm: norm[jj]))
                                                if d2 < bound[i] { offer(i, jj, d2) }
                                                if d2 < bound[jj] { offer(jj, i, d2) }
                                            }
                                            j = chunkEnd
                                        }
                                    }
                                }
                                // Each block against itself, then against every later column.
                                for blockStart in stride(from: 0, to: n, by: rowsPerBlock) {
                                    let block = blockStart..<min(n, blockStart + rowsPerBlock)
                                    search(block, block)
                                }
                                for blockStart in stride(from: 0, to: n, by: rowsPerBlock) {
                                    try cancellation?.check()
                                    let block = blockStart..<min(n, blockStart + rowsPerBlock)
                                    for columnStart in stride(from: block.upperBound, to: n, by: columnsPerTile) {
                                        search(block, columnStart..<min(n, columnStart + columnsPerTile))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        // Heaps of rows to ascending lists of points (ties by point, so the order is reproducible).
        var order = [Int](repeating: 0, count: k)
        var indices = [Int32](repeating: 0, count: n * k)
        var distances = [Float](repeating: 0, count: n * k)
        for row in 0..<n {
            let from = row * k, to = Int(rows.pointAtRow[row]) * k
            for slot in 0..<k {
                order[slot] = slot
                heapIndex[from + slot] = rows.pointAtRow[Int(heapIndex[from + slot])]
            }
            order.sort { heapDistance[from + $0] < heapDistance[from + $1]
                || (heapDistance[from + $0] == heapDistance[from + $1] && heapIndex[from + $0] < heapIndex[from + $1]) }
            for (slot, source) in order.enumerated() {
                indices[to + slot] = heapIndex[from + source]
                distances[to + slot] = heapDistance[from + source]
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
