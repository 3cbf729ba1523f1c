import CCurl
import Foundation

/// The production `HTTPClient`: libcurl on a fixed pool of dedicated threads.
///
/// Transfers never run on Swift's cooperative pool: each of the `maxConcurrentRequests` worker
/// threads owns one curl handle (so keep-alive connections are reused) and blocks in curl, while
/// `send` suspends on a continuation. Requests beyond the pool size wait in a FIFO queue.
/// Cancelling the calling task aborts the transfer at once, or answers it at once if still queued.
public final class CurlHTTPClient: HTTPClient, Sendable {
    private let pool: CurlWorkerPool

    /// - Parameters:
    ///   - maxConcurrentRequests: worker threads, hence transfers in flight and open connections.
    ///   - connectTimeout: seconds allowed to establish a connection (TCP and TLS).
    public init(maxConcurrentRequests: Int = 4, connectTimeout: Double = 10) {
        CurlGlobal.initialize()
        pool = CurlWorkerPool(workers: max(1, maxConcurrentRequests),
                              options: CurlTransferOptions(connectTimeout: connectTimeout))
    }

    deinit {
        // No send is in flight (each holds `self`), so the workers are idle: let them go.
        pool.shutdown()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard CurlGlobal.initialize() else {
            throw TransportError(reason: .other, url: request.url,
                                 message: "\(request.method.rawValue) \(request.url): libcurl failed to initialize")
        }
        let transfer = CurlTransfer(request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if transfer.attach(continuation) { pool.enqueue(transfer) }
            }
        } onCancel: {
            transfer.cancel()
        }
    }
}

/// Process-wide libcurl setup, done exactly once before the first handle exists.
enum CurlGlobal {
    private static let succeeded: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    @discardableResult
    static func initialize() -> Bool { succeeded }
}

/// What every transfer of one client shares.
struct CurlTransferOptions: Sendable {
    var connectTimeout: Double
}

/// One request's trip from `send` to a worker thread and back.
///
/// The continuation is resumed exactly once: by the worker with the outcome, or by `cancel` when
/// the request never left the queue. A worker that picks a cancelled transfer skips it.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest

    // All mutable state below is guarded by `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPResponse, any Error>?
    private var cancelled = false
    private var started = false
    /// The handle performing the transfer, woken on cancellation so it notices at once.
    private var worker: CurlHandle?

    init(request: HTTPRequest) {
        self.request = request
    }

    /// Read by the worker's transfer loop and progress callback.
    var isCancelled: Bool { lock.withLock { cancelled } }

    /// Stores the continuation; when the task was cancelled already, resumes it and returns false.
    func attach(_ continuation: CheckedContinuation<HTTPResponse, any Error>) -> Bool {
        let alreadyCancelled = lock.withLock {
            if !cancelled { self.continuation = continuation }
            return cancelled
        }
        if alreadyCancelled { continuation.resume(throwing: cancellationError) }
        return !alreadyCancelled
    }

    /// A worker claims the transfer; false when it was cancelled while queued (already answered).
    func start(on worker: CurlHandle?) -> Bool {
        lock.withLock {
            guard !cancelled, continuation != nil else { return false }
            started = true
            self.worker = worker
            return true
        }
    }

    func cancel() {
        let (queued, running) = lock.withLock { () -> (CheckedContinuation<HTTPResponse, any Error>?, CurlHandle?) in
            cancelled = true
            // Not picked up yet: answer now rather than when a worker gets to it.
            if !started, let pending = continuation {
                continuation = nil
                return (pending, nil)
            }
            return (nil, worker)
        }
        queued?.resume(throwing: cancellationError)
        running?.wake()
    }

    func finish(_ result: Result<HTTPResponse, TransportError>) {
        let pending = lock.withLock { () -> CheckedContinuation<HTTPResponse, any Error>? in
            defer { continuation = nil; worker = nil }
            return continuation
        }
        pending?.resume(with: result.mapError { $0 as any Error })
    }

    var cancellationError: TransportError {
        TransportError(reason: .cancelled, url: request.url,
                       message: "\(request.method.rawValue) \(request.url): cancelled")
    }
}
