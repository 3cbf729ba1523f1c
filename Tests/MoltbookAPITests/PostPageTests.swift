import Foundation
import MoltbookAPI
import Testing

@Suite("Post pages")
struct PostPageTests {
    @Test func eraAOffsetPage() throws {
        let page = try MoltbookParser.postPage(Fixture.data("era-a-post-page-offset.json"))
        #expect(page.hasMore)
        #expect(page.nextOffset == 25)
        #expect(page.nextCursor == nil)
        #expect(page.count == 4222)
        #expect(page.posts.map(\.id) == ["p-a1", "p-a2"])

        let first = page.posts[0]
        #expect(first.title == "First")
        #expect(first.upvotes == 3 && first.downvotes == 0 && first.commentCount == 2)
        #expect(first.createdAt.iso == "2026-01-30T01:53:43.820007Z")
        #expect(first.submolt == APISubmolt(id: "s-1", name: "general", displayName: "General"))
        #expect(first.author?.name == "Rocket")
        #expect(first.author?.followingCount == 2)
        #expect(first.flags == [])

        let link = page.posts[1]
        #expect(link.url == "https://example.com/x")
        #expect(link.content == nil)
        #expect(link.author == nil)
        #expect(link.flags == [.nullContent, .nullAuthor])
        #expect(link.createdAt.iso == "2026-01-30T01:54:00.100000Z")
    }

    @Test func eraBCursorPageInCamelCase() throws {
        let page = try MoltbookParser.postPage(Fixture.data("era-b-post-page-cursor.json"))
        #expect(page.hasMore)
        #expect(page.nextCursor == "eyJpZCI6InAtYjMifQ==")
        #expect(page.nextOffset == nil)
        #expect(page.count == nil)
        #expect(page.posts.count == 3)
    }

    @Test func numbersAsStringsAndFloatsAreRead() throws {
        let post = try MoltbookParser.postPage(Fixture.data("era-b-post-page-cursor.json")).posts[0]
        #expect(post.upvotes == 3)
        #expect(post.downvotes == 0)
        #expect(post.commentCount == 7)
        #expect(post.createdAt.iso == "2026-02-03T10:15:00.500000Z")
        #expect(post.submolt == APISubmolt(name: "general"))  // a bare name string
        let author = try #require(post.author)
        #expect(author == APIAgent(id: "a-2", name: "Zyn", karma: 12, followerCount: 4, followingCount: 1,
                                   isClaimed: true, isActive: false))
        #expect(post.flags == [])
    }

    @Test func unreadableCountsAndDatesAreFlaggedNotFatal() throws {
        let post = try MoltbookParser.postPage(Fixture.data("era-b-post-page-cursor.json")).posts[1]
        #expect(post.title == nil)
        #expect(post.upvotes == nil)     // "lots"
        #expect(post.downvotes == nil)   // a boolean is not a count
        #expect(post.commentCount == nil)  // 2.5
        #expect(post.createdAt == APITimestamp(raw: "2026-02-30T10:00:00Z", iso: nil))
        #expect(post.author == nil)
        #expect(post.submolt == APISubmolt(id: "s-3", name: "offtopic", displayName: "Off Topic", subscriberCount: 9))
        #expect(post.flags == [.nullTitle, .nullAuthor, .badCount, .badTimestamp])
        #expect(post.flags.names == "null_author,bad_timestamp,null_title,bad_count")
    }

    @Test func offsetsRollOverAndNestedProblemsReachThePost() throws {
        let post = try MoltbookParser.postPage(Fixture.data("era-b-post-page-cursor.json")).posts[2]
        #expect(post.createdAt.iso == "2026-03-01T04:30:00.123000Z")
        #expect(post.content == "")  // empty is not null
        #expect(post.submolt == APISubmolt(name: "late"))  // from `submoltName`
        #expect(post.author?.createdAt == APITimestamp(raw: "not a date", iso: nil))
        #expect(post.flags == [.badTimestamp])
    }

    @Test func hasMoreFollowsTheCursorWhenAbsent() throws {
        let page = try MoltbookParser.postPage(Fixture.text(#"{"posts":[],"nextCursor":"abc"}"#))
        #expect(page.hasMore)
        #expect(page.posts.isEmpty)
        let last = try MoltbookParser.postPage(Fixture.text(#"{"success":true,"posts":[],"has_more":false,"next_cursor":null}"#))
        #expect(!last.hasMore)
        #expect(last.nextCursor == nil)
        let stringy = try MoltbookParser.postPage(Fixture.text(#"{"posts":[],"has_more":"true","next_offset":"50","count":"7"}"#))
        #expect(stringy.hasMore && stringy.nextOffset == 50 && stringy.count == 7)
    }

    @Test func aPostWithoutAnIdIsAnError() {
        let reason = parseFailure {
            try MoltbookParser.postPage(Fixture.text(#"{"posts":[{"id":"p1","title":"ok"},{"title":"no id"}]}"#))
        }
        #expect(reason == "post 1 of `posts` has no `id` string")
        let numeric = parseFailure { try MoltbookParser.postPage(Fixture.text(#"{"posts":[{"id":12}]}"#)) }
        #expect(numeric == "post 0 of `posts` has no `id` string")
    }

    @Test func wrongShapesSayWhatWasExpected() {
        #expect(parseFailure { try MoltbookParser.postPage(Fixture.text(#"{"success":true,"post":{}}"#)) }
                == "expected an object with `posts`")
        #expect(parseFailure { try MoltbookParser.postPage(Fixture.text(#"[1,2]"#)) }
                == "expected an object with `posts`, got an array")
        #expect(parseFailure { try MoltbookParser.postPage(Fixture.text(#"{"posts":"none"}"#)) }
                == "`posts` is a string, expected an array")
        #expect(parseFailure { try MoltbookParser.postPage(Fixture.text(#"{"posts":[42]}"#)) }
                == "post 0 of `posts` is a number, expected an object")
    }

    @Test func anErrorBodyInsteadOfAPageNamesTheAPIsMessage() throws {
        let reason = parseFailure { try MoltbookParser.postPage(Fixture.data("era-a-error-rate-limit.json")) }
        #expect(reason == "body is an API error, not `posts`: Rate limit exceeded")
        let framework = parseFailure { try MoltbookParser.postPage(Fixture.data("era-c-error-404.json")) }
        #expect(framework == "body is an API error, not `posts`: Post not found")
    }
}
