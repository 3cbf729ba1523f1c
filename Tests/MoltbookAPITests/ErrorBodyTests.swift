import Foundation
import MoltbookAPI
import Testing

@Suite("Error bodies")
struct ErrorBodyTests {
    @Test func eraAErrorWithRetryInMinutes() throws {
        let error = MoltbookParser.errorBody(try Fixture.data("era-a-error-rate-limit.json"))
        #expect(error == APIErrorBody(message: "Rate limit exceeded", hint: "Slow down: 100 requests per minute",
                                      retryAfterSeconds: 120))
    }

    @Test func frameworkErrors() throws {
        #expect(MoltbookParser.errorBody(try Fixture.data("era-c-error-404.json"))
                == APIErrorBody(message: "Post not found", hint: nil, retryAfterSeconds: nil))
        #expect(MoltbookParser.errorBody(try Fixture.data("era-c-error-429.json"))?.retryAfterSeconds == 17)
        #expect(MoltbookParser.errorBody(try Fixture.data("era-c-error-validation.json"))?.message
                == "limit must not be greater than 100; offset must be a number")
    }

    @Test func retrySpellings() {
        let seconds = MoltbookParser.errorBody(Fixture.text(#"{"success":false,"error":"slow","retry_after_seconds":2.5}"#))
        #expect(seconds?.retryAfterSeconds == 2.5)
        let camelMinutes = MoltbookParser.errorBody(Fixture.text(#"{"success":false,"error":"slow","retryAfterMinutes":"1"}"#))
        #expect(camelMinutes?.retryAfterSeconds == 60)
        let statusOnly = MoltbookParser.errorBody(Fixture.text(#"{"statusCode":500,"error":"Internal Server Error"}"#))
        #expect(statusOnly == APIErrorBody(message: "Internal Server Error", hint: nil, retryAfterSeconds: nil))
    }

    @Test func bodiesThatAreNotErrors() throws {
        #expect(MoltbookParser.errorBody(try Fixture.data("era-b-detail-no-comments.json")) == nil)
        #expect(MoltbookParser.errorBody(try Fixture.data("html-404.html")) == nil)
        #expect(MoltbookParser.errorBody(Data()) == nil)
        #expect(MoltbookParser.errorBody(Fixture.text("[]")) == nil)
        #expect(MoltbookParser.errorBody(Fixture.text(#"{"success":true,"error":"not really"}"#)) == nil)
    }
}
