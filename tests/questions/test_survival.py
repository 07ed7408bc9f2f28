"""Survival: the Cox engine against the published Rossi fit, Kaplan–Meier with
delayed entry against hand counts, lifetimes of a hand-made bank, and the
branch's Cox model on the churn drivers."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from lifelines.datasets import load_rossi  # noqa: E402
from scipy.stats import norm  # noqa: E402
from test_churn import hand_bank  # noqa: E402

from analysis.figures import survival as survival_figures  # noqa: E402
from analysis.questions import churn, survival  # noqa: E402
from analysis.stats import survival as estimators  # noqa: E402
from analysis.words import survival as words  # noqa: E402

# Rossi et al. (1980) recidivism data; Cox PH with Efron ties, as published in
# lifelines' and R survival's documentation (coef, s.e. where given).
ROSSI = {
    "fin": (-0.3794, 0.1914),
    "age": (-0.0574, 0.0220),
    "race": (0.3139, None),
    "wexp": (-0.1498, None),
    "mar": (-0.4337, None),
    "paro": (-0.0849, None),
    "prio": (0.0915, 0.0286),
}
ROSSI_LL = -658.75


def test_cox_engine_reproduces_rossi():
    r = estimators.fit_cox(load_rossi(), "week", "arrest")
    coef = np.log(r.hazard_ratios["hazard_ratio"])
    se = r.fitter.summary["se(coef)"]
    for k, (b, s) in ROSSI.items():
        assert coef[k] == pytest.approx(b, abs=6e-5), k
        if s is not None:
            assert se[k] == pytest.approx(s, abs=6e-5), k
    assert r.log_likelihood == pytest.approx(ROSSI_LL, abs=6e-3)
    assert r.n == 432 and r.events == 114
    # intervals are exp(coef ± z se), z the normal quantile of the 95 % interval
    z = norm.ppf(0.975)
    assert r.hazard_ratios.at["fin", "ci_low"] == pytest.approx(math.exp(-0.3794 - z * 0.1914), rel=1e-3)
    # the PH check covers every covariate; Rossi's age and wexp are the known offenders
    assert set(r.ph_test.index) == set(ROSSI)
    assert r.ph_test.at["age", "p_value"] < 0.05 and r.ph_test.at["fin", "p_value"] > 0.05
    assert "age" in r.ph_violations


def test_cox_refuses_what_it_cannot_fit():
    df = pd.DataFrame({"t": [1.0, 2, 3, 4, 5, 6], "e": [1, 1, 1, 0, 0, 0], "x": [1.0, 1, 1, 0, 0, 0]})
    with pytest.raises(estimators.CoxModelError, match="converge"):
        estimators.fit_cox(df, "t", "e")


def _life(rows):
    return pd.DataFrame(rows, columns=["entry", "duration", "event"]).assign(segment="mass")


def test_kaplan_meier_with_delayed_entry_matches_hand_counts():
    # c1 (0, 1, left), c2 (0, 2, stays), c3 (0, 3, left), c4 and c5 enter at 2.5
    life = _life([(0, 1, True), (0, 2, False), (0, 3, True), (2.5, 4, False), (2.5, 5, False)])
    cur = survival.retention_curves(life, "segment", min_group=1)
    s = cur.set_index("years")["retention"]
    # t = 1: at risk c1, c2, c3 (c4, c5 not yet seen) → 1 − 1/3
    assert s[1.0] == pytest.approx(2 / 3)
    # t = 3: at risk c3, c4, c5 → × (1 − 1/3)
    assert s[3.0] == pytest.approx(2 / 3 * 2 / 3)
    med = survival.median_lifetime(life, "segment", min_group=1)
    assert med.at["mass", "median_years"] == 3.0
    assert med.at["mass", "customers"] == 5 and med.at["mass", "leavers"] == 2
    # ignoring the late entry would count c4 and c5 at risk from 0
    naive = survival.retention_curves(life.assign(entry=0.0), "segment", min_group=1).set_index("years")["retention"]
    assert naive[1.0] == pytest.approx(4 / 5)


def test_falls_back_when_the_early_risk_set_empties():
    # the only early customer leaves at 1; three enter at 2: Kaplan–Meier is undefined after 1
    life = _life([(0, 1, True), (2, 4, False), (2, 5, True), (2, 6, False)])
    cur = survival.retention_curves(life, "segment", min_group=1)
    assert set(cur["estimator"]) == {"breslow_fleming_harrington"}
    s = cur.set_index("years")["retention"]
    # exp(−Nelson–Aalen): at 1, exp(−1/1); at 5, × exp(−1/2)
    assert s[1.0] == pytest.approx(math.exp(-1)) and s[5.0] == pytest.approx(math.exp(-1.5))
    assert (cur["ci_low"] <= cur["retention"]).all() and (cur["retention"] <= cur["ci_high"]).all()
    med = survival.median_lifetime(life, "segment", min_group=1)
    assert med.at["mass", "estimator"] == "breslow_fleming_harrington"
    assert any("Breslow" in x for x in words.describe_survival(med, None, "en"))


def test_median_not_reached_is_infinite_and_shown_as_such():
    life = _life([(0, 1, True)] + [(0, 5, False)] * 9)
    med = survival.median_lifetime(life, "segment", min_group=1)
    assert math.isinf(med.at["mass", "median_years"]) and med.at["mass", "observed_years"] == 5
    shown = words.median_table(med, "en")
    assert math.isnan(shown.iloc[0]["Median years"]) and shown.iloc[0]["Longest seen (years)"] == 5.0
    html = shown.style.format(words.formats(shown)).to_html()
    assert "not reached" in html and "5.0" in html
    lines = words.describe_survival(med, None, "zh")
    assert "超过5.0年" in lines[1]


def test_lifetimes_of_the_hand_bank():
    bank = hand_bank()
    life = survival.lifetimes(bank).set_index("customer_id")
    # I opened after as_of; everyone else has a snapshot by M
    assert sorted(life.index) == list("ABCDEFGH")
    first = pd.Timestamp("2023-01-01")
    y = survival.DAYS_PER_YEAR

    def years(a, b):
        return (pd.Timestamp(b) - pd.Timestamp(a)).days / y

    # A: opened before the data begin → enters at the first month, censored at as_of
    assert life.at["A", "entry"] == pytest.approx(years("2020-05-10", first))
    assert life.at["A", "duration"] == pytest.approx(years("2020-05-10", "2024-12-31")) and not life.at["A", "event"]
    # B: closed in the window
    assert life.at["B", "duration"] == pytest.approx(years("2021-03-01", "2024-03-15")) and life.at["B", "event"]
    # C: opened during the data: no delayed entry
    assert life.at["C", "entry"] == 0
    # F: closes after as_of → still a customer at as_of (censored)
    assert life.at["F", "duration"] == pytest.approx(years("2022-01-01", "2024-12-31")) and not life.at["F", "event"]
    # D closed before t0 but within the data: a leaver of the retention curves
    assert life.at["D", "event"]
    assert (life["duration"] > life["entry"]).all()
    assert set(life["vip_tier"]) == {"none"}


@pytest.fixture(scope="module")
def cox_a(bank_a):
    a = churn.analyze(bank_a)
    return a, survival.cox_drivers(bank_a, a)


def test_cox_on_the_churn_drivers(bank_a, cox_a):
    a, cox = cox_a
    assert cox.n == a.counts["cohort_size"] and cox.events == a.counts["churned"]
    assert list(cox.hazard_ratios.index) == a.model.features_
    frame = survival.cox_frame(bank_a, a)
    assert frame["years"].max() == pytest.approx(365 / survival.DAYS_PER_YEAR)  # the window: 2025-07-01 … 2026-06-30
    assert (frame.loc[frame["left"] == 1, "years"] <= frame["years"].max()).all()
    # hazard and odds ratios agree in direction wherever the odds ratio is clearly away from 1
    ors = a.model.odds_ratios_
    for k in ors.index[ors["p_value"] < 0.01]:
        assert (cox.hazard_ratios.at[k, "hazard_ratio"] > 1) == (ors.at[k, "odds_ratio"] > 1), k
    assert set(cox.ph_test.index) == set(a.model.features_)


def test_cox_without_a_churn_model_says_why():
    bank = hand_bank()
    with pytest.raises(estimators.CoxModelError, match="5 customers"):
        survival.cox_drivers(bank, churn.analyze(bank))


def test_retention_curves_and_words_for_a_branch(bank_a, cox_a):
    _, cox = cox_a
    life = survival.lifetimes(bank_a)
    for by in ("segment", "vip_tier", "area"):
        cur = survival.retention_curves(life, by)
        assert set(cur["group"]) <= set(survival.GROUPS[by]) and len(cur["group"].unique()) >= 2
        assert ((cur["ci_low"] <= cur["retention"] + 1e-12) & (cur["retention"] <= cur["ci_high"] + 1e-12)).all()
        assert cur.groupby("group")["retention"].apply(lambda s: s.is_monotonic_decreasing).all()
    cur = survival.retention_curves(life, "segment")
    fig = survival_figures.plot_retention(cur, "zh")
    title = fig.axes[0].get_title(loc="left")
    r5 = survival.retention_at(cur, 5)
    assert f"{r5.max():.0%}" in title and f"{r5.min():.0%}" in title
    plt.close(fig)
    fig = survival_figures.plot_hazard_ratios(cox, "en")
    assert fig.axes[0].get_xscale() == "log" and fig.axes[0].get_title(loc="left")
    plt.close(fig)
    med = survival.median_lifetime(life, "segment")
    lines = words.describe_survival(med, cox, "en")
    assert any("left truncation" in x for x in lines)
    assert any(x.startswith("- ") and "hazard of leaving" in x for x in lines)
    assert any("Proportional-hazards check" in x for x in lines)


@pytest.mark.parametrize("ties", [False, True])
def test_scaled_schoenfeld_residuals_are_lifelines(ties):
    """The vectorised residuals equal lifelines' own (Efron ties), and so does the PH test."""
    from lifelines import CoxPHFitter
    from lifelines.statistics import proportional_hazard_test

    df = load_rossi()
    if ties:
        df = df.assign(week=(df["week"] // 8) * 8 + 1)  # many deaths share a time
    cph = CoxPHFitter().fit(df, "week", "arrest")
    ours = estimators.scaled_schoenfeld(cph, df, "week", "arrest")
    ref = cph.compute_residuals(df, kind="scaled_schoenfeld")
    # same rows; within tied times lifelines' order is arbitrary, so compare sorted by index
    pd.testing.assert_frame_equal(ours.sort_index(), ref.sort_index(), rtol=1e-9, check_names=False)
    lib = proportional_hazard_test(cph, df, time_transform="rank").summary
    mine = proportional_hazard_test(cph, df, time_transform="rank", precomputed_residuals=ours).summary
    np.testing.assert_allclose(mine["test_statistic"], lib["test_statistic"], rtol=1e-9)
