import Foundation

/// The API's rate limit, shared by every request of a crawl: a token bucket refilled at
/// `perMinute`, plus a pause that a 429's retry-after imposes on everyone.
public actor TokenBucket {
    private let ratePerSecond: Double
    private let capacity: Double
    private var tokens: Double
    private var refilledAt: ContinuousClock.Instant
    private var pausedUntil: ContinuousClock.Instant
    private let clock = ContinuousClock()

    /// `perMinute` 0 turns the limit off (replay benchmarks); `burst` is the bucket size.
    public init(perMinute: Double, burst: Int = 10) {
        ratePerSecond = perMinute / 60
        capacity = Double(max(burst, 1))
        tokens = Double(max(burst, 1))
        refilledAt = clock.now
        pausedUntil = clock.now
    }

    /// Waits for a token. Callers reserve their slot first (the bucket may go negative) and
    /// then sleep outside the actor, so waiting requests never block each other's bookkeeping.
    public func acquire() async throws {
        let wait = reserve()
        if wait > .zero { try await Task.sleep(for: wait) }
    }

    /// Nobody sends before `seconds` from now (a 429 said so).
    public func pause(seconds: Double) {
        let until = clock.now + .milliseconds(Int(seconds * 1000))
        if until > pausedUntil { pausedUntil = until }
    }

    private func reserve() -> Duration {
        let now = clock.now
        let pause = pausedUntil > now ? pausedUntil - now : .zero
        guard ratePerSecond > 0 else { return pause }
        let elapsed = now - refilledAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(capacity, tokens + seconds * ratePerSecond)
        refilledAt = now
        tokens -= 1
        let deficit = tokens < 0 ? -tokens / ratePerSecond : 0
        return max(pause, .milliseconds(Int(deficit * 1000)))
    }
}

/// Jittered exponential backoff ("full jitter"): attempt n waits a random time in
/// [0, min(cap, base * 2^n)], so many clients retrying do not stampede together.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public init(maxAttempts: Int, baseDelay: Double, maxDelay: Double) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public func delay(afterAttempt attempt: Int) -> Double {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt)))
        return Double.random(in: 0...max(ceiling, 0))
    }
}
