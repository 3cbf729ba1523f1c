import Foundation
import MoltscopeTestSupport
@testable import MoltscopeStages

/// A local OpenAI-compatible `/v1/chat/completions` server (a LoopbackHTTPServer) that plays a
/// labelling model, for testing ChatLabeller.
///
/// It reads the documents out of the request's user message (its last line, a JSON array) and by
/// default labels each by keywords (`FakeChatServer.labels(for:)`), so answers are deterministic.
/// Each request is answered by the next entry of `script` (then by `defaultMode`). Two markers in
/// a document's text play a poisoned document in any mode that answers labels: `poisonMarker`
/// makes its item's toxicity 9 (invalid), `refuseMarker` makes the whole request a refusal.
final class FakeChatServer: @unchecked Sendable {
    enum Mode: Sendable, Equatable {
        case valid
        /// JSON with a syntax error (a trailing comma).
        case malformedJSON
        /// The valid answer cut in half, finish_reason "length".
        case truncated
        /// The last item left out.
        case missingRef
        /// The first item twice.
        case duplicateRef
        /// The last item's ref replaced by 99.
        case unknownRef
        /// Every item's toxicity 7.
        case outOfRange
        /// An "explanation" key in every item.
        case extraKey
        /// "conflict": "no" (a string).
        case wrongType
        /// Valid items plus one for ref 99 (an injected label echoed back).
        case extraLabel
        /// The valid answer inside a ```json fence (accepted).
        case fenced
        /// "I'm sorry, but I can't help with that." as content.
        case prose
        /// content null, a `refusal` string.
        case refusalField
        /// finish_reason "content_filter", empty content.
        case contentFilter
        /// A 200 HTML page.
        case html
        /// This status with an OpenAI-style JSON error body that echoes the Authorization header
        /// (to prove the client keeps the token out of messages).
        case status(Int)
        /// This status with this error message.
        case statusMessage(Int, String)
        /// 429 with `Retry-After: seconds`.
        case tooManyRequests(retryAfter: Int)
        /// The valid answer after this many seconds.
        case slow(Double)
        /// The valid answer after a delay that depends on the first document (0-0.2 s), so
        /// concurrent requests finish out of order.
        case staggered
        /// This exact message content.
        case content(String)
    }

    typealias Request = LoopbackHTTPServer.Request

    /// The labels the server gives one document.
    struct Item: Sendable {
        var ref: Int
        var labels: DocumentLabels
        var valence: Int
    }

    static let poisonMarker = "POISON"
    static let refuseMarker = "REFUSE"

    var baseURL: String { server.baseURL }
    var url: String { baseURL + "/v1/chat/completions" }

    private let server: LoopbackHTTPServer
    private let modes = ModeScript<Mode>(fallback: .valid)

    init() throws {
        server = try LoopbackHTTPServer(name: "fake-chat")
        server.start(replying: { [weak self] request in
            self?.reply(to: request) ?? LoopbackHTTPServer.Reply(status: 503)
        })
    }

    func stop() { server.stop() }

    /// Answers the next requests with these modes, in order, then with `defaultMode`.
    func script(_ modes: [Mode]) { self.modes.script(modes) }
    var defaultMode: Mode {
        get { modes.defaultMode }
        set { modes.defaultMode = newValue }
    }

    var requests: [Request] { server.requests }
    var requestCount: Int { server.requestCount }
    var maxConcurrentRequests: Int { server.maxConcurrentRequests }

    // MARK: The fake model

    /// Keyword rules: the first topic keyword found wins; toxicity is the highest found.
    static func labels(for text: String) -> (labels: DocumentLabels, valence: Int) {
        let lower = text.lowercased()
        let topics: [(String, TopicLabel)] = [("test post", .spam), ("government", .politics), ("wallet", .economics),
                                              ("token", .economics), ("api", .technology), ("code", .technology),
                                              ("myself", .identity), ("hello", .socializing), ("welcome", .socializing)]
        let topic = topics.first(where: { lower.contains($0.0) })?.1 ?? .others
        let toxicity: ToxicityLevel = lower.contains("send your wallet") ? .malicious : lower.contains("ignore") ? .manipulative
            : lower.contains("idiot") ? .toxic : lower.contains("lol") ? .edgy : .safe
        let emotions: [(String, EmotionLabel, Int)] = [("angry", .anger, -2), ("sad", .sadness, -1), ("scared", .fear, -1),
                                                       ("wow", .surprise, 0), ("!", .joy, 2)]
        let (emotion, valence) = emotions.first(where: { lower.contains($0.0) }).map { ($0.1, $0.2) } ?? (.neutral, 0)
        let conflict = lower.contains("wrong") || lower.contains("disagree")
        return (DocumentLabels(topic: topic, toxicity: toxicity, conflict: conflict, emotion: emotion,
                               valence: Double(valence) / 2, confidence: 0.75), valence)
    }

    /// The documents of a request: the last line of the user message, as sent.
    static func documents(of request: Request) -> [[String: Any]]? {
        guard let messages = request.json?["messages"] as? [[String: Any]],
              let user = messages.last(where: { $0["role"] as? String == "user" })?["content"] as? String,
              let lastLine = user.split(separator: "\n", omittingEmptySubsequences: false).last else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(lastLine.utf8))) as? [[String: Any]]
    }

    // MARK: Answers

    private typealias Reply = LoopbackHTTPServer.Reply

    private func nextMode() -> Mode { modes.next() }

    private func reply(to request: Request) -> Reply {
        let mode = nextMode()
        let documents = Self.documents(of: request) ?? []
        let texts = documents.map { $0["text"] as? String ?? "" }
        var items: [[String: Any]] = documents.enumerated().map { position, document in
            let (labels, valence) = Self.labels(for: texts[position])
            return ["ref": document["ref"] as? Int ?? -1, "topic": labels.topic.rawValue,
                    "toxicity": texts[position].contains(Self.poisonMarker) ? 9 : labels.toxicity.rawValue,
                    "conflict": labels.conflict, "emotion": labels.emotion.rawValue, "valence": valence,
                    "confidence": labels.confidence]
        }
        let refuses = texts.contains { $0.contains(Self.refuseMarker) }

        switch mode {
        case .valid, .slow, .staggered, .fenced, .truncated, .malformedJSON, .content, .prose, .refusalField, .contentFilter,
             .html, .status, .statusMessage, .tooManyRequests:
            break
        case .missingRef: items.removeLast()
        case .duplicateRef: items.append(items[0])
        case .unknownRef: items[items.count - 1]["ref"] = 99
        case .outOfRange: for index in items.indices { items[index]["toxicity"] = 7 }
        case .extraKey: for index in items.indices { items[index]["explanation"] = "because" }
        case .wrongType: for index in items.indices { items[index]["conflict"] = "no" }
        case .extraLabel:
            items.append(["ref": 99, "topic": "A", "toxicity": 0, "conflict": false, "emotion": "joy", "valence": 2, "confidence": 1])
        }
        let answer = String(decoding: try! JSONSerialization.data(withJSONObject: ["labels": items], options: [.sortedKeys]),
                            as: UTF8.self)

        switch mode {
        case .html:
            return Reply(headers: [("Content-Type", "text/html; charset=utf-8")],
                         body: Data("<!DOCTYPE html><html><body>Welcome to the chat UI</body></html>".utf8))
        case .status(let code):
            let echoed = request.headers["authorization"] ?? "none"
            return Reply(status: code, body: Data(#"{"error":{"message":"failure \#(code) for \#(echoed)","type":"server_error"}}"#.utf8))
        case .statusMessage(let code, let message):
            return Reply(status: code, body: Self.json(["error": ["message": message, "type": "invalid_request_error"]]))
        case .tooManyRequests(let seconds):
            return Reply(status: 429, headers: [("Content-Type", "application/json"), ("Retry-After", "\(seconds)")],
                         body: Data(#"{"error":{"message":"slow down"}}"#.utf8))
        case .prose: return completion(content: "I'm sorry, but I can't help with that.")
        case .refusalField: return completion(content: nil, refusal: "I can't assist with labelling this content.")
        case .contentFilter: return completion(content: "", finishReason: "content_filter")
        case .content(let text): return completion(content: text)
        default: break
        }
        if refuses { return completion(content: "I'm sorry, but I can't help with that.") }
        switch mode {
        case .malformedJSON:
            return completion(content: answer.replacingOccurrences(of: "}]}", with: "},]}"))
        case .truncated:
            return completion(content: String(answer.prefix(answer.count / 2)), finishReason: "length")
        case .fenced:
            return completion(content: "```json\n\(answer)\n```")
        case .slow(let seconds):
            var reply = completion(content: answer)
            reply.delay = seconds
            return reply
        case .staggered:
            var reply = completion(content: answer)
            reply.delay = Double((texts.first?.unicodeScalars.reduce(0) { $0 + Int($1.value) } ?? 0) % 5) * 0.05
            return reply
        default:
            return completion(content: answer)
        }
    }

    private func completion(content: String?, refusal: String? = nil, finishReason: String = "stop") -> Reply {
        let message: [String: Any] = ["role": "assistant", "content": content ?? NSNull(), "refusal": refusal ?? NSNull()]
        return Reply(body: Self.json([
            "id": "chatcmpl-fake", "object": "chat.completion", "model": "fake",
            "choices": [["index": 0, "message": message, "finish_reason": finishReason]],
            "usage": ["prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120],
        ]))
    }

    private static func json(_ object: [String: Any]) -> Data {
        try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
