import ArgumentParser
import Foundation
import MoltscopeCore
import MoltscopeStages

struct SynthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic capture with planted ground truth (personas, toxicity, floods, a cascade, hubs, drift).",
        discussion: """
            The capture has the API's /posts/{id} shape, so `crawl.capture = "FILE"` reads it like real data. \
            The planted truth goes to FILE.truth.json. The same seed writes the same bytes.
            """)

    @Option(help: "Number of agents (at least 30).")
    var agents: Int

    @Option(help: "Number of posts (at least 200).")
    var posts: Int

    @Option(help: "Days the posts and comments span.")
    var days: Int

    @Option(help: "Seed of the generator.")
    var seed: UInt64

    @Option(help: "Mean comments per post, replies included.")
    var commentsPerPost: Double = 3

    @Option(help: "Capture to write (gzip'd JSON lines, e.g. synth.jsonl.gz).")
    var out: String

    @Flag(name: .shortAndLong, help: "No progress, only errors.")
    var quiet = false

    func run() async throws {
        try await CommandRunner.run {
            let settings = try SynthSettings(agents: agents, posts: posts, days: days, seed: seed,
                                             commentsPerPost: commentsPerPost)
            let logger = LogSetup.logger(mode: quiet ? .quiet : .normal)
            let progress = ProgressSink(stage: "synth", style: quiet ? .silent
                                            : LogSetup.progressStyle(mode: .normal, logger: logger))
            progress.begin(total: posts, unit: "posts")
            let started = Date()
            var written = 0
            let truth = try SynthGenerator(settings: settings).write(to: out) { done in
                progress.advance(by: done - written)
                written = done
            }
            progress.finish()
            let seconds = Date().timeIntervalSince(started)
            if !quiet {
                let line = "moltscope: synth wrote \(truth.counts.posts) posts, \(truth.counts.comments) comments, "
                    + "\(truth.counts.agents) agents to \(out) (truth in \(out).truth.json) in "
                    + String(format: "%.1f", seconds) + " s\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
    }
}
