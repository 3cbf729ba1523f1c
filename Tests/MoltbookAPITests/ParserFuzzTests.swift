import Foundation
import MoltbookAPI
import MoltscopeTestSupport
import Testing

/// Seeded fuzzing of every parse entry point with mutated real fixtures of every era: never a crash,
/// always a value or a one-line ParseError naming the cause. A failure names its fixture, entry, seed
/// and case; FUZZ_TRACE=1 prints every case first, to find one that crashes.
// Serialized: each case is seconds of CPU; run side by side they would take both cores from every other suite.
@Suite("Parser fuzzing", .serialized)
struct ParserFuzzTests {
    /// A fixture body and the entry point it was made for.
    struct Body {
        let name: String
        let data: Data
        let entry: ParseEntry
    }

    static func entry(_ name: String) -> ParseEntry {
        ParseEntry.all.first { $0.name == name } ?? ParseEntry.all[0]
    }

    /// Every JSON fixture (eras A, B and C) and the first capture lines.
    static func bodies() throws -> [Body] {
        let owners: [(String, String)] = [
            ("era-a-detail-deep-replies.json", "postDetail"), ("era-a-detail-link-post.json", "postDetail"),
            ("era-a-detail-null-content.json", "postDetail"), ("era-b-detail-no-comments.json", "postDetail"),
            ("odd-unicode-detail.json", "postDetail"), ("era-a-post-page-offset.json", "postPage"),
            ("era-b-post-page-cursor.json", "postPage"), ("era-b-comments-flat.json", "comments"),
            ("era-b-comments-nested.json", "comments"), ("submolt-page.json", "submoltPage"),
            ("sample-submolt-response.json", "submoltDetail"), ("sample-agent-response.json", "agentProfile"),
            ("era-a-error-rate-limit.json", "errorBody"), ("era-c-error-404.json", "errorBody"),
            ("era-c-error-429.json", "errorBody"), ("era-c-error-validation.json", "errorBody"),
        ]
        var bodies = try owners.map { Body(name: $0.0, data: try Fixture.data($0.0), entry: entry($0.1)) }
        for (index, line) in try Fixture.lines("capture-sample.jsonl").prefix(4).enumerated() {
            bodies.append(Body(name: "capture-sample.jsonl:\(index + 1)", data: line, entry: entry("captureLine")))
        }
        return bodies
    }

    /// The reasons a cut-short body may give: empty, or truncated (a capture line says so first).
    static func isTruncationReason(_ reason: String) -> Bool {
        let bare = reason.hasPrefix("capture line: ") ? String(reason.dropFirst("capture line: ".count)) : reason
        return bare == "body is empty" || bare == "body is not valid JSON (truncated?)"
    }

    @Test func truncatedAtManyOffsets() throws {
        for body in try Self.bodies() {
            let whole = Fuzz.run(body.entry, body.data, "\(body.name) whole")
            // Every offset of short bodies; about 400 spread over long ones, plus both ends.
            let step = max(1, body.data.count / 400)
            let offsets = Set(Array(stride(from: 0, to: body.data.count, by: step)) + Array(0..<min(64, body.data.count))
                              + Array(max(0, body.data.count - 64)..<body.data.count))
            for offset in offsets.sorted() {
                let cut = body.data.prefix(offset)
                let label = "\(body.name) cut at \(offset)"
                // Only a cut that drops trailing whitespace leaves a readable body.
                let keepsAll = body.data.suffix(from: offset).allSatisfy { [0x20, 0x0A, 0x0D, 0x09].contains($0) }
                switch Fuzz.run(body.entry, cut, label) {
                case .value where body.entry.name == "errorBody":
                    // errorBody never throws: a cut error body is simply not one.
                    #expect(MoltbookParser.errorBody(cut) == nil || keepsAll, "\(label): read an error body")
                case .value:
                    #expect(whole == .value && keepsAll, "\(label): read a value from a cut body")
                case .failure(let reason):
                    #expect(Self.isTruncationReason(reason), "\(label): \(reason)")
                }
                if offset % 7 == 0 {
                    for other in ParseEntry.all where other.name != body.entry.name { Fuzz.run(other, cut, label) }
                }
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func randomByteMutations(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for body in try Self.bodies() {
            for round in 0..<150 {
                let mutated = Fuzz.mutate(body.data, using: &rng)
                let label = "\(body.name) seed \(seed) round \(round)"
                Fuzz.run(body.entry, mutated, label)
                Fuzz.run(ParseEntry.all.randomElement(using: &rng) ?? body.entry, mutated, label)
            }
        }
    }

    /// Raw JSON put in place of a field: every other type, null, odd numbers and odd strings.
    static let replacements = [
        "null", "\"\"", "\"x\"", "\"42\"", "42", "-1", "1.5", "-0", "1e999", "-1e999", "1e-999",
        "99999999999999999999", "-99999999999999999999", "true", "[]", "{}", "[null]", "[[[[]]]]",
        #"{"id":{}}"#, #""\ud800""#, #""a\nb\u0000\u2028c""#, #""\u202Eevil""#,
    ]

    /// Every field gets null, a string, a number, an array and an object, and three more replacements
    /// drawn with the seed (all of them for every field took half a minute in a debug build).
    @Test(arguments: [UInt64(4)])
    func wrongTypesForEveryField(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        // One capture line is enough here: each has hundreds of fields.
        for body in try Self.bodies() where !body.name.hasPrefix("capture-sample.jsonl:") || body.name.hasSuffix(":1") {
            // odd-unicode-detail.json holds a lone surrogate, which JSONSerialization cannot read.
            guard let root = try? JSONSerialization.jsonObject(with: body.data) else { continue }
            for path in JSONPaths.all(in: root) {
                let drawn = (0..<3).compactMap { _ in Self.replacements.randomElement(using: &rng) }
                for raw in ["null", "\"x\"", "42", "[]", "{}"] + drawn {
                    let label = "\(body.name) \(path.map(\.description).joined()) = \(raw) (seed \(seed))"
                    Fuzz.run(body.entry, try JSONPaths.replacing(root, at: path, with: raw), label)
                }
            }
        }
    }

    @Test func everyLeafReplaced() throws {
        let leaves: [Any] = [NSNull(), "", "x", 0, -1, 2.5, true, [Any](), [String: Any]()]
        for body in try Self.bodies() {
            guard let root = try? JSONSerialization.jsonObject(with: body.data) else { continue }
            for (index, leaf) in leaves.enumerated() {
                let data = try JSONSerialization.data(withJSONObject: JSONPaths.replacingLeaves(root, with: leaf))
                for entry in ParseEntry.all { Fuzz.run(entry, data, "\(body.name) every leaf = leaves[\(index)]") }
            }
        }
    }

    /// Depth 100,000: the JSON reader must refuse it with a clear reason, not overflow the stack.
    @Test func deeplyNestedBodies() {
        let depth = 100_000
        let open = String(repeating: "[", count: depth)
        let close = String(repeating: "]", count: depth)
        let bodies = [
            "arrays": open + close,
            "objects": String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth),
            "unclosed": open,
            "title": #"{"post":{"id":"p","title":"# + open + close + "}}",
            "replies": #"{"post":{"id":"p"},"comments":["# + String(repeating: #"{"id":"c","replies":["#, count: depth)
                + String(repeating: "]}", count: depth) + "]}",
            "capture": #"{"endpoint":"/posts/p","status":200,"body":"# + open + close + "}",
        ]
        for (name, text) in bodies.sorted(by: { $0.key < $1.key }) {
            for entry in ParseEntry.all {
                let outcome = Fuzz.run(entry, Data(text.utf8), "nested \(name)")
                if case .failure(let reason) = outcome, name != "unclosed" {
                    #expect(reason.contains("deeper than"), "\(entry.name) nested \(name): \(reason)")
                }
            }
        }
    }

    /// Nesting the JSON reader accepts still parses, with the replies' depths.
    @Test func deepButReadableReplyChain() throws {
        let depth = 200
        let comment = #"{"id":"c%d","content":"x","created_at":"2026-01-30T00:00:00Z","replies":["#
        var text = #"{"post":{"id":"p","title":"t","created_at":"2026-01-30T00:00:00Z"},"comments":["#
        for level in 0..<depth { text += comment.replacingOccurrences(of: "%d", with: String(level)) }
        text += String(repeating: "]}", count: depth) + "]}"
        let detail = try MoltbookParser.postDetail(Data(text.utf8))
        let comments = try #require(detail.comments)
        #expect(comments.count == depth)
        #expect(comments.last?.depth == depth - 1)
        #expect(comments.last?.parentId == "c\(depth - 2)")
    }

    @Test func hugeStrings() throws {
        let huge = String(repeating: "spam🦞", count: 2_000_000)  // 10 MB of UTF-8
        // Bodies written as text: JSONSerialization.data takes a second per 10 MB in a debug build.
        let title = #"{"post":{"id":"p","created_at":"2026-01-30T00:00:00Z","title":""# + huge + #""}}"#
        let detail = try MoltbookParser.postDetail(Data(title.utf8))
        #expect(detail.post.title?.utf8.count == huge.utf8.count)

        // Errors that quote a huge id or endpoint stay short and keep their cause.
        let hugeId = #"{"post":{"id":""# + huge + #""},"comments":[17]}"#
        let idReason = Fuzz.run(Self.entry("postDetail"), Data(hugeId.utf8), "comment of a 10 MB post id")
        #expect(idReason == .failure("comment 0 of post " + String(huge.prefix(482)) + "…"
                                     + String(huge.suffix(499 - " is a number, expected an object".count)) + " is a number, expected an object"))
        let hugeEndpoint = #"{"endpoint":""# + huge + #"","status":"none","body":{}}"#
        Fuzz.run(Self.entry("captureLine"), Data(hugeEndpoint.utf8), "10 MB endpoint")
        // One entry each: a refused body's checks take seconds on 10 MB in a debug build.
        Fuzz.run(Self.entry("postPage"), Data(huge.utf8), "10 MB of text")
        Fuzz.run(Self.entry("captureLine"), Data(("{\"endpoint\":\"" + huge).utf8), "10 MB unterminated string")
    }

    /// Odd text in ids, titles and names (escaped, raw, or as invalid UTF-8); never a multi-line error.
    @Test func oddUnicode() throws {
        let detail = try Fixture.data("era-a-detail-link-post.json")
        let root = try JSONSerialization.jsonObject(with: detail)
        let fields: [[JSONPaths.Step]] = [[.key("post"), .key("id")], [.key("post"), .key("title")],
                                          [.key("post"), .key("author"), .key("name")], [.key("comments"), .index(0), .key("id")]]
        let brokenRoot = try JSONSerialization.jsonObject(
            with: try JSONPaths.replacing(root, at: [.key("comments"), .index(1)], with: "17"))
        var texts = Fuzz.oddTexts.map { "\"\($0)\"" } + ["\"a\\nb\"", "\"\\u001b[31mred\"", "\"\u{0301}\u{0301}\""]
        texts += Fuzz.invalidUTF8.map { "\"x" + String(decoding: $0, as: UTF8.self) + "\"" }
        for field in fields {
            for text in texts {
                let data = try JSONPaths.replacing(root, at: field, with: text)
                Fuzz.run(Self.entry("postDetail"), data, "\(field.map(\.description).joined()) = \(text.debugDescription)")
                // The same with a broken comment, so the error quotes the odd id.
                let broken = try JSONPaths.replacing(brokenRoot, at: field, with: text)
                Fuzz.run(Self.entry("postDetail"), broken, "\(field.map(\.description).joined()) = \(text.debugDescription), bad comment")
            }
        }
        // Invalid UTF-8 bytes, byte for byte (not via String), inside a string and as the whole body.
        for bytes in Fuzz.invalidUTF8 {
            var data = detail
            let at = try #require(data.firstRange(of: Data("\"title\": \"".utf8))?.upperBound ?? data.firstRange(of: Data("\"title\":\"".utf8))?.upperBound)
            data.insert(contentsOf: bytes, at: at)
            for entry in ParseEntry.all {
                Fuzz.run(entry, data, "invalid UTF-8 \(bytes) in title")
                Fuzz.run(entry, Data(bytes), "invalid UTF-8 \(bytes) as the body")
            }
            let reason = parseFailure { try MoltbookParser.postDetail(data) } ?? "no error"
            #expect(reason == "body is not valid UTF-8, so not JSON", "invalid UTF-8 \(bytes) in title: \(reason)")
        }
    }

    @Test func oddWholeBodies() throws {
        let bodies: [String: Data] = [
            "empty": Data(), "blank": Data(" \r\n\t ".utf8), "BOM only": Data([0xEF, 0xBB, 0xBF]),
            "BOM then JSON": Data([0xEF, 0xBB, 0xBF]) + (try Fixture.data("era-b-detail-no-comments.json")),
            "HTML": try Fixture.data("html-404.html"), "NUL": Data([0]), "NULs": Data(repeating: 0, count: 1000),
            "null": Data("null".utf8), "true": Data("true".utf8), "string": Data(#""\ud800""#.utf8),
            "array": Data("[]".utf8), "object": Data("{}".utf8), "1e999": Data("1e999".utf8), "-0": Data("-0".utf8),
            "big integer": Data("99999999999999999999".utf8), "UTF-16": try Fixture.data("era-c-error-404.json").utf16,
            "two documents": Data("{}{}".utf8), "trailing garbage": Data(#"{"posts":[]} x"#.utf8),
            "plain text": Data("Service Unavailable\nRetry later".utf8), "XML": Data("<?xml version=\"1.0\"?><e/>".utf8),
        ]
        for (name, data) in bodies.sorted(by: { $0.key < $1.key }) {
            for entry in ParseEntry.all { Fuzz.run(entry, data, name) }
        }
    }

    /// Out-of-range numbers in counts keep the post, flagged, like any other unreadable count.
    @Test func oddNumbersInCounts() throws {
        let cases: [(raw: String, upvotes: Int?)] = [
            ("-0", 0), ("1e999", nil), ("-1e999", nil), ("99999999999999999999", nil), ("1e-999", 0), ("3.0", 3), ("2.5", nil),
        ]
        for (raw, upvotes) in cases {
            let text = #"{"posts":[{"id":"p","upvotes":"# + raw + #","created_at":"2026-01-30T00:00:00Z"}]}"#
            let page = try MoltbookParser.postPage(Data(text.utf8))
            let post = try #require(page.posts.first)
            #expect(post.upvotes == upvotes, "upvotes \(raw)")
            #expect(post.flags.contains(.badCount) == (upvotes == nil), "upvotes \(raw)")
        }
    }

    @Test(arguments: [UInt64(7)])
    func randomTimestamps(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let alphabet = Array("0123456789-:.,TtZz+ UTCGMT".unicodeScalars) + ["\u{0}", "\u{FF10}", "🦞", "\u{301}"]
        let seeds = ["2026-01-30T12:34:56.123456+00:00", "2026-01-30 12:34:56 +00", "0000-01-01T00:00:00-23:59", "9999-12-31T23:59:59+0000"]
        for round in 0..<20_000 {
            var scalars = Array((seeds.randomElement(using: &rng) ?? "").unicodeScalars)
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let at = Int.random(in: 0...scalars.count, using: &rng)
                if Bool.random(using: &rng), at < scalars.count { scalars.remove(at: at) } else {
                    scalars.insert(alphabet.randomElement(using: &rng) ?? "0", at: at)
                }
            }
            let raw = String(String.UnicodeScalarView(scalars))
            let stamp = MoltbookParser.timestamp(raw)
            if let iso = stamp.iso {
                #expect(iso.utf8.count == 27 && iso.hasSuffix("Z"), "seed \(seed) round \(round): \(raw.debugDescription) -> \(iso)")
            }
        }
    }
}

private extension Data {
    /// The same JSON re-encoded as UTF-16 (little endian, with a byte-order mark).
    var utf16: Data {
        var out = Data([0xFF, 0xFE])
        for unit in String(decoding: self, as: UTF8.self).utf16 { out += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        return out
    }
}
