/// The JSON Schema of an answer, for `response_format: json_schema`: with constrained decoding the
/// server cannot even produce an unknown ref, a missing field or an out-of-range value (the
/// parser still checks everything, since not every server honours every keyword).
enum LabelAnswerSchema {
    static let name = "document_labels"
    static let fields = ["ref", "topic", "toxicity", "conflict", "emotion", "valence", "confidence"]

    /// The schema for an answer to the documents with these refs: exactly one item each.
    static func schema(refs: [Int]) -> [String: Any] {
        let item: [String: Any] = [
            "type": "object",
            "additionalProperties": false,
            "required": fields,
            "properties": [
                "ref": ["type": "integer", "enum": refs],
                "topic": ["type": "string", "enum": TopicLabel.allCases.map(\.rawValue)],
                "toxicity": ["type": "integer", "enum": ToxicityLevel.allCases.map(\.rawValue)],
                "conflict": ["type": "boolean"],
                "emotion": ["type": "string", "enum": EmotionLabel.allCases.map(\.rawValue)],
                "valence": ["type": "integer", "enum": [-2, -1, 0, 1, 2]],
                "confidence": ["type": "number", "minimum": 0, "maximum": 1],
            ] as [String: Any],
        ]
        return [
            "type": "object",
            "additionalProperties": false,
            "required": ["labels"],
            "properties": [
                "labels": ["type": "array", "minItems": refs.count, "maxItems": refs.count, "items": item] as [String: Any],
            ],
        ]
    }
}
