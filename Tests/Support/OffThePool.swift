import Foundation

/// Runs blocking work on a Dispatch thread and suspends until it is done. Swift's cooperative
/// pool has one thread per core (two here) and every test of a bundle shares it: a test that
/// blocks a pool thread for seconds (a child process, a semaphore, synchronous SQLite waiting on
/// a lock) stalls every other test, and their time limits fail.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

public func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}
