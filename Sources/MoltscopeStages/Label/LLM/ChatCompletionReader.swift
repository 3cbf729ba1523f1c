import Foundation

/// What a 200 answer of `/v1/chat/completions` says, before the content is validated.
enum ChatCompletion: Sendable, Equatable {
    /// The first choice's message content, and why generation stopped ("stop", "length", ...).
    case content(String, finishReason: String?)
    /// The model declined: a `refusal` field, or `finish_reason: content_filter`.
    case refused(String)
    /// A 200 whose body is an error object (some proxies do this): worth another try.
    case serverError(String)
    /// A completion without usable content (a tool call, nothing left after reasoning): an invalid answer.
    case noContent(String)
    /// Broken JSON, typically a body cut short: worth another try.
    case brokenBody(String)
    /// Not the shape of a chat completion at all: the URL points at another API.
    case notACompletion(String)

    /// Reads `{"choices": [{"message": {"content", "refusal"}, "finish_reason"}], ...}`.
    static func read(_ body: Data) -> ChatCompletion {
        let root: StrictJSON
        do {
            root = try StrictJSON.parse(body)
        } catch {
            return .brokenBody("broken JSON (\(error.description))")
        }
        guard case .object = root else { return .notACompletion("\(root.kindName), not a chat completion object") }
        guard let choices = root["choices"] else {
            if let error = root["error"] {
                let message = error.stringValue ?? error["message"]?.stringValue ?? "an error object"
                return .serverError(message)
            }
            return .notACompletion("no \"choices\" (not a /v1/chat/completions answer?)")
        }
        guard case .array(let list) = choices, let choice = list.first, case .object = choice else {
            return .notACompletion("\"choices\" is empty or not an array of objects")
        }
        let finishReason = choice["finish_reason"]?.stringValue
        if finishReason == "content_filter" { return .refused("finish_reason content_filter") }
        guard let message = choice["message"], case .object = message else {
            return .noContent("the first choice has no \"message\"")
        }
        if let refusal = message["refusal"]?.stringValue, !refusal.trimmingCharacters(in: .whitespaces).isEmpty {
            return .refused("\"\(LabelAnswerParser.clip(refusal))\"")
        }
        guard let content = message["content"]?.stringValue else {
            if message["tool_calls"] != nil { return .noContent("a tool call instead of content") }
            return .noContent("the message has no content" + (finishReason.map { " (finish_reason \($0))" } ?? ""))
        }
        return .content(content, finishReason: finishReason)
    }
}
