import COpenBLAS
import Foundation

/// Limited-memory BFGS (Nocedal & Wright, algorithm 7.4) with a backtracking Armijo line search:
/// the solver scikit-learn's logistic regression uses by default, for smooth convex objectives.
public struct LBFGS: Sendable {
    public var memory: Int
    public var maxIterations: Int
    /// Stops when the largest gradient component is at most this (scikit-learn's `tol` / pgtol).
    public var gradientTolerance: Double
    /// Stops when the objective improves by less than this, relative to its size.
    public var relativeTolerance: Double

    public init(memory: Int = 10, maxIterations: Int = 500, gradientTolerance: Double = 1e-5,
                relativeTolerance: Double = 1e-10) {
        self.memory = memory
        self.maxIterations = maxIterations
        self.gradientTolerance = gradientTolerance
        self.relativeTolerance = relativeTolerance
    }

    public struct Result: Sendable {
        public var x: [Double]
        public var value: Double
        public var iterations: Int
        public var converged: Bool
    }

    /// Minimizes `objective`, which returns f(x) and writes its gradient into the second argument.
    public func minimize(from start: [Double], cancellation: CancellationFlag? = nil,
                         _ objective: ([Double], inout [Double]) -> Double) throws -> Result {
        let n = start.count
        var x = start
        var gradient = [Double](repeating: 0, count: n)
        var value = objective(x, &gradient)
        var steps: [[Double]] = [], changes: [[Double]] = [], curvatures: [Double] = []
        var iteration = 0
        var nextX = x, nextGradient = gradient
        while iteration < maxIterations {
            if Self.largestMagnitude(gradient) <= gradientTolerance { return Result(x: x, value: value, iterations: iteration, converged: true) }
            try cancellation?.check()
            iteration += 1
            var direction = twoLoopDirection(gradient, steps: steps, changes: changes, curvatures: curvatures)
            var slope = Self.dot(direction, gradient)
            if slope >= 0 {  // not a descent direction (numerical trouble): restart from steepest descent
                steps.removeAll(); changes.removeAll(); curvatures.removeAll()
                direction = gradient.map { -$0 }
                slope = Self.dot(direction, gradient)
            }
            var step = steps.isEmpty ? min(1, 1 / max(Self.norm(gradient), 1e-12)) : 1
            var nextValue = 0.0
            var accepted = false
            for _ in 0..<60 {
                nextX.withUnsafeMutableBufferPointer { next in
                    x.withUnsafeBufferPointer { x in
                        direction.withUnsafeBufferPointer { d in for i in 0..<n { next[i] = x[i] + step * d[i] } }
                    }
                }
                nextValue = objective(nextX, &nextGradient)
                if nextValue <= value + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { return Result(x: x, value: value, iterations: iteration, converged: false) }
            // The oldest pair's buffers are reused once memory is full (vectors can be large).
            var s: [Double], y: [Double]
            if steps.count >= memory {
                s = steps.removeFirst()
                y = changes.removeFirst()
                curvatures.removeFirst()
            } else {
                s = [Double](repeating: 0, count: n)
                y = s
            }
            for i in 0..<n { s[i] = nextX[i] - x[i] }
            for i in 0..<n { y[i] = nextGradient[i] - gradient[i] }
            let sy = Self.dot(s, y)
            if sy > 1e-10 * Self.dot(y, y) {
                steps.append(s); changes.append(y); curvatures.append(1 / sy)
            }
            let improvement = value - nextValue
            swap(&x, &nextX)
            swap(&gradient, &nextGradient)
            value = nextValue
            if improvement <= relativeTolerance * max(abs(value), 1) {
                return Result(x: x, value: value, iterations: iteration, converged: true)
            }
        }
        return Result(x: x, value: value, iterations: iteration, converged: Self.largestMagnitude(gradient) <= gradientTolerance)
    }

    /// H_k * (-gradient) from the stored pairs (the two-loop recursion).
    private func twoLoopDirection(_ gradient: [Double], steps: [[Double]], changes: [[Double]], curvatures: [Double]) -> [Double] {
        var q = gradient
        var alphas = [Double](repeating: 0, count: steps.count)
        for j in steps.indices.reversed() {
            alphas[j] = curvatures[j] * Self.dot(steps[j], q)
            Self.addScaled(-alphas[j], changes[j], to: &q)
        }
        if let s = steps.last, let y = changes.last {
            let scale = Self.dot(s, y) / max(Self.dot(y, y), 1e-300)
            q.withUnsafeMutableBufferPointer { q in for i in 0..<q.count { q[i] *= scale } }
        }
        for j in steps.indices {
            let beta = curvatures[j] * Self.dot(changes[j], q)
            Self.addScaled(alphas[j] - beta, steps[j], to: &q)
        }
        return q.map { -$0 }
    }

    // Vector operations through BLAS (ddot, daxpy): the two-loop recursion runs 4 x memory of
    // them per iteration over every parameter.
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in cblas_ddot(Int32(a.count), a.baseAddress, 1, b.baseAddress, 1) }
        }
    }

    /// y += alpha * x
    static func addScaled(_ alpha: Double, _ x: [Double], to y: inout [Double]) {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in cblas_daxpy(Int32(y.count), alpha, x.baseAddress, 1, y.baseAddress, 1) }
        }
    }

    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    static func largestMagnitude(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
}
