"""Shares and rates of two groups compared, and many comparisons at once.

- `wilson_interval(k, n)`: the Wilson interval of a share k / n.
- `fisher_p(k1, n1, k2, n2)`: Fisher's exact test of two shares (two-sided).
- `poisson_p(k1, e1, k2, e2)`: the score test of two Poisson rates (counts over exposures).
- `holm(p)`: Holm-adjusted p-values (family-wise error rate), NaN kept as NaN.

Undefined cases (an empty group, no events at all) give NaN, not an error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import test_poisson_2indep


def wilson_interval(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """(low, high) of the share k / n at confidence 1 − alpha; NaN for n = 0."""
    if n == 0:
        return float("nan"), float("nan")
    lo, hi = proportion_confint(k, n, alpha=alpha, method="wilson")
    return float(lo), float(hi)


def fisher_p(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p of Fisher's exact test of k1 / n1 against k2 / n2; NaN when a group is empty."""
    if n1 == 0 or n2 == 0:
        return float("nan")
    return float(fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue)


def poisson_p(k1: int, e1: float, k2: int, e2: float) -> float:
    """p of the score test of the rates k1 / e1 and k2 / e2; NaN without exposure or events."""
    if e1 <= 0 or e2 <= 0 or k1 + k2 == 0:
        return float("nan")
    return float(test_poisson_2indep(k1, e1, k2, e2, method="score").pvalue)


def holm(p: pd.Series, alpha: float = 0.05) -> pd.Series:
    """Holm-adjusted p-values of the non-missing entries of `p` (NaN stays NaN)."""
    ok = p.notna()
    out = pd.Series(np.nan, index=p.index)
    if ok.any():
        out[ok] = multipletests(p[ok].to_numpy(), alpha=alpha, method="holm")[1]
    return out
