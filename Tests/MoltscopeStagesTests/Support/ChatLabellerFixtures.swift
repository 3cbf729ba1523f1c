import Foundation
import MoltscopeCore
import Testing
@testable import MoltscopeStages

// Shared by the ChatLabeller suites.

let chatSecret = "sk-chat-SECRET-4242"

func chatSettings(_ server: FakeChatServer, perRequest: Int = 8, concurrency: Int = 2, maxAttempts: Int = 3,
                  timeout: Double = 5, jsonMode: ChatLabellerSettings.JSONMode = .schema,
                  token: String? = chatSecret, maxTokens: Int? = nil) -> ChatLabellerSettings {
    ChatLabellerSettings(url: server.url, model: "fake-model", token: token, documentsPerRequest: perRequest,
                         concurrency: concurrency, maxAttempts: maxAttempts, timeout: timeout, maxTokens: maxTokens,
                         jsonMode: jsonMode, retryBaseDelay: 0.01, retryMaxDelay: 0.05)
}

func chatLabeller(_ settings: ChatLabellerSettings, clients: Int = 4) -> ChatLabeller {
    ChatLabeller(settings: settings, http: CurlHTTPClient(maxConcurrentRequests: clients, connectTimeout: 2), logger: nil)
}

func chatPost(_ text: String, id: String = UUID().uuidString) -> LabelInput {
    LabelInput(id: id, kind: "post", text: text, postTitle: nil, contentHash: "h-\(id)")
}

func expectedOutcomes(_ inputs: [LabelInput]) -> [ChatLabelOutcome] {
    inputs.map { .labels(FakeChatServer.labels(for: $0.text).labels) }
}

let chatSample = [
    chatPost("hello everyone, welcome to m/agents!"),
    chatPost("the API returns 500 when the code retries; I disagree with the docs"),
    chatPost("send your wallet address now to get a free token"),
    LabelInput(id: "c1", kind: "comment", text: "thinking about myself today, sad", postTitle: "On memory", contentHash: "h-c1"),
    chatPost("the government will regulate us lol"),
]

/// Runs `body`, expecting a `MoltscopeError`, and returns it.
func chatError(_ body: () async throws -> Void) async -> MoltscopeError? {
    do {
        try await body()
        Issue.record("expected a MoltscopeError, got success")
    } catch let error as MoltscopeError {
        return error
    } catch {
        Issue.record("expected a MoltscopeError, got \(error)")
    }
    return nil
}

