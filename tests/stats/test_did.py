"""Difference-in-differences on monthly balances (analysis.did)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from analysis.stats.did import EventStudy, balance_panel, months_between

EFFECT = 8000.0


def _panel(n=2000, seed=0, trend=3000.0):
    """Customers with feature x; richer (high x) customers both grow faster
    (trend · x per month) and are likelier to take part; participants gain
    EFFECT from month 0 on."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    e = 1 / (1 + np.exp(-(-2 + 1.5 * x)))
    t = rng.random(n) < e
    months = np.arange(-6, 7)
    ids = np.repeat(np.arange(n), len(months))
    rel = np.tile(months, n)
    bal = (
        100_000
        + 20_000 * x[ids]
        + trend * x[ids] * rel
        + EFFECT * (t[ids] & (rel >= 0))
        + rng.normal(0, 5000, len(ids))
    )
    cid = pd.Index([f"c{i:05d}" for i in range(n)])
    panel = pd.DataFrame(
        {
            "customer_id": cid[ids],
            "month": pd.Timestamp("2025-07-01") + pd.to_timedelta(rel * 31, "D"),
            "balance": bal,
            "rel_month": rel,
        }
    )
    treated = pd.Series(t, index=cid)
    odds = pd.Series(np.where(t, 1.0, e / (1 - e)), index=cid)
    cov = pd.DataFrame({"x": x}, index=cid)
    return panel, treated, odds, cov


def test_naive_comparison_shows_non_parallel_pretrends():
    panel, treated, _, _ = _panel()
    es = EventStudy().fit(panel, treated)
    assert es.pretrend_["p_value"] < 1e-6
    assert es.pretrend_["df"] == 5
    assert not (es.did_["ci_low"] <= EFFECT <= es.did_["ci_high"])


@pytest.mark.parametrize("how", ["weights", "covariates"])
def test_recovers_planted_effect(how):
    panel, treated, odds, cov = _panel()
    kw = {"weights": odds} if how == "weights" else {"covariates": cov}
    es = EventStudy().fit(panel, treated, **kw)
    assert es.pretrend_["p_value"] > 0.01
    assert es.did_["ci_low"] <= EFFECT <= es.did_["ci_high"]
    c = es.coefs_
    assert c.loc[-1, "estimate"] == 0 and np.isnan(c.loc[-1, "ci_low"])
    assert list(c.index) == list(range(-6, 7))
    post = c.loc[0:]
    assert ((post["ci_low"] <= EFFECT) & (EFFECT <= post["ci_high"])).mean() >= 0.8
    assert es.did_["estimate"] == pytest.approx(post["estimate"].mean())
    assert es.n_treated_ == treated.sum() and es.n_comparison_ == (~treated).sum()


def test_within_transform_equals_dummy_regression():
    """Absorbing customer effects by demeaning gives the coefficients of the
    regression with one dummy per customer (unbalanced panel, customer weights)."""
    panel, treated, odds, _ = _panel(n=60, seed=2)
    panel = panel.drop(panel.sample(frac=0.1, random_state=1).index)
    panel = panel[panel["rel_month"].between(-3, 3)]
    es = EventStudy().fit(panel, treated, weights=odds)
    d = panel.copy()
    d["w"] = d["customer_id"].map(odds)
    for k in range(-3, 4):
        if k != -1:
            d[f"k{k + 10}"] = ((d["rel_month"] == k) & d["customer_id"].map(treated)).astype(float)
    terms = " + ".join(f"k{k + 10}" for k in range(-3, 4) if k != -1)
    ref = smf.wls(f"balance ~ {terms} + C(customer_id) + C(rel_month)", d, weights=d["w"]).fit()
    for k in range(-3, 4):
        if k != -1:
            assert es.coefs_.loc[k, "estimate"] == pytest.approx(ref.params[f"k{k + 10}"], rel=1e-8, abs=1e-6)


def test_post_from_skips_campaign_months():
    panel, treated, odds, _ = _panel()
    es = EventStudy(post_from=2).fit(panel, treated, weights=odds)
    assert es.did_["estimate"] == pytest.approx(es.coefs_.loc[2:, "estimate"].mean())


def test_balance_panel_and_months_between():
    snaps = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "c"],
            "month": pd.to_datetime(["2025-01-01", "2025-03-01", "2025-12-01", "2025-02-01", "2025-03-01"]),
            "deposit_balance": [1.0, 2.0, 3.0, 4.0, 5.0],
            "wealth_aum": [10.0, 20.0, 30.0, 40.0, 50.0],
        }
    )
    p = balance_panel(snaps, ["a", "b"], pd.Timestamp("2025-03-01"), months_before=2, months_after=1)
    assert list(p["customer_id"]) == ["a", "a", "b"]
    assert list(p["rel_month"]) == [-2, 0, -1]
    assert list(p["balance"]) == [11.0, 22.0, 44.0]
    assert months_between(pd.Timestamp("2026-02-15"), pd.Timestamp("2025-11-30")) == 3


def test_needs_reference_month_and_flags():
    panel, treated, _, _ = _panel(n=100)
    with pytest.raises(ValueError, match="reference month"):
        EventStudy().fit(panel[panel["rel_month"] != -1], treated)
    with pytest.raises(ValueError, match="treated flag"):
        EventStudy().fit(panel, treated.iloc[:50])
