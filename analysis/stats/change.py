"""Whether a figure moved beyond noise between two runs.

A figure of a run has a 95 % interval when the run computed one (an
estimate), or one can be derived from its count (a share of n customers:
Wilson), or it is exact (a count, a census figure such as public market
shares). Two runs' values then differ beyond noise when the 95 % interval of
their difference, from the two standard errors combined in quadrature,
excludes 0 (the runs are treated as independent samples: for overlapping
customer sets this is conservative).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import norm


@dataclass(frozen=True)
class Change:
    """b − a with its 95 % interval; `beyond_noise` None when either side has no known uncertainty."""

    a: float
    b: float
    change: float
    ci_low: float | None
    ci_high: float | None
    beyond_noise: bool | None


def z(level: float = 0.95) -> float:
    """The two-sided normal quantile of a `level` interval (1.96 at 95 %).

    >>> round(z(0.95), 6), round(z(0.90), 6)
    (1.959964, 1.644854)
    """
    return float(norm.ppf(0.5 + level / 2))


def se_of_interval(low: float, high: float, level: float = 0.95) -> float:
    """Standard error of an estimate from its symmetric-normal `level` interval."""
    return (high - low) / (2 * z(level))


def wilson(k: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion k / n (stays within [0, 1], exists for k = 0).

    >>> [round(x, 4) for x in wilson(12, 100)]
    [0.07, 0.1981]
    >>> wilson(0, 50)[0]
    0.0
    """
    if n <= 0:
        return (math.nan, math.nan)
    q = z(level)
    p = k / n
    centre = (p + q * q / (2 * n)) / (1 + q * q / n)
    half = q * math.sqrt(p * (1 - p) / n + q * q / (4 * n * n)) / (1 + q * q / n)
    low = 0.0 if k <= 0 else max(0.0, centre - half)
    high = 1.0 if k >= n else min(1.0, centre + half)
    return (low, high)


def share_se(p: float, n: float) -> float:
    """Standard error of a share p of n (binomial)."""
    return math.sqrt(max(p * (1 - p), 0.0) / n) if n > 0 else math.nan


def nps_se(nps: float, n: float) -> float:
    """An upper bound on the standard error of a net promoter score (−100 … 100)
    from n responses: each answer scores +1, 0 or −1, so the variance is at most
    1 − (nps / 100)² (promoters and detractors together at most everyone)."""
    if n <= 0:
        return math.nan
    x = nps / 100
    return 100 * math.sqrt(max(1 - x * x, 0.0) / n)


def change(a: float, b: float, se_a: float | None, se_b: float | None, level: float = 0.95) -> Change:
    """b − a; beyond noise when the difference's interval excludes 0.

    `se` of 0 means exact (a count); None or NaN means unknown.
    """
    d = b - a
    known = all(s is not None and not math.isnan(s) for s in (se_a, se_b))
    if not known:
        return Change(a, b, d, None, None, None)
    se = math.sqrt(float(se_a) ** 2 + float(se_b) ** 2)  # type: ignore[arg-type]
    if se == 0:
        return Change(a, b, d, d, d, d != 0)
    half = z(level) * se
    return Change(a, b, d, d - half, d + half, (d - half) > 0 or (d + half) < 0)
