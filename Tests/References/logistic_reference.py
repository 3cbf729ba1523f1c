"""scikit-learn's multinomial logistic regression on standardized features, for comparison.

argv: points.f32 rows columns labels.i32 C balanced|none
Prints the fitted objective (mean weighted cross-entropy + ||W||^2 / (2 C sum w)) and predictions.
"""
import json
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from load import points

x, args = points()
labels = np.fromfile(args[0], dtype="<i4")
c, balanced = float(args[1]), args[2] == "balanced"
x = StandardScaler().fit_transform(x.astype(np.float64))
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    model = LogisticRegression(C=c, tol=1e-10, max_iter=10000, class_weight="balanced" if balanced else None).fit(x, labels)
p = model.predict_proba(x)
classes = list(model.classes_)
if balanced:
    counts = np.bincount(labels)
    w = len(labels) / (len(classes) * counts[labels])
else:
    w = np.ones(len(labels))
ce = -np.log(p[np.arange(len(labels)), [classes.index(v) for v in labels]])
objective = (np.sum(w * ce) + 0.5 / c * np.sum(model.coef_ ** 2)) / np.sum(w)
print(json.dumps({"objective": float(objective), "predictions": [int(v) for v in model.predict(x)]}))
