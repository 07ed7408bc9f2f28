"""Planted effects are covered across seeds: a coverage rate, not one picked seed.

K = 20 small sample banks (one branch, 2,000 customers, seeds 100 … 119) go
through the suite's own compute functions (`questions.churn.analyze`,
`questions.satisfaction.analyze`, `questions.campaigns.analyze`, no notebook)
and each 95 % interval is checked against the value `analysis.sample.planted`
planted.

The rule, and why a correct estimator passes it:

* per parameter (one odds ratio, one satisfaction driver), at least 15 of the
  20 seeds' intervals cover the planted value (75 %). For an interval that
  covers 95 % of the time, the count of covering seeds is Binomial(20, 0.95):
  P(≤ 14) = 0.00033, so over the 23 parameters checked the chance that a
  correct estimator fails anywhere is at most 23 × 0.00033 < 0.8 % (Bonferroni);
* per family (all churn odds ratios, all satisfaction drivers, each campaign
  figure over its 4 campaigns × 20 seeds = 80 intervals), at least 85 % of the intervals cover.
  A calibrated family covers 95 %; the seeds are independent, so a family's
  rate falls below 85 % only if some parameter's coverage is well below 95 %.

What the rule catches: an interval that covers 60 % of the time passes one
parameter's test with P(Binomial(20, 0.6) ≥ 15) = 0.13 and a family's pooled
85 % practically never; a biased estimate or a too-narrow interval shows there.
The seeds are fixed, so the test is deterministic; the bound says how unlikely
it was for a correct estimator to be caught by this choice of seeds.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from scipy.stats import binom

import analysis
from analysis.questions import campaigns, churn, satisfaction
from analysis.sample import planted as P
from analysis.sample.generate import generate

SEEDS = range(100, 120)
CUSTOMERS = 2000
PER_PARAMETER = 15  # of 20 seeds
PER_FAMILY = 0.85

pytestmark = pytest.mark.slow


def _covers(e: dict | None, truth: float) -> bool:
    return e is not None and e["ci_low"] <= truth <= e["ci_high"]


@pytest.fixture(scope="module")
def coverage(tmp_path_factory) -> dict[str, dict[str, list[bool]]]:
    """family → parameter → covered, one entry per seed (per campaign for campaigns)."""
    got: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    root = tmp_path_factory.mktemp("coverage")
    for seed in SEEDS:
        generate(root / str(seed), branches=1, customers=CUSTOMERS, seed=seed)
        bank = analysis.load(root / str(seed), branch="meishan")
        drivers = churn.analyze(bank).drivers()
        for name, odds_ratio in P.CHURN.odds_ratios.items():
            if name in drivers:  # a segment with no customer in the cohort is left out
                got["churn"][name].append(_covers(drivers[name], odds_ratio))
        table = satisfaction.analyze(bank).drivers
        assert table is not None
        for name, weight in P.SATISFACTION.weights.items():
            got["satisfaction"][name].append(bool(table.at[name, "ci_low"] <= weight <= table.at[name, "ci_high"]))
        for r in campaigns.analyze(bank, with_did=False, with_heterogeneity=False).results.values():
            e = P.campaign_effect(r.kind)
            if r.design == "randomized":
                got["campaigns"]["itt_balance"].append(_covers(r.balance_effect, e.itt_balance))
                got["campaigns"]["response_ate"].append(_covers(r.response_ate, e.response_ate))
            else:
                got["campaigns"]["att_balance"].append(_covers(r.balance_effect, e.att_balance))
    return {f: dict(p) for f, p in got.items()}


def test_the_stated_bounds():
    """The numbers of the module docstring, computed."""
    assert binom.cdf(PER_PARAMETER - 1, len(SEEDS), 0.95) == pytest.approx(0.00033, abs=5e-6)
    assert 23 * binom.cdf(PER_PARAMETER - 1, len(SEEDS), 0.95) < 0.008
    assert binom.sf(PER_PARAMETER - 1, len(SEEDS), 0.6) == pytest.approx(0.126, abs=5e-4)


@pytest.mark.parametrize("family", ["churn", "satisfaction"])
def test_each_parameter_is_covered_in_most_seeds(coverage, family):
    counts = {name: (sum(c), len(c)) for name, c in coverage[family].items()}
    assert len(counts) == len(P.CHURN.odds_ratios if family == "churn" else P.SATISFACTION.weights)
    # a segment may be missing from a small cohort in a few seeds: then fewer seeds count
    short = {name: k for name, (k, n) in counts.items() if k < PER_PARAMETER - (len(SEEDS) - n)}
    assert not short, counts


@pytest.mark.parametrize("family", ["churn", "satisfaction", "campaigns"])
def test_each_family_is_covered_at_the_nominal_rate(coverage, family):
    flags = [c for per in coverage[family].values() for c in per]
    assert len(flags) >= len(SEEDS) * (3 if family == "campaigns" else 8)
    assert sum(flags) / len(flags) >= PER_FAMILY, {n: f"{sum(c)}/{len(c)}" for n, c in coverage[family].items()}


def test_each_campaign_figure_is_covered_at_the_nominal_rate(coverage):
    for name, flags in coverage["campaigns"].items():
        assert len(flags) == 4 * len(SEEDS), name  # four randomized and four targeted campaigns a branch
        assert sum(flags) / len(flags) >= PER_FAMILY, (name, f"{sum(flags)}/{len(flags)}")
