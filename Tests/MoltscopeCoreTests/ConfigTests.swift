import Foundation
import MoltscopeCore
import Testing

@Suite("Pipeline configuration")
final class ConfigTests {
    /// This test's folder for TOML files, removed after it.
    private let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory("moltscope-config") }

    static let schema: [ConfigKey] = EngineKeys.all + [
        ConfigKey("demo.count", .int(1...100), default: .int(5), "An integer."),
        ConfigKey("demo.ratio", .double(0...1), default: .double(0.5), "A number."),
        ConfigKey("demo.enabled", .bool, default: .bool(true), "A flag."),
        ConfigKey("demo.tags", .list, default: .list(["a"]), "A list."),
        ConfigKey("demo.mode", .choice(["fast", "slow"]), default: .string("fast"), "A choice."),
        ConfigKey("demo.url", .url, default: nil, "A URL, unset by default."),
        ConfigKey("demo.file", .path, default: .string("data.jsonl"), "A path."),
        ConfigKey("demo.token", .string, default: nil, "A secret.", secret: true),
        ConfigKey("demo.label", .string, default: .string("plain"), "Cosmetic.", affectsOutput: false),
        ConfigKey("other.size", .int(0...10), default: .int(3), "Another section's key."),
    ]

    /// Writes `text` as a TOML file in a fresh folder and returns its path.
    private func tomlFile(_ text: String) throws -> String {
        let path = directory.path("pipeline-\(UUID().uuidString).toml")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func load(_ text: String?, _ overrides: [String] = []) throws -> PipelineConfig {
        try PipelineConfig(path: try text.map(tomlFile), overrides: overrides, schema: Self.schema)
    }

    /// The error loading `text` and `overrides` throws (failing the test when none is thrown).
    private func loadError(_ text: String?, _ overrides: [String] = [],
                           sourceLocation: SourceLocation = #_sourceLocation) throws -> (MoltscopeError, String?) {
        let path = try text.map(tomlFile)
        let error = try #require(throws: MoltscopeError.self, sourceLocation: sourceLocation) {
            try PipelineConfig(path: path, overrides: overrides, schema: Self.schema)
        }
        #expect(!error.description.contains("\n"), "errors are one line", sourceLocation: sourceLocation)
        return (error, path)
    }

    // MARK: Loading

    @Test func defaultsAreResolvedWithoutAFile() throws {
        let config = try load(nil)
        #expect(config.sourcePath == nil)
        #expect(config.int("demo.count") == 5)
        #expect(config.double("demo.ratio") == 0.5)
        #expect(config.bool("demo.enabled") == true)
        #expect(config.list("demo.tags") == ["a"])
        #expect(config.string("demo.mode") == "fast")
        #expect(config.value("demo.url") == nil)
        #expect(config.string("demo.url") == nil)
        #expect(config.int("run.batch_size") == 128)
        #expect(config.string("run.db") == "moltscope.sqlite")
        #expect(config.value("run.stages") == nil)
        #expect(config.list("run.stages") == [])
    }

    @Test func tomlFileOverridesDefaults() throws {
        let text = """
            # a comment
            [run]
            batch_size = 64
            stages = ["crawl", "clean"]

            [demo]
            count = 7
            ratio = 1          # an integer where a number is expected is fine
            enabled = false
            tags = ["x", "y z"]
            mode = "slow"
            url = "https://www.moltbook.com/api/v1"

            [other]
            size = 0
            """
        let path = try tomlFile(text)
        let config = try PipelineConfig(path: path, schema: Self.schema)
        #expect(config.sourcePath == path)
        #expect(config.int("run.batch_size") == 64)
        #expect(config.list("run.stages") == ["crawl", "clean"])
        #expect(config.int("demo.count") == 7)
        #expect(config.double("demo.ratio") == 1.0)
        #expect(config.value("demo.ratio") == .double(1.0))
        #expect(config.bool("demo.enabled") == false)
        #expect(config.list("demo.tags") == ["x", "y z"])
        #expect(config.string("demo.mode") == "slow")
        #expect(config.string("demo.url") == "https://www.moltbook.com/api/v1")
        #expect(config.int("other.size") == 0)
        // Untouched keys keep their defaults.
        #expect(config.string("demo.label") == "plain")
        #expect(config.string("demo.file") == "data.jsonl")
    }

    @Test func dottedKeysAtTopLevelWork() throws {
        let config = try load("demo.count = 9\nother.size = 4\n")
        #expect(config.int("demo.count") == 9)
        #expect(config.int("other.size") == 4)
    }

    @Test func unknownKeyNamesFileAndKeyWithASuggestion() throws {
        let (error, path) = try loadError("[demo]\ncuont = 7\n")
        #expect(error.kind == .config)
        #expect(error.description.contains(try #require(path)))
        #expect(error.description.contains("unknown key demo.cuont"))
        #expect(error.description.contains("did you mean demo.count?"))

        let (section, _) = try loadError("[dmeo]\ncount = 7\n")
        #expect(section.description.contains("unknown key dmeo.count"))
        #expect(section.description.contains("did you mean demo.count?"))

        let (far, _) = try loadError("[zzzz]\nqqqqqqqq = 1\n")
        #expect(far.description.contains("unknown key zzzz.qqqqqqqq"))
        #expect(!far.description.contains("did you mean"))
        #expect(far.description.contains("docs/configuration.md"))
    }

    @Test func wrongTypesAreRejectedWithFileKeyAndReason() throws {
        let cases: [(String, String, String)] = [
            ("[demo]\ncount = \"seven\"\n", "demo.count", "expected integer 1...100"),
            ("[demo]\ncount = 2.5\n", "demo.count", "expected integer 1...100"),
            ("[demo]\nenabled = \"yes\"\n", "demo.enabled", "expected true or false"),
            ("[demo]\ntags = \"a,b\"\n", "demo.tags", "expected list of strings"),
            ("[demo]\ntags = [1, 2]\n", "demo.tags", "expected list of strings"),
            ("[demo]\nmode = 3\n", "demo.mode", "expected one of fast, slow"),
            ("[demo]\nratio = \"half\"\n", "demo.ratio", "expected number 0.0...1.0"),
        ]
        for (text, key, reason) in cases {
            let (error, path) = try loadError(text)
            #expect(error.kind == .config)
            #expect(error.description.contains("\(try #require(path)): \(key): \(reason)"), "\(error)")
        }
    }

    @Test func outOfRangeValuesAreRejectedWithFileKeyAndReason() throws {
        let cases: [(String, String, String)] = [
            ("[demo]\ncount = 500\n", "demo.count", "500 is outside 1...100"),
            ("[demo]\ncount = 0\n", "demo.count", "0 is outside 1...100"),
            ("[demo]\nratio = 1.5\n", "demo.ratio", "1.5 is outside 0.0...1.0"),
            ("[demo]\nmode = \"medium\"\n", "demo.mode", "\"medium\" is not one of fast, slow"),
            ("[demo]\nurl = \"ftp://example.com/x\"\n", "demo.url", "is not an http(s) URL"),
            ("[demo]\nurl = \"not a url\"\n", "demo.url", "is not an http(s) URL"),
            ("[demo]\nfile = \"\"\n", "demo.file", "the path is empty"),
            ("[run]\nbatch_size = 0\n", "run.batch_size", "0 is outside 1...10000"),
        ]
        for (text, key, reason) in cases {
            let (error, path) = try loadError(text)
            #expect(error.description.contains("\(try #require(path)): \(key): "), "\(error)")
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    @Test func tomlSyntaxErrorNamesTheLine() throws {
        let (error, path) = try loadError("[demo]\ncount = 7\nratio = = 2\nmode = \"fast\"\n")
        #expect(error.kind == .config)
        #expect(error.description.contains("\(try #require(path)): line 3"), "\(error)")
        #expect(error.description.contains("fix the TOML syntax"))

        let (unclosed, _) = try loadError("[demo\ncount = 7\n")
        #expect(unclosed.description.contains(": line 1"), "\(unclosed)")
    }

    @Test func missingFileIsAConfigError() throws {
        let error = #expect(throws: MoltscopeError.self) {
            try PipelineConfig(path: "/nonexistent-moltscope/pipeline.toml", schema: Self.schema)
        }
        #expect(error?.kind == .config)
        #expect(error?.description.contains("cannot read config file /nonexistent-moltscope/pipeline.toml") == true)
    }

    // MARK: --set

    @Test func setOverridesAreParsedByType() throws {
        let config = try load(nil, [
            "demo.count=9", "demo.ratio=0.25", "demo.enabled=no", "demo.tags=a, b,,c ", "demo.mode=slow",
            "demo.url=http://127.0.0.1:8080/api/v1", "demo.label=with = sign",
        ])
        #expect(config.int("demo.count") == 9)
        #expect(config.double("demo.ratio") == 0.25)
        #expect(config.bool("demo.enabled") == false)
        #expect(config.list("demo.tags") == ["a", "b", "c"])
        #expect(config.string("demo.mode") == "slow")
        #expect(config.string("demo.url") == "http://127.0.0.1:8080/api/v1")
        #expect(config.string("demo.label") == "with = sign")

        for (text, value) in [("true", true), ("YES", true), ("1", true), ("on", true),
                              ("false", false), ("Off", false), ("0", false)] {
            #expect(try load(nil, ["demo.enabled=\(text)"]).bool("demo.enabled") == value, "\(text)")
        }
        #expect(try load(nil, ["demo.tags="]).list("demo.tags") == [])
        // As in TOML too.
        #expect(try load(nil, ["demo.tags=[\"6h\", \"1d\"]"]).list("demo.tags") == ["6h", "1d"])
        #expect(try load(nil, ["demo.tags=['x']"]).list("demo.tags") == ["x"])
        #expect(try load(nil, ["demo.ratio=1"]).double("demo.ratio") == 1.0)
    }

    @Test func setOverridesTheFileAndLaterSetsWin() throws {
        let config = try load("[demo]\ncount = 7\nmode = \"slow\"\n", ["demo.count=8", "demo.count=11"])
        #expect(config.int("demo.count") == 11)
        #expect(config.string("demo.mode") == "slow")
    }

    @Test func badSetValuesAreRejected() throws {
        let (choice, _) = try loadError(nil, ["demo.mode=medium"])
        #expect(choice.description.contains("--set demo.mode: \"medium\" is not one of fast, slow"), "\(choice)")

        let (notInt, _) = try loadError(nil, ["demo.count=abc"])
        #expect(notInt.description.contains("--set demo.count=abc: expected integer 1...100"), "\(notInt)")

        let (range, _) = try loadError(nil, ["demo.count=101"])
        #expect(range.description.contains("--set demo.count: 101 is outside 1...100"), "\(range)")

        let (notBool, _) = try loadError(nil, ["demo.enabled=maybe"])
        #expect(notBool.description.contains("expected true or false"), "\(notBool)")

        let (notDouble, _) = try loadError(nil, ["demo.ratio=half"])
        #expect(notDouble.description.contains("--set demo.ratio=half: expected number"), "\(notDouble)")

        let (unknown, _) = try loadError(nil, ["demo.cont=3"])
        #expect(unknown.description.contains("--set: unknown key demo.cont"))
        #expect(unknown.description.contains("did you mean demo.count?"))

        let (noEquals, _) = try loadError(nil, ["demo.count"])
        #expect(noEquals.kind == .usage)
        #expect(noEquals.description.contains("expected section.key=value"))
    }

    // MARK: Secrets and hashes

    @Test func secretsAreNeitherHashedNorResolved() throws {
        let secret = "moltbook_sk_DO_NOT_LEAK_123"
        let without = try load(nil)
        let with = try load("[demo]\ntoken = \"\(secret)\"\n")
        let viaSet = try load(nil, ["demo.token=\(secret)"])
        #expect(with.string("demo.token") == secret)
        #expect(viaSet.string("demo.token") == secret)

        #expect(with.hash == without.hash)
        #expect(viaSet.hash == without.hash)
        #expect(with.hash(section: "demo") == without.hash(section: "demo"))
        #expect(!with.hash.contains(secret))

        for config in [with, viaSet] {
            let resolved = config.resolved
            #expect(resolved.first { $0.key == "demo.token" }?.value == "(secret)")
            #expect(!resolved.contains { $0.value.contains(secret) })
            #expect(!resolved.map { "\($0.key)=\($0.value)" }.joined(separator: "\n").contains("DO_NOT_LEAK"))
        }
        #expect(without.resolved.first { $0.key == "demo.token" }?.value == "unset")
        #expect(without.resolved.map(\.key) == Self.schema.map(\.path))
        #expect(without.resolved.first { $0.key == "demo.mode" }?.value == "\"fast\"")

        // A secret key never counts as affecting outputs, even if declared so.
        #expect(Self.schema.first { $0.path == "demo.token" }?.affectsOutput == false)
    }

    @Test func sectionHashChangesOnlyForOutputAffectingKeysOfThatSection() throws {
        let base = try load(nil)
        #expect(base.hash.count == 64)
        #expect(base.hash(section: "demo").count == 64)
        #expect(base.hash == (try load(nil)).hash)
        #expect(base.hash(section: "demo") != base.hash(section: "other"))

        let count = try load(nil, ["demo.count=6"])
        #expect(count.hash(section: "demo") != base.hash(section: "demo"))
        #expect(count.hash(section: "other") == base.hash(section: "other"))
        #expect(count.hash(section: "run") == base.hash(section: "run"))
        #expect(count.hash != base.hash)

        // Setting a key to its default value is no change.
        #expect(try load(nil, ["demo.count=5"]).hash(section: "demo") == base.hash(section: "demo"))

        // A key that does not affect outputs changes the run's hash but no stage's.
        let label = try load(nil, ["demo.label=fancy"])
        #expect(label.hash(section: "demo") == base.hash(section: "demo"))
        #expect(label.hash != base.hash)

        let batch = try load(nil, ["run.batch_size=7"])
        #expect(batch.hash(section: "demo") == base.hash(section: "demo"))
        #expect(batch.hash != base.hash)

        let other = try load(nil, ["other.size=4"])
        #expect(other.hash(section: "demo") == base.hash(section: "demo"))
        #expect(other.hash(section: "other") != base.hash(section: "other"))

        // Every value type feeds the hash.
        for override in ["demo.ratio=0.75", "demo.enabled=false", "demo.tags=a,b", "demo.mode=slow",
                         "demo.url=http://x.test/api", "demo.file=other.jsonl"] {
            #expect(try load(nil, [override]).hash(section: "demo") != base.hash(section: "demo"), "\(override)")
        }
        // A list is not the same as its items joined.
        #expect(try load(nil, ["demo.tags=a,b"]).hash(section: "demo")
                != load(nil, ["demo.tags=a b"]).hash(section: "demo"))
    }

    // MARK: Reference

    @Test func referenceListsEveryKeyOfEngineAndStages() {
        let markdown = ConfigReference.markdown(registry: TestStages.registry())
        #expect(markdown.hasPrefix("# Configuration reference"))
        #expect(markdown.contains("## [run]"))
        #expect(markdown.contains("| `batch_size` | integer 1...10000 | `128` | no |"))
        #expect(markdown.contains("## [src]"))
        #expect(markdown.contains("| `count` | integer 0...100000 | `10` | yes | Rows the source holds. |"))
        #expect(markdown.contains("## [dbl]"))
        #expect(markdown.contains("| `label` | string | `\"plain\"` | no | Cosmetic only. |"))
        #expect(markdown.contains("## [sum]"))
        let sections = markdown.components(separatedBy: "\n## [").dropFirst().map { $0.prefix { $0 != "]" } }
        #expect(sections == ["run", "src", "dbl", "sum"])
    }
}
