"""How fast a balance effect fades (analysis.stats.decay), against planted truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats.decay import CAP_MONTHS, effect_decay, fit_decay
from analysis.stats.did import EventStudy

LEVEL = 10_000.0  # CNY: the effect in the month the campaign ended
POST_FROM = 2  # the campaign runs in months 0 and 1 after start, ends in month 2
SEEDS = range(12)


def _panel(slope: float, seed: int, n_treated: int = 300, n_comparison: int = 900):
    """Participants gain LEVEL from the month the campaign ended (POST_FROM),
    then the gain changes by `slope` CNY a month (half of LEVEL during the
    campaign); every customer has an own level and a common monthly drift."""
    rng = np.random.default_rng(seed)
    n = n_treated + n_comparison
    treated = np.arange(n) < n_treated
    months = np.arange(-6, 7)
    ids = np.repeat(np.arange(n), len(months))
    rel = np.tile(months, n)
    effect = np.where(rel >= POST_FROM, LEVEL + slope * (rel - POST_FROM), np.where(rel >= 0, LEVEL / 2, 0.0))
    bal = 80_000 + rng.normal(0, 30_000, n)[ids] + 500.0 * rel + treated[ids] * effect + rng.normal(0, 6_000, len(ids))
    cid = pd.Index([f"c{i:05d}" for i in range(n)])
    panel = pd.DataFrame(
        {
            "customer_id": cid[ids],
            "month": pd.Timestamp("2025-07-01") + pd.to_timedelta(rel * 31, "D"),
            "balance": bal,
            "rel_month": rel,
        }
    )
    return panel, pd.Series(treated, index=cid)


def _decay(slope: float, seed: int):
    panel, treated = _panel(slope, seed)
    return effect_decay(EventStudy(post_from=POST_FROM).fit(panel, treated))


def test_a_planted_linear_fade_is_covered_and_flagged():
    planted = -1_500.0  # reaches 0 after 10 000 ÷ 1 500 ≈ 6.7 months
    fits = [_decay(planted, s) for s in SEEDS]
    covered = sum(f.slope["ci_low"] <= planted <= f.slope["ci_high"] for f in fits)
    # 95 % intervals: at least 9 of 12 cover (P(fewer) < 2 % when the coverage is right)
    assert covered >= 9, [f.slope for f in fits]
    assert all(f.decaying for f in fits)
    months = np.array([f.months for f in fits])
    assert abs(months.mean() - LEVEL / -planted) < 0.5, months
    assert all(f.points == 5 and f.first == POST_FROM and f.last == 6 for f in fits)


def test_no_fade_is_not_flagged():
    fits = [_decay(0.0, s) for s in SEEDS]
    flagged = sum(f.decaying for f in fits)
    assert flagged <= 2, [f.slope for f in fits]  # ~2.5 % each (one-sided): 3 of 12 has P < 0.5 %
    assert all(f.months is None for f in fits if not f.decaying)
    covered = sum(f.slope["ci_low"] <= 0 <= f.slope["ci_high"] for f in fits)
    assert covered >= 9


def test_a_growing_effect_is_not_a_fade():
    f = _decay(1_500.0, 0)
    assert f.slope["estimate"] > 0 and not f.decaying and f.months is None


def test_exact_line_gives_its_slope_zero_crossing_and_cap():
    k = np.arange(2, 7)
    cov = np.diag(np.full(5, 1e4))
    f = fit_decay(k, 6_000 - 1_000 * (k - 2), cov, post_from=2)
    assert f.slope["estimate"] == pytest.approx(-1_000) and f.level == pytest.approx(6_000)
    assert f.decaying and f.months == pytest.approx(6.0)
    slow = fit_decay(k, 6_000 - 100 * (k - 2), cov, post_from=2)
    assert slow.decaying and slow.months == CAP_MONTHS  # 60 months, capped at a year
    gone = fit_decay(k, -500 - 1_000 * (k - 2), cov, post_from=2)
    assert gone.decaying and gone.months == 0.0  # nothing left at the end
    # what a year of the fading effect is worth: the area under the line
    assert f.counted == pytest.approx(3.0)  # a triangle of 6 months: 3 months at full size
    assert slow.counted == pytest.approx(12 - 144 / (2 * 60))  # 60 months to zero: 10.8 of the year's 12
    assert gone.counted == 0.0


def test_gls_weights_months_by_their_precision():
    # a noisy last month pulls an equal-weight line down; GLS nearly ignores it
    k = np.arange(2, 7)
    b = np.array([5_000.0, 5_000, 5_000, 5_000, -20_000])
    precise = fit_decay(k, b, np.diag([1e4, 1e4, 1e4, 1e4, 1e12]), post_from=2)
    equal = fit_decay(k, b, np.diag(np.full(5, 1e4)), post_from=2)
    assert abs(precise.slope["estimate"]) < 1 and equal.slope["estimate"] < -4_000


def test_too_few_months_give_none():
    assert fit_decay([2, 3], [1.0, 0.5], np.eye(2), post_from=2) is None
    panel, treated = _panel(0.0, 0)
    assert effect_decay(EventStudy(post_from=5).fit(panel, treated)) is None  # months 5 and 6 only
