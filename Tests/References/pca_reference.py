"""scikit-learn's PCA of the points: argv = points.f32 rows columns components.

Prints {"ratios": [...], "components": [[...]], "projection": [[...]]}.
"""
import json

from sklearn.decomposition import PCA

from load import points

X, arguments = points()
pca = PCA(n_components=int(arguments[0]), svd_solver="full").fit(X)
print(json.dumps({
    "ratios": pca.explained_variance_ratio_.tolist(),
    "components": pca.components_.tolist(),
    "projection": pca.transform(X).tolist(),
}))
