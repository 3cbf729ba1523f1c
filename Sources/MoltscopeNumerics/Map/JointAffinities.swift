/// The symmetric joint affinities p_ij = (p(j|i) + p(i|j)) / Σ, sparse (CSR): row i holds the
/// points that have i among their neighbours or are among i's, at most 2k per row.
struct JointAffinities: Sendable {
    /// Row i's entries are `columns[rowStarts[i] ..< rowStarts[i + 1]]`, ascending.
    var rowStarts: [Int]
    var columns: [Int32]
    var values: [Float]

    var points: Int { rowStarts.count - 1 }

    /// Symmetrises the conditional affinities of `neighbors` (laid out like them) and normalises
    /// the total to 1, as scikit-learn's `_joint_probabilities_nn`.
    init(neighbors: NeighborLists, conditional: [Float]) {
        let n = neighbors.points, k = neighbors.count
        // Each p(j|i) lands in row i (column j) and in row j (column i).
        var counts = [Int](repeating: k, count: n)
        for j in neighbors.indices { counts[Int(j)] += 1 }
        var starts = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { starts[i + 1] = starts[i] + counts[i] }
        var next = Array(starts.dropLast())
        var columns = [Int32](repeating: 0, count: starts[n])
        var values = [Float](repeating: 0, count: starts[n])
        for i in 0..<n {
            for slot in 0..<k {
                let j = Int(neighbors.indices[i * k + slot]), p = conditional[i * k + slot]
                columns[next[i]] = Int32(j); values[next[i]] = p; next[i] += 1
                columns[next[j]] = Int32(i); values[next[j]] = p; next[j] += 1
            }
        }
        // Sort each row by column and add up the pairs that are neighbours both ways.
        var compactStarts = [Int](repeating: 0, count: n + 1)
        var write = 0, total = 0.0
        var row: [(column: Int32, value: Float)] = []
        for i in 0..<n {
            row.removeAll(keepingCapacity: true)
            for entry in starts[i]..<starts[i + 1] { row.append((columns[entry], values[entry])) }
            row.sort { $0.column < $1.column }
            var index = 0
            while index < row.count {
                var value = row[index].value
                let column = row[index].column
                index += 1
                while index < row.count, row[index].column == column { value += row[index].value; index += 1 }
                columns[write] = column
                values[write] = value
                total += Double(value)
                write += 1
            }
            compactStarts[i + 1] = write
        }
        columns.removeLast(columns.count - write)
        values.removeLast(values.count - write)
        let scale = Float(1 / max(total, Double.ulpOfOne))
        for index in values.indices { values[index] *= scale }
        self.rowStarts = compactStarts
        self.columns = columns
        self.values = values
    }
}
