import MoltscopeCore

/// The temporal stage's tables (see docs/tables.md): series per bucket (`bucket` is the width
/// as configured, e.g. '1h' or '1d'; `start` its UTC start), the interaction network, roles,
/// cascades, distributions with their power-law fits, and one summary of single figures.
/// Each run replaces them all in one transaction; `temporal_runs` keeps the history.
enum TemporalSchema {
    static let currentTables = [
        "temporal_series", "temporal_topic_shares", "temporal_correlations", "temporal_semantics", "temporal_ngrams",
        "temporal_agent_drift", "temporal_pagerank", "temporal_pagerank_leaders", "interaction_edges", "network_agents",
        "network_roles", "network_role_scan", "network_distributions", "power_law_fits", "meme_cascades",
        "cascade_adoptions", "temporal_summary",
    ]
    static let outputTables = currentTables + ["temporal_runs"]

    static let migrations: [StoreMigration] = [
        StoreMigration("temporal-v1") { db in
            try db.execute(sql: """
                CREATE TABLE temporal_runs (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL,            -- runs.id of the pipeline run
                    labeller TEXT,                      -- whose labels the topic and harm series use
                    label_model TEXT,
                    label_version TEXT,
                    embedding_model TEXT NOT NULL,
                    documents INTEGER NOT NULL,
                    embedded INTEGER NOT NULL,          -- documents with a vector (semantic measures)
                    settings TEXT NOT NULL,             -- the [temporal] settings as JSON
                    started_at TEXT NOT NULL,
                    seconds REAL NOT NULL
                );
                CREATE TABLE temporal_series (
                    bucket TEXT NOT NULL,               -- bucket width, e.g. '1h', '1d'
                    start TEXT NOT NULL,                -- UTC start of the bucket
                    posts INTEGER NOT NULL,
                    comments INTEGER NOT NULL,
                    documents INTEGER NOT NULL,         -- posts + comments
                    kept INTEGER NOT NULL,              -- documents the clean stage kept
                    labelled INTEGER NOT NULL,
                    active_agents INTEGER NOT NULL,     -- distinct authors
                    new_agents INTEGER NOT NULL,        -- authors seen for the first time
                    new_submolts INTEGER NOT NULL,      -- submolts created in the bucket
                    harmful INTEGER NOT NULL,           -- labelled toxicity >= 2
                    harmful_share REAL,                 -- of labelled documents
                    post_harmful_share REAL,            -- of labelled posts
                    conflict_share REAL,
                    topic_entropy REAL,                 -- Shannon entropy of the topic mix, bits (max log2 9 = 3.17)
                    gini_upvotes REAL,                  -- of the bucket's posts
                    gini_comments REAL,                 -- comments received by the bucket's posts
                    PRIMARY KEY (bucket, start)
                );
                CREATE TABLE temporal_topic_shares (
                    bucket TEXT NOT NULL,
                    start TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    topic_name TEXT NOT NULL,
                    documents INTEGER NOT NULL,
                    share REAL NOT NULL,                -- of the bucket's labelled documents
                    PRIMARY KEY (bucket, start, topic)
                );
                CREATE TABLE temporal_correlations (
                    bucket TEXT NOT NULL,
                    x TEXT NOT NULL,                    -- posts, documents, comments per bucket
                    y TEXT NOT NULL,                    -- post_harmful_share, harmful_share
                    buckets INTEGER NOT NULL,           -- buckets where both are defined
                    r REAL,                             -- Pearson correlation
                    p_value REAL,                       -- two-sided
                    PRIMARY KEY (bucket, x, y)
                );
                CREATE TABLE temporal_semantics (
                    bucket TEXT NOT NULL,
                    start TEXT NOT NULL,
                    documents INTEGER NOT NULL,         -- kept documents with a vector
                    centroid_shift REAL,                -- cosine distance to the previous bucket's centroid
                    shift_from_first REAL,              -- cosine distance to the first bucket's centroid
                    spread REAL,                        -- mean cosine distance of documents to the centroid
                    PRIMARY KEY (bucket, start)
                );
                CREATE TABLE temporal_ngrams (
                    bucket TEXT NOT NULL,
                    start TEXT NOT NULL,
                    n INTEGER NOT NULL,                 -- words per n-gram
                    distinct_ngrams INTEGER NOT NULL,
                    born INTEGER NOT NULL,              -- first used in this bucket
                    died INTEGER NOT NULL,              -- last used in this bucket
                    birth_rate REAL,                    -- born / distinct; NULL in the first bucket (censored)
                    death_rate REAL,                    -- died / distinct; NULL in the last bucket (censored)
                    PRIMARY KEY (bucket, start, n)
                );
                CREATE TABLE temporal_agent_drift (
                    bucket TEXT NOT NULL,
                    agent_id TEXT NOT NULL,
                    agent_name TEXT,
                    documents INTEGER NOT NULL,         -- embedded documents of the agent
                    active_buckets INTEGER NOT NULL,
                    first_start TEXT NOT NULL,
                    last_start TEXT NOT NULL,
                    drift REAL NOT NULL,                -- cosine distance, first vs last active bucket's centroid
                    mean_step REAL NOT NULL,            -- mean distance between consecutive active buckets
                    PRIMARY KEY (bucket, agent_id)
                );
                CREATE TABLE temporal_pagerank (
                    bucket TEXT NOT NULL,
                    start TEXT NOT NULL,
                    agents INTEGER NOT NULL,            -- nodes of the bucket's interaction graph
                    edges INTEGER NOT NULL,
                    top_overlap REAL,                   -- share of the top k also in the previous bucket's top k
                    top_jaccard REAL,
                    PRIMARY KEY (bucket, start)
                );
                CREATE TABLE temporal_pagerank_leaders (
                    bucket TEXT NOT NULL,
                    start TEXT NOT NULL,
                    rank INTEGER NOT NULL,
                    agent_id TEXT NOT NULL,
                    agent_name TEXT,
                    pagerank REAL NOT NULL,
                    PRIMARY KEY (bucket, start, rank)
                );
                CREATE TABLE interaction_edges (
                    source_id TEXT NOT NULL,            -- the commenter
                    target_id TEXT NOT NULL,            -- the author of the parent comment or post
                    weight INTEGER NOT NULL,            -- comments
                    first_at TEXT,
                    last_at TEXT,
                    PRIMARY KEY (source_id, target_id)
                ) WITHOUT ROWID;
                CREATE INDEX interaction_edges_by_target ON interaction_edges(target_id);
                CREATE TABLE network_agents (
                    agent_id TEXT PRIMARY KEY,
                    agent_name TEXT,
                    in_degree INTEGER NOT NULL,         -- distinct agents who answered this one
                    out_degree INTEGER NOT NULL,        -- distinct agents this one answered
                    in_weight INTEGER NOT NULL,         -- comments received from others
                    out_weight INTEGER NOT NULL,        -- comments to others
                    betweenness REAL NOT NULL,          -- normalized; estimated when network_summary says so
                    clustering REAL NOT NULL,           -- of the undirected graph
                    pagerank REAL NOT NULL,             -- damping 0.85, weighted
                    reciprocity REAL,                   -- share of its neighbour links that go both ways
                    role INTEGER                        -- network_roles.role
                ) WITHOUT ROWID;
                CREATE TABLE network_roles (
                    role INTEGER PRIMARY KEY,           -- 0 is the largest
                    name TEXT NOT NULL,
                    agents INTEGER NOT NULL,
                    share REAL NOT NULL,
                    description TEXT NOT NULL,          -- the centroid's notable features in standard deviations
                    in_degree REAL NOT NULL, out_degree REAL NOT NULL, in_weight REAL NOT NULL, out_weight REAL NOT NULL,
                    betweenness REAL NOT NULL, clustering REAL NOT NULL, pagerank REAL NOT NULL, reciprocity REAL NOT NULL,
                    z_in_degree REAL NOT NULL, z_out_degree REAL NOT NULL, z_in_weight REAL NOT NULL, z_out_weight REAL NOT NULL,
                    z_betweenness REAL NOT NULL, z_clustering REAL NOT NULL, z_pagerank REAL NOT NULL, z_reciprocity REAL NOT NULL
                );
                CREATE TABLE network_role_scan (
                    k INTEGER PRIMARY KEY,
                    silhouette REAL,
                    inertia REAL NOT NULL,
                    chosen INTEGER NOT NULL
                );
                CREATE TABLE network_distributions (
                    subject TEXT NOT NULL,              -- in_degree, out_degree, degree, agent_documents, cascade_size, comment_depth, thread_depth
                    value INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (subject, value)
                ) WITHOUT ROWID;
                CREATE TABLE power_law_fits (
                    subject TEXT PRIMARY KEY,           -- as in network_distributions
                    n INTEGER NOT NULL,                 -- values >= 1 fitted
                    x_min INTEGER NOT NULL,             -- Clauset: minimal KS distance
                    alpha REAL NOT NULL,                -- discrete MLE
                    alpha_se REAL NOT NULL,
                    n_tail INTEGER NOT NULL,            -- values >= x_min
                    ks_distance REAL NOT NULL,
                    lr_lognormal REAL NOT NULL,         -- log-likelihood ratio, > 0 favours the power law
                    p_lognormal REAL NOT NULL,          -- Vuong's p-value of its sign
                    lr_exponential REAL NOT NULL,
                    p_exponential REAL NOT NULL,
                    verdict TEXT NOT NULL
                );
                CREATE TABLE meme_cascades (
                    cascade_id INTEGER PRIMARY KEY,     -- 0 is the largest
                    phrase TEXT NOT NULL,
                    n INTEGER NOT NULL,                 -- words
                    size INTEGER NOT NULL,              -- distinct adopting agents
                    documents INTEGER NOT NULL,         -- documents using it
                    first_at TEXT NOT NULL,
                    first_agent_id TEXT NOT NULL,
                    first_document_id TEXT NOT NULL,
                    half_at TEXT NOT NULL,              -- when half of the adopters had adopted
                    last_at TEXT NOT NULL,              -- last use
                    duration_hours REAL NOT NULL        -- first to last adoption
                );
                CREATE TABLE cascade_adoptions (
                    cascade_id INTEGER NOT NULL,
                    rank INTEGER NOT NULL,              -- 1 is the first adopter
                    agent_id TEXT NOT NULL,
                    adopted_at TEXT NOT NULL,
                    document_id TEXT NOT NULL,
                    PRIMARY KEY (cascade_id, rank)
                ) WITHOUT ROWID;
                CREATE TABLE temporal_summary (
                    measure TEXT PRIMARY KEY,
                    value REAL,
                    n INTEGER,                          -- how many it summarises
                    detail TEXT
                );
                """)
        },
    ]
}
