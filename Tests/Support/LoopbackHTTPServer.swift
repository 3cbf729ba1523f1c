import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 server on 127.0.0.1 (ephemeral port) for testing HTTP clients against real
/// sockets: keep-alive, TCP_NODELAY (without it each answer waits ~45 ms for Nagle), one thread
/// per connection, requests with a Content-Length body, and every request kept for the test.
///
/// The handler picks a `Behavior` per request, including the misbehaviours clients must survive:
/// a slow answer, an interim 100 before the answer, a connection closed without an answer, a body
/// shorter than its Content-Length. Model-server doubles answer with the simpler `Reply`.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Names lower-cased.
        public var headers: [String: String]
        public var body: Data

        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: Data

        public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: Data = Data()) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public init(status: Int = 200, contentType: String = "text/plain", text: String) {
            self.init(status: status, headers: [("Content-Type", contentType)], body: Data(text.utf8))
        }
    }

    public enum Behavior: Sendable {
        case respond(Response)
        /// Waits (interruptibly, by `stop`) before answering.
        case respondAfter(seconds: Double, Response)
        /// Sends an interim "100 Continue" carrying a header before the real answer.
        case respondAfterInterim(Response)
        /// Reads the request, then closes the connection without a byte.
        case closeWithoutAnswer
        /// Declares `declaredLength` in Content-Length, sends the shorter body, then closes.
        case truncate(Response, declaredLength: Int)
    }

    /// A JSON answer, possibly late or replaced by a closed connection: what model-server doubles need.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data
        /// Seconds to wait before answering.
        public var delay: Double
        /// Close the connection instead of answering.
        public var close: Bool

        public init(status: Int = 200, headers: [(String, String)] = [("Content-Type", "application/json")],
                    body: Data = Data(), delay: Double = 0, close: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.close = close
        }

        public var behavior: Behavior {
            if close { return .closeWithoutAnswer }
            let response = Response(status: status, headers: headers.map { (name: $0.0, value: $0.1) }, body: body)
            return delay > 0 ? .respondAfter(seconds: delay, response) : .respond(response)
        }
    }

    public typealias Handler = @Sendable (Request) -> Behavior

    public let port: UInt16
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let listener: Int32
    private let name: String
    // Guarded by `lock`.
    private let lock = NSLock()
    private var handler: Handler?
    private var stopped = false
    private var received: [Request] = []
    private var accepted = 0
    private var active = 0
    private var mostActive = 0

    /// Binds and listens; connections wait in the backlog until `start`.
    public init(name: String) throws {
        self.name = name
        let (fd, port) = try Self.bindLoopback()
        guard listen(fd, 128) == 0 else {
            close(fd)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        listener = fd
        self.port = port
    }

    /// Binds, listens and starts answering with `handler`.
    public convenience init(name: String = "test-http", handler: @escaping Handler) throws {
        try self.init(name: name)
        start(handler)
    }

    /// Starts accepting; each request is answered as `handler` says.
    public func start(_ handler: @escaping Handler) {
        lock.withLock { self.handler = handler }
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "\(name)-accept"
        thread.start()
    }

    /// Starts accepting; each request gets the `Reply` of `replying`.
    public func start(replying: @escaping @Sendable (Request) -> Reply) {
        start { replying($0).behavior }
    }

    /// Ends the accept loop and every connection; their threads close their own sockets.
    /// Call it when done: the threads keep the server alive until then.
    public func stop() { lock.withLock { stopped = true } }

    public var requests: [Request] { lock.withLock { received } }
    public var requestCount: Int { lock.withLock { received.count } }
    /// Connections accepted so far: with keep-alive, far fewer than requests.
    public var acceptedConnections: Int { lock.withLock { accepted } }
    /// The most requests being answered at the same moment.
    public var maxConcurrentRequests: Int { lock.withLock { mostActive } }

    /// A port with a socket bound but not listening: connecting to it is refused, and the port
    /// cannot be handed to anyone else while `close` has not been called.
    public static func refusingPort() throws -> (port: UInt16, close: @Sendable () -> Void) {
        let (fd, port) = try bindLoopback()
        return (port, { _ = close(fd) })
    }

    // MARK: Sockets

    private var isStopped: Bool { lock.withLock { stopped } }

    private static func bindLoopback() throws -> (fd: Int32, port: UInt16) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0  // ephemeral
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(fd)
            throw POSIXError(.init(rawValue: code) ?? .EIO)
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// Waits up to 50 ms for `fd` to become readable, so loops can notice `stop`.
    private func readable(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 50) > 0
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !isStopped {
            guard readable(listener) else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            var yes: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            #if canImport(Darwin)
            setsockopt(connection, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
            #endif
            lock.withLock { accepted += 1 }
            let thread = Thread { [self] in serve(connection) }
            thread.name = "\(name)-connection"
            thread.start()
        }
    }

    // MARK: One connection

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer = [UInt8]()
        while let request = readRequest(fd, &buffer) {
            let handler = lock.withLock {
                received.append(request)
                active += 1
                mostActive = max(mostActive, active)
                return self.handler
            }
            let keepOpen = answer(handler?(request) ?? .respond(Response(status: 503)), on: fd)
            lock.withLock { active -= 1 }
            if !keepOpen || request.headers["connection"]?.lowercased() == "close" { return }
        }
    }

    /// Writes the answer; false when the connection must close afterwards.
    private func answer(_ behavior: Behavior, on fd: Int32) -> Bool {
        switch behavior {
        case .respond(let response):
            return write(fd, head(response, contentLength: response.body.count) + response.body)
        case .respondAfter(let seconds, let response):
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if isStopped { return false }
                usleep(10_000)
            }
            return write(fd, head(response, contentLength: response.body.count) + response.body)
        case .respondAfterInterim(let response):
            let interim = Data("HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n".utf8)
            return write(fd, interim + head(response, contentLength: response.body.count) + response.body)
        case .closeWithoutAnswer:
            return false
        case .truncate(let response, let declaredLength):
            _ = write(fd, head(response, contentLength: declaredLength) + response.body)
            return false
        }
    }

    private func head(_ response: Response, contentLength: Int) -> Data {
        var text = "HTTP/1.1 \(response.status) \(Self.reasonPhrase(response.status))\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(contentLength)\r\n\r\n"
        return Data(text.utf8)
    }

    private static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 301: "Moved Permanently"
        case 404: "Not Found"
        case 500: "Internal Server Error"
        default: "Status"
        }
    }

    private func write(_ fd: Int32, _ data: Data) -> Bool {
        #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)  // the client may have gone: no SIGPIPE
        #else
        let flags: Int32 = 0  // SO_NOSIGPIPE is set on the socket
        #endif
        return data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let sent = send(fd, bytes.baseAddress! + offset, bytes.count - offset, flags)
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    /// Reads one request (head and Content-Length body); nil at end of stream or on `stop`.
    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> Request? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            headEnd = buffer.firstRange(of: separator)?.lowerBound
            if headEnd != nil { break }
            guard receive(fd, into: &buffer) else { return nil }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: buffer[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let bodyStart = headEnd + separator.count
        let bodyLength = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < bodyStart + bodyLength {
            guard receive(fd, into: &buffer) else { return nil }
        }
        let body = Data(buffer[bodyStart..<(bodyStart + bodyLength)])
        buffer.removeFirst(bodyStart + bodyLength)
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    /// Appends what the socket has; false at end of stream, on error, or on `stop`.
    private func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        while !readable(fd) {
            if isStopped { return false }
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }
}
