import Foundation
import GRDB
import Logging
import MoltscopeCore
import MoltscopeStages
import MoltscopeTestSupport

/// Paths and helpers the end-to-end tests share.
enum TestEnvironment {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }   // Support, EndToEndTests, Tests, root
        return url
    }()

    static var sampleCapture: String { repositoryRoot.appendingPathComponent("data/sample-posts.jsonl.gz").path }

    /// The real capture in ../shared, when this checkout has it beside it.
    static var sharedCapture: String? {
        let path = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/moltbook-2026-01-posts.jsonl.gz").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static func temporaryDirectory(_ name: String = #function) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("moltscope-e2e-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Runs the real pipeline in this process with the given `--set` style overrides; by
    /// default only the crawl (the crawl tests need no model server).
    @discardableResult
    static func runPipeline(db: String, overrides: [String], stages: [String]? = ["crawl"],
                            plan: PipelineRunner.Plan = .pipeline(stages: nil)) async throws -> [PipelineRunner.Outcome] {
        let selected = stages.map { ["run.stages=\($0.joined(separator: ","))"] } ?? []
        let config = try PipelineConfig(path: nil, overrides: selected + overrides + ["run.db=\(db)"],
                                        schema: Stages.registry.configSchema)
        let store = try ResultsStore(path: db, migrations: Stages.registry.migrations)
        let runner = PipelineRunner(registry: Stages.registry, store: store, config: config, logger: quietLogger,
                                    outputMode: .quiet, environment: [:])
        return try await runner.run(command: "test", plan: plan)
    }

    /// The content columns of the crawl's tables (not fetch times, which differ between runs).
    static let contentQueries: [String: String] = [
        "posts": """
            SELECT id, title, content, url, upvotes, downvotes, comment_count, comments_fetched, created_at, submolt,
                   author_id, author_name, flags FROM posts ORDER BY id
            """,
        "comments": """
            SELECT id, post_id, parent_id, depth, content, upvotes, downvotes, created_at, author_id, author_name, flags
            FROM comments ORDER BY id
            """,
        "agents": "SELECT id, name, description, karma, follower_count, following_count FROM agents ORDER BY id",
        "submolts": "SELECT name, id, display_name FROM submolts ORDER BY name",
    ]

    /// A digest per table of its content columns, and its row count.
    static func contentDigest(_ path: String) throws -> [String: String] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            var digests: [String: String] = [:]
            for (table, sql) in contentQueries {
                var hasher = SHA256Hasher()
                var count = 0
                let rows = try Row.fetchCursor(db, sql: sql)
                while let row = try rows.next() {
                    count += 1
                    for value in row.databaseValues { hasher.update("\(value)|") }
                    hasher.update("\n")
                }
                digests[table] = "\(count) rows " + hasher.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
            }
            return digests
        }
    }

    static func strings(_ path: String, _ sql: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: sql) }
    }

    static func row(_ path: String, _ sql: String) throws -> Row? {
        try DatabaseQueue(path: path).read { db in try Row.fetchOne(db, sql: sql) }
    }

    static func count(_ path: String, _ sql: String) throws -> Int {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    /// The built `moltscope` executable, next to the test bundle.
    static func moltscopeBinary() throws -> URL {
        var candidates: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("moltscope"))
        }
        for argument in CommandLine.arguments.prefix(1) {
            candidates.append(URL(fileURLWithPath: argument).deletingLastPathComponent().appendingPathComponent("moltscope"))
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/moltscope"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw MoltscopeError(.internal, "cannot find the moltscope binary (looked at \(candidates.map(\.path)))")
        }
        return found
    }

    /// Writes capture lines as a gzip file.
    static func writeCapture(_ lines: [Data], to url: URL) throws {
        var joined = Data()
        for line in lines { joined.append(line); joined.append(0x0A) }
        try Gzip.compress(joined).write(to: url)
    }

    static func readLines(_ path: String) throws -> [Data] {
        let reader = try LineReader(path: path)
        var lines: [Data] = []
        while let line = try reader.nextLine() { lines.append(line) }
        return lines
    }
}

extension FileHandle {
    func readDataToEndOfFile() async -> Data {
        await offThePool { self.readDataToEndOfFile() }
    }
}
