/// Lloyd's iterations with Hamerly's bounds (Hamerly 2010): the same assignments as plain
/// Lloyd, but a point whose distance to its centre is provably below half the gap to the
/// nearest other centre, or below a lower bound on its second-closest centre, is not compared
/// with every centre again. Once centres settle, most points are skipped; the rest go through
/// the same sgemm blocks as plain Lloyd. Centre sums are kept up to date as points move.
struct BoundedLloyd {
    let points: Matrix
    let norms: [Float]
    let threshold: Double
    let maxIterations: Int

    private var plain: Lloyd { Lloyd(points: points, norms: norms, threshold: threshold, maxIterations: maxIterations) }

    func run(from start: Matrix, cancellation: CancellationFlag?) throws -> KMeansResult {
        let n = points.rows, d = points.columns, k = start.rows
        guard k >= 2 else { return try plain.run(from: start, cancellation: cancellation) }
        var centres = start
        var labels = [Int32](repeating: -1, count: n)
        var upper = [Float](repeating: 0, count: n), lower = [Float](repeating: 0, count: n)
        var sums = [Double](repeating: 0, count: k * d), counts = [Int](repeating: 0, count: k)
        // Float rounding of |x|^2 + |c|^2 - 2x.c: lower bounds are loosened by this much.
        let slack = 1e-3 * Float((norms.max() ?? 1).squareRoot() + 1e-6)
        var fullPass = true
        var iterations = 0
        while iterations < maxIterations {
            try cancellation?.check()
            iterations += 1
            let changed: Int
            if fullPass {
                changed = assignAll(centres, labels: &labels, upper: &upper, lower: &lower, sums: &sums, counts: &counts,
                                    slack: slack)
                fullPass = false
            } else {
                changed = assignBounded(centres, labels: &labels, upper: &upper, lower: &lower, sums: &sums,
                                        counts: &counts, slack: slack)
            }
            if changed == 0 { break }
            var updated: Matrix
            if counts.contains(0) {
                // Empty clusters take the farthest points, by exact distances (as plain Lloyd).
                var exactLabels = labels, distances = [Float](repeating: 0, count: n)
                plain.assign(centres, labels: &exactLabels, distances: &distances)
                updated = plain.update(labels: exactLabels, distances: distances, sums: sums, counts: counts)
                fullPass = true
            } else {
                updated = centresFrom(sums: sums, counts: counts, k: k, d: d)
            }
            var shift = 0.0
            var moved = [Float](repeating: 0, count: k)
            for c in 0..<k {
                var squared = 0.0
                for j in 0..<d { let delta = Double(updated[c, j]) - Double(centres[c, j]); squared += delta * delta }
                shift += squared
                moved[c] = Float(squared.squareRoot())
            }
            centres = updated
            if shift <= threshold { break }
            if fullPass {
                // Relocation changed sums outside the bounds' bookkeeping: recount from scratch.
                for p in sums.indices { sums[p] = 0 }
                for c in counts.indices { counts[c] = 0 }
                continue
            }
            // Centres moved: a point's own centre by at most moved[a], any other by at most the largest move.
            let order = moved.indices.sorted { moved[$0] > moved[$1] }
            let largest = moved[order[0]], second = moved[order[1]]
            for i in 0..<n {
                let a = Int(labels[i])
                upper[i] += moved[a]
                lower[i] -= a == order[0] ? second : largest
            }
        }
        // Exact labels and distances for the final centres (the bounds are only bounds).
        var distances = [Float](repeating: 0, count: n)
        plain.assign(centres, labels: &labels, distances: &distances)
        let inertia = distances.reduce(0.0) { $0 + Double($1) }
        return KMeansResult(centroids: centres, labels: labels, inertia: inertia, iterations: iterations)
    }

    private func centresFrom(sums: [Double], counts: [Int], k: Int, d: Int) -> Matrix {
        var centres = Matrix(rows: k, columns: d)
        for c in 0..<k where counts[c] > 0 {
            let scale = 1 / Double(counts[c])
            for j in 0..<d { centres.values[c * d + j] = Float(sums[c * d + j] * scale) }
        }
        return centres
    }

    /// Half the distance from each centre to its nearest other centre.
    private func halfGaps(_ centres: Matrix) -> [Float] {
        let k = centres.rows
        var gaps = [Float](repeating: .infinity, count: k)
        for a in 0..<k {
            for b in (a + 1)..<k {
                let distance = Float(ClusterQuality.distance(centres.row(a), centres.row(b))) / 2
                gaps[a] = min(gaps[a], distance)
                gaps[b] = min(gaps[b], distance)
            }
        }
        return gaps
    }

    /// Exact distance of point `i` to centre `c` (direct differences: no cancellation).
    @inline(__always)
    private func distance(_ i: Int, _ c: Int, _ data: UnsafeBufferPointer<Float>, _ centres: UnsafeBufferPointer<Float>) -> Float {
        let d = points.columns
        let x = data.baseAddress! + i * d, y = centres.baseAddress! + c * d
        var sum: Float = 0
        for j in 0..<d { let delta = x[j] - y[j]; sum += delta * delta }
        return sum.squareRoot()
    }

    /// Compares the points the bounds cannot settle with every centre; returns how many moved.
    private func assignBounded(_ centres: Matrix, labels: inout [Int32], upper: inout [Float], lower: inout [Float],
                               sums: inout [Double], counts: inout [Int], slack: Float) -> Int {
        let gaps = halfGaps(centres)
        var unsettled: [Int] = []
        points.values.withUnsafeBufferPointer { data in
            centres.values.withUnsafeBufferPointer { c in
                for i in 0..<points.rows {
                    let a = Int(labels[i])
                    let bound = max(gaps[a], lower[i])
                    if upper[i] <= bound { continue }
                    upper[i] = distance(i, a, data, c)
                    if upper[i] <= bound { continue }
                    unsettled.append(i)
                }
            }
        }
        return assign(rows: unsettled, centres, labels: &labels, upper: &upper, lower: &lower, sums: &sums,
                      counts: &counts, slack: slack)
    }

    private func assignAll(_ centres: Matrix, labels: inout [Int32], upper: inout [Float], lower: inout [Float],
                           sums: inout [Double], counts: inout [Int], slack: Float) -> Int {
        assign(rows: Array(0..<points.rows), centres, labels: &labels, upper: &upper, lower: &lower, sums: &sums,
               counts: &counts, slack: slack)
    }

    /// Full comparisons of `rows` with every centre in sgemm blocks (centres as the first
    /// operand); moves each point that changes centre between the running sums.
    private func assign(rows: [Int], _ centres: Matrix, labels: inout [Int32], upper: inout [Float], lower: inout [Float],
                        sums: inout [Double], counts: inout [Int], slack: Float) -> Int {
        let k = centres.rows, d = points.columns
        let centreNorms = centres.rowSquaredNorms()
        let block = 256
        var gathered = [Float](repeating: 0, count: block * d)
        var dots = [Float](repeating: 0, count: k * block)
        var changed = 0
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + block)]
            let m = chunk.count
            points.values.withUnsafeBufferPointer { data in
                gathered.withUnsafeMutableBufferPointer { target in
                    for (slot, row) in chunk.enumerated() {
                        (target.baseAddress! + slot * d).update(from: data.baseAddress! + row * d, count: d)
                    }
                }
            }
            centres.values.withUnsafeBufferPointer { c in
                gathered.withUnsafeBufferPointer { g in
                    dots.withUnsafeMutableBufferPointer { out in
                        BLAS.multiplyTransposed(c.baseAddress!, rows: k, g.baseAddress!, rows: m, depth: d,
                                                into: out.baseAddress!, alpha: -2)
                    }
                }
            }
            for (slot, row) in chunk.enumerated() {
                var best = Float.infinity, second = Float.infinity, bestIndex = 0
                for c in 0..<k {
                    let value = dots[c * m + slot] + centreNorms[c]
                    if value < best { second = best; best = value; bestIndex = c } else if value < second { second = value }
                }
                let x = norms[row]
                upper[row] = max(0, best + x).squareRoot()
                lower[row] = max(0, max(0, second + x).squareRoot() - slack)
                let old = Int(labels[row])
                guard old != bestIndex else { continue }
                changed += 1
                labels[row] = Int32(bestIndex)
                counts[bestIndex] += 1
                let base = row * d
                if old >= 0 {
                    counts[old] -= 1
                    for j in 0..<d { let v = Double(points.values[base + j]); sums[old * d + j] -= v; sums[bestIndex * d + j] += v }
                } else {
                    for j in 0..<d { sums[bestIndex * d + j] += Double(points.values[base + j]) }
                }
            }
            start += m
        }
        return changed
    }
}
