import Foundation
import Testing
@testable import MoltbookReplay

/// Each era's shapes: verbatim era-A details, camelCase eras B/C without embedded comments,
/// flat comment lists, and era C's quirks that change spellings but never values.
struct EraShapeTests {
    let capture = TestCapture.shared

    @Test func eraADetailIsTheCapturedBodyVerbatim() throws {
        try withReplayServer(era: .a) { _, port in
            let connection = try TestHTTPConnection(port: port)
            for id in capture.postIDs {
                let response = try connection.get("/api/v1/posts/\(id)")
                #expect(response.status == 200)
                #expect(response.contentType == "application/json; charset=utf-8")
                #expect(capture.lineByID[id]?.range(of: response.body) != nil, "body bytes as captured")
                #expect(isEqualJSON(try response.json(), capture.bodies[id] ?? [:]))
            }
        }
    }

    @Test func theLaterOfTwoFetchesOfAPostWins() throws {
        try withReplayServer(era: .a) { _, port in
            let body = try TestHTTPConnection.get(port: port, "/api/v1/posts/p-hand-orphan").json()
            #expect((body["post"] as? [String: Any])?["title"] as? String == "By a deleted agent")
            let gone = try TestHTTPConnection.get(port: port, "/api/v1/posts/gone")
            #expect(gone.status == 404, "a captured failure is not served as a post")
        }
    }

    @Test(arguments: [ReplayEra.b, .c])
    func camelCaseDetailsHaveNoComments(era: ReplayEra) throws {
        try withReplayServer(era: era) { _, port in
            let connection = try TestHTTPConnection(port: port)
            for id in capture.postIDs {
                let body = try connection.get("/api/v1/posts/\(id)").json()
                #expect(Set(body.keys) == ["success", "post"], "no comments, no context")
                let post = try #require(body["post"] as? [String: Any])
                #expect(allKeys(post).allSatisfy { !$0.contains("_") }, "camelCase at every depth")
                #expect(post["commentCount"] != nil && post["createdAt"] != nil)
                let expected = camelKeys(capture.bodies[id]?["post"] ?? [:])
                if era == .b {
                    #expect(isEqualJSON(post, expected))
                } else {
                    #expect(isEqualJSON(withoutQuirks(post), withoutQuirks(expected)), "same values in era C")
                }
            }
        }
    }

    @Test func eraACommentsAreTheCapturedTree() throws {
        try withReplayServer(era: .a) { _, port in
            let connection = try TestHTTPConnection(port: port)
            for (id, body) in capture.bodies {
                let page = try connection.get("/api/v1/posts/\(id)/comments").json()
                let tree = body["comments"] as? [[String: Any]] ?? []
                #expect(isEqualJSON(page["comments"] ?? [], tree))
                #expect(page["count"] as? Int == flatten(tree).count)
            }
        }
    }

    @Test(arguments: [ReplayEra.b, .c])
    func camelCaseCommentsAreAFlatPreOrderListWithParentIDs(era: ReplayEra) throws {
        var nestedSeen = 0
        try withReplayServer(era: era) { _, port in
            let connection = try TestHTTPConnection(port: port)
            for (id, body) in capture.bodies {
                let page = try connection.get("/api/v1/posts/\(id)/comments?sort=top").json()
                let served = try #require(page["comments"] as? [[String: Any]])
                let expected = flatten(body["comments"] as? [[String: Any]] ?? [])
                #expect(page["count"] as? Int == expected.count)
                #expect(served.map { $0["id"] as? String } == expected.map { $0.comment["id"] as? String }, "pre-order")
                for (comment, (original, parentID)) in zip(served, expected) {
                    #expect(comment["replies"] == nil)
                    #expect(allKeys(comment).allSatisfy { !$0.contains("_") })
                    #expect((comment["parentId"] as? String) == parentID, "parentId is the tree parent")
                    #expect(comment["parentId"] != nil, "top level has an explicit null")
                    if parentID != nil { nestedSeen += 1 }
                    let want = camelKeys(original)
                    if era == .b {
                        #expect(isEqualJSON(comment, want))
                    } else {
                        #expect(isEqualJSON(withoutQuirks(comment), withoutQuirks(want)))
                    }
                }
            }
        }
        #expect(nestedSeen >= 4, "the capture has replies to check parents with")
    }

    @Test func eraCQuirksArePresentAndDeterministic() throws {
        try withReplayServer(era: .c) { _, port in
            let connection = try TestHTTPConnection(port: port)
            let list = try connection.get("/api/v1/posts?sort=new&limit=100").json()
            let posts = try #require(list["posts"] as? [[String: Any]])
            var stringNumbers = 0, bareSubmolts = 0, looseTimes = 0, commentStringNumbers = 0, commentLooseTimes = 0
            for post in posts {
                if post["upvotes"] is String { stringNumbers += 1 }
                if post["submolt"] is String { bareSubmolts += 1 }
                if let time = post["createdAt"] as? String, time.contains(" "), time.hasSuffix("+00") { looseTimes += 1 }
                // The same post looks the same in the list and in its detail.
                let detail = try connection.get("/api/v1/posts/\(post["id"] as? String ?? "")").json()
                #expect(isEqualJSON(detail["post"] ?? [:], post))
                let comments = try connection.get("/api/v1/posts/\(post["id"] as? String ?? "")/comments").json()
                for comment in comments["comments"] as? [[String: Any]] ?? [] {
                    if comment["upvotes"] is String { commentStringNumbers += 1 }
                    if let time = comment["createdAt"] as? String, time.hasSuffix("+00") { commentLooseTimes += 1 }
                }
            }
            #expect(stringNumbers >= 1 && stringNumbers < posts.count)
            #expect(bareSubmolts >= 1 && bareSubmolts < posts.count)
            #expect(looseTimes >= 1 && looseTimes < posts.count)
            #expect(commentStringNumbers >= 1)
            #expect(commentLooseTimes >= 1)
        }
    }

    @Test func eraCTimestampsKeepTheirInstant() {
        #expect(Timestamp.eraCStyle("2026-01-31T01:34:02.700000+00:00") == "2026-01-31 01:34:02.7+00")
        #expect(Timestamp.eraCStyle("2026-01-31T01:34:02.703333+00:00") == "2026-01-31 01:34:02.703333+00")
        #expect(Timestamp.eraCStyle("2026-01-31T01:34:02+00:00") == "2026-01-31 01:34:02+00")
        #expect(Timestamp.eraCStyle("2026-01-31T01:34:02.000000Z") == "2026-01-31 01:34:02+00")
        for text in ["2026-01-31T01:34:02.703333+00:00", "2026-01-31T01:34:02.7+00:00", "2026-02-28T23:59:59.000010+00:00"] {
            #expect(Timestamp.microseconds(Timestamp.eraCStyle(text)) == Timestamp.microseconds(text))
        }
        #expect(Timestamp.microseconds("2026-01-31T01:34:02.5Z") == 1_769_823_242_500_000)
        #expect(Timestamp.microseconds("2026-01-31T02:34:02.5+01:00") == 1_769_823_242_500_000)
        #expect(Timestamp.microseconds("yesterday") == nil)
    }

    @Test(arguments: [ReplayEra.a, .b])
    func eraAAndBErrorsAreSuccessFalseBodies(era: ReplayEra) throws {
        try withReplayServer(era: era) { _, port in
            let response = try TestHTTPConnection.get(port: port, "/api/v1/posts/no-such-post")
            #expect(response.status == 404)
            #expect(response.contentType == "application/json; charset=utf-8")
            let body = try response.json()
            #expect(body["success"] as? Bool == false)
            #expect(body["error"] as? String == "Post not found")
            #expect(body["hint"] is String)
            let comments = try TestHTTPConnection.get(port: port, "/api/v1/posts/no-such-post/comments")
            #expect(comments.status == 404)
        }
    }

    @Test func eraCErrorsAreFrameworkBodies() throws {
        try withReplayServer(era: .c) { _, port in
            let response = try TestHTTPConnection.get(port: port, "/api/v1/posts/no-such-post")
            #expect(response.status == 404)
            let body = try response.json()
            #expect(body["statusCode"] as? Int == 404)
            #expect(body["message"] as? String == "Post not found")
            #expect(body["error"] as? String == "Not Found")
            #expect(body["path"] as? String == "/api/v1/posts/no-such-post")
            let timestamp = try #require(body["timestamp"] as? String)
            #expect(Timestamp.microseconds(timestamp) != nil)
            #expect(body["success"] == nil)
        }
    }

    @Test(arguments: ReplayEra.allCases)
    func unknownPathsAnswerAnHTMLPage(era: ReplayEra) throws {
        try withReplayServer(era: era) { _, port in
            let connection = try TestHTTPConnection(port: port)
            for path in ["/", "/api/v1", "/api/v1/search?q=x", "/api/v2/posts", "/api/v1/posts/x/likes", "/favicon.ico"] {
                let response = try connection.get(path)
                #expect(response.status == 404, "\(path)")
                #expect(response.contentType.hasPrefix("text/html"), "\(path)")
                #expect(String(decoding: response.body, as: UTF8.self).contains("<html"))
            }
        }
    }

    @Test(arguments: ReplayEra.allCases)
    func submoltDetailShowsItsNewestPosts(era: ReplayEra) throws {
        try withReplayServer(era: era) { _, port in
            let body = try TestHTTPConnection.get(port: port, "/api/v1/submolts/replaytest").json()
            #expect(body["success"] as? Bool == true)
            let submolt = try #require(body["submolt"] as? [String: Any])
            #expect(submolt["name"] as? String == "replaytest")
            #expect(submolt[era == .a ? "display_name" : "displayName"] as? String == "Replay Test")
            let ids = (body["posts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids == ["p-hand-link", "p-hand-orphan"], "newest first")
            let missing = try TestHTTPConnection.get(port: port, "/api/v1/submolts/no-such-submolt")
            #expect(missing.status == 404)
            #expect(missing.contentType.hasPrefix("application/json"))
        }
    }

    @Test(arguments: ReplayEra.allCases)
    func agentProfilesAreBuiltFromWhatTheCaptureKnows(era: ReplayEra) throws {
        try withReplayServer(era: era) { _, port in
            let connection = try TestHTTPConnection(port: port)
            let author = try connection.get("/api/v1/agents/profile?name=HandAgent").json()
            let agent = try #require(author["agent"] as? [String: Any])
            #expect(agent["id"] as? String == "a-hand-1")
            #expect(agent["description"] as? String == #"writes "quotes" and \ slashes"#)
            #expect(withoutQuirks(agent["karma"] ?? 0, key: "karma") as? Int == 7)
            #expect(agent[era == .a ? "following_count" : "followingCount"] as? Int == 3)
            let recent = try #require(author["recentPosts"] as? [[String: Any]])
            #expect(recent.compactMap { $0["id"] as? String } == ["p-hand-link"])
            #expect(recent.first?["author"] == nil)

            // A commenter: only id, name, karma and followers are known.
            let replier = try connection.get("/api/v1/agents/profile?name=Replier").json()
            let known = try #require(replier["agent"] as? [String: Any])
            #expect(known["id"] as? String == "a-hand-2")
            #expect(known["description"] is NSNull)
            #expect((replier["recentPosts"] as? [Any])?.isEmpty == true)
            #expect(try connection.get("/api/v1/agents/profile?name=replier").status == 200, "names ignore case")

            let unknown = try connection.get("/api/v1/agents/profile?name=Nobody%20Here")
            #expect(unknown.status == 404)
            #expect(unknown.contentType.hasPrefix("application/json"))
            #expect(try connection.get("/api/v1/agents/profile").status == 404)
        }
    }

    @Test func anAuthorizationHeaderMustBeABearerToken() throws {
        try withReplayServer(era: .b) { _, port in
            let connection = try TestHTTPConnection(port: port)
            #expect(try connection.get("/api/v1/posts?limit=1", headers: ["Authorization": "Bearer moltbook_sk_test"]).status == 200)
            let wrong = try connection.get("/api/v1/posts?limit=1", headers: ["Authorization": "Basic dXNlcjpwdw=="])
            #expect(wrong.status == 401)
            #expect(!String(decoding: wrong.body, as: UTF8.self).contains("dXNlcjpwdw"), "the credential is never echoed")
            #expect(try connection.get("/api/v1/posts?limit=1", headers: ["Authorization": "Bearer "]).status == 401)
            #expect(try connection.get("/api/v1/posts?limit=1").status == 200, "no token is fine")
        }
    }
}
