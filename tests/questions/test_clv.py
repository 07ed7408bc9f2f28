"""analysis.stats.sbg: the shifted-beta-geometric model against Fader & Hardie
(2007) and closed forms; analysis.questions.clv: left-truncated lifetimes, CLV
per segment; analysis.words.clv: its prose and display table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import special

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, value_base
from analysis.data.timeframe import Timeframe
from analysis.errors import UsageError
from analysis.questions.clv import analyze, life_table, tenure_lifetimes
from analysis.stats.sbg import ShiftedBetaGeometric
from analysis.words.clv import clv_table, describe_clv

# Fader & Hardie (2007), Table 1 (years 0–12) and the estimates they report
# from the first 7 years (DESIGN.md "Public reference checks").
PAPER = {
    "regular": {
        "survivors": [1000, 631, 468, 382, 326, 289, 262, 241],
        "later": [223, 207, 194, 183, 173],  # years 8–12, held out
        "alpha": 0.704,
        "beta": 1.182,
        "ll": -1680.27,
    },
    "high_end": {
        "survivors": [1000, 869, 743, 653, 593, 551, 517, 491],
        "later": [468, 445, 427, 409, 394],
        "alpha": 0.668,
        "beta": 3.806,
        "ll": -1611.16,
    },
}


def expected_survivors(alpha: float, beta: float, periods: int, n: float = 1e6) -> np.ndarray:
    """n × S(t) for t = 0..periods, S(t) = B(α, β + t) / B(α, β)."""
    t = np.arange(periods + 1)
    return n * np.exp(special.betaln(alpha, beta + t) - special.betaln(alpha, beta))


# --------------------------------------------------------------------------- the paper


@pytest.mark.parametrize("case", sorted(PAPER))
def test_sbg_reproduces_fader_hardie_2007(case):
    ref = PAPER[case]
    m = ShiftedBetaGeometric().fit(ref["survivors"])
    assert m.alpha_ == pytest.approx(ref["alpha"], abs=5e-4)
    assert m.beta_ == pytest.approx(ref["beta"], abs=5e-4)
    assert m.log_likelihood_ == pytest.approx(ref["ll"], abs=5e-3)


@pytest.mark.parametrize("case", sorted(PAPER))
def test_sbg_projects_the_held_out_years_as_in_the_paper(case):
    """Fitted on years 0–7, the sBG tracks the actual survival of years 8–12
    within two percentage points (the paper's point: it projects well)."""
    ref = PAPER[case]
    m = ShiftedBetaGeometric().fit(ref["survivors"])
    projected = m.survival_function(range(8, 13)).to_numpy()
    actual = np.array(ref["later"]) / 1000
    assert np.max(np.abs(projected - actual)) < 0.02


def test_summary_has_standard_errors_and_intervals_around_the_estimate():
    m = ShiftedBetaGeometric(label="regular").fit(PAPER["regular"]["survivors"])
    s = m.summary
    assert list(s.columns) == ["coef", "se(coef)", "coef lower 95%", "coef upper 95%"]
    assert list(s.index) == ["alpha", "beta"]
    assert (s["se(coef)"] > 0).all()
    assert (s["coef lower 95%"] < s["coef"]).all() and (s["coef"] < s["coef upper 95%"]).all()
    # the observed information of 1 000 customers pins α to about ±0.07 (a few standard errors, not 0 or 1)
    assert 0.02 < s.loc["alpha", "se(coef)"] < 0.2


def test_individual_lifetimes_give_the_survivor_count_likelihood():
    surv = np.array(PAPER["high_end"]["survivors"])
    T = len(surv) - 1
    churners = -np.diff(surv)
    durations = np.concatenate([np.repeat(np.arange(1, T + 1), churners), np.full(surv[-1], T)])
    churned = np.concatenate([np.ones(churners.sum(), bool), np.zeros(surv[-1], bool)])
    a = ShiftedBetaGeometric().fit(surv)
    b = ShiftedBetaGeometric().fit_lifetimes(durations, churned)
    assert b.alpha_ == pytest.approx(a.alpha_, rel=1e-4)
    assert b.beta_ == pytest.approx(a.beta_, rel=1e-4)
    assert b.log_likelihood_ == pytest.approx(a.log_likelihood_, abs=1e-6)


# --------------------------------------------------------------------------- closed forms


def test_expected_counts_recover_the_parameters_and_closed_forms():
    """With θ ~ Beta(1, 1): S(t) = 1/(1+t), r(t) = t/(t+1), and
    DERL(d | 0 renewals) = Σ_k z^k/(k+2) = (−ln(1−z) − z)/z² with z = 1/(1+d)."""
    m = ShiftedBetaGeometric().fit(expected_survivors(1.0, 1.0, 10))
    assert m.alpha_ == pytest.approx(1.0, rel=1e-3)
    assert m.beta_ == pytest.approx(1.0, rel=1e-3)
    assert m.survival_function(4) == pytest.approx(1 / 5, rel=1e-3)
    assert m.retention_rate([1, 2, 9]).to_numpy() == pytest.approx([1 / 2, 2 / 3, 9 / 10], rel=1e-3)
    z = 1 / 1.1
    assert m.derl(0.10) == pytest.approx((-math.log(1 - z) - z) / z**2, rel=1e-3)


def test_mean_lifetime_diverges_when_alpha_is_at_most_one():
    m = ShiftedBetaGeometric().fit(PAPER["regular"]["survivors"])  # α = 0.704
    assert m.expected_remaining_lifetime(0) == math.inf
    assert math.isfinite(m.expected_remaining_lifetime(0, horizon=30))


def test_expected_remaining_lifetime_closed_form_and_horizon():
    m = ShiftedBetaGeometric().fit(expected_survivors(3.0, 4.0, 12))
    assert m.alpha_ == pytest.approx(3.0, rel=1e-3)
    for renewals in (0, 3, 10):
        closed = (m.beta_ + renewals) / (m.alpha_ - 1)
        assert m.expected_remaining_lifetime(renewals) == pytest.approx(closed, rel=1e-12)
        assert m.expected_remaining_lifetime(renewals, horizon=20_000) == pytest.approx(closed, rel=1e-3)
    assert m.expected_remaining_lifetime(0, horizon=1) == pytest.approx(m.survival_function(1))


@pytest.mark.parametrize("case", sorted(PAPER))
def test_derl_hypergeometric_and_sum_agree_and_del_is_2f1(case):
    m = ShiftedBetaGeometric().fit(PAPER[case]["survivors"])
    renewals = np.arange(0, 11)
    for d in (0.05, 0.10, 0.25):
        assert m.derl(d, renewals, method="sum") == pytest.approx(
            m.derl(d, renewals, method="hypergeometric"), rel=1e-9
        )
        z = 1 / (1 + d)
        assert m.discounted_expected_lifetime(d) == pytest.approx(
            special.hyp2f1(1, m.beta_, m.alpha_ + m.beta_, z), rel=1e-9
        )
    # a higher discount rate values the future less; a longer tenure means a more loyal customer
    assert m.derl(0.25) < m.derl(0.10)
    assert np.all(np.diff(m.derl(0.10, renewals)) > 0)


# --------------------------------------------------------------------------- validation and the boundary


@pytest.mark.parametrize(
    "survivors, message",
    [
        ([1000, 800, 850, 600], "must not increase"),
        ([1000, 800], "T ≥ 2"),
        ([1000, 1000, 1000], "no customer of the cohort churned"),
        ([0, 0, 0], "must be positive"),
        ([1000, -5, -10], "negative"),
        ([1000, np.nan, 500], "finite"),
    ],
)
def test_fit_rejects_data_with_the_statistical_reason(survivors, message):
    with pytest.raises(ValueError, match=message):
        ShiftedBetaGeometric().fit(survivors)


def test_fit_lifetimes_rejects_impossible_lifetimes():
    m = ShiftedBetaGeometric()
    with pytest.raises(ValueError, match="exceed her entry"):
        m.fit_lifetimes([3, 5], [True, False], entry=[3, 1])
    with pytest.raises(ValueError, match="fewer than two periods"):
        m.fit_lifetimes([1, 1, 1], [True, False, False])
    with pytest.raises(ValueError, match="whole periods"):
        m.fit_lifetimes([1.5, 2], [True, False])
    with pytest.raises(RuntimeError, match="not fitted"):
        ShiftedBetaGeometric().survival_function(3)


def test_homogeneous_customers_reach_the_geometric_boundary():
    """Constant retention 0.8: no heterogeneity to estimate; the fit says so and
    still gives the geometric answers (DERL = r / (1 − r z))."""
    surv = 1e5 * 0.8 ** np.arange(8)
    with pytest.warns(RuntimeWarning, match="constant churn rate"):
        m = ShiftedBetaGeometric().fit(surv)
    assert m.at_boundary_
    assert m.mean_churn_probability_ == pytest.approx(0.2, rel=1e-4)
    assert m.retention_rate([1, 5, 20]).to_numpy() == pytest.approx([0.8] * 3, rel=1e-4)
    assert m.summary["se(coef)"].isna().all()
    z = 1 / 1.1
    assert m.derl(0.10) == pytest.approx(0.8 / (1 - 0.8 * z), rel=1e-4)
    draws = m.sample_parameters(200, np.random.default_rng(0))
    assert np.all(np.isfinite(draws)) and np.std(draws[:, 0] / draws.sum(axis=1)) > 0


# --------------------------------------------------------------------------- the bank: lifetimes


def _bank(customers: pd.DataFrame, first_month: str, M: str) -> Bank:
    """A minimal bank: tenure_lifetimes reads customers and the snapshots' months."""
    snaps = pd.DataFrame({"customer_id": customers["customer_id"], "month": pd.Timestamp(first_month)})
    return Bank("x", {"customers": customers, "monthly_snapshots": snaps}, Timeframe(pd.Timestamp(M)))


def test_tenure_lifetimes_truncate_and_censor_on_whole_years():
    c = pd.DataFrame(
        {
            "customer_id": list("abcdef"),
            "open_date": pd.to_datetime(
                ["2020-03-01", "2020-03-01", "2020-03-01", "2025-01-10", "2025-01-10", "2026-01-01"]
            ),
            "close_date": pd.to_datetime([None, "2025-06-01", "2024-02-01", None, "2026-05-01", None]),
            "segment": "mass",
        }
    )
    lt = tenure_lifetimes(_bank(c, "2024-01-01", "2026-06-01")).set_index("customer_id")
    # a: 3.8 years at data start → followed from anniversary 4 to 6 (6.3 years at as_of)
    assert lt.loc["a", ["entry", "duration", "churned"]].tolist() == [4, 6, False]
    # b: closed at 5.25 years → left in year 6
    assert lt.loc["b", ["entry", "duration", "churned"]].tolist() == [4, 6, True]
    # c: closed before her first anniversary inside the data → not followed (left truncation)
    assert "c" not in lt.index
    # d: opened inside the data, 1.47 years at as_of
    assert lt.loc["d", ["entry", "duration", "churned"]].tolist() == [0, 1, False]
    # e: closed after her last anniversary before as_of → only known to have survived year 1
    assert lt.loc["e", ["entry", "duration", "churned"]].tolist() == [0, 1, False]
    # f: no whole year of tenure yet
    assert "f" not in lt.index


def test_left_truncated_lifetimes_recover_the_planted_sbg():
    """Customers opened over 22 years, seen only from 2024-01 to 2026-06: the
    truncated likelihood recovers α and β; ignoring the truncation does not."""
    rng = np.random.default_rng(0)
    n, alpha, beta = 40_000, 0.9, 3.0
    open_days = rng.integers(0, (pd.Timestamp("2026-05-01") - pd.Timestamp("2004-01-01")).days, n)
    opened = pd.Timestamp("2004-01-01") + pd.to_timedelta(open_days, unit="D")
    theta = rng.beta(alpha, beta, n)
    T = np.minimum(rng.geometric(theta), 200)  # beyond 200 years a customer outlives the data anyway
    closed = opened + pd.to_timedelta((T - 1 + rng.uniform(size=n)) * 365.25, unit="D")
    start, as_of = pd.Timestamp("2024-01-01"), pd.Timestamp("2026-06-30")
    seen = closed >= start  # who closed before the data begin is not in the data
    c = pd.DataFrame(
        {
            "customer_id": np.arange(n).astype(str),
            "open_date": opened,
            "close_date": pd.Series(closed).where(closed <= as_of),
            "segment": "mass",
        }
    )[seen]
    lt = tenure_lifetimes(_bank(c.reset_index(drop=True), "2024-01-01", "2026-06-01"))
    m = ShiftedBetaGeometric(confidence=0.99).fit_lifetimes(lt["duration"], lt["churned"], entry=lt["entry"])
    s = m.summary
    assert s.loc["alpha", "coef lower 99%"] < alpha < s.loc["alpha", "coef upper 99%"]
    assert s.loc["beta", "coef lower 99%"] < beta < s.loc["beta", "coef upper 99%"]
    naive = ShiftedBetaGeometric(confidence=0.99).fit_lifetimes(lt["duration"], lt["churned"]).summary
    assert not naive.loc["alpha", "coef lower 99%"] < alpha < naive.loc["alpha", "coef upper 99%"]
    # the observed life table follows the true survival curve
    table = life_table(lt, "segment").set_index("period")
    truth = np.exp(special.betaln(alpha, beta + table.index.to_numpy()) - special.betaln(alpha, beta))
    assert np.max(np.abs(table["survival"].to_numpy()[:15] - truth[:15])) < 0.03


# --------------------------------------------------------------------------- the bank: CLV


@pytest.fixture(scope="module")
def segment_clv(bank_a):
    return analyze(bank_a, Assumptions(discount_rate=0.10))


def test_clv_by_segment_on_the_conformance_bank(bank_a, segment_clv):
    t = segment_clv.table
    assert list(t.index) == ["mass", "affluent", "high_net_worth", "sme"]
    # high net worth: 6 churns in fixture-a, fewer than the 10 the fit needs
    assert t.loc["high_net_worth", "status"] == "skipped"
    assert t.loc["high_net_worth", "reason_kind"] == "few_churns"
    assert "high_net_worth" in segment_clv.skipped and "high_net_worth" not in segment_clv.fits
    ok = t[t["status"] == "ok"]
    assert {"mass", "affluent"} <= set(ok.index)
    assert ok["clv"].to_numpy() == pytest.approx((ok["margin_12m"] * ok["derl"]).to_numpy())
    assert (ok["clv_ci_low"] <= ok["clv"]).all() and (ok["clv"] <= ok["clv_ci_high"]).all()
    assert ((ok["retention_next_year"] > 0) & (ok["retention_next_year"] < 1)).all()

    # the annual margin: mean revenue_12m of the segment's active customers present all 12 months
    tf = bank_a.timeframe
    s = bank_a.monthly_snapshots
    months = s[(s["month"] >= tf.t0) & (s["month"] <= tf.M)].groupby("customer_id")["month"].nunique()
    rev = value_base(bank_a).set_index("customer_id")["revenue_12m"]
    c = bank_a.customers.set_index("customer_id")
    mass = [i for i in active_customer_ids(bank_a) if c.loc[i, "segment"] == "mass" and months.get(i, 0) == 12]
    assert t.loc["mass", "margin_12m"] == pytest.approx(rev.loc[mass].mean())
    assert t.loc["mass", "active_customers"] == sum(c.loc[list(active_customer_ids(bank_a)), "segment"] == "mass")


def test_clv_rises_as_the_discount_rate_falls(bank_a, segment_clv):
    low = analyze(bank_a, Assumptions(discount_rate=0.05))
    assert (low.table.loc["mass", "clv"]) > segment_clv.table.loc["mass", "clv"]
    with pytest.raises(ValueError, match="annual rate"):
        analyze(bank_a, Assumptions(discount_rate=0.0))
    with pytest.raises(UsageError, match="discount_rate"):
        Assumptions(discount_rate=10)


def test_small_groups_are_skipped_with_the_reason(bank_a):
    r = analyze(bank_a, min_customers=600)
    assert r.table.loc["affluent", "reason_kind"] == "few_customers"
    assert "at least 600" in r.skipped["affluent"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_clv_prose_reads_this_branchs_numbers(segment_clv, lang):
    text = "\n".join(describe_clv(segment_clv, lang))
    t = segment_clv.table
    assert f"{t.loc['mass', 'retention_next_year']:.1%}" in text
    assert "10%" in text  # the discount rate is stated
    assert ("只观察到6次流失" if lang == "zh" else "only 6 churns observed") in text
    shown = clv_table(segment_clv, lang)
    assert len(shown) == len(t)
    numeric = [c for c in shown.columns if c in shown.attrs["formats"]]
    assert len(numeric) == len(shown.columns) - 1  # every column but the note is a number
    assert all(pd.api.types.is_numeric_dtype(shown[c]) for c in numeric)


def test_a_fit_shows_itself_in_a_notebook():
    assert "not fitted" in ShiftedBetaGeometric()._repr_html_()
    html = ShiftedBetaGeometric(label="regular").fit(PAPER["regular"]["survivors"])._repr_html_()
    assert "regular" in html and "<table" in html and "se(coef)" in html
