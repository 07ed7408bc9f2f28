"""The executive summary: what `questions.summary` chooses (numbers), how
`words.summary` says it (words), and the briefing's first page holding it."""

from __future__ import annotations

import copy
import json
import math
import re

import pandas as pd
import pytest
from fixtures.pages import BRANCH_A, CJK, Page, section_text
from fixtures.specimen import make_run

from analysis.questions import qvsrs
from analysis.questions import summary as S
from analysis.report.briefing import build_briefing, compose
from analysis.stats.change import se_of_interval, z
from analysis.words import summary as W
from analysis.words.format import money, money_range, pct
from analysis.words.plan import action_line

# ---------------------------------------------------------------------------
# a branch's results with a book, a plan and the economics to price it


def plan_row(action_id: str, action: str, cost: float, profit=None, lo=None, hi=None, **extra) -> dict:
    return {
        "action_id": action_id,
        "topic": "campaigns" if action.startswith("campaign") else "churn",
        "action": action,
        "owner_role": "head_of_retail" if action.startswith("campaign") else "rm_team_lead",
        "start": "2026-07-01",
        "end": "2026-09-30",
        "customers": extra.pop("customers", 100),
        "cost": cost,
        "profit_12m": profit,
        "profit_ci_low": lo,
        "profit_ci_high": hi,
        "kpi": "customers_reached",
        "baseline": extra.pop("baseline", 0.0),
        "target": 0.0,
        "holdout_share": extra.pop("holdout_share", 0.0),
        "evidence": "",
    }


def summary_results() -> dict:
    """Sections the summary reads, with round numbers (loans −25 %, deposits +8 %, wealth +2 %)."""
    actions = [
        plan_row("C1-grow", "campaign_grow", 40_000.0, 90_000.0, 30_000.0, 150_000.0, customers=400),
        plan_row("C2-repeat", "campaign_repeat", 100_000.0, 80_000.0, 20_000.0, 140_000.0, holdout_share=0.2),
        plan_row("C3-stop", "campaign_stop", 0.0, baseline=200_000.0, customers=0),
        plan_row("C4-stop", "campaign_stop", 0.0, baseline=100_000.0, customers=0),
        plan_row("visit", "retention_visit", 20_000.0, customers=250),
        plan_row("digital", "digital_onboarding", 15_000.0, customers=500),
    ]
    details = {
        "C1-grow": {
            "campaign_id": "C1",
            "name": "2025年绿色通道",
            "kind": "green_channel",
            "start_date": "2025-11-06",
            "tiers": ["gold"],
        },
        "C2-repeat": {"campaign_id": "C2", "name": "2025年沙龙", "kind": "salon", "start_date": "2025-10-03"},
        "C3-stop": {
            "campaign_id": "C3",
            "name": "2025年免费体检",
            "kind": "health_check",
            "start_date": "2025-01-10",
            "frees": 200_000.0,
        },
        "C4-stop": {
            "campaign_id": "C4",
            "name": "2024年红酒品鉴会",
            "kind": "wine_tasting",
            "start_date": "2024-11-06",
            "frees": 100_000.0,
        },
        "visit": {"drivers": {"complaints_12m": 100}},
        "digital": {},
    }
    return {
        "branch_id": "x",
        "as_of": "2026-06-30",
        "overview": {
            "status": "ok",
            "month": "2026-06",
            "deposits": 540_000_000.0,
            "loans": 75_000_000.0,
            "wealth_aum": 102_000_000.0,
            "deposits_change_12m": 0.08,  # from 500 million
            "loans_change_12m": -0.25,  # from 100 million
            "wealth_change_12m": 0.02,  # from 100 million: not material
            "revenue_12m": 8_000_000.0,
            "unprofitable": {"customers": 150, "loss_12m": -200_000.0},
            "segments": {
                "mass": {"customers": 1500, "customer_share": 0.7, "revenue_12m": 1e6, "profit_share": 0.15},
                "affluent": {"customers": 400, "customer_share": 0.2, "revenue_12m": 2e6, "profit_share": 0.30},
                "high_net_worth": {"customers": 90, "customer_share": 0.04, "revenue_12m": 3e6, "profit_share": 0.35},
                "sme": {"customers": 150, "customer_share": 0.06, "revenue_12m": 1.5e6, "profit_share": 0.20},
            },
            "leavers": {"customers": 250, "with_reason": 250, "revenue_year": 450_000.0, "by_reason": {}},
        },
        "economics": {
            "status": "ok",
            "customers": 2100,
            "funds_margin": {"estimate": 0.01, "ci_low": 0.009, "ci_high": 0.011},
            "loan_margin": {"estimate": 0.008, "ci_low": 0.007, "ci_high": 0.009},
        },
        "churn": {
            "status": "ok",
            "cohort_size": 2000,
            "churned": 220,
            "churn_rate_12m": 0.11,
            "drivers": {
                "segment[affluent]": {"odds_ratio": 1.3, "ci_low": 0.7, "ci_high": 2.5, "p_value": 0.4},
                "segment[high_net_worth]": {"odds_ratio": 3.5, "ci_low": 1.05, "ci_high": 12.0, "p_value": 0.04},
                "segment[sme]": {"odds_ratio": 2.0, "ci_low": 1.2, "ci_high": 3.3, "p_value": 0.01},
            },
        },
        "value": {
            "status": "ok",
            "top20_revenue_share": 0.8,
            "bottom30_revenue_share": -0.02,
            "unprofitable_share": 0.07,
        },
        "qvsrs": {
            "status": "ok",
            "quality": 62.0,
            "value": 1.4,
            "satisfaction": -0.5,
            "relationship": {"products_per_customer": 3.0, "rm_coverage": 0.25, "median_tenure_years": 6.0},
            "sustainability": {"retention_12m": 0.89, "revenue_growth_12m": 0.1, "net_customer_growth_12m": -0.03},
        },
        "campaigns": {
            "status": "ok",
            "C3": {
                "design": "randomized",
                "profit_12m": {"estimate": 60_000.0, "ci_low": -10_000.0, "ci_high": 130_000.0},
            },
            "C4": {"design": "targeted", "profit_12m": {"estimate": 25_000.0, "ci_low": 15_000.0, "ci_high": 35_000.0}},
        },
        "plan": {
            "status": "ok",
            "actions": actions,
            "details": details,
            "cost": 175_000.0,
            "profit_12m": 170_000.0,
            "profit_ci_low": 80_000.0,
            "profit_ci_high": 260_000.0,
            "period": {"start": "2026-07-01", "end": "2026-09-30"},
            "budget": {"limit": 400_000.0, "share": 0.05, "yearly_profit": 8_000_000.0},
            "assumptions": {"effect_persistence_months": 12},
        },
    }


def summary_card() -> pd.DataFrame:
    """The satisfaction notebook's scorecard table for `summary_results` (last quarter slightly different)."""
    res = summary_results()
    now = qvsrs.QvsrsSection.from_dict(res["qvsrs"])
    before = copy.deepcopy(res["qvsrs"])
    before.update(quality=60.0, value=1.38)
    before["relationship"]["rm_coverage"] = 0.20
    before["sustainability"]["net_customer_growth_12m"] = -0.02
    se = {"quality": 0.5, "value": 0.03, "satisfaction": 0.035, "rm_coverage": 0.009, "retention_12m": 0.007}
    se.update({m: 0.0 for m in qvsrs.CENSUS_METRICS})
    return qvsrs.scorecard_table(now, qvsrs.QvsrsSection.from_dict(before), se_current=se, se_previous=se)


# ---------------------------------------------------------------------------
# numbers: what is chosen


def test_book_moves_largest_first_with_the_profit_that_went_with_them():
    sit = S.situation(summary_results())
    assert [b.line for b in sit.book] == ["loans", "deposits"]  # −25 % before +8 %
    assert [b.line for b in sit.steady] == ["wealth_aum"]  # +2 % is below MATERIAL_CHANGE
    loans = sit.book[0]
    assert loans.before == pytest.approx(100e6) and loans.amount == pytest.approx(-25e6)
    assert loans.profit.estimate == pytest.approx(-25e6 * 0.008)  # at the loan margin
    assert (loans.profit.low, loans.profit.high) == (pytest.approx(-25e6 * 0.009), pytest.approx(-25e6 * 0.007))
    assert sit.book[1].profit.estimate == pytest.approx(40e6 * 0.01)  # deposits at the funds margin


def test_segment_risk_is_the_significant_segment_holding_most_profit():
    sit = S.situation(summary_results())
    # affluent is not significant; sme is, but high net worth holds more profit
    assert sit.segment_risk.segment == "high_net_worth"
    assert sit.segment_risk.profit_share == pytest.approx(0.35)
    assert sit.segment_risk.odds_ratio.known
    res = summary_results()
    res["churn"]["drivers"]["segment[high_net_worth]"]["p_value"] = 0.2
    assert S.situation(res).segment_risk.segment == "sme"


def test_situation_figures_of_customers_and_profit():
    sit = S.situation(summary_results())
    assert (sit.churn_rate, sit.cohort, sit.churned) == (0.11, 2000, 220)
    assert (sit.leavers, sit.leavers_profit) == (250, 450_000.0)
    assert (sit.revenue_12m, sit.revenue_growth, sit.top20_share) == (8e6, 0.1, 0.8)
    assert S.situation({}).empty


def test_decisions_carry_cost_and_a_profit_interval_ranked_by_profit_after_cost():
    dec = S.decisions(summary_results())
    assert 3 <= len(dec.chosen) <= 5
    kinds = [d.kind for d in dec.chosen]
    assert kinds == ["campaign_stop", "campaign_grow", "campaign_repeat"]
    for d in dec.chosen:
        assert isinstance(d.cost, float) and d.cost >= 0
        assert d.contribution is not None and d.contribution.known
        assert d.contribution.low <= d.contribution.estimate <= d.contribution.high
    after = [d.after_cost.estimate for d in dec.chosen]
    assert after == sorted(after, reverse=True)
    stop, grow, keep = dec.chosen
    # the stops together: the spend they free against the contribution they forgo, intervals in quadrature
    assert stop.saved == 300_000.0 and stop.action_ids == ("C3-stop", "C4-stop")
    se = math.sqrt(se_of_interval(-10_000, 130_000) ** 2 + se_of_interval(15_000, 35_000) ** 2)
    assert stop.contribution.estimate == pytest.approx(-85_000.0)
    assert stop.contribution.low == pytest.approx(-85_000.0 - z() * se)
    assert stop.after_cost.estimate == pytest.approx(215_000.0)
    # a campaign row: its plan profit, and after its cost
    assert (grow.contribution.estimate, grow.contribution.low, grow.contribution.high) == (
        90_000.0,
        30_000.0,
        150_000.0,
    )
    assert (grow.after_cost.estimate, grow.after_cost.low) == (50_000.0, -10_000.0)
    assert keep.after_cost.estimate == pytest.approx(-20_000.0) and keep.after_cost.spans_zero
    # the rest of the plan is summed, not dropped
    assert [r["action_id"] for r in dec.others] == ["visit", "digital"] and dec.others_cost == 35_000.0
    assert dec.plan_contribution.estimate == 170_000.0


def test_without_a_profit_the_costliest_rows_fill_the_decisions_and_claim_none():
    res = summary_results()
    res["plan"]["actions"] = [a for a in res["plan"]["actions"] if not a["action"].startswith("campaign")]
    dec = S.decisions(res)
    assert [d.action_ids for d in dec.chosen] == [("visit",), ("digital",)]
    assert all(d.contribution is None and d.after_cost is None for d in dec.chosen)
    assert S.decisions({}).chosen == ()


def test_scorecard_against_last_quarter_with_noise_band_and_targets():
    rows = {r.metric: r for r in S.scorecard(summary_results(), summary_card(), {"rm_coverage": 0.3, "quality": 60})}
    q = rows["quality"]
    assert q.change == pytest.approx(2.0) and q.band == pytest.approx(
        (2.0 - z() * 0.5 * 2**0.5, 2.0 + z() * 0.5 * 2**0.5)
    )
    assert q.beyond_noise is True and q.better is True and q.on_target is True
    assert rows["value"].beyond_noise is False  # +0.02 within ±0.08
    cov = rows["rm_coverage"]
    assert cov.beyond_noise is True and cov.target == 0.3 and cov.on_target is False
    g = rows["net_customer_growth_12m"]  # a census figure: band of width 0, any change is real
    assert g.band == (pytest.approx(-0.01), pytest.approx(-0.01)) and g.beyond_noise is True and g.better is False
    assert rows["satisfaction"].change == 0 and rows["satisfaction"].target is None
    # without the notebook's table: the figures now, no comparison
    alone = S.scorecard(summary_results())
    assert len(alone) == 9 and all(r.previous is None and r.band is None for r in alone)


def test_the_scorecard_table_reads_back_from_csv(tmp_path):
    path = tmp_path / "qvsrs_scorecard.csv"
    summary_card().to_csv(path, index=False)
    back = S.scorecard(summary_results(), pd.read_csv(path))
    for a, b in zip(back, S.scorecard(summary_results(), summary_card()), strict=True):
        assert (a.metric, a.beyond_noise, a.better) == (b.metric, b.beyond_noise, b.better)
        assert a.change == pytest.approx(b.change) and a.band == pytest.approx(b.band)


def test_previous_quarter_date():
    assert S.previous_as_of("2026-06-30") == "2026-03-31" and S.previous_as_of(None) is None


# ---------------------------------------------------------------------------
# words: how it is said (the numbers through the one formatter)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_situation_says_the_loans_fall_first_with_its_number(lang):
    sentences = W.situation(S.situation(summary_results()), lang)
    assert len(sentences) == 3
    book, customers, profit = sentences
    assert pct(0.25) in book and money(75e6, lang) in book and money(200_000, lang) in book
    assert book.index(pct(0.25)) < book.index(pct(0.08))  # the loans first
    assert re.search(r"下降|fell", book)
    assert pct(0.11) in customers and money(450_000, lang) in customers and pct(0.35) in customers
    assert pct(0.8) in profit and money(8e6, lang) in profit


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_wide_odds_ratio_is_worded_may_and_a_clear_one_is_not(lang):
    sit = S.situation(summary_results())
    may = W.customers_sentence(sit, lang, segment_sure=False)
    sure = W.customers_sentence(sit, lang, segment_sure=True)
    word = {"zh": "可能", "en": "may "}[lang]
    assert word in may and word not in sure
    assert "1.05" in may and "12.00" in may  # the interval beside the estimate


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_decision_rows_say_cost_contribution_and_after_cost_with_ranges(lang):
    dec = S.decisions(summary_results())
    rows = W.decision_rows(dec, lang)
    assert [r["kind"] for r in rows] == [d.kind for d in dec.chosen]
    stop, grow, keep = rows
    assert money(300_000, lang) in stop["cost"]
    assert money_range(30_000, 150_000, lang) in grow["profit"] and money(40_000, lang) in grow["cost"]
    assert money_range(-10_000, 110_000, lang) in grow["after"]
    for r in rows:
        assert re.search(r"95%", r["profit"]) and re.search(r"95%", r["after"])
    # an interval across zero is not a promise; one above zero is
    may = {"zh": "可能", "en": "may"}[lang]
    assert may in keep["verdict"] and may in grow["verdict"]
    assert stop["verdict"] == {"zh": "省下的多于放弃的", "en": "saves more than it gives up"}[lang]
    assert grow["action"] == action_line(
        summary_results()["plan"]["actions"][0], summary_results()["plan"]["details"]["C1-grow"], lang
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_chosen_campaign_with_a_measured_fade_says_how_long_it_is_counted(lang):
    res = summary_results()
    fade = {"months": 6.0, "source": "event_study", "slope_per_month": -1_500.0}
    res["plan"]["details"]["C2-repeat"]["persistence"] = fade
    res["plan"]["details"]["C4-stop"]["persistence"] = fade  # a stop forgoes a year: not listed
    dec = S.decisions(res)
    assert [d["campaign_id"] for d in dec.faded] == ["C2"]
    notes = " ".join(W.decisions_notes(dec, lang))
    if lang == "zh":
        said = "假设效应持续12个月；2025年沙龙的效应在事件研究（逐月对比）中每月减弱约1,500元，"
        assert said + "因此只按相当于6个月的完整效应计" in notes
    else:
        assert "(the effect assumed to last 12 months; that of Salon, October 2025 fades by about CNY 1,500" in notes
        assert "counted as 6 months of the full effect)" in notes and not CJK.findall(notes)
    plain = " ".join(W.decisions_notes(S.decisions(summary_results()), lang))
    assert S.decisions(summary_results()).faded == () and "1,500" not in plain


def test_english_summary_words_have_no_han_characters():
    res = summary_results()
    dec = S.decisions(res)
    names = {"C3": "Health check, January 2025", "C4": "Wine tasting, November 2024"}
    texts = W.situation(S.situation(res), "en") + W.decisions_notes(dec, "en")
    for r in W.decision_rows(dec, "en", names):
        texts += [v for v in r.values() if isinstance(v, str)]
    for r in W.scorecard_rows(S.scorecard(res, summary_card(), {"quality": 60}), "en"):
        texts += [v for v in r.values() if isinstance(v, str)]
    texts += W.scorecard_notes("2026-03-31", 3, True, True, "en")
    assert not CJK.findall(" ".join(texts))


def test_the_scorecard_title_counts_the_moves_beyond_noise():
    rows = W.scorecard_rows(S.scorecard(summary_results(), summary_card()), "en")
    up = sum(1 for r in rows if r["beyond_noise"] and r["better"])
    down = sum(1 for r in rows if r["beyond_noise"] and not r["better"])
    assert up >= 1  # the card has an improvement beyond noise: the count is not trivially zero
    for lang in ("zh", "en"):
        numbers = [int(x) for x in re.findall(r"\d+", W.scorecard_title(rows, lang).replace("QVSRS", ""))]
        assert numbers == [len(rows), up, down]
    calm = [dict(r, beyond_noise=False) for r in rows]
    assert "within noise" in W.scorecard_title(calm, "en") and "波动范围内" in W.scorecard_title(calm, "zh")
    assert W.scorecard_title(W.scorecard_rows(S.scorecard(summary_results()), "en"), "en") is None  # no last quarter
    note = W.scorecard_note(rows[0], False, "en")
    assert rows[0]["now"] in note and rows[0]["previous"] in note and rows[0]["change"] in note


def test_scorecard_rows_mark_noise_census_and_targets():
    rows = {
        r["metric"]: r
        for r in W.scorecard_rows(S.scorecard(summary_results(), summary_card(), {"rm_coverage": 0.3}), "en")
    }
    assert rows["quality"]["change"] == f"+2.0 (±{2 * z() * 0.5 * 2**0.5 / 2:.1f})" and rows["quality"][
        "noise"
    ].startswith("beyond noise")
    assert rows["value"]["noise"] == "within noise"
    assert (
        "±" not in rows["net_customer_growth_12m"]["change"]
        and "whole book" in rows["net_customer_growth_12m"]["noise"]
    )
    assert rows["rm_coverage"]["target"] == f"{pct(0.3)} (not met)" and rows["quality"]["target"] == "—"


# ---------------------------------------------------------------------------
# the briefing's first page


@pytest.fixture(scope="module")
def summary_runs(tmp_path_factory, expected) -> dict:
    """A specimen run per language with the summary's sections and the scorecard table."""
    root = tmp_path_factory.mktemp("summary")
    runs = {}
    for lang in ("zh", "en"):
        res = make_run(root / lang, copy.deepcopy(expected["fixture-a"]), BRANCH_A, lang)
        extra = summary_results()
        for k in ("overview", "economics", "plan", "qvsrs", "value"):
            res[k] = extra[k]
        res["churn"]["drivers"].update(extra["churn"]["drivers"])
        res["campaigns"].update({k: v for k, v in extra["campaigns"].items() if k != "status"})
        res["as_of"] = extra["as_of"]
        (root / lang / "results.json").write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")
        (root / lang / "tables").mkdir(exist_ok=True)
        summary_card().to_csv(root / lang / "tables" / "qvsrs_scorecard.csv", index=False)
        runs[lang] = (root / lang, res)
    return runs


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_page_holds_the_three_blocks_in_order(summary_runs, lang):
    folder, res = summary_runs[lang]
    page = compose(folder, res, lang, targets={"rm_coverage": 0.3})
    summary = page.context["summary"]
    assert len(summary["situation"]["sentences"]) == 3
    assert 3 <= len(summary["decisions"]["rows"]) <= 5
    assert len(summary["scorecard"]["rows"]) == 9 and summary["scorecard"]["with_targets"]
    html = build_briefing(folder, res, lang, deck=False, targets={"rm_coverage": 0.3}).read_text(encoding="utf-8")
    cover = section_text(html, "summary")
    heads = [W.heading(k, lang) for k in ("situation", "scorecard")]
    at = [cover.index(h) for h in heads]
    at.insert(1, cover.index(summary["decisions"]["title"]))
    assert at == sorted(at)  # situation, decisions, scorecard
    for s in summary["situation"]["sentences"]:
        assert s in cover
    for r in summary["decisions"]["rows"]:
        assert r["action"] in cover
        for k in ("profit_estimate", "profit_range", "after_estimate", "after_range", "cost"):
            assert r[k] and r[k] in cover, k
    assert pct(0.25) in cover  # the loans' fall is on the first page
    assert W.heading("score_target", lang) in cover and f"{pct(0.3)}" in cover
    tags = Page(html).attrs
    assert sum(1 for t, a in tags if t == "tr" and "data-metric" in a) == 9


def test_english_first_page_has_no_han_characters(summary_runs):
    folder, res = summary_runs["en"]
    cover = section_text(build_briefing(folder, res, "en", deck=False).read_text(encoding="utf-8"), "summary")
    assert "Executive summary" in cover
    assert not CJK.findall(cover), sorted(set(CJK.findall(cover)))


def test_assumptions_note_stays_on_the_first_page_when_assumptions_differ(summary_runs):
    folder, res = summary_runs["en"]
    res = copy.deepcopy(res)
    res["run"]["assumptions"] = {"window_months": 6}
    page = compose(folder, res, "en")
    assert page.context["assumptions_note"]
    cover = section_text(build_briefing(folder, res, "en", deck=False).read_text(encoding="utf-8"), "summary")
    assert page.context["assumptions_note"] in cover
