"""Recommendation rules and the first page's findings, on results shaped like the contract's."""

from __future__ import annotations

import copy
import math
import re

import pytest
from fixtures.specimen import specimen_results

from analysis.questions import overview
from analysis.report import paths
from analysis.report.context import ReportContext
from analysis.report.findings import PER_SECTION, top_findings
from analysis.report.recommendations import (
    ATTRIBUTE_ACTIONS,
    RULES,
    CampaignScaleUp,
    FixFirst,
    UnresolvedComplaints,
    evaluate,
)
from analysis.report.rulebase import MAY, MAY_WEIGHT, rank_score

BRANCH_A = {"branch_name": "建行测试甲支行", "city": "乐山", "home_bank": "中国建设银行"}
BRANCH_B = {"branch_name": "建行测试乙支行", "city": "资阳", "home_bank": "中国建设银行"}


@pytest.fixture(scope="module")
def overviews(good_banks) -> dict:
    """The overview section (who is at stake) of each conformance branch, by the suite."""
    return {b: overview.analyze(bank).section().to_dict() for b, bank in good_banks.items()}


@pytest.fixture()
def res_a(expected, overviews) -> dict:
    return specimen_results({**copy.deepcopy(expected["fixture-a"]), "overview": overviews["fixture-a"]}, BRANCH_A)


@pytest.fixture()
def res_b(expected, overviews) -> dict:
    return specimen_results({**copy.deepcopy(expected["fixture-b"]), "overview": overviews["fixture-b"]}, BRANCH_B)


def ids(recs) -> set[str]:
    return {r.id for r in recs}


def by_id(recs, rid):
    found = [r for r in recs if r.id == rid]
    assert found, f"{rid} did not fire; fired: {sorted(ids(recs))}"
    return found[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("which", ["res_a", "res_b"])
def test_every_recommendation_cites_an_existing_figure(which, lang, request):
    res = request.getfixturevalue(which)
    recs = evaluate(res, lang)
    assert len(recs) >= 5
    for r in recs:
        assert paths.exists(res, r.cites), r.cites
        v = paths.number(res, r.cites)
        assert v is not None and math.isclose(v, r.value), (r.cites, v, r.value)
        for p in r.supporting:
            assert paths.exists(res, p), p
        assert r.finding and r.recommendation and r.headline and r.stake_text
        assert r.score == rank_score(r.stake, r.confidence) and r.priority in ("high", "medium", "low")


def test_the_seed_findings_fire_on_fixture_a(res_a):
    recs = evaluate(res_a, "zh")
    r = by_id(recs, "churn.unresolved_complaints")
    assert r.cites == "churn.drivers.unresolved_complaint.odds_ratio"
    assert "2.23倍" in r.finding and "1.40" in r.finding and "3.54" in r.finding
    assert "30天" in r.recommendation
    rm = by_id(recs, "relationship_managers.coverage_top20")
    assert "59.9%" in rm.finding and "212" in rm.finding and "212" in rm.recommendation
    fix = by_id(recs, "satisfaction.fix_first")
    assert fix.cites == "satisfaction.cs_gap.timeliness"  # widest gap and strongest driver
    dep = by_id(recs, "competitors.deposit_share")
    assert dep.cites == "competitors.deposit_share_change_4q.中国建设银行"
    assert "四川农信" in dep.recommendation  # the bank that gained most


def test_unresolved_complaints_threshold_and_significance(res_a):
    rule = UnresolvedComplaints()
    ctx = ReportContext(res_a, "en", **BRANCH_A)
    assert rule(ctx)
    d = res_a["churn"]["drivers"]["unresolved_complaint"]
    d.update(odds_ratio=1.3, ci_low=1.1, ci_high=1.6)  # significant but below 1.5
    assert rule(ctx) == []
    d.update(odds_ratio=2.5, ci_low=0.8, ci_high=7.0, p_value=0.2)  # large but not significant
    assert rule(ctx) == []
    del d["p_value"]  # without a p-value the interval decides
    assert rule(ctx) == []
    d.update(ci_low=1.2)
    assert rule(ctx)


def test_a_bigger_effect_scores_higher(res_a):
    ctx = ReportContext(res_a, "zh", **BRANCH_A)
    d = res_a["churn"]["drivers"]["unresolved_complaint"]
    low = UnresolvedComplaints()(ctx)[0]
    d["odds_ratio"] = 2.8
    high = UnresolvedComplaints()(ctx)[0]
    assert high.score > low.score > 0
    # the stake: customers in the risky state × their yearly profit × the extra share who leave
    n, rev = (res_a["overview"]["exposure"]["unresolved_complaint"][k] for k in ("customers", "revenue_12m"))
    p0 = res_a["churn"]["churn_rate_12m"]
    p1 = 2.8 * p0 / (1 - p0 + 2.8 * p0)
    assert high.stake.estimate == pytest.approx(rev * (p1 - p0))
    assert high.stake.low < high.stake.estimate < high.stake.high
    assert f"{n:,}" in high.stake_text and "利润影响" in high.stake_text


def test_changing_a_number_changes_the_recommendation(res_a):
    before = by_id(evaluate(res_a, "zh"), "relationship_managers.coverage_top20")
    res_a["relationship_managers"]["uncovered_top20"] = 57
    res_a["relationship_managers"]["proposed_assignments"] = 40
    after = by_id(evaluate(res_a, "zh"), "relationship_managers.coverage_top20")
    assert "57" in after.recommendation and "40" in after.recommendation
    assert after.recommendation != before.recommendation
    res_a["relationship_managers"]["coverage_top20"] = 0.85  # above the 80 % target
    assert "relationship_managers.coverage_top20" not in ids(evaluate(res_a, "zh"))


def test_fix_first_follows_the_gap_weighted_by_importance(res_a):
    rule = FixFirst()
    first = rule(ReportContext(res_a, "en", **BRANCH_A))[0]
    assert first.cites.endswith("timeliness")
    assert ATTRIBUTE_ACTIONS["timeliness"][1] in first.recommendation
    # convenience now falls furthest short and is what satisfaction hangs on
    res_a["satisfaction"]["cs_gap"]["convenience"] = -2.5
    res_a["satisfaction"]["drivers"]["convenience"]["estimate"] = 0.6
    moved = rule(ReportContext(res_a, "en", **BRANCH_A))[0]
    assert moved.cites == "satisfaction.cs_gap.convenience"
    assert ATTRIBUTE_ACTIONS["convenience"][1] in moved.recommendation
    # every gap small: nothing to fix first
    res_a["satisfaction"]["cs_gap"] = {a: -0.2 for a in res_a["satisfaction"]["cs_gap"]}
    assert rule(ReportContext(res_a, "en", **BRANCH_A)) == []


def test_deposit_share_rule_needs_the_home_bank_and_a_fall(res_a):
    assert "competitors.deposit_share" in ids(evaluate(res_a, "zh", context=ReportContext(res_a, "zh", **BRANCH_A)))
    no_home = ReportContext(res_a, "zh", "建行测试甲支行", "乐山", None)
    assert "competitors.deposit_share" not in ids(evaluate(res_a, "zh", context=no_home))
    res_a["competitors"]["deposit_share_change_4q"]["中国建设银行"] = 0.004
    assert "competitors.deposit_share" not in ids(evaluate(res_a, "zh"))


def test_campaign_verdicts(res_a):
    recs = evaluate(res_a, "en")
    # fixture-a: both randomized campaigns' balance effects are not proven either way
    assert {"campaigns.unproven.FX-A1", "campaigns.unproven.FX-A0"} <= ids(recs)
    assert not any(r.id.startswith("campaigns.scale_up") for r in recs)
    assert "campaigns.holdout.FX-A2" in ids(recs)  # targeted, judged by a naive comparison
    a0 = res_a["campaigns"]["FX-A0"]
    # a proven effect whose profit pays back its cost: scale up, citing the return in profit
    a0["balance_effect"].update(ci_low=1_000.0)
    a0.update(profit_roi=0.4, profit_12m={"estimate": 252_000.0, "ci_low": 30_000.0, "ci_high": 470_000.0})
    scale = CampaignScaleUp()(ReportContext(res_a, "en", **BRANCH_A))
    assert [r.id for r in scale] == ["campaigns.scale_up.FX-A0"]
    assert scale[0].cites == "campaigns.FX-A0.balance_effect.estimate"
    assert "40%" in scale[0].finding and "yearly net contribution" in scale[0].finding
    # the finding's stake is the campaign's yearly profit
    assert scale[0].stake.estimate == pytest.approx(a0["profit_12m"]["estimate"])
    # proven, but the profit does not cover the cost: keep it and make it pay
    a0["profit_roi"] = -0.4
    a0["profit_12m"]["estimate"] = 108_000.0
    pay = by_id(evaluate(res_a, "en"), "campaigns.pay_back.FX-A0")
    assert "−40%" in pay.finding and "cost per customer" in pay.recommendation
    # even the upper end of the interval does not pay back: stop
    a1 = res_a["campaigns"]["FX-A1"]
    a1["balance_effect"].update(estimate=-3_000.0, ci_low=-9_000.0, ci_high=-500.0)
    a1.update(profit_12m={"estimate": -100_000.0, "ci_low": -300_000.0, "ci_high": -17_000.0}, profit_roi=-4.3)
    stop = by_id(evaluate(res_a, "en"), "campaigns.stop.FX-A1")
    assert "rules out a worthwhile effect" in stop.finding and "redesign" in stop.recommendation.lower()


def test_no_recommendation_calls_business_volume_a_return(res_a):
    for lang, volume, ret in (("en", "new business", "return"), ("zh", "新增业务", "回报")):
        for r in evaluate(res_a, lang):
            for text in (r.headline, r.finding, r.recommendation):
                for clause in re.split(r"[;；,，。.()（）]", text):
                    assert not (volume in clause and ret in clause), clause


def test_the_briefing_says_what_the_campaigns_notebook_decides(res_a):
    """Each randomized campaign gets the one recommendation its verdict
    (analysis.questions.verdicts, the notebook's table) calls for, and no other."""
    from analysis.questions.verdicts import campaign_verdict

    rule_of = {"grow": "scale_up", "keep": "pay_back", "stop": "stop", "test": "unproven"}
    camps = res_a["campaigns"]
    cases = {  # balance effect (estimate, ci_low, ci_high), profit_12m, profit_roi → verdict
        "grow": ((5_000.0, 1_000.0, 9_000.0), (300e3, 60e3, 540e3), 2.0),
        "keep": ((5_000.0, 1_000.0, 9_000.0), (80e3, 16e3, 144e3), -0.2),
        "stop": ((-5_000.0, -9_000.0, -1_000.0), (-50e3, -90e3, -10e3), -1.5),
        "test": ((5_000.0, -1_000.0, 11_000.0), (300e3, -60e3, 660e3), 2.0),
    }
    template = camps["FX-A0"]
    for v, (effect, profit, r) in cases.items():
        camps[f"X-{v}"] = {
            **template,
            "balance_effect": dict(zip(("estimate", "ci_low", "ci_high"), effect)),
            "profit_12m": dict(zip(("estimate", "ci_low", "ci_high"), profit)),
            "profit_roi": r,
        }
    # a campaign not measurable yet: no verdict, no recommendation
    camps["X-later"] = {**template, "balance_effect": None, "profit_12m": None, "profit_roi": None, "verdict": None}
    recs = evaluate(res_a, "en")
    for cid, c in camps.items():
        if not isinstance(c, dict) or c.get("design") != "randomized":
            continue
        fired = {r.id.split(".")[1] for r in recs if r.id.endswith("." + cid) and r.id.startswith("campaigns.")}
        v = campaign_verdict(c)
        assert fired == (set() if v is None else {rule_of[v]}), cid
    assert {campaign_verdict(camps[f"X-{v}"]) for v in cases} == set(cases)
    assert campaign_verdict(camps["X-later"]) is None
    # the page prints "headline: recommendation": the recommendation does not say the headline again
    for lang in ("zh", "en"):
        for r in evaluate(res_a, lang):
            if r.id.startswith("campaigns."):
                assert not r.recommendation.startswith(r.headline), (r.headline, r.recommendation)


def test_churn_rate_rule(res_a):
    assert "churn.rate" in ids(evaluate(res_a, "zh"))
    res_a["churn"]["churn_rate_12m"] = 0.07
    assert "churn.rate" not in ids(evaluate(res_a, "zh"))


def test_skipped_or_missing_sections_fire_nothing(res_a):
    for name in (
        "churn",
        "satisfaction",
        "competitors",
        "campaigns",
        "relationship_managers",
        "value",
        "qvsrs",
        "overview",
    ):
        res_a[name] = {"status": "skipped", "reason": "table missing"}
    assert evaluate(res_a, "zh") == []
    assert evaluate({"branch_id": "x", "probe": {"status": "ok"}}, "en") == []


def test_both_languages_fire_the_same_rules(res_a):
    zh, en = evaluate(res_a, "zh"), evaluate(res_a, "en")
    assert [r.id for r in zh] == [r.id for r in en]
    assert [r.score for r in zh] == [r.score for r in en]
    assert [r.confidence for r in zh] == [r.confidence for r in en]
    assert all(r.finding != s.finding for r, s in zip(zh, en))


def test_rule_ids_are_unique():
    assert len({r.id for r in RULES}) == len(RULES)


def test_top_findings_five_at_most_two_per_section(res_a, res_b):
    for res in (res_a, res_b):
        recs = evaluate(res, "zh")
        top = top_findings(recs)
        assert len(top) == 5
        sections = [r.section for r in top]
        assert max(sections.count(s) for s in sections) <= PER_SECTION
        quantified = [r.score for r in top if r.stake is not None]
        assert quantified == sorted(quantified, reverse=True)
        assert [r.stake is None for r in top] == sorted(r.stake is None for r in top)  # quantified first
        # the best recommendation is always on the first page
        assert top[0] == recs[0]


def test_top_findings_with_few_recommendations(res_a):
    for name in ("satisfaction", "competitors", "campaigns", "relationship_managers", "value", "qvsrs", "overview"):
        res_a[name] = {"status": "skipped", "reason": "-"}
    recs = evaluate(res_a, "en")
    top = top_findings(recs)
    assert {r.section for r in top} == {"churn"}
    assert len(top) == min(5, len(recs))  # the per-section limit gives way when nothing else fired


def test_cited_paths_resolve_keys_with_dots():
    effect = {"estimate": -100.0, "ci_low": -300.0, "ci_high": -10.0}
    c = {"profit_roi": -0.5, "design": "randomized", "balance_effect": effect, "verdict": "stop"}
    res = {"campaigns": {"status": "ok", "2025.Q3": c}, "a": {"b": None}}
    assert paths.get(res, "campaigns.2025.Q3.profit_roi") == -0.5
    assert paths.exists(res, "a.b") and not paths.exists(res, "a.c") and paths.get(res, "a.b.c", 7) == 7
    stop = by_id(evaluate(res, "en"), "campaigns.stop.2025.Q3")
    assert stop.cites == "campaigns.2025.Q3.balance_effect.estimate" and paths.number(res, stop.cites) == -100.0


# ---------------------------------------------------------------------------
# findings chosen by what is at stake; words follow the interval


def test_a_tenfold_interval_is_worded_may_and_ranks_lower(res_a):
    res_a["churn"]["drivers"]["segment[high_net_worth]"] = {
        "odds_ratio": 3.67,
        "ci_low": 1.08,
        "ci_high": 12.55,
        "p_value": 0.038,
    }
    for lang, may, clearly in (("zh", "可能", "明显"), ("en", "may", "clearly")):
        r = by_id(evaluate(res_a, lang), "churn.segment.high_net_worth")
        assert r.confidence == MAY and may in r.finding and clearly not in r.finding.lower()
        assert r.score == pytest.approx(r.stake.rank * MAY_WEIGHT)
        seg = res_a["overview"]["segments"]["high_net_worth"]
        assert f"{seg['profit_share'] * 100:.1f}%" in r.finding  # its share of profit is stated
    # the same odds ratio with a narrow interval: said plainly and ranked at its full stake
    res_a["churn"]["drivers"]["segment[high_net_worth]"].update(ci_low=2.0, ci_high=6.7, p_value=1e-4)
    sure = by_id(evaluate(res_a, "zh"), "churn.segment.high_net_worth")
    assert sure.confidence == "clear" and "可能" not in sure.finding and sure.score == pytest.approx(sure.stake.rank)


def test_loans_shrinking_is_found_and_priced_at_the_loan_margin(res_a):
    res_a["overview"].update(loans=80_000_000.0, loans_change_12m=-0.23)
    recs = evaluate(res_a, "zh")
    r = by_id(recs, "overview.book.loans")
    lost = 80_000_000.0 / (1 - 0.23) - 80_000_000.0
    m = res_a["economics"]["loan_margin"]
    assert r.stake.estimate == pytest.approx(lost * m["estimate"])
    assert r.stake.low == pytest.approx(lost * m["ci_low"]) and r.stake.high == pytest.approx(lost * m["ci_high"])
    assert "23.0%" in r.finding and "利润影响" in r.stake_text
    assert r in top_findings(recs)  # a quarter of the loan book gone is on the first page


def test_no_rm_advice_on_a_factor_without_effect_unless_it_says_why(res_a):
    res_a["churn"]["drivers"]["has_rm"] = {"odds_ratio": 0.73, "ci_low": 0.45, "ci_high": 1.18, "p_value": 0.2}
    for lang, why in (("zh", "而不是为了防止流失"), ("en", "not to stop them leaving")):
        recs = evaluate(res_a, lang)
        rm = by_id(recs, "relationship_managers.coverage_top20")
        assert why in rm.recommendation and rm.confidence == MAY
        conc = [r for r in recs if r.id == "value.concentration"]
        assert all("客户经理" not in r.recommendation and "relationship manager" not in r.recommendation for r in conc)
    res_a["churn"]["drivers"]["has_rm"].update(odds_ratio=0.5, ci_low=0.35, ci_high=0.7, p_value=1e-4)
    rm = by_id(evaluate(res_a, "zh"), "relationship_managers.coverage_top20")
    assert "而不是为了防止流失" not in rm.recommendation and rm.confidence == "clear"


def test_pricing_as_the_top_close_reason(res_a):
    res_a["overview"]["leavers"] = {
        "customers": 276,
        "with_reason": 276,
        "revenue_year": 480_000.0,
        "by_reason": {
            "competitor_offer": {"customers": 74, "share": 74 / 276, "revenue_year": 82_000.0},
            "service_quality": {"customers": 70, "share": 70 / 276, "revenue_year": 144_000.0},
            "fees": {"customers": 29, "share": 29 / 276, "revenue_year": 32_000.0},
        },
    }
    r = by_id(evaluate(res_a, "zh"), "churn.pricing")
    assert "他行优惠吸引" in r.finding and "103" in r.finding and "27%" in r.finding
    assert r.stake.estimate == pytest.approx(82_000.0 + 32_000.0)
    res_a["overview"]["leavers"]["by_reason"]["service_quality"]["customers"] = 90  # no longer price
    assert "churn.pricing" not in ids(evaluate(res_a, "zh"))


def test_no_sentence_calls_volume_a_return(res_a):
    import re

    for lang in ("zh", "en"):
        for r in evaluate(res_a, lang):
            for sentence in re.split(r"(?<=[。])|(?<=\.)\s+", f"{r.finding} {r.recommendation} {r.stake_text}"):
                if re.search(r"投资回报率|回报率|\breturn\b|ROI", sentence, re.I):
                    assert not re.search(r"新增业务|new business", sentence, re.I), sentence
                    assert "非利润" not in sentence and "not profit" not in sentence
