import Foundation
import MoltbookAPI
import Testing

@Suite("Capture lines")
struct CaptureLineTests {
    @Test func realCaptureLines() throws {
        let records = try Fixture.lines("capture-sample.jsonl").map(MoltbookParser.captureLine)
        #expect(records.count == 5)
        #expect(records.allSatisfy { $0.status == 200 && $0.error == nil && $0.detail != nil })
        #expect(records.allSatisfy { $0.endpoint == "/posts/\($0.detail?.post.id ?? "")" })
        #expect(records[0].fetchedAt == APITimestamp(raw: "2026-01-31T07:20:53.016491+00:00",
                                                      iso: "2026-01-31T07:20:53.016491Z"))
        #expect(records.map { $0.detail?.comments?.count } == [5, 0, 4, 2, 87])
        #expect(records[0].detail?.comments?.map(\.depth).max() == 3)
        #expect(records[1].detail?.post.flags == [.nullContent])
        #expect(records[2].detail?.post.url != nil)
        #expect(records[3].detail?.post.url != nil && records[3].detail?.post.content != nil)

        // The post with many comments: every comment is read, in pre-order, with its parent present earlier.
        let many = try #require(records[4].detail?.comments)
        var seen = Set<String>()
        for comment in many {
            if let parent = comment.parentId { #expect(seen.contains(parent)) }
            #expect(comment.depth == 0 ? comment.parentId == nil : comment.parentId != nil)
            seen.insert(comment.id)
        }
        #expect(records[4].detail?.post.commentCount == 87)
    }

    @Test func captureLineMatchesTheBodyParsedAlone() throws {
        let line = try Fixture.lines("capture-sample.jsonl")[0]
        let fromLine = try MoltbookParser.captureLine(line).detail
        #expect(fromLine == (try MoltbookParser.postDetail(Fixture.data("era-a-detail-deep-replies.json"))))
    }

    @Test func errorLines() throws {
        let notFound = try MoltbookParser.captureLine(Fixture.text(
            #"{"endpoint":"/posts/x","fetched_at":"2026-01-31T00:00:00+00:00","status":404,"body":{"statusCode":404,"message":"Post not found","error":"Not Found"}}"#))
        #expect(notFound.status == 404)
        #expect(notFound.detail == nil)
        #expect(notFound.error?.message == "Post not found")

        let limited = try MoltbookParser.captureLine(Fixture.text(
            #"{"endpoint":"/posts/y","fetchedAt":"2026-01-31 00:00:00+00","status":"429","body":{"success":false,"error":"Slow down","retry_after_seconds":30}}"#))
        #expect(limited.status == 429)
        #expect(limited.fetchedAt.iso == "2026-01-31T00:00:00.000000Z")
        #expect(limited.error?.retryAfterSeconds == 30)

        let errorWith200 = try MoltbookParser.captureLine(Fixture.text(
            #"{"endpoint":"/posts/z","status":200,"body":{"success":false,"error":"Internal error"}}"#))
        #expect(errorWith200.detail == nil && errorWith200.error?.message == "Internal error")
        #expect(errorWith200.fetchedAt == APITimestamp(raw: nil, iso: nil))

        let html500 = try MoltbookParser.captureLine(Fixture.text(
            #"{"endpoint":"/posts/w","status":502,"body":"<html>Bad Gateway</html>"}"#))
        #expect(html500.detail == nil && html500.error == nil)
    }

    @Test func malformedLines() {
        #expect(parseFailure { try MoltbookParser.captureLine(Fixture.text(#"{"endpoint":"/posts/x","status":200"#)) }
                == "capture line: body is not valid JSON (truncated?)")
        #expect(parseFailure { try MoltbookParser.captureLine(Fixture.text(#"{"status":200,"body":{}}"#)) }
                == "capture line has no `endpoint`")
        #expect(parseFailure { try MoltbookParser.captureLine(Fixture.text(#"{"endpoint":"/posts/x","body":{}}"#)) }
                == "capture line for /posts/x has no numeric `status`")
        #expect(parseFailure { try MoltbookParser.captureLine(Fixture.text(#"{"endpoint":"/posts/x","status":200}"#)) }
                == "capture line for /posts/x has no `body`")
        #expect(parseFailure { try MoltbookParser.captureLine(Fixture.text(#"{"endpoint":"/posts/x","status":200,"body":{"post":{}}}"#)) }
                == "capture line for /posts/x: `post` has no `id` string")
        #expect(parseFailure { try MoltbookParser.captureLine(Fixture.text("[]")) }
                == "capture line is an array, expected an object")
    }
}
