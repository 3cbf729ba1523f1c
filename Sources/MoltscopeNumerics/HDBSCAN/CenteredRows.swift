/// The points minus their mean, as float32 rows for sgemm: distances are unchanged and the
/// expansion |x|^2 + |y|^2 - 2 x.y loses less to cancellation. The spanning-tree search
/// reorders the rows by component, so every component is one contiguous range.
struct CenteredRows {
    private(set) var matrix: Matrix
    private(set) var norms: [Float]
    private(set) var pointAtRow: [Int32]
    private(set) var rowOfPoint: [Int32]

    init(_ points: Matrix) {
        let matrix = points.centred(by: points.columnMeans())
        self.matrix = matrix
        norms = matrix.rowSquaredNorms()
        pointAtRow = (0..<points.rows).map { Int32($0) }
        rowOfPoint = pointAtRow
    }

    var count: Int { matrix.rows }

    /// Puts point `order[r]` in row `r`, in place (one row of scratch).
    mutating func reorder(_ order: [Int32]) {
        let n = matrix.rows, dim = matrix.columns
        precondition(order.count == n, "an order of \(order.count) for \(n) rows")
        // Row r takes the current row of point order[r]; follow each cycle of that permutation.
        let source = order.map { rowOfPoint[Int($0)] }
        var done = [Bool](repeating: false, count: n)
        var scratch = [Float](repeating: 0, count: dim)
        matrix.values.withUnsafeMutableBufferPointer { values in
            let base = values.baseAddress!
            for start in 0..<n where !done[start] {
                done[start] = true
                if Int(source[start]) == start { continue }
                scratch.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: base + start * dim, count: dim) }
                let startNorm = norms[start]
                var row = start
                while true {
                    let from = Int(source[row])
                    if from == start {
                        scratch.withUnsafeBufferPointer { (base + row * dim).update(from: $0.baseAddress!, count: dim) }
                        norms[row] = startNorm
                        break
                    }
                    (base + row * dim).update(from: base + from * dim, count: dim)
                    norms[row] = norms[from]
                    done[from] = true
                    row = from
                }
            }
        }
        pointAtRow = order
        for (row, point) in order.enumerated() { rowOfPoint[Int(point)] = Int32(row) }
    }
}
