import Foundation

/// Pearson's correlation coefficient with its two-sided p-value for "no correlation", as
/// `scipy.stats.pearsonr` computes them: r from the centred vectors, each scaled by its largest
/// magnitude before its norm (no overflow), clipped to [-1, 1]; under the null hypothesis r
/// follows a beta distribution on (-1, 1) with a = b = n/2 - 1 (Student's t with n - 2 degrees
/// of freedom), so p = 2 I_{(1-|r|)/2}(a, a).
public struct PearsonCorrelation: Sendable, Equatable {
    public let n: Int
    public let r: Double
    public let pValue: Double

    /// nil when the lengths differ, n < 3, a value is not finite, or a side is constant.
    public static func of(_ x: [Double], _ y: [Double]) -> PearsonCorrelation? {
        let n = x.count
        guard n == y.count, n >= 3, x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { return nil }
        guard let xs = centredUnit(x), let ys = centredUnit(y) else { return nil }
        var dot = 0.0
        for i in 0..<n { dot += xs[i] * ys[i] }
        let r = min(1, max(-1, dot))
        let a = Double(n) / 2 - 1
        let pValue = min(1, 2 * SpecialFunctions.regularizedIncompleteBeta(a, a, (1 - abs(r)) / 2))
        return PearsonCorrelation(n: n, r: r, pValue: pValue)
    }

    /// `values` minus their mean, divided by the resulting norm; nil for a constant vector.
    private static func centredUnit(_ values: [Double]) -> [Double]? {
        guard let first = values.first, values.contains(where: { $0 != first }) else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        var centred = values.map { $0 - mean }
        let largest = centred.reduce(0) { max($0, abs($1)) }
        guard largest > 0 else { return nil }
        var squares = 0.0
        for value in centred { let scaled = value / largest; squares += scaled * scaled }
        let norm = largest * squares.squareRoot()
        for i in centred.indices { centred[i] /= norm }
        return centred
    }
}
