#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A response as the test client read it.
struct TestResponse {
    var status: Int
    /// Header names lower-cased.
    var headers: [String: String]
    var body: Data

    var contentType: String { headers["content-type"] ?? "" }

    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw TestClientError.notAnObject(String(decoding: body.prefix(200), as: UTF8.self))
        }
        return object
    }
}

enum TestClientError: Error, Equatable {
    case cannotConnect(Int32)
    /// The server closed the connection before a response began.
    case closedWithoutResponse
    /// The server closed the connection before the whole body came.
    case truncated(expected: Int, received: Int)
    case malformed(String)
    case notAnObject(String)
}

/// A tiny blocking HTTP/1.1 client over one socket (URLSession is not usable on Linux here):
/// keeps the connection open between requests, so keep-alive can be tested.
final class TestHTTPConnection {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeoutSeconds: Int = 10) throws {
        #if canImport(Darwin)
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw TestClientError.cannotConnect(code)
        }
    }

    deinit { close(fd) }

    func get(_ target: String, headers: [String: String] = [:]) throws -> TestResponse {
        try sendRequest(target, headers: headers)
        return try readResponse()
    }

    func sendRequest(_ target: String, headers: [String: String] = [:], version: String = "HTTP/1.1") throws {
        var text = "GET \(target) \(version)\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        try sendRaw(text)
    }

    func sendRaw(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw TestClientError.closedWithoutResponse }
            sent += count
        }
    }

    func readResponse() throws -> TestResponse {
        guard let headEnd = try readUntilHeadEnd() else { throw TestClientError.closedWithoutResponse }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw TestClientError.malformed(head) }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let length = headers["content-length"].flatMap({ Int($0) }) else { throw TestClientError.malformed(head) }
        while buffer.count < length {
            guard receive() > 0 else { throw TestClientError.truncated(expected: length, received: buffer.count) }
        }
        let body = Data(buffer[..<length])
        buffer.removeFirst(length)
        return TestResponse(status: status, headers: headers, body: body)
    }

    /// True when the server closed the connection (reading gives end of stream).
    func isClosedByServer() -> Bool {
        buffer.isEmpty && receive() == 0
    }

    private func readUntilHeadEnd() throws -> Int? {
        var searchFrom = 0
        while true {
            if buffer.count >= 4 {
                for index in searchFrom...(buffer.count - 4)
                where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                    return index
                }
                searchFrom = buffer.count - 3
            }
            guard receive() > 0 else { return nil }
        }
    }

    private func receive() -> Int {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 { buffer.append(contentsOf: chunk[..<count]) }
        return count
    }
}

extension TestHTTPConnection {
    /// One request on a fresh connection.
    static func get(port: Int, _ target: String, headers: [String: String] = [:]) throws -> TestResponse {
        try TestHTTPConnection(port: port).get(target, headers: headers)
    }
}
