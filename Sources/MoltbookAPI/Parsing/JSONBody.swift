import Foundation

extension MoltbookParser {
    /// The JSON value of a response body, or a ParseError saying plainly why it is not one:
    /// empty, an HTML page (unknown paths answer a 404 page), cut short, or otherwise not JSON.
    static func jsonValue(_ data: Data) throws -> Any {
        guard let first = JSONText.firstSignificantByte(data) else { throw ParseError("body is empty") }
        if first == UInt8(ascii: "<") { throw ParseError("body is HTML, not JSON") }
        if let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) {
            return value
        }
        // Agents post odd text: an escaped lone surrogate (`\ud800`) makes the whole body unreadable
        // to JSONSerialization, so it is replaced by U+FFFD and the body read again. A number beyond
        // Double's range (`1e999`) does the same to a whole page: it is read as a string instead, so
        // only its field is unreadable (a count flags `.badCount`).
        let withoutSurrogates = JSONText.replacingLoneSurrogates(in: data)
        let withoutHugeNumbers = JSONText.quotingUnrepresentableNumbers(in: withoutSurrogates ?? data)
        if let repaired = withoutHugeNumbers ?? withoutSurrogates,
           let value = try? JSONSerialization.jsonObject(with: repaired, options: [.fragmentsAllowed]) {
            return value
        }
        // JSONSerialization refuses deeper nesting (so never overflows the stack) but says only "not valid".
        if JSONText.nestingDepth(data) > JSONText.maximumDepth {
            throw ParseError("body nests arrays or objects deeper than \(JSONText.maximumDepth) levels")
        }
        if JSONText.looksTruncated(data) { throw ParseError("body is not valid JSON (truncated?)") }
        if !JSONText.isValidUTF8(data) { throw ParseError("body is not valid UTF-8, so not JSON") }
        throw ParseError("body is not valid JSON (it starts \(JSONText.preview(data)))")
    }

    /// The body as an object holding `key`. A body that is an API error instead fails with the
    /// API's own message, which says more than "no `posts`".
    static func responseObject(_ data: Data, holding key: FieldKey) throws -> JSONObject {
        try responseObject(try jsonValue(data), holding: key)
    }

    static func responseObject(_ value: Any, holding key: FieldKey) throws -> JSONObject {
        guard let object = value as? JSONObject else {
            throw ParseError("expected an object with `\(key.snake)`, got \(jsonKind(value))")
        }
        if object.value(key) != nil { return object }
        if let error = errorBody(object: object) {
            throw ParseError("body is an API error, not `\(key.snake)`: \(error.message)")
        }
        throw ParseError("expected an object with `\(key.snake)`")
    }
}
