import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 (ephemeral port) for exercising HTTP clients.
///
/// One thread per connection, keep-alive, requests with a Content-Length body. The handler picks
/// a `Behavior` per request, including the misbehaviours clients must survive: a slow answer, a
/// connection closed without an answer, a body shorter than its Content-Length.
final class TestHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        /// Names lower-cased.
        var headers: [String: String]
        var body: Data
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: Data

        init(status: Int = 200, headers: [(name: String, value: String)] = [], body: Data = Data()) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        init(status: Int = 200, contentType: String = "text/plain", text: String) {
            self.init(status: status, headers: [("Content-Type", contentType)], body: Data(text.utf8))
        }
    }

    enum Behavior: Sendable {
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

    typealias Handler = @Sendable (Request) -> Behavior

    let port: UInt16
    var baseURL: String { "http://127.0.0.1:\(port)" }

    private let handler: Handler
    private let listener: Int32
    // Guarded by `lock`.
    private let lock = NSLock()
    private var stopped = false
    private var accepted = 0
    private var inFlight = 0
    private var peakInFlight = 0

    /// Connections accepted so far: with keep-alive, far fewer than requests.
    var acceptedConnections: Int { lock.withLock { accepted } }
    /// The most requests the server was handling at one time.
    var peakConcurrentRequests: Int { lock.withLock { peakInFlight } }
    private var isStopped: Bool { lock.withLock { stopped } }

    init(handler: @escaping Handler) throws {
        self.handler = handler
        let (fd, port) = try Self.bindLoopback()
        guard listen(fd, 128) == 0 else {
            close(fd)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        listener = fd
        self.port = port
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "test-http-accept"
        thread.start()
    }

    /// Ends the accept loop and every connection; their threads close their own sockets.
    /// Call it when done: the threads keep the server alive until then.
    func stop() {
        lock.withLock { stopped = true }
    }

    /// A port with a socket bound but not listening: connecting to it is refused, and the port
    /// cannot be handed to anyone else while `close` has not been called.
    static func refusingPort() throws -> (port: UInt16, close: @Sendable () -> Void) {
        let (fd, port) = try bindLoopback()
        return (port, { _ = close(fd) })
    }

    // MARK: Sockets

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
            thread.name = "test-http-connection"
            thread.start()
        }
    }

    // MARK: One connection

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer = [UInt8]()
        while let request = readRequest(fd, &buffer) {
            lock.withLock {
                inFlight += 1
                peakInFlight = max(peakInFlight, inFlight)
            }
            let keepOpen = answer(handler(request), on: fd)
            lock.withLock { inFlight -= 1 }
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
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        let bodyStart = headEnd + separator.count
        let bodyLength = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < bodyStart + bodyLength {
            guard receive(fd, into: &buffer) else { return nil }
        }
        let body = Data(buffer[bodyStart..<(bodyStart + bodyLength)])
        buffer.removeFirst(bodyStart + bodyLength)
        return Request(method: String(requestLine[0]), path: String(requestLine[1]),
                       headers: headers, body: body)
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
