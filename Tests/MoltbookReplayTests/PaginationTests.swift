import Foundation
import Testing
@testable import MoltbookReplay

/// Every listing, walked to its end, gives every item exactly once.
struct PaginationTests {
    let capture = TestCapture.shared

    /// Posts that `sort=rising` lists: those with comments.
    var postsWithComments: Set<String> {
        Set(capture.bodies.filter { _, body in
            let declared = (body["post"] as? [String: Any])?["comment_count"] as? Int ?? 0
            return declared > 0 || !(body["comments"] as? [Any] ?? []).isEmpty
        }.keys)
    }

    @Test(arguments: ReplayEra.allCases, ["new", "hot", "top", "rising"])
    func walkingAListingServesEveryPostExactlyOnce(era: ReplayEra, sort: String) throws {
        let expected = sort == "rising" ? postsWithComments : capture.postIDs
        try withReplayServer(era: era) { _, port in
            let walk = try walkPostPages(port: port, era: era, sort: sort, limit: 4)
            #expect(walk.ids.count == expected.count, "no post twice")
            #expect(Set(walk.ids) == expected, "every post")
            #expect(walk.pages == (expected.count + 3) / 4)
            if era == .a {
                #expect(walk.firstPage["count"] as? Int == expected.count)
                #expect(walk.firstPage["next_offset"] as? Int == 4)
                #expect(walk.firstPage["next_cursor"] == nil)
            } else {
                #expect(walk.firstPage["count"] == nil)
                #expect(walk.firstPage["next_offset"] == nil)
                #expect(walk.firstPage["next_cursor"] is String)
            }
        }
    }

    @Test(arguments: [ReplayEra.b, .c])
    func theLastCursorPageHasNoNextCursor(era: ReplayEra) throws {
        try withReplayServer(era: era) { _, port in
            let page = try TestHTTPConnection.get(port: port, "/api/v1/posts?sort=new&limit=100").json()
            #expect(page["has_more"] as? Bool == false)
            #expect(page["next_cursor"] is NSNull)
            #expect((page["posts"] as? [Any])?.count == capture.postIDs.count)
        }
    }

    @Test func newIsNewestFirstAndTopIsMostUpvotedFirst() throws {
        try withReplayServer(era: .a) { _, port in
            let new = try TestHTTPConnection.get(port: port, "/api/v1/posts?sort=new&limit=100").json()
            let times = (new["posts"] as? [[String: Any]] ?? []).map { canonicalTimestamp($0["created_at"] as? String ?? "") }
            #expect(times == times.sorted(by: >))
            let top = try TestHTTPConnection.get(port: port, "/api/v1/posts?sort=top&limit=100").json()
            let votes = (top["posts"] as? [[String: Any]] ?? []).map { $0["upvotes"] as? Int ?? -1 }
            #expect(votes == votes.sorted(by: >))
            #expect(votes.count == capture.postIDs.count)
        }
    }

    @Test func listItemsCarryNoComments() throws {
        try withReplayServer(era: .a) { _, port in
            let page = try TestHTTPConnection.get(port: port, "/api/v1/posts?sort=new&limit=100").json()
            for post in page["posts"] as? [[String: Any]] ?? [] {
                #expect(post["comments"] == nil)
                let id = post["id"] as? String ?? ""
                #expect(isEqualJSON(post, capture.bodies[id]?["post"] ?? [:]), "list item is the captured post")
            }
        }
    }

    @Test func limitIsClampedAndDefaultsTo25() throws {
        try withReplayServer(era: .a) { _, port in
            let connection = try TestHTTPConnection(port: port)
            let huge = try connection.get("/api/v1/posts?limit=1000").json()
            #expect((huge["posts"] as? [Any])?.count == min(100, capture.postIDs.count))
            let zero = try connection.get("/api/v1/posts?limit=0").json()
            #expect((zero["posts"] as? [Any])?.count == 1)
            let plain = try connection.get("/api/v1/posts").json()
            #expect((plain["posts"] as? [Any])?.count == min(25, capture.postIDs.count))
            let past = try connection.get("/api/v1/posts?offset=100000").json()
            #expect((past["posts"] as? [Any])?.isEmpty == true)
            #expect(past["has_more"] as? Bool == false)
        }
    }

    @Test(arguments: [ReplayEra.b, .c])
    func aForeignCursorIsRefused(era: ReplayEra) throws {
        try withReplayServer(era: era) { _, port in
            let response = try TestHTTPConnection.get(port: port, "/api/v1/posts?cursor=not-ours")
            #expect(response.status == 400)
            #expect(response.contentType.hasPrefix("application/json"))
        }
    }

    @Test(arguments: ReplayEra.allCases)
    func submoltPagesWalkEverySubmoltOnceSortedByName(era: ReplayEra) throws {
        let expected = Set(capture.bodies.values.compactMap { (($0["post"] as? [String: Any])?["submolt"] as? [String: Any])?["name"] as? String })
        try withReplayServer(era: era) { _, port in
            let connection = try TestHTTPConnection(port: port)
            var names: [String] = []
            var offset = 0
            while true {
                let page = try connection.get("/api/v1/submolts?limit=3&offset=\(offset)").json()
                #expect(page["count"] as? Int == expected.count)
                let items = page["submolts"] as? [[String: Any]] ?? []
                names += items.compactMap { $0["name"] as? String }
                for item in items {
                    let keys = era == .a
                        ? ["id", "name", "display_name", "description", "subscriber_count", "created_at"]
                        : ["id", "name", "displayName", "description", "subscriberCount", "createdAt"]
                    #expect(Set(item.keys) == Set(keys))
                }
                guard page["has_more"] as? Bool == true else { break }
                offset = page["next_offset"] as? Int ?? 0
            }
            #expect(names == names.sorted())
            #expect(names.count == expected.count)
            #expect(Set(names) == expected)
        }
    }
}
