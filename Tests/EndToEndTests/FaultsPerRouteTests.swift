import Foundation
import MoltbookReplay
import Testing

/// Faults aimed at each kind of request the crawler makes (listing pages, post details,
/// comments, the submolt list, agent profiles), so none is covered only by luck: retryable
/// faults still give the data of a fault-free crawl, and failures that are not retried are
/// recorded (or stop the run) and the next run completes.
@Suite(.serialized)
struct FaultsPerRouteTests {
    /// Every request type the crawler sends: era b fetches comments separately, profiles are on.
    static let crawledRoutes: [ReplayRoute] = [.posts, .post, .comments, .submolts, .profile]

    static func overrides(port: Int) -> [String] {
        CrawlReplayTests.crawlOverrides(port: port, extra: ["crawl.agent_profiles=missing", "crawl.max_attempts=12"])
    }

    /// Computed once for all the tests here.
    static let baseline = Task { try await faultFree() }

    /// A fault-free crawl of the replay (with profiles, which a capture does not have), and the requests it took.
    static func faultFree() async throws -> (digest: [String: String], requests: Int) {
        let server = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .b)
        let port = try server.start()
        defer { server.stop() }
        let db = try TestEnvironment.temporaryDirectory("routebaseline").appendingPathComponent("clean.sqlite").path
        try await TestEnvironment.runPipeline(db: db, overrides: overrides(port: port))
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM raw_responses WHERE kind = 'agent_profile'") > 100,
                "profiles were fetched")
        return (try TestEnvironment.contentDigest(db), server.requestCount)
    }

    @Test(arguments: crawledRoutes)
    func retryableFaultsOnOneRequestTypeStillGiveCompleteData(route: ReplayRoute) async throws {
        // The first request of the route fails for sure (a route asked once, like the submolt
        // list, meets its fault too), then every few more of its requests.
        // (429 has a test of its own below: its Retry-After of 1 s pauses the whole crawl.)
        // About a third of its requests fail; with 12 attempts no request fails them all.
        try await Self.expectCompleteData(route: route, faults: ["500@\(route.rawValue):first=1", "truncate@\(route.rawValue):every=7",
                                                                 "drop@\(route.rawValue):every=11", "503@\(route.rawValue):every=13"])
    }

    /// A rate limit (429 with Retry-After) on each request type is waited out and retried: a
    /// few per route, since each pauses the crawl for the second the server asks.
    @Test(arguments: crawledRoutes)
    func rateLimitsOnOneRequestTypeAreWaitedOutAndGiveCompleteData(route: ReplayRoute) async throws {
        try await Self.expectCompleteData(route: route, faults: ["429@\(route.rawValue):first=1", "429@\(route.rawValue):every=60"])
    }

    /// Crawls the replay with `faults`: the data equals the fault-free crawl's, no error is
    /// recorded, and the faults cost retries (more requests than the fault-free crawl).
    static func expectCompleteData(route: ReplayRoute, faults: [String],
                                   sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let baseline = try await Self.baseline.value
        let server = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .b,
                                      faults: try ReplayFaults.parse(faults.joined(separator: ",")))
        let port = try server.start()
        defer { server.stop() }
        let db = try TestEnvironment.temporaryDirectory("routefaults").appendingPathComponent("faults.sqlite").path
        try await TestEnvironment.runPipeline(db: db, overrides: Self.overrides(port: port))
        #expect(try TestEnvironment.contentDigest(db) == baseline.digest, "\(route)", sourceLocation: sourceLocation)
        let reasons = try TestEnvironment.strings(db, "SELECT reason FROM errors")
        #expect(reasons.isEmpty, "\(route): \(reasons.prefix(3))", sourceLocation: sourceLocation)
        #expect(server.requestCount > baseline.requests, "\(route): the faults cost retries", sourceLocation: sourceLocation)
    }

    @Test(arguments: crawledRoutes)
    func unretriedFailuresOnOneRequestTypeAreRecordedAndTheNextRunCompletes(route: ReplayRoute) async throws {
        let baseline = try await Self.baseline.value
        // An HTML 404 is not retried: a post or profile is recorded as failed, a listing stops the run.
        let faulty = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .b,
                                      faults: try ReplayFaults.parse("html404@\(route.rawValue):first=1,html404@\(route.rawValue):every=3"))
        let port = try faulty.start()
        let db = try TestEnvironment.temporaryDirectory("routefailures").appendingPathComponent("failures.sqlite").path
        var stopped: String?
        do {
            try await TestEnvironment.runPipeline(db: db, overrides: Self.overrides(port: port))
        } catch {
            stopped = "\(error)"
        }
        faulty.stop()
        let recorded = try TestEnvironment.count(db, "SELECT count(*) FROM errors")
        switch route {
        case .posts, .submolts:
            #expect(stopped?.contains("HTML") == true && stopped?.contains("127.0.0.1:\(port)") == true, "\(stopped ?? "did not stop")")
        default:
            #expect(stopped == nil, "\(stopped ?? "")")
            #expect(recorded > 0, "\(route): failures recorded")
        }

        let healthy = try ReplayServer(capturePath: TestEnvironment.sampleCapture, era: .b, port: port)
        _ = try healthy.start()
        defer { healthy.stop() }
        try await TestEnvironment.runPipeline(db: db, overrides: Self.overrides(port: port))
        #expect(try TestEnvironment.contentDigest(db) == baseline.digest, "\(route)")
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM crawl_frontier WHERE state != 'done'") == 0)
    }
}
