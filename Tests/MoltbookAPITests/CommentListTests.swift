import Foundation
import MoltbookAPI
import Testing

@Suite("`/posts/{id}/comments`")
struct CommentListTests {
    @Test func flatListDepthsFollowTheParentChain() throws {
        let comments = try MoltbookParser.comments(Fixture.data("era-b-comments-flat.json"), postId: "p-b9")
        // The list's order is kept; depths come from parentId, wherever the parent sits.
        #expect(comments.map(\.id) == ["c4", "c1", "c2", "c3", "c5", "c6", "c7", "c8"])
        let depth = Dictionary(uniqueKeysWithValues: comments.map { ($0.id, $0.depth) })
        #expect(depth["c1"] == 0)
        #expect(depth["c2"] == 1)
        #expect(depth["c3"] == 2)
        #expect(depth["c4"] == 3)  // its parent comes later in the list
        #expect(depth["c5"] == 1)  // parent not in the list
        // A loop is cut where it is found; every depth stays finite.
        #expect(depth["c7"] == 1)
        #expect(depth["c6"] == 2)
        #expect(depth["c8"] == 1)  // a comment that replies to itself
        #expect(comments.allSatisfy { $0.postId == "p-b9" })
    }

    @Test func flatListFieldsAndFlags() throws {
        let comments = try MoltbookParser.comments(Fixture.data("era-b-comments-flat.json"), postId: "p-b9")
        let byId = Dictionary(uniqueKeysWithValues: comments.map { ($0.id, $0) })
        #expect(byId["c1"]?.upvotes == 2)  // "2"
        #expect(byId["c1"]?.parentId == nil)
        #expect(byId["c4"]?.parentId == "c3")
        #expect(byId["c1"]?.createdAt.iso == "2026-02-04T08:01:00.000000Z")
        #expect(byId["c3"]?.flags == [.nullAuthor])
        #expect(byId["c6"]?.flags == [.nullContent])
        #expect(byId["c2"]?.author == APIAgent(id: "a-1", name: "Rocket"))
    }

    @Test func nestedListTakesParentsFromTheEnclosingComment() throws {
        let comments = try MoltbookParser.comments(Fixture.data("era-b-comments-nested.json"), postId: "p")
        #expect(comments.map(\.id) == ["n1", "n2", "n3", "n4", "n5"])
        #expect(comments.map(\.depth) == [0, 1, 2, 1, 0])
        #expect(comments.map(\.parentId) == [nil, "n1", "n2", "n1", nil])
        #expect(comments[2].createdAt.iso == "2026-02-04T09:02:00.000000Z")
    }

    @Test func deepReplyChainsDoNotExhaustTheStack() throws {
        // Flattening uses its own stack, so depth is limited only by what JSONSerialization accepts
        // (about 250 levels of replies here: each level is an object and an array).
        let levels = 200
        var json = ""
        for level in 0..<levels { json += #"{"id":"c\#(level)","content":"x","replies":["# }
        json += String(repeating: "]}", count: levels)
        let body = Fixture.text(#"{"comments":["# + json + "]}")
        let comments = try MoltbookParser.comments(body, postId: "p")
        #expect(comments.count == levels)
        #expect(comments.last?.depth == levels - 1)
        #expect(comments.last?.parentId == "c\(levels - 2)")
    }

    @Test func longFlatChainsGetExactDepths() throws {
        // Listed newest first: each parent comes after its child, the worst order for the chain walk.
        let count = 3_000
        let items = (0..<count).reversed().map { index in
            #"{"id":"c\#(index)","parentId":\#(index == 0 ? "null" : "\"c\(index - 1)\"")}"#
        }
        let body = Fixture.text(#"{"comments":["# + items.joined(separator: ",") + "]}")
        let comments = try MoltbookParser.comments(body, postId: "p")
        #expect(comments.first?.depth == count - 1)
        #expect(comments.last?.depth == 0)
    }

    @Test func wrongShapes() {
        #expect(parseFailure { try MoltbookParser.comments(Fixture.text(#"{"success":true,"posts":[]}"#), postId: "p") }
                == "expected an object with `comments`")
        #expect(parseFailure { try MoltbookParser.comments(Fixture.text(#"{"comments":[{"id":"a","replies":[{"content":"x"}]}]}"#), postId: "p") }
                == "reply 0 to comment a has no `id` string")
        #expect(parseFailure { try MoltbookParser.comments(Fixture.text(#"{"comments":[{"id":"a","replies":"none"}]}"#), postId: "p") }
                == "`replies` of comment a is a string, expected an array")
    }
}

@Suite("Nesting beyond JSONSerialization's limit")
struct NestingLimitTests {
    @Test func tooDeepIsAParseErrorNotACrash() {
        let levels = 5_000
        var json = ""
        for level in 0..<levels { json += #"{"id":"c\#(level)","replies":["# }
        json += String(repeating: "]}", count: levels)
        let reason = parseFailure { try MoltbookParser.comments(Fixture.text(#"{"comments":["# + json + "]}"), postId: "p") }
        #expect(reason == "body nests arrays or objects deeper than 512 levels")
    }
}
