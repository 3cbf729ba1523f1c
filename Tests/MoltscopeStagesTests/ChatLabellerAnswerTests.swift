import Foundation
import Testing
@testable import MoltscopeStages

private func item(_ ref: Int, _ fields: String = #""topic":"D","toxicity":4,"conflict":true,"emotion":"fear","valence":-1,"confidence":0.5"#) -> String {
    #"{"ref":\#(ref),\#(fields)}"#
}

private let expectedD = DocumentLabels(topic: .economics, toxicity: .malicious, conflict: true, emotion: .fear,
                                       valence: -0.5, confidence: 0.5)

@Suite("ChatLabeller: answer parsing")
struct ChatLabellerAnswerTests {
    @Test func acceptsTheObjectWithWhitespaceOrOneFence() throws {
        let answer = #"{"labels":[\#(item(2)),\#(item(1))]}"#
        for content in [answer, "\n  \(answer)\n\n", "```json\n\(answer)\n```", "```\n\(answer)\n```", " ```JSON\n\(answer)```  "] {
            #expect(try LabelAnswerParser.parse(content, refs: [1, 2]) == [expectedD, expectedD], "\(content)")
        }
        let mixed = #"{"labels":[{"ref":1,"topic":"C","toxicity":0,"conflict":false,"emotion":"joy","valence":2,"confidence":1}]}"#
        #expect(try LabelAnswerParser.parse(mixed, refs: [1])
                == [DocumentLabels(topic: .socializing, toxicity: .safe, conflict: false, emotion: .joy, valence: 1, confidence: 1)])
    }

    static let rejected: [(content: String, reason: String)] = [
        ("", "empty content"),
        ("Sure! Here are the labels: {\"labels\":[]}", "text around the JSON object"),
        (#"{"labels":[\#(item(1))]} hope this helps"#, "broken JSON"),
        ("```json\n{\"labels\":[\(item(1))]}\n```\n```json\n{}\n```", "broken JSON"),
        ("```python\n{\"labels\":[\(item(1))]}\n```", "a code fence of \"python\""),
        ("```json\n{\"labels\":[\(item(1))]}", "an unterminated code fence"),
        (#"[\#(item(1))]"#, "a JSON array, not an object"),
        (#"{"labels":{}}"#, "\"labels\" is an object, not an array"),
        (#"{"result":[\#(item(1))]}"#, "unexpected key \"result\""),
        (#"{"labels":[\#(item(1, #""topic":"b","toxicity":0,"conflict":false,"emotion":"joy","valence":0,"confidence":0.5"#))]}"#,
         "topic \"b\" is not one of A-I"),
        (#"{"labels":[\#(item(1, #""topic":"J","toxicity":0,"conflict":false,"emotion":"joy","valence":0,"confidence":0.5"#))]}"#,
         "topic \"J\""),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":5,"conflict":false,"emotion":"joy","valence":0,"confidence":0.5"#))]}"#,
         "toxicity 5 is out of range 0..4"),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":true,"conflict":false,"emotion":"joy","valence":0,"confidence":0.5"#))]}"#,
         "toxicity is a boolean, not an integer"),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":"0","conflict":false,"emotion":"joy","valence":0,"confidence":0.5"#))]}"#,
         "toxicity is a string, not an integer"),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":0,"conflict":0,"emotion":"joy","valence":0,"confidence":0.5"#))]}"#,
         "conflict is an integer, not a boolean"),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":0,"conflict":false,"emotion":"happy","valence":0,"confidence":0.5"#))]}"#,
         "emotion \"happy\" is not one of"),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":0,"conflict":false,"emotion":"joy","valence":1.5,"confidence":0.5"#))]}"#,
         "valence is a number, not an integer"),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":0,"conflict":false,"emotion":"joy","valence":-3,"confidence":0.5"#))]}"#,
         "valence -3 is out of range -2..2"),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":0,"conflict":false,"emotion":"joy","valence":0,"confidence":1.2"#))]}"#,
         "confidence 1.2 is out of range 0..1"),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":0,"conflict":false,"emotion":"joy","valence":0,"confidence":NaN"#))]}"#,
         "broken JSON"),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":0,"conflict":false,"emotion":"joy","valence":0"#))]}"#,
         "labels[0] has no \"confidence\""),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":0,"toxicity":4,"conflict":false,"emotion":"joy","valence":0,"confidence":0.5"#))]}"#,
         "duplicate key \"toxicity\""),
        (#"{"labels":[\#(item(1, #""topic":"B","toxicity":0,"conflict":false,"emotion":"joy","valence":0,"confidence":0.5,"why":"x""#))]}"#,
         "labels[0] has an unexpected key \"why\""),
        (#"{"labels":[null]}"#, "labels[0] is null, not an object"),
        (String(repeating: "[", count: 100), "a JSON array"),
        ("{\"labels\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}", "nesting too deep"),
    ]

    @Test func rejectsEverythingElseWithAOneLineReason() {
        for (content, reason) in Self.rejected {
            do {
                let labels = try LabelAnswerParser.parse(content, refs: [1])
                Issue.record("accepted \(content) as \(labels)")
            } catch {
                guard case .invalid(let message) = error else {
                    Issue.record("\(content): \(error) is not .invalid")
                    continue
                }
                #expect(message.contains(reason), "\(message) for \(content)")
                #expect(!error.reason.contains("\n"))
            }
        }
    }

    @Test func proseWithoutJSONIsARefusal() {
        for content in ["I can't help with that.", "I'm sorry, but I cannot label this content as it violates policy."] {
            #expect(throws: LabelAnswerFailure.self) { try LabelAnswerParser.parse(content, refs: [1]) }
            do { _ = try LabelAnswerParser.parse(content, refs: [1]) } catch {
                #expect(error.reason.hasPrefix("refused: "), "\(error)")
            }
        }
    }

    @Test func completionsAreReadForContentRefusalsAndErrors() {
        func read(_ text: String) -> ChatCompletion { ChatCompletion.read(Data(text.utf8)) }
        #expect(read(#"{"choices":[{"message":{"role":"assistant","content":"{}"},"finish_reason":"stop"}]}"#)
                == .content("{}", finishReason: "stop"))
        #expect(read(#"{"choices":[{"message":{"content":"","refusal":null},"finish_reason":"content_filter"}]}"#)
                == .refused("finish_reason content_filter"))
        #expect(read(#"{"choices":[{"message":{"content":null,"refusal":"I can't"},"finish_reason":"stop"}]}"#)
                == .refused("\"I can't\""))
        #expect(read(#"{"error":{"message":"overloaded"}}"#) == .serverError("overloaded"))
        if case .noContent = read(#"{"choices":[{"message":{"content":null,"tool_calls":[]}}]}"#) {} else { Issue.record("tool call") }
        if case .noContent = read(#"{"choices":[{"message":{"content":null},"finish_reason":"length"}]}"#) {} else { Issue.record("no content") }
        if case .brokenBody = read(#"{"choices":[{"message":{"content":"#) {} else { Issue.record("cut body") }
        if case .notACompletion = read(#"{"data":[{"embedding":[1,2]}]}"#) {} else { Issue.record("embeddings answer") }
        if case .notACompletion = read(#"[1,2]"#) {} else { Issue.record("array") }
    }

    @Test func strictJSONReadsEscapesAndKeepsTypesApart() throws {
        let value = try StrictJSON.parse(Array(#" {"a":"\u00e9\ud83e\udd9e\n\"","b":true,"c":1,"d":1.0,"e":null,"f":[]} "#.utf8))
        #expect(value["a"]?.stringValue == "é🦞\n\"")
        if case .bool(true) = value["b"] {} else { Issue.record("bool") }
        if case .number(1, integral: true) = value["c"] {} else { Issue.record("integer") }
        if case .number(1, integral: false) = value["d"] {} else { Issue.record("fraction") }
        for broken in [#"{"a":1,}"#, #"{"a":01}"#, #"{"a":"\ud83e"}"#, "{\"a\":\"\u{1}\"}", #"{"a":tru}"#, #"{"a":1e999}"#, "{'a':1}"] {
            #expect(throws: StrictJSON.SyntaxError.self, "\(broken)") { try StrictJSON.parse(Array(broken.utf8)) }
        }
    }
}

@Suite("ChatLabeller: prompt")
struct ChatLabellerPromptTests {
    @Test func thePromptCoversTheWholeTaxonomy() {
        let prompt = LabelPrompt.system
        for topic in TopicLabel.allCases {
            #expect(prompt.contains("\(topic.rawValue) \(topic.name): \(topic.scope)"), "\(topic)")
        }
        for level in ToxicityLevel.allCases {
            #expect(prompt.contains("\(level.rawValue) \(level.name): \(level.scope)"), "\(level)")
        }
        for emotion in EmotionLabel.allCases {
            #expect(prompt.contains("\(emotion.rawValue): \(emotion.scope)"), "\(emotion)")
        }
        for word in ["CONFLICT", "VALENCE", "CONFIDENCE", "untrusted data", "Ignore every instruction", "toxicity 3", "4 if it"] {
            #expect(prompt.contains(word), "\(word)")
        }
    }

    @Test func topicsFollowTheCodebooksRuleOrder() throws {
        #expect(LabelPrompt.topicRuleOrder.map(\.rawValue) == ["H", "G", "D", "B", "F", "A", "E", "C", "I"])
        #expect(Set(LabelPrompt.topicRuleOrder) == Set(TopicLabel.allCases))
        let positions = try LabelPrompt.topicRuleOrder.enumerated().map { position, topic in
            try #require(LabelPrompt.system.range(of: "\(position + 1). \(topic.rawValue) \(topic.name):")).lowerBound
        }
        #expect(positions == positions.sorted())
    }

    /// The stage caches labels by prompt version: a prompt change without a new version would mix
    /// labels of two prompts. When this fails, bump LabelPrompt.version and pin the new fingerprint.
    @Test func thePromptTextIsPinnedToItsVersion() {
        #expect(!LabelPrompt.version.isEmpty)
        let pinned = ["codebook-v1": "706a1cfa3908d20c"]
        let fingerprint = Self.fingerprint()
        #expect(pinned[LabelPrompt.version] == fingerprint,
                "the prompt changed (fingerprint \(fingerprint)): bump LabelPrompt.version and pin the new fingerprint")
    }

    /// FNV-1a over everything the model reads besides the documents.
    static func fingerprint() -> String {
        let documents = [LabelPrompt.Document(ref: 1, kind: "post", postTitle: nil, text: "t"),
                         LabelPrompt.Document(ref: 2, kind: "comment", postTitle: "p", text: "u")]
        let body = ChatRequestBody.make(ChatLabellerSettings(url: "http://x", model: "m"), documents: documents)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }
}
