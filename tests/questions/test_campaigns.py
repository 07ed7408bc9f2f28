"""Campaigns (analysis.questions.campaigns, words.campaigns, figures.campaigns):
contract figures, planted effects, notebook."""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

import analysis
from analysis.assumptions import Assumptions
from analysis.data.bank import branch_ids
from analysis.errors import UsageError
from analysis.questions import campaign_effects as E
from analysis.questions import campaigns as C
from analysis.questions import economics
from analysis.questions import verdicts as V
from analysis.questions.campaigns import CampaignWindow, analyze, balance_change, rank_uncertainty
from analysis.run import results
from analysis.sample import planted
from analysis.stats.decay import Decay, effect_decay
from analysis.stats.experiments import complier_effect, diff_in_means, diff_in_proportions
from analysis.words.campaigns import describe_campaigns, describe_verdicts
from analysis.words.format import money, num


def campaigns_section(bank) -> dict:
    return analyze(bank, with_did=False, with_heterogeneity=False).section().to_dict()


def _close_interval(got: dict, want: dict) -> None:
    width = want["ci_high"] - want["ci_low"]
    assert got["estimate"] == pytest.approx(want["estimate"], rel=1e-9, abs=1e-12)
    assert got["ci_low"] == pytest.approx(want["ci_low"], abs=1e-4 * width)
    assert got["ci_high"] == pytest.approx(want["ci_high"], abs=1e-4 * width)


# -- the contract: conformance bank ------------------------------------------


@pytest.fixture(scope="module")
def sections(bank_a, bank_b):
    return {"fixture-a": campaigns_section(bank_a), "fixture-b": campaigns_section(bank_b)}


@pytest.fixture(scope="module")
def margins(bank_a, bank_b):
    return {"fixture-a": economics.analyze(bank_a), "fixture-b": economics.analyze(bank_b)}


@pytest.mark.parametrize("branch", ["fixture-a", "fixture-b"])
def test_economics_conformance(margins, expected, branch):
    got, want = margins[branch].section().to_dict(), expected[branch]["economics"]
    assert got["status"] == "ok" and got["customers"] == want["customers"]
    for key in ("funds_margin", "loan_margin"):
        g, w = got[key], want[key]
        # regression coefficients to about four significant figures, intervals to a small share of their width
        assert g["estimate"] == pytest.approx(w["estimate"], rel=1e-4)
        width = w["ci_high"] - w["ci_low"]
        assert g["ci_low"] == pytest.approx(w["ci_low"], abs=1e-3 * width)
        assert g["ci_high"] == pytest.approx(w["ci_high"], abs=1e-3 * width)
        assert g["p_value"] == pytest.approx(w["p_value"], abs=1e-12)


@pytest.mark.parametrize("branch", ["fixture-a", "fixture-b"])
def test_conformance(sections, margins, expected, good_banks, branch):
    got, want = sections[branch], expected[branch]["campaigns"]
    assert got["status"] == "ok"
    ids = [k for k in got if k not in ("status", "_merge")]
    assert ids == list(want)
    margin = margins[branch].funds_margin["estimate"]
    for cid, w in want.items():
        g = got[cid]
        assert g["design"] == w["design"]
        assert "roi" not in g  # schema 2 renamed it business_roi
        assert g["verdict"] in V.VERDICTS and "reason" not in g
        if w["design"] == "randomized":
            assert (g["n_treatment"], g["n_control"]) == (w["n_treatment"], w["n_control"])
            _close_interval(g["response_ate"], w["response_ate"])
            _close_interval(g["balance_effect"], w["balance_effect"])
            assert g["business_roi"] == pytest.approx(w["business_roi"], rel=1e-9)
            # profit from the fitted margin: to its four significant figures
            for k in ("estimate", "ci_low", "ci_high"):
                assert g["profit_12m"][k] == pytest.approx(w["profit_12m"][k], rel=1e-4)
            assert g["profit_roi"] == pytest.approx(w["profit_roi"], rel=1e-4, abs=1e-4)
        else:
            assert (g["n_participants"], g["n_comparison"]) == (w["n_participants"], w["n_comparison"])
            assert g["naive_balance_difference"] == pytest.approx(w["naive_balance_difference"], rel=1e-9)
            be = g["balance_effect"]
            assert be["ci_low"] < be["estimate"] < be["ci_high"] and "AIPW" in be["method"]
            # the adjustment removes much of what the naive difference credits to the campaign
            assert be["estimate"] < 0.6 * w["naive_balance_difference"]
            # a targeted campaign's profit: its own balance effect × participants × funds margin
            n = g["n_participants"]
            for k in ("estimate", "ci_low", "ci_high"):
                assert g["profit_12m"][k] == pytest.approx(be[k] * n * margin, rel=1e-12)
            cost = float(good_banks[branch].campaigns.set_index("campaign_id").at[cid, "cost"])
            assert g["profit_roi"] == pytest.approx((g["profit_12m"]["estimate"] - cost) / cost, rel=1e-12)


def _decay(slope, months, decaying):
    return Decay(
        slope={"estimate": slope, "ci_low": slope - 300, "ci_high": slope + 300, "p_value": 0.001 if decaying else 0.4},
        level=9_000.0,
        points=5,
        first=2,
        last=6,
        decaying=decaying,
        months=months,
        counted=None if months is None else months / 2,
    )


def test_persistence_is_the_fade_only_when_significant():
    faded = E.persistence_of(_decay(-1_500.0, 6.0, True), 12)
    # counted: the area under the fading line (3 months at full size), not the 6 months until it is gone
    assert faded == {
        "slope_per_month": _decay(-1_500.0, 6.0, True).slope,
        "months": 3.0,
        "source": "event_study",
        "zero_after_months": 6.0,
    }
    flat = E.persistence_of(_decay(-100.0, None, False), 9)
    assert flat["source"] == "assumption" and flat["months"] == 9 and flat["slope_per_month"]["estimate"] == -100.0
    assert E.persistence_of(None, 12) == {"slope_per_month": None, "months": 12, "source": "assumption"}


@pytest.mark.parametrize("branch", ["fixture-a", "fixture-b"])
def test_targeted_campaigns_state_their_persistence(sections, branch):
    targeted = {cid: f for cid, f in sections[branch].items() if isinstance(f, dict) and f.get("design") == "targeted"}
    assert targeted
    for cid, f in targeted.items():
        p = f["persistence"]
        assert p["source"] in ("event_study", "assumption"), cid
        if p["source"] == "assumption":
            assert p["months"] == Assumptions().effect_persistence_months
        else:
            assert 0 <= p["months"] <= 12 and p["slope_per_month"]["ci_high"] < 0
    randomized = [f for f in sections[branch].values() if isinstance(f, dict) and f.get("design") == "randomized"]
    assert all("persistence" not in f for f in randomized)


def test_persistence_follows_the_event_study_and_the_assumption(bank_a):
    a = Assumptions(effect_persistence_months=7)
    result = analyze(bank_a, a, with_did=False, with_heterogeneity=False)
    for r in result.results.values():
        if r.design != "targeted" or r.did is None:
            continue
        assert r.did_naive is None  # the plain comparison is a diagnostic: only with_did
        d = effect_decay(r.did, a.alpha)
        assert r.persistence == E.persistence_of(d, 7)
        assert r.figures().to_dict()["persistence"] == r.persistence


def test_campaigns_ranked_is_lifted_to_the_top(sections, tmp_path):
    sec = sections["fixture-a"]
    ranked = sec["_merge"]["campaigns_ranked"]
    est = {cid: sec[cid]["balance_effect"]["estimate"] for cid in ranked}
    assert sorted(ranked) == ["FX-A0", "FX-A1", "FX-A2"]
    assert list(est.values()) == sorted(est.values(), reverse=True)
    results.write_section(tmp_path, "campaigns", sec)
    out = results.assemble(tmp_path, {"branch_id": "fixture-a"})
    assert out["campaigns_ranked"] == ranked
    assert "_merge" not in out["campaigns"] and out["campaigns"]["status"] == "ok"


def test_lean_bank_is_skipped(lean_banks):
    bank = lean_banks["fixture-a"]
    sec = campaigns_section(bank)
    assert sec == {"status": "skipped", "reason": sec["reason"]} and "campaigns" in sec["reason"]
    assert describe_campaigns(sec, "en") == [f"This section was not computed: {sec['reason']}."]


def test_balance_change_definition(bank_a):
    camp = bank_a.campaigns.iloc[0]  # FX-A1: 2025-03-01 … 2025-03-31
    w = CampaignWindow.of(camp)
    assert (w.pre, w.post, w.ref) == (
        pd.Timestamp("2025-02-01"),
        pd.Timestamp("2025-06-01"),
        pd.Timestamp("2025-03-01"),
    )
    ch = balance_change(bank_a.monthly_snapshots, w)
    s = bank_a.monthly_snapshots.set_index(["customer_id", "month"])
    cid = ch.index[5]
    total = s["deposit_balance"] + s["wealth_aum"]
    assert ch[cid] == pytest.approx(total[(cid, w.post)] - total[(cid, w.pre)])
    both = set(s.xs(w.pre, level="month").index) & set(s.xs(w.post, level="month").index)
    assert set(ch.index) == both


# -- small samples and campaigns not measurable yet (issue 17, items 4 and 7) ----


def _with_contacts(bank, keep):
    """The bank with only the campaign contacts `keep` (a boolean mask) selects."""
    tables = {name: bank.tables[name] for name in bank.tables if bank.has(name)}
    tables["campaign_contacts"] = bank.campaign_contacts[keep].reset_index(drop=True)
    return dataclasses.replace(bank, tables=tables)


def test_tiny_groups_are_not_estimated(bank_a):
    k = bank_a.campaign_contacts
    a0 = k["campaign_id"] == "FX-A0"
    treated = a0 & (k["group"] == "treatment")
    first_t = treated & (treated.cumsum() <= 2)
    first_c = (a0 & (k["group"] == "control")).cumsum().le(1) & a0 & (k["group"] == "control")
    a2 = (k["campaign_id"] == "FX-A2") & k["participated"]
    few_part = a2 & (a2.cumsum() <= E.MIN_ARM - 1)
    rest = (k["campaign_id"] == "FX-A1") | ((k["campaign_id"] == "FX-A2") & ~k["participated"])
    bank = _with_contacts(bank_a, first_t | first_c | few_part | rest)
    sec = analyze(bank, with_did=False, with_heterogeneity=False).section().to_dict()
    tiny = sec["FX-A0"]  # 2 invited, 1 held out
    assert (tiny["n_treatment"], tiny["n_control"]) == (2, 1)
    for key in ("response_ate", "balance_effect", "business_roi", "profit_12m", "profit_roi"):
        assert tiny[key] is None, key
    assert "too few contacts" in tiny["reason"] and "at least 10" in tiny["reason"]
    assert tiny["verdict"] == "test"  # neither grow nor stop: run it as a randomized test
    few = sec["FX-A2"]
    assert few["n_participants"] == E.MIN_ARM - 1
    assert few["balance_effect"] is None and few["naive_balance_difference"] is None and few["profit_12m"] is None
    assert "participants" in few["reason"] and few["verdict"] == "test"
    assert "reason" not in sec["FX-A1"] and sec["FX-A1"]["balance_effect"] is not None
    en = " ".join(describe_campaigns(sec, "en"))
    assert "too few customers to estimate an effect (2 invited, 1 held out" in en


def test_response_rates_have_wilson_intervals(bank_a):
    k = bank_a.campaign_contacts
    nobody = k.assign(responded=False)
    rr = E.response_rates(nobody)
    assert (rr["rate"] == 0).all() and (rr["ci_low"] == 0).all() and (rr["ci_high"] > 0).all()
    got = analyze(bank_a, with_did=False, with_heterogeneity=False).responses
    row = got[(got["campaign_id"] == "FX-A0") & (got["group"] == "control")].iloc[0]
    lo, hi = proportion_confint(row["responded"], row["contacts"], method="wilson")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi))
    assert 0 <= got["ci_low"].min() and got["ci_high"].max() <= 1


def test_a_campaign_not_measurable_yet(conformance_dir):
    # as of May 2025, FX-A1 (ended March, measured in June) and FX-A2 (April, measured in July) cannot be measured
    bank = analysis.load(conformance_dir / "good", branch="fixture-a", as_of="2025-05")
    sec = analyze(bank, with_did=False, with_heterogeneity=False).section().to_dict()
    assert set(sec) - {"status", "_merge"} == {"FX-A1", "FX-A2"}
    for cid, month in (("FX-A1", "2025-06"), ("FX-A2", "2025-07")):
        f = sec[cid]
        assert f["balance_effect"] is None and f["profit_12m"] is None and f["profit_roi"] is None
        assert f["verdict"] is None and f["reason"].startswith("not measurable yet") and month in f["reason"]
    assert sec["FX-A2"]["naive_balance_difference"] is None
    assert sec["FX-A1"]["response_ate"] is not None  # the response is known; the balances are not yet
    assert sec["_merge"]["campaigns_ranked"] == []
    zh, en = " ".join(describe_campaigns(sec, "zh")), " ".join(describe_campaigns(sec, "en"))
    assert "尚无法衡量" in zh and "暂不下结论" in zh
    assert "cannot be measured yet" in en and "no verdict yet" in en


# -- the interval helpers against statsmodels ---------------------------------


def test_helpers_match_statsmodels():
    rng = np.random.default_rng(0)
    a, b = rng.lognormal(10, 1, 300), rng.lognormal(10, 1.2, 80)
    got = diff_in_means(a, b)
    lo, hi = CompareMeans(DescrStatsW(a), DescrStatsW(b)).zconfint_diff(usevar="unequal")
    assert (got["ci_low"], got["ci_high"]) == pytest.approx((lo, hi), rel=1e-6)
    x1, x0 = rng.random(400) < 0.3, rng.random(100) < 0.2
    got = diff_in_proportions(x1, x0)
    lo, hi = confint_proportions_2indep(x1.sum(), 400, x0.sum(), 100, method="wald", compare="diff")
    assert (got["ci_low"], got["ci_high"]) == pytest.approx((lo, hi), rel=1e-6)
    assert diff_in_means(a[:1], b) is None


def test_intervals_use_the_normal_quantile_of_alpha():
    rng = np.random.default_rng(3)
    a, b = rng.normal(10, 2, 200), rng.normal(9, 2, 100)
    e95, e90 = diff_in_means(a, b), diff_in_means(a, b, alpha=0.10)
    half95, half90 = e95["estimate"] - e95["ci_low"], e90["estimate"] - e90["ci_low"]
    assert half95 / half90 == pytest.approx(stats.norm.ppf(0.975) / stats.norm.ppf(0.95), rel=1e-12)


def test_windows_covariates_and_estimator_come_from_the_assumptions(bank_a):
    camp = bank_a.campaigns.iloc[0]
    w = CampaignWindow.of(camp, pre_months=2, post_months=1)
    assert (w.pre, w.post) == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01"))
    base = analyze(bank_a, with_did=False, with_heterogeneity=False)
    other = analyze(
        bank_a,
        Assumptions(campaign_post_months=2, campaign_covariates=("age", "log_total_balance"), campaign_estimator="ipw"),
        with_did=False,
        with_heterogeneity=False,
    )
    b, o = base.section().to_dict(), other.section().to_dict()
    # randomized: a different post month gives a different balance change, the same response
    assert o["FX-A1"]["balance_effect"]["estimate"] != b["FX-A1"]["balance_effect"]["estimate"]
    assert o["FX-A1"]["response_ate"] == b["FX-A1"]["response_ate"]
    # targeted: adjusted for the two features only, by odds weighting
    est = other.results["FX-A2"].estimator
    assert (
        est.covariates_ == ["age", "log_total_balance"]
        and "inverse propensity" in o["FX-A2"]["balance_effect"]["method"]
    )
    with pytest.raises(UsageError, match="campaign_covariates"):
        analyze(bank_a, Assumptions(campaign_covariates=("shoe_size",)), with_did=False, with_heterogeneity=False)
    with pytest.raises(UsageError, match="not implemented"):
        analyze(bank_a, Assumptions(campaign_estimator="matching"))


def test_complier_effect_is_itt_over_take_up():
    rng = np.random.default_rng(1)
    n = 4000
    z = rng.random(n) < 0.8
    d = z & (rng.random(n) < 0.6)
    y = 100 + 50 * d + rng.normal(0, 20, n)
    got = complier_effect(z, d, y)
    itt = y[z].mean() - y[~z].mean()
    assert got["estimate"] == pytest.approx(itt / (d[z].mean() - d[~z].mean()))
    assert got["ci_low"] < 50 < got["ci_high"]
    assert complier_effect(z, np.zeros(n, bool), y) is None


def test_rank_uncertainty_orders_and_sums():
    table = pd.DataFrame(
        {
            "name": ["a", "b", "c"],
            "design": ["randomized"] * 3,
            "cost": [1.0, 1.0, 1.0],
            "balance_per_cny": [10.0, 30.0, 20.0],
            "balance_per_cny_low": [8.0, 0.0, 18.0],
            "balance_per_cny_high": [12.0, 60.0, 22.0],
        },
        index=["A", "B", "C"],
    )
    ru = rank_uncertainty(table, draws=2000)
    assert list(ru.index) == ["B", "C", "A"]
    assert ru["p_best"].sum() == pytest.approx(1.0)
    assert 0.2 < ru.loc["B", "p_best"] < 0.8  # B is best on the estimate, not surely
    assert ru.loc["A", "p_best"] < 0.01
    assert ru.loc["B", "cost_per_10k"] == pytest.approx(1e4 / 30)


def test_describe_reads_the_numbers(bank_a):
    a = analyze(bank_a, with_heterogeneity=False)
    sec = a.section().to_dict()
    zh = describe_campaigns(sec, "zh", a)
    en = describe_campaigns(sec, "en", a)
    text_zh, text_en = "".join(zh), " ".join(en)
    be = sec["FX-A2"]["balance_effect"]["estimate"]
    assert money(be, "zh") in text_zh and money(be, "en") in text_en  # the house's 万元 / thousand CNY
    assert "意向处理效应" in text_zh and "complier effect" in text_en and "naive" in text_en
    assert num(sec["FX-A1"]["business_roi"] + 1, 1) in text_en and "volume, not profit" in text_en
    # the typed section and its dict read the same
    assert describe_campaigns(a.section(), "en", a) == en
    assert len(zh) == len(en)


# -- planted effects of the sample bank ----------------------------------------


@pytest.fixture(scope="module")
def sample_analyses(sample_dir_3000):
    """The sample bank at the suite's default size (3,000 customers per
    branch, seed 0; two branches), every campaign analysed."""
    return [
        analyze(analysis.load(sample_dir_3000, branch=b), with_heterogeneity=False) for b in branch_ids(sample_dir_3000)
    ]


def _truths(analyses):
    rows = []
    for a in analyses:
        for cid, r in a.results.items():
            rows.append((cid, r, planted.campaign_effect(r.kind)))
    return rows


def _covers(e: dict | None, truth: float) -> bool:
    return e is not None and e["ci_low"] <= truth <= e["ci_high"]


@pytest.mark.slow
def test_sample_recovers_planted_effects_of_each_design(sample_analyses):
    """95 % intervals miss one time in twenty by design: per figure, at most
    one campaign of the two branches may miss its planted value."""
    rows = _truths(sample_analyses)
    rnd = [(r, e) for _, r, e in rows if r.design == "randomized"]
    tgt = [(r, e) for _, r, e in rows if r.design == "targeted"]
    assert len(rnd) >= 6 and len(tgt) >= 6
    misses = {
        "itt_balance": sum(not _covers(r.balance_effect, e.itt_balance) for r, e in rnd),
        "response_ate": sum(not _covers(r.response_ate, e.response_ate) for r, e in rnd),
        "complier_balance": sum(not _covers(r.complier_balance, e.balance_effect) for r, e in rnd),
        "att": sum(not _covers(r.balance_effect, e.att_balance) for r, e in tgt),
        "did": sum(not _covers(r.did.did_ if r.did else None, e.att_balance) for r, e in tgt),
    }
    assert all(m <= 1 for m in misses.values()), misses


@pytest.mark.slow
def test_sample_funds_margin_lies_between_the_planted_rates(sample_analyses):
    """The generator earns deposit_margin a year on deposits and wealth_fee on
    wealth: a CNY of funds must earn between the two."""
    for a in sample_analyses:
        m = a.economics.funds_margin
        assert planted.REVENUE.wealth_fee < m["ci_low"] < m["ci_high"] < planted.REVENUE.deposit_margin
        # and every profit is that margin times the campaign's own balance effect and reach
        for r in a.results.values():
            if r.balance_effect is not None:
                assert r.profit_12m["estimate"] == pytest.approx(r.balance_effect["estimate"] * r.reach * m["estimate"])


@pytest.mark.slow
def test_sample_adjusted_close_naive_not(sample_analyses):
    for _, r, e in _truths(sample_analyses):
        if r.design != "targeted":
            continue
        att, naive, truth = r.balance_effect["estimate"], r.naive["estimate"], e.att_balance
        assert abs(naive - truth) > 3 * abs(att - truth), (r.campaign_id, att, naive, truth)
        assert naive > r.balance_effect["ci_high"]
        # the naive comparison's pre-trends are visibly not parallel; the adjusted ones are
        assert r.did_naive.pretrend_["p_value"] < 0.01


# -- the notebook -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["good", "lean"])
def test_notebook_runs(conformance_dir, tmp_path, folder, run_notebook):
    out = tmp_path / "run"
    run_notebook(
        "05_campaigns",
        tmp_path,
        data_dir=str(conformance_dir / folder),
        branch="fixture-a",
        out_dir=str(out),
        lang="en",
    )
    sec = json.loads((out / "sections" / "campaigns.json").read_text(encoding="utf-8"))
    if folder == "lean":
        assert sec["status"] == "skipped"
        return
    assert sec["FX-A1"]["n_treatment"] == 1909 and sec["_merge"]["campaigns_ranked"][0] == "FX-A2"
    figures = {p.name for p in (out / "figures").glob("campaigns_*.png")}
    assert {"campaigns_randomized.png", "campaigns_targeted.png", "campaigns_ranking.png"} <= figures
    assert {f"campaigns_{k}_FX-A2.png" for k in ("balance", "overlap", "event_study")} <= figures
    assert (out / "tables" / "campaigns.csv").is_file()


def test_notebook_is_committed_clean(committed_clean):
    committed_clean("05_campaigns")


COST = 100_000.0


@pytest.mark.parametrize(
    "case, design, effect, profit, expected",
    [
        # grow: randomized, significant, profit above cost
        ("proven, pays back", "randomized", (10.0, 2.0, 18.0), (150e3, 30e3, 270e3), "grow"),
        # keep: significant but the profit estimate does not cover the cost (its upper end would)
        ("proven, not paying back", "randomized", (10.0, 2.0, 18.0), (80e3, 16e3, 144e3), "keep"),
        # keep: significant and paying back, but targeted (adjusted, no holdout)
        ("targeted, proven", "targeted", (10.0, 2.0, 18.0), (150e3, 30e3, 270e3), "keep"),
        # keep: significant, no funds margin to price it
        ("proven, no profit", "randomized", (10.0, 2.0, 18.0), None, "keep"),
        # test: positive, not significant
        ("positive, unproven", "randomized", (10.0, -2.0, 22.0), (150e3, -30e3, 330e3), "test"),
        # test, never stop: an estimate ≤ 0 whose wide interval still holds a paying effect (issue 17 item 7)
        ("negative, wide", "randomized", (-5.0, -20.0, 10.0), (-75e3, -300e3, 150e3), "test"),
        ("negative, wide, targeted", "targeted", (-5.0, -20.0, 10.0), (-75e3, -300e3, 150e3), "test"),
        ("negative, wide, no profit", "randomized", (-5.0, -20.0, 10.0), None, "test"),
        # stop: significantly below 0
        ("significantly negative", "randomized", (-5.0, -9.0, -1.0), None, "stop"),
        # stop: even the upper end is below the smallest effect that pays back
        ("cannot pay back", "randomized", (2.0, 1.0, 3.0), (30e3, 15e3, 45e3), "stop"),
        ("cannot pay back, targeted", "targeted", (-1.0, -4.0, 2.0), (-15e3, -60e3, 30e3), "stop"),
        # test: not estimable (too few customers)
        ("not estimable", "randomized", None, None, "test"),
    ],
)
def test_verdict_rule(case, design, effect, profit, expected):
    e = None if effect is None else dict(zip(("estimate", "ci_low", "ci_high"), effect))
    p = None if profit is None else dict(zip(("estimate", "ci_low", "ci_high"), profit))
    assert V.verdict(design, e, p, COST) == expected, case
    # a campaign not measurable yet gets no verdict, whatever its figures
    assert V.verdict(design, e, p, COST, measurable=False) is None


def test_verdict_read_back_from_results_figures():
    """Figures without a verdict (the conformance files') are judged by the same rule, the
    cost read back from profit_12m and profit_roi; figures with one keep it."""
    effect = {"estimate": 10.0, "ci_low": 2.0, "ci_high": 18.0}
    profit = {"estimate": 80e3, "ci_low": 16e3, "ci_high": 144e3}
    figs = {"design": "randomized", "balance_effect": effect, "profit_12m": profit, "profit_roi": -0.2}
    assert V.campaign_verdict(figs) == V.verdict("randomized", effect, profit, COST) == "keep"
    assert V.campaign_verdict({**figs, "verdict": None}) is None


def test_verdicts_name_every_campaign_and_follow_the_rule(bank_a):
    result = analyze(bank_a)
    table = result.table
    v = C.verdict_table(table)
    assert set(v.index) == set(table.index)
    assert set(v["verdict"]) <= set(V.VERDICTS)
    text = " ".join(describe_verdicts(v, "en"))
    for name in v["name"]:
        assert name in text
    # the table shows the one rule's verdict, from the campaign's own figures
    for cid, r in result.results.items():
        assert v.loc[cid, "verdict"] == V.verdict(r.design, r.balance_effect, r.profit_12m, r.cost)


@pytest.mark.parametrize("lang, volume, returns", [("en", "new business", ("return",)), ("zh", "新增业务", ("回报",))])
def test_no_sentence_calls_business_volume_a_return(bank_a, lang, volume, returns):
    result = analyze(bank_a, with_heterogeneity=False)
    sentences = describe_campaigns(result.section(), lang, result) + describe_verdicts(
        C.verdict_table(result.table), lang
    )
    for s in sentences:
        for clause in re.split(r"[;；,，。.()（）]", s):
            if volume in clause:
                assert not any(w in clause for w in returns), clause
    text = " ".join(sentences)
    assert volume in text  # business_roi is worded, as volume
    profit = result.results["FX-A1"].profit_12m
    assert money(profit["estimate"], lang) in text  # the return stated is the profit


def test_legends_stand_beside_the_plot_never_over_its_rows(bank_a):
    """Dot-and-whisker rows fill the plot: the legend goes to its right, the
    plot keeps its width, and the saved figure holds the legend whole."""
    import matplotlib.pyplot as plt

    from analysis.figures import campaigns as F

    a = analyze(bank_a, with_heterogeneity=False)
    assert any(r.profit_12m is not None for r in a.results.values())
    targeted = next(k for k, r in a.results.items() if isinstance(r, E.TargetedResult) and r.estimator and r.did)
    plots = [(p, p) for p in (F.plot_randomized, F.plot_targeted, F.plot_profit)]
    plots += [(lambda a, lang, p=p: p(a, targeted, lang), p) for p in (F.plot_overlap, F.plot_event_study)]
    for make, plot in plots:
        fig = make(a, "en")
        fig.canvas.draw()
        ax = fig.axes[0]
        box, legend = ax.get_window_extent(), ax.get_legend().get_window_extent()
        assert legend.x0 >= box.x1, plot.__name__  # right of the plot, not over it
        assert box.width >= 0.5 * fig.bbox.width, plot.__name__  # the plot was not squeezed to make room
        saved = fig.get_tightbbox(fig.canvas.get_renderer())  # what bbox "tight" saves, in inches
        assert saved.x1 * fig.dpi >= legend.x1 - 1, plot.__name__  # the saved image holds the legend
        plt.close(fig)
