import Foundation
import MoltscopeNumerics
import Testing
@testable import MoltbookReplay

/// The fake model server: OpenAI's answer shape with `HashedWordVectors`, over a kept-alive
/// connection, and clear OpenAI-style errors for what it cannot answer.
@Suite struct HashedEmbeddingServerTests {
    static func post(_ client: TestHTTPConnection, _ body: String, target: String = "/v1/embeddings") throws -> TestResponse {
        try client.sendRaw("POST \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
        return try client.readResponse()
    }

    @Test func answersEveryTextInOrderWithItsHashedVector() throws {
        let server = try HashedEmbeddingServer(dimensions: 16)
        let port = try server.start()
        defer { server.stop() }
        let client = try TestHTTPConnection(port: port)
        let texts = ["the agents talk", "ünïcödé 🦞 text", "", String(repeating: "long words ", count: 500)]
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["model": "m", "input": texts]), as: UTF8.self)
        for _ in 0..<2 {   // the second request on the same connection
            let response = try Self.post(client, body)
            #expect(response.status == 200)
            let json = try response.json()
            let data = try #require(json["data"] as? [[String: Any]])
            #expect(data.count == texts.count)
            for (index, item) in data.enumerated() {
                #expect(item["index"] as? Int == index)
                let vector = try #require(item["embedding"] as? [Double]).map(Float.init)
                let expected = HashedWordVectors.embed(texts[index], dimensions: 16)
                #expect(zip(vector, expected).allSatisfy { abs($0 - $1) < 1e-6 })
            }
            #expect(json["model"] as? String == "hashed-words-384")
        }
        #expect(server.requestCount == 2)
    }

    @Test func aSingleStringInputIsOneText() throws {
        let server = try HashedEmbeddingServer(dimensions: 8)
        let port = try server.start()
        defer { server.stop() }
        let response = try Self.post(try TestHTTPConnection(port: port), #"{"input": "one text"}"#)
        #expect(response.status == 200)
        let json = try response.json()
        #expect((json["data"] as? [[String: Any]])?.count == 1)
    }

    @Test func whatItCannotAnswerGetsAnOpenAIError() throws {
        let server = try HashedEmbeddingServer()
        let port = try server.start()
        defer { server.stop() }
        for (body, target, status) in [("<html>", "/v1/embeddings", 400), (#"{"input": [1, 2]}"#, "/v1/embeddings", 400),
                                       (#"{"model": "m"}"#, "/v1/embeddings", 400), ("{}", "/v1/other", 404)] {
            let response = try Self.post(try TestHTTPConnection(port: port), body, target: target)
            #expect(response.status == status, "\(body) \(target)")
            let json = try response.json()
            let error = try #require(json["error"] as? [String: Any])
            #expect((error["message"] as? String)?.isEmpty == false)
        }
        #expect(try TestHTTPConnection(port: port).get("/v1/embeddings").status == 405)
        #expect(try TestHTTPConnection(port: port).get("/health").status == 200)
        #expect(throws: Error.self) { try HashedEmbeddingServer(dimensions: 0) }
    }
}
