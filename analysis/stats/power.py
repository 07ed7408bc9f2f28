"""How many customers a randomized test needs: the two-sample normal power
calculation for a difference in means (Cohen 1988, ch. 2; the closed form
behind statsmodels' `NormalIndPower`).

    n = sample_size_per_arm(delta=10_000, sigma=50_000)          # 393 per arm
    h = holdout_share_for(n_total=1_200, delta=10_000, sigma=50_000)
    detectable_effect(n_treated=400, n_holdout=400, sigma=50_000)

With two arms of n each and a common standard deviation σ, a two-sided test
at level α detects a true difference δ with probability `power` when

    n = 2 (z_{1−α/2} + z_{power})² σ² ÷ δ².

With unequal arms (n_t contacted, n_c held out) the standard error of the
difference is σ √(1/n_t + 1/n_c); for a population of N split with holdout
share h that is σ √(1 / (N h (1 − h))), so the smallest h that reaches the
power solves h (1 − h) = 1 ÷ k with k = N δ² ÷ ((z_{1−α/2} + z_{power})² σ²),
which exists when N is at least twice the equal-arm n (k ≥ 4).
Units are the outcome's (CNY of balance change for campaigns); shares 0–1.
"""

from __future__ import annotations

import math

from scipy.stats import norm

POWER = 0.8
"""The power a designed test is sized for (80 %: the usual convention)."""


def _z_sum(alpha: float, power: float) -> float:
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError(f"alpha and power must lie between 0 and 1, not {alpha!r}, {power!r}")
    return float(norm.ppf(1 - alpha / 2) + norm.ppf(power))


def sample_size_per_arm(delta: float, sigma: float, alpha: float = 0.05, power: float = POWER) -> int:
    """Customers per arm (equal arms) to detect a true difference `delta` with
    probability `power` in a two-sided test at level `alpha`, rounded up:
    n = 2 (z₁₋α/₂ + z_power)² σ² / δ².

    >>> sample_size_per_arm(10_000, 50_000, alpha=0.05, power=0.8)  # 2 × 7.8489 × 25 = 392.4
    393
    """
    if not (delta > 0 and sigma > 0):
        raise ValueError(f"delta and sigma must be positive, not {delta!r}, {sigma!r}")
    return int(math.ceil(2 * _z_sum(alpha, power) ** 2 * sigma**2 / delta**2 - 1e-9))


def holdout_share_for(
    n_total: int, delta: float, sigma: float, alpha: float = 0.05, power: float = POWER
) -> float | None:
    """The smallest holdout share (≤ 0.5) of a population of `n_total` that
    gives the test its power; None when even an even split is too small."""
    if not (delta > 0 and sigma > 0) or n_total <= 0:
        raise ValueError("delta, sigma and n_total must be positive")
    k = n_total * delta**2 / (_z_sum(alpha, power) ** 2 * sigma**2)
    if k < 4:
        return None
    return (1 - math.sqrt(1 - 4 / k)) / 2


def detectable_effect(n_treated: int, n_holdout: int, sigma: float, alpha: float = 0.05, power: float = POWER) -> float:
    """The smallest true difference a test of these arms detects with `power`."""
    if n_treated <= 0 or n_holdout <= 0:
        return math.inf
    return _z_sum(alpha, power) * sigma * math.sqrt(1 / n_treated + 1 / n_holdout)


def achieved_power(n_treated: int, n_holdout: int, delta: float, sigma: float, alpha: float = 0.05) -> float:
    """Probability that a two-sided test at `alpha` of these arms finds a true
    difference `delta` (ignoring the far tail)."""
    if n_treated <= 0 or n_holdout <= 0:
        return 0.0
    se = sigma * math.sqrt(1 / n_treated + 1 / n_holdout)
    return float(norm.cdf(abs(delta) / se - norm.ppf(1 - alpha / 2)))
