import Foundation
import MoltscopeTestSupport
import Testing

/// The command line a user types: one-line errors, SQL output, status, config reference.
@Suite(.serialized)
struct CommandLineTests {
    let binary: URL
    let dir: URL

    init() throws {
        binary = try TestEnvironment.moltscopeBinary()
        dir = try TestEnvironment.temporaryDirectory("cli")
    }

    func moltscope(_ arguments: String...) async throws -> ProcessResult {
        try await ProcessResult.run(binary, arguments, in: dir)
    }

    @Test func runStatusAndSQLOnTheSample() async throws {
        let capture = TestEnvironment.sampleCapture
        let run = try await moltscope("run", "--config", "/dev/null", "--db", "cli.sqlite", "--set", "crawl.capture=\(capture)",
                                "--set", "run.stages=crawl")
        #expect(run.status == 0, "\(run.stderr)")
        let status = try await moltscope("status", "--config", "/dev/null", "--db", "cli.sqlite", "--set", "crawl.capture=\(capture)")
        #expect(status.stdout.contains("crawl") && status.stdout.contains("up to date"))
        let changed = try await moltscope("status", "--config", "/dev/null", "--db", "cli.sqlite", "--set", "crawl.capture=other.jsonl")
        #expect(changed.stdout.contains("config changed"))

        let table = try await moltscope("sql", "--db", "cli.sqlite", "SELECT count(*) AS n FROM posts")
        #expect(table.stdout.contains("200") && table.stdout.contains("(1 row)"))
        let csv = try await moltscope("sql", "--db", "cli.sqlite", "--format", "csv", "SELECT 'a,b' AS x, NULL AS y")
        #expect(csv.stdout == "x,y\n\"a,b\",\n")
        let json = try await moltscope("sql", "--db", "cli.sqlite", "--format", "json", "SELECT 2 AS b, 'x' AS a")
        #expect(json.stdout == "[{\"b\":2,\"a\":\"x\"}]\n")
        let write = try await moltscope("sql", "--db", "cli.sqlite", "DELETE FROM posts")
        #expect(write.status != 0 && write.stderr.contains("only reads"))
        let after = try await moltscope("sql", "--db", "cli.sqlite", "--format", "csv", "SELECT count(*) FROM posts")
        #expect(after.stdout.contains("200"))
    }

    @Test func badConfigurationsGiveOneLineNamingFileKeyAndReason() async throws {
        let file = dir.appendingPathComponent("bad.toml")
        try "[crawl]\nbase_urll = \"http://x\"\n".write(to: file, atomically: true, encoding: .utf8)
        let unknown = try await moltscope("run", "--config", file.path, "--db", "x.sqlite")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("bad.toml") && unknown.stderr.contains("crawl.base_urll")
                && unknown.stderr.contains("did you mean crawl.base_url"))
        #expect(unknown.stderr.split(separator: "\n").count == 1)

        try "[crawl]\nconcurrency = 0\n".write(to: file, atomically: true, encoding: .utf8)
        let range = try await moltscope("run", "--config", file.path, "--db", "x.sqlite")
        #expect(range.stderr.contains("crawl.concurrency") && range.stderr.contains("outside"))

        try "[crawl\n".write(to: file, atomically: true, encoding: .utf8)
        let syntax = try await moltscope("run", "--config", file.path, "--db", "x.sqlite")
        #expect(syntax.stderr.contains("line 1"))

        let both = try await moltscope("run", "--config", "/dev/null", "--db", "x.sqlite")
        #expect(both.stderr.contains("crawl.base_url or crawl.capture"))

        let bare = try await moltscope("run", "--config", "/dev/null", "--db", "x.sqlite", "--set", "crawl.base_url=https://moltbook.com/api/v1")
        #expect(bare.stderr.contains("www.moltbook.com"))

        let missing = try await moltscope("run", "--config", "nope.toml")
        #expect(missing.stderr.contains("nope.toml"))
    }

    @Test func configurationReferenceIsCurrent() async throws {
        let generated = try await moltscope("config", "--reference", "--config", "/dev/null")
        let documented = try String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("docs/configuration.md"),
                                    encoding: .utf8)
        #expect(generated.stdout == documented, "regenerate with: moltscope config --reference > docs/configuration.md")
    }

    @Test func secretsNeverReachTheDatabaseOrOutput() async throws {
        let token = "moltbook_sk_test_SECRET_123"
        let result = try await moltscope("run", "--config", "/dev/null", "--db", "secret.sqlite", "--verbose",
                                   "--set", "crawl.capture=\(TestEnvironment.sampleCapture)", "--set", "crawl.token=\(token)",
                                   "--set", "run.stages=crawl")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains(token) && !result.stdout.contains(token))
        let shown = try await moltscope("config", "--config", "/dev/null", "--set", "crawl.token=\(token)")
        #expect(!shown.stdout.contains(token) && shown.stdout.contains("(secret)"))
        let bytes = try Data(contentsOf: dir.appendingPathComponent("secret.sqlite"))
        #expect(bytes.range(of: Data(token.utf8)) == nil)
    }
}
