"""How much of a figure is noise (`analysis.questions.noise`): each figure's
standard error from what a run leaves, and when two values are apart."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.questions import noise
from analysis.stats.change import nps_se, share_se

RESULTS = {
    "customers": 2800,
    "active_customers": 2318,
    "churn": {"cohort_size": 2308, "churn_rate_12m": 0.134},
    "satisfaction": {"responses": 150, "nps": -25.0, "cs_overall": -0.54},
    "qvsrs": {"quality": 61.5, "value": 1.37, "relationship": {"rm_coverage": 0.30}},
    "value": {"unprofitable_share": 0.067},
}
CARD = pd.DataFrame(
    [
        {"pillar": "quality", "metric": "quality", "se_current": 0.88},
        {"pillar": "value", "metric": "value", "se_current": 0.030},
        {"pillar": "satisfaction", "metric": "satisfaction", "se_current": 0.036},
        {"pillar": "relationship", "metric": "rm_coverage", "se_current": 0.0095},
        {"pillar": "relationship", "metric": "products_per_customer", "se_current": float("nan")},
    ]
)


def test_every_kind_of_figure_has_its_error():
    survey = noise.scorecard_errors(CARD)
    assert survey == {
        "qvsrs.quality": 0.88,
        "qvsrs.value": 0.030,
        "qvsrs.satisfaction": 0.036,
        "qvsrs.relationship.rm_coverage": 0.0095,
    }
    se = lambda path, v: noise.figure_se(path, v, RESULTS, survey)  # noqa: E731
    assert se("satisfaction.nps", -25.0) == pytest.approx(nps_se(-25.0, 150))
    assert se("satisfaction.nps", -25.0) == pytest.approx(100 * math.sqrt((1 - 0.25**2) / 150))  # about ±16 at 95 %
    assert se("churn.churn_rate_12m", 0.134) == pytest.approx(share_se(0.134, 2308))
    assert se("qvsrs.relationship.rm_coverage", 0.30) == pytest.approx(share_se(0.30, 2318))  # from its count
    assert se("qvsrs.value", 1.37) == 0.030
    assert se("satisfaction.cs_overall", -0.54) == 0.036  # the scorecard's S, the same figure
    assert se("value.unprofitable_share", 0.067) == 0.0  # a census of the book
    assert se("competitors.deposit_share.X", 0.09) == 0.0  # public statistics
    assert noise.figure_se("qvsrs.value", 1.37, RESULTS) is None  # without the scorecard: unknown
    assert se("satisfaction.nps", None) is None
    assert noise.scorecard_errors(None) == {} and noise.scorecard_errors(pd.DataFrame({"x": [1]})) == {}


def test_apart_needs_the_difference_beyond_both_errors():
    assert noise.apart(-25, nps_se(-25, 150), -24, nps_se(-24, 150)) is False
    assert noise.apart(1.35, 0.03, 1.37, 0.03) is False
    assert noise.apart(1.05, 0.03, 1.37, 0.03) is True
    assert noise.apart(0.067, 0.0, 0.077, 0.0) is True  # exact values differ when they differ
    assert noise.apart(1.0, None, 2.0, 0.0) is None
