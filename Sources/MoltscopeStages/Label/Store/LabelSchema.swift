import MoltscopeCore

/// The toxicity-label stage's tables (see docs/tables.md). Every row names its labeller
/// (backend, model, version), so runs with different labellers live side by side and compare
/// in SQL; rerunning one labeller replaces only its own rows.
enum LabelSchema {
    static let outputTables = ["label_runs", "document_labels", "label_failures", "llm_label_cache", "label_evaluation",
                               "label_confusion", "label_topic_toxicity", "label_harm_by_topic", "label_harm_by_submolt",
                               "label_toxic_agents", "label_spam", "label_text_vectors"]

    /// Vectors of the annotated texts and label descriptions (not documents): the stage's own
    /// cache, so the embed stage's table and fingerprint stay untouched.
    static let vectorTable = "label_text_vectors"

    /// The tables a labeller's run replaces (all but the run history and the LLM cache).
    static let perLabellerTables = ["document_labels", "label_failures", "label_evaluation", "label_confusion",
                                    "label_topic_toxicity", "label_harm_by_topic", "label_harm_by_submolt",
                                    "label_toxic_agents", "label_spam"]

    static let migrations: [StoreMigration] = [
        StoreMigration("label-v1") { db in
            try db.execute(sql: """
                CREATE TABLE label_runs (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL,            -- runs.id of the pipeline run
                    labeller TEXT NOT NULL,             -- trained, zero-shot or llm
                    model TEXT NOT NULL,                -- embedding model (trained, zero-shot) or chat model (llm)
                    version TEXT NOT NULL,              -- classifier/prompt version and settings fingerprint
                    status TEXT NOT NULL CHECK (status IN ('running','completed')),
                    settings TEXT NOT NULL,             -- the [toxicity_label] settings as JSON
                    documents INTEGER,                  -- kept documents to label
                    labelled INTEGER,
                    failed INTEGER,
                    cached INTEGER,                     -- llm: answers taken from llm_label_cache
                    annotated INTEGER,                  -- size of the annotated set used
                    cursor TEXT,                        -- last document id committed (resume point)
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    seconds REAL
                );

                CREATE TABLE document_labels (
                    labeller TEXT NOT NULL,
                    model TEXT NOT NULL,
                    version TEXT NOT NULL,
                    document_id TEXT NOT NULL,          -- documents.id
                    topic TEXT NOT NULL CHECK (topic IN ('A','B','C','D','E','F','G','H','I')),
                    toxicity INTEGER NOT NULL CHECK (toxicity BETWEEN 0 AND 4),
                    conflict INTEGER NOT NULL CHECK (conflict IN (0,1)),
                    emotion TEXT NOT NULL CHECK (emotion IN ('neutral','joy','anger','sadness','fear','surprise')),
                    valence REAL NOT NULL CHECK (valence BETWEEN -1 AND 1),
                    confidence REAL NOT NULL,           -- min(P(topic), P(toxicity)); 1 for annotated texts
                    label_run INTEGER NOT NULL,         -- label_runs.id
                    labelled_at TEXT NOT NULL,
                    PRIMARY KEY (labeller, model, version, document_id)
                ) WITHOUT ROWID;
                CREATE INDEX document_labels_by_document ON document_labels(document_id);

                CREATE TABLE label_failures (
                    labeller TEXT NOT NULL,
                    model TEXT NOT NULL,
                    version TEXT NOT NULL,
                    document_id TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    label_run INTEGER NOT NULL,
                    failed_at TEXT NOT NULL,
                    PRIMARY KEY (labeller, model, version, document_id)
                ) WITHOUT ROWID;

                -- LLM answers by (model, prompt version, text): a rerun or a repeated text never asks again.
                CREATE TABLE llm_label_cache (
                    model TEXT NOT NULL,
                    prompt_version TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    toxicity INTEGER NOT NULL,
                    conflict INTEGER NOT NULL,
                    emotion TEXT NOT NULL,
                    valence REAL NOT NULL,
                    confidence REAL NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (model, prompt_version, content_hash)
                ) WITHOUT ROWID;

                -- Agreement with the annotated set: cross-validated for the trained labeller, direct for the others.
                CREATE TABLE label_evaluation (
                    labeller TEXT NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL,
                    target TEXT NOT NULL,               -- topic, toxicity, conflict, emotion, valence
                    method TEXT NOT NULL,               -- e.g. '5-fold cross-validation', 'agreement'
                    documents INTEGER NOT NULL,
                    accuracy REAL NOT NULL,
                    macro_f1 REAL NOT NULL,
                    weighted_f1 REAL NOT NULL,
                    kappa REAL NOT NULL,                -- Cohen's kappa
                    PRIMARY KEY (labeller, model, version, target)
                ) WITHOUT ROWID;
                CREATE TABLE label_confusion (
                    labeller TEXT NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL,
                    target TEXT NOT NULL,
                    truth TEXT NOT NULL,
                    predicted TEXT NOT NULL,
                    documents INTEGER NOT NULL,
                    PRIMARY KEY (labeller, model, version, target, truth, predicted)
                ) WITHOUT ROWID;

                -- Summaries (kind = post, comment or all).
                CREATE TABLE label_topic_toxicity (
                    labeller TEXT NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    toxicity INTEGER NOT NULL,
                    documents INTEGER NOT NULL,
                    share_of_topic REAL NOT NULL,       -- of the topic's documents of this kind
                    share_of_all REAL NOT NULL,         -- of all labelled documents of this kind
                    PRIMARY KEY (labeller, model, version, kind, topic, toxicity)
                ) WITHOUT ROWID;
                CREATE TABLE label_harm_by_topic (
                    labeller TEXT NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    topic_name TEXT NOT NULL,
                    documents INTEGER NOT NULL,
                    safe_share REAL NOT NULL,           -- toxicity 0
                    harmful INTEGER NOT NULL,           -- toxicity >= 2
                    harmful_share REAL NOT NULL,
                    malicious_share REAL NOT NULL,      -- toxicity 4
                    mean_toxicity REAL NOT NULL,
                    conflict_share REAL NOT NULL,
                    mean_valence REAL NOT NULL,
                    PRIMARY KEY (labeller, model, version, kind, topic)
                ) WITHOUT ROWID;
                CREATE TABLE label_harm_by_submolt (
                    labeller TEXT NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL,
                    submolt TEXT NOT NULL,
                    documents INTEGER NOT NULL,
                    posts INTEGER NOT NULL,
                    harmful INTEGER NOT NULL,
                    harmful_share REAL NOT NULL,
                    malicious_share REAL NOT NULL,
                    mean_toxicity REAL NOT NULL,
                    conflict_share REAL NOT NULL,
                    top_topic TEXT NOT NULL,            -- the submolt's most frequent topic
                    rank INTEGER,                       -- by harmful share among submolts with >= min_documents; NULL below
                    PRIMARY KEY (labeller, model, version, submolt)
                ) WITHOUT ROWID;
                CREATE TABLE label_toxic_agents (
                    labeller TEXT NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL,
                    rank INTEGER NOT NULL,
                    author_id TEXT NOT NULL,
                    author_name TEXT,
                    documents INTEGER NOT NULL,
                    harmful INTEGER NOT NULL,
                    harmful_share REAL NOT NULL,
                    malicious INTEGER NOT NULL,
                    mean_toxicity REAL NOT NULL,
                    PRIMARY KEY (labeller, model, version, rank)
                ) WITHOUT ROWID;
                -- Spam as labelled (topic H) next to flooding and duplication as measured by the clean stage.
                CREATE TABLE label_spam (
                    labeller TEXT NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    documents INTEGER NOT NULL,
                    spam INTEGER NOT NULL,              -- labelled H
                    spam_share REAL NOT NULL,
                    flood_documents INTEGER NOT NULL,   -- in a flood event (clean stage)
                    flood_share REAL NOT NULL,          -- the flood spam rate
                    flood_labelled_spam REAL,           -- share of flood documents labelled H
                    duplicate_documents INTEGER NOT NULL, -- in an exact-duplicate group
                    duplicate_labelled_spam REAL,       -- share of those labelled H
                    PRIMARY KEY (labeller, model, version, kind)
                ) WITHOUT ROWID;
                """)
        },
        StoreMigration("label-v2") { db in
            try db.execute(sql: """
                -- Vectors of texts that are not documents (annotated set, label descriptions), per model.
                \(VectorCache.createFirstShape(vectorTable))
                """)
        },
        VectorCache.migrationFromFirstShape("label-v3", table: vectorTable),
    ]
}
