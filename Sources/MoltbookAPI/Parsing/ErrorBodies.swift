import Foundation

extension MoltbookParser {
    /// An error body of either era, or nil if the body is not one:
    /// `{"success":false,"error":"...","hint":"..."}` or
    /// `{"statusCode":404,"message":"...","error":"Not Found","timestamp":"...","path":"..."}`,
    /// with `retry_after_seconds` or `retry_after_minutes` (converted to seconds) when rate limited.
    public static func errorBody(_ data: Data) -> APIErrorBody? {
        guard let object = (try? jsonValue(data)) as? JSONObject else { return nil }
        return errorBody(object: object)
    }

    static func errorBody(object: JSONObject) -> APIErrorBody? {
        let failed = Lenient.bool(object.value(.success)) == false
        let frameworkError = Lenient.int(object.value(.statusCode)).value != nil
        guard failed || frameworkError else { return nil }
        // Era C's `message` may be a list (validation errors); its `error` is only the status text.
        let message = messageText(object.value(.message)) ?? object.string(.error)
        guard let message else { return nil }
        return APIErrorBody(message: message, hint: object.string(.hint), retryAfterSeconds: retryAfter(object))
    }

    private static func messageText(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let list as [Any]:
            let parts = list.compactMap { $0 as? String }
            return parts.isEmpty ? nil : parts.joined(separator: "; ")
        default: return nil
        }
    }

    private static func retryAfter(_ object: JSONObject) -> Double? {
        if let seconds = Lenient.double(object.value(.retryAfterSeconds)).value { return seconds }
        if let minutes = Lenient.double(object.value(.retryAfterMinutes)).value { return minutes * 60 }
        return Lenient.double(object.value(.retryAfter)).value
    }
}
