import MoltscopeCore

/// The clean stage's tables (see docs/tables.md): one row per post and comment with the text to
/// embed, duplicate groups, flood events and per-agent activity.
enum CleanSchema {
    static let outputTables = ["documents", "duplicate_groups", "flood_events", "agent_activity"]

    static let migrations: [StoreMigration] = [
        StoreMigration("clean-v1") { db in
            try db.execute(sql: """
                CREATE TABLE documents (
                    id TEXT PRIMARY KEY,                -- the post's or comment's id
                    kind TEXT NOT NULL CHECK (kind IN ('post','comment')),
                    post_id TEXT NOT NULL,              -- the post itself, or the comment's post
                    parent_id TEXT,                     -- a reply's parent comment (NULL otherwise)
                    author_id TEXT,
                    author_name TEXT,
                    submolt TEXT,
                    created_at TEXT,
                    text TEXT NOT NULL,                 -- cleaned text to embed (posts: title, blank line, content)
                    language TEXT NOT NULL,             -- ISO 639-1 or 'und'
                    length INTEGER NOT NULL,            -- characters (code points) of text
                    original_length INTEGER NOT NULL,   -- characters as posted, before cleaning and cutting
                    truncated INTEGER NOT NULL CHECK (truncated IN (0,1)),
                    content_hash TEXT NOT NULL,         -- hex SHA-256 of text (UTF-8)
                    exact_group INTEGER,                -- duplicate_groups.group_id (method 'exact'), NULL if unique
                    near_group INTEGER,                 -- duplicate_groups.group_id (method 'near'), NULL if none
                    flood_event INTEGER,                -- flood_events.id
                    status TEXT NOT NULL CHECK (status IN ('kept','dropped')),
                    drop_reason TEXT                    -- empty, language, flood
                );
                CREATE INDEX documents_by_author ON documents(author_id);
                CREATE INDEX documents_by_created ON documents(created_at);
                CREATE INDEX documents_by_hash ON documents(content_hash);
                CREATE INDEX documents_by_near_group ON documents(near_group);

                CREATE TABLE duplicate_groups (
                    group_id INTEGER NOT NULL,          -- chronological rank of the group's first document
                    method TEXT NOT NULL CHECK (method IN ('exact','near')),
                    size INTEGER NOT NULL,
                    distinct_authors INTEGER NOT NULL,
                    first_document_id TEXT NOT NULL,
                    first_created_at TEXT,
                    sample_text TEXT NOT NULL,          -- first 200 characters of the first document
                    PRIMARY KEY (method, group_id)
                );

                CREATE TABLE flood_events (
                    id INTEGER PRIMARY KEY,
                    author_id TEXT NOT NULL,
                    near_group INTEGER NOT NULL,
                    documents INTEGER NOT NULL,
                    first_document_id TEXT NOT NULL,
                    first_at TEXT NOT NULL,
                    last_at TEXT NOT NULL,
                    span_seconds REAL NOT NULL,
                    max_gap_seconds REAL NOT NULL
                );
                CREATE INDEX flood_events_by_author ON flood_events(author_id);

                CREATE TABLE agent_activity (
                    author_id TEXT PRIMARY KEY,
                    author_name TEXT,
                    posts INTEGER NOT NULL,
                    comments INTEGER NOT NULL,
                    documents INTEGER NOT NULL,
                    duplicate_share REAL NOT NULL,      -- share of its documents in a group of size >= 2
                    flood_events INTEGER NOT NULL,
                    flood_documents INTEGER NOT NULL,
                    burstiness REAL,                    -- CV of gaps between its posts (>= 3 dated posts)
                    mean_gap_seconds REAL               -- mean gap between its posts (>= 2 dated posts)
                );
                """)
        },
    ]
}
