import ArgumentParser
import Foundation
import MoltbookReplay
import MoltscopeCore

/// `moltscope fake-embedder`: a fast stand-in model server for scale runs and benchmarks.
struct FakeEmbedderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-embedder",
        abstract: "Serve hashed-word vectors as OpenAI /v1/embeddings on 127.0.0.1 (for scale tests, not research).",
        discussion: """
            Every text becomes its words hashed into --dims buckets (counts, L2-normalized): texts \
            sharing words are near, with no language model, at thousands of texts a second. Use it \
            to push a large synthetic society through the real pipeline: \
            [embed] url = "http://127.0.0.1:PORT/v1/embeddings", model = "hashed-words-384"; or \
            [embed.server] command = "moltscope fake-embedder --port {port}".
            """)

    @Option(name: .long, help: "Port on 127.0.0.1 (0 for any free one).")
    var port: Int = 8090

    @Option(name: .long, help: "Vector length.")
    var dims: Int = 384

    @Option(name: .long, help: "Model name the answers carry.")
    var model: String = "hashed-words-384"

    @Option(name: .long, help: "Milliseconds each answer waits first (a slower server).")
    var delayMs: Int = 0

    func run() async throws {
        try await CommandRunner.run {
            let server = try HashedEmbeddingServer(dimensions: dims, model: model, port: port, delayMilliseconds: delayMs)
            let boundPort = try server.start()
            let line = "serving \(dims)-dimension hashed-word vectors as \(model) "
                + "at http://127.0.0.1:\(boundPort)/v1/embeddings (Ctrl-C to stop)\n"
            FileHandle.standardError.write(Data(line.utf8))
            await TerminationSignal.wait()
            server.stop()
        }
    }
}
