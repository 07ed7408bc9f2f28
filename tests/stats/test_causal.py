"""The adjustment engine (analysis.causal.ATTEstimator).

Checks against published and library numbers:
* NSW (Dehejia–Wahba sample, causaldata) treated vs CPS controls: the naive
  difference is about −$8,500; the engine must land within the experimental
  benchmark's interval, $1,794 ± 2 × 633 (DESIGN.md "Public reference checks").
* The IPW estimate and its sandwich standard error equal statsmodels'
  TreatmentEffect.ipw(effect_group=1) (GMM, joint with the propensity model).
* Simulated selection on observables with a planted ATT is recovered while the
  naive difference is not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.stats.causal import ATTEstimator, standardized_mean_differences

EXPERIMENT_ATT, EXPERIMENT_SE = 1794.34, 633.0


@pytest.fixture(scope="module")
def nsw_cps():
    causaldata = pytest.importorskip("causaldata")
    nsw = causaldata.nsw_mixtape.load_pandas().data
    cps = causaldata.cps_mixtape.load_pandas().data
    d = pd.concat([nsw[nsw["treat"] == 1], cps], ignore_index=True).drop(columns="data_id").astype(float)
    # Dehejia & Wahba (1999)'s propensity specification for the CPS comparison
    X = pd.DataFrame(
        {
            "age": d["age"],
            "age2": d["age"] ** 2,
            "age3": d["age"] ** 3,
            "educ": d["educ"],
            "educ2": d["educ"] ** 2,
            "married": d["marr"],
            "nodegree": d["nodegree"],
            "black": d["black"],
            "hisp": d["hisp"],
            "re74": d["re74"],
            "re75": d["re75"],
            "u74": (d["re74"] == 0).astype(float),
            "u75": (d["re75"] == 0).astype(float),
            "educ_re74": d["educ"] * d["re74"],
        }
    )
    return X, d["treat"] == 1, d["re78"]


@pytest.mark.parametrize("method", ["aipw", "ipw"])
def test_nsw_cps_lands_in_experimental_interval(nsw_cps, method):
    X, t, y = nsw_cps
    est = ATTEstimator(method=method).fit(X, t, y)
    assert est.naive_ == pytest.approx(-8497.5, abs=1)
    lo, hi = EXPERIMENT_ATT - 2 * EXPERIMENT_SE, EXPERIMENT_ATT + 2 * EXPERIMENT_SE
    assert lo <= est.att_ <= hi, (est.att_, est.ci_)
    assert est.ci_[0] < EXPERIMENT_ATT < est.ci_[1]
    # the standard error is of the experiment's order, not a degenerate one
    assert 0.5 * EXPERIMENT_SE < est.se_ < 2 * EXPERIMENT_SE
    # common-support trimming happened and is reported
    o = est.overlap_
    assert o["rule"] == "common_support"
    assert o["comparison_trimmed"] > 0 and o["share_comparison_trimmed"] == pytest.approx(
        o["comparison_trimmed"] / (~t).sum()
    )
    # weighting balances the covariates that were badly off
    assert est.balance_["smd_before"].abs().max() > 1.0
    assert est.balance_["smd_after"].abs().max() < 0.25


def _simulated(n=3000, seed=1, att=1.5):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.binomial(1, 0.4, n).astype(float)})
    e = 1 / (1 + np.exp(-(-1 + 0.9 * X["a"] + 0.6 * X["b"])))
    t = rng.random(n) < e
    y = 3 * X["a"] + 2 * X["b"] + rng.normal(size=n) + att * t
    return X, t, y


def test_ipw_matches_statsmodels_treatment_effect():
    X, t, y = _simulated()
    est = ATTEstimator(method="ipw", trim="none").fit(X, t, y)
    Z = sm.add_constant(((X - X.mean()) / X.std(ddof=0)).to_numpy())
    sel = sm.Logit(t.astype(float).to_numpy(), Z).fit(disp=0)
    from statsmodels.treatment.treatment_effects import TreatmentEffect

    ref = TreatmentEffect(sm.OLS(y.to_numpy(), Z), t.astype(int).to_numpy(), results_select=sel).ipw(effect_group=1)
    frame = ref.summary_frame()
    assert est.att_ == pytest.approx(frame.loc["ATE", "coef"], rel=1e-6)
    assert est.se_ == pytest.approx(frame.loc["ATE", "std err"], rel=1e-3)


@pytest.mark.parametrize("method", ["aipw", "ipw"])
def test_recovers_planted_att_where_naive_fails(method):
    X, t, y = _simulated(att=1.5)
    est = ATTEstimator(method=method).fit(X, t, y)
    assert est.ci_[0] < 1.5 < est.ci_[1]
    assert abs(est.naive_ - 1.5) > 1.0  # selection on a and b inflates the naive difference
    assert not (est.ci_[0] < est.naive_ < est.ci_[1])
    assert est.p_value_ < 1e-6
    s = est.summary
    assert list(s.index) == [method] and s.loc[method, "att"] == est.att_


def test_aipw_se_agrees_with_bootstrap():
    X, t, y = _simulated(n=1500, seed=3)
    est = ATTEstimator(method="aipw", trim="none").fit(X, t, y)
    rng = np.random.default_rng(0)
    draws = []
    for _ in range(150):
        i = rng.integers(0, len(y), len(y))
        draws.append(ATTEstimator(method="aipw", trim="none").fit(X.iloc[i], t.to_numpy()[i], y.to_numpy()[i]).att_)
    assert est.se_ == pytest.approx(np.std(draws), rel=0.25)


def test_trim_rules_and_weights():
    X, t, y = _simulated()
    est = ATTEstimator(method="ipw", trim=(0.1, 0.9)).fit(X, t, y)
    e = est.propensity_
    assert (~est.kept_ == ((e < 0.1) | (e > 0.9))).all()
    w = est.weights_
    assert (w[~est.kept_] == 0).all()
    assert (w[est.kept_ & est.treated_] == 1).all()
    c = est.kept_ & ~est.treated_
    assert np.allclose(w[c], e[c] / (1 - e[c]))
    assert "[0.1, 0.9]" in est.method_name
    full = ATTEstimator(method="ipw", trim="none").fit(X, t, y)
    assert full.overlap_["treated_trimmed"] == full.overlap_["comparison_trimmed"] == 0


def test_constant_and_collinear_columns_are_dropped():
    X, t, y = _simulated()
    X = X.assign(const=1.0, a_copy=2 * X["a"] + 1)
    est = ATTEstimator().fit(X, t, y)
    assert est.dropped_ == ["const", "a_copy"]
    assert est.covariates_ == ["a", "b"]


def test_validation_messages():
    X, t, y = _simulated(n=200)
    with pytest.raises(ValueError, match="missing values"):
        ATTEstimator().fit(X.assign(a=X["a"].where(X.index > 0)), t, y)
    with pytest.raises(ValueError, match="method"):
        ATTEstimator(method="psm").fit(X, t, y)
    with pytest.raises(ValueError, match="at least 2 treated"):
        ATTEstimator().fit(X, np.zeros(len(y), dtype=bool), y)
    with pytest.raises(RuntimeError):
        ATTEstimator().to_estimate()


def test_smd_definition():
    X = pd.DataFrame({"x": [0.0, 2.0, 1.0, 3.0]})
    t = np.array([True, True, False, False])
    smd = standardized_mean_differences(X, t)
    # means 1 and 2, both variances 2 → (1 − 2) / √2
    assert smd.loc["x", "smd"] == pytest.approx(-1 / np.sqrt(2))
    w = np.array([1.0, 1.0, 0.0, 1.0])
    assert standardized_mean_differences(X, t, w).loc["x", "mean_comparison"] == 3.0
