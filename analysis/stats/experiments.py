"""Estimators of a randomized comparison: differences of means and of shares
with their normal intervals, and the complier (Wald / IV) effect.

    diff_in_means(treated_values, control_values)          # Welch standard error
    diff_in_proportions(treated_flags, control_flags)      # unpooled Wald interval
    complier_effect(assigned, took_part, outcome)          # ITT ÷ take-up, HC0 s.e.

Arrays in, `{"estimate", "ci_low", "ci_high", "p_value"}` out (the results
contract's shape; `p_value` left out when the standard error is 0), or None
when the data cannot give an estimate. Intervals are estimate ± z·se with
z = Φ⁻¹(1 − alpha/2) (alpha = 0.05: 95 %); p-values are two-sided normal.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from analysis import sections

#: Fewest values per group for a difference in means (a variance needs two).
MIN_VALUES = 2


def _z(alpha: float) -> float:
    """The normal quantile of a two-sided (1 − alpha) interval: 1.95996… for 95 %."""
    return float(stats.norm.ppf(1 - alpha / 2))


def _estimate(est: float, se: float, alpha: float) -> dict[str, Any]:
    z = _z(alpha)
    p = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else None
    return sections.estimate(float(est), float(est - z * se), float(est + z * se), p)


def diff_in_means(a: npt.ArrayLike, b: npt.ArrayLike, alpha: float = 0.05) -> dict[str, Any] | None:
    """mean(a) − mean(b) with Welch's unequal-variance standard error
    √(s²_a/n_a + s²_b/n_b) and a normal interval; two-sided p-value. None
    with fewer than `MIN_VALUES` values in a group."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) < MIN_VALUES or len(b) < MIN_VALUES:
        return None
    se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    return _estimate(a.mean() - b.mean(), se, alpha)


def diff_in_proportions(x1: npt.ArrayLike, x0: npt.ArrayLike, alpha: float = 0.05) -> dict[str, Any] | None:
    """Share true in x1 − in x0 with the unpooled Wald (normal) interval,
    se = √(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀). None when a group is empty."""
    x1, x0 = np.asarray(x1, dtype=float), np.asarray(x0, dtype=float)
    if len(x1) == 0 or len(x0) == 0:
        return None
    p1, p0 = x1.mean(), x0.mean()
    se = np.sqrt(p1 * (1 - p1) / len(x1) + p0 * (1 - p0) / len(x0))
    return _estimate(p1 - p0, se, alpha)


def complier_effect(
    assigned: npt.ArrayLike, took_part: npt.ArrayLike, y: npt.ArrayLike, alpha: float = 0.05
) -> dict[str, Any] | None:
    """Effect of taking part among those who take part when invited (Wald / IV).

    β = (ȳ_assigned − ȳ_holdout) ÷ (share took part, assigned − holdout): the
    just-identified instrumental-variable estimate with assignment as the
    instrument (Bloom 1984); heteroskedasticity-robust (HC0) standard error
    √(Σ (z − z̄)² u²) ÷ |Σ (z − z̄)(d − d̄)|, u = y − α − β d. None with fewer
    than 2 × `MIN_VALUES` rows, a single group, or when the invitation did
    not change participation.
    """
    zz = np.asarray(assigned, dtype=float)
    d = np.asarray(took_part, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(y) < 2 * MIN_VALUES or zz.min() == zz.max():
        return None
    zc = zz - zz.mean()
    first_stage = zc @ (d - d.mean())
    if abs(first_stage) < 1e-12:
        return None
    beta = (zc @ (y - y.mean())) / first_stage
    u = y - (y.mean() - beta * d.mean()) - beta * d
    se = np.sqrt(np.sum(zc**2 * u**2)) / abs(first_stage)
    return _estimate(beta, se, alpha)
