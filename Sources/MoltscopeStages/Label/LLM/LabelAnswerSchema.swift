/// The JSON Schema of an answer, for `response_format: json_schema`: with constrained decoding the
/// server cannot even produce an unknown ref, a missing field or an out-of-range value (the
/// parser still checks everything, since not every server honours every keyword).
enum LabelAnswerSchema {
    static let name = "document_labels"
    static let fields = ["ref", "topic", "toxicity", "conflict", "emotion", "valence", "confidence"]

    /// The schema for an answer to the documents with these refs: exactly one item each.
    static func schema(refs: [Int]) -> StrictJSON {
        let item = StrictJSON.object([
            ("type", .string("object")),
            ("properties", .object([
                ("ref", .object([("type", .string("integer")), ("enum", .ints(refs))])),
                ("topic", .object([("type", .string("string")), ("enum", .strings(TopicLabel.allCases.map(\.rawValue)))])),
                ("toxicity", .object([("type", .string("integer")), ("enum", .ints(ToxicityLevel.allCases.map(\.rawValue)))])),
                ("conflict", .object([("type", .string("boolean"))])),
                ("emotion", .object([("type", .string("string")), ("enum", .strings(EmotionLabel.allCases.map(\.rawValue)))])),
                ("valence", .object([("type", .string("integer")), ("enum", .ints([-2, -1, 0, 1, 2]))])),
                ("confidence", .object([("type", .string("number")), ("minimum", .int(0)), ("maximum", .int(1))])),
            ])),
            ("required", .strings(fields)),
            ("additionalProperties", .bool(false)),
        ])
        return .object([
            ("type", .string("object")),
            ("properties", .object([
                ("labels", .object([("type", .string("array")), ("items", item),
                                    ("minItems", .int(refs.count)), ("maxItems", .int(refs.count))])),
            ])),
            ("required", .strings(["labels"])),
            ("additionalProperties", .bool(false)),
        ])
    }
}
