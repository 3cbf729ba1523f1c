import Foundation

/// Runs blocking work on a Dispatch thread and suspends until it is done, so the test bundle's
/// two cooperative threads stay free for every other test.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}
