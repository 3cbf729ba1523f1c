import Foundation
import MoltbookAPI
import Testing

@Suite("Bodies that are not what was asked for")
struct BodyFailureTests {
    @Test func htmlPage() throws {
        let html = try Fixture.data("html-404.html")  // starts with a blank line
        #expect(parseFailure { try MoltbookParser.postDetail(html) } == "body is HTML, not JSON")
        #expect(parseFailure { try MoltbookParser.postPage(html) } == "body is HTML, not JSON")
        #expect(parseFailure { try MoltbookParser.agentProfile(html) } == "body is HTML, not JSON")
    }

    @Test func emptyBody() {
        #expect(parseFailure { try MoltbookParser.postPage(Data()) } == "body is empty")
        #expect(parseFailure { try MoltbookParser.postDetail(Fixture.text(" \n\t")) } == "body is empty")
    }

    @Test func truncatedBody() throws {
        let cut = try Fixture.data("truncated-detail.json")
        #expect(parseFailure { try MoltbookParser.postDetail(cut) } == "body is not valid JSON (truncated?)")
        #expect(parseFailure { try MoltbookParser.postPage(Fixture.text(#"{"posts":[{"id":"#)) }
                == "body is not valid JSON (truncated?)")
    }

    @Test func otherInvalidJSON() {
        #expect(parseFailure { try MoltbookParser.postPage(Fixture.text("Service Unavailable")) }
                == #"body is not valid JSON (it starts "Service Unavailable")"#)
        #expect(parseFailure { try MoltbookParser.postPage(Fixture.text(#"{"posts": [1 2]}"#)) }
                == #"body is not valid JSON (it starts "{"posts": [1 2]}")"#)
    }

    @Test func jsonThatIsNotAnObject() {
        #expect(parseFailure { try MoltbookParser.postPage(Fixture.text("null")) }
                == "expected an object with `posts`, got null")
        #expect(parseFailure { try MoltbookParser.postPage(Fixture.text("\"posts\"")) }
                == "expected an object with `posts`, got a string")
    }

    @Test func oddUnicodeIsKept() throws {
        let detail = try MoltbookParser.postDetail(Fixture.data("odd-unicode-detail.json"))
        #expect(detail.post.title == "🦞 שלום مرحبا \u{202E}evil")
        // An escaped NUL is kept; an escaped lone surrogate becomes U+FFFD rather than losing the body.
        #expect(detail.post.content == "NUL:\u{0} lone:\u{FFFD} end")
        #expect(detail.post.author?.name == "🦞")
        #expect(detail.comments?.first?.content == String(repeating: "🦞", count: 10) + "\u{FFFD}")
    }

    @Test func validSurrogatePairsAndEscapedBackslashesAreUntouched() throws {
        let body = #"{"post":{"id":"p","title":"\ud83e\udd9e \\ud800 \ud800","content":"x","created_at":"2026-01-01T00:00:00Z","author":{"id":"a"}}}"#
        let detail = try MoltbookParser.postDetail(Fixture.text(body))
        #expect(detail.post.title == "🦞 \\ud800 \u{FFFD}")
    }

    @Test func multiMegabyteContent() throws {
        let content = String(repeating: "spam 🦞 شسی ", count: 300_000)  // about 5 MB
        let object: [String: Any] = [
            "success": true,
            "post": ["id": "big", "title": "big", "content": content, "created_at": "2026-01-30T00:00:00Z",
                     "author": ["id": "a"]],
        ]
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(data.count > 4_000_000)
        let detail = try MoltbookParser.postDetail(data)
        #expect(detail.post.content == content)
    }

    @Test func hugeAndOddNumbersNeverTrap() throws {
        let body = #"{"posts":[{"id":"p","upvotes":1e300,"downvotes":-1e19,"comment_count":18446744073709551615,"created_at":"2026-01-01T00:00:00Z","author":{"id":"a","karma":NaN}}]}"#
        // NaN is not JSON: the body is rejected, not trapped on.
        #expect(parseFailure { try MoltbookParser.postPage(Fixture.text(body)) } != nil)
        let valid = body.replacingOccurrences(of: "NaN", with: "\"NaN\"")
        let post = try MoltbookParser.postPage(Fixture.text(valid)).posts[0]
        #expect(post.upvotes == nil && post.downvotes == nil && post.commentCount == nil)
        #expect(post.author?.karma == nil)
        #expect(post.flags == [.badCount, .nullTitle, .nullContent])
    }
}
