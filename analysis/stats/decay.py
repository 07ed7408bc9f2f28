"""How fast a campaign's balance effect fades after it ended: a straight line
through the event study's after-month coefficients.

    d = effect_decay(es, alpha=0.05)        # es: a fitted did.EventStudy
    d.slope          # {"estimate", "ci_low", "ci_high", "p_value"}: CNY per month
    d.decaying       # the slope is negative at level alpha (two-sided)
    d.months         # months from the campaign's end until the line reaches 0 (≤ cap), or None
    d.counted        # the months of full-size effect the fading line is worth within a year, or None

The coefficients β_k of an event study (`analysis.stats.did.EventStudy`,
CNY: how far participants' balances moved from the comparison group's in
month k after start) of the months after the campaign ended (k ≥
post_from) are fitted by generalised least squares,

    β_k = level + slope · (k − post_from) + e_k,     e ~ N(0, V),

with V their clustered covariance from the event study (so months measured
less precisely, and the correlation between months of one customer, count
as they should; Aitken 1935). `level` is the fitted effect in the month the
campaign ended (CNY), `slope` the change of the effect per month (CNY per
month: negative = fading). The slope's interval is normal at level alpha.

**Persistence.** Only when the slope is significantly negative (its
interval lies below 0) is a fade claimed: the line reaches 0 after
level ÷ (−slope) months from the campaign's end (0 when the fitted level is
not positive), capped at `cap` months (12: a year is all `profit_12m`
counts). What a year of the fading effect is worth is the area under the
line over those months: `counted` = ∫₀^min(N, 12) (1 − t/N) dt months of
the full-size effect (N/2 for N ≤ 12, 12 − 72/N beyond), the months a plan
counts the effect for. Otherwise there is "no evidence of decay" and
`months` and `counted` are None: the caller keeps its assumption. The line assumes the effect fades linearly; it
is read only over the months the event study covers (at most
`did.MONTHS_AFTER` after start) and extended beyond them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.stats.did import EventStudy

#: Fewest after-month coefficients for a trend (two points always fit a line exactly).
MIN_POINTS = 3
#: Persistence is never claimed beyond a year (profit_12m counts one).
CAP_MONTHS = 12.0


@dataclass(frozen=True)
class Decay:
    """The fitted fade of an effect (see module notes).

    slope : {"estimate", "ci_low", "ci_high", "p_value"}, CNY per month.
    level : the fitted effect in the month the campaign ended, CNY.
    points : after-month coefficients fitted; first, last: their months
        relative to start.
    decaying : the slope is significantly negative (p < alpha, estimate < 0).
    months : months from the campaign's end until the line reaches 0, in
        [0, cap]; None unless decaying.
    counted : months of the full-size effect the fading line is worth within
        `cap` months (the area under it ÷ its level); None unless decaying.
    """

    slope: dict[str, float]
    level: float
    points: int
    first: int
    last: int
    decaying: bool
    months: float | None
    counted: float | None = None


def fit_decay(
    months: np.ndarray | list[int],
    estimates: np.ndarray | list[float],
    cov: np.ndarray,
    post_from: int,
    alpha: float = 0.05,
    cap: float = CAP_MONTHS,
) -> Decay | None:
    """GLS line through the coefficients `estimates` (CNY) of the event
    months `months` (relative to start, all ≥ post_from) with covariance
    `cov` (CNY²); None with fewer than MIN_POINTS or a covariance that
    gives the slope no variance."""
    k = np.asarray(months, dtype=float)
    b = np.asarray(estimates, dtype=float)
    V = np.asarray(cov, dtype=float)
    if len(k) < MIN_POINTS or len(np.unique(k)) < 2:
        return None
    X = np.column_stack([np.ones_like(k), k - post_from])
    Vi = np.linalg.pinv(V)
    A = X.T @ Vi @ X
    try:
        C = np.linalg.inv(A)
    except np.linalg.LinAlgError:
        return None
    theta = C @ X.T @ Vi @ b
    se = float(np.sqrt(C[1, 1])) if C[1, 1] > 0 else float("nan")
    if not np.isfinite(se) or se <= 0:
        return None
    z = float(stats.norm.ppf(1 - alpha / 2))
    level, slope = float(theta[0]), float(theta[1])
    p_value = float(2 * stats.norm.sf(abs(slope / se)))
    decaying = slope < 0 and p_value < alpha
    span = counted = None
    if decaying:
        span = float(min(cap, max(0.0, level / -slope)))
        counted = counted_months(level / -slope if level > 0 else 0.0, cap)
    return Decay(
        slope={"estimate": slope, "ci_low": slope - z * se, "ci_high": slope + z * se, "p_value": p_value},
        level=level,
        points=len(k),
        first=int(k.min()),
        last=int(k.max()),
        decaying=decaying,
        months=span,
        counted=counted,
    )


def counted_months(zero_after: float, cap: float = CAP_MONTHS) -> float:
    """Months of full-size effect that an effect fading linearly from full
    size to 0 after `zero_after` months is worth within `cap` months.

    >>> counted_months(6.0), counted_months(24.0), counted_months(0.0)
    (3.0, 9.0, 0.0)
    """
    n = max(0.0, float(zero_after))
    if n <= cap:
        return n / 2
    return cap - cap**2 / (2 * n)


def effect_decay(es: EventStudy, alpha: float | None = None, cap: float = CAP_MONTHS) -> Decay | None:
    """`fit_decay` on a fitted `EventStudy`'s coefficients of the months
    from its `post_from` on, with their covariance from its regression
    (`alpha`: the event study's when None); None when too few months."""
    alpha = es.alpha if alpha is None else alpha
    res = es.result_
    names = [f"k{p}" for p in es.coefs_.index if p >= es.post_from and f"k{p}" in res.params.index]
    if len(names) < MIN_POINTS:
        return None
    months = [int(n[1:]) for n in names]
    cov: pd.DataFrame = res.cov_params()
    return fit_decay(
        months,
        res.params[names].to_numpy(dtype=float),
        cov.loc[names, names].to_numpy(dtype=float),
        es.post_from,
        alpha,
        cap,
    )
