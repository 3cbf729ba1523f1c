import Foundation
import MoltscopeCore
import Testing
@testable import MoltscopeStages

@Suite("ChatLabeller: requests and answers")
struct ChatLabellerTests {
    @Test func labelsInInputOrderWithTheRightRequest() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        let chat = chatLabeller(chatSettings(server))
        #expect(try await chat.label(chatSample) == expectedOutcomes(chatSample))
        #expect(server.requestCount == 1)

        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/chat/completions")
        #expect(request.headers["authorization"] == "Bearer \(chatSecret)")
        #expect(request.headers["content-type"] == "application/json")
        let json = try #require(request.json)
        #expect(json["model"] as? String == "fake-model")
        #expect((json["temperature"] as? NSNumber)?.doubleValue == 0)
        #expect(json["max_tokens"] == nil)
        let messages = try #require(json["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["system", "user"])
        #expect(messages[0]["content"] as? String == LabelPrompt.system)
        let documents = try #require(FakeChatServer.documents(of: request))
        #expect(documents.map { $0["ref"] as? Int } == [1, 2, 3, 4, 5])
        #expect(documents.map { $0["text"] as? String } == chatSample.map(\.text))
        #expect(documents.map { $0["kind"] as? String } == ["post", "post", "post", "comment", "post"])
        #expect(documents[3]["post_title"] as? String == "On memory")
        #expect(documents[0]["post_title"] is NSNull)
        // Refs, never document ids.
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(!chatSample.contains { body.contains($0.id) })

        let format = try #require(json["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        let schemaFormat = try #require(format["json_schema"] as? [String: Any])
        #expect(schemaFormat["name"] as? String == "document_labels")
        #expect(schemaFormat["strict"] as? Bool == true)
        let schema = try #require(schemaFormat["schema"] as? [String: Any])
        let labels = try #require((schema["properties"] as? [String: Any])?["labels"] as? [String: Any])
        #expect(labels["minItems"] as? Int == 5 && labels["maxItems"] as? Int == 5)
        let item = try #require(labels["items"] as? [String: Any])
        #expect(item["additionalProperties"] as? Bool == false)
        #expect(((item["properties"] as? [String: Any])?["ref"] as? [String: Any])?["enum"] as? [Int] == [1, 2, 3, 4, 5])
    }

    @Test func valenceIsHalvedAndConfidenceKept() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        let outcomes = try await chatLabeller(chatSettings(server)).label([chatPost("hello friends!"), chatPost("so angry at this code")])
        #expect(outcomes[0].labels?.valence == 1.0)    // joy: 2 / 2
        #expect(outcomes[1].labels?.valence == -1.0)   // anger: -2 / 2
        #expect(outcomes.allSatisfy { $0.labels?.confidence == 0.75 })
    }

    @Test(arguments: [ChatLabellerSettings.JSONMode.schema, .object, .none])
    func responseFormatFollowsJSONMode(_ mode: ChatLabellerSettings.JSONMode) async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        _ = try await chatLabeller(chatSettings(server, jsonMode: mode, maxTokens: 900)).label([chatSample[0]])
        let json = try #require(server.requests.first?.json)
        #expect(json["max_tokens"] as? Int == 900)
        let format = json["response_format"] as? [String: Any]
        switch mode {
        case .schema: #expect(format?["type"] as? String == "json_schema")
        case .object: #expect(format?["type"] as? String == "json_object" && format?.count == 1)
        case .none: #expect(json["response_format"] == nil)
        }
    }

    @Test func emptyInputMakesNoRequest() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        #expect(try await chatLabeller(chatSettings(server)).label([]).isEmpty)
        #expect(server.requestCount == 0)
    }

    @Test func textsAreCutToTheCodebooksLimit() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        let long = String(repeating: "é🦞", count: 1_500)
        _ = try await chatLabeller(chatSettings(server)).label([chatPost(long)])
        let documents = try #require(server.requests.first.flatMap(FakeChatServer.documents(of:)))
        #expect(documents.first?["text"] as? String == String(long.prefix(LabelPrompt.textLimit)))
    }

    @Test func orderIsKeptWithConcurrencyAndBatches() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = .staggered
        let words = ["hello", "api", "wallet", "myself", "government", "idiot", "wow", "sad", "lol", "test post", "plain"]
        let inputs = (0..<23).map { chatPost("\(words[$0 % words.count]) number \($0)\($0 % 3 == 0 ? "!" : "")") }
        let outcomes = try await chatLabeller(chatSettings(server, perRequest: 3, concurrency: 3), clients: 8).label(inputs)
        #expect(outcomes == expectedOutcomes(inputs))
        #expect(server.requestCount == 8)
        #expect(server.maxConcurrentRequests <= 3)
        #expect(server.maxConcurrentRequests >= 2)
        for request in server.requests {
            let refs = FakeChatServer.documents(of: request)?.map { $0["ref"] as? Int } ?? []
            #expect(refs == Array(1...refs.count).map { $0 })
        }
    }

    @Test func summaryNamesTheEndpointNotTheToken() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        let chat = chatLabeller(chatSettings(server, perRequest: 4))
        #expect(chat.summary.contains(server.url))
        #expect(chat.summary.contains("fake-model") && chat.summary.contains(LabelPrompt.version))
        #expect(chat.summary.contains("4 documents per request"))
        #expect(!chat.summary.contains(chatSecret))
    }

    @Test func noTokenNoAuthorizationHeader() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        _ = try await chatLabeller(chatSettings(server, token: nil)).label([chatSample[0]])
        _ = try await chatLabeller(chatSettings(server, token: "")).label([chatSample[0]])
        #expect(server.requestCount == 2)
        #expect(server.requests.allSatisfy { $0.headers["authorization"] == nil })
    }

    @Test func fencedJSONIsAccepted() async throws {
        let server = try FakeChatServer()
        defer { server.stop() }
        server.defaultMode = .fenced
        #expect(try await chatLabeller(chatSettings(server)).label(chatSample) == expectedOutcomes(chatSample))
        #expect(server.requestCount == 1)
    }
}
