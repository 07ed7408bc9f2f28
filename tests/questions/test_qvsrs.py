"""QVSRS scorecard: contract figures (conformance + hand-computed), movement, prose."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data.bank import Bank
from analysis.data.contract import ATTRIBUTES
from analysis.data.timeframe import Timeframe
from analysis.questions.qvsrs import (
    METRICS,
    PREVIOUS_MONTHS,
    QvsrsSection,
    analyze,
    quality_index,
    shifted,
    value_index,
)
from analysis.run import results
from analysis.words.qvsrs import describe_qvsrs, scorecard_metric_label, scorecard_value


def qvsrs_section(bank: Bank) -> dict:
    """The section as results.json holds it."""
    return analyze(bank, previous_months=None).section().to_dict()


D = pd.Timestamp


def _months(first: str, last: str) -> list[pd.Timestamp]:
    return list(pd.date_range(first, last, freq="MS"))


def tiny_bank(first_month: str = "2024-07-01") -> Bank:
    """M = 2026-06 (t0 2025-07-01). Customers (open, close, rm, products, revenue/month, snapshot months):
    c1 2015-06-30, –, rm, 3, 10, all · c2 2020-06-30, closed 2026-01-15, –, 1, 5, … 2026-01 ·
    c3 2025-09-01, –, rm, 2, 2, 2025-09 … · c4 2018-01-01, closed 2025-03-10, –, 1, 1, … 2025-03 ·
    c5 2024-12-15, –, –, 5, 4, 2024-12 … · c6 2026-02-01, –, –, 1, 1, 2026-02 …"""
    spec = [
        ("c1", "2015-06-30", None, "rm1", 3, 10.0, "2024-07-01", "2026-06-01"),
        ("c2", "2020-06-30", "2026-01-15", None, 1, 5.0, "2024-07-01", "2026-01-01"),
        ("c3", "2025-09-01", None, "rm1", 2, 2.0, "2025-09-01", "2026-06-01"),
        ("c4", "2018-01-01", "2025-03-10", None, 1, 1.0, "2024-07-01", "2025-03-01"),
        ("c5", "2024-12-15", None, None, 5, 4.0, "2024-12-01", "2026-06-01"),
        ("c6", "2026-02-01", None, None, 1, 1.0, "2026-02-01", "2026-06-01"),
    ]
    customers = pd.DataFrame(
        {
            "customer_id": [s[0] for s in spec],
            "branch_id": "b1",
            "open_date": [D(s[1]) for s in spec],
            "close_date": [D(s[2]) if s[2] else pd.NaT for s in spec],
            "rm_id": [s[3] for s in spec],
        }
    )
    rows = []
    for cid, _, _, _, products, revenue, m0, m1 in spec:
        for m in _months(max(m0, first_month), m1):
            rows.append(
                {
                    "customer_id": cid,
                    "month": m,
                    "products_held": products,
                    "revenue": revenue,
                    "deposit_balance": 0.0,
                    "wealth_aum": 0.0,
                }
            )
    snaps = pd.DataFrame(rows)
    branches = pd.DataFrame([{"branch_id": "b1", "branch_name": "测试支行", "city": "X", "home_bank": "H"}])
    return Bank(
        "b1", {"branches": branches, "customers": customers, "monthly_snapshots": snaps}, Timeframe(D("2026-06-01"))
    )


def test_relationship_and_sustainability_by_hand():
    s = qvsrs_section(tiny_bank())
    assert s["status"] == "ok"
    assert s["quality"] is None and s["value"] is None and s["satisfaction"] is None  # no surveys
    r = s["relationship"]
    assert r["products_per_customer"] == pytest.approx((3 + 2 + 5 + 1) / 4)  # c1 c3 c5 c6 active
    assert r["rm_coverage"] == pytest.approx(2 / 4)
    assert r["median_tenure_years"] == pytest.approx((302 + 562) / 2 / 365.25)  # c3 302 d, c5 562 d
    u = s["sustainability"]
    assert u["retention_12m"] == pytest.approx(2 / 3)  # cohort c1 c2 c5; c2 churned
    window = 12 * 10 + 7 * 5 + 10 * 2 + 12 * 4 + 5 * 1
    before = 12 * 10 + 12 * 5 + 9 * 1 + 7 * 4
    assert u["revenue_growth_12m"] == pytest.approx(window / before - 1)
    assert u["net_customer_growth_12m"] == pytest.approx((2 - 1) / 3)  # c3 c6 opened, c2 closed; c1 c2 c5 at t0


def test_revenue_growth_is_null_with_fewer_than_24_months():
    s = qvsrs_section(tiny_bank(first_month="2024-08-01"))
    assert s["sustainability"]["revenue_growth_12m"] is None
    assert s["sustainability"]["retention_12m"] == pytest.approx(2 / 3)


def test_quality_and_value_by_hand():
    perc = {a: [4.0, 4.0] for a in ATTRIBUTES}
    perc.update(
        service_quality=[7.0, 5.0],
        staff_attitude=[4.0, np.nan],
        product_quality=[1.0, 3.0],
        digital_experience=[6.0, 6.0],
        brand_image=[7.0, 5.0],
        fees_value=[7.0, 5.0],
        timeliness=[4.0, 4.0],
        convenience=[1.0, 3.0],
    )
    resp = pd.DataFrame({f"perc_{a}": v for a, v in perc.items()})
    assert quality_index(resp) == pytest.approx(100 * ((6 + 4 + 2) / 3 - 1) / 6)
    benefit = (2 + 6 + 4 + 6) / 4  # product, digital, attitude, brand
    cost = ((8 - 6) + (8 - 4) + (8 - 2)) / 3  # fees, timeliness, convenience
    assert value_index(resp) == pytest.approx(benefit / cost)


@pytest.mark.parametrize("branch", ["fixture-a", "fixture-b"])
def test_conformance(branch, good_banks, expected):
    bank = good_banks[branch]
    section = qvsrs_section(bank)
    exp = expected[branch]["qvsrs"]
    assert set(section) == {"status", *exp}
    for k in ("quality", "value", "satisfaction"):
        assert section[k] == pytest.approx(exp[k], rel=1e-12)
    for part in ("relationship", "sustainability"):
        assert set(section[part]) == set(exp[part])
        for k, v in exp[part].items():
            assert section[part][k] == pytest.approx(v, rel=1e-12), (part, k)
    results.dumps(section)


def test_lean_bank_keeps_relationship_and_sustainability(lean_banks, expected):
    bank = lean_banks["fixture-a"]
    s = qvsrs_section(bank)
    assert s["status"] == "ok" and s["quality"] is None and s["value"] is None and s["satisfaction"] is None
    # the lean bank is the same bank: R and S equal the full bank's figures
    for part in ("relationship", "sustainability"):
        for k, v in expected["fixture-a"]["qvsrs"][part].items():
            assert s[part][k] == pytest.approx(v, rel=1e-12)


def test_scorecard_compares_with_the_previous_quarter(bank_a):
    card = analyze(bank_a).scorecard_table()
    assert len(card) == len(METRICS)
    prev = qvsrs_section(shifted(bank_a, PREVIOUS_MONTHS))
    assert shifted(bank_a, 3).timeframe.M == pd.Timestamp("2026-03-01")
    row = card.set_index("metric")
    assert row.loc["quality", "previous"] == pytest.approx(prev["quality"])
    assert row.loc["retention_12m", "previous"] == pytest.approx(prev["sustainability"]["retention_12m"])
    np.testing.assert_allclose(card["change"], card["current"] - card["previous"])
    for _, r in card.iterrows():
        assert r["better"] == (r["change"] > 0)
    assert card.attrs["previous_as_of"] == pd.Timestamp("2026-03-31")


def test_describe_qvsrs_names_movers(bank_a):
    result = analyze(bank_a)
    card = result.scorecard_table()
    for lang in ("zh", "en"):
        text = " ".join(describe_qvsrs(result, lang, "movement"))
        assert "2026-03-31" in text
        for m in card.loc[card["better"] == False, "metric"]:  # noqa: E712
            assert scorecard_metric_label(m, lang) in text
    assert scorecard_value("rm_coverage", 0.3, "en") == "30.0%"
    assert scorecard_value("rm_coverage", 0.004, "en", change=True) == "+0.4 pp"
    assert scorecard_value("rm_coverage", 0.004, "zh", change=True) == "+0.4个百分点"
    assert scorecard_value("quality", 71.43, "zh") == "71.4" and scorecard_value("value", 1.5, "en") == "1.50"
    assert scorecard_value("value", None) == "—"


def test_the_briefing_reads_the_pillars_from_results_json(bank_a):
    result = analyze(bank_a)
    section = QvsrsSection.from_dict(results.to_jsonable(result.section()))
    assert section == result.section()
    for lang in ("zh", "en"):
        assert describe_qvsrs(section, lang) == describe_qvsrs(result, lang, "pillars")
        assert scorecard_value("quality", section.quality, lang) in describe_qvsrs(section, lang)[0]
        assert describe_qvsrs(section, lang, "movement") == []  # results.json has no previous quarter
