"""analysis.stats.change: intervals of shares and whether a change is beyond noise."""

from __future__ import annotations

import math

import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.stats.change import change, nps_se, se_of_interval, share_se, wilson, z


def test_z_is_the_normal_quantile():
    assert z(0.95) == pytest.approx(1.959963984540054)
    assert z(0.90) == pytest.approx(1.6448536269514722)


@pytest.mark.parametrize("k, n", [(0, 12), (3, 40), (259, 2274), (40, 40)])
def test_wilson_matches_statsmodels_and_stays_in_the_unit_interval(k, n):
    lo, hi = wilson(k, n)
    ref = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert (lo, hi) == pytest.approx(ref, abs=1e-12)
    assert 0 <= lo <= k / n <= hi <= 1


def test_standard_errors():
    assert se_of_interval(1.0, 1.0 + 2 * z()) == pytest.approx(1.0)
    assert share_se(0.1, 100) == pytest.approx(0.03)
    # a net promoter score of 0 from n answers: at most 100 / sqrt(n)
    assert nps_se(0.0, 400) == pytest.approx(5.0)
    assert nps_se(100.0, 400) == 0.0


def test_a_change_is_beyond_noise_when_its_interval_excludes_zero():
    moved = change(0.10, 0.15, 0.01, 0.01)
    assert moved.change == pytest.approx(0.05) and moved.beyond_noise
    assert moved.ci_low == pytest.approx(0.05 - z() * math.sqrt(2) * 0.01)
    assert change(-25.0, -24.0, 7.5, 7.5).beyond_noise is False  # NPS −25 vs −24 with ±15 intervals
    assert change(1.0, 1.0, 0.0, 0.0).beyond_noise is False
    assert change(10, 11, 0.0, 0.0).beyond_noise is True  # exact counts
    assert change(1.0, 2.0, None, 0.1).beyond_noise is None
    assert change(1.0, 2.0, math.nan, 0.1).beyond_noise is None
