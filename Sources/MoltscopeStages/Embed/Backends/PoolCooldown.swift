/// How long a pool rests a server that failed: `base` seconds after the first failure, doubling
/// with each failure in a row (a probe that fails again), never more than `max`.
public struct PoolCooldown: Sendable, Equatable {
    public var base: Double
    public var max: Double

    public init(base: Double = 30, max: Double = 300) {
        self.base = base
        self.max = Swift.max(base, max)
    }

    /// Seconds of rest after `failuresInARow` (1 or more) failures.
    public func seconds(afterFailures failuresInARow: Int) -> Double {
        let doublings = Swift.min(Swift.max(failuresInARow - 1, 0), 30)
        return Swift.min(base * Double(1 << doublings), max)
    }
}
