"""Churn: the contract's figures (conformance), the model's behaviour on
known data and on data it cannot fit, recovery of the sample bank's planted
odds ratios, a hand-counted fixture, loss factors, the at-risk list, the
sentences and the notebook."""

from __future__ import annotations

import json
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import statsmodels.api as sm  # noqa: E402

from analysis.assumptions import Assumptions  # noqa: E402
from analysis.data.bank import Bank  # noqa: E402
from analysis.data.cohorts import active_customer_ids, churn_cohort  # noqa: E402
from analysis.data.contract import AREAS, CLOSE_REASONS, SEGMENTS, VIP_TIERS  # noqa: E402
from analysis.data.features import COMPLAINT_DRIVERS, DRIVER_ORDER  # noqa: E402
from analysis.data.pseudonym import Pseudonymiser  # noqa: E402
from analysis.data.timeframe import Timeframe  # noqa: E402
from analysis.figures import churn as churn_figures  # noqa: E402
from analysis.questions import churn  # noqa: E402
from analysis.stats import logit  # noqa: E402
from analysis.words import churn as words  # noqa: E402
from analysis.words import churn_tables  # noqa: E402

FIGURES = ("cohort_size", "churned", "churn_rate_12m")
STATS = ("odds_ratio", "ci_low", "ci_high", "p_value")


# ---------------------------------------------------------------------------
# A hand-made bank: eight customers whose cohort membership is decided by hand


def _months(first: str, last: str) -> list[pd.Timestamp]:
    return list(pd.date_range(first, last, freq="MS"))


def hand_bank() -> Bank:
    """M = 2024-12 (as_of 2024-12-31, t0 2024-01-01, M−12 = 2023-12, M−18 = 2023-06);
    snapshots run to 2025-01, one month past M.

    A  open 2020, snapshots 2023-01…2025-01, never closed       → cohort, stays
    B  snapshots 2023-01…2024-03, closed 2024-03-15 (fees)      → cohort, churned
    C  opened 2023-07: no M−18 snapshot                         → not in cohort
    D  closed 2023-12-31, before t0 (service_quality)           → not in cohort
    E  closed 2024-01-01 = t0 (competitor_offer)                → cohort, churned
    F  closed 2025-01-05, after as_of                           → cohort, stays
    G  no snapshot in M−12 (2023-12)                            → not in cohort
    H  closed 2024-12-31 = as_of, no reason recorded            → cohort, churned
    I  opened 2025-01-10, after as_of                           → nowhere
    Cohort {A, B, E, F, H} = 5, churned {B, E, H} = 3.
    """
    spec = {
        # id: open, close, reason, destination, segment, area, snapshot months
        "A": ("2020-05-10", None, None, None, "mass", "urban", _months("2023-01", "2025-01")),
        "B": ("2021-03-01", "2024-03-15", "fees", "成都银行", "affluent", "county", _months("2023-01", "2024-03")),
        "C": ("2023-07-05", None, None, None, "mass", "rural", _months("2023-07", "2024-12")),
        "D": ("2019-01-01", "2023-12-31", "service_quality", None, "mass", "urban", _months("2023-01", "2023-12")),
        "E": (
            "2018-06-01",
            "2024-01-01",
            "competitor_offer",
            "乐山商业银行",
            "sme",
            "urban",
            _months("2023-01", "2024-01"),
        ),
        "F": ("2022-01-01", "2025-01-05", "relocation", None, "mass", "urban", _months("2023-01", "2025-01")),
        "G": (
            "2020-01-01",
            None,
            None,
            None,
            "mass",
            "urban",
            _months("2023-01", "2023-11") + _months("2024-01", "2024-12"),
        ),
        "H": ("2015-01-01", "2024-12-31", None, None, "high_net_worth", "urban", _months("2023-01", "2024-12")),
        "I": ("2025-01-10", None, None, None, "mass", "urban", _months("2025-01", "2025-01")),
    }
    cust = pd.DataFrame(
        {
            "customer_id": list(spec),
            "branch_id": "hand",
            "open_date": pd.to_datetime([v[0] for v in spec.values()]),
            "close_date": pd.to_datetime([v[1] for v in spec.values()]),
            "close_reason": pd.Categorical([v[2] for v in spec.values()], categories=CLOSE_REASONS),
            "destination_bank": pd.Series([v[3] for v in spec.values()], dtype=object),
            "birth_year": 1980,
            "gender": pd.Categorical(["F"] * len(spec), categories=["F", "M", "U"]),
            "area": pd.Categorical([v[5] for v in spec.values()], categories=AREAS),
            "segment": pd.Categorical([v[4] for v in spec.values()], categories=SEGMENTS),
            "vip_tier": pd.Categorical(["none"] * len(spec), categories=VIP_TIERS),
            "vip_since": pd.NaT,
            "rm_id": pd.Series([None] * len(spec), dtype=object),
        }
    )
    rows = [(cid, m) for cid, v in spec.items() for m in v[6]]
    snaps = pd.DataFrame(rows, columns=["customer_id", "month"])
    snaps = snaps.assign(
        deposit_balance=10_000.0,
        loan_balance=0.0,
        wealth_aum=0.0,
        products_held=2,
        txn_count=5,
        digital_active=True,
        revenue=100.0,
    )
    branches = pd.DataFrame(
        {"branch_id": ["hand"], "branch_name": ["手工支行"], "city": ["眉山"], "home_bank": ["中国建设银行"]}
    )
    tables = {"branches": branches, "customers": cust, "monthly_snapshots": snaps}
    return Bank("hand", tables, Timeframe(pd.Timestamp("2024-12-01")))


def test_hand_fixture_cohort_and_churn_counts():
    bank = hand_bank()
    co = churn_cohort(bank)
    assert sorted(co["customer_id"]) == ["A", "B", "E", "F", "H"]
    assert sorted(co.loc[co["churned"], "customer_id"]) == ["B", "E", "H"]
    assert churn.cohort_counts(co) == {"cohort_size": 5, "churned": 3, "churn_rate_12m": 0.6}
    a = churn.analyze(bank)
    assert a.counts == {"cohort_size": 5, "churned": 3, "churn_rate_12m": 0.6}
    # too small for the driver model: skipped, with the counts in the reason
    s = a.section().to_dict()
    assert s["status"] == "skipped" and "5 customers" in s["reason"]


def test_hand_fixture_needs_19_months():
    bank = hand_bank()
    snaps = bank.monthly_snapshots
    short = Bank("hand", {**bank.tables, "monthly_snapshots": snaps[snaps["month"] >= "2024-01-01"]}, bank.timeframe)
    s = churn.analyze(short).section().to_dict()
    assert s["status"] == "skipped" and "19 months" in s["reason"]


def test_too_few_churners_is_skipped(bank_a):
    s = churn.analyze(bank_a, min_events=400).section().to_dict()
    assert s["status"] == "skipped"
    assert "309 of the 2308" in s["reason"] and "400 churners" in s["reason"]


def test_hand_fixture_loss_factors():
    lf = churn.loss_factors(hand_bank())
    # leavers of the window: B (fees), E (competitor offer), H (no reason); F closes after as_of, D before t0
    assert sorted(lf.leavers["customer_id"]) == ["B", "E", "H"]
    t = lf.reasons_by_segment
    assert t.loc["fees", "affluent"] == 1 and t.loc["competitor_offer", "sme"] == 1
    assert t.loc["unknown", "high_net_worth"] == 1 and t["total"].sum() == 3
    d = lf.destinations_by_segment["total"]
    assert d.to_dict() == {"乐山商业银行": 1, "成都银行": 1, "unknown": 1}
    # every closure from the first snapshot month (2023-01) to as_of, by quarter
    q = lf.reasons_by_quarter
    assert list(q.index) == [f"{y}Q{k}" for y in (2023, 2024) for k in (1, 2, 3, 4)]
    assert q.loc["2023Q4", "service_quality"] == 1 and q.loc["2024Q1"].sum() == 2 and q.loc["2024Q4", "unknown"] == 1
    assert q.to_numpy().sum() == 4 and (lf.months_by_quarter == 3).all()
    lines = words.describe_loss_factors(lf, "en")
    assert "3 customers left" in lines[0] and "成都银行 (1)" in lines[1]


# ---------------------------------------------------------------------------
# Conformance: the contract's churn section, exactly


def _close(a: float, b: float, rel: float = 1e-4) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def _assert_conforms(section: dict, want: dict) -> list[str]:
    assert section["status"] == "ok", section
    for k in FIGURES:
        assert section[k] == want[k], (k, section[k], want[k])
    assert list(section["drivers"]) == list(want["drivers"])
    diffs = []
    for d, stats in want["drivers"].items():
        for s in STATS:
            got = section["drivers"][d][s]
            if not _close(got, stats[s]):
                diffs.append(f"{d}.{s}: {got} vs {stats[s]}")
    return diffs


@pytest.mark.parametrize("branch", ["fixture-a", "fixture-b"])
def test_churn_section_conforms(branch, good_banks, expected):
    bank = good_banks[branch]
    section = churn.analyze(bank).section().to_dict()
    assert _assert_conforms(section, expected[branch]["churn"]) == []
    assert 0.5 < section["auc_holdout"] < 1


@pytest.mark.parametrize("branch", ["fixture-a", "fixture-b"])
def test_churn_section_conforms_lean(branch, lean_banks, expected_lean):
    section = churn.analyze(lean_banks[branch]).section().to_dict()
    assert _assert_conforms(section, expected_lean[branch]["churn"]) == []
    # without interactions the complaint features drop out, and say so
    assert not set(COMPLAINT_DRIVERS) & set(section["drivers"])
    assert set(COMPLAINT_DRIVERS) <= set(section["left_out"])
    assert any("complaint" in line for line in words.describe_churn(section, "en"))


def test_holdout_auc_is_deterministic_and_a_refit(bank_a):
    a = churn.analyze(bank_a)
    y = a.cohort["churned"].astype(int).set_axis(a.features.index)
    assert churn.holdout_auc(a.features, y) == a.auc_holdout
    assert churn.holdout_auc(a.features, y, seed=1) != a.auc_holdout


# ---------------------------------------------------------------------------
# The model on known data


def _simulated(n=20_000, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"x": rng.normal(size=n), "d": rng.integers(0, 2, size=n).astype(float)})
    beta = np.array([-1.0, 0.7, -0.5])
    lp = beta[0] + beta[1] * X["x"] + beta[2] * X["d"]
    y = (rng.random(n) < 1 / (1 + np.exp(-lp))).astype(int)
    return X, y, beta


def test_model_recovers_known_coefficients_and_predicts():
    X, y, beta = _simulated()
    m = logit.LogitModel().fit(X, y)
    t = m.odds_ratios_
    for k, b in zip(("x", "d"), beta[1:]):
        assert t.at[k, "ci_low"] < math.exp(b) < t.at[k, "ci_high"]
    p = m.predict_proba(X.head(5))
    lp = m.coef_["const"] + X.head(5) @ m.coef_[["x", "d"]]
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-lp)))
    assert m.n_obs_ == len(X) and m.n_events_ == int(y.sum())
    # contributions are relative to the fitting sample's average customer
    np.testing.assert_allclose(m.contributions(X).mean(), 0, atol=1e-12)


def test_model_requires_fit():
    with pytest.raises(RuntimeError, match="not fitted"):
        logit.LogitModel().predict_proba(pd.DataFrame({"x": [1.0]}))


@pytest.mark.parametrize(
    "case, message",
    [
        ("missing", "missing values"),
        ("one_outcome", "same outcome"),
        ("constant", "same value for every customer"),
        ("collinear", "collinear"),
        ("separated", "separat"),
        ("quasi", "quasi-complete separation"),
    ],
)
def test_model_refuses_unidentified_data_with_a_reason(case, message):
    X, y, _ = _simulated(n=500, seed=1)
    y = pd.Series(y)
    if case == "missing":
        X.loc[3, "x"] = np.nan
    elif case == "one_outcome":
        y[:] = 0
    elif case == "constant":
        X["c"] = 1.0
    elif case == "collinear":
        X["x2"] = 2 * X["x"] - X["d"]
    elif case == "separated":
        y = (X["x"] > 0).astype(int)
    elif case == "quasi":
        y[X["d"] == 1] = 0
    with pytest.raises(logit.LogitError, match=message):
        logit.LogitModel(terms=churn.CHURN_TERMS).fit(X, y)


def test_set_aside_separation_gives_the_likelihood_limit():
    """No customer with d = 1 churned: the odds ratio of d is 0 (no MLE); the
    other coefficients are the limit the likelihood approaches as β_d → −∞."""
    X, y, _ = _simulated(n=3000, seed=2)
    y = pd.Series(y)
    y[X["d"] == 1] = 0
    m = churn.churn_model().fit(X, y)
    assert list(m.separated_) == ["d"] and m.separation_["d"] == {
        "value": 1,
        "outcome": 0,
        "rows": int((X["d"] == 1).sum()),
    }
    assert "all 15" not in m.separated_["d"] and "customers with d = 1 stayed" in m.separated_["d"]
    assert m.features_ == ["x"] and len(m.set_aside_) == int((X["d"] == 1).sum())
    # the full likelihood with β_d pinned far out: the other coefficients agree
    exog = sm.add_constant(X)
    full = sm.Logit(y, exog).fit_constrained("d = -30", disp=0)
    np.testing.assert_allclose(m.coef_[["const", "x"]], full.params[["const", "x"]], atol=1e-6)
    # separated customers are scored as at the other level, not as certain stayers
    assert m.predict_proba(X[X["d"] == 1]).between(0.01, 0.99).all()


def test_roc_auc_is_mann_whitney():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 200)
    s = np.round(rng.random(200), 1)  # many ties
    pairs = [(a, b) for a in s[y == 1] for b in s[y == 0]]
    brute = np.mean([1.0 if a > b else 0.5 if a == b else 0.0 for a, b in pairs])
    assert logit.roc_auc(y, s) == pytest.approx(brute, abs=1e-12)
    assert logit.roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]) == 1.0
    assert logit.roc_auc([0, 0, 1, 1], [0.4, 0.3, 0.2, 0.1]) == 0.0
    assert math.isnan(logit.roc_auc([1, 1], [0.1, 0.2]))


def test_design_matrix_leaves_out_empty_levels():
    f = pd.DataFrame({k: np.arange(6, dtype=float) % 2 for k in DRIVER_ORDER})
    f["segment[high_net_worth]"] = 0.0
    f["has_rm"] = 1.0
    X, left = churn.design_matrix(f)
    assert "segment[high_net_worth]" in left and "no customer" in left["segment[high_net_worth]"]
    assert "has_rm" in left
    assert list(X.columns) == [k for k in DRIVER_ORDER if k not in left]


# ---------------------------------------------------------------------------
# The sample bank: planted odds ratios recovered

# the actionable drivers with the largest planted effects
MAIN_DRIVERS = ("products_held", "digital_active", "complaints_12m", "unresolved_complaint")
STRONG = ("digital_active", "unresolved_complaint")


@pytest.fixture(scope="module")
def sample_analyses(sample_banks):
    return {b: churn.analyze(bank) for b, bank in sample_banks.items()}


def test_sample_bank_recovers_planted_odds_ratios(sample_analyses):
    from scipy.stats import chi2

    from analysis.sample.planted import CHURN

    assert len(sample_analyses) >= 2
    for branch, a in sample_analyses.items():
        s = a.section().to_dict()
        assert s["status"] == "ok", (branch, s)
        d = s["drivers"]
        for k in MAIN_DRIVERS:  # each planted value inside the estimated 95 % interval
            planted = CHURN.odds_ratios[k]
            assert d[k]["ci_low"] <= planted <= d[k]["ci_high"], (branch, k, planted, d[k])
        for k in STRONG:  # the large effects point the planted way
            assert (d[k]["odds_ratio"] > 1) == (CHURN.odds_ratios[k] > 1), (branch, k, d[k])
        # all estimated drivers jointly: Wald test of "the coefficients are the planted ones"
        res = a.model.result_
        keys = [k for k in a.model.features_]
        diff = res.params[keys] - np.log([CHURN.odds_ratios[k] for k in keys])
        stat = float(diff @ np.linalg.solve(res.cov_params().loc[keys, keys], diff))
        assert chi2.sf(stat, len(keys)) > 0.001, (branch, stat)


# ---------------------------------------------------------------------------
# At-risk list


@pytest.fixture(scope="module")
def churn_a(bank_a):
    return churn.analyze(bank_a)


def test_at_risk_list_ranks_active_customers_by_value_at_risk(bank_a, churn_a):
    ar = churn.at_risk_list(bank_a, churn_a)
    t = ar.table
    active = set(active_customer_ids(bank_a))
    assert set(t["customer_id"]) <= active and len(t) + ar.not_scored == len(active) == ar.active
    assert t["value_at_risk"].is_monotonic_decreasing
    np.testing.assert_allclose(t["value_at_risk"], t["p_churn"] * t["revenue_12m"])
    assert t["p_churn"].between(0, 1).all()
    assert all(set(ks) <= set(churn.ACTIONABLE) and len(ks) <= 3 for ks in t["risk_drivers"])
    # features at the current date: the snapshot of month M, complaints of the 12 months before M + 1
    M = bank_a.timeframe.M
    row = t.iloc[0]
    snap = bank_a.monthly_snapshots
    snap = snap[(snap["customer_id"] == row["customer_id"]) & (snap["month"] == M)].iloc[0]
    assert row["products_held"] == snap["products_held"]
    i = bank_a.interactions
    n = (
        (i["customer_id"] == row["customer_id"])
        & (i["type"] == "complaint")
        & (i["date"] >= M + pd.DateOffset(months=1) - pd.DateOffset(months=12))
        & (i["date"] < M + pd.DateOffset(months=1))
    ).sum()
    assert row["complaints_12m"] == n
    assert churn.at_risk_list(bank_a, churn_a, top=20).table.shape[0] == 20


def test_at_risk_table_shows_no_real_ids(bank_a, churn_a):
    ar = churn.at_risk_list(bank_a, churn_a)
    pseud = Pseudonymiser(b"test-key", "argument")
    for lang in ("zh", "en"):
        shown = churn_tables.at_risk_table(ar, pseud, lang, top=20)
        text = shown.to_csv()
        assert len(shown) == 20
        assert not any(cid in text for cid in ar.table["customer_id"].head(50))
        assert shown.iloc[:, 0].str.match(r"^C-[0-9a-f]{12}$").all()
    private = churn_tables.at_risk_table(ar, pseud, "zh", top=None, with_ids=True)
    assert list(private["customer_id"]) == list(ar.table["customer_id"])
    lines = words.describe_at_risk(ar, "derived", "zh")
    assert any("QVSRS_PSEUDONYM_KEY" in s for s in lines) and any("private" in s for s in lines)


def test_at_risk_needs_a_model():
    a = churn.analyze(hand_bank())
    with pytest.raises(logit.LogitError):
        churn.at_risk_list(hand_bank(), a)


# ---------------------------------------------------------------------------
# Findings in words


def _section(**ors) -> dict:
    drivers = {}
    for k, (orr, lo, hi, p) in ors.items():
        drivers[k] = {"odds_ratio": orr, "ci_low": lo, "ci_high": hi, "p_value": p}
    return {
        "status": "ok",
        "cohort_size": 1000,
        "churned": 120,
        "churn_rate_12m": 0.12,
        "drivers": drivers,
        "auc_holdout": 0.71,
        "left_out": {},
    }


def test_describe_churn_names_the_three_actionable_drivers_by_size():
    s = _section(
        unresolved_complaint=(2.6, 1.6, 4.2, 0.001),
        digital_active=(0.5, 0.35, 0.7, 0.0001),  # not being digital: × 2.0
        products_held=(0.9, 0.82, 0.99, 0.02),  # each product fewer: × 1.11
        vip=(0.6, 0.3, 1.2, 0.15),  # not significant
        age=(0.98, 0.97, 0.99, 0.001),  # significant but not actionable
        has_rm=(1.5, 1.1, 2.0, 0.01),  # significant, unexpected direction: × 1.5
    )
    zh = words.describe_churn(s, "zh")
    bullets = [x for x in zh if x.startswith("- ")]
    assert len(bullets) == 3
    assert "投诉未在30天内解决的客户流失几率是其他客户的2.6倍" in bullets[0]
    assert "不使用手机银行或网银的客户" in bullets[1] and "2.0倍" in bullets[1]
    assert "配有客户经理的客户" in bullets[2] and "1.5倍" in bullets[2]
    assert any("VIP客户" in x and "没有显示出可靠的影响" in x for x in zh)
    assert any("年龄" in x and "无法改变" in x for x in zh)
    assert any("12.0%" in x for x in zh) and any("0.71" in x for x in zh)
    en = words.describe_churn(s, "en")
    assert any("have 2.6 times the odds of leaving" in x for x in en)


def test_describe_churn_is_honest_when_nothing_is_significant():
    s = _section(digital_active=(0.9, 0.6, 1.3, 0.5), products_held=(0.97, 0.9, 1.05, 0.4))
    zh = words.describe_churn(s, "zh")
    assert not any(x.startswith("- ") for x in zh)
    assert any("都没有显示出可靠的影响" in x for x in zh)
    one = _section(digital_active=(0.5, 0.35, 0.7, 0.001), products_held=(0.97, 0.9, 1.05, 0.4))
    assert any("只有1个" in x for x in words.describe_churn(one, "zh"))


def test_effect_sentence_in_plain_units():
    # a balance that halves: OR per unit of log change ** −ln 2
    d = {"odds_ratio": 0.5, "ci_low": 0.25, "ci_high": 1.0, "p_value": 0.04}
    f, lo, hi, s = churn.risk_factor("balance_trend", d)
    half = math.log(2)
    assert s == -1 and f == pytest.approx(2**half) and lo == pytest.approx(1.0) and hi == pytest.approx(4**half)
    assert "减半" in words.effect_sentence("balance_trend", d, "zh")
    assert "products_held" not in words.effect_sentence("products_held", {**d, "ci_high": 0.9}, "en")


def test_key_findings_for_the_director(bank_a, churn_a):
    s = churn_a.section()  # the typed section reads as its results.json mapping
    lf = churn.loss_factors(bank_a)
    ar = churn.at_risk_list(bank_a, churn_a)
    zh = words.key_findings(s, lf, ar, "zh")
    # the numbers: rate, cohort and churners; then the three drivers to act on, strongest first
    assert all(x in zh[0] for x in ("13.4%", "2,308", "309", "流失率"))
    drivers = ["未使用手机银行/网银", "投诉逾30天未解决", "非VIP"]
    assert [zh[1].index(d) for d in drivers] == sorted(zh[1].index(d) for d in drivers)
    assert all(f"×{x}" in zh[1] for x in ("2.4", "2.2", "2.1"))
    assert "服务质量" in zh[2] and "乐山商业银行" in zh[2] and "private/" in zh[3]
    assert words.key_findings({"status": "skipped", "reason": "x"}, None, None, "en") == []


def test_describe_churn_skipped():
    (sentence,) = words.describe_churn({"status": "skipped", "reason": "too few"}, "en")
    assert "churn analysis" in sentence and "not run" in sentence and sentence.endswith("too few.")


def test_figures_have_manager_titles(bank_a, churn_a):
    s = churn_a.section().to_dict()
    lf = churn.loss_factors(bank_a)
    figs = [
        churn_figures.plot_drivers(s, "zh"),
        churn_figures.plot_loss_reasons(lf, "en"),
        churn_figures.plot_destinations(lf, bank_a.branch["home_bank"], "zh"),
        churn_figures.plot_reasons_over_time(lf, "en"),
    ]
    titles = [f.axes[0].get_title(loc="left") for f in figs]
    assert titles[0] == "不使用手机银行或网银的客户流失几率是其他客户的2.4倍"
    assert all(titles) and "Service quality" in titles[1]
    assert figs[0].axes[0].get_xscale() == "log"
    for f in figs:
        plt.close(f)


# ---------------------------------------------------------------------------
# The notebook


def test_notebook_is_committed_clean(committed_clean):
    committed_clean("02_churn")


def _run_notebook(run_notebook, tmp_path, data_dir, branch, monkeypatch, lang="zh"):
    monkeypatch.setenv("QVSRS_PSEUDONYM_KEY", "a-test-secret")
    out_dir = tmp_path / "run"
    nb = run_notebook("02_churn", tmp_path, data_dir=str(data_dir), branch=branch, out_dir=str(out_dir), lang=lang)
    return out_dir, nb


@pytest.mark.slow
def test_notebook_writes_section_figures_and_private_list(
    tmp_path, conformance_dir, expected, monkeypatch, run_notebook
):
    out_dir, nb = _run_notebook(run_notebook, tmp_path, conformance_dir / "good", "fixture-a", monkeypatch)
    section = json.loads((out_dir / "sections" / "churn.json").read_text(encoding="utf-8"))
    assert _assert_conforms(section, expected["fixture-a"]["churn"]) == []
    figs = {p.name for p in (out_dir / "figures").glob("churn_*.png")}
    assert {
        "churn_drivers.png",
        "churn_retention_segment.png",
        "churn_retention_vip_tier.png",
        "churn_retention_area.png",
        "churn_hazard_ratios.png",
        "churn_loss_reasons.png",
        "churn_destinations.png",
    } <= figs
    private = pd.read_csv(out_dir / "private" / "at_risk_customers.csv", dtype=str)
    assert len(private) > 1000 and private["customer_id"].str.fullmatch(r"\d{8}").all()
    # no real identifier anywhere in the notebook's output or the shared tables
    outputs = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    shared = "".join(p.read_text(encoding="utf-8-sig") for p in (out_dir / "tables").glob("*.csv"))
    ids = set(private["customer_id"])
    assert not any(cid in outputs or cid in shared for cid in ids)
    assert "QVSRS_PSEUDONYM_KEY is not set" not in outputs  # the key came from the environment


@pytest.mark.slow
def test_notebook_runs_lean(tmp_path, conformance_dir, expected_lean, monkeypatch, run_notebook):
    out_dir, _ = _run_notebook(run_notebook, tmp_path, conformance_dir / "lean", "fixture-b", monkeypatch, lang="en")
    section = json.loads((out_dir / "sections" / "churn.json").read_text(encoding="utf-8"))
    assert _assert_conforms(section, expected_lean["fixture-b"]["churn"]) == []
    assert (out_dir / "private" / "at_risk_customers.csv").is_file()


@pytest.mark.slow
def test_notebook_runs_to_the_end_when_churn_is_skipped(tmp_path, conformance_dir, monkeypatch, run_notebook):
    monkeypatch.delenv("QVSRS_PSEUDONYM_KEY", raising=False)
    out_dir = tmp_path / "run"
    # as of 2025-03 the data (from 2024-01) do not reach back to M−18: no cohort
    run_notebook(
        "02_churn",
        tmp_path,
        data_dir=str(conformance_dir / "good"),
        branch="fixture-b",
        as_of="2025-03",
        out_dir=str(out_dir),
        lang="en",
    )
    section = json.loads((out_dir / "sections" / "churn.json").read_text(encoding="utf-8"))
    assert section["status"] == "skipped" and "19 months" in section["reason"]
    assert (out_dir / "figures" / "churn_retention_segment.png").is_file()
    assert not (out_dir / "private").exists()


def test_top_drivers_largest_first_above_the_floor():
    push = pd.DataFrame({"a": [0.2, 0.01, 0.3], "b": [0.5, 0.02, 0.3], "c": [0.06, 0.0, 0.9], "d": [0.1, 0.04, 0.04]})
    assert churn.top_drivers(push, 0.05, 3) == [["b", "a", "d"], [], ["c", "a", "b"]]


# ---------------------------------------------------------------------------
# The typed section, the estimator's summary and the assumptions


def test_section_is_typed_and_reads_as_results_json(churn_a):
    section = churn_a.section()
    assert isinstance(section, churn.ChurnSection)
    d = section.to_dict()
    assert list(d)[:6] == ["status", "cohort_size", "churned", "churn_rate_12m", "drivers", "auc_holdout"]
    assert "separated" not in d and "auc_note" not in d  # absent, not null, when there is nothing to say
    assert words.describe_churn(section, "en") == words.describe_churn(d, "en")
    s = churn_a.model.summary
    assert list(s.columns) == ["coef", "exp(coef)", "se", "z", "p", "ci_low", "ci_high"]
    np.testing.assert_allclose(s.loc[churn_a.model.features_, "exp(coef)"], churn_a.model.odds_ratios_["odds_ratio"])
    assert "<table" in churn_a.model._repr_html_() and "rows" in repr(churn_a.model)


def test_briefing_prints_the_notebooks_sentences(churn_a):
    from analysis.report.context import make_context
    from analysis.words.prose import DESCRIBE

    d = churn_a.section().to_dict()
    (paragraph,) = DESCRIBE["churn"](make_context({"churn": d}, "en"))
    assert paragraph == [line.removeprefix("- ") for line in words.describe_churn(d, "en")]


def test_assumptions_change_the_figures_and_labels_that_depend_on_them(bank_a, churn_a):
    strict = churn.analyze(bank_a, Assumptions(alpha=0.01)).section().to_dict()
    base = churn_a.section().to_dict()
    for k, d in base["drivers"].items():  # same estimates, wider intervals
        assert strict["drivers"][k]["odds_ratio"] == pytest.approx(d["odds_ratio"], rel=1e-12)
        assert strict["drivers"][k]["ci_low"] < d["ci_low"] and strict["drivers"][k]["ci_high"] > d["ci_high"]
    assert any("p < 0.01" in x for x in words.describe_churn(strict, "en", Assumptions(alpha=0.01)))
    a14 = Assumptions(unresolved_days=14)
    quick = churn.analyze(bank_a, a14)
    assert quick.features["unresolved_complaint"].sum() > churn_a.features["unresolved_complaint"].sum()
    assert "14 days" in words.driver_label("unresolved_complaint", "en", a14)
    assert "30 days" in words.driver_label("unresolved_complaint", "en")
