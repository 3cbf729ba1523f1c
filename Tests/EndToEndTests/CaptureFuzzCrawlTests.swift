import Foundation
import GRDB
import MoltbookAPI
import MoltscopeCore
import MoltscopeTestSupport
import Testing

/// A capture with fuzzed lines among good ones: the good posts are stored exactly as from a clean
/// capture, every bad line is one row in `errors` naming its line, and the database is intact.
struct CaptureFuzzCrawlTests {
    /// A broken copy of `line`: cut, bytes flipped or inserted, odd bytes, or a field of the wrong type.
    static func mutate(_ line: Data, using rng: inout SplitMix64) -> Data {
        var bytes = [UInt8](line)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
        case 1:
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            }
        case 2:
            let odd: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0], Array(#"\ud800"#.utf8), Array("]}".utf8), [0x22]]
            bytes.insert(contentsOf: odd.randomElement(using: &rng) ?? [0], at: Int.random(in: 0..<bytes.count, using: &rng))
        case 3:
            let swaps = [(#""post":{"#, #""post":17,"x":{"#), (#""id":"#, #""id":null,"y":"#), (#""status":200"#, #""status":"ok""#),
                         (#""body":{"#, #""body":[{"#), (#""comments":["#, #""comments":{"a":["#)]
            let (from, to) = swaps.randomElement(using: &rng) ?? swaps[0]
            bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: from, with: to).utf8)
        case 4:
            bytes = Array((String(repeating: "[", count: 100_000) + "1").utf8)
        default:
            bytes = Array("<html><body>502 Bad Gateway</body></html>".utf8)
        }
        // A line break would split the line; a trailing CR is dropped by the line reader.
        return Data(bytes.map { $0 == 0x0A ? 0x20 : $0 }.reversed().drop { $0 == 0x0D }.reversed())
    }

    /// Whether the crawl stores a post from `line` (the same test as CaptureSource's).
    static func yieldsPost(_ line: Data) -> Bool {
        (try? MoltbookParser.captureLine(line))?.detail != nil
    }

    @Test(arguments: [UInt64(11)])
    func fuzzedLinesAmongGoodOnes(seed: UInt64) async throws {
        var rng = SplitMix64(seed: seed)   // SplitMix64 (Support/SplitMix64.swift)
        let sample = try TestEnvironment.readLines(TestEnvironment.sampleCapture)
        let good = Array(sample.prefix(6))
        let donors = Array(sample.dropFirst(6).prefix(12))
        // Keep only mutations that break the line: one still readable would add a post of its own.
        var bad: [Data] = []
        while bad.count < 5 * good.count {
            let mutated = Self.mutate(try #require(donors.randomElement(using: &rng)), using: &rng)
            if !Self.yieldsPost(mutated) { bad.append(mutated) }
        }
        var lines: [Data] = []
        var badLineNumbers: [Int] = []
        for (index, line) in bad.enumerated() {  // a good line, then five bad ones
            if index % 5 == 0 { lines.append(good[index / 5]) }
            lines.append(line)
            badLineNumbers.append(lines.count)
        }

        let dir = try TestEnvironment.temporaryDirectory("fuzzcapture")
        let fuzzed = dir.appendingPathComponent("fuzzed.jsonl.gz")
        let clean = dir.appendingPathComponent("clean.jsonl.gz")
        try TestEnvironment.writeCapture(lines, to: fuzzed)
        try TestEnvironment.writeCapture(good, to: clean)
        let fuzzedDB = dir.appendingPathComponent("fuzzed.sqlite").path
        let cleanDB = dir.appendingPathComponent("clean.sqlite").path
        try await TestEnvironment.runPipeline(db: fuzzedDB, overrides: ["crawl.capture=\(fuzzed.path)"])
        try await TestEnvironment.runPipeline(db: cleanDB, overrides: ["crawl.capture=\(clean.path)"])

        #expect(try TestEnvironment.count(fuzzedDB, "SELECT count(*) FROM posts") == good.count)
        #expect(try TestEnvironment.contentDigest(fuzzedDB) == TestEnvironment.contentDigest(cleanDB), "seed \(seed)")
        #expect(try TestEnvironment.count(fuzzedDB, "SELECT count(*) FROM raw_responses") ==
                TestEnvironment.count(cleanDB, "SELECT count(*) FROM raw_responses"))
        let sources = try TestEnvironment.strings(fuzzedDB, "SELECT source FROM errors ORDER BY id")
        #expect(sources == badLineNumbers.map { "\(fuzzed.path):\($0)" }, "seed \(seed)")
        for reason in try TestEnvironment.strings(fuzzedDB, "SELECT reason FROM errors") {
            #expect(!reason.isEmpty && !reason.contains(where: \.isNewline) && reason.count < 1_100, "seed \(seed): \(reason)")
        }
        #expect(try TestEnvironment.strings(fuzzedDB, "PRAGMA integrity_check") == ["ok"])
    }
}
