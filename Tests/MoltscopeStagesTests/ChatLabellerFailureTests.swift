import Foundation
import MoltscopeCore
import MoltscopeTestSupport
import Testing
@testable import MoltscopeStages

/// No token, no line break, the URL (without credentials) named, a remedy.
private func checkUserFacing(_ error: MoltscopeError, url: String, mentions setting: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
    let line = error.description
    #expect(!line.contains(chatSecret), "the token leaked: \(line)", sourceLocation: sourceLocation)
    #expect(!line.contains("\n"), sourceLocation: sourceLocation)
    #expect(line.contains(url), "\(line)", sourceLocation: sourceLocation)
    #expect(line.contains(setting), "\(line)", sourceLocation: sourceLocation)
}

@Suite("ChatLabeller: invalid answers, refusals and server errors")
struct ChatLabellerFailureTests {
    static let invalidModes: [FakeChatServer.Mode] = [.malformedJSON, .truncated, .missingRef, .duplicateRef, .unknownRef,
                                                     .outOfRange, .extraKey, .wrongType, .extraLabel]

    @Test(arguments: invalidModes)
    func invalidAnswersAreRetriedThenRecordedNeverGuessed(_ mode: FakeChatServer.Mode) async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = mode
        let inputs = [chatSample[0], chatSample[1]]
        let outcomes = try await chatLabeller(chatSettings(server)).label(inputs)
        #expect(outcomes.count == 2)
        #expect(outcomes.allSatisfy { $0.labels == nil }, "\(mode) yielded a label: \(outcomes)")
        for outcome in outcomes {
            let reason = try #require(outcome.failure)
            #expect(reason.hasPrefix("invalid answer after 3 attempts: "), "\(reason)")
            #expect(!reason.contains("\n"))
        }
        // The batch three times, then each document alone three times.
        #expect(server.requestCount == 3 + 2 * 3, "\(mode)")
    }

    @Test func truncationNamesMaxTokens() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = .truncated
        let outcomes = try await chatLabeller(chatSettings(server, maxAttempts: 1)).label([chatSample[0]])
        #expect(outcomes.first?.failure?.contains("toxicity_label.llm.max_tokens") == true, "\(outcomes)")
    }

    @Test func anInvalidAnswerThenAValidOne() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.script([.outOfRange, .duplicateRef])
        #expect(try await chatLabeller(chatSettings(server)).label(chatSample) == expectedOutcomes(chatSample))
        #expect(server.requestCount == 3)
    }

    @Test(arguments: [FakeChatServer.Mode.prose, .refusalField, .contentFilter])
    func refusalsAreRetriedOnceThenRecorded(_ mode: FakeChatServer.Mode) async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = mode
        let outcomes = try await chatLabeller(chatSettings(server, maxAttempts: 5)).label([chatSample[0]])
        let reason = try #require(outcomes.first?.failure)
        #expect(reason.hasPrefix("refused"), "\(reason)")
        #expect(server.requestCount == 2)
    }

    @Test func aRefusalThenAnAnswer() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.script([.refusalField])
        #expect(try await chatLabeller(chatSettings(server)).label(chatSample) == expectedOutcomes(chatSample))
        #expect(server.requestCount == 2)
    }

    @Test func fallbackToSingleDocumentsIsolatesAPoisonedOne() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        var inputs = chatSample
        inputs.insert(chatPost("hello, this one is POISON for any parser"), at: 2)
        let outcomes = try await chatLabeller(chatSettings(server)).label(inputs)
        for (index, outcome) in outcomes.enumerated() where index != 2 {
            #expect(outcome == expectedOutcomes([inputs[index]])[0])
        }
        #expect(outcomes[2].labels == nil)
        #expect(outcomes[2].failure == "invalid answer after 3 attempts: labels[0].toxicity 9 is out of range 0..4")
        // Batch x3, five good documents x1, the poisoned one x3.
        #expect(server.requestCount == 3 + 5 + 3)
    }

    @Test func fallbackIsolatesADocumentTheModelRefuses() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        let inputs = [chatSample[0], chatPost("REFUSE to read this"), chatSample[1]]
        let outcomes = try await chatLabeller(chatSettings(server)).label(inputs)
        #expect(outcomes[0] == expectedOutcomes([inputs[0]])[0])
        #expect(outcomes[2] == expectedOutcomes([inputs[2]])[0])
        #expect(outcomes[1].failure?.hasPrefix("refused after 2 attempts") == true, "\(outcomes[1])")
        #expect(server.requestCount == 2 + 2 + 2)
    }

    @Test func htmlGetsItsOwnMessage() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = .html
        let error = try #require(await chatError { _ = try await chatLabeller(chatSettings(server)).label(chatSample) })
        #expect(error.description.contains("HTML page, not JSON"))
        checkUserFacing(error, url: server.url, mentions: "toxicity_label.llm.url")
        #expect(server.requestCount == 1)
    }

    @Test func serverErrorsAreRetriedThenSucceed() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.script([.status(500), .status(503)])
        #expect(try await chatLabeller(chatSettings(server)).label(chatSample) == expectedOutcomes(chatSample))
        #expect(server.requestCount == 3)
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.script([.tooManyRequests(retryAfter: 1)])
        let started = ContinuousClock.now
        #expect(try await chatLabeller(chatSettings(server)).label(chatSample) == expectedOutcomes(chatSample))
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(950), "waited only \(waited)")
        #expect(server.requestCount == 2)
    }

    @Test func persistentServerErrorIsRecordedForItsDocument() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = .status(500)
        let outcomes = try await chatLabeller(chatSettings(server)).label([chatSample[0]])
        let reason = try #require(outcomes.first?.failure)
        #expect(reason.hasPrefix("server error after 3 attempts: HTTP 500"), "\(reason)")
        // The server echoed the Authorization header: redacted.
        #expect(reason.contains("<redacted>") && !reason.contains(chatSecret))
        #expect(server.requestCount == 3)
    }

    @Test func repeatedServerErrorsStopTheRun() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = .status(502)
        let chat = chatLabeller(chatSettings(server, perRequest: 1, concurrency: 1, maxAttempts: 2))
        let error = try #require(await chatError { _ = try await chat.label(chatSample) })
        #expect(error.kind == .server)
        #expect(error.description.contains("3 requests in a row"))
        checkUserFacing(error, url: server.url, mentions: "toxicity_label.llm.timeout_seconds")
        #expect(server.requestCount == 3 * 2)
    }

    @Test func slowAnswersTimeOutAndAreRetried() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.script([.slow(3)])
        let chat = chatLabeller(chatSettings(server, timeout: 1))
        #expect(try await chat.label([chatSample[0]]) == expectedOutcomes([chatSample[0]]))
        #expect(server.requestCount == 2)

        server.defaultMode = .slow(3)
        let outcomes = try await chatLabeller(chatSettings(server, maxAttempts: 2, timeout: 1)).label([chatSample[0]])
        #expect(outcomes.first?.failure == "server error after 2 attempts: timed out after 1 s")
    }

    @Test(arguments: [(401, "toxicity_label.llm.token_env"), (403, "toxicity_label.llm.token_env"), (404, "toxicity_label.llm.url")])
    func authAndNotFoundStopTheRunAtOnce(_ code: Int, _ setting: String) async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = .status(code)
        let error = try #require(await chatError { _ = try await chatLabeller(chatSettings(server)).label(chatSample) })
        #expect(error.description.contains("HTTP \(code)"))
        #expect(error.description.contains("<redacted>"))
        checkUserFacing(error, url: server.url, mentions: setting)
        #expect(server.requestCount == 1)
    }

    @Test func unknownModelNamesTheModelSetting() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = .statusMessage(404, "The model `fake-model` does not exist")
        let error = try #require(await chatError { _ = try await chatLabeller(chatSettings(server)).label(chatSample) })
        checkUserFacing(error, url: server.url, mentions: "toxicity_label.llm.model")
    }

    @Test func unsupportedResponseFormatNamesJSONMode() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = .statusMessage(400, "response_format json_schema is not supported by this model")
        let error = try #require(await chatError { _ = try await chatLabeller(chatSettings(server)).label(chatSample) })
        checkUserFacing(error, url: server.url, mentions: "toxicity_label.llm.json_mode")
        #expect(server.requestCount == 1)
    }

    @Test func otherClientErrorsFailTheRequestNotTheRun() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        // A context overflow in the batch; each document alone fits.
        server.script([.statusMessage(400, "This model's maximum context length is 4096 tokens")])
        let outcomes = try await chatLabeller(chatSettings(server)).label(chatSample)
        #expect(outcomes == expectedOutcomes(chatSample))
        #expect(server.requestCount == 1 + chatSample.count)

        server.defaultMode = .statusMessage(422, "unprocessable")
        let single = try await chatLabeller(chatSettings(server)).label([chatSample[0]])
        #expect(single.first?.failure == "rejected by the server: HTTP 422: unprocessable")
    }

    @Test func unreachableServerStopsTheRunWithoutCredentials() async throws {
        let refusing = try LoopbackHTTPServer.refusingPort()
        defer { refusing.close() }
        let url = "http://user:hunter2@127.0.0.1:\(refusing.port)/v1/chat/completions"
        let settings = ChatLabellerSettings(url: url, model: "m", token: chatSecret, maxAttempts: 2,
                                            retryBaseDelay: 0.01, retryMaxDelay: 0.02)
        let chat = ChatLabeller(settings: settings, http: CurlHTTPClient(maxConcurrentRequests: 2, connectTimeout: 2), logger: nil)
        #expect(!chat.summary.contains("hunter2"))
        let error = try #require(await chatError { _ = try await chat.label(chatSample) })
        #expect(error.kind == .network)
        #expect(!error.description.contains("hunter2"))
        checkUserFacing(error, url: "http://127.0.0.1:\(refusing.port)/v1/chat/completions", mentions: "toxicity_label.llm.url")
    }

    @Test func cancellationIsNotALabelFailure() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = .slow(600)
        let chat = chatLabeller(chatSettings(server, timeout: 900))
        let task = Task { try await chat.label(chatSample) }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("expected cancellation")
        } catch {
            #expect(error is CancellationError, "\(error)")
        }
        // Well before the slow answer (600 s) would have come, even on a loaded machine (the
        // test's own resumption may wait tens of seconds for a thread while the bundle runs on 2 cores).
        #expect(ContinuousClock.now - started < .seconds(120))
    }
}
