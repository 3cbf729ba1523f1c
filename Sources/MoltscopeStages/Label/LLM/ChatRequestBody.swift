import Foundation

/// The body of one `/v1/chat/completions` request: system prompt, documents, sampling, format.
enum ChatRequestBody {
    static func make(_ settings: ChatLabellerSettings, documents: [LabelPrompt.Document]) -> Data {
        var body: [String: Any] = [
            "model": settings.model,
            "messages": [
                ["role": "system", "content": LabelPrompt.system],
                ["role": "user", "content": LabelPrompt.userMessage(documents)],
            ],
            "temperature": settings.temperature,
            "stream": false,
        ]
        if let maxTokens = settings.maxTokens { body["max_tokens"] = maxTokens }
        switch settings.jsonMode {
        case .schema:
            body["response_format"] = [
                "type": "json_schema",
                "json_schema": ["name": LabelAnswerSchema.name, "strict": true,
                                "schema": LabelAnswerSchema.schema(refs: documents.map(\.ref))] as [String: Any],
            ] as [String: Any]
        case .object:
            body["response_format"] = ["type": "json_object"]
        case .none:
            break
        }
        // Sorted keys: the same documents always make the same bytes (server-side prompt caches).
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}
