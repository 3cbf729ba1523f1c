/// The bodies of failures: era A/B's `{"success":false,...}`, era C's framework errors, the
/// rate-limit answer, and the HTML page the site shows for unknown paths.
enum ErrorBodies {
    static func apiError(status: Int, message: String, hint: String, path: String, era: ReplayEra) -> ReplayResponse {
        let body: JSONValue
        switch era {
        case .a, .b:
            body = .object([
                JSONMember("success", .bool(false)),
                JSONMember("error", .string(message)),
                JSONMember("hint", .string(hint)),
            ])
        case .c:
            body = .object([
                JSONMember("statusCode", .int(status)),
                JSONMember("message", .string(message)),
                JSONMember("error", .string(ReplayResponse.reason(status))),
                JSONMember("timestamp", .string(Timestamp.nowISO())),
                JSONMember("path", .string(path)),
            ])
        }
        return ReplayResponse(status: status, json: body)
    }

    static func rateLimited() -> ReplayResponse {
        let body = JSONValue.object([
            JSONMember("success", .bool(false)),
            JSONMember("error", .string("Rate limit exceeded")),
            JSONMember("retry_after_seconds", .int(1)),
        ])
        var response = ReplayResponse(status: 429, json: body)
        response.extraHeaders.append(("Retry-After", "1"))
        return response
    }

    static func serverError(status: Int, path: String, era: ReplayEra) -> ReplayResponse {
        let message = status == 503 ? "Service temporarily unavailable" : "Internal server error"
        return apiError(status: status, message: message, hint: "Try again later", path: path, era: era)
    }

    /// What the real site (a web app in front of the API) answers for a path it does not know.
    static func htmlNotFound() -> ReplayResponse {
        let page = """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>404: This page could not be found.</title>\
            </head><body><div style="font-family:system-ui,sans-serif;height:100vh;text-align:center;display:flex;\
            flex-direction:column;align-items:center;justify-content:center"><h1 style="display:inline-block;\
            margin:0 20px 0 0;padding:0 23px 0 0;font-size:24px;font-weight:500">404</h1><h2 style="font-size:14px;\
            font-weight:400;margin:0">This page could not be found.</h2></div></body></html>
            """
        return ReplayResponse(status: 404, contentType: "text/html; charset=utf-8", body: Array(page.utf8))
    }
}
