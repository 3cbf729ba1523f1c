/// Each point's `count` nearest other points, nearest first: the input side of t-SNE.
/// Row i's neighbours are `indices[i*count ..< (i+1)*count]`, with their squared Euclidean
/// distances alongside.
struct NeighborLists: Sendable {
    let points: Int
    let count: Int
    var indices: [Int32]
    var squaredDistances: [Float]
}

/// Exact k-nearest neighbours by brute force: blocks of dot products through sgemm (O(n²·d) time) and
/// a bounded heap per row, so memory stays O(n·k) plus one block. Exact, not approximate, so the
/// affinities are those scikit-learn computes.
enum ExactNeighbors {
    static func find(in points: Matrix, count wanted: Int, cancellation: CancellationFlag? = nil) throws -> NeighborLists {
        let n = points.rows
        let k = max(0, min(wanted, n - 1))
        var lists = NeighborLists(points: n, count: k, indices: [Int32](repeating: 0, count: n * k),
                                  squaredDistances: [Float](repeating: 0, count: n * k))
        guard k > 0 else { return lists }
        // Centred points make |x|² + |y|² - 2x·y cancel less: the expansion loses the small
        // distances that matter most when the norms are large.
        let centred = points.centred(by: points.columnMeans())
        let norms = centred.rowSquaredNorms()
        // One sgemm per block gives -2 x·y; ranking row i's candidates needs only |y|² - 2 x·y
        // (|x|² is the same for the whole row), added in the scan rather than in a pass of its own
        // over a block far larger than the cache. The kept neighbours' distances are then exact.
        let rowsPerBlock = DistanceBlocks.rowsPerBlock(targets: n)
        var block = [Float](repeating: 0, count: min(n, rowsPerBlock) * n)
        var heap = NeighborHeap(capacity: k)
        var start = 0
        while start < n {
            try cancellation?.check()
            let range = start..<min(n, start + rowsPerBlock)
            let d = centred.columns
            centred.values.withUnsafeBufferPointer { x in
                block.withUnsafeMutableBufferPointer { products in
                    BLAS.multiplyTransposed(x.baseAddress! + range.lowerBound * d, rows: range.count, x.baseAddress!,
                                            rows: n, depth: d, into: products.baseAddress!, alpha: -2)
                }
            }
            block.withUnsafeBufferPointer { products in
                norms.withUnsafeBufferPointer { norms in
                    for (local, i) in range.enumerated() {
                        heap.removeAll()
                        let row = products.baseAddress! + local * n
                        // Most candidates lose to the k-th nearest so far: one comparison each.
                        var worst = Float.infinity
                        for j in 0..<n {
                            let rank = row[j] + norms[j]
                            guard rank < worst, j != i else { continue }
                            heap.offer(rank, index: Int32(j))
                            if heap.isFull { worst = heap.farthest }
                        }
                        store(heap: heap, of: i, in: &lists, points: centred)
                    }
                }
            }
            start = range.upperBound
        }
        return lists
    }

    /// Writes the heap's neighbours of `i` nearest first, with distances recomputed directly:
    /// the sgemm expansion is only good enough to choose them, and duplicates must come out as 0.
    private static func store(heap: NeighborHeap, of i: Int, in lists: inout NeighborLists, points: Matrix) {
        let d = points.columns, k = lists.count
        var found: [(distance: Float, index: Int32)] = []
        found.reserveCapacity(k)
        points.values.withUnsafeBufferPointer { x in
            for slot in 0..<heap.size {
                let j = Int(heap.indices[slot])
                var sum: Double = 0
                for c in 0..<d {
                    let difference = Double(x[i * d + c]) - Double(x[j * d + c])
                    sum += difference * difference
                }
                found.append((Float(sum), Int32(j)))
            }
        }
        found.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }
        for (slot, neighbour) in found.enumerated() {
            lists.indices[i * k + slot] = neighbour.index
            lists.squaredDistances[i * k + slot] = neighbour.distance
        }
    }
}

/// The `capacity` smallest distances seen so far, as a max-heap: a candidate only costs one
/// comparison against the root unless it is among the nearest yet.
struct NeighborHeap {
    let capacity: Int
    private(set) var distances: [Float]
    private(set) var indices: [Int32]
    private(set) var size = 0

    init(capacity: Int) {
        self.capacity = capacity
        distances = [Float](repeating: 0, count: capacity)
        indices = [Int32](repeating: 0, count: capacity)
    }

    mutating func removeAll() { size = 0 }

    var isFull: Bool { size == capacity }
    /// The largest distance kept: a candidate must beat it once the heap is full.
    var farthest: Float { distances[0] }

    mutating func offer(_ distance: Float, index: Int32) {
        if size < capacity {
            var child = size
            size += 1
            // Sift up.
            while child > 0 {
                let parent = (child - 1) / 2
                guard distances[parent] < distance else { break }
                distances[child] = distances[parent]
                indices[child] = indices[parent]
                child = parent
            }
            distances[child] = distance
            indices[child] = index
        } else if distance < distances[0] {
            // Replace the farthest and sift down; ties keep the earlier index.
            var parent = 0
            while true {
                var largest = 2 * parent + 1
                guard largest < size else { break }
                if largest + 1 < size, distances[largest + 1] > distances[largest] { largest += 1 }
                guard distances[largest] > distance else { break }
                distances[parent] = distances[largest]
                indices[parent] = indices[largest]
                parent = largest
            }
            distances[parent] = distance
            indices[parent] = index
        }
    }
}
