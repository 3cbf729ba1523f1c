"""The scikit-learn half of bench/label-benchmark: the trained labeller of `moltscope stage
toxicity-label` rebuilt with scikit-learn on the same features, trained on the same annotated set
and run over the same kept documents. Prints one JSON line of phase timings.

  python_label.py run   --db DB --annotations CSV [--model NAME] [--out LABELS.sqlite]
                        [--c 0.02] [--lexical-weight 20] [--hash-bits 15] [--balanced-topics true]
                        [--exact-matches true] [--neighbours 15] [--neighbour-weight 0.2]
                        [--chunk 2048] [--dtype float32|float64]
  python_label.py agree MOLTSCOPE_DB LABELS.sqlite CSV    (share of equal labels, one JSON line)

The --c ... --neighbour-weight options are the stage's toxicity_label.trained.* settings
(bench/label-benchmark passes the release binary's defaults).

Features, as Sources/MoltscopeStages/Label/Trained/LabelFeatures.swift builds them:
  dense : the document's unit embedding (384) + [ln(copies), is_comment, ln(1 + length in
          unicode scalars)], all 387 columns standardized on the training rows (moltscope's
          DenseScaling standardizes every dense column, embedding included: StandardScaler);
  sparse: HashingVectorizer(2^15, words and adjacent word pairs, alternate_sign=False, norm=None)
          -> TfidfTransformer(sublinear_tf=True, smooth idf, l2) fitted on the annotated texts,
          x lexical weight 20; plus a one-hot of the submolt (fitted on the annotated set,
          unknown submolts all zero) x 3.
Models: LogisticRegression(lbfgs, C, max_iter=300, tol=1e-4) per target (multinomial for
topic, toxicity, emotion, valence; topic with class_weight="balanced"). conflict has two
classes: scikit-learn fits a binary logistic regression there, which is moltscope's two-class
softmax with C doubled (the optimum has w1 = -w2 = w/2, so the penalty ||w1||^2 + ||w2||^2
= ||w||^2 / 2), so it gets 2C. Documents whose text is identical to an annotated one take the
annotation (toxicity_label.trained.exact_matches, on by default). Neighbour votes, as
NeighbourVotes.swift: the 15 annotated documents most similar in the embedding space (cosine
after centring on the annotated mean) vote exp((cos - 1) / 0.05) for their classes (topic votes
divided by class frequency); the vote shares are blended into the models' probabilities with
weight 0.2 before the argmax, the expected valence and the confidence.

Moltscope's hashes (FNV-1a, its own word-pair mixing, submolt buckets) are not scikit-learn's
MurmurHash, so the columns (and their rare collisions) differ; the model is the same.
Single-threaded: run with OMP/OPENBLAS/MKL_NUM_THREADS=1.
"""
import csv
import hashlib
import json
import sqlite3
import sys
import time

import numpy as np

TOPICS = list("ABCDEFGHI")
EMOTIONS = ["neutral", "joy", "anger", "sadness", "fear", "surprise"]
TARGETS = ["topic", "toxicity", "conflict", "emotion", "valence"]
CLASSES = {"topic": 9, "toxicity": 5, "conflict": 2, "emotion": 6, "valence": 5}


def parse(argv):
    options, rest = {}, []
    i = 0
    while i < len(argv):
        if argv[i].startswith("--"):
            options[argv[i][2:]] = argv[i + 1]
            i += 2
        else:
            rest.append(argv[i])
            i += 1
    return options, rest


def read_annotations(path):
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["hash"] = hashlib.sha256(r["text"].encode("utf-8")).hexdigest()
        try:
            r["copies"] = max(int(r["copies"]), 1)
        except ValueError:
            r["copies"] = 1
    return rows


def class_index(target, r):
    if target == "topic":
        return TOPICS.index(r["topic"])
    if target == "toxicity":
        return int(r["toxicity"])
    if target == "conflict":
        return int(r["conflict"])
    if target == "emotion":
        return EMOTIONS.index(r["emotion"])
    return int(r["valence"]) + 2


def run(options):
    from scipy import sparse
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    db_path, annotations = options["db"], options["annotations"]
    model_name = options.get("model", "multilingual-e5-small-q4")
    # The stage's toxicity_label.trained.* settings (the benchmark passes the binary's defaults).
    C = float(options.get("c", "0.02"))
    lexical_weight = float(options.get("lexical-weight", "20"))
    hash_bits = int(options.get("hash-bits", "15"))
    balanced_topics = options.get("balanced-topics", "true") == "true"
    exact_matches = options.get("exact-matches", "true") == "true"
    neighbours = int(options.get("neighbours", "15"))
    neighbour_weight = float(options.get("neighbour-weight", "0.2"))
    submolt_weight = 3.0
    chunk = int(options.get("chunk", "2048"))
    dtype = np.dtype(options.get("dtype", "float32"))
    times = {}
    clock = time.perf_counter
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    # --- training set: the annotated CSV and the cached vectors of its texts ---
    t = clock()
    train = read_annotations(annotations)
    wanted = sorted({r["hash"] for r in train})
    cached = {}
    for start in range(0, len(wanted), 900):
        part = wanted[start:start + 900]
        cached.update(db.execute(
            f"SELECT content_hash, vector FROM embeddings WHERE model = ? AND content_hash IN ({','.join('?' * len(part))})",
            [model_name, *part]).fetchall())
    missing = [h for h in wanted if h not in cached]
    if missing:
        sys.exit(f"{len(missing)} annotated texts have no {model_name} vector in {db_path}")
    train_vectors = np.stack([np.frombuffer(cached[r["hash"]], dtype="<f4") for r in train])
    times["train_load_s"] = clock() - t

    def dense(vectors, copies, kinds, texts):
        scalars = np.column_stack([
            np.log(np.maximum(np.asarray(copies, dtype=np.float64), 1)),
            np.asarray([1.0 if k == "comment" else 0.0 for k in kinds]),
            np.log1p(np.asarray([len(s) for s in texts], dtype=np.float64)),
        ])
        return np.hstack([vectors.astype(np.float64), scalars])  # scaled in float64, then cast to dtype

    hasher = HashingVectorizer(n_features=2 ** hash_bits, ngram_range=(1, 2), alternate_sign=False, norm=None, dtype=dtype)

    # --- training: fit the feature transforms on the annotated set, then the five models ---
    t = clock()
    texts = [r["text"] for r in train]
    scaler = StandardScaler().fit(dense(train_vectors, [r["copies"] for r in train], [r["kind"] for r in train], texts))
    tfidf = TfidfTransformer(sublinear_tf=True).fit(hasher.transform(texts))
    onehot = OneHotEncoder(handle_unknown="ignore", dtype=dtype).fit(np.asarray([[r["submolt"]] for r in train], dtype=object))

    def features(vectors, copies, kinds, texts, submolts):
        d = scaler.transform(dense(vectors, copies, kinds, texts)).astype(dtype)
        words = tfidf.transform(hasher.transform(texts)) * lexical_weight
        places = onehot.transform(np.asarray([[s if s is not None else ""] for s in submolts], dtype=object)) * submolt_weight
        return sparse.hstack([sparse.csr_matrix(d), words, places], format="csr", dtype=dtype)

    X = features(train_vectors, [r["copies"] for r in train], [r["kind"] for r in train], texts, [r["submolt"] for r in train])
    times["train_features_s"] = clock() - t
    t = clock()
    models, iterations = {}, {}
    for target in TARGETS:
        y = np.asarray([class_index(target, r) for r in train])
        model = LogisticRegression(C=2 * C if target == "conflict" else C, solver="lbfgs", max_iter=300, tol=1e-4,
                                   class_weight="balanced" if target == "topic" and balanced_topics else None)
        models[target] = model.fit(X, y)
        iterations[target] = int(np.max(model.n_iter_))
    times["train_fit_s"] = clock() - t
    del X

    # Neighbour votes (NeighbourVotes.swift): the annotated vectors centred on their mean and
    # normalized; a document's `neighbours` most similar ones vote exp((cos - 1) / 0.05) for
    # their class (topic votes divided by the class frequency when topics are balanced), and the
    # vote shares are blended into the models' probabilities with weight neighbour_weight.
    t = clock()
    use_votes = neighbours > 0 and neighbour_weight > 0
    if use_votes:
        centre = train_vectors.mean(axis=0, dtype=np.float32)
        def unit_rows(m):
            m = m - centre
            norms = np.linalg.norm(m, axis=1, keepdims=True)
            return m / np.where(norms > 0, norms, 1)
        examples = unit_rows(train_vectors).astype(np.float32)
        k_nearest = min(neighbours, len(train))
        onehots = {}
        for target in TARGETS:
            y = np.asarray([class_index(target, r) for r in train])
            o = np.zeros((len(train), CLASSES[target]), dtype=np.float32)
            o[np.arange(len(train)), y] = 1
            if target == "topic" and balanced_topics:
                o /= np.maximum(o.sum(axis=0), 1)
            onehots[target] = o
    times["train_votes_s"] = clock() - t

    def probabilities(Xc, vectors):
        """Per target: rows x classes (every class of the target, as moltscope's models)."""
        out = {}
        for target in TARGETS:
            p = np.zeros((Xc.shape[0], CLASSES[target]))
            p[:, models[target].classes_] = models[target].predict_proba(Xc)
            out[target] = p
        if use_votes:
            t = clock()
            similarities = unit_rows(vectors).astype(np.float32) @ examples.T
            # argpartition for the k largest (partitioning the negated matrix costs twice as much)
            cut = similarities.shape[1] - k_nearest
            nearest = np.argpartition(similarities, cut, axis=1)[:, cut:]
            weights = np.exp((np.take_along_axis(similarities, nearest, axis=1) - 1) / 0.05)
            for target in TARGETS:
                votes = np.einsum("nk,nkc->nc", weights, onehots[target][nearest])
                sums = votes.sum(axis=1, keepdims=True)
                votes = np.where(sums > 0, votes / np.where(sums > 0, sums, 1), 1 / CLASSES[target])
                out[target] = (1 - neighbour_weight) * out[target] + neighbour_weight * votes
            times["votes_s"] += clock() - t
        return out

    # --- labelling the capture: read, features, predict, write ---
    t = clock()
    rows = db.execute("""
        SELECT d.id, d.kind, d.text, d.content_hash, d.submolt,
               COALESCE((SELECT g.size FROM duplicate_groups g WHERE g.method = 'exact' AND g.group_id = d.exact_group), 1),
               (SELECT e.vector FROM embeddings e WHERE e.model = ? AND e.content_hash = d.content_hash)
        FROM documents d WHERE d.status = 'kept' ORDER BY d.id""", (model_name,)).fetchall()
    if any(r[6] is None for r in rows):
        sys.exit("some kept documents have no vector: let embed finish first")
    ids = [r[0] for r in rows]
    vectors = np.frombuffer(b"".join(r[6] for r in rows), dtype="<f4").reshape(len(rows), -1)
    kinds, doc_texts, hashes, submolts, copies = ([r[i] for r in rows] for i in (1, 2, 3, 4, 5))
    del rows
    times["read_s"] = clock() - t

    # Labelled a chunk at a time (moltscope's page_size, 2048 by default; --chunk 0: all at once).
    step = chunk if chunk > 0 else len(ids)
    times["features_s"] = times["predict_s"] = times["votes_s"] = 0.0  # votes_s: part of predict_s
    labels, nonzeros, columns = [], 0, 0
    for start in range(0, len(ids), step):
        span = slice(start, start + step)
        t = clock()
        Xc = features(vectors[span], copies[span], kinds[span], doc_texts[span], submolts[span])
        times["features_s"] += clock() - t
        nonzeros, columns = nonzeros + Xc.nnz, Xc.shape[1]
        t = clock()
        p = probabilities(Xc, vectors[span])
        best = {target: np.argmax(p[target], axis=1) for target in TARGETS}
        valence = p["valence"] @ ((np.arange(5) - 2) / 2.0)
        confidence = np.minimum(p["topic"].max(axis=1), p["toxicity"].max(axis=1))
        labels += [(ids[start + i], TOPICS[best["topic"][i]], int(best["toxicity"][i]), int(best["conflict"][i]),
                    EMOTIONS[best["emotion"][i]], float(valence[i]), float(confidence[i])) for i in range(Xc.shape[0])]
        times["predict_s"] += clock() - t
    t = clock()
    annotated = {r["hash"]: r for r in train}
    exact = 0
    for i, h in enumerate(hashes if exact_matches else []):
        r = annotated.get(h)
        if r is not None:
            labels[i] = (ids[i], r["topic"], int(r["toxicity"]), int(r["conflict"]), r["emotion"], int(r["valence"]) / 2, 1.0)
            exact += 1
    times["predict_s"] += clock() - t

    t = clock()
    if "out" in options:
        out = sqlite3.connect(options["out"])
        out.execute("PRAGMA journal_mode = WAL")
        out.execute("PRAGMA synchronous = NORMAL")
        out.execute("DROP TABLE IF EXISTS labels")
        out.execute("""CREATE TABLE labels (document_id TEXT PRIMARY KEY, topic TEXT, toxicity INTEGER, conflict INTEGER,
                       emotion TEXT, valence REAL, confidence REAL) WITHOUT ROWID""")
        with out:
            out.executemany("INSERT INTO labels VALUES (?, ?, ?, ?, ?, ?, ?)", labels)
        out.close()
    times["write_s"] = clock() - t

    import sklearn
    print(json.dumps(dict(times, documents=len(ids), annotated=len(train), exact_matches=exact, iterations=iterations,
                          sparse_columns=columns - 387, nonzeros_per_row=round(nonzeros / len(ids), 1), chunk=step,
                          dtype=str(dtype), settings=dict(c=C, lexical_weight=lexical_weight, hash_bits=hash_bits,
                          balanced_topics=balanced_topics, exact_matches=exact_matches, neighbours=neighbours,
                          neighbour_weight=neighbour_weight),
                          sklearn=sklearn.__version__, numpy=np.__version__), sort_keys=True))


def agree(moltscope_db, labels_db, annotations):
    m = sqlite3.connect(f"file:{moltscope_db}?mode=ro", uri=True)
    m.execute(f"ATTACH DATABASE 'file:{labels_db}?mode=ro' AS py")
    annotated = {r["hash"] for r in read_annotations(annotations)}
    rows = m.execute("""
        SELECT d.content_hash, m.topic, p.topic, m.toxicity, p.toxicity, m.conflict, p.conflict, m.emotion, p.emotion,
               m.valence, p.valence
        FROM document_labels m JOIN py.labels p ON p.document_id = m.document_id JOIN documents d ON d.id = m.document_id
        WHERE m.labeller = 'trained' AND m.label_run = (SELECT max(id) FROM label_runs WHERE labeller = 'trained')""").fetchall()
    result = {}
    for name, subset in (("all", rows), ("predicted", [r for r in rows if r[0] not in annotated])):
        n = max(len(subset), 1)
        result[name] = {
            "documents": len(subset),
            "topic": sum(r[1] == r[2] for r in subset) / n,
            "toxicity": sum(r[3] == r[4] for r in subset) / n,
            "conflict": sum(r[5] == r[6] for r in subset) / n,
            "emotion": sum(r[7] == r[8] for r in subset) / n,
            "valence_mae": sum(abs(r[9] - r[10]) for r in subset) / n,
            "toxic_share_moltscope": sum(r[3] >= 2 for r in subset) / n,
            "toxic_share_python": sum(r[4] >= 2 for r in subset) / n,
        }
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    command, (options, rest) = sys.argv[1], parse(sys.argv[2:])
    if command == "run":
        run(options)
    elif command == "agree":
        agree(*rest)
    else:
        sys.exit(f"unknown command {command}")
