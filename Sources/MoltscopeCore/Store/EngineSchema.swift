import GRDB

/// The engine's own tables: provenance (`runs`, `stage_runs`), checkpoints and recorded errors.
enum EngineSchema {
    static let migrations: [StoreMigration] = [
        StoreMigration("engine-v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    started_at TEXT NOT NULL,
                    ended_at TEXT,
                    status TEXT NOT NULL CHECK (status IN ('running','completed','failed','interrupted')),
                    command TEXT NOT NULL,
                    config_path TEXT,
                    config_hash TEXT NOT NULL,
                    moltscope_version TEXT NOT NULL,
                    stage_versions TEXT NOT NULL,
                    error TEXT
                );
                CREATE TABLE stage_runs (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    stage TEXT NOT NULL,
                    stage_version INTEGER NOT NULL,
                    mode TEXT NOT NULL CHECK (mode IN ('update','rebuild')),
                    config_hash TEXT NOT NULL,
                    upstream_fingerprints TEXT NOT NULL,
                    input_fingerprint TEXT NOT NULL,
                    output_fingerprint TEXT,
                    started_at TEXT NOT NULL,
                    ended_at TEXT,
                    status TEXT NOT NULL CHECK (status IN ('running','completed','failed','interrupted')),
                    rows_in INTEGER NOT NULL DEFAULT 0,
                    rows_out INTEGER NOT NULL DEFAULT 0,
                    errors INTEGER NOT NULL DEFAULT 0,
                    message TEXT
                );
                CREATE INDEX stage_runs_by_stage ON stage_runs(stage, id);
                CREATE TABLE stage_checkpoints (
                    stage TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    PRIMARY KEY (stage, key)
                ) WITHOUT ROWID;
                CREATE TABLE errors (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER,
                    stage TEXT NOT NULL,
                    source TEXT,
                    reason TEXT NOT NULL,
                    excerpt TEXT,
                    at TEXT NOT NULL
                );
                CREATE INDEX errors_by_stage ON errors(stage, id);
                """)
        },
    ]
}
