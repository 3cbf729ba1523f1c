/// Bounded Nelder-Mead exactly as `scipy.optimize.minimize(method="Nelder-Mead", bounds=...,
/// tol=...)` runs it (scipy 1.17, non-adaptive): the same starting simplex (+5% per coordinate,
/// 0.00025 for a zero one), the same reflection / expansion / contraction / shrink steps with
/// every trial point clipped to the bounds, the same stop (simplex within `tolerance` in x and
/// in f, or 200 iterations / evaluations per variable). It is used where `powerlaw` fits a
/// distribution with it (the discrete lognormal and exponential alternatives): the likelihood
/// surfaces there are flat or piecewise (floored likelihoods), so matching `powerlaw`'s answers
/// means taking the same steps, not finding a better optimum.
struct NelderMead {
    var lower: [Double]
    var upper: [Double]
    /// scipy's `tol`, used as both `xatol` and `fatol`.
    var tolerance = 1e-4

    struct Result {
        var x: [Double]
        var value: Double
        /// False when the iteration or evaluation budget ran out (scipy's `success`).
        var converged: Bool
    }

    private struct BudgetExhausted: Error {}

    func minimize(from start: [Double], _ objective: ([Double]) -> Double) -> Result {
        let dimension = start.count
        let maxIterations = 200 * dimension, maxEvaluations = 200 * dimension
        func clip(_ x: [Double]) -> [Double] {
            (0..<dimension).map { i in x[i].isNaN ? x[i] : min(max(x[i], lower[i]), upper[i]) }
        }
        let origin = clip(start)
        var simplex = [origin]
        for k in 0..<dimension {
            var vertex = origin
            vertex[k] = vertex[k] != 0 ? (1 + 0.05) * vertex[k] : 0.00025
            simplex.append(vertex)
        }
        // A vertex pushed past an upper bound is reflected back inside, then clipped.
        simplex = simplex.map { vertex in
            clip((0..<dimension).map { i in vertex[i] > upper[i] ? 2 * upper[i] - vertex[i] : vertex[i] })
        }
        var evaluations = 0
        func evaluate(_ x: [Double]) throws -> Double {
            if evaluations >= maxEvaluations { throw BudgetExhausted() }
            evaluations += 1
            return objective(x)
        }
        var values = [Double](repeating: .infinity, count: dimension + 1)
        do { for k in 0...dimension { values[k] = try evaluate(simplex[k]) } } catch {}
        Self.sort(&simplex, by: &values)

        var iterations = 1
        search: while evaluations < maxEvaluations, iterations < maxIterations {
            do {
                var spreadX = 0.0, spreadF = 0.0
                for j in 1...dimension {
                    for i in 0..<dimension { spreadX = Self.largest(spreadX, abs(simplex[j][i] - simplex[0][i])) }
                    spreadF = Self.largest(spreadF, abs(values[0] - values[j]))
                }
                if spreadX <= tolerance, spreadF <= tolerance { break search }

                var centroid = [Double](repeating: 0, count: dimension)
                for j in 0..<dimension { for i in 0..<dimension { centroid[i] += simplex[j][i] } }
                for i in 0..<dimension { centroid[i] /= Double(dimension) }
                let worst = simplex[dimension]
                func point(_ a: Double, _ b: Double) -> [Double] {
                    clip((0..<dimension).map { i in a * centroid[i] - b * worst[i] })
                }
                let reflected = point(2, 1)
                let reflectedValue = try evaluate(reflected)
                if reflectedValue < values[0] {
                    let expanded = point(3, 2)
                    let expandedValue = try evaluate(expanded)
                    if expandedValue < reflectedValue {
                        simplex[dimension] = expanded; values[dimension] = expandedValue
                    } else {
                        simplex[dimension] = reflected; values[dimension] = reflectedValue
                    }
                } else if reflectedValue < values[dimension - 1] {
                    simplex[dimension] = reflected; values[dimension] = reflectedValue
                } else {
                    var shrink = false
                    if reflectedValue < values[dimension] {
                        let contracted = point(1.5, 0.5)
                        let contractedValue = try evaluate(contracted)
                        if contractedValue <= reflectedValue {
                            simplex[dimension] = contracted; values[dimension] = contractedValue
                        } else {
                            shrink = true
                        }
                    } else {
                        let inside = clip((0..<dimension).map { i in 0.5 * centroid[i] + 0.5 * worst[i] })
                        let insideValue = try evaluate(inside)
                        if insideValue < values[dimension] {
                            simplex[dimension] = inside; values[dimension] = insideValue
                        } else {
                            shrink = true
                        }
                    }
                    if shrink {
                        for j in 1...dimension {
                            simplex[j] = clip((0..<dimension).map { i in
                                simplex[0][i] + 0.5 * (simplex[j][i] - simplex[0][i])
                            })
                            values[j] = try evaluate(simplex[j])
                        }
                    }
                }
                iterations += 1
            } catch {}
            Self.sort(&simplex, by: &values)
        }
        let converged = evaluations < maxEvaluations && iterations < maxIterations
        return Result(x: simplex[0], value: values.min() ?? values[0], converged: converged)
    }

    /// numpy's `max` of a reduction: NaN wins.
    private static func largest(_ a: Double, _ b: Double) -> Double {
        a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
    }

    /// numpy's argsort of a few values (a stable insertion sort, NaN last), applied to both.
    private static func sort(_ simplex: inout [[Double]], by values: inout [Double]) {
        func before(_ a: Double, _ b: Double) -> Bool { a < b || (b.isNaN && !a.isNaN) }
        for i in 1..<values.count {
            var j = i
            while j > 0, before(values[j], values[j - 1]) {
                values.swapAt(j, j - 1)
                simplex.swapAt(j, j - 1)
                j -= 1
            }
        }
    }
}
