import Foundation
import MoltbookReplay
import MoltscopeCore
import MoltscopeTestSupport
import Testing

/// The real `moltscope run`, SIGKILLed at random moments in every stage, about 30 times, then run
/// to the end, leaves a database identical to one uninterrupted run: every analysis table has
/// the same checksum (only run bookkeeping and wall-clock columns are left out, each saying why),
/// the file passes `integrity_check` after every kill, and the report's exports are the same.
/// `MOLTSCOPE_KILL_SEED=N` replays a schedule.
@Suite(.serialized)
struct KillLoopTests {
    /// Kills planned per stage, in pipeline order; fewer land when a stage ends before its last
    /// kills (a completed stage is skipped by later launches). toxicity-label comes before
    /// cluster: they run together and the label stage ends first, so its kills come while both run.
    static let plan: [(stage: String, kills: Int)] = [
        ("crawl", 4), ("clean", 5), ("embed", 5), ("toxicity-label", 5), ("cluster", 6), ("temporal", 5), ("report", 5),
    ]

    @Test func killedAtRandomInEveryStageResumesToTheSameDatabase() async throws {
        let seed = ProcessInfo.processInfo.environment["MOLTSCOPE_KILL_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("KillLoopTests: seed \(seed) (replay with MOLTSCOPE_KILL_SEED=\(seed))")
        let server = try HashedEmbeddingServer()
        let port = try server.start()
        defer { server.stop() }
        let dir = try TestEnvironment.temporaryDirectory("killloop")
        let binary = try TestEnvironment.moltscopeBinary()

        let capture = dir.appendingPathComponent("society.jsonl.gz").path
        let synth = try await ProcessResult.run(binary, ["synth", "--agents", "60", "--posts", "300", "--days", "3", "--seed", "7",
                                                   "--out", capture], in: dir)
        try #require(synth.status == 0, "\(synth.stderr)")
        let config = try Self.writeConfig(in: dir, capture: capture, port: port)

        // The reference: one uninterrupted run.
        let reference = try Self.database(in: dir, "reference")
        let uninterrupted = try await ProcessResult.run(binary, Self.runArguments(config: config, db: reference), in: dir)
        try #require(uninterrupted.status == 0, "\(uninterrupted.stderr)")
        let seconds = try KillLoop.stageSeconds(reference)
        // The exports go to the same folder for both runs (report_runs keeps the settings, the
        // export folder among them): the reference's are moved aside.
        let referenceExports = dir.appendingPathComponent("reference-exports")
        try FileManager.default.moveItem(at: Self.exports(in: dir), to: referenceExports)

        // The same pipeline killed again and again, then run to the end.
        let killed = try Self.database(in: dir, "killed")
        let loop = KillLoop(binary: binary, arguments: Self.runArguments(config: config, db: killed),
                            directory: URL(fileURLWithPath: killed).deletingLastPathComponent(), db: killed, seed: seed)
        let targets = Self.plan.map { target in
            // Most of the reference's time, so a few kills come late in the stage, near its final commit.
            KillLoop.Target(stage: target.stage, kills: target.kills, window: max(0.9 * (seconds[target.stage] ?? 0), 0.05))
        }
        let kills = try await loop.runOffThePool(targets)
        for kill in kills {
            print(String(format: "KillLoopTests: kill %2d aimed at %@ after %.3f s, killed after %.3f s in %@", kill.number,
                         kill.target, kill.delay, kill.waited, kill.running.isEmpty ? "(between stages)" : kill.running.joined(separator: "+")))
        }
        let final = try await ProcessResult.run(binary, Self.runArguments(config: config, db: killed), in: dir)
        try #require(final.status == 0, "\(final.stderr)")

        var landed: [String: Int] = [:]
        for kill in kills { for stage in kill.running { landed[stage, default: 0] += 1 } }
        print("KillLoopTests: \(kills.count) kills; per stage \(Self.plan.map { "\($0.stage) \(landed[$0.stage] ?? 0)" }.joined(separator: ", "))")
        for (stage, _) in Self.plan {
            #expect((landed[stage] ?? 0) >= 1, "no kill landed in \(stage) (seed \(seed))")
        }
        #expect(kills.count >= 20, "only \(kills.count) kills landed (seed \(seed))")

        #expect(try TableChecksums.integrityCheck(killed) == "ok")
        let expected = try TableChecksums.of(reference)
        let resumed = try TableChecksums.of(killed)
        #expect(expected.keys.sorted() == resumed.keys.sorted())
        for table in expected.keys.sorted() {
            #expect(resumed[table] == expected[table], "table \(table) differs after \(kills.count) kills (seed \(seed))")
        }
        let sameExports = try ExportComparison.expectSame(reference: referenceExports, resumed: Self.exports(in: dir),
                                                          folders: (Self.folder(of: reference), Self.folder(of: killed)))
        // About 60 MB: kept only when something differs, with the launches' logs, to look into.
        if sameExports && expected == resumed {
            try FileManager.default.removeItem(at: dir)
        } else {
            print("KillLoopTests: databases, exports and launch logs kept in \(dir.path)")
        }
    }

    /// Both databases are named moltscope.sqlite, in folders of their own, so their exports have
    /// the same folder name and show the same database name.
    static func database(in dir: URL, _ folder: String) throws -> String {
        let url = dir.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.appendingPathComponent("moltscope.sqlite").path
    }

    static func folder(of db: String) -> String { URL(fileURLWithPath: db).deletingLastPathComponent().standardizedFileURL.path }

    /// report.export_dir/<database name>.
    static func exports(in dir: URL) -> URL { dir.appendingPathComponent("exports/moltscope") }

    static func runArguments(config: URL, db: String) -> [String] { ["run", "--config", config.path, "--db", db] }

    /// Sized for a debug build on a busy machine (about 20 s a run): the zero-shot labeller (the
    /// trained one spends a minute training in debug at every restart), a short k scan and map.
    static func writeConfig(in dir: URL, capture: String, port: Int) throws -> URL {
        let annotations = TestEnvironment.repositoryRoot.appendingPathComponent("data/labels/annotations.csv").path
        let url = dir.appendingPathComponent("killloop.toml")
        try """
            [run]
            batch_size = 8
            [crawl]
            capture = "\(capture)"
            [embed]
            url = "http://127.0.0.1:\(port)/v1/embeddings"
            model = "hashed-words-384"
            batch_size = 16
            [cluster]
            k_max = 12
            map.iterations = 250
            [toxicity_label]
            annotations = "\(annotations)"
            labeller = "zero-shot"
            page_size = 16
            [report]
            export_dir = "\(dir.appendingPathComponent("exports").path)"
            """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
