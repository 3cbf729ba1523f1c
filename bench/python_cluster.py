"""The scikit-learn / hdbscan half of bench/cluster-benchmark: the same tasks on the same
float32 matrix as moltscope-cluster-bench, timed around the computation only, one JSON line.

  python_cluster.py kmeans     POINTS ROWS COLS K N_INIT TOL SEED LABELS_OUT
  python_cluster.py silhouette POINTS ROWS COLS LABELS
  python_cluster.py hdbscan    POINTS ROWS COLS MIN_CLUSTER_SIZE LABELS_OUT
  python_cluster.py ari        LABELS_A LABELS_B
  python_cluster.py synth      OUT ROWS COLS CENTRES SEED      (unit vectors around random centres)
  python_cluster.py subset     POINTS ROWS COLS LABELS COUNT SEED POINTS_OUT LABELS_OUT
  python_cluster.py pca        POINTS ROWS COLS DIMS OUT       (PCA projection, float32)
Single-threaded: the script is run with OMP/OPENBLAS/MKL_NUM_THREADS=1 and core_dist_n_jobs=1.
"""
import json
import sys
import time

import numpy as np


def load(path, rows, cols):
    return np.fromfile(path, dtype="<f4").reshape(int(rows), int(cols))


def emit(**values):
    print(json.dumps(values, sort_keys=True))


task, args = sys.argv[1], sys.argv[2:]
if task == "kmeans":
    from sklearn.cluster import KMeans
    X = load(*args[:3])
    k, n_init, tol, seed, out = int(args[3]), int(args[4]), float(args[5]), int(args[6]), args[7]
    start = time.perf_counter()
    model = KMeans(n_clusters=k, n_init=n_init, tol=tol, random_state=seed, algorithm="lloyd").fit(X)
    seconds = time.perf_counter() - start
    model.labels_.astype("<i4").tofile(out)
    emit(seconds=seconds, inertia=float(model.inertia_), iterations=int(model.n_iter_))
elif task == "silhouette":
    from sklearn.metrics import silhouette_score
    X = load(*args[:3])
    labels = np.fromfile(args[3], dtype="<i4")
    start = time.perf_counter()
    score = silhouette_score(X, labels)
    emit(seconds=time.perf_counter() - start, silhouette=float(score))
elif task == "hdbscan":
    import hdbscan
    X = load(*args[:3])
    start = time.perf_counter()
    model = hdbscan.HDBSCAN(min_cluster_size=int(args[3]), core_dist_n_jobs=1).fit(X)
    seconds = time.perf_counter() - start
    model.labels_.astype("<i4").tofile(args[4])
    emit(seconds=seconds, clusters=int(model.labels_.max() + 1), noise=int((model.labels_ < 0).sum()))
elif task == "ari":
    from sklearn.metrics import adjusted_rand_score
    emit(ari=float(adjusted_rand_score(np.fromfile(args[0], dtype="<i4"), np.fromfile(args[1], dtype="<i4"))))
elif task == "synth":
    out, rows, cols, centres, seed = args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4])
    rng = np.random.default_rng(seed)
    # Embedding-like: unit vectors scattered around random directions, clusters of unequal size.
    means = rng.standard_normal((centres, cols)).astype(np.float32)
    weights = rng.dirichlet(np.full(centres, 2.0))
    assignment = rng.choice(centres, size=rows, p=weights)
    X = means[assignment] + rng.standard_normal((rows, cols)).astype(np.float32) * 1.5
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    X.astype("<f4").tofile(out)
elif task == "subset":
    X = load(*args[:3])
    labels = np.fromfile(args[3], dtype="<i4")
    count, seed = int(args[4]), int(args[5])
    rows = np.sort(np.random.default_rng(seed).choice(len(X), size=min(count, len(X)), replace=False))
    X[rows].astype("<f4").tofile(args[6])
    labels[rows].astype("<i4").tofile(args[7])
elif task == "pca":
    from sklearn.decomposition import PCA
    X = load(*args[:3])
    PCA(n_components=int(args[3]), random_state=0).fit_transform(X).astype("<f4").tofile(args[4])
else:
    sys.exit(f"unknown task {task}")
