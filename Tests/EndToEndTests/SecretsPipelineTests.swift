import Foundation
import GRDB
import MoltbookReplay
import MoltscopeCore
import Testing

/// The API key and the model server's key, through the whole pipeline up to the report, with a
/// careless server that echoes the Authorization header in its successful answers and its error
/// bodies: neither key is in any byte of the database (the stored raw answers decompressed too),
/// the output (structured logs and a terminal's progress), or the report's exports.
@Suite(.serialized)
struct SecretsPipelineTests {
    static let crawlToken = "moltbook_sk_CRAWLSECRET_7f3a9c21"
    static let embedToken = "embed_sk_EMBEDSECRET_41b2d8e0"
    /// Parts that must not appear either: a cut-off excerpt would still give them away.
    static let telltales = ["CRAWLSECRET", "EMBEDSECRET", crawlToken, embedToken]

    static func leaks(in data: Data) -> [String] {
        telltales.filter { data.range(of: Data($0.utf8)) != nil }
    }

    static func leaks(under folder: URL) throws -> [String] {
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        var found: [String] = []
        for case let file as URL in files where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            found += leaks(in: try Data(contentsOf: file)).map { "\(file.lastPathComponent): \($0)" }
        }
        return found
    }

    static func shellQuoted(_ words: [String]) -> String {
        words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
    }

    @Test func keysNeverReachTheDatabaseLogsOrExportsEvenWhenServersEchoThem() async throws {
        guard let embedURL = EmbedPipelineTests.sharedServerURL, SQLiteLockHolder.available else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "CI must export MOLTSCOPE_TEST_EMBED_URL and have python3")
            return
        }
        let binary = try TestEnvironment.moltscopeBinary()
        let dir = try TestEnvironment.temporaryDirectory("secrets")
        let capture = try EmbedPipelineTests.smallCapture(posts: 10, in: dir)
        let failing = try #require(try CapturedIDs.postIDs(capture).dropFirst(2).first)
        let replay = try ReplayServer(capturePath: capture, era: .b)
        let replayPort = try replay.start()
        defer { replay.stop() }
        let embedOrigin = try #require(URL(string: embedURL).flatMap { url in url.port.map { "http://\(url.host ?? "127.0.0.1"):\($0)" } })
        let proxy = try EchoingProxy(api: "http://127.0.0.1:\(replayPort)", embed: embedOrigin, permanentlyFailingPost: failing)

        let annotations = TestEnvironment.repositoryRoot.appendingPathComponent("data/labels/annotations.csv").path
        let exports = dir.appendingPathComponent("exports")
        let settings = [
            "crawl.base_url=http://127.0.0.1:\(proxy.port)/api/v1", "crawl.token_env=MOLTSCOPE_TEST_CRAWL_KEY",
            "crawl.rate_limit_per_minute=0", "crawl.backoff_base_seconds=0.01", "crawl.backoff_max_seconds=0.05",
            "crawl.agent_profiles=missing", "embed.url=http://127.0.0.1:\(proxy.port)/v1/embeddings",
            "embed.token_env=MOLTSCOPE_TEST_EMBED_KEY", "embed.batch_size=16", "toxicity_label.annotations=\(annotations)",
            // Zero-shot: no training on the 5,000 annotated texts, so the whole run stays short.
            "toxicity_label.labeller=zero-shot", "toxicity_label.evaluate.folds=0", "report.export_dir=\(exports.path)",
        ]
        let arguments = ["run", "--config", "/dev/null", "--db", "run.db"] + settings.flatMap { ["--set", $0] }
        var environment = ProcessInfo.processInfo.environment
        environment["MOLTSCOPE_TEST_CRAWL_KEY"] = Self.crawlToken
        environment["MOLTSCOPE_TEST_EMBED_KEY"] = Self.embedToken

        // The whole pipeline, stderr not a terminal: structured key=value logs, with debug lines.
        let structured = try await BackgroundMoltscope(arguments + ["--verbose"], in: dir, environment: environment).finish()
        #expect(structured.status == 0, "\(structured.stderr.suffix(2000))")
        #expect(structured.stderr.contains("<redacted>"), "the servers did echo the keys, and the logs say so without them")
        #expect(Self.leaks(in: Data((structured.stdout + structured.stderr).utf8)).isEmpty)

        // Again on a terminal: progress lines, and the crawl meets the echoing errors once more.
        let terminal = try await BackgroundMoltscope(["-q", "-e", "-c", Self.shellQuoted([binary.path] + arguments), "/dev/null"],
                                               in: dir, environment: environment, executable: URL(fileURLWithPath: "/usr/bin/script"))
            .finish()
        #expect(terminal.status == 0, "\(terminal.stdout.suffix(2000))")
        #expect(terminal.stdout.contains("\r") || terminal.stdout.contains("\u{1B}["), "it drew progress on the terminal")
        #expect(Self.leaks(in: Data((terminal.stdout + terminal.stderr).utf8)).isEmpty)

        // The echoed error is recorded, without the key; everything ran through the report.
        let db = dir.appendingPathComponent("run.db").path
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM errors WHERE reason LIKE '%<redacted>%' AND source LIKE '%\(failing)%'") >= 1)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM embeddings") > 20)
        #expect(try TestEnvironment.count(db, "SELECT count(*) FROM report_figures") > 0)
        let exported = try FileManager.default.subpathsOfDirectory(atPath: exports.path)
        #expect(exported.contains { $0.hasSuffix("report.html") } && exported.contains { $0.hasSuffix("report.ipynb") }
                && exported.contains { $0.hasSuffix(".csv") }, "\(exported)")

        // Every byte of the database, its WAL, and every export; the raw answers are stored gzipped,
        // so they are read back too (the proxy put the key in every successful API answer).
        #expect(try Self.leaks(under: dir).isEmpty)
        let rawBodies = try await DatabaseQueue(path: db).read { db in try Data.fetchAll(db, sql: "SELECT body_gzip FROM raw_responses") }
        #expect(rawBodies.count > 10)
        let rawLeaks = try rawBodies.flatMap { Self.leaks(in: try Gzip.decompress($0)) }
        #expect(rawLeaks.isEmpty, "\(rawLeaks.count) stored answers hold a key")
        let redactedAnswers = try rawBodies.count { String(decoding: try Gzip.decompress($0), as: UTF8.self).contains("<redacted>") }
        #expect(redactedAnswers > 10, "the proxy did echo the key in successful answers")
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
            #expect(Self.leaks(in: try Data(contentsOf: URL(fileURLWithPath: db + suffix))).isEmpty, "run.db\(suffix)")
        }
    }
}

/// Post ids of a capture file, in its order.
enum CapturedIDs {
    static func postIDs(_ capture: String) throws -> [String] {
        try TestEnvironment.readLines(capture).map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
            let body = try #require(object["body"] as? [String: Any])
            let post = try #require(body["post"] as? [String: Any])
            return try #require(post["id"] as? String)
        }
    }
}
