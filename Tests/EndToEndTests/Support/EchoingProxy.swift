import Foundation

/// A careless server in front of the replay server and the model server (python3): it passes
/// requests on, but echoes the request's Authorization header, as badly written servers do: in a
/// `debug` field of every successful API answer, and in error bodies. Every 4th API request gets
/// a 500 (retried), post details of `permanentlyFailingPost` a 404 (recorded in `errors`), and
/// every 3rd embeddings request a 503 (retried).
final class EchoingProxy {
    private let process = Process()
    let port: Int

    static let script = #"""
        import http.server, json, socketserver, sys, threading, urllib.request, urllib.error
        api, embed, failing = sys.argv[1], sys.argv[2], sys.argv[3]
        counts, lock = {"api": 0, "embed": 0}, threading.Lock()
        def bump(kind):
            with lock:
                counts[kind] += 1
                return counts[kind]
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass
            def answer(self, status, body, ctype="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def echo(self, status):
                said = self.headers.get("Authorization", "")
                self.answer(status, json.dumps({"success": False, "error": {"message": "rejected request with Authorization: " + said},
                                                "hint": "you sent " + said}).encode())
            def echoed(self, body):
                try:
                    value = json.loads(body)
                except ValueError:
                    return body
                if not isinstance(value, dict):
                    return body
                value["debug"] = {"request_authorization": self.headers.get("Authorization", "")}
                return json.dumps(value, ensure_ascii=False).encode("utf-8")
            def forward(self, base, data=None, echo=False):
                request = urllib.request.Request(base + self.path, data=data, method=self.command,
                                                 headers={k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type", "accept")})
                try:
                    with urllib.request.urlopen(request, timeout=120) as r:
                        body = r.read()
                        self.answer(r.status, self.echoed(body) if echo else body, r.headers.get("Content-Type", "application/json"))
                except urllib.error.HTTPError as e:
                    self.answer(e.code, e.read(), e.headers.get("Content-Type", "application/json"))
            def do_GET(self):
                if self.path.startswith("/api/v1/posts/" + failing):
                    return self.echo(404)
                if bump("api") % 4 == 0:
                    return self.echo(500)
                self.forward(api, echo=True)
            def do_POST(self):
                data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if bump("embed") % 3 == 0:
                    return self.echo(503)
                self.forward(embed, data)
        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
        server = Server(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    /// `api`: e.g. http://127.0.0.1:PORT (the replay server); `embed`: the model server's origin.
    init(api: String, embed: String, permanentlyFailingPost: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, api, embed, permanentlyFailingPost]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else { throw EchoingProxyError.didNotStart }
        self.port = port
    }

    // SIGKILL: the test process may ignore SIGTERM, and children inherit that.
    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

enum EchoingProxyError: Error { case didNotStart }
