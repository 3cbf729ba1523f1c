import Foundation

/// Why an answer was not accepted. Never turned into a label: the request is retried, then each
/// of its documents gets a recorded failure.
enum LabelAnswerFailure: Error, Sendable, Equatable {
    /// The answer breaks the format: one line saying how.
    case invalid(String)
    /// The model declined (a refusal field, finish_reason content_filter, prose instead of JSON).
    case refused(String)

    var reason: String {
        switch self {
        case .invalid(let reason): "invalid answer: \(reason)"
        case .refused(let reason): "refused: \(reason)"
        }
    }
}

/// Reads the model's message content into labels, strictly.
///
/// The content must be one JSON object `{"labels": [...]}` (surrounding whitespace and one
/// ```json fence tolerated, nothing else), with exactly one item per requested ref, no unknown
/// ref, every field present with the right type and range, and no other key. Anything else is a
/// failure, never a guessed label: a model steered by an injected text typically answers with
/// extra items, foreign refs or stray keys, and all of those are rejected here.
enum LabelAnswerParser {
    /// Labels in the order of `refs`.
    static func parse(_ content: String, refs: [Int]) throws(LabelAnswerFailure) -> [DocumentLabels] {
        let json = try unwrap(content)
        let root: StrictJSON
        do {
            root = try StrictJSON.parse(json.utf8)
        } catch {
            throw .invalid("broken JSON (\(error.description))")
        }
        guard case .object(let members) = root else { throw .invalid("\(root.kindName), not an object with \"labels\"") }
        if let extra = members.first(where: { $0.key != "labels" }) { throw .invalid("unexpected key \"\(clip(extra.key))\"") }
        guard let labels = root["labels"] else { throw .invalid("no \"labels\"") }
        guard case .array(let items) = labels else { throw .invalid("\"labels\" is \(labels.kindName), not an array") }

        let wanted = Set(refs)
        var found: [Int: DocumentLabels] = [:]
        for (position, item) in items.enumerated() {
            let (ref, label) = try readItem(item, position: position)
            guard wanted.contains(ref) else { throw .invalid("labels[\(position)] has ref \(ref), which was not requested") }
            guard found[ref] == nil else { throw .invalid("ref \(ref) is labelled twice") }
            found[ref] = label
        }
        if let missing = refs.first(where: { found[$0] == nil }) { throw .invalid("no label for ref \(missing)") }
        return refs.map { found[$0]! }
    }

    /// The JSON text inside `content`: trimmed, and out of one ``` or ```json fence.
    static func unwrap(_ content: String) throws(LabelAnswerFailure) -> String {
        var text = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("```") {
            guard let firstLineEnd = text.firstIndex(of: "\n"), text.count > 6, text.hasSuffix("```") else {
                throw .invalid("an unterminated code fence")
            }
            let language = text[text.index(text.startIndex, offsetBy: 3)..<firstLineEnd].trimmingCharacters(in: .whitespaces)
            guard language.isEmpty || language.lowercased() == "json" else { throw .invalid("a code fence of \"\(clip(language))\"") }
            text = String(text[text.index(after: firstLineEnd)..<text.index(text.endIndex, offsetBy: -3)])
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !text.isEmpty else { throw .invalid("empty content") }
        guard text.hasPrefix("{") else {
            if text.hasPrefix("[") { throw .invalid("a JSON array, not an object with \"labels\"") }
            // Prose with no JSON at all is the model declining ("I can't help with that").
            if !text.contains("{") { throw .refused("the model answered prose, not JSON: \"\(clip(text))\"") }
            throw .invalid("text around the JSON object: \"\(clip(text))\"")
        }
        return text
    }

    private static func readItem(_ item: StrictJSON, position: Int) throws(LabelAnswerFailure) -> (Int, DocumentLabels) {
        let at = "labels[\(position)]"
        guard case .object(let members) = item else { throw .invalid("\(at) is \(item.kindName), not an object") }
        if let extra = members.first(where: { !LabelAnswerSchema.fields.contains($0.key) }) {
            throw .invalid("\(at) has an unexpected key \"\(clip(extra.key))\"")
        }
        func field(_ name: String) throws(LabelAnswerFailure) -> StrictJSON {
            guard let value = item[name] else { throw .invalid("\(at) has no \"\(name)\"") }
            return value
        }
        func integer(_ name: String, _ range: ClosedRange<Int>) throws(LabelAnswerFailure) -> Int {
            let value = try field(name)
            guard case .number(let number, _) = value, number == number.rounded(), abs(number) < 1e9 else {
                throw .invalid("\(at).\(name) is \(value.kindName), not an integer")
            }
            guard range.contains(Int(number)) else {
                throw .invalid("\(at).\(name) \(Int(number)) is out of range \(range.lowerBound)..\(range.upperBound)")
            }
            return Int(number)
        }
        func string(_ name: String) throws(LabelAnswerFailure) -> String {
            let value = try field(name)
            guard let text = value.stringValue else { throw .invalid("\(at).\(name) is \(value.kindName), not a string") }
            return text
        }

        let ref = try integer("ref", 0...Int(Int32.max))
        let topicText = try string("topic")
        guard let topic = TopicLabel(rawValue: topicText) else { throw .invalid("\(at).topic \"\(clip(topicText))\" is not one of A-I") }
        let toxicity = ToxicityLevel(rawValue: try integer("toxicity", 0...4))!
        let conflictValue = try field("conflict")
        guard case .bool(let conflict) = conflictValue else { throw .invalid("\(at).conflict is \(conflictValue.kindName), not a boolean") }
        let emotionText = try string("emotion")
        guard let emotion = EmotionLabel(rawValue: emotionText) else {
            throw .invalid("\(at).emotion \"\(clip(emotionText))\" is not one of \(EmotionLabel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let valence = try integer("valence", -2...2)
        let confidenceValue = try field("confidence")
        guard case .number(let confidence, _) = confidenceValue else {
            throw .invalid("\(at).confidence is \(confidenceValue.kindName), not a number")
        }
        guard (0...1).contains(confidence) else { throw .invalid("\(at).confidence \(confidence) is out of range 0..1") }
        return (ref, DocumentLabels(topic: topic, toxicity: toxicity, conflict: conflict, emotion: emotion,
                                    valence: Double(valence) / 2, confidence: confidence))
    }

    /// A short one-line excerpt of model output for a message.
    static func clip(_ text: some StringProtocol, limit: Int = 80) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return line.count > limit ? String(line.prefix(limit)) + "…" : line
    }
}
