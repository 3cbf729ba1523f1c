import GRDB

/// Writes the `runs` and `stage_runs` rows that say what ran, on what, with which result.
struct Provenance: Sendable {
    let store: ResultsStore

    static let version = MoltscopeVersion.string

    func beginRun(command: String, config: PipelineConfig, registry: StageRegistry) async throws -> Int64 {
        let versions = registry.stages.map { "\($0.name)=\($0.version)" }.joined(separator: ",")
        return try await store.pool.write { db in
            // A run that was killed never wrote its end: say so now (the run lock guarantees that no
            // other process is running on this database).
            try db.execute(sql: "UPDATE runs SET status = 'interrupted', ended_at = coalesce(ended_at, ?) WHERE status = 'running'",
                           arguments: [Clock.now()])
            try db.execute(sql: "UPDATE stage_runs SET status = 'interrupted', message = coalesce(message, 'process ended without finishing') WHERE status = 'running'")
            try db.execute(sql: """
                INSERT INTO runs(started_at, status, command, config_path, config_hash, moltscope_version, stage_versions)
                VALUES (?, 'running', ?, ?, ?, ?, ?)
                """, arguments: [Clock.now(), command, config.sourcePath, config.hash, Self.version, versions])
            return db.lastInsertedRowID
        }
    }

    func endRun(_ id: Int64, status: String, error: String?) async throws {
        // `commit`, not `pool.write`: GRDB refuses to write from a cancelled task, and an
        // interrupted run is exactly when the caller's task is cancelled.
        try await store.commit { db in
            try db.execute(sql: "UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ?",
                           arguments: [status, Clock.now(), error, id])
        }
    }

    func beginStage(runId: Int64, stage: StageDescriptor, mode: StageMode, state: StageState) async throws -> Int64 {
        try await store.pool.write { db in
            try db.execute(sql: """
                INSERT INTO stage_runs(run_id, stage, stage_version, mode, config_hash, upstream_fingerprints,
                                       input_fingerprint, started_at, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running')
                """, arguments: [runId, stage.name, stage.version, mode.rawValue, state.configHash,
                                 state.upstreamFingerprints, state.currentInputFingerprint, Clock.now()])
            return db.lastInsertedRowID
        }
    }

    func endStage(_ id: Int64, stage: StageDescriptor, status: String, report: StageReport?, message: String?) async throws {
        try await store.commit { db in  // even when cancelled (see endRun)
            try db.execute(sql: """
                UPDATE stage_runs SET status = ?, ended_at = ?, rows_in = ?, rows_out = ?,
                       errors = ?, message = ? WHERE id = ?
                """, arguments: [status, Clock.now(), report?.rowsIn ?? 0, report?.rowsOut ?? 0,
                                 report?.errors ?? 0, message ?? report?.note, id])
            // After the status: the default output fingerprint counts completed rebuilds.
            if status == "completed" {
                try db.execute(sql: "UPDATE stage_runs SET output_fingerprint = ? WHERE id = ?",
                               arguments: [try stage.outputFingerprint(db), id])
            }
        }
    }
}
