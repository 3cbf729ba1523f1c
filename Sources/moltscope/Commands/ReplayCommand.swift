import ArgumentParser
import Foundation
import MoltbookReplay
import MoltscopeCore

/// `moltscope replay`: serves a capture as the Moltbook API until interrupted, so the crawler
/// can be run end to end without the network.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Serve a capture of post responses as the Moltbook API on 127.0.0.1.")

    @Option(name: .long, help: "The capture (.jsonl or .jsonl.gz of /posts/ID responses).")
    var capture: String

    @Option(name: .long, help: "Port on 127.0.0.1 (0 for any free one).")
    var port: Int = 8089

    @Option(name: .long, help: "Response shapes: a (offset pages, snake_case), b (cursors, camelCase), c (b with framework errors and quirks).")
    var era: String = "a"

    @Option(name: .long, help: "Faults to inject, e.g. 429:0.05,500:0.05,truncate:0.02,drop:0.02,overlap:0.1,seed=7; kind@route limits one to posts, post, comments, submolts, submolt, feed or profile requests (500@comments:every=3).")
    var faults: String?

    func validate() throws {
        guard ReplayEra(rawValue: era.lowercased()) != nil else {
            throw ValidationError("--era must be a, b or c, not '\(era)'")
        }
    }

    func run() async throws {
        try await CommandRunner.run {
            let era = ReplayEra(rawValue: era.lowercased()) ?? .a
            let faultSpec = try faults.map(ReplayFaults.parse) ?? .none
            let server = try ReplayServer(capturePath: capture, era: era, faults: faultSpec, port: port)
            let boundPort = try server.start()
            let line = "serving \(server.postCount) posts from \(capture) as era \(era.rawValue) "
                + "at http://127.0.0.1:\(boundPort)/api/v1 (Ctrl-C to stop)\n"
            FileHandle.standardError.write(Data(line.utf8))
            await TerminationSignal.wait()
            server.stop()
        }
    }
}
