"""The `powerlaw` package's discrete power-law fit on the same values, for moltscope's tests.

argv: values.i64 [xmin]
Fits Fit(values, discrete=True, estimate_discrete=False) with alpha allowed over (1, inf)
(powerlaw's default range for alpha is (0, 3); moltscope does not cap alpha at 3), or with
x_min fixed when given, and prints x_min, alpha, its standard error, the tail size, the KS
distance, the fitted alternatives and the normalised likelihood ratios against the discrete
lognormal and exponential (R > 0 favours the power law) with their p-values. (powerlaw's
defaults differ: estimate_discrete=None uses an approximate alpha when x_min >= 10, and alpha
in (0, 3) rejects every steeper fit, so x_min moves to wherever the tail looks flatter.)
"""
import json
import sys
import warnings

import numpy as np
import powerlaw

warnings.filterwarnings("ignore")
np.seterr(all="ignore")

values = np.fromfile(sys.argv[1], dtype="<i8")
data = values[values >= 1]
xmin = float(sys.argv[2]) if len(sys.argv) > 2 else None

fit = powerlaw.Fit(data, discrete=True, estimate_discrete=False, xmin=xmin,
                   parameter_ranges={"alpha": [1, None]}, verbose=0)
law = fit.power_law
lognormal_r, lognormal_p = fit.distribution_compare("power_law", "lognormal", normalized_ratio=True)
exponential_r, exponential_p = fit.distribution_compare("power_law", "exponential", normalized_ratio=True)
answer = {
    "n": int(len(data)),
    "xmin": float(fit.xmin),
    "alpha": float(law.alpha),
    "sigma": float(law.standard_err),
    "n_tail": int(fit.n_tail),
    "D": float(law.D),
    "lognormal_mu": float(fit.lognormal.mu),
    "lognormal_sigma": float(fit.lognormal.sigma),
    "exponential_lambda": float(fit.exponential.Lambda),
    "lognormal_R": float(lognormal_r),
    "lognormal_p": float(lognormal_p),
    "exponential_R": float(exponential_r),
    "exponential_p": float(exponential_p),
}
print(json.dumps(answer))
