/// Rows of features for a classifier: a dense part (e.g. an embedding plus a few scalar
/// features) and a sparse part (e.g. hashed word counts), stored as compressed sparse rows.
public struct FeatureRows: Sendable {
    public private(set) var dense: [Float]          // rows x denseWidth, row-major
    public let denseWidth: Int
    public private(set) var sparseIndices: [Int32]  // column in 0..<sparseWidth
    public private(set) var sparseValues: [Float]
    public private(set) var rowStarts: [Int]        // rows + 1 offsets into the sparse arrays
    public let sparseWidth: Int

    public var count: Int { rowStarts.count - 1 }
    public var width: Int { denseWidth + sparseWidth }

    public init(denseWidth: Int, sparseWidth: Int) {
        self.denseWidth = denseWidth
        self.sparseWidth = sparseWidth
        dense = []
        sparseIndices = []
        sparseValues = []
        rowStarts = [0]
    }

    /// Appends a row; `sparse` entries must have distinct columns below `sparseWidth`.
    public mutating func append(dense row: [Float], sparse: [(column: Int32, value: Float)]) {
        precondition(row.count == denseWidth, "dense row of \(row.count) values, expected \(denseWidth)")
        dense.append(contentsOf: row)
        for entry in sparse {
            precondition(entry.column >= 0 && Int(entry.column) < sparseWidth, "sparse column out of range")
            sparseIndices.append(entry.column)
            sparseValues.append(entry.value)
        }
        rowStarts.append(sparseIndices.count)
    }

    /// The rows at `indices`, in that order (cross-validation folds).
    public func gathering(_ indices: [Int]) -> FeatureRows {
        var result = FeatureRows(denseWidth: denseWidth, sparseWidth: sparseWidth)
        for row in indices {
            let denseRow = Array(dense[row * denseWidth..<(row + 1) * denseWidth])
            let span = rowStarts[row]..<rowStarts[row + 1]
            result.append(dense: denseRow, sparse: span.map { (sparseIndices[$0], sparseValues[$0]) })
        }
        return result
    }

    /// Applies `body` to each dense row in place (standardization).
    public mutating func transformDense(_ body: (inout ArraySlice<Float>) -> Void) {
        for row in 0..<count {
            body(&dense[row * denseWidth..<(row + 1) * denseWidth])
        }
    }
}
