import Foundation
import MoltscopeCore

/// A small HTTP/1.1 server on 127.0.0.1: one accept thread and one thread per connection
/// (plain threads, so blocking socket calls never stall Swift's cooperative pool).
final class HTTPServer: @unchecked Sendable {
    typealias Handler = @Sendable (ReplayRequest) -> ReplayOutcome

    /// An idle keep-alive connection is closed after this long.
    static let idleSeconds = 60
    private static let maxHeadBytes = 64 * 1024
    /// A larger request body is refused rather than buffered.
    private let maxBodyBytes: Int

    private let handler: Handler
    private let connections = ConnectionRegistry()
    private let acceptLoopDone = DispatchSemaphore(value: 0)
    // Set once by `start`.
    private var listener: Int32 = -1

    init(maxBodyBytes: Int = 1 << 20, handler: @escaping Handler) {
        self.maxBodyBytes = maxBodyBytes
        self.handler = handler
    }

    /// Binds and starts accepting; returns the bound port.
    func start(port: Int) throws -> Int {
        let (fd, boundPort) = try Socket.listenOnLoopback(port: port)
        listener = fd
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "replay-accept"
        thread.start()
        return boundPort
    }

    /// Stops accepting, ends every connection and waits (briefly) for their threads.
    func stop() {
        guard listener >= 0 else { return }
        connections.beginStopping()
        acceptLoopDone.wait()
        connections.waitUntilEmpty(seconds: 3)
    }

    var isStopping: Bool { connections.isStopping }

    private func acceptLoop(_ listener: Int32) {
        defer {
            Socket.closeSocket(listener)
            acceptLoopDone.signal()
        }
        while !connections.isStopping {
            // Poll with a timeout so that a stop is noticed without closing the socket under us.
            guard Socket.waitReadable(listener, milliseconds: 100), let fd = Socket.acceptConnection(listener) else {
                continue
            }
            guard connections.register(fd) else {
                Socket.closeSocket(fd)
                break
            }
            Socket.configureAccepted(fd, idleSeconds: Self.idleSeconds)
            let thread = Thread { [self] in
                serve(fd)
                connections.closeAndRemove(fd)
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Answers requests on one connection until the client closes or stops keeping it alive.
    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        var searchedUpTo = 0
        while !connections.isStopping {
            guard let headEnd = Self.endOfHead(buffer, from: searchedUpTo) else {
                if buffer.count > Self.maxHeadBytes {
                    _ = send(ReplayResponse(status: 431, json: .object([])), fd, keepAlive: false)
                    return
                }
                searchedUpTo = max(0, buffer.count - 3)
                guard Socket.receive(fd, into: &buffer) > 0 else { return }
                continue
            }
            searchedUpTo = 0
            guard var request = ReplayRequest(head: buffer[..<headEnd]) else {
                _ = send(ReplayResponse(status: 400, contentType: "text/plain", body: Array("bad request\n".utf8)),
                         fd, keepAlive: false)
                return
            }
            guard request.contentLength <= maxBodyBytes else {
                _ = send(ReplayResponse(status: 413, contentType: "text/plain", body: Array("body too large\n".utf8)),
                         fd, keepAlive: false)
                return
            }
            let consumed = headEnd + 4 + request.contentLength
            while buffer.count < consumed {
                guard Socket.receive(fd, into: &buffer) > 0 else { return }
            }
            request.body = Array(buffer[(headEnd + 4)..<consumed])
            buffer.removeFirst(consumed)

            let outcome = handler(request)
            if outcome.delayMilliseconds > 0 { sleep(milliseconds: outcome.delayMilliseconds) }
            switch outcome.delivery {
            case .drop:
                return
            case .truncated:
                let response = outcome.response
                _ = Socket.sendAll(fd, response.head(keepAlive: false)[...])
                    && Socket.sendAll(fd, response.body[..<(response.body.count / 2)])
                return
            case .whole:
                let keepAlive = request.keepAlive
                guard send(outcome.response, fd, keepAlive: keepAlive), keepAlive else { return }
            }
        }
    }

    private func send(_ response: ReplayResponse, _ fd: Int32, keepAlive: Bool) -> Bool {
        var head = response.head(keepAlive: keepAlive)
        // One write for small answers (one packet); large bodies go straight from their buffer.
        if response.body.count <= 64 * 1024 {
            head.append(contentsOf: response.body)
            return Socket.sendAll(fd, head[...])
        }
        return Socket.sendAll(fd, head[...]) && Socket.sendAll(fd, response.body[...])
    }

    /// Sleeps in short steps so that stopping the server is not held up by a slow answer.
    private func sleep(milliseconds: Int) {
        let deadline = Date().addingTimeInterval(Double(milliseconds) / 1000)
        while !connections.isStopping, Date() < deadline {
            Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow)))
        }
    }

    /// Index of the `\r\n\r\n` ending a request head, searching from `start`.
    private static func endOfHead(_ buffer: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= 4 else { return nil }
        var index = start
        while index + 3 < buffer.count {
            if buffer[index] == 0x0D, buffer[index + 1] == 0x0A, buffer[index + 2] == 0x0D, buffer[index + 3] == 0x0A {
                return index
            }
            index += 1
        }
        return nil
    }
}
