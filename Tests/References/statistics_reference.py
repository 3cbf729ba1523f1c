"""scipy's Pearson correlation and numpy's Gini coefficient and entropy, for moltscope's tests.

argv: values.f64 n
The file holds two vectors of n values, x then y. Prints scipy.stats.pearsonr(x, y) (r and the
two-sided p-value), the Gini coefficient of |x| as the mean absolute difference over all pairs
divided by twice the mean, and the Shannon entropy in bits of |y| as counts.
"""
import json
import sys

import numpy as np
from scipy.stats import entropy, pearsonr

n = int(sys.argv[2])
values = np.fromfile(sys.argv[1], dtype="<f8").reshape(2, n)
x, y = values[0], values[1]
result = pearsonr(x, y)
magnitudes = np.abs(x)
gini = np.abs(np.subtract.outer(magnitudes, magnitudes)).mean() / (2 * magnitudes.mean())
print(json.dumps({"r": float(result.statistic), "p": float(result.pvalue), "gini": float(gini),
                  "entropy": float(entropy(np.abs(y), base=2))}))
