import MoltscopeCore

/// The crawl stage's tables. Ids are the API's; times are UTC ISO-8601; counts are integers.
enum CrawlSchema {
    static let outputTables = ["posts", "comments", "agents", "submolts", "raw_responses", "crawl_frontier"]

    static let migrations: [StoreMigration] = [
        StoreMigration("crawl-v1") { db in
            try db.execute(sql: """
                CREATE TABLE posts (
                    id TEXT PRIMARY KEY,
                    title TEXT,
                    content TEXT,
                    url TEXT,
                    upvotes INTEGER,
                    downvotes INTEGER,
                    comment_count INTEGER,          -- as the API declared it
                    comments_fetched INTEGER NOT NULL DEFAULT 0,  -- comments we have (trees are capped)
                    created_at TEXT,
                    created_at_raw TEXT,            -- kept only when unreadable
                    submolt TEXT,
                    author_id TEXT,
                    author_name TEXT,
                    flags TEXT,                     -- null_author, null_content, bad_timestamp, ...
                    source TEXT NOT NULL,           -- api or capture
                    fetched_at TEXT NOT NULL
                );
                CREATE INDEX posts_by_created ON posts(created_at);
                CREATE INDEX posts_by_author ON posts(author_id);
                CREATE INDEX posts_by_submolt ON posts(submolt);

                CREATE TABLE comments (
                    id TEXT PRIMARY KEY,
                    post_id TEXT NOT NULL,
                    parent_id TEXT,
                    depth INTEGER NOT NULL,
                    content TEXT,
                    upvotes INTEGER,
                    downvotes INTEGER,
                    created_at TEXT,
                    created_at_raw TEXT,
                    author_id TEXT,
                    author_name TEXT,
                    flags TEXT,
                    fetched_at TEXT NOT NULL
                );
                CREATE INDEX comments_by_post ON comments(post_id);
                CREATE INDEX comments_by_author ON comments(author_id);
                CREATE INDEX comments_by_parent ON comments(parent_id);

                CREATE TABLE agents (
                    id TEXT PRIMARY KEY,
                    name TEXT,
                    description TEXT,
                    karma INTEGER,                  -- the largest seen: karma differs between responses
                    follower_count INTEGER,
                    following_count INTEGER,
                    is_claimed INTEGER,
                    created_at TEXT,
                    last_active TEXT,
                    profile_fetched_at TEXT,
                    first_seen_at TEXT NOT NULL,
                    last_seen_at TEXT NOT NULL
                );
                CREATE INDEX agents_by_name ON agents(name);

                CREATE TABLE submolts (
                    name TEXT PRIMARY KEY,
                    id TEXT,
                    display_name TEXT,
                    description TEXT,
                    subscriber_count INTEGER,
                    created_at TEXT,
                    first_seen_at TEXT NOT NULL,
                    last_seen_at TEXT NOT NULL
                );

                CREATE TABLE raw_responses (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('post_list','post_detail','comments','submolt_list',
                                                        'agent_profile','capture_line')),
                    url TEXT NOT NULL,
                    post_id TEXT,
                    status INTEGER NOT NULL,
                    content_type TEXT,
                    fetched_at TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    body_gzip BLOB NOT NULL
                );
                CREATE INDEX raw_by_post ON raw_responses(post_id);

                -- Posts the listing found that need their details fetched (new, or more comments).
                CREATE TABLE crawl_frontier (
                    post_id TEXT PRIMARY KEY,
                    listed_comment_count INTEGER,
                    listed_at TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending','done','failed')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT
                );
                CREATE INDEX frontier_by_state ON crawl_frontier(state);
                """)
        },
    ]
}
