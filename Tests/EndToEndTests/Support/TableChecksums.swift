import Foundation
import GRDB
import MoltscopeCore

/// A checksum of every table of a database, for comparing a run that was killed and resumed
/// with one that was not. Every table in `sqlite_master` is hashed, rows in a fixed order, except
/// the columns and rows listed in `exclusions`, each of which says why it may differ.
enum TableChecksums {
    struct Exclusion {
        /// The whole table is bookkeeping of runs, not an analysis result.
        var wholeTable = false
        var columns: Set<String> = []
        /// Only rows matching this SQL condition are compared.
        var rows: String?
        var why: String
    }

    static let exclusions: [String: Exclusion] = [
        // The engine's own record of runs: a killed run adds runs, stage runs and checkpoints by design.
        "runs": Exclusion(wholeTable: true, why: "one row per process launched"),
        "stage_runs": Exclusion(wholeTable: true, why: "one row per stage started, interrupted ones too"),
        "stage_checkpoints": Exclusion(wholeTable: true, why: "resume points, written with wall-clock times"),

        // Wall-clock times of fetching, embedding and labelling: when, not what.
        "posts": Exclusion(columns: ["fetched_at"], why: "time the post was read"),
        "comments": Exclusion(columns: ["fetched_at"], why: "time the comment was read"),
        "agents": Exclusion(columns: ["profile_fetched_at", "first_seen_at", "last_seen_at"], why: "times the agent was seen"),
        "submolts": Exclusion(columns: ["first_seen_at", "last_seen_at"], why: "times the submolt was seen"),
        "crawl_frontier": Exclusion(columns: ["listed_at"], why: "time the post was listed"),
        "raw_responses": Exclusion(columns: ["fetched_at"], why: "time the response was read"),
        "embeddings": Exclusion(columns: ["created_at"], why: "time the vector arrived"),
        "label_text_vectors": Exclusion(columns: ["created_at"], why: "time the vector arrived"),
        "profile_vectors": Exclusion(columns: ["created_at"], why: "time the vector arrived"),
        "llm_label_cache": Exclusion(columns: ["created_at"], why: "time the answer arrived"),
        "errors": Exclusion(columns: ["id", "run_id", "at"], why: "which run recorded it, and when"),
        // label_run points at label_runs.id, which counts the interrupted runs too.
        "document_labels": Exclusion(columns: ["labelled_at", "label_run"], why: "labelling time and the label run's id"),
        "label_failures": Exclusion(columns: ["failed_at", "label_run"], why: "failure time and the label run's id"),

        // Per-stage run history. A killed stage run leaves its row (unfinished, or even finished when
        // the kill came after the stage's last commit but before the engine marked it completed: the
        // rerun then computes again and adds a second row). Only the latest finished row, the one
        // the current results come from, is compared, without its ids and times.
        "cluster_runs": Exclusion(columns: ["id", "run_id", "seconds", "created_at"], rows: latestFinished("cluster_runs", "status = 'done'"),
                                  why: "ids count interrupted runs; seconds and created_at are times"),
        "cluster_k_scan": Exclusion(columns: ["cluster_run", "seconds"],
                                    rows: "cluster_run IN (SELECT id FROM cluster_runs WHERE \(latestFinished("cluster_runs", "status = 'done'")))",
                                    why: "scan points of interrupted runs stay with their run; seconds is a time"),
        "label_runs": Exclusion(columns: ["id", "run_id", "started_at", "finished_at", "seconds"],
                                rows: latestFinished("label_runs", "status <> 'running'"),
                                why: "ids count interrupted runs; the rest are times"),
        "temporal_runs": Exclusion(columns: ["id", "run_id", "started_at", "seconds"], rows: latestFinished("temporal_runs", "1"),
                                   why: "ids count interrupted runs; the rest are times"),
        "report_runs": Exclusion(columns: ["id", "run_id", "started_at", "seconds"], rows: latestFinished("report_runs", "1"),
                                 why: "ids count interrupted runs; the rest are times"),
    ]

    /// The latest row of a stage's history table among those matching `finished`.
    static func latestFinished(_ table: String, _ finished: String) -> String {
        "id = (SELECT max(id) FROM \(table) WHERE \(finished))"
    }

    /// Table name -> "N rows <sha256 prefix>" of its compared columns and rows.
    static func of(_ path: String) throws -> [String: String] {
        try readOnlyQueue(path).read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                """)
            var sums: [String: String] = [:]
            for table in tables {
                let exclusion = exclusions[table]
                if exclusion?.wholeTable == true { continue }
                sums[table] = try checksum(db, table: table, exclusion: exclusion)
            }
            return sums
        }
    }

    private static func checksum(_ db: Database, table: String, exclusion: Exclusion?) throws -> String {
        let columns = try db.columns(in: table).map(\.name).filter { !(exclusion?.columns.contains($0) ?? false) }
        let list = columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        let filter = exclusion?.rows.map { " WHERE \($0)" } ?? ""
        // Every compared column in the sort: a deterministic order whatever the rowids are.
        let order = (1...columns.count).map(String.init).joined(separator: ", ")
        let rows = try Row.fetchCursor(db, sql: "SELECT \(list) FROM \(table.quotedDatabaseIdentifier)\(filter) ORDER BY \(order)")
        var hasher = SHA256Hasher()
        var count = 0
        while let row = try rows.next() {
            count += 1
            for value in row.databaseValues { hash(value, into: &hasher) }
            hasher.update("\n")
        }
        return "\(count) rows " + hasher.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Exact: doubles by their bits, blobs by their bytes.
    private static func hash(_ value: DatabaseValue, into hasher: inout SHA256Hasher) {
        switch value.storage {
        case .null: hasher.update("N|")
        case .int64(let int): hasher.update("I\(int)|")
        case .double(let double): hasher.update("D\(String(double.bitPattern, radix: 16))|")
        case .string(let string): hasher.update("S\(string.utf8.count):\(string)|")
        case .blob(let data): hasher.update("B\(data.count):"); hasher.update(data); hasher.update("|")
        }
    }

    /// Opened read-only: probing a database never writes to it (no checkpoint on close either).
    static func readOnlyQueue(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    static func integrityCheck(_ path: String) throws -> String {
        try readOnlyQueue(path).read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
        }
    }
}
