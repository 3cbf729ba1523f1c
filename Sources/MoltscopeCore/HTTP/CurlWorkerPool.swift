import Foundation

/// A FIFO of transfers served by a fixed set of threads, each owning one `CurlHandle`.
///
/// Threads, not tasks: curl blocks, and blocking a cooperative-pool thread would stall unrelated
/// Swift tasks. A fixed pool bounds both concurrency and the number of open connections.
final class CurlWorkerPool: @unchecked Sendable {
    // `queue` and `stopping` are guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [CurlTransfer] = []
    private var head = 0
    private var stopping = false

    init(workers: Int, options: CurlTransferOptions) {
        for index in 0..<workers {
            let thread = Thread { [self] in
                // The handle is created and freed on its own thread; only `wake` crosses over.
                guard let handle = CurlHandle(options: options) else {
                    self.failWorker()
                    return
                }
                while let transfer = self.next() {
                    guard transfer.start(on: handle) else { continue }  // cancelled while queued
                    transfer.finish(handle.perform(transfer))
                }
            }
            thread.name = "moltscope-curl-\(index)"
            thread.start()
        }
    }

    func enqueue(_ transfer: CurlTransfer) {
        condition.withLock {
            queue.append(transfer)
            condition.signal()
        }
    }

    /// Lets the workers finish once the queue is empty; they free their handles on the way out.
    func shutdown() {
        condition.withLock {
            stopping = true
            condition.broadcast()
        }
    }

    /// Blocks the worker until there is a transfer, or returns nil when the pool shuts down.
    private func next() -> CurlTransfer? {
        condition.withLock {
            while head == queue.count && !stopping { condition.wait() }
            guard head < queue.count else { return nil }
            let transfer = queue[head]
            head += 1
            // Compact now and then so the array does not grow with the pool's lifetime.
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64 && head * 2 >= queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return transfer
        }
    }

    /// A worker without a curl handle answers everything it takes with an error.
    private func failWorker() {
        while let transfer = next() {
            guard transfer.start(on: nil) else { continue }
            let request = transfer.request
            transfer.finish(.failure(TransportError(
                reason: .other, url: request.url,
                message: "\(request.method.rawValue) \(request.url): libcurl could not create a handle")))
        }
    }
}
