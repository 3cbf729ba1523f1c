import Foundation

/// Positive integers as their distinct values (ascending) with counts: every discrete fit works
/// on this, so a likelihood or KS pass costs the number of distinct values, not of observations
/// (a degree distribution of 100,000 agents has a few hundred to a few thousand).
struct IntegerHistogram: Sendable {
    /// Distinct values >= 1, ascending.
    let values: [Int]
    let counts: [Int]
    let logValues: [Double]
    /// Observations in all (values < 1 left out).
    let total: Int
    /// tailCounts[j]: observations >= values[j]; tailLogSums[j]: the sum of their logs.
    let tailCounts: [Int]
    let tailLogSums: [Double]

    init(_ data: [Int]) {
        var sorted = data.filter { $0 >= 1 }
        sorted.sort()
        var values: [Int] = [], counts: [Int] = []
        for value in sorted {
            if value == values.last { counts[counts.count - 1] += 1 } else { values.append(value); counts.append(1) }
        }
        self.values = values
        self.counts = counts
        logValues = values.map { log(Double($0)) }
        total = sorted.count
        var tailCounts = [Int](repeating: 0, count: values.count + 1)
        var tailLogSums = [Double](repeating: 0, count: values.count + 1)
        for j in values.indices.reversed() {
            tailCounts[j] = tailCounts[j + 1] + counts[j]
            tailLogSums[j] = tailLogSums[j + 1] + Double(counts[j]) * logValues[j]
        }
        self.tailCounts = tailCounts
        self.tailLogSums = tailLogSums
    }

    /// The distinct values from index `start` on (a tail x >= values[start]).
    func tailRange(from start: Int) -> Range<Int> { start..<values.count }
}
