import MoltscopeCore

/// The embed stage's tables: the vector cache and flooding seen through embeddings.
enum EmbedSchema {
    static let outputTables = ["embeddings", "embedding_flood_events", "embedding_flood_members", "flood_comparison"]

    static let migrations: [StoreMigration] = [
        StoreMigration("embed-v1") { db in
            try db.execute(sql: """
                -- One vector per (model, text): the cache. Rerunning, or a second document with the same
                -- text, never asks the server again. Vectors are L2-normalized little-endian float32.
                \(VectorCache.createFirstShape("embeddings"))

                CREATE TABLE embedding_flood_events (
                    id INTEGER PRIMARY KEY,
                    model TEXT NOT NULL,
                    author_id TEXT NOT NULL,
                    documents INTEGER NOT NULL,
                    first_at TEXT NOT NULL,
                    last_at TEXT NOT NULL,
                    span_seconds REAL NOT NULL,
                    min_cosine REAL NOT NULL
                );
                CREATE TABLE embedding_flood_members (
                    event_id INTEGER NOT NULL REFERENCES embedding_flood_events(id),
                    document_id TEXT NOT NULL,
                    PRIMARY KEY (event_id, document_id)
                ) WITHOUT ROWID;

                -- Flooding found by shingles (clean) and by embeddings (embed), side by side.
                CREATE TABLE flood_comparison (
                    method TEXT PRIMARY KEY,
                    events INTEGER NOT NULL,
                    documents INTEGER NOT NULL,
                    agents INTEGER NOT NULL,
                    note TEXT
                );
                """)
        },
        VectorCache.migrationFromFirstShape("embed-v2", table: "embeddings"),
    ]
}
