import Foundation
import MoltbookAPI
import Testing

@Suite("Post details")
struct PostDetailTests {
    @Test func realDetailWithRepliesFourLevelsDeep() throws {
        let detail = try MoltbookParser.postDetail(Fixture.data("era-a-detail-deep-replies.json"))
        let post = detail.post
        #expect(post.id == "95f1f42d-79ee-4076-9056-e4c1dd03bc30")
        #expect(post.title == "[build] jan 31: keep it real, keep it playable")
        #expect(post.commentCount == 5)
        #expect(post.createdAt.iso == "2026-01-31T01:49:04.127494Z")
        #expect(post.submolt == APISubmolt(id: "2b168b4d-750e-4b1a-8dbd-3a6e9adb5eab", name: "clipfarm",
                                           displayName: "clip farm"))
        #expect(post.author?.name == "clipfarm_molt_2ae85c")
        #expect(post.flags == [])

        let comments = try #require(detail.comments)
        // Pre-order: each comment, then its replies, then its next sibling.
        #expect(comments.map(\.id) == [
            "4f9ee40b-5059-458b-8ea7-930f29565531", "d6da639e-1938-47a4-8728-9167dadaee56",
            "d6348d9f-238f-409c-a27e-a977529fb03a", "af876224-6e10-47d9-8170-e21c900cf3e5",
            "34344ef1-702d-4e9f-88fa-ba45a0e72c6e",
        ])
        #expect(comments.map(\.depth) == [0, 1, 2, 3, 3])
        #expect(comments.map(\.parentId) == [
            nil, "4f9ee40b-5059-458b-8ea7-930f29565531", "d6da639e-1938-47a4-8728-9167dadaee56",
            "d6348d9f-238f-409c-a27e-a977529fb03a", "d6348d9f-238f-409c-a27e-a977529fb03a",
        ])
        #expect(comments.allSatisfy { $0.postId == post.id && $0.flags == [] })
        #expect(comments[0].upvotes == 1)
        #expect(comments[0].createdAt.iso == "2026-01-31T01:49:30.237202Z")
        #expect(comments[1].author?.name == "PennyBotAI")
    }

    @Test func realNullContentPost() throws {
        let detail = try MoltbookParser.postDetail(Fixture.data("era-a-detail-null-content.json"))
        #expect(detail.post.content == nil)
        #expect(detail.post.url == nil)
        #expect(detail.post.title == "🦞🦞")
        #expect(detail.post.submolt?.displayName == "🦞 Crab Rave 🦞")
        #expect(detail.post.flags == [.nullContent])
        #expect(detail.comments == [])  // embedded but empty: not nil
    }

    @Test func realLinkPost() throws {
        let detail = try MoltbookParser.postDetail(Fixture.data("era-a-detail-link-post.json"))
        #expect(detail.post.url == "https://www.moltbook.com/post/26788355-903a-4d93-8503-d16d63d36fb4")
        #expect(detail.post.flags == [.nullContent])
        #expect(detail.comments?.map(\.depth) == [0, 1, 0, 1])
    }

    @Test func eraBDetailWithoutCommentsHasNilComments() throws {
        let detail = try MoltbookParser.postDetail(Fixture.data("era-b-detail-no-comments.json"))
        #expect(detail.comments == nil)
        #expect(detail.post.id == "p-b9")
        #expect(detail.post.commentCount == 3)
        #expect(detail.post.createdAt.iso == "2026-02-04T08:00:00.000001Z")
        #expect(detail.post.submolt == APISubmolt(name: "general", displayName: "General"))
        #expect(detail.post.author == APIAgent(id: "a-9", name: "Nine", karma: 99, followerCount: 10, followingCount: 3))
    }

    @Test func commentsNestedInsideThePostAreFound() throws {
        let body = #"{"post":{"id":"p","title":"t","content":"c","created_at":"2026-01-01T00:00:00Z","author":{"id":"a"},"comments":[{"id":"c1","content":"x","created_at":"2026-01-01T00:00:01Z","author":{"id":"a"}}]}}"#
        let detail = try MoltbookParser.postDetail(Fixture.text(body))
        #expect(detail.comments?.map(\.id) == ["c1"])
    }

    @Test func parsedObjectGivesTheSameDetail() throws {
        let data = try Fixture.data("era-a-detail-deep-replies.json")
        let object = try JSONSerialization.jsonObject(with: data)
        #expect(try MoltbookParser.postDetail(object: object) == MoltbookParser.postDetail(data))
    }

    @Test func missingPostOrIdIsAnError() {
        #expect(parseFailure { try MoltbookParser.postDetail(Fixture.text(#"{"success":true}"#)) }
                == "expected an object with `post`")
        #expect(parseFailure { try MoltbookParser.postDetail(Fixture.text(#"{"post":{"title":"x"}}"#)) }
                == "`post` has no `id` string")
        #expect(parseFailure { try MoltbookParser.postDetail(object: "text") }
                == "expected an object with `post`, got a string")
        #expect(parseFailure {
            try MoltbookParser.postDetail(Fixture.text(#"{"post":{"id":"p"},"comments":[{"content":"no id"}]}"#))
        } == "comment 0 of post p has no `id` string")
        #expect(parseFailure {
            try MoltbookParser.postDetail(Fixture.text(#"{"post":{"id":"p"},"comments":{"id":"c"}}"#))
        } == "`comments` of post p is an object, expected an array")
    }

    @Test func errorBodyInsteadOfDetail() {
        #expect(parseFailure { try MoltbookParser.postDetail(Fixture.data("era-c-error-404.json")) }
                == "body is an API error, not `post`: Post not found")
    }
}
