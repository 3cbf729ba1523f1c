import Foundation

/// Runs CPU-bound numeric work on a thread of its own, off Swift's cooperative pool: a long
/// k-means or t-SNE would otherwise hold one of a small machine's few pool threads and stall
/// every other stage running beside it.
public enum Compute {
    /// `work` gets a flag that turns true when the awaiting task is cancelled; long loops check
    /// it between iterations.
    public static func run<T: Sendable>(_ name: String = "moltscope-compute",
                                        _ work: @escaping @Sendable (CancellationFlag) throws -> T) async throws -> T {
        try await CancellationFlag.tracking { flag in
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    do { continuation.resume(returning: try work(flag)) } catch { continuation.resume(throwing: error) }
                }
                thread.name = name
                thread.stackSize = 8 << 20
                thread.start()
            }
        }
    }
}

/// Cooperative cancellation for work running on its own thread: checked between iterations.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    public func cancel() { lock.withLock { cancelled = true } }

    public var isCancelled: Bool { lock.withLock { cancelled } }

    /// Runs `body` with a flag that turns true when the calling task is cancelled: the bridge
    /// from task cancellation to loops that check a flag.
    public static func tracking<T>(_ body: (CancellationFlag) async throws -> T) async throws -> T {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await body(flag)
        } onCancel: {
            flag.cancel()
        }
    }

    /// Throws `CancellationError` once cancelled.
    public func check() throws {
        if isCancelled { throw CancellationError() }
    }
}
