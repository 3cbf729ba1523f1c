import Foundation
import MoltbookAPI
import Testing

/// The whole shared capture, when it is present: the counts below were established independently
/// with Python over the same file.
@Suite("Golden: the shared January capture", .enabled(if: SharedCapture.isAvailable, "no shared capture"))
struct GoldenCaptureTests {
    @Test func everyLineParses() throws {
        let lines = try SharedCapture.lines()
        var posts = 0
        var comments = 0
        var maxDepth = 0
        var nullContent = 0
        var unreadableTimestamps = 0
        var orphanReplies = 0
        var postIds = Set<String>()
        for line in lines {
            let record = try MoltbookParser.captureLine(line)
            let detail = try #require(record.detail, "no detail for \(record.endpoint)")
            posts += 1
            postIds.insert(detail.post.id)
            #expect(record.endpoint == "/posts/\(detail.post.id)")
            if detail.post.flags.contains(.nullContent) { nullContent += 1 }
            for stamp in [record.fetchedAt, detail.post.createdAt] where stamp.iso == nil { unreadableTimestamps += 1 }
            var seen = Set<String>()
            for comment in detail.comments ?? [] {
                comments += 1
                maxDepth = max(maxDepth, comment.depth)
                if comment.createdAt.iso == nil { unreadableTimestamps += 1 }
                if let parent = comment.parentId, !seen.contains(parent) { orphanReplies += 1 }
                seen.insert(comment.id)
            }
        }
        #expect(lines.count == 4_222)
        #expect(posts == 4_222)
        #expect(postIds.count == 4_222)
        #expect(comments == 36_167)
        // Depth counts from 0 at top level: 3 is a reply chain four comments deep.
        #expect(maxDepth == 3)
        #expect(nullContent == 128)
        #expect(unreadableTimestamps == 0)
        #expect(orphanReplies == 0)
    }
}
