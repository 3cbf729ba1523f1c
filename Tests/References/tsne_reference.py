"""scikit-learn's t-SNE beside ours: argv = points.f32 rows columns mode [options].

mode "affinities" perplexity: the points are X; prints {"p": [[i, j, p_ij], ...]}, the
  symmetric sparse P of TSNE(method="barnes_hut") (exact neighbours, binary search, P + P^T).
mode "map" perplexity iterations seed: the points are X with our 2-D map as the last two
  columns; runs TSNE(init="pca", method="barnes_hut", n_jobs=1) on X and prints both maps'
  trustworthiness (10 neighbours), scikit-learn's kl_divergence_ and its KL objective
  evaluated at our map, and the seconds scikit-learn took.
"""
import json
import time

import numpy as np
from scipy.sparse import csr_array
from sklearn.manifold import TSNE, trustworthiness
from sklearn.manifold._t_sne import _joint_probabilities_nn, _kl_divergence_bh
from sklearn.neighbors import NearestNeighbors

from load import points


def affinities(X, perplexity):
    n = X.shape[0]
    k = min(n - 1, int(3.0 * perplexity + 1))
    graph = NearestNeighbors(n_neighbors=k).fit(X).kneighbors_graph(mode="distance")
    graph.data **= 2
    return csr_array(_joint_probabilities_nn(graph, perplexity, 0))


M, arguments = points()
mode = arguments[0]
if mode == "affinities":
    P = affinities(M, float(arguments[1])).tocoo()
    print(json.dumps({"p": [[int(i), int(j), float(v)] for i, j, v in zip(P.row, P.col, P.data)]}))
elif mode == "map":
    perplexity, iterations, seed = float(arguments[1]), int(arguments[2]), int(arguments[3])
    X, ours = M[:, :-2], np.ascontiguousarray(M[:, -2:])
    started = time.perf_counter()
    tsne = TSNE(perplexity=perplexity, max_iter=iterations, init="pca", method="barnes_hut",
                random_state=seed, n_jobs=1)
    theirs = tsne.fit_transform(X)
    seconds = time.perf_counter() - started
    P = affinities(X, perplexity)
    ours_kl, _ = _kl_divergence_bh(ours.ravel(), P, 1, X.shape[0], 2, angle=0.5)
    print(json.dumps({
        "trustworthiness_ours": float(trustworthiness(X, ours, n_neighbors=10)),
        "trustworthiness_sklearn": float(trustworthiness(X, theirs, n_neighbors=10)),
        "kl_sklearn": float(tsne.kl_divergence_),
        "kl_of_ours": float(ours_kl),
        "seconds_sklearn": seconds,
    }))
else:
    raise SystemExit(f"unknown mode {mode}")
