import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A local embeddings server (OpenAI-compatible `/v1/embeddings` and Ollama `/api/embed`) on
/// 127.0.0.1 with an ephemeral port, keep-alive and TCP_NODELAY, for testing backends.
///
/// Vectors are deterministic: `FakeEmbeddingServer.vector(for:)`. Each request is answered by the
/// next entry of `plan` (then by `defaultMode`), so a test can script "500, then fine".
/// Everything is nested here: this test target is shared, and other suites have their own helpers.
final class FakeEmbeddingServer: @unchecked Sendable {
    enum Mode: Sendable, Equatable {
        case normal
        /// Answers normally after this many seconds.
        case slow(Double)
        /// This status with an OpenAI-style JSON error body (that echoes the Authorization header,
        /// to prove clients keep the token out of messages).
        case status(Int)
        /// 429 with `Retry-After: seconds`.
        case tooManyRequests(retryAfter: Int)
        /// Vectors of `dimension + 3` numbers.
        case wrongDimension
        /// One vector fewer than texts.
        case wrongCount
        /// A valid start of JSON, cut in the middle (a dropped body).
        case malformedJSON
        /// A 200 HTML page.
        case html
        /// `data` in reverse order, with correct `index` fields.
        case shuffled
        /// Embeddings as base64 float32 strings.
        case base64
        /// Python's json.dumps of a NaN.
        case nonFinite
        /// Vectors of different lengths in one answer.
        case mixedDimensions
        /// Reads the request, closes the connection.
        case closeWithoutAnswer
    }

    struct Request: Sendable {
        var method: String
        var path: String
        /// Names lower-cased.
        var headers: [String: String]
        var body: Data

        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        var inputs: [String] { json?["input"] as? [String] ?? [] }
    }

    let port: UInt16
    let dimension: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    var openAIURL: String { baseURL + "/v1/embeddings" }
    var ollamaURL: String { baseURL + "/api/embed" }

    private let listener: Int32
    // Guarded by `lock`.
    private let lock = NSLock()
    private var stopped = false
    private var plan: [Mode] = []
    private var fallback: Mode = .normal
    private var received: [Request] = []
    private var accepted = 0

    init(dimension: Int = 8) throws {
        self.dimension = dimension
        let (fd, port) = try Self.bindLoopback()
        guard listen(fd, 128) == 0 else {
            close(fd)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        listener = fd
        self.port = port
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "fake-embedding-accept"
        thread.start()
    }

    /// Ends the accept loop and all connections. Call it when done.
    func stop() { lock.withLock { stopped = true } }

    /// Answers the next requests with these modes, in order, then with `defaultMode`.
    func script(_ modes: [Mode]) { lock.withLock { plan = modes } }
    var defaultMode: Mode {
        get { lock.withLock { fallback } }
        set { lock.withLock { fallback = newValue } }
    }

    var requests: [Request] { lock.withLock { received } }
    var requestCount: Int { lock.withLock { received.count } }
    var acceptedConnections: Int { lock.withLock { accepted } }

    /// The vector the server gives `text`: a hash spread over `dimension` numbers in [-1, 1].
    static func vector(for text: String, dimension: Int = 8) -> [Float] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return (0..<dimension).map { index in
            var x = hash &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            x ^= x >> 31
            return Float(Int(x % 20001) - 10000) / 10000
        }
    }

    /// A port with a bound, non-listening socket: connecting is refused until `close`.
    static func refusingPort() throws -> (port: UInt16, close: @Sendable () -> Void) {
        let (fd, port) = try bindLoopback()
        return (port, { _ = close(fd) })
    }

    // MARK: Answers

    private struct Reply {
        var status: Int = 200
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body: Data = Data()
        var delay: Double = 0
        var close = false
    }

    private func nextMode() -> Mode {
        lock.withLock { plan.isEmpty ? fallback : plan.removeFirst() }
    }

    private func reply(to request: Request) -> Reply {
        let mode = nextMode()
        let ollama = request.path.hasPrefix("/api/")
        let texts = request.inputs
        var vectors = texts.map { Self.vector(for: $0, dimension: dimension) }
        switch mode {
        case .normal, .slow, .shuffled, .base64:
            break
        case .status(let code):
            let echoed = request.headers["authorization"] ?? "none"
            let body = ollama ? #"{"error":"model \"x\" not found, try pulling it first (\#(echoed))"}"#
                : #"{"error":{"message":"failure \#(code) for \#(echoed)","type":"server_error"}}"#
            return Reply(status: code, body: Data(body.utf8))
        case .tooManyRequests(let seconds):
            return Reply(status: 429, headers: [("Content-Type", "application/json"), ("Retry-After", "\(seconds)")],
                         body: Data(#"{"error":{"message":"slow down"}}"#.utf8))
        case .wrongDimension:
            vectors = texts.map { Self.vector(for: $0, dimension: dimension + 3) }
        case .wrongCount:
            vectors = Array(vectors.dropLast())
        case .mixedDimensions:
            if !vectors.isEmpty { vectors[0].append(0.5) }
        case .malformedJSON:
            let full = render(vectors, ollama: ollama, mode: .normal)
            return Reply(body: full.prefix(full.count / 2))
        case .html:
            return Reply(headers: [("Content-Type", "text/html; charset=utf-8")],
                         body: Data("<!DOCTYPE html><html><body>Welcome to the dashboard</body></html>".utf8))
        case .nonFinite:
            // The first number of the first vector becomes NaN.
            var text = Array(String(decoding: render(vectors, ollama: ollama, mode: .normal), as: UTF8.self))
            if let open = text.indices.first(where: { text[$0] == "[" && text.indices.contains($0 + 1)
                                                    && (text[$0 + 1] == "-" || text[$0 + 1].isNumber) }),
               let end = text[(open + 1)...].firstIndex(where: { $0 == "," || $0 == "]" }) {
                text.replaceSubrange((open + 1)..<end, with: Array("NaN"))
            }
            let body = String(text)
            return Reply(body: Data(body.utf8))
        case .closeWithoutAnswer:
            return Reply(close: true)
        }
        var answer = Reply(body: render(vectors, ollama: ollama, mode: mode))
        if case .slow(let seconds) = mode { answer.delay = seconds }
        return answer
    }

    private func render(_ vectors: [[Float]], ollama: Bool, mode: Mode) -> Data {
        func numbers(_ vector: [Float]) -> String { "[" + vector.map { "\($0)" }.joined(separator: ", ") + "]" }
        if ollama {
            let list = vectors.map(numbers).joined(separator: ",")
            return Data(#"{"model":"fake","embeddings":[\#(list)],"total_duration":1234}"#.utf8)
        }
        var items = vectors.enumerated().map { index, vector -> String in
            let embedding: String
            if mode == .base64 {
                var data = Data()
                for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
                embedding = "\"\(data.base64EncodedString())\""
            } else {
                embedding = numbers(vector)
            }
            return #"{"object":"embedding","index":\#(index),"embedding":\#(embedding)}"#
        }
        if mode == .shuffled { items.reverse() }
        let body = #"{"object":"list","data":[\#(items.joined(separator: ","))],"model":"fake","usage":{"prompt_tokens":3,"total_tokens":3}}"#
        return Data(body.utf8)
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
            thread.name = "fake-embedding-connection"
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer = [UInt8]()
        while let request = readRequest(fd, &buffer) {
            lock.withLock { received.append(request) }
            let answer = reply(to: request)
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
