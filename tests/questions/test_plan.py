"""Next quarter's plan (analysis.questions.plan): every rule on a hand-built
bank and hand-built sections (each rule has a test that fails without it),
the power calculation against published numbers, RESULTS.md's invariants and
their checker, plan.csv and the plan section, the words, and the sample bank.

The hand-built bank (module fixture `bank`): 1,200 customers of branch `tb`,
monthly snapshots 2024-01 … 2026-06 (as_of 2026-06-30: the plan is for
2026-07-01 … 2026-09-30). Customers 0–239 are platinum, 240–599 gold (of
them 500–599 upgraded on 2025-12-01, after the campaigns began), the rest not
VIP; three managers look after customers 0–799. Campaigns:

- `S1` salon, randomized, 2025-10: customers 0–899 (every fourth a control);
  the invited gain 20,000 CNY of deposits, platinum customers lose 20,000;
- `S0` salon, randomized, 2025-06: customers 300–1,099 (a second of a kind), +15,000;
- `H1` health check, randomized, 2025-11: customers 0–899, no effect;
- `D1` 端午主题日 (other, targeted, 2026-06), `Q1` 七夕主题日 (other, targeted,
  2024-08: customers 600–799, who took part gain 9,000).
50 customers leave in the window (200–209 of the top 20 %), 30 of them to a
rival's offer and 10 over fees; customers 0–99 complained in 2026-02, 60 of
them unresolved.
"""

from __future__ import annotations

import copy
import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import analysis
from analysis.assumptions import Assumptions
from analysis.questions import plan as P
from analysis.questions import plan_campaigns as PC
from analysis.run import tables
from analysis.sections import Skipped
from analysis.stats import power
from analysis.words import plan as W
from analysis.words.format import money

N = 1200
MONTHS = pd.date_range("2024-01-01", "2026-06-01", freq="MS")
EFFECT = 20_000.0
MARGIN = 0.012


def _customers() -> pd.DataFrame:
    i = np.arange(N)
    tier = np.where(i < 240, "platinum", np.where(i < 600, "gold", "none"))
    since = np.where(tier == "none", "", np.where((i >= 500) & (i < 600), "2025-12-01", "2020-01-01"))
    closed = ((i >= 1150) & (i < 1190)) | ((i >= 200) & (i < 210))  # 50 leavers in the window: price first
    reason = np.where(i < 1170, "competitor_offer", np.where(i < 1180, "fees", "service_quality"))
    return pd.DataFrame(
        {
            "customer_id": [f"C{k:04d}" for k in i],
            "branch_id": "tb",
            "open_date": "2015-01-01",
            "close_date": np.where(closed, "2026-06-15", ""),  # a full year of revenue: the top stay on top
            "close_reason": np.where(closed, reason, ""),
            "destination_bank": "",
            "birth_year": 1970 + i % 30,
            "gender": np.where(i % 2, "F", "M"),
            "area": np.where(i % 3 == 0, "rural", "urban"),
            "segment": np.where(i % 2, "affluent", "mass"),
            "vip_tier": tier,
            "vip_since": since,
            "rm_id": np.where((i < 800) & (i % 10 != 9), [f"tb-rm{k % 3 + 1}" for k in i], ""),
        }
    )


def _contacts(cid: str, ids: range, randomized: bool) -> pd.DataFrame:
    ids = np.array(list(ids))
    control = (ids % 4 == 0) if randomized else np.zeros(len(ids), bool)
    took = ~control & (ids % 5 != 0)
    return pd.DataFrame(
        {
            "campaign_id": cid,
            "customer_id": [f"C{k:04d}" for k in ids],
            "group": np.where(control, "control", "treatment"),
            "participated": took,
            "responded": False,
            "response_value": np.nan,
        }
    )


def _snapshots(rng) -> pd.DataFrame:
    rows = []
    base = 60_000 + 50.0 * np.arange(N)
    i = np.arange(N)
    treated_s1 = (i < 900) & (i % 4 != 0)
    treated_s0 = (i >= 300) & (i < 1100) & (i % 4 != 0)
    took_q1 = (i >= 600) & (i < 800) & (i % 5 != 0)
    sign = np.where(i < 240, -1.0, 1.0)
    revenue = 2000 - 1.8 * i  # the last customers lose money
    for m in MONTHS:
        dep = base + rng.normal(0, 10_000, N)
        dep += np.where(treated_s1 & (m >= pd.Timestamp("2025-10-01")), sign * EFFECT, 0)
        dep += np.where(treated_s0 & (m >= pd.Timestamp("2025-06-01")), 15_000, 0)
        dep += np.where(took_q1 & (m >= pd.Timestamp("2024-08-01")), 9_000, 0)
        df = pd.DataFrame(
            {
                "customer_id": [f"C{k:04d}" for k in range(N)],
                "month": m.strftime("%Y-%m-%d"),
                "deposit_balance": np.maximum(dep, 0),
                "loan_balance": 0.0,
                "wealth_aum": 5_000.0,
                "products_held": 1 + np.arange(N) % 4,
                "txn_count": 5,
                "digital_active": np.arange(N) % 4 != 1,
                "revenue": revenue,
            }
        )
        rows.append(df)
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    rng = np.random.default_rng(20260630)
    d = tmp_path_factory.mktemp("planbank")
    pd.DataFrame([{"branch_id": "tb", "branch_name": "测试支行", "city": "眉山", "home_bank": "中国建设银行"}]).to_csv(
        d / "branches.csv", index=False
    )
    _customers().to_csv(d / "customers.csv", index=False)
    _snapshots(rng).to_csv(d / "monthly_snapshots.csv", index=False)
    camps = [
        ("S1", "2025年易经国学财富智慧沙龙", "salon", "2025-10-05", "2025-10-20", 30_000, "randomized"),
        ("S0", "2025年理财沙龙", "salon", "2025-06-02", "2025-06-10", 60_000, "randomized"),
        ("H1", "2025年免费体检", "health_check", "2025-11-03", "2025-11-10", 120_000, "randomized"),
        ("D1", "2026年端午主题日", "other", "2026-06-10", "2026-06-12", 40_000, "targeted"),
        ("Q1", "2024年七夕主题日", "other", "2024-08-20", "2024-08-22", 30_000, "targeted"),
    ]
    pd.DataFrame(camps, columns=["campaign_id", "name", "kind", "start_date", "end_date", "cost", "design"]).assign(
        branch_id="tb"
    ).to_csv(d / "campaigns.csv", index=False)
    pd.concat(
        [
            _contacts("S1", range(0, 900), True),
            _contacts("S0", range(300, 1100), True),
            _contacts("H1", range(0, 900), True),
            _contacts("D1", range(600, 800), False),
            _contacts("Q1", range(600, 800), False),
        ]
    ).to_csv(d / "campaign_contacts.csv", index=False)
    comp = pd.DataFrame(
        {
            "interaction_id": [f"I{k:04d}" for k in range(100)],
            "customer_id": [f"C{k:04d}" for k in range(100)],
            "date": "2026-02-10",
            "type": "complaint",
            "category": "fees",
            "channel": "branch",
            "resolved_date": np.where(np.arange(100) < 60, "", "2026-02-20"),
            "resolution_score": np.nan,
        }
    )
    comp.to_csv(d / "interactions.csv", index=False)
    pd.DataFrame(
        {"rm_id": ["tb-rm1", "tb-rm2", "tb-rm3"], "branch_id": "tb", "hire_date": "2015-01-01", "grade": "senior"}
    ).to_csv(d / "relationship_managers.csv", index=False)
    return analysis.load(d, branch="tb")


def _est(e, lo, hi, p=0.001):
    return {"estimate": e, "ci_low": lo, "ci_high": hi, "p_value": p}


def _camp(design, n_t, n_c, effect, verdict=None, cost=None):
    f = {"design": design}
    f.update(
        {"n_treatment": n_t, "n_control": n_c}
        if design == "randomized"
        else {"n_participants": n_t, "n_comparison": 900}
    )
    if effect is not None:
        f["balance_effect"] = _est(*effect)
        n = n_t
        f["profit_12m"] = {k: effect[j] * n * MARGIN for j, k in enumerate(("estimate", "ci_low", "ci_high"))}
        if cost:
            f["profit_roi"] = (f["profit_12m"]["estimate"] - cost) / cost
    if verdict:
        f["verdict"] = verdict
    return f


def _sections() -> dict:
    """Hand-built sections with every schema-2 figure."""
    return {
        "churn": {
            "status": "ok",
            "churn_rate_12m": 0.1,
            "drivers": {
                "unresolved_complaint": {"odds_ratio": 2.2, "ci_low": 1.4, "ci_high": 3.5, "p_value": 0.001},
                "digital_active": {"odds_ratio": 0.5, "ci_low": 0.38, "ci_high": 0.69, "p_value": 1e-5},
                "products_held": {"odds_ratio": 0.95, "ci_low": 0.8, "ci_high": 1.1, "p_value": 0.4},
                "has_rm": {"odds_ratio": 0.73, "ci_low": 0.45, "ci_high": 1.18, "p_value": 0.2},
                "segment[affluent]": {"odds_ratio": 1.6, "ci_low": 1.1, "ci_high": 2.3, "p_value": 0.01},
            },
        },
        "campaigns": {
            "status": "ok",
            "S1": _camp("randomized", 675, 225, (8_000, 5_000, 11_000), "grow", 30_000),
            "S0": _camp("randomized", 600, 200, (15_000, 12_000, 18_000), "test"),
            "H1": _camp("randomized", 675, 225, (2_000, -2_000, 6_000), "test"),
            "D1": _camp("targeted", 160, None, (9_000, 2_000, 16_000), "keep"),
            "Q1": _camp("targeted", 160, None, (9_000, 2_000, 16_000), "keep"),
        },
        "economics": {"status": "ok", "customers": 1200, "funds_margin": _est(MARGIN, 0.011, 0.013, 0.0)},
        "relationship_managers": {
            "status": "ok",
            "coverage_top20": 0.6,
            "uncovered_top20": 24,
            "top20_customers": 240,
            "proposed_assignments": 30,
        },
        "satisfaction": {"status": "ok", "cs_gap": {"fees_value": -0.8}},
    }


@pytest.fixture()
def sections():
    """The hand-built sections, for a test to change (verdicts, drivers …)."""
    return _sections()


@pytest.fixture(scope="module")
def default_plan(bank):
    """The plan of the hand-built bank and sections, made once (do not modify)."""
    return plan_of(bank, _sections())


def plan_of(bank, sections, **assume):
    result = P.analyze(bank, sections, Assumptions(**assume) if assume else None)
    assert not isinstance(result, Skipped)
    return result


def rows(result) -> dict:
    return {r["action_id"]: r for r in result.table().to_dict("records")}


def results_json(bank, sections, result) -> dict:
    """results.json as the runner assembles it, through JSON."""
    res = {"as_of": str(bank.timeframe.as_of.date()), **copy.deepcopy(sections), "plan": result.section().to_dict()}
    return json.loads(json.dumps(res, default=str))


# ---------------------------------------------------------------------------
# the power calculation


def test_sample_size_matches_the_closed_form_and_statsmodels():
    from statsmodels.stats.power import NormalIndPower

    # worked number: α = 0.05, power 0.8 → (z(0.975) + z(0.8))² = 7.848879;
    # σ = 50,000, δ = 10,000: n = 2 × 7.848879 × 25 = 392.44 → 393 per arm
    assert (norm.ppf(0.975) + norm.ppf(0.8)) ** 2 == pytest.approx(7.848879, abs=1e-6)
    assert power.sample_size_per_arm(10_000, 50_000, 0.05) == 393
    sm = NormalIndPower().solve_power(effect_size=0.2, alpha=0.05, power=0.8, ratio=1.0)
    assert sm == pytest.approx(392.44, abs=0.01) and power.sample_size_per_arm(10_000, 50_000) == math.ceil(sm)
    # the detectable effect of those arms is δ, and their power 80 %
    assert power.detectable_effect(393, 393, 50_000) == pytest.approx(10_000, rel=2e-3)
    assert power.achieved_power(393, 393, 10_000, 50_000) == pytest.approx(0.8, abs=2e-3)


def test_holdout_share_for_a_population():
    n = power.sample_size_per_arm(10_000, 50_000)
    assert 0.45 < power.holdout_share_for(2 * n, 10_000, 50_000) <= 0.5  # two arms of n: about even
    assert power.holdout_share_for(2 * n - 2, 10_000, 50_000) is None  # not even an even split suffices
    h = power.holdout_share_for(2000, 10_000, 50_000)
    assert 0 < h < 0.5
    hold = round(h * 2000)
    assert power.achieved_power(2000 - hold, hold, 10_000, 50_000) == pytest.approx(0.8, abs=0.01)


# ---------------------------------------------------------------------------
# campaigns by verdict


def test_grow_is_extended_without_a_holdout(bank, sections, default_plan):
    r = rows(default_plan)
    g = r["S1-grow"]
    assert g["action"] == "campaign_grow" and g["holdout_share"] == 0 and g["customers"] > 675
    # a campaign row with holdout 0 that contacts customers rests on a grow verdict
    for x in r.values():
        if x["topic"] == "campaigns" and x["customers"] and x["holdout_share"] == 0:
            cid = x["action_id"].split("-")[0]
            assert sections["campaigns"][cid]["verdict"] == "grow"


def test_keep_repeats_with_a_holdout(bank, sections):
    sections["campaigns"]["S1"]["verdict"] = "keep"
    result = plan_of(bank, sections)
    k = rows(result)["S1-repeat"]
    assert k["action"] == "campaign_repeat"
    assert k["holdout_share"] == pytest.approx(0.2, abs=0.01) and k["customers"] <= 900  # last time's size
    a = result.assignments
    a = a[a["action_id"] == "S1-repeat"]
    assert (a["arm"] == "holdout").mean() == pytest.approx(k["holdout_share"], abs=1e-3)


def test_test_is_designed_for_power_on_the_break_even_effect(bank, sections, default_plan):
    result = default_plan
    t = rows(result)["H1-test"]
    d = result.section().details["H1-test"]["test"]
    cpc = 120_000 / 675
    assert d["basis"] == "break_even" and d["delta"] == pytest.approx(cpc / MARGIN)
    # σ from the campaign's own contacts in the tiers it goes to (platinum has a standing health check)
    facts = next(f for f in PC.campaign_facts(bank, sections["campaigns"], Assumptions()) if f.campaign_id == "H1")
    own = facts.change.reindex(facts.contacts["customer_id"]).dropna()
    tiers = PC.tier_at(bank.customers, pd.Timestamp("2026-06-30")).reindex(own.index)
    sd = own[tiers.isin(["gold", "none"]).to_numpy()].std(ddof=1)
    assert d["sigma"] == pytest.approx(sd, rel=0.05)
    assert d["n_per_arm"] == power.sample_size_per_arm(d["delta"], d["sigma"], 0.05)
    assert d["n_holdout"] + d["n_treated"] == t["customers"] and t["holdout_share"] == pytest.approx(d["holdout_share"])
    assert d["achieved_power"] >= 0.8 - 1e-9 or d["underpowered"]
    assert t["profit_12m"] is None or math.isnan(t["profit_12m"])  # a test claims no profit
    # the randomized lists, seeded: the same on a second run
    a1 = result.assignments
    a2 = plan_of(bank, sections).assignments
    pd.testing.assert_frame_equal(a1, a2)
    h = a1[a1["action_id"] == "H1-test"]
    assert (h["arm"] == "holdout").sum() == d["n_holdout"]


def test_stop_is_not_run_again(bank, sections):
    sections["campaigns"]["H1"]["verdict"] = "stop"
    result = plan_of(bank, sections)
    s = rows(result)["H1-stop"]
    assert s["customers"] == 0 and s["cost"] == 0 and s["baseline"] == 120_000 and s["target"] == 0
    assert not any(k.startswith("H1-") and k != "H1-stop" for k in rows(result))
    assert (result.assignments["action_id"] != "H1-stop").all()


def test_without_schema2_figures_campaigns_are_only_tested_and_claim_no_profit(bank, sections):
    del sections["economics"]
    for f in sections["campaigns"].values():
        if isinstance(f, dict):
            for k in ("verdict", "profit_12m", "profit_roi"):
                f.pop(k, None)
    result = plan_of(bank, sections)
    camp = [r for r in rows(result).values() if r["topic"] == "campaigns"]
    assert camp and all(r["action"] == "campaign_test" and r["holdout_share"] > 0 for r in camp)
    assert all(math.isnan(r["profit_12m"]) for r in rows(result).values())
    sec = result.section()
    assert "economics.funds_margin" in sec.missing and "campaigns.S1.verdict" in sec.missing
    assert sec.details["S1-test"]["test"]["basis"] == "measured_effect"  # sized on last time's effect
    assert not any("economics" in r["evidence"] for r in camp)  # nothing cited that is not there
    assert P.plan_invariant_problems(result.table(), results_json(bank, sections, result)) == []


def test_profit_is_effect_times_customers_times_margin(bank, sections, default_plan):
    result = default_plan
    g = rows(result)["S1-grow"]
    contacted = g["customers"]  # no holdout: every customer is contacted
    assert g["profit_12m"] == pytest.approx(8_000 * contacted * MARGIN)
    assert g["profit_ci_low"] == pytest.approx(5_000 * contacted * MARGIN)
    assert g["profit_ci_high"] == pytest.approx(11_000 * contacted * MARGIN)
    assert "economics.funds_margin" in g["evidence"] and "campaigns.S1.profit_12m" in g["evidence"]
    # a targeted campaign's effect is per participant: × the share of the invited who took part
    q = rows(result)["Q1-repeat"]
    contacted = round(q["customers"] * (1 - q["holdout_share"]))
    assert q["profit_12m"] == pytest.approx(9_000 * 0.8 * contacted * MARGIN, rel=1e-6)
    # an effect assumed to last six months earns half in the year
    half = rows(plan_of(bank, sections, effect_persistence_months=6))["S1-grow"]
    assert half["profit_12m"] == pytest.approx(g["profit_12m"] / 2)
    # the plan's total: the rows' sum, the interval in quadrature
    sec = result.section()
    ps = [r for r in rows(result).values() if not math.isnan(r["profit_12m"])]
    assert sec.profit_12m == pytest.approx(sum(r["profit_12m"] for r in ps))
    half_low = math.sqrt(sum((r["profit_12m"] - r["profit_ci_low"]) ** 2 for r in ps))
    assert sec.profit_ci_low == pytest.approx(sec.profit_12m - half_low)


FADE = {"slope_per_month": _est(-1_500.0, -2_000.0, -1_000.0, 1e-6), "months": 6.0, "source": "event_study"}
FLAT = {"slope_per_month": _est(200.0, -300.0, 700.0, 0.4), "months": 12, "source": "assumption"}


def test_a_measured_fade_sets_the_rows_margin_and_is_cited(bank, sections, default_plan):
    sections["campaigns"]["Q1"]["persistence"] = FADE
    result = plan_of(bank, sections)
    before, after = rows(default_plan), rows(result)
    # Q1's effect lasts 6 months by its own event study: half a year's contribution
    q0, q = before["Q1-repeat"], after["Q1-repeat"]
    assert q["customers"] == q0["customers"]
    for k in ("profit_12m", "profit_ci_low", "profit_ci_high"):
        assert q[k] == pytest.approx(q0[k] * 6 / 12)
    assert "campaigns.Q1.persistence.months" in q["evidence"].split(";")
    assert q["target"] == pytest.approx(q0["target"] * 2)  # the break-even effect at half the margin
    d = result.section().details["Q1-repeat"]["persistence"]
    assert d == {"months": 6.0, "source": "event_study", "slope_per_month": -1_500.0}
    # the other campaigns keep the assumption
    assert after["S1-grow"]["profit_12m"] == pytest.approx(before["S1-grow"]["profit_12m"])
    assert "persistence" not in after["S1-grow"]["evidence"]
    assert P.plan_invariant_problems(result.table(), results_json(bank, sections, result)) == []


def test_no_fade_found_keeps_the_assumption(bank, sections, default_plan):
    sections["campaigns"]["Q1"]["persistence"] = FLAT
    result = plan_of(bank, sections)
    q0, q = rows(default_plan)["Q1-repeat"], rows(result)["Q1-repeat"]
    assert q["profit_12m"] == pytest.approx(q0["profit_12m"]) and q["evidence"] == q0["evidence"]
    d = result.section().details["Q1-repeat"]["persistence"]
    assert d == {"months": 12, "source": "assumption", "slope_per_month": 200.0}


def test_a_fade_that_outlasts_a_year_counts_a_year(bank, sections, default_plan):
    sections["campaigns"]["Q1"]["persistence"] = {**FADE, "months": 12.0}
    q = rows(plan_of(bank, sections))["Q1-repeat"]
    assert q["profit_12m"] == pytest.approx(rows(default_plan)["Q1-repeat"]["profit_12m"])
    econ = {"status": "ok", "funds_margin": _est(MARGIN, 0, 1)}
    assert PC.margin_factor(econ, Assumptions(), 30.0) == pytest.approx(MARGIN)
    assert PC.margin_factor(econ, Assumptions(), 3.0) == pytest.approx(MARGIN / 4)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_words_say_which_persistence_each_campaign_uses(bank, sections, default_plan, lang):
    sections["campaigns"]["Q1"]["persistence"] = FADE
    sec = plan_of(bank, sections).section().to_dict()
    said = W.persistence_sentence(sec, lang)
    assert said in W.describe_plan(sec, lang)
    sections["campaigns"]["Q1"]["persistence"] = FLAT
    flat = W.persistence_sentence(plan_of(bank, sections).section().to_dict(), lang)
    # without an event study's slope, only the assumption is stated
    plain = W.persistence_sentence(default_plan.section().to_dict(), lang)
    if lang == "zh":
        assert "假设余额效应持续12个月" in said and "每月减弱约1,500元" in said
        assert "只按相当于6个月的完整效应计" in said
        assert "假设余额效应持续12个月" in flat and "未发现效应逐月减弱" in flat
        assert "假设余额效应持续12个月" in plain and "减弱" not in plain
    else:
        assert "assumed to last 12 months" in said and "fades by about CNY 1,500 a month" in said
        assert "counted as 6 months of the full effect" in said
        assert "assumed to last 12 months" in flat and "shows no sign of it fading" in flat
        assert "assumed to last 12 months" in plain and "fad" not in plain
        assert not re.search(r"[\u4e00-\u9fff]", said + flat + plain)


# ---------------------------------------------------------------------------
# subgroups, services, seasons, one instruction per customer


def test_tier_at_start_is_none_when_vip_since_is_later():
    c = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "vip_tier": ["gold", "platinum", "none"],
            "vip_since": pd.to_datetime(["2025-12-01", "2020-01-01", None]),
        }
    )
    t = PC.tier_at(c, pd.Timestamp("2025-10-05"))
    assert t.to_dict() == {"a": "none", "b": "platinum", "c": "none"}
    assert PC.tier_at(c, pd.Timestamp("2025-12-01"))["a"] == "gold"


def test_subgroups_are_measured_at_the_campaigns_start(bank):
    facts = next(f for f in PC.campaign_facts(bank, {"S1": {"design": "randomized"}}, Assumptions()))
    tiers = PC.subgroup_estimates(bank, facts, "vip_tier", Assumptions()).set_index("group")
    # customers 500–599 became gold after the salon began: they count as not VIP
    assert tiers.loc["gold", "contacts"] == 260 and tiers.loc["none", "contacts"] == 400
    assert tiers.loc["platinum", "ci_high"] < 0 < tiers.loc["gold", "ci_low"]


def test_a_subgroup_that_contradicts_is_left_out_or_tested_there(bank, sections, default_plan):
    result = default_plan
    r = rows(result)
    a = result.assignments.set_index("customer_id")
    tier = bank.customers.set_index("customer_id")["vip_tier"].astype(str)
    grow = a[a["action_id"] == "S1-grow"]
    assert not (tier.reindex(grow.index) == "platinum").any()  # the pooled effect is not applied to platinum
    sub = a[a["action_id"] == "S1-test-subgroups"]  # … it is tested there instead, with a holdout
    assert len(sub) and (tier.reindex(sub.index) == "platinum").all() and r["S1-test-subgroups"]["holdout_share"] > 0
    assert result.section().details["S1-grow"]["left_out"]["platinum"] == "subgroup_test"
    # a keep leaves the tier out; a test keeps it
    sections["campaigns"]["S1"]["verdict"] = "keep"
    keep = plan_of(bank, sections).assignments
    keep = keep[keep["action_id"].str.startswith("S1-")]
    assert set(keep["action_id"]) == {"S1-repeat"} and not (tier.reindex(keep["customer_id"]) == "platinum").any()
    sections["campaigns"]["S1"]["verdict"] = "test"
    test = plan_of(bank, sections).assignments
    assert (tier.reindex(test.loc[test["action_id"] == "S1-test", "customer_id"]) == "platinum").any()
    judged = PC.judge_subgroups(
        pd.DataFrame(
            {
                "group": ["x", "y", "z"],
                "estimate": [100.0, -5.0, 9_000.0],
                "ci_low": [-9e3, -9.0, 5e3],
                "ci_high": [9e3, -1.0, 13e3],
            }
        ),
        (10_000.0, 5_000.0, 15_000.0),
    )
    assert list(judged["status"]) == ["far_below", "contradicts", "consistent"]


def test_standing_vip_services_are_not_offered_again(bank, sections, default_plan):
    result = default_plan
    a = result.assignments
    tier = bank.customers.set_index("customer_id")["vip_tier"].astype(str)
    h = a[a["action_id"] == "H1-test"]
    assert len(h) and not (tier.reindex(h["customer_id"]) == "platinum").any()
    assert result.section().details["H1-test"]["left_out"]["platinum"] == "standing_service"
    assert "health_check" in PC.VIP_SERVICES["platinum"] and "salon" not in PC.VIP_SERVICES["platinum"]


def test_seasonal_events_fall_in_their_season_or_are_flagged(bank, sections, default_plan):
    result = default_plan
    r = rows(result)
    assert "D1-repeat" not in r  # 端午 (June) is not in July–September
    flag = [s for s in result.not_scheduled if s.get("campaign_id") == "D1"]
    assert flag and flag[0]["reason"] == "out_of_season" and flag[0]["season"] == "dragon_boat"
    q = r["Q1-repeat"]  # 七夕 (August): inside its season within the quarter
    assert (q["start"], q["end"]) == ("2026-08-01", "2026-08-31")
    assert PC.season_of("2026年端午主题日（七月补办）", "other")[1] == (5, 6)  # where it once ran does not move it
    assert PC.season_of("年终客户答谢会", "year_end_gala")[0] == "year_end"
    assert PC.season_of("红酒品鉴会", "wine_tasting") == (None, ())
    text = " ".join(W.describe_plan(result.section().to_dict(), "zh"))
    assert "端午" in text and "不在季节内" in text


def test_no_customer_gets_two_contradicting_instructions(bank, sections):
    sections["campaigns"]["S0"]["verdict"] = "grow"
    sections["campaigns"]["S1"]["verdict"] = "test"
    a = plan_of(bank, sections).assignments
    salon = a[a["action_id"].str.startswith(("S1-", "S0-"))]
    assert set(salon["action_id"]) >= {"S1-test", "S0-grow"}
    # a customer is in at most one salon row: the salon test's holdout is never invited to the other salon
    assert not salon["customer_id"].duplicated().any()
    held = set(salon.loc[salon["arm"] == "holdout", "customer_id"])
    assert held and not held & set(salon.loc[salon["action_id"] == "S0-grow", "customer_id"])
    # and no row both holds a customer out and contacts them
    assert not a.groupby(["action_id", "customer_id"]).size().gt(1).any()


# ---------------------------------------------------------------------------
# capacity and budget


def test_manager_capacity_is_kept_the_lowest_value_contacts_go_by_phone(bank, sections):
    result = plan_of(bank, sections, rm_contacts_per_quarter=40)
    cap = result.capacity
    assert cap["managers"] == 3 and cap["max_per_manager"] <= 40 and cap["rm_contacts"] <= 120
    assert cap["moved_to_phone"] > 0
    a = result.assignments
    people = P.plan_people(bank)[0]
    made = a[(a["arm"] == "contact") & (a["channel"] == "rm")]
    assert made.groupby("rm").size().max() <= 40
    # a manager's own customers go by phone only when the manager is full, and are worth less than every contact made
    phoned = a[(a["arm"] == "contact") & (a["channel"] == "phone")]
    phoned = phoned[phoned["action_id"].isin(set(made["action_id"]))]
    for rm, own in phoned.groupby(people["rm_id"].reindex(phoned["customer_id"]).to_numpy()):
        kept = made[made["rm"] == rm]
        assert len(kept) == 40
        rev = people["revenue_12m"]
        assert rev.reindex(own["customer_id"]).max() <= rev.reindex(kept["customer_id"]).min() + 1e-6
    text = " ".join(W.describe_plan(result.section().to_dict(), "en"))
    assert "by phone instead" in text and "40" in text


def test_budget_is_kept_cutting_the_lowest_profit_per_cny_first(bank, sections, default_plan):
    full = default_plan
    limit_share = 0.5 * full.budget["planned"] / full.basis["yearly_profit"]
    result = plan_of(bank, sections, plan_budget_share=limit_share)
    assert result.budget["planned"] <= result.budget["limit"] + 1e-6
    cut = [s for s in result.not_scheduled if s["reason"] == "over_budget"]
    assert cut
    kept = {r["action_id"]: r for r in rows(result).values()}
    ppc = {
        r["action_id"]: (r["profit_12m"] / r["cost"]) if not math.isnan(r["profit_12m"]) else 1.0
        for r in rows(full).values()
        if r["cost"] > 0
    }
    # no kept row returns less per CNY than a cut one unless the cut one did not fit
    worst_kept = min(ppc[k] for k in kept if k in ppc)
    assert all(
        ppc[c["action_id"]] <= worst_kept or c["cost"] > result.budget["limit"] - result.budget["planned"] for c in cut
    )
    assert "S1-grow" in kept  # the best row stays


# ---------------------------------------------------------------------------
# evidence rows


def test_evidence_rows_follow_the_significant_drivers_only(bank, sections, default_plan):
    r = rows(default_plan)
    assert {"complaint-closure", "digital-onboarding", "retention-top20", "rm-coverage", "pricing-review"} <= set(r)
    assert "churn.drivers.products_held" not in r["retention-top20"]["evidence"]  # p = 0.4: not a driver
    assert r["complaint-closure"]["customers"] == 60 and r["complaint-closure"]["owner_role"] == "operations_lead"
    for k in ("complaint-closure", "digital-onboarding", "retention-top20", "rm-coverage", "pricing-review"):
        assert math.isnan(r[k]["profit_12m"]) and r[k]["owner_role"] in P.OWNER_ROLES
        assert r[k]["target"] != r[k]["baseline"] and not math.isnan(r[k]["baseline"])
    assert r["pricing-review"]["baseline"] == pytest.approx(40 / 50)  # fees + a rival's offer among the leavers
    assert r["retention-top20"]["baseline"] == pytest.approx(10 / 240)  # the top 20 % who left
    assert r["rm-coverage"]["customers"] == 23 and r["rm-coverage"]["target"] == pytest.approx(0.6 + 23 / 240)
    weak = copy.deepcopy(sections)
    for d in weak["churn"]["drivers"].values():
        d["p_value"] = 0.3
    r2 = rows(plan_of(bank, weak))
    assert not {"complaint-closure", "digital-onboarding", "retention-top20"} & set(r2)


def test_manager_coverage_says_why(bank, sections, default_plan):
    result = default_plan
    assert result.section().details["rm-coverage"]["why"] == "value_protected"  # has_rm p = 0.2
    assert "churn.drivers.has_rm" in rows(result)["rm-coverage"]["evidence"]
    assert "no significant effect" in W.action_line(
        rows(result)["rm-coverage"], result.section().details["rm-coverage"], "en"
    )
    sections["churn"]["drivers"]["has_rm"].update(p_value=0.01, ci_high=0.9)
    assert plan_of(bank, sections).section().details["rm-coverage"]["why"] == "churn_effect"


# ---------------------------------------------------------------------------
# RESULTS.md's invariants, plan.csv and the section


def test_invariants_hold(bank, sections, default_plan):
    result = default_plan
    res = results_json(bank, sections, result)
    assert P.plan_invariant_problems(result.table(), res) == []
    assert P.plan_invariant_problems(res["plan"]["actions"], res) == []
    for r in result.table().to_dict("records"):
        assert "2026-07-01" <= r["start"] <= r["end"] <= "2026-09-30"


def _set(column, value, where=None):
    def breach(t: pd.DataFrame) -> None:
        rows_ = t.index if where is None else t.index[t["action_id"] == where]
        t.loc[rows_, column] = value(t.loc[rows_]) if callable(value) else value

    return breach


@pytest.mark.parametrize(
    "breach, words",
    [
        (_set("holdout_share", 0.0, where="H1-test"), "not grow"),
        (_set("evidence", lambda t: t["evidence"] + ";churn.no_such_figure"), "does not resolve"),
        (_set("end", "2026-10-05"), "not inside the quarter"),
        (_set("start", "2026-09-30"), "after it ends"),
        (_set("cost", -1.0), "not ≥ 0"),
        (_set("profit_ci_high", 0.0, where="S1-grow"), "not inside its interval"),
        (_set("holdout_share", 1.0), "not in [0, 1)"),
        (_set("topic", "marketing"), "topic"),
    ],
)
def test_the_invariant_check_names_each_breach(bank, sections, default_plan, breach, words):
    result = default_plan
    res = results_json(bank, sections, result)
    table = result.table()
    breach(table)
    problems = P.plan_invariant_problems(table, res)
    assert any(words in p for p in problems), problems


def test_the_invariant_check_finds_a_stopped_campaign_run_and_wrong_sums(bank, sections, default_plan):
    result = default_plan
    res = results_json(bank, sections, result)
    res["campaigns"]["H1"]["verdict"] = "stop"
    assert any("verdict is stop" in p for p in P.plan_invariant_problems(result.table(), res))
    res = results_json(bank, sections, result)
    res["plan"]["cost"] += 1
    assert any("plan.cost" in p for p in P.plan_invariant_problems(result.table(), res))
    assert any("columns" in p for p in P.plan_invariant_problems(result.table().iloc[:, ::-1], res))


def test_plan_csv_and_the_section_agree(bank, sections, default_plan, tmp_path):
    result = default_plan
    path, lists = tables.write_plan(tmp_path, result)
    assert path == tmp_path / "plan.csv" and lists.parent.name == "private"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    back = tables.read_plan(path)
    assert list(back.columns) == list(P.PLAN_COLUMNS)
    assert back["customers"].dtype.kind == "i" and back["cost"].dtype.kind == "f"
    sec = result.section().to_dict()
    assert list(sec)[:4] == ["status", "actions", "cost", "profit_12m"]
    assert sec["cost"] == pytest.approx(back["cost"].sum())
    assert sec["profit_12m"] == pytest.approx(back["profit_12m"].fillna(0).sum())
    assert [a["action_id"] for a in sec["actions"]] == list(back["action_id"])
    res = results_json(bank, sections, result)
    assert P.plan_invariant_problems(back, res) == []
    private = pd.read_csv(lists, dtype=str, encoding="utf-8-sig")
    assert set(private.columns) == {"action_id", "customer_id", "arm", "channel", "rm"}
    assert len(private) == back["customers"].sum()


def test_results_json_plan_is_the_sums_of_plan_csv(bank, sections, default_plan, tmp_path):
    """As a run leaves it: the notebook writes the section and plan.csv into the
    staging folder, the runner assembles results.json there (and renames the
    folder into OUT/<branch>/)."""
    from analysis.run import results

    results.write_section(tmp_path, "plan", default_plan.section())
    for name, sec in sections.items():
        results.write_section(tmp_path, name, sec)
    res = results.assemble(tmp_path, {"branch_id": "tb", "as_of": "2026-06-30"})
    tables.write_plan(tmp_path, default_plan)
    table = tables.read_plan(tmp_path / "plan.csv")
    assert res["plan"]["cost"] == pytest.approx(table["cost"].sum())
    assert res["plan"]["profit_12m"] == pytest.approx(table["profit_12m"].fillna(0).sum())
    assert len(res["plan"]["actions"]) == len(table)
    assert P.plan_invariant_problems(table, res) == []


def test_a_plan_without_customers_is_skipped():
    result = P.PlanResult([], P.next_quarter("2026-06-30"), {}, {}, [], {}, [], Assumptions(), skipped="nobody")
    assert result.section().to_dict() == {"status": "skipped", "reason": "nobody"}
    assert list(result.table().columns) == list(P.PLAN_COLUMNS) and result.table().empty
    assert result.assignments.empty


def test_complaint_closure_follows_the_unresolved_days_assumed(bank, sections):
    r = rows(plan_of(bank, sections, unresolved_days=5))  # resolved after 10 days: late too
    assert r["complaint-closure"]["customers"] == 100
    assert r["complaint-closure"]["baseline"] == 0.0


def test_next_quarter():
    assert P.next_quarter("2026-06-30") == (pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-30"))
    assert P.next_quarter("2026-12-31") == (pd.Timestamp("2027-01-01"), pd.Timestamp("2027-03-31"))
    assert P.next_quarter("2026-05-31") == (pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-30"))


# ---------------------------------------------------------------------------
# words


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_words_of_the_plan(bank, sections, default_plan, lang):
    sec = default_plan.section().to_dict()
    text = " ".join(W.describe_plan(sec, lang))
    assert money(sec["cost"], lang) in text and money(sec["profit_12m"], lang) in text
    if lang == "zh":
        assert "年净贡献" in text and "95%区间" in text and "假设余额效应持续12个月" in text
        assert "投资回报" not in text and "回报率" not in text
    else:
        assert "yearly net contribution" in text and "95% interval" in text and "assumed to last 12 months" in text
        assert "return on investment" not in text.lower()
    table = W.plan_table(sec, lang)
    assert len(table) == len(sec["actions"])
    num_cols = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    assert len(num_cols) >= 6  # customers, cost, profit and its interval, holdout: numbers
    dec = W.decisions(sec, lang)
    assert 3 <= len(dec) <= 5 and dec[0]["action_id"] == "S1-grow"
    assert all(d["owner"] and d["cost"] for d in dec)


def test_words_without_a_plan():
    assert "nobody" in W.describe_plan({"status": "skipped", "reason": "nobody"}, "en")[0]
    assert W.decisions({"status": "skipped", "reason": "x"}, "zh") == []


# ---------------------------------------------------------------------------
# the briefing and the deck


def test_briefing_shows_the_plan_and_first_page_decisions(bank, sections, default_plan, tmp_path, expected):
    from fixtures.specimen import make_run
    from pptx import Presentation

    from analysis.report.briefing import build_briefing, compose

    result = default_plan
    figures = copy.deepcopy(expected["fixture-a"])
    figures["plan"] = result.section().to_dict()
    figures["as_of"] = "2026-06-30"
    res = make_run(
        tmp_path / "run", figures, {"branch_name": "测试支行", "city": "眉山", "home_bank": "中国建设银行"}, "zh"
    )
    page = compose(tmp_path / "run", res, "zh")
    dec = page.context["decisions"]
    assert 3 <= len(dec["rows"]) <= 5 and dec["rows"][0]["action_id"] == "S1-grow"
    plan = next(s for s in page.context["sections"] if s["id"] == "plan")
    assert "年净贡献" in " ".join(plan["paragraphs"])
    assert "零售业务部负责人" in plan["tables"][0]["html"]
    html = build_briefing(tmp_path / "run", res, "zh").read_text(encoding="utf-8")
    cover = html[: html.index('class="toc"')]
    first_row = dec["rows"][0]  # the estimate, its interval beneath
    assert "下季度的决定" in cover and "零售业务部负责人" in cover
    assert first_row["profit_estimate"] in cover and first_row["profit_range"] in cover
    prs = Presentation(str(tmp_path / "run" / "briefing.pptx"))
    slide = next(s for s in prs.slides if s.name == "plan")
    texts = [c.text for sh in slide.shapes if sh.has_table for row in sh.table.rows for c in row.cells]
    texts += [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    first = next(r for r in result.section().to_dict()["actions"] if r["action_id"] == dec["rows"][0]["action_id"])
    shown = [x.split("\n")[0].replace(",", "") for x in texts if "\n" in x]  # profit over its interval
    shown = [float(x) for x in shown if x.replace(".", "", 1).isdigit()]
    assert any(abs(v - first["profit_12m"] / 1e4) < 0.01 * first["profit_12m"] / 1e4 for v in shown)  # in 万元
    assert any("上限" in x for x in texts)


# ---------------------------------------------------------------------------
# the sample bank


@pytest.fixture(scope="module")
def sample_sections(sample_banks):
    from analysis.questions import campaigns, churn, managers

    bank = sample_banks["meishan"]
    fit = churn.analyze(bank)
    rm = managers.analyze(bank, risk=churn.churn_risk(bank, fit)).section().to_dict()
    camp = campaigns.analyze(bank, with_did=False, with_heterogeneity=False).section().to_dict()
    return bank, {"churn": fit.section().to_dict(), "campaigns": camp, "relationship_managers": rm}


def _without_schema2(secs: dict) -> dict:
    """The sections as a schema-1 run wrote them: no verdict, profit or economics (the plan must stay honest)."""
    secs = copy.deepcopy(secs)
    secs.pop("economics", None)
    for f in secs["campaigns"].values():
        if isinstance(f, dict):
            for k in ("verdict", "profit_12m", "profit_roi", "business_roi"):
                f.pop(k, None)
    return secs


def _with_schema2(secs: dict) -> dict:
    """The sample bank's sections with schema-2 figures added by hand (the
    contract's verdict rule on its own numbers; a funds margin of 1.2 %)."""
    secs = copy.deepcopy(secs)
    secs["economics"] = {"status": "ok", "customers": 1, "funds_margin": _est(MARGIN, 0.011, 0.013, 0.0)}
    cost = {c: 1.0 for c in secs["campaigns"]}
    for cid, f in secs["campaigns"].items():
        if not (isinstance(f, dict) and f.get("balance_effect")):
            continue
        e = f["balance_effect"]
        n = f.get("n_treatment") or f.get("n_participants")
        f["profit_12m"] = {k: e[k] * n * MARGIN for k in ("estimate", "ci_low", "ci_high")}
        f["profit_roi"] = f["profit_12m"]["estimate"] / cost[cid] - 1
        f["verdict"] = (
            "stop"
            if e["estimate"] <= 0
            else "test"
            if e["ci_low"] <= 0
            else "grow"
            if f["design"] == "randomized" and f["profit_roi"] > 0
            else "keep"
        )
    return secs


@pytest.mark.parametrize("schema2", [False, True])
def test_sample_bank_plan_obeys_its_invariants_and_budget(sample_sections, schema2):
    bank, secs = sample_sections
    secs = _with_schema2(secs) if schema2 else _without_schema2(secs)
    result = P.analyze(bank, secs)
    table = result.table()
    assert len(table) >= 3
    res = results_json(bank, secs, result)
    assert P.plan_invariant_problems(table, res) == []
    assert result.budget["planned"] <= result.budget["limit"] + 1e-6
    assert result.capacity["max_per_manager"] <= Assumptions().rm_contacts_per_quarter
    if not schema2:
        assert (table.loc[table["topic"] == "campaigns", "holdout_share"] > 0).all()
        assert table["profit_12m"].isna().all()
