/// A dense row-major float32 matrix: one row per point (document, submolt, agent), one column
/// per dimension. Storage is a single contiguous array so blocks of rows go straight to BLAS.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Float]

    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "negative matrix shape")
        self.rows = rows
        self.columns = columns
        self.values = [Float](repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "\(values.count) values for a \(rows)x\(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Rows of equal length; an empty list gives a 0 x `columns` matrix.
    public init(rowVectors: [[Float]], columns: Int? = nil) {
        let width = columns ?? rowVectors.first?.count ?? 0
        var values: [Float] = []
        values.reserveCapacity(rowVectors.count * width)
        for row in rowVectors {
            precondition(row.count == width, "rows of different lengths")
            values.append(contentsOf: row)
        }
        self.init(rows: rowVectors.count, columns: width, values: values)
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    public func row(_ index: Int) -> ArraySlice<Float> {
        values[index * columns..<(index + 1) * columns]
    }

    public mutating func setRow(_ index: Int, _ row: some Collection<Float>) {
        precondition(row.count == columns, "row of \(row.count) values for \(columns) columns")
        var offset = index * columns
        for value in row {
            values[offset] = value
            offset += 1
        }
    }

    /// The matrix of the given rows, in that order.
    public func gathering(rows indices: some Collection<Int>) -> Matrix {
        var result = [Float]()
        result.reserveCapacity(indices.count * columns)
        for index in indices { result.append(contentsOf: row(index)) }
        return Matrix(rows: indices.count, columns: columns, values: result)
    }

    /// Squared Euclidean norm of every row (accumulated in double: norms feed distance
    /// expansions where cancellation matters).
    public func rowSquaredNorms() -> [Float] {
        var norms = [Float](repeating: 0, count: rows)
        values.withUnsafeBufferPointer { data in
            for i in 0..<rows {
                var sum: Double = 0
                let base = i * columns
                for j in 0..<columns { let v = Double(data[base + j]); sum += v * v }
                norms[i] = Float(sum)
            }
        }
        return norms
    }

    /// Column means.
    public func columnMeans() -> [Float] {
        var sums = [Double](repeating: 0, count: columns)
        values.withUnsafeBufferPointer { data in
            for i in 0..<rows {
                let base = i * columns
                for j in 0..<columns { sums[j] += Double(data[base + j]) }
            }
        }
        let count = Double(max(rows, 1))
        return sums.map { Float($0 / count) }
    }

    /// Every row minus `mean`.
    public func centred(by mean: [Float]) -> Matrix {
        var copy = self
        copy.centre(by: mean)
        return copy
    }

    /// Subtracts `mean` from every row in place (no second copy of a large matrix).
    public mutating func centre(by mean: [Float]) {
        let (rows, columns) = (self.rows, self.columns)
        values.withUnsafeMutableBufferPointer { data in
            for i in 0..<rows {
                let base = i * columns
                for j in 0..<columns { data[base + j] -= mean[j] }
            }
        }
    }

    /// Every row scaled to unit length (zero rows stay zero).
    public func normalizedRows() -> Matrix {
        var copy = self
        copy.normalizeRows()
        return copy
    }

    /// Scales every row to unit length in place (zero rows stay zero).
    public mutating func normalizeRows() {
        let norms = rowSquaredNorms()
        let (rows, columns) = (self.rows, self.columns)
        values.withUnsafeMutableBufferPointer { data in
            for i in 0..<rows where norms[i] > 0 {
                let scale = 1 / norms[i].squareRoot()
                let base = i * columns
                for j in 0..<columns { data[base + j] *= scale }
            }
        }
    }
}
