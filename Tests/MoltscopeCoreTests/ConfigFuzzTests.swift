import Foundation
import MoltscopeCore
import MoltscopeTestSupport
import Testing

/// Seeded fuzzing of the config loader with the real pipelines/*.toml files: never a crash, always a
/// config, or a one-line MoltscopeError naming the file (or `--set`) and saying what to do.
// Serialized: each case is seconds of CPU; run side by side they would take both cores from every other suite.
@Suite("Config fuzzing", .serialized)
final class ConfigFuzzTests {
    private let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory("moltscope-config-fuzz") }

    static let pipelines: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("pipelines")

    /// The real pipeline files, by name.
    static func realFiles() throws -> [(name: String, data: Data)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: pipelines.path).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(names.count >= 3, "pipelines/*.toml not found at \(pipelines.path)")
        return try names.map { ($0, try Data(contentsOf: pipelines.appendingPathComponent($0))) }
    }

    /// A schema that accepts every key of the real pipeline files, typed by its value there (the CLI's
    /// full schema lives in MoltscopeStages, which this target does not see), plus the engine's keys.
    static let schema: [ConfigKey] = {
        var keys = EngineKeys.all
        var known = Set(keys.map(\.path))
        for (_, data) in (try? realFiles()) ?? [] {
            var section = ""
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let text = line.split(separator: "#", maxSplits: 1).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
                if text.hasPrefix("[") { section = String(text.dropFirst().dropLast()); continue }
                guard let equals = text.firstIndex(of: "="), !section.isEmpty else { continue }
                let path = section + "." + text[..<equals].trimmingCharacters(in: .whitespaces)
                let value = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                guard known.insert(path).inserted else { continue }
                let kind: ConfigKey.Kind
                if path.hasSuffix("url") { kind = .url } else if value.hasPrefix("\"") { kind = .string } else if value.hasPrefix("[") {
                    kind = .list
                } else if value == "true" || value == "false" { kind = .bool } else { kind = .int(0...1_000_000) }
                keys.append(ConfigKey(path, kind, default: nil, "A key of the real pipelines."))
            }
        }
        keys.append(ConfigKey("demo.ratio", .double(0...1), default: .double(0.5), "A number."))
        keys.append(ConfigKey("demo.tags", .list, default: .list([]), "A list."))
        keys.append(ConfigKey("demo.enabled", .bool, default: .bool(true), "A flag."))
        return keys
    }()

    /// Set FUZZ_TRACE=1 to print every case before it runs: the last line printed names a case that crashed.
    static let trace = ProcessInfo.processInfo.environment["FUZZ_TRACE"] != nil

    /// Loads `data` as a config file (and `overrides`); a thrown error must be a good one-line MoltscopeError.
    @discardableResult
    func load(_ data: Data?, overrides: [String] = [], _ label: @autoclosure () -> String) throws -> MoltscopeError? {
        if Self.trace { print("config fuzz case: \(label())") }
        var path: String?
        if let data {
            path = directory.path("fuzz.toml")
            try data.write(to: URL(fileURLWithPath: directory.path("fuzz.toml")))
        }
        return check(path: path, overrides: overrides, label())
    }

    @discardableResult
    func check(path: String?, overrides: [String] = [], _ label: @autoclosure () -> String) -> MoltscopeError? {
        do {
            _ = try PipelineConfig(path: path, overrides: overrides, schema: Self.schema)
            return nil
        } catch let error as MoltscopeError {
            if let problem = Self.problem(with: error, path: path) {
                Issue.record("\(label()): \(problem): \(error.description.prefix(300).debugDescription)")
            }
            return error
        } catch {
            Issue.record("\(label()): threw \(type(of: error)), not MoltscopeError: \(error)")
            return nil
        }
    }

    /// Why `error` is not a good config error, or nil when it is.
    static func problem(with error: MoltscopeError, path: String?) -> String? {
        let text = error.description
        if text.unicodeScalars.contains(where: { [.control, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) }) {
            return "error spans lines or holds control characters"
        }
        if text.count > 1_200 { return "error is \(text.count) characters long" }
        if error.remedy?.isEmpty ?? true, error.kind != .usage { return "error says nothing to do" }
        if let path, !path.isEmpty, !error.cause.contains(path), !error.cause.hasPrefix("--set") { return "error names neither the file nor --set" }
        return nil
    }

    @Test func realFilesLoad() throws {
        for (name, data) in try Self.realFiles() {
            #expect(try load(data, name) == nil, "\(name) loads")
        }
    }

    @Test func truncatedAtEveryOffset() throws {
        // Every offset of the sample and the longest file; every fourth of the others (3,000 loads took 12 s).
        for (name, data) in try Self.realFiles() {
            let step = ["sample.toml", "own-server.toml"].contains(name) ? 1 : 4
            for offset in stride(from: 0, through: data.count, by: step) { try load(data.prefix(offset), "\(name) cut at \(offset)") }
        }
    }

    @Test(arguments: [UInt64(1), 2])
    func randomByteMutations(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let interesting = Array("[]{}\"'=.,#\\\n \t0-eE+:".utf8) + [0x00, 0x0D, 0x80, 0xC0, 0xFF]
        for (name, data) in try Self.realFiles() {
            for round in 0..<150 {
                var bytes = [UInt8](data)
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let at = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                    case 1: bytes.insert(interesting.randomElement(using: &rng) ?? 0, at: at)
                    case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &rng)))
                    default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 40)], at: Int.random(in: 0...bytes.count, using: &rng))
                    }
                    if bytes.isEmpty { bytes = [0x20] }
                }
                try load(Data(bytes), "\(name) seed \(seed) round \(round)")
            }
        }
    }

    @Test func malformedAndOddFiles() throws {
        let texts: [String: String] = [
            "empty": "", "blank": "\n\n  \t\n", "comment only": "# nothing\n", "BOM": "\u{FEFF}[run]\nbatch_size = 8\n",
            "unclosed table": "[run\nbatch_size = 8\n", "unclosed string": "[run]\ndb = \"x.sqlite\n",
            "no value": "[run]\ndb =\n", "no key": "[run]\n= 3\n", "duplicate key": "[run]\nbatch_size = 8\nbatch_size = 9\n",
            "duplicate table": "[run]\n[run]\n", "unknown key": "[run]\nbatch_sise = 8\n", "unknown section": "[nope]\nx = 1\n",
            "key without section": "batch_size = 8\n", "wrong type string": "[run]\nbatch_size = \"8\"\n",
            "wrong type bool": "[run]\nbatch_size = true\n", "wrong type array": "[run]\nbatch_size = [8]\n",
            "wrong type table": "[run.batch_size]\nx = 1\n", "inline table": "[run]\nbatch_size = {a = 1}\n",
            "list of numbers": "[demo]\ntags = [1, 2]\n", "mixed list": "[demo]\ntags = [\"a\", 1]\n",
            "nested list": "[demo]\ntags = [[\"a\"]]\n", "string for bool": "[demo]\nenabled = \"yes\"\n",
            "int too big": "[run]\nbatch_size = 99999999999999999999\n", "negative": "[run]\nbatch_size = -1\n",
            "float for int": "[run]\nbatch_size = 1.5\n", "inf": "[demo]\nratio = inf\n", "nan": "[demo]\nratio = nan\n",
            "-0": "[demo]\nratio = -0.0\n", "1e999": "[demo]\nratio = 1e999\n", "date": "[run]\ndb = 2026-01-30T00:00:00Z\n",
            "newline in key": "[run]\n\"db\\nx\" = \"a\"\n", "CR in key": "[run]\n\"d\\rb\" = \"a\"\n",
            "bidi key": "[run]\n\"\u{202E}db\" = \"a\"\n", "NUL in value": "[run]\ndb = \"a\\u0000b\"\n",
            "escape in key": "[run]\n\"\\u001b[31mdb\" = 1\n", "U+2028 key": "[run]\n\"d\u{2028}b\" = 1\n",
            "combining": "[run]\ndb = \"e\u{301}\u{301}\u{301}.sqlite\"\n", "lone surrogate escape": "[run]\ndb = \"\\ud800\"\n",
            "raw NUL": "[run]\ndb = \"a\u{0}b\"\n", "raw control": "[run]\ndb = \"a\u{1B}b\"\n",
            "multi-line string": "[run]\ndb = \"\"\"\nx\ny\n\"\"\"\n", "JSON": "{\"run\": {\"db\": \"x\"}}", "HTML": "<html></html>",
            "url not http": "[crawl]\nbase_url = \"ftp://x\"\n", "url garbage": "[crawl]\nbase_url = \"http://\u{0}\"\n",
        ]
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) { try load(Data(text.utf8), name) }
        // toml++ asserts a name follows `[`: these crashed the loader before TOMLPreflight.
        for header in ["[\napi = 1\n", "[#run]\n", "[[ #x]]\n", "[ \t\n", "[", "[[", "[.a]\n", "[\u{202E}]\n", "[ {a = 1}]\n"] {
            let error = try load(Data(header.utf8), "header \(header.debugDescription)")
            #expect(error?.cause.contains("table header") ?? false || error?.cause.contains("line 1") ?? false,
                    "header \(header.debugDescription): \(error?.description ?? "accepted")")
        }
        // A line of a multi-line string that looks like a header is text.
        #expect(try load(Data("[embed.server]\ncommand = \"\"\"\n[ {x}\n[\n\"\"\"\n".utf8), "multi-line string") == nil)
        for (index, bytes) in [[UInt8]]([[0xFF, 0xFE], [0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x5B, 0xFF, 0x5D]]).enumerated() {
            try load(Data(bytes), "invalid UTF-8 \(index)")
            try load(Data("[run]\ndb = \"".utf8) + Data(bytes) + Data("\"\n".utf8), "invalid UTF-8 \(index) in a value")
        }
        try load(Data("[run]\ndb = \"x\"\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }), "UTF-16")
    }

    @Test func hugeAndDeep() throws {
        let huge = String(repeating: "moltscope🦞", count: 1_000_000)  // 14 MB
        for (name, text) in [("14 MB value", "[run]\ndb = \"\(huge)\"\n"), ("14 MB key", "[run]\n\"\(huge)\" = 1\n"),
                             ("20 MB of spaces", "[run]\ndb = \"x\"\n" + String(repeating: " ", count: 20_000_000))] {
            let error = try load(Data(text.utf8), name)
            #expect(error?.cause.contains("not a pipeline config") ?? false, "\(name): \(error?.description ?? "accepted")")
        }
        // Just under the size limit: a long key is still reported quickly, with its suggestion search cut short.
        let longKey = String(repeating: "k", count: 900_000)
        #expect(try load(Data("[run]\n\(longKey) = 1\n".utf8), "900 KB key")?.cause.contains("unknown key") ?? false)
        let depth = 100_000
        let deepBodies = [
            "arrays": "[demo]\ntags = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n",
            "inline tables": "[demo]\ntags = " + String(repeating: "{a = ", count: depth) + "1" + String(repeating: "}", count: depth) + "\n",
            "dotted key": "[demo]\n" + Array(repeating: "a", count: depth).joined(separator: ".") + " = 1\n",
            "table header": "[" + Array(repeating: "a", count: depth).joined(separator: ".") + "]\nx = 1\n",
            "unclosed arrays": "[demo]\ntags = " + String(repeating: "[", count: depth),
        ]
        for (name, text) in deepBodies.sorted(by: { $0.key < $1.key }) {
            let error = try load(Data(text.utf8), "deep \(name)")
            #expect(error != nil, "deep \(name) was accepted")
            if name.contains("key") || name.contains("header") {
                #expect(error?.cause.contains("deeper than") ?? false, "deep \(name): \(error?.description ?? "accepted")")
            }
        }
    }

    @Test func notAFile() throws {
        check(path: directory.url.path, "a directory")
        check(path: directory.path("missing.toml"), "a missing file")
        check(path: "", "an empty path")
        check(path: "/dev/null", "/dev/null")  // defaults only
    }

    @Test(arguments: [UInt64(5)])
    func garbageOverrides(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var overrides = [
            "", "=", "==", "run.batch_size", "run.batch_size=", "run.batch_size=abc", "run.batch_size=1e999",
            "run.batch_size=99999999999999999999", "run.batch_size=-5", "=8", " run.batch_size = 8", "run.db=a\nb",
            "run.d\nb=1", "run.\u{202E}db=1", "\u{0}=\u{0}", "demo.ratio=nan", "demo.ratio=inf", "demo.ratio=-0",
            "demo.enabled=maybe", "demo.tags=[[[", "demo.tags=,,,", "crawl.base_url=javascript:alert(1)",
            "crawl.base_url=http://", "nope.key=1", String(repeating: "a", count: 1_000_000) + "=1",
            "run.db=" + String(repeating: "x", count: 1_000_000), "run.db=\u{1B}[2J", "demo.ratio=0x1p-2",
        ]
        let alphabet = Array("run.batch_sizedemo=ratio\n\r\0 ,[]\"🦞\u{301}\u{2028}".unicodeScalars)
        for _ in 0..<300 {
            let length = Int.random(in: 0...24, using: &rng)
            overrides.append(String(String.UnicodeScalarView((0..<length).map { _ in alphabet.randomElement(using: &rng) ?? "=" })))
        }
        for override in overrides { check(path: nil, overrides: [override], "--set \(override.prefix(60).debugDescription)") }
    }
}
