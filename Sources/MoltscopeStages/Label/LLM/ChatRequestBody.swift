import Foundation

/// The body of one `/v1/chat/completions` request: system prompt, documents, sampling, format.
enum ChatRequestBody {
    static func make(_ settings: ChatLabellerSettings, documents: [LabelPrompt.Document]) -> Data {
        var members: [(key: String, value: StrictJSON)] = [
            ("model", .string(settings.model)),
            ("messages", .array([
                .object([("role", .string("system")), ("content", .string(LabelPrompt.system))]),
                .object([("role", .string("user")), ("content", .string(LabelPrompt.userMessage(documents)))]),
            ])),
            ("temperature", .number(settings.temperature, integral: false)),
            ("stream", .bool(false)),
        ]
        if let maxTokens = settings.maxTokens { members.append(("max_tokens", .int(maxTokens))) }
        switch settings.jsonMode {
        case .schema:
            members.append(("response_format", .object([
                ("type", .string("json_schema")),
                ("json_schema", .object([("name", .string(LabelAnswerSchema.name)), ("strict", .bool(true)),
                                         ("schema", LabelAnswerSchema.schema(refs: documents.map(\.ref)))])),
            ])))
        case .object:
            members.append(("response_format", .object([("type", .string("json_object"))])))
        case .none:
            break
        }
        var output: [UInt8] = []
        StrictJSON.object(members).write(into: &output)
        return Data(output)
    }
}
