import Foundation

/// The open client connections, so that stopping the server can wake and end every one.
/// A descriptor is closed only here, under the lock, so a shutdown never hits a reused number.
final class ConnectionRegistry: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var open: Set<Int32> = []
    private var stopping = false

    var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    /// False (and the caller must close `fd`) once stopping began.
    func register(_ fd: Int32) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        open.insert(fd)
        return true
    }

    func closeAndRemove(_ fd: Int32) {
        condition.lock()
        defer { condition.unlock() }
        open.remove(fd)
        Socket.closeSocket(fd)
        condition.broadcast()
    }

    /// Refuses new connections and wakes every thread blocked on one.
    func beginStopping() {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        for fd in open { Socket.shutdownBoth(fd) }
    }

    /// Waits for the connection threads to finish, at most `seconds`.
    func waitUntilEmpty(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while !open.isEmpty {
            if !condition.wait(until: deadline) { return }
        }
    }
}
