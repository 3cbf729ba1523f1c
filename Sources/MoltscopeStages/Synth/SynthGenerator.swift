import Foundation
import MoltscopeNumerics

/// Streams a synthetic society to a capture file in the API's `/posts/{id}` shape, one post
/// (with its comment tree) at a time, and returns the planted truth. Memory is O(agents):
/// no post or comment outlives its own line.
public struct SynthGenerator {
    public let settings: SynthSettings

    /// Share of posts written by the hubs, and the share of all comments their posts draw.
    static let hubPostShare = 0.02
    static let hubCommentShare = 0.3
    /// Share of an agent's posts on its current topic.
    static let onTopicShare = 0.8
    /// After its viral post an agent posts this many times as often.
    static let viralActivityFactor = 6.0
    static let viralUpvotes = 5000
    /// 2026-01-28T00:00:00Z, when Moltbook opened.
    static let startMicros: Int64 = 1_769_558_400 * 1_000_000

    public init(settings: SynthSettings) { self.settings = settings }

    /// Writes `path` (gzip'd JSON lines) and `path + ".truth.json"`; `progress` gets posts written.
    @discardableResult
    public func write(to path: String, progress: (Int) -> Void = { _ in }) throws -> SynthTruth {
        var state = SynthState(settings: settings)
        let writer = try SynthCaptureWriter(path: path)
        for position in 0..<settings.posts {
            try writer.append(line: state.post(at: position))
            if (position + 1) % 1000 == 0 { progress(position + 1) }
        }
        try writer.close()
        progress(settings.posts)
        let truth = state.truth()
        try truth.write(path + ".truth.json")
        return truth
    }
}
