import Foundation
import GRDB
import MoltscopeCore

/// Writes the report's exports from the database alone (no stage runs): a CSV file per report
/// table and per upstream table the report draws on, the self-contained HTML report, and a
/// Jupyter notebook that reproduces each chart with SQL. `moltscope report` and the report stage
/// both come here, so the exports are the same whichever wrote them.
struct ReportExporter {
    /// Upstream tables the report shows, exported beside its own.
    static let upstreamTables = ["temporal_summary", "temporal_correlations", "network_roles", "network_distributions",
                                 "power_law_fits", "meme_cascades", "topic_clusters", "communities", "label_evaluation"]
    static let htmlName = "report.html"
    static let notebookName = "report.ipynb"

    let store: ResultsStore
    let directory: String
    var mapPoints = 4000
    var tableRows = 40

    /// `base/<database name without extension>`: each database gets its own folder.
    static func directory(for databasePath: String, base: String) throws -> String {
        let name = URL(fileURLWithPath: databasePath).deletingPathExtension().lastPathComponent
        return URL(fileURLWithPath: base).appendingPathComponent(name.isEmpty ? "moltscope" : name).path
    }

    /// Writes every export and returns the files written.
    func export() async throws -> [String] {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let csv = root.appendingPathComponent("csv", isDirectory: true)
        let databasePath = URL(fileURLWithPath: store.path).standardizedFileURL.path
        let mapPoints = self.mapPoints, tableRows = self.tableRows
        do {
            try FileManager.default.createDirectory(at: csv, withIntermediateDirectories: true)
            return try await store.pool.read { db -> [String] in
                guard try db.tableExists("report_runs"), try Int.fetchOne(db, sql: "SELECT count(*) FROM report_runs") ?? 0 > 0 else {
                    throw MoltscopeError(.input, "the report tables are empty", remedy: "run `moltscope stage report` (or `moltscope run`) first")
                }
                var files: [String] = []
                for table in ReportSchema.currentTables + Self.upstreamTables where try db.tableExists(table) {
                    let url = csv.appendingPathComponent("\(table).csv")
                    _ = try CSVExport.write(db, table: table, to: url)
                    files.append(url.path)
                }
                let provenance = try ReportProvenance.load(db, databasePath: databasePath)
                let html = root.appendingPathComponent(Self.htmlName)
                try AtomicFile.write(Data(try ReportHTML(db: db, provenance: provenance, mapPoints: mapPoints, tableRows: tableRows)
                    .render().utf8), to: html)
                files.append(html.path)
                let notebook = root.appendingPathComponent(Self.notebookName)
                try AtomicFile.write(try ReportNotebook(databasePath: databasePath, directory: root.path, provenance: provenance).data(), to: notebook)
                files.append(notebook.path)
                return files
            }
        } catch let error as MoltscopeError {
            throw error
        } catch let error as DatabaseError {
            throw StoreErrors.describe(error, path: store.path, doing: "reading the report tables of")
        } catch {
            throw MoltscopeError(.io, "cannot write the report to \(directory): \(AtomicFile.reason(error))",
                                 remedy: "check that the folder is writable and the disk has space, or set report.export_dir")
        }
    }
}

/// Where the report's numbers come from: the database, the runs and stages that wrote them,
/// the labels and model used, the moltscope version.
struct ReportProvenance: Sendable {
    var items: [(String, String)]
    var labeller: String?
    var model: String

    static func load(_ db: Database, databasePath: String) throws -> ReportProvenance {
        let run = try Row.fetchOne(db, sql: """
            SELECT r.run_id, r.labeller, r.label_model, r.label_version, r.embedding_model, r.documents, r.aligned_documents, r.profiles,
                   r.threshold, r.started_at FROM report_runs r ORDER BY r.id DESC LIMIT 1
            """)
        var items: [(String, String)] = [("database", databasePath), ("moltscope", MoltscopeVersion.string)]
        let labeller: String? = run?[1]
        if let run {
            items.append(("report computed", "\(run[9] as String? ?? "?") (run \(run[0] as Int64? ?? 0))"))
            items.append(("labels", labeller.map { "\($0), \(run[2] as String? ?? "") \(run[3] as String? ?? "")" } ?? "none"))
            items.append(("embedding model", run[4] as String? ?? ""))
            items.append(("documents", "\(run[5] as Int? ?? 0) (\(run[6] as Int? ?? 0) with a persona similarity, \(run[7] as Int? ?? 0) agent profiles)"))
            items.append(("persona threshold", "\(run[8] as Double? ?? 0)"))
        }
        let stages = try Row.fetchAll(db, sql: """
            SELECT stage, max(ended_at) FROM stage_runs WHERE status = 'completed' GROUP BY stage ORDER BY min(id)
            """)
        for stage in stages { items.append(("stage \(stage[0] as String)", "last completed \(stage[1] as String? ?? "?")")) }
        if let capture = try String.fetchOne(db, sql: "SELECT min(fetched_at) || ' to ' || max(fetched_at) FROM posts") {
            items.append(("data fetched", capture))
        }
        return ReportProvenance(items: items, labeller: labeller, model: run?[4] ?? "")
    }
}

/// The exports for the command line: `moltscope report` writes them from the database alone.
public enum ReportExports {
    /// Writes every export of the database's report tables; returns the folder and the HTML file.
    public static func write(store: ResultsStore, config: PipelineConfig, directory: String? = nil) async throws
        -> (directory: String, html: String, files: Int) {
        let settings = ReportSettings(config: config)
        let folder = try directory ?? ReportExporter.directory(for: store.path, base: settings.exportDirectory)
        let files = try await ReportExporter(store: store, directory: folder, mapPoints: settings.mapPoints,
                                             tableRows: settings.tableRows).export()
        return (folder, URL(fileURLWithPath: folder).appendingPathComponent(ReportExporter.htmlName).path, files.count)
    }
}
