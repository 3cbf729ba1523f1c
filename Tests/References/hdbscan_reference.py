"""The hdbscan package on the same matrix, for HDBSCANTests.

argv: points.f32 rows columns min_cluster_size min_samples|none eom|leaf allow_single(0|1)
      [algorithm, default best] [approximate spanning tree (0|1), default 1 as the package]
Prints labels, probabilities, outlier scores, cluster persistence, the core distances (the
package's definition: distance to the min_samples-th nearest other point), the sorted
spanning-tree weights and the fit time.
"""
import json
import math
import time

import hdbscan
import numpy as np
from sklearn.neighbors import NearestNeighbors

from load import points


def finite_or_none(values):
    return [None if not math.isfinite(v) else float(v) for v in values]


X, args = points()
min_cluster_size = int(args[0])
min_samples = None if args[1] == "none" else int(args[1])
method = args[2]
allow_single = args[3] == "1"
algorithm = args[4] if len(args) > 4 else "best"
approximate = (args[5] == "1") if len(args) > 5 else True

model = hdbscan.HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples,
                        cluster_selection_method=method, allow_single_cluster=allow_single,
                        algorithm=algorithm, approx_min_span_tree=approximate,
                        core_dist_n_jobs=1, gen_min_span_tree=True)
start = time.perf_counter()
model.fit(X)
seconds = time.perf_counter() - start

n = X.shape[0]
k = max(1, min(n - 1, min_samples if min_samples is not None else min_cluster_size))
# kneighbors() without X leaves each point itself out: the last column is the k-th other point.
distances, _ = NearestNeighbors(n_neighbors=k).fit(X.astype(np.float64)).kneighbors()
core = distances[:, k - 1]

print(json.dumps({
    "labels": model.labels_.tolist(),
    "probabilities": model.probabilities_.tolist(),
    "outlier_scores": finite_or_none(model.outlier_scores_.tolist()),
    "persistence": model.cluster_persistence_.tolist(),
    "core": core.tolist(),
    "spanning_weights": np.sort(model._min_spanning_tree[:, 2]).tolist(),
    "seconds": seconds,
}))
