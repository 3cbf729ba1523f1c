/// One HTTP/1.x request as the local servers need it: the head, and the body when one was sent.
struct ReplayRequest: Sendable {
    let method: String
    /// The request target as sent, e.g. `/api/v1/posts?sort=new&limit=5`.
    let target: String
    /// The decoded path, e.g. `/api/v1/posts`.
    let path: String
    let query: [String: String]
    /// Header names lower-cased.
    let headers: [String: String]
    let isHTTP10: Bool
    /// The request body (Content-Length bytes; empty for GET).
    var body: [UInt8] = []

    /// HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 only when asked to keep it.
    var keepAlive: Bool {
        let connection = headers["connection"]?.lowercased() ?? ""
        return isHTTP10 ? connection.contains("keep-alive") : !connection.contains("close")
    }

    var contentLength: Int { max(0, headers["content-length"].flatMap { Int($0.trimmed) } ?? 0) }

    /// Parses the head (request line and headers, without the blank line). Nil when malformed.
    init?(head: ArraySlice<UInt8>) {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else { return nil }
        method = String(requestLine[0])
        target = String(requestLine[1])
        isHTTP10 = requestLine[2] == "HTTP/1.0"
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmed
        }
        self.headers = headers
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = Self.percentDecoded(parts.first.map(String.init) ?? "", plusIsSpace: false)
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = Self.percentDecoded(String(keyValue[0]), plusIsSpace: true)
                query[key] = keyValue.count == 2 ? Self.percentDecoded(String(keyValue[1]), plusIsSpace: true) : ""
            }
        }
        self.query = query
    }

    /// `%XX` escapes decoded as UTF-8 (invalid escapes kept as written).
    static func percentDecoded(_ text: String, plusIsSpace: Bool) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return text
        }
        let utf8 = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
               let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
                continue
            }
            bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension StringProtocol {
    var trimmed: String {
        var slice = Substring(self)
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
