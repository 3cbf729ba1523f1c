import MoltscopeCore

/// The report stage's tables (see docs/tables.md): MoltNet's four dimensions (intent,
/// incentives, norms, contagion), the topic and toxicity breakdowns and series the report
/// shows, and `report_figures`, every figure beside its published value. Each run replaces them
/// in one transaction; `report_runs` keeps the history and `profile_vectors` caches the
/// embedded profile descriptions.
enum ReportSchema {
    static let currentTables = [
        "report_persona_alignment", "report_intent_summary", "report_incentive_agents", "report_incentive_summary",
        "report_norm_templates", "report_conflict_contagion", "report_emotion_contagion", "report_topic_toxicity",
        "report_harm_by_topic", "report_series", "report_figures",
    ]
    static let outputTables = currentTables + ["report_runs", ProfileVectors.table]

    static let migrations: [StoreMigration] = [
        StoreMigration("report-v1") { db in
            try db.execute(sql: VectorCache.createFirstShape(ProfileVectors.table))
            try db.execute(sql: """
                CREATE TABLE report_runs (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL,            -- runs.id of the pipeline run
                    labeller TEXT,                      -- whose labels the report uses
                    label_model TEXT,
                    label_version TEXT,
                    embedding_model TEXT NOT NULL,
                    documents INTEGER NOT NULL,         -- posts and comments
                    aligned_documents INTEGER NOT NULL, -- documents with a persona similarity
                    profiles INTEGER NOT NULL,          -- agents with an embedded profile description
                    reference_profiles INTEGER NOT NULL, -- profiles each document is ranked against
                    threshold REAL NOT NULL,            -- report.intent.threshold
                    settings TEXT NOT NULL,             -- the [report] settings as JSON
                    started_at TEXT NOT NULL,
                    seconds REAL NOT NULL
                );
                CREATE TABLE report_persona_alignment (
                    document_id TEXT PRIMARY KEY,
                    author_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    created_at TEXT,
                    similarity REAL NOT NULL,           -- cosine to the author's profile description
                    baseline REAL NOT NULL,             -- mean cosine to every agent's profile
                    lift REAL NOT NULL,                 -- similarity - baseline
                    profile_rank REAL,                  -- share of other sampled profiles less similar than its own
                    aligned INTEGER NOT NULL            -- similarity >= threshold
                ) WITHOUT ROWID;
                CREATE TABLE report_intent_summary (
                    grouping TEXT NOT NULL,             -- all, kind, activity, day
                    value TEXT NOT NULL,
                    position INTEGER NOT NULL,          -- order within the grouping
                    documents INTEGER NOT NULL,
                    agents INTEGER NOT NULL,
                    mean_similarity REAL NOT NULL,
                    median_similarity REAL NOT NULL,
                    aligned_share REAL NOT NULL,
                    mean_lift REAL NOT NULL,
                    mean_rank REAL,                     -- mean profile_rank (0.5: chance)
                    PRIMARY KEY (grouping, value)
                ) WITHOUT ROWID;
                CREATE TABLE report_incentive_agents (
                    author_id TEXT PRIMARY KEY,
                    author_name TEXT,
                    karma INTEGER NOT NULL,
                    posts INTEGER NOT NULL,             -- dated posts, kept or not
                    top_post_id TEXT NOT NULL,          -- the most upvoted (ties: the earliest)
                    top_upvotes INTEGER NOT NULL,
                    top_at TEXT NOT NULL,
                    posts_after INTEGER NOT NULL,
                    shift_ratio REAL NOT NULL,          -- posts_after / posts
                    documents_before INTEGER NOT NULL,  -- with a persona similarity
                    documents_after INTEGER NOT NULL,
                    similarity_before REAL,
                    similarity_after REAL,
                    similarity_change REAL,             -- after - before
                    moved_away INTEGER                  -- 1 when similarity_change < 0
                ) WITHOUT ROWID;
                CREATE TABLE report_incentive_summary (
                    measure TEXT PRIMARY KEY,           -- shift_ratio, similarity_before, similarity_after, similarity_change, moved_away
                    n INTEGER NOT NULL,
                    mean REAL,
                    median REAL,
                    p25 REAL,
                    p75 REAL
                ) WITHOUT ROWID;
                CREATE TABLE report_norm_templates (
                    submolt TEXT PRIMARY KEY,
                    rank INTEGER NOT NULL,              -- 1: the highest template share
                    posts INTEGER NOT NULL,
                    templates INTEGER NOT NULL,
                    template_share REAL NOT NULL,
                    mean_similarity REAL NOT NULL,
                    bic_gain REAL NOT NULL,
                    top_template INTEGER NOT NULL,
                    top_template_posts INTEGER,
                    top_template_share REAL,
                    keywords TEXT,
                    example_document_id TEXT,
                    example_text TEXT                   -- the example's first 300 characters
                ) WITHOUT ROWID;
                CREATE TABLE report_conflict_contagion (
                    comparison TEXT PRIMARY KEY,        -- under_post, after_first_comment, reply_to_comment
                    description TEXT NOT NULL,
                    exposed_comments INTEGER NOT NULL,  -- after or under conflict
                    exposed_conflictual INTEGER NOT NULL,
                    exposed_share REAL,
                    exposed_low REAL,                   -- Wilson 95% interval
                    exposed_high REAL,
                    calm_comments INTEGER NOT NULL,
                    calm_conflictual INTEGER NOT NULL,
                    calm_share REAL,
                    calm_low REAL,
                    calm_high REAL,
                    difference REAL,                    -- exposed - calm
                    difference_low REAL,                -- Newcombe 95% interval
                    difference_high REAL,
                    risk_ratio REAL,
                    published_exposed REAL,
                    published_calm REAL
                ) WITHOUT ROWID;
                CREATE TABLE report_emotion_contagion (
                    parent_emotion TEXT NOT NULL,
                    reply_emotion TEXT NOT NULL,
                    replies INTEGER NOT NULL,
                    share REAL,                         -- among answers to parent_emotion
                    baseline REAL,                      -- among all answers
                    lift REAL,                          -- share / baseline
                    PRIMARY KEY (parent_emotion, reply_emotion)
                ) WITHOUT ROWID;
                CREATE TABLE report_topic_toxicity (
                    kind TEXT NOT NULL,                 -- post, comment, all
                    topic TEXT NOT NULL,
                    topic_name TEXT NOT NULL,
                    toxicity INTEGER NOT NULL,
                    documents INTEGER NOT NULL,
                    share_of_topic REAL NOT NULL,
                    share_of_all REAL NOT NULL,
                    PRIMARY KEY (kind, topic, toxicity)
                ) WITHOUT ROWID;
                CREATE TABLE report_harm_by_topic (
                    kind TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    topic_name TEXT NOT NULL,
                    documents INTEGER NOT NULL,
                    safe_share REAL NOT NULL,
                    harmful_share REAL NOT NULL,
                    malicious_share REAL NOT NULL,
                    conflict_share REAL NOT NULL,
                    mean_valence REAL NOT NULL,
                    PRIMARY KEY (kind, topic)
                ) WITHOUT ROWID;
                CREATE TABLE report_series (
                    bucket TEXT NOT NULL,
                    start TEXT NOT NULL,
                    posts INTEGER NOT NULL,
                    comments INTEGER NOT NULL,
                    active_agents INTEGER NOT NULL,
                    harmful_share REAL,
                    post_harmful_share REAL,
                    conflict_share REAL,
                    aligned_documents INTEGER NOT NULL, -- documents with a persona similarity
                    aligned_share REAL,
                    mean_similarity REAL,
                    mean_rank REAL,                     -- mean profile_rank
                    centroid_shift REAL,
                    spread REAL,
                    pagerank_top_overlap REAL,
                    PRIMARY KEY (bucket, start)
                ) WITHOUT ROWID;
                CREATE TABLE report_figures (
                    position INTEGER PRIMARY KEY,
                    section TEXT NOT NULL,
                    measure TEXT NOT NULL UNIQUE,
                    description TEXT NOT NULL,
                    ours REAL,
                    ours_text TEXT,                     -- for figures that are names
                    published REAL,
                    published_text TEXT,                -- as the study states it
                    difference REAL,                    -- ours - published (0 inside a published range)
                    n INTEGER,                          -- how many it summarises
                    source TEXT NOT NULL,               -- the table it comes from
                    study TEXT NOT NULL                 -- where the published figure is from
                );
                """)
        },
        VectorCache.migrationFromFirstShape("report-v2", table: ProfileVectors.table),
    ]
}
