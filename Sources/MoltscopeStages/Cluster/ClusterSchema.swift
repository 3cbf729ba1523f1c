import MoltscopeCore

/// The cluster stage's tables (see docs/tables.md): topic clusters of documents with keywords,
/// examples and map coordinates; submolt communities; per-submolt templates; quality per run.
enum ClusterSchema {
    /// Replaced by every run.
    static let currentTables = ["topic_clusters", "cluster_keywords", "cluster_examples", "document_clusters",
                                "communities", "submolt_communities", "submolt_templates", "submolt_template_centres"]
    /// Kept across runs, so runs with other settings can be compared in SQL.
    static let historyTables = ["cluster_runs", "cluster_k_scan"]
    static let outputTables = currentTables + historyTables

    static let migrations: [StoreMigration] = [
        StoreMigration("cluster-v1") { db in
            try db.execute(sql: """
                CREATE TABLE cluster_runs (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER,                     -- runs.id of the pipeline run
                    status TEXT NOT NULL CHECK (status IN ('running','done')),
                    method TEXT NOT NULL,               -- kmeans, minibatch-kmeans or hdbscan
                    model TEXT NOT NULL,                -- embedding model of the vectors
                    documents INTEGER NOT NULL,
                    dimensions INTEGER NOT NULL,
                    k INTEGER,                          -- clusters (noise not counted)
                    seed INTEGER NOT NULL,
                    silhouette REAL,                    -- mean silhouette (cosine geometry via unit vectors, Euclidean)
                    silhouette_sample INTEGER,          -- documents it was computed on
                    inertia REAL,                       -- k-means: sum of squared distances to centres
                    davies_bouldin REAL,
                    calinski_harabasz REAL,
                    noise_share REAL,                   -- HDBSCAN: share of documents in no cluster
                    smallest INTEGER,
                    median_size REAL,
                    largest INTEGER,
                    size_gini REAL,                     -- inequality of cluster sizes (0 equal .. 1)
                    iterations INTEGER,
                    seconds REAL,
                    settings TEXT NOT NULL,             -- the [cluster] settings as JSON
                    created_at TEXT NOT NULL
                );

                -- The silhouette scan that chose k (k-means with cluster.k = 0).
                CREATE TABLE cluster_k_scan (
                    cluster_run INTEGER NOT NULL REFERENCES cluster_runs(id),
                    k INTEGER NOT NULL,
                    silhouette REAL,
                    inertia REAL NOT NULL,
                    davies_bouldin REAL,
                    iterations INTEGER NOT NULL,
                    seconds REAL NOT NULL,
                    chosen INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (cluster_run, k)
                ) WITHOUT ROWID;

                CREATE TABLE topic_clusters (
                    cluster_id INTEGER PRIMARY KEY,     -- 0 is the largest; -1 HDBSCAN noise
                    size INTEGER NOT NULL,
                    share REAL NOT NULL,
                    posts INTEGER NOT NULL,
                    comments INTEGER NOT NULL,
                    cohesion REAL,                      -- mean cosine similarity of members to the centroid
                    label TEXT,                         -- the top three keywords
                    keywords TEXT,                      -- the top keywords, comma-separated
                    top_submolt TEXT,                   -- submolt most of its documents come from
                    top_submolt_share REAL,
                    x REAL,                             -- centre of its documents on the map
                    y REAL
                );
                CREATE TABLE cluster_keywords (
                    cluster_id INTEGER NOT NULL,
                    rank INTEGER NOT NULL,
                    term TEXT NOT NULL,
                    score REAL NOT NULL,                -- class-based TF-IDF
                    PRIMARY KEY (cluster_id, rank)
                ) WITHOUT ROWID;
                CREATE TABLE cluster_examples (
                    cluster_id INTEGER NOT NULL,
                    rank INTEGER NOT NULL,
                    document_id TEXT NOT NULL,
                    similarity REAL NOT NULL,           -- cosine similarity to the centroid
                    PRIMARY KEY (cluster_id, rank)
                ) WITHOUT ROWID;
                CREATE TABLE document_clusters (
                    document_id TEXT PRIMARY KEY,
                    cluster_id INTEGER NOT NULL,
                    similarity REAL NOT NULL,           -- cosine similarity to its cluster's centroid
                    probability REAL,                   -- HDBSCAN membership strength (NULL for k-means)
                    x REAL,                             -- t-SNE map coordinates (NULL when not mapped)
                    y REAL
                ) WITHOUT ROWID;
                CREATE INDEX document_clusters_by_cluster ON document_clusters(cluster_id);

                CREATE TABLE communities (
                    community_id INTEGER PRIMARY KEY,   -- 0 is the largest by posts
                    submolts INTEGER NOT NULL,
                    posts INTEGER NOT NULL,
                    cohesion REAL NOT NULL,             -- mean cosine similarity of member submolts to the centroid
                    label TEXT,
                    keywords TEXT,
                    top_submolts TEXT                   -- its largest submolts, comma-separated
                );
                CREATE TABLE submolt_communities (
                    submolt TEXT PRIMARY KEY,
                    community_id INTEGER NOT NULL,
                    posts INTEGER NOT NULL,
                    similarity REAL NOT NULL,           -- cosine similarity to its community's centroid
                    x REAL,
                    y REAL
                ) WITHOUT ROWID;

                CREATE TABLE submolt_templates (
                    submolt TEXT PRIMARY KEY,
                    posts INTEGER NOT NULL,
                    templates INTEGER NOT NULL,         -- X-Means clusters of its posts
                    template_share REAL NOT NULL,       -- share of posts at cosine >= near_cosine of their centre
                    mean_similarity REAL NOT NULL,      -- mean cosine similarity of posts to their centre
                    bic_gain REAL NOT NULL,             -- BIC of the X-Means model minus that of one centre
                    top_template INTEGER NOT NULL,      -- the template with the most near posts
                    keywords TEXT                       -- that template's keywords
                ) WITHOUT ROWID;
                CREATE TABLE submolt_template_centres (
                    submolt TEXT NOT NULL,
                    template_id INTEGER NOT NULL,       -- 0 is the largest
                    posts INTEGER NOT NULL,
                    share REAL NOT NULL,                -- of the submolt's posts
                    near_share REAL NOT NULL,           -- of its posts, at cosine >= near_cosine
                    mean_similarity REAL NOT NULL,
                    keywords TEXT,
                    example_document_id TEXT NOT NULL,  -- the post nearest the centre
                    PRIMARY KEY (submolt, template_id)
                ) WITHOUT ROWID;
                """)
        },
    ]
}
