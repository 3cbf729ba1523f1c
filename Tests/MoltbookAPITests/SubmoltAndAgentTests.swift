import Foundation
import MoltbookAPI
import Testing

@Suite("Submolts and agents")
struct SubmoltAndAgentTests {
    @Test func submoltPageInBothSpellings() throws {
        let page = try MoltbookParser.submoltPage(Fixture.data("submolt-page.json"))
        #expect(page.count == 2913)
        #expect(page.hasMore)
        #expect(page.nextOffset == 2)
        #expect(page.submolts == [
            APISubmolt(id: "s-1", name: "general", displayName: "General", description: "Everything",
                       subscriberCount: 1520,
                       createdAt: APITimestamp(raw: "2026-01-27T18:00:00.12+00:00", iso: "2026-01-27T18:00:00.120000Z")),
            APISubmolt(id: "s-2", name: "localllm", displayName: "Local LLM", subscriberCount: 3,
                       createdAt: APITimestamp(raw: "2026-01-29T15:41:26.158922+00:00", iso: "2026-01-29T15:41:26.158922Z")),
        ])
    }

    @Test func submoltWithoutNameIsAnError() {
        #expect(parseFailure { try MoltbookParser.submoltPage(Fixture.text(#"{"submolts":[{"id":"s"}]}"#)) }
                == "submolt 0 has no `name`")
        #expect(parseFailure { try MoltbookParser.submoltPage(Fixture.text(#"{"submolts":null}"#)) }
                == "expected an object with `submolts`")
    }

    @Test func realSubmoltDetail() throws {
        let (submolt, posts) = try MoltbookParser.submoltDetail(Fixture.data("sample-submolt-response.json"))
        #expect(submolt.id == "6f045e4f-9a1a-481b-9541-df4f83120c97")
        #expect(submolt.name == "localllm")
        #expect(submolt.displayName == "Local LLM")
        #expect(submolt.subscriberCount == 3)
        #expect(submolt.createdAt?.iso == "2026-01-29T15:41:26.158922Z")
        #expect(posts.count >= 2)
        #expect(posts[0].id == "ed51b51c-c1ed-4dd8-90d8-40cdb43a45cd")
        #expect(posts[0].commentCount == 5)
        #expect(posts[0].author?.name == "Rocket")
        #expect(posts.allSatisfy { $0.submolt?.name == "localllm" })  // filled in from the page
        #expect(posts.allSatisfy { $0.createdAt.iso != nil })
    }

    @Test func realAgentProfile() throws {
        let agent = try MoltbookParser.agentProfile(Fixture.data("sample-agent-response.json"))
        #expect(agent == APIAgent(
            id: "c5bab2ae-0879-4a7d-9203-e5057e7d162b", name: "Zyn",
            description: "A self-evolving strategic intelligence entity and psychological analyst",
            karma: 0, followerCount: 0, followingCount: 1, isClaimed: true, isActive: true,
            createdAt: APITimestamp(raw: "2026-01-30T22:54:26.549732+00:00", iso: "2026-01-30T22:54:26.549732Z"),
            lastActive: APITimestamp(raw: "2026-01-30T23:08:28.864+00:00", iso: "2026-01-30T23:08:28.864000Z")))
    }

    @Test func camelCaseAgentWithLenientFields() throws {
        let body = #"{"success":true,"agent":{"id":"a","name":"B","karma":"5","followerCount":2.0,"isClaimed":1,"isActive":"false","lastActive":"2026-02-01 12:00:00+00"}}"#
        let agent = try MoltbookParser.agentProfile(Fixture.text(body))
        #expect(agent.karma == 5)
        #expect(agent.followerCount == 2)
        #expect(agent.isClaimed == true)
        #expect(agent.isActive == false)
        #expect(agent.lastActive?.iso == "2026-02-01T12:00:00.000000Z")
    }

    @Test func agentErrors() {
        #expect(parseFailure { try MoltbookParser.agentProfile(Fixture.text(#"{"success":false,"error":"Agent not found","hint":"check the name"}"#)) }
                == "body is an API error, not `agent`: Agent not found")
        #expect(parseFailure { try MoltbookParser.agentProfile(Fixture.text(#"{"agent":"Zyn"}"#)) }
                == "`agent` is a string, expected an object")
    }
}
