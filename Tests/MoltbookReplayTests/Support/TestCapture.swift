import Foundation
import MoltscopeCore

/// A small capture for the tests: real lines cut from the shared January capture (small ones,
/// some with nested replies) plus hand-written edge cases, written once as a .jsonl.gz.
/// Unchecked Sendable: every property is a constant, and the decoded JSON is only read.
struct TestCapture: @unchecked Sendable {
    static let sharedCapturePath = "/work/shared/data/moltbook-2026-01-posts.jsonl.gz"

    /// Built once for all tests (Swift initialises a static let exactly once, thread-safely).
    static let shared: TestCapture = {
        do {
            return try TestCapture()
        } catch {
            fatalError("cannot build the test capture: \(error)")
        }
    }()

    let path: String
    /// The capture lines, as written (including the ones the server must skip).
    let lines: [Data]
    /// Each served post's record body (`{"success":true,"post":...,"comments":...}`) by post id.
    let bodies: [String: [String: Any]]
    /// The exact bytes of each served post's line, for the verbatim check.
    let lineByID: [String: Data]

    var postIDs: Set<String> { Set(bodies.keys) }

    private init() throws {
        var lines = try Self.realLines()
        lines += Self.handWrittenLines()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("moltbook-replay-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("capture.jsonl.gz")
        var joined = Data()
        for line in lines { joined.append(line); joined.append(0x0A) }
        try Gzip.compress(joined).write(to: file)
        path = file.path
        self.lines = lines

        var bodies: [String: [String: Any]] = [:]
        var lineByID: [String: Data] = [:]
        var fetched: [String: String] = [:]
        for line in lines {
            let record = try JSONSerialization.jsonObject(with: line) as! [String: Any]
            guard record["status"] as? Int == 200, let body = record["body"] as? [String: Any],
                  let post = body["post"] as? [String: Any], let id = post["id"] as? String else { continue }
            let fetchedAt = record["fetched_at"] as? String ?? ""
            if let seen = fetched[id], seen > fetchedAt { continue }
            fetched[id] = fetchedAt
            bodies[id] = body
            lineByID[id] = line
        }
        self.bodies = bodies
        self.lineByID = lineByID
    }

    /// The first 16 small lines of the shared capture, plus small ones with nested replies
    /// until at least 4 such are in.
    private static func realLines() throws -> [Data] {
        let reader = try LineReader(path: sharedCapturePath)
        var picked: [Data] = []
        var nested = 0
        let nestedMarker = Data("\"replies\": [{".utf8)
        let nestedMarkerCompact = Data("\"replies\":[{".utf8)
        while let line = try reader.nextLine(), picked.count < 16 || nested < 4 {
            guard line.count < 12_000 else { continue }
            let hasNested = line.range(of: nestedMarker) != nil || line.range(of: nestedMarkerCompact) != nil
            if picked.count < 16 || hasNested {
                picked.append(line)
                if hasNested { nested += 1 }
            }
        }
        return picked
    }

    /// Edge cases the real lines lack: a deleted author, a link post without content, escapes
    /// and astral characters, a three-deep reply chain, a failed fetch to skip, and a stale
    /// duplicate that the later fetch must win over.
    private static func handWrittenLines() -> [Data] {
        let author = #"{"id":"a-hand-1","name":"HandAgent","description":"writes \"quotes\" and \\ slashes","karma":7,"follower_count":2,"following_count":3,"owner":null,"you_follow":false}"#
        let commenter = #"{"id":"a-hand-2","name":"Replier","karma":1,"follower_count":0}"#
        func comment(_ id: String, parent: String?, replies: String) -> String {
            let parentJSON = parent.map { "\"\($0)\"" } ?? "null"
            return #"{"id":"\#(id)","content":"reply \u00e9\ud83e\udd9e \#(id)","parent_id":\#(parentJSON),"upvotes":3,"downvotes":1,"created_at":"2026-01-30T10:00:0\#(id.suffix(1)).250000+00:00","author":\#(commenter),"replies":[\#(replies)]}"#
        }
        let deep = comment("c-hand-1", parent: nil, replies:
            comment("c-hand-2", parent: "c-hand-1", replies: comment("c-hand-3", parent: "c-hand-2", replies: ""))
            + "," + comment("c-hand-4", parent: "c-hand-1", replies: ""))
        let submolt = #"{"id":"s-hand","name":"replaytest","display_name":"Replay Test"}"#
        let linkPost = #"{"id":"p-hand-link","title":"A link, \"quoted\"","content":null,"url":"https://example.com/x?a=1&b=2","upvotes":12,"downvotes":2,"comment_count":9,"created_at":"2026-01-30T09:59:59.5+00:00","submolt":\#(submolt),"author":\#(author)}"#
        let orphanPost = #"{"id":"p-hand-orphan","title":"By a deleted agent","content":"tab\there, newline\nthere","url":null,"upvotes":0,"downvotes":0,"comment_count":0,"created_at":"2026-01-30T09:00:00+00:00","submolt":\#(submolt),"author":null}"#
        let staleTitle = #"{"id":"p-hand-orphan","title":"STALE","content":"old","url":null,"upvotes":0,"downvotes":0,"comment_count":0,"created_at":"2026-01-30T09:00:00+00:00","submolt":\#(submolt),"author":null}"#
        func line(_ post: String, comments: String, fetchedAt: String, status: Int = 200) -> Data {
            Data(#"{"endpoint":"/posts/x","fetched_at":"\#(fetchedAt)","status":\#(status),"body":{"success":true,"post":\#(post),"comments":[\#(comments)],"context":{"tip":"t"}}}"#.utf8)
        }
        return [
            line(linkPost, comments: deep, fetchedAt: "2026-01-31T00:00:00.000001+00:00"),
            line(staleTitle, comments: "", fetchedAt: "2026-01-30T00:00:00+00:00"),
            line(orphanPost, comments: "", fetchedAt: "2026-01-31T00:00:00+00:00"),
            Data(#"{"endpoint":"/posts/gone","fetched_at":"2026-01-31T00:00:00+00:00","status":404,"body":{"success":false,"error":"Post not found"}}"#.utf8),
        ]
    }
}
