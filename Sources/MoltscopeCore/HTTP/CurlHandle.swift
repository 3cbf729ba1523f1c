import CCurl
import Foundation

/// One curl easy handle inside its own multi handle, driven by one worker thread, one transfer at
/// a time.
///
/// The multi handle keeps the connection cache across transfers (keep-alive; `curl_easy_reset`
/// leaves it alone) and lets another thread interrupt the wait with `wake`, so cancellation takes
/// effect at once instead of at curl's next once-a-second progress tick while a server is silent.
final class CurlHandle: @unchecked Sendable {
    private let easy: UnsafeMutableRawPointer
    private let multi: UnsafeMutableRawPointer
    /// curl's detailed message for the last failure (e.g. "Failed to connect to ... port 9").
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let options: CurlTransferOptions

    init?(options: CurlTransferOptions) {
        guard let easy = curl_easy_init() else { return nil }
        guard let multi = curl_multi_init() else {
            curl_easy_cleanup(easy)
            return nil
        }
        self.easy = easy
        self.multi = multi
        self.options = options
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_multi_cleanup(multi)
        curl_easy_cleanup(easy)
        errorBuffer.deallocate()
    }

    /// Safe from any thread: makes the worker's current wait return so it sees a cancellation.
    func wake() {
        _ = curl_multi_wakeup(multi)
    }

    /// Runs the transfer to completion on the calling (worker) thread.
    func perform(_ transfer: CurlTransfer) -> Result<HTTPResponse, TransportError> {
        let request = transfer.request
        // The response buffer belongs to this transfer alone; curl's callbacks reach it by pointer.
        let sink = CurlResponseSink(transfer: transfer)
        defer { withExtendedLifetime(sink) {} }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        curl_easy_reset(easy)
        errorBuffer[0] = 0
        let outcome: CurlOutcome
        do {
            headerList = try configure(for: request, sink: Unmanaged.passUnretained(sink).toOpaque())
            outcome = drive(transfer)
        } catch {
            return .failure(error)
        }

        switch outcome {
        case .finished(CURLE_OK):
            return .success(HTTPResponse(status: responseCode(), headers: sink.headers,
                                         body: sink.body, url: effectiveURL() ?? request.url))
        case .finished(let code):
            if transfer.isCancelled { return .failure(transfer.cancellationError) }
            return .failure(transportError(request, reason(for: code),
                                           String(cString: curl_easy_strerror(code))))
        case .multiFailed(let code):
            if transfer.isCancelled { return .failure(transfer.cancellationError) }
            return .failure(transportError(request, .other, String(cString: curl_multi_strerror(code))))
        }
    }

    // MARK: Options

    /// Sets every per-request option; returns the header list, which must outlive the transfer.
    private func configure(for request: HTTPRequest,
                           sink: UnsafeMutableRawPointer) throws(TransportError) -> UnsafeMutablePointer<curl_slist>? {
        func set(_ code: CURLcode, _ what: String) throws(TransportError) {
            guard code == CURLE_OK else {
                throw transportError(request, .other,
                                     "cannot set \(what): \(String(cString: curl_easy_strerror(code)))")
            }
        }
        try set(ms_curl_setopt_ptr(easy, CURLOPT_URL, request.url), "URL")
        try set(ms_curl_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer")
        // Signals are unusable with many threads; curl then avoids SIGALRM-based DNS timeouts.
        try set(ms_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        try set(ms_curl_setopt_long(easy, CURLOPT_TCP_NODELAY, 1), "TCP_NODELAY")
        // Callers see 3xx: the Moltbook bare host redirects and curl would drop Authorization.
        try set(ms_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0), "FOLLOWLOCATION")
        // "" offers every encoding curl can decode (gzip, deflate, ...) and decodes the body.
        try set(ms_curl_setopt_ptr(easy, CURLOPT_ACCEPT_ENCODING, ""), "ACCEPT_ENCODING")
        try set(ms_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, milliseconds(request.timeout)), "TIMEOUT_MS")
        try set(ms_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(options.connectTimeout)),
                "CONNECTTIMEOUT_MS")
        // Only the web: never file://, ftp:// and the like from a URL found in data.
        _ = ms_curl_setopt_ptr(easy, CURLOPT_PROTOCOLS_STR, "http,https")

        try set(ms_curl_setopt_write(easy) { data, size, count, context in
            CurlResponseSink.from(context).appendBody(data, size * count)
        }, "WRITEFUNCTION")
        try set(ms_curl_setopt_ptr(easy, CURLOPT_WRITEDATA, sink), "WRITEDATA")
        try set(ms_curl_setopt_header(easy) { data, size, count, context in
            CurlResponseSink.from(context).receiveHeaderLine(data, size * count)
        }, "HEADERFUNCTION")
        try set(ms_curl_setopt_ptr(easy, CURLOPT_HEADERDATA, sink), "HEADERDATA")
        // The progress callback is the in-transfer cancellation point: non-zero aborts.
        try set(ms_curl_setopt_long(easy, CURLOPT_NOPROGRESS, 0), "NOPROGRESS")
        try set(ms_curl_setopt_xferinfo(easy) { context, _, _, _, _ in
            CurlResponseSink.from(context).transfer.isCancelled ? 1 : 0
        }, "XFERINFOFUNCTION")
        try set(ms_curl_setopt_ptr(easy, CURLOPT_XFERINFODATA, sink), "XFERINFODATA")

        if request.method == .post {
            let body = request.body ?? Data()
            try set(ms_curl_setopt_long(easy, CURLOPT_POST, 1), "POST")
            // The size first, so the copy below is binary-safe rather than strlen-based.
            try set(ms_curl_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "POSTFIELDSIZE")
            let copied = body.isEmpty
                ? ms_curl_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, "")
                : body.withUnsafeBytes { ms_curl_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
            try set(copied, "POST body")
        }

        let list = try headerList(for: request)
        try set(ms_curl_setopt_ptr(easy, CURLOPT_HTTPHEADER, list), "request headers")
        return list
    }

    private func headerList(for request: HTTPRequest) throws(TransportError) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        var hasExpect = false
        for (name, value) in request.headers {
            // A line break would smuggle in extra headers; the value itself stays out of the message.
            guard !(name + value).contains(where: { $0 == "\r" || $0 == "\n" }) else {
                curl_slist_free_all(list)
                throw transportError(request, .other, "request header \(name) contains a line break")
            }
            if name.lowercased() == "expect" { hasExpect = true }
            // curl's syntax for a header with an empty value is "Name;" ("Name:" would remove it).
            list = curl_slist_append(list, value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // No "Expect: 100-continue" round trip before larger POST bodies.
        if !hasExpect { list = curl_slist_append(list, "Expect:") }
        return list
    }

    private func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }  // 0: no limit
        return Int(min(seconds * 1000, 1e9).rounded(.up))
    }

    // MARK: Transfer loop

    private enum CurlOutcome {
        case finished(CURLcode)
        case multiFailed(CURLMcode)
    }

    private func drive(_ transfer: CurlTransfer) -> CurlOutcome {
        let added = curl_multi_add_handle(multi, easy)
        guard added == CURLM_OK else { return .multiFailed(added) }
        defer { curl_multi_remove_handle(multi, easy) }
        var running: Int32 = 1
        while running > 0 {
            if transfer.isCancelled { return .finished(CURLE_ABORTED_BY_CALLBACK) }
            let performed = curl_multi_perform(multi, &running)
            guard performed == CURLM_OK else { return .multiFailed(performed) }
            if running == 0 { break }
            // Sleeps until socket activity, curl's next timer (timeouts), or `wake`.
            let polled = curl_multi_poll(multi, nil, 0, 1000, nil)
            guard polled == CURLM_OK else { return .multiFailed(polled) }
        }
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            if message.pointee.msg == CURLMSG_DONE { return .finished(message.pointee.data.result) }
        }
        return .multiFailed(CURLM_INTERNAL_ERROR)
    }

    // MARK: Results

    private func responseCode() -> Int {
        var status = 0
        _ = ms_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return status
    }

    private func effectiveURL() -> String? {
        var url: UnsafeMutablePointer<CChar>?
        guard ms_curl_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK, let url else { return nil }
        return String(cString: url)
    }

    private func reason(for code: CURLcode) -> TransportError.Reason {
        switch code {
        case CURLE_COULDNT_CONNECT: .connectionRefused
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_PARTIAL_FILE: .truncated
        case CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_SEND_ERROR: .connectionLost
        case CURLE_COULDNT_RESOLVE_HOST: .resolve
        case CURLE_ABORTED_BY_CALLBACK: .cancelled
        default: .other
        }
    }

    /// "GET <url>: <curl's summary> (<curl's detail>)", with any credential scrubbed.
    private func transportError(_ request: HTTPRequest, _ reason: TransportError.Reason,
                                _ summary: String) -> TransportError {
        var message = "\(request.method.rawValue) \(request.url): \(summary)"
        let detail = String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines)
        if !detail.isEmpty { message += " (\(detail))" }
        return TransportError(reason: reason, url: request.url,
                              message: Self.redactingCredentials(message, of: request))
    }

    /// curl never echoes request headers in errors; this guards the invariant anyway.
    static func redactingCredentials(_ text: String, of request: HTTPRequest) -> String {
        var text = text
        for (name, value) in request.headers
        where ["authorization", "proxy-authorization"].contains(name.lowercased()) {
            // The whole value and its token alone ("Bearer <token>").
            let secrets = [value] + value.split(separator: " ").dropFirst().map(String.init)
            for secret in secrets where secret.count >= 4 {
                text = text.replacingOccurrences(of: secret, with: "<redacted>")
            }
        }
        return text
    }
}

/// Where curl's callbacks deliver one transfer's response: body bytes and the final headers.
final class CurlResponseSink {
    let transfer: CurlTransfer
    private(set) var body = Data()
    /// Lower-cased names; the last value wins. Reset at each status line, so after a
    /// `100 Continue` (or any interim response) only the final response's headers remain.
    private(set) var headers: [String: String] = [:]

    init(transfer: CurlTransfer) {
        self.transfer = transfer
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> CurlResponseSink {
        Unmanaged<CurlResponseSink>.fromOpaque(context!).takeUnretainedValue()
    }

    func appendBody(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        if let data, count > 0 { body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: count) }
        return count
    }

    func receiveHeaderLine(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return count }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            headers[name] = value
            // A size hint saves regrowing the buffer; capped, since the server may lie.
            if name == "content-length", let length = Int(value), length > 0 {
                body.reserveCapacity(min(length, 8 << 20))
            }
        }
        return count
    }
}
