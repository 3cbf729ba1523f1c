import Foundation
import GRDB
import MoltbookReplay
import MoltscopeCore
import MoltscopeTestSupport
import Testing

/// A model server process killed (SIGKILL) while the embed stage has requests in flight: the run
/// stops with one line naming the server, every vector committed before stays whole, and once a
/// server is back the next run embeds the rest: the same vectors as a run whose server never died.
@Suite(.serialized) struct ModelServerDeathTests {
    static let model = "hashed-words-384"

    static func overrides(port: Int) -> [String] {
        ["crawl.capture=\(TestEnvironment.sampleCapture)", "clean.max_chars=2000", "embed.model=\(model)",
         "embed.url=http://127.0.0.1:\(port)/v1/embeddings", "embed.batch_size=4", "embed.concurrency=1"]
    }

    /// content hash -> vector bytes, of every stored vector.
    static func vectors(_ db: String) throws -> [String: Data] {
        try DatabaseQueue(path: db).read { db in
            var out: [String: Data] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT content_hash, vector FROM embeddings WHERE model = ?", arguments: [model]) {
                out[row[0]] = row[1]
            }
            return out
        }
    }

    /// Starts `moltscope fake-embedder` as its own process and waits until it answers.
    static func startServer(port: Int, in dir: URL) async throws -> Process {
        // 40 ms an answer: the run lasts ~20 s, so the kill lands early even when this test's
        // polling waits seconds for a thread on a loaded machine.
        let process = try KillAndResumeTests.launch(["fake-embedder", "--port", "\(port)", "--delay-ms", "40"], in: dir)
        for _ in 0..<200 {
            let probe = try await ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"),
                                              ["curl", "-sf", "http://127.0.0.1:\(port)/health"])
            if probe.status == 0 { return process }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw MoltscopeError(.network, "fake-embedder did not start on port \(port)", remedy: "see its output")
    }

    /// A free port below Linux's ephemeral range (32768 and up), where the test bundle's other
    /// servers (port 0) never land: once the server is killed nobody else may answer there, or
    /// the run would carry on with another test's server.
    static func portBelowTheEphemeralRange() throws -> Int {
        for _ in 0..<200 {
            let candidate = Int.random(in: 20_000..<32_000)
            guard let probe = try? HashedEmbeddingServer(port: candidate), (try? probe.start()) != nil else { continue }
            probe.stop()
            return candidate
        }
        throw MoltscopeError(.network, "no free port between 20000 and 32000", remedy: "free one")
    }

    @Test func aServerKilledMidBatchLosesNothingAndTheNextRunFinishes() async throws {
        let dir = try TestEnvironment.temporaryDirectory("serverdeath")
        defer { try? FileManager.default.removeItem(at: dir) }

        // The reference: the same documents embedded by a server that never dies.
        let inProcess = try HashedEmbeddingServer()
        let referencePort = try inProcess.start()
        let reference = dir.appendingPathComponent("reference.sqlite").path
        try await TestEnvironment.runPipeline(db: reference, overrides: Self.overrides(port: referencePort),
                                              stages: ["crawl", "clean", "embed"])
        inProcess.stop()
        let expected = try Self.vectors(reference)
        try #require(expected.count > 1_000)

        let port = try Self.portBelowTheEphemeralRange()
        var server = try await Self.startServer(port: port, in: dir)
        defer { if server.isRunning { server.terminate() } }

        let db = dir.appendingPathComponent("killed.sqlite").path
        let arguments = ["run", "--config", "/dev/null", "--db", db, "--set", "run.stages=crawl,clean,embed"]
            + Self.overrides(port: port).flatMap { ["--set", $0] }
        let run = Process()
        run.executableURL = try TestEnvironment.moltscopeBinary()
        run.arguments = arguments
        run.currentDirectoryURL = dir
        let stderr = Pipe()
        run.standardError = stderr
        run.standardOutput = FileHandle.nullDevice
        try run.run()
        let errors = Task { stderr.fileHandleForReading.readDataToEndOfFile() }

        // Kill the server once some batches are committed: with 4 texts a request and one in
        // flight, the run is then a few percent in, with a request outstanding. Polled on a
        // Dispatch thread, so the kill is not late when the bundle's pool threads are busy.
        let dying = server
        let killedAt = await offThePool { () -> Int in
            guard let stored = TestEnvironment.blockingWait(until: "SELECT count(*) FROM embeddings", in: db, reaches: 40,
                                                            while: run) else { return 0 }
            kill(dying.processIdentifier, SIGKILL)
            dying.waitUntilExit()
            return stored
        }
        await run.waitUntilExit()
        let message = String(decoding: await errors.value, as: UTF8.self)
        try #require(killedAt >= 40 && killedAt < expected.count / 2,
                     "the server was killed early in the run (at \(killedAt); the run exited \(run.terminationStatus): \(message.suffix(500)))")
        #expect(run.terminationStatus != 0, "the run cannot finish without its server")
        let lastLine = message.split(separator: "\n").last.map(String.init) ?? ""
        #expect(lastLine.hasPrefix("moltscope:") && lastLine.contains("127.0.0.1:\(port)"), "\(message)")

        // What was committed is whole and right, and nothing is corrupted.
        #expect(try TestEnvironment.strings(db, "PRAGMA integrity_check") == ["ok"])
        let partial = try Self.vectors(db)
        #expect(partial.count >= killedAt && partial.count < expected.count)
        #expect(partial.allSatisfy { expected[$0.key] == $0.value })

        // A server back on the same address: the next run embeds the rest, and only the rest.
        server = try await Self.startServer(port: port, in: dir)
        let final = try await ProcessResult.run(try TestEnvironment.moltscopeBinary(), arguments + ["--quiet"], in: dir)
        #expect(final.status == 0, "\(final.stderr)")
        #expect(try Self.vectors(db) == expected)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM embeddings") == expected.count)
    }
}
