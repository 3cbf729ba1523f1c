import Foundation

/// Greedy k-means++ seeding as scikit-learn does it (Arthur & Vassilvitskii with 2 + ln k
/// candidate centres per step, keeping the one that lowers the potential most), so runs are
/// comparable with `sklearn.cluster.KMeans(init="k-means++")`.
enum KMeansPlusPlus {
    static func centres(of points: Matrix, norms: [Float], count k: Int, random: inout SeededRandom,
                        cancellation: CancellationFlag?) throws -> Matrix {
        let n = points.rows
        precondition(k >= 1 && k <= n, "k-means++ needs 1 <= k <= n")
        let trials = 2 + Int(log(Double(k)))
        var centres = Matrix(rows: k, columns: points.columns)
        var chosen = Int(random.unit() * Double(n)) % n
        centres.setRow(0, points.row(chosen))
        var closest = distances(of: points, norms: norms, to: [chosen])[0]
        var potential = closest.reduce(0.0) { $0 + Double($1) }
        for c in 1..<k {
            try cancellation?.check()
            // Candidates sampled proportionally to their squared distance (D^2 weighting).
            let prefix = prefixSums(closest)
            let candidates: [Int] = (0..<trials).map { _ in
                let target = random.unit() * potential
                return min(n - 1, lowerBound(prefix, target))
            }
            let candidateDistances = distances(of: points, norms: norms, to: candidates)
            var bestPotential = Double.infinity, bestIndex = 0
            for (t, row) in candidateDistances.enumerated() {
                var sum = 0.0
                for i in 0..<n { sum += Double(min(closest[i], row[i])) }
                if sum < bestPotential { bestPotential = sum; bestIndex = t }
            }
            chosen = candidates[bestIndex]
            for i in 0..<n { closest[i] = min(closest[i], candidateDistances[bestIndex][i]) }
            potential = bestPotential
            centres.setRow(c, points.row(chosen))
        }
        return centres
    }

    /// Squared distances from every point to each of the given points (one row per candidate).
    private static func distances(of points: Matrix, norms: [Float], to indices: [Int]) -> [[Float]] {
        let candidates = points.gathering(rows: indices)
        let candidateNorms = indices.map { norms[$0] }
        var result = [[Float]](repeating: [Float](repeating: 0, count: points.rows), count: indices.count)
        var buffer = [Float]()
        let block = DistanceBlocks.rowsPerBlock(targets: indices.count)
        var start = 0
        while start < points.rows {
            let range = start..<min(points.rows, start + block)
            DistanceBlocks.squaredDistances(rows: range, of: points, pointNorms: norms, to: candidates,
                                            targetNorms: candidateNorms, into: &buffer)
            for i in 0..<range.count {
                for t in 0..<indices.count { result[t][range.lowerBound + i] = buffer[i * indices.count + t] }
            }
            start = range.upperBound
        }
        return result
    }

    private static func prefixSums(_ values: [Float]) -> [Double] {
        var sums = [Double](repeating: 0, count: values.count)
        var running = 0.0
        for i in values.indices { running += Double(values[i]); sums[i] = running }
        return sums
    }

    /// First index whose prefix sum is >= target (numpy's searchsorted, side left).
    private static func lowerBound(_ sorted: [Double], _ target: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
