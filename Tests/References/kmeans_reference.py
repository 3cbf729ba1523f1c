"""scikit-learn's KMeans and partition metrics on the same points, for moltscope's tests.

argv: points.f32 rows columns k n_init tol seed [labels.i32]
Prints KMeans' inertia, iterations and labels, and silhouette / Davies-Bouldin /
Calinski-Harabasz of the given labels (moltscope's) when a labels file is passed.
"""
import json

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

from load import points

X, args = points()
k, n_init, tol, seed = int(args[0]), int(args[1]), float(args[2]), int(args[3])
model = KMeans(n_clusters=k, n_init=n_init, tol=tol, random_state=seed, algorithm="lloyd").fit(X)
answer = {"inertia": float(model.inertia_), "iterations": int(model.n_iter_), "labels": model.labels_.tolist()}
if len(args) > 4:
    labels = np.fromfile(args[4], dtype="<i4")
    kept = labels >= 0
    answer["silhouette"] = float(silhouette_score(X[kept], labels[kept]))
    answer["davies_bouldin"] = float(davies_bouldin_score(X[kept], labels[kept]))
    answer["calinski_harabasz"] = float(calinski_harabasz_score(X[kept], labels[kept]))
    # sklearn's inertia of moltscope's labels with their member means, for an exact comparison.
    inertia = 0.0
    for c in np.unique(labels[kept]):
        members = X[labels == c].astype(np.float64)
        inertia += float(((members - members.mean(axis=0)) ** 2).sum())
    answer["labels_inertia"] = inertia
print(json.dumps(answer))
