import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 with an ephemeral port, keep-alive and TCP_NODELAY, one
/// thread per connection, for testing HTTP clients against real sockets. What to answer is the
/// handler's business (FakeEmbeddingServer, FakeChatServer); this only moves bytes and records
/// what came in.
final class LoopbackHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        /// Names lower-cased.
        var headers: [String: String]
        var body: Data

        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    struct Reply: Sendable {
        var status: Int = 200
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body: Data = Data()
        /// Seconds to wait before answering.
        var delay: Double = 0
        /// Close the connection instead of answering.
        var close = false
    }

    typealias Handler = @Sendable (Request) -> Reply

    let port: UInt16
    var baseURL: String { "http://127.0.0.1:\(port)" }

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
    init(name: String) throws {
        self.name = name
        let (fd, port) = try Self.bindLoopback()
        guard listen(fd, 128) == 0 else {
            close(fd)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        listener = fd
        self.port = port
    }

    /// Starts accepting; each request is answered by `handler`.
    func start(_ handler: @escaping Handler) {
        lock.withLock { self.handler = handler }
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "\(name)-accept"
        thread.start()
    }

    /// Ends the accept loop and all connections. Call it when done.
    func stop() { lock.withLock { stopped = true } }

    var requests: [Request] { lock.withLock { received } }
    var requestCount: Int { lock.withLock { received.count } }
    var acceptedConnections: Int { lock.withLock { accepted } }
    /// The most requests being answered at the same moment.
    var maxConcurrentRequests: Int { lock.withLock { mostActive } }

    /// A port with a bound, non-listening socket: connecting is refused until `close`.
    static func refusingPort() throws -> (port: UInt16, close: @Sendable () -> Void) {
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
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
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
            lock.withLock { accepted += 1 }
            let thread = Thread { [self] in serve(connection) }
            thread.name = "\(name)-connection"
            thread.start()
        }
    }

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
            defer { lock.withLock { active -= 1 } }
            let answer = handler?(request) ?? Reply(status: 503)
            if answer.close { return }
            let deadline = Date().addingTimeInterval(answer.delay)
            while Date() < deadline {
                if isStopped { return }
                usleep(10_000)
            }
            var head = "HTTP/1.1 \(answer.status) \(answer.status == 200 ? "OK" : "Error")\r\n"
            for (name, value) in answer.headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(answer.body.count)\r\n\r\n"
            guard write(fd, Data(head.utf8) + answer.body) else { return }
        }
    }

    private func write(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let sent = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

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
