"""analysis.questions.value: the contract's `value` figures (conformance bank
and a hand-made branch), the tables of the value notebook, its prose
(analysis.words.value) and the notebook."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.questions.value import (
    ValueResult,
    ValueSection,
    ValueSkipped,
    analyze,
    count_of,
    customer_values,
    money_losing_profile,
    pareto_curve,
    profitability_by,
    rank_by_revenue,
    revenue_shares,
    section_from_dict,
    share_of_customers_for,
    value_tiers,
)
from analysis.words.value import describe_money_losing, describe_value, labelled_table, profile_table

FIGURES = ("top20_revenue_share", "bottom30_revenue_share", "unprofitable_share")


# --------------------------------------------------------------------------- the contract


@pytest.mark.parametrize("branch", ["fixture-a", "fixture-b"])
@pytest.mark.parametrize("variant", ["good", "lean"])
def test_value_section_reproduces_the_conformance_figures(
    branch, variant, good_banks, lean_banks, expected, expected_lean
):
    bank = (good_banks if variant == "good" else lean_banks)[branch]
    expected = (expected if variant == "good" else expected_lean)[branch]
    section = analyze(bank).section().to_dict()
    assert section["status"] == "ok"
    assert set(section) == {"status", "_top", *FIGURES}
    for key in FIGURES:
        assert section[key] == pytest.approx(expected["value"][key], rel=1e-12, abs=1e-15)
    # counts exactly: the runner lifts `_top` to the top level of results.json
    assert section["_top"] == {"customers": expected["customers"], "active_customers": expected["active_customers"]}


# --------------------------------------------------------------------------- a branch computed by hand

WINDOW = pd.period_range("2025-07", "2026-06", freq="M")  # M = 2026-06
# customer: (open_date, close_date, segment, monthly revenue in the window)
HAND = {
    "c1": ("2010-05-01", None, "high_net_worth", 1000.0),
    "c2": ("2015-03-10", None, "affluent", 500.0),
    "c3": ("2020-01-01", None, "affluent", 100.0),
    "c4": ("2018-07-01", None, "mass", 50.0),
    "c5": ("2022-02-01", None, "mass", 10.0),
    "c6": ("2019-09-01", None, "mass", -20.0),  # loses money
    "c7": ("2012-01-01", "2025-03-20", "mass", 0.0),  # gone before the window
    "c8": ("2026-03-05", None, "sme", 25.0),  # 4 months in the window
    "c9": ("2016-01-01", "2026-05-15", "mass", 5.0),  # 11 months, closed before as_of
}
PRE_WINDOW_REVENUE = 999.0  # months 2025-01 … 2025-06: must not count


def write_hand_bank(folder: Path, revenue_factor: float = 1.0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "branches.csv").write_text(
        "branch_id,branch_name,city,home_bank\nhand,手算支行,眉山,中国建设银行\n", encoding="utf-8"
    )
    customers, snaps = [], []
    for cid, (opened, closed, segment, rev) in HAND.items():
        customers.append(
            {
                "customer_id": cid,
                "branch_id": "hand",
                "open_date": opened,
                "close_date": closed or "",
                "close_reason": "relocation" if closed else "",
                "destination_bank": "",
                "birth_year": 1970,
                "gender": "F",
                "area": "urban",
                "segment": segment,
                "vip_tier": "gold" if cid == "c1" else "none",
                "vip_since": "2015-01-01" if cid == "c1" else "",
                "rm_id": "",
            }
        )
        first = max(pd.Period(opened, "M"), pd.Period("2025-01", "M"))
        last = min(pd.Period(closed, "M"), pd.Period("2026-06", "M")) if closed else pd.Period("2026-06", "M")
        for month in pd.period_range(first, last, freq="M"):
            losing = cid == "c6"
            snaps.append(
                {
                    "customer_id": cid,
                    "month": month.strftime("%Y-%m-01"),
                    "deposit_balance": 1000.0 if losing else 50_000.0,
                    "loan_balance": 0.0,
                    "wealth_aum": 0.0,
                    "products_held": 1 if losing else 3,
                    "txn_count": 30 if losing else 5,
                    "digital_active": "false" if losing else "true",
                    "revenue": rev * revenue_factor if month in WINDOW else PRE_WINDOW_REVENUE,
                }
            )
    pd.DataFrame(customers).to_csv(folder / "customers.csv", index=False)
    pd.DataFrame(snaps).to_csv(folder / "monthly_snapshots.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def hand_bank(tmp_path_factory):
    return analysis.load(write_hand_bank(tmp_path_factory.mktemp("hand") / "bank"), branch="hand")


# by hand: the value base is c1–c6, c8, c9 (n = 8); c7 has no snapshot in the window
TOTAL = 12_000 + 6_000 + 1_200 + 600 + 120 - 240 + 100 + 55  # 19 835 CNY


def test_hand_bank_figures(hand_bank):
    s = analyze(hand_bank).section().to_dict()
    # top ⌈0.2 × 8⌉ = 2 customers: c1 + c2
    assert s["top20_revenue_share"] == pytest.approx(18_000 / TOTAL, rel=1e-12)
    # bottom ⌈0.3 × 8⌉ = 3 customers: c6, c9, c8
    assert s["bottom30_revenue_share"] == pytest.approx((-240 + 55 + 100) / TOTAL, rel=1e-12)
    assert s["unprofitable_share"] == pytest.approx(1 / 8)
    # 9 rows in customers; active: a snapshot in 2026-06 and not closed (c7, c9 are not)
    assert s["_top"] == {"customers": 9, "active_customers": 7}


@pytest.mark.parametrize(
    "n, top, bottom", [(0, 0, 0), (1, 1, 1), (5, 1, 2), (8, 2, 3), (10, 2, 3), (11, 3, 4), (2642, 529, 793)]
)
def test_count_of_is_the_ceiling(n, top, bottom):
    assert (count_of(n, 0.2), count_of(n, 0.3)) == (top, bottom)


def test_revenue_shares_can_exceed_one_and_go_negative():
    s = revenue_shares(pd.Series([100.0, 10.0, 5.0, -30.0, -40.0]))  # total 45; top 1, bottom 2
    assert s["top20_revenue_share"] == pytest.approx(100 / 45)
    assert s["bottom30_revenue_share"] == pytest.approx(-70 / 45)
    assert s["unprofitable_share"] == pytest.approx(2 / 5)


def test_a_branch_without_profit_is_skipped_with_the_counts_kept(tmp_path):
    bank = analysis.load(write_hand_bank(tmp_path / "loss", revenue_factor=-1.0), branch="hand")
    assert isinstance(analyze(bank).section(), ValueSkipped)
    s = analyze(bank).section().to_dict()
    assert s["status"] == "skipped" and "not positive" in s["reason"]
    assert s["_top"] == {"customers": 9, "active_customers": 7}


def test_ties_are_broken_by_customer_id():
    base = pd.DataFrame({"customer_id": ["c3", "c1", "c2", "c0", "c4"], "revenue_12m": [5.0, 5.0, 9.0, 1.0, 5.0]})
    ranked = rank_by_revenue(base)
    assert ranked["customer_id"].tolist() == ["c2", "c1", "c3", "c4", "c0"]
    assert ranked["rank"].tolist() == [1, 2, 3, 4, 5]


def test_customer_values_tiers_and_profile_by_hand(hand_bank):
    v = customer_values(hand_bank)
    assert list(v.index[:3]) == ["c1", "c2", "c3"] and "c7" not in v.index
    assert v.loc["c8", "months"] == 4 and v.loc["c9", "months"] == 11
    assert v.loc["c1", "vip_tier"] == "gold" and v.loc["c4", "vip_tier"] == "none"
    # n = 8: top 2, next 3, bottom 3, nobody left for the middle
    tiers = value_tiers(v)
    assert list(tiers.index) == ["top20", "next30", "bottom30"]
    assert tiers["customers"].tolist() == [2, 3, 3]
    assert tiers.loc["bottom30", "money_losing"] == 1
    assert tiers.loc["next30", "revenue_12m"] == pytest.approx(1_200 + 600 + 120)

    seg = profitability_by(v, "segment")
    assert list(seg.index) == ["mass", "affluent", "high_net_worth", "sme"]
    assert seg.loc["mass", "customers"] == 4
    assert seg.loc["mass", "revenue_12m"] == pytest.approx(600 + 120 - 240 + 55)
    assert seg.loc["mass", "unprofitable_share"] == pytest.approx(1 / 4)
    assert seg.loc["affluent", "top20_share"] == pytest.approx(1 / 2)
    assert seg.loc["high_net_worth", "index"] == pytest.approx((12_000 / TOTAL) / (1 / 8))

    p = money_losing_profile(v)
    assert p.loc["txn_per_month", "ratio"] == pytest.approx(30 / 5)
    assert p.loc["digital_share", "money_losing"] == 0 and p.loc["digital_share", "profitable"] == 1
    assert "counter_share" not in p.index  # no transactions table


def test_pareto_curve_and_the_share_for_80_percent(hand_bank):
    r = analyze(hand_bank)
    curve = pareto_curve(r.values["revenue_12m"])
    assert curve.iloc[0].tolist() == [0.0, 0.0]
    assert curve.iloc[-1].tolist() == pytest.approx([1.0, 1.0])
    assert curve["revenue_share"].max() > 1  # the money-loser brings it back down
    assert curve.loc[2, "revenue_share"] == pytest.approx(18_000 / TOTAL)
    # c1 alone makes 60.5 %, c1 + c2 90.7 %: 2 of 8 customers reach 80 %
    assert share_of_customers_for(r.values["revenue_12m"], 0.8) == pytest.approx(2 / 8)
    assert r.loss == pytest.approx(240) and r.losing_n == 1 and (r.top_n, r.bottom_n) == (2, 3)


# --------------------------------------------------------------------------- the prose


def test_describe_value_reads_the_hand_banks_numbers(hand_bank):
    r = analyze(hand_bank)
    en = "\n".join(describe_value(r, "en"))
    assert "90.7%" in en and "more concentrated than the seed" in en
    assert "0.4% of the profit" in en and "a real drain, but less than half" in en  # bottom 30 %: −85 CNY
    assert "25.0% of customers" in en  # the top 25 % make 80 %
    zh = "\n".join(describe_value(r, "zh"))
    assert "90.7%" in zh and "比种子方案所说的更集中" in zh and "确有消耗，但不到一半" in zh


def _result(top: float, bottom: float) -> ValueResult:
    values = pd.DataFrame({"revenue_12m": [1.0], "money_losing": [False]})
    shares = {"top20_revenue_share": top, "bottom30_revenue_share": bottom, "unprofitable_share": 0.3}
    return ValueResult(
        customers=100,
        active_customers=90,
        values=values,
        shares=shares,
        skip_reason=None,
        n=100,
        total_revenue=1e6,
        share_for_80=0.2,
        loss=5e5,
        top_n=20,
        bottom_n=30,
        assumptions=Assumptions(),
    )


@pytest.mark.parametrize(
    "top, bottom, words",
    [
        (0.80, -0.50, ["in line with the seed", "lose the equivalent of 50.0%", "80.0% of the profit, in line"]),
        (0.60, 0.05, ["less concentrated than the seed", "do not consume it"]),
        (1.40, -0.80, ["more than 100%", "worse than the seed says"]),
    ],
)
def test_describe_value_verdicts_follow_the_numbers(top, bottom, words):
    text = "\n".join(describe_value(_result(top, bottom), "en", "claims"))
    for w in words:
        assert w in text
    # the briefing has only the section: the same verdicts, without the counts
    section_only = "\n".join(describe_value(_result(top, bottom).section(), "en"))
    for w in words:
        assert w in section_only


@pytest.mark.parametrize("top, verdict", [(0.86, "more"), (0.85, "in_line"), (0.75, "in_line"), (0.7499, "less")])
def test_the_concentration_verdict_is_decided_once(top, verdict):
    assert ValueSection(top, -0.5, 0.1).concentration == verdict


@pytest.mark.parametrize(
    "bottom, verdict", [(0.01, "no_drain"), (-0.4, "in_line"), (-0.6, "in_line"), (-0.61, "worse"), (-0.39, "less")]
)
def test_the_drain_verdict_is_decided_once(bottom, verdict):
    assert ValueSection(0.8, bottom, 0.1).drain == verdict


def test_the_section_comes_back_from_results_json(hand_bank):
    s = analyze(hand_bank).section()
    d = s.to_dict()
    lifted = {k: v for k, v in d.items() if k != "_top"}
    assert section_from_dict(lifted, **d["_top"]) == s
    assert section_from_dict(d) == s  # or with the counts still under "_top"
    assert section_from_dict(None) is None
    assert isinstance(section_from_dict({"status": "skipped", "reason": "x"}), ValueSkipped)


def test_the_shares_follow_the_assumptions(hand_bank):
    r = analyze(hand_bank, Assumptions(top_share=0.5, bottom_share=0.25))
    assert (r.top_n, r.bottom_n) == (4, 2)  # ⌈0.5 × 8⌉, ⌈0.25 × 8⌉
    assert r.section().top20_revenue_share == pytest.approx((12_000 + 6_000 + 1_200 + 600) / TOTAL)
    en = "\n".join(describe_value(r, "en", "claims"))
    assert "the top 50%" in en and "the bottom 25%" in en


def test_display_tables_stay_numeric(hand_bank):
    r = analyze(hand_bank)
    for lang in ("zh", "en"):
        t = labelled_table(r.tiers(), lang)
        assert all(pd.api.types.is_numeric_dtype(t[c]) for c in t.columns)
        assert set(t.attrs["formats"]) <= set(t.columns)
        p = profile_table(r.profile(), lang)
        assert all(pd.api.types.is_numeric_dtype(p[c]) for c in p.columns)
    t = labelled_table(r.tiers(), "en")
    assert t.loc[t.index[0], "Profit, 12 months (CNY thousand)"] == pytest.approx(18.0)  # c1 + c2, in thousands


def test_describe_money_losing_says_why_they_lose(hand_bank):
    r = analyze(hand_bank)
    text = "\n".join(describe_money_losing(r, "en"))
    assert "transactions a month 6.0 times that of profitable customers" in text
    assert "average deposits only 2.0% of profitable customers'" in text
    assert "Without the transactions table" in text


def test_money_losing_ratios_are_points_on_their_log_axis(hand_bank):
    """The ratios lie on a log axis (half and twice equally far from 1): drawn
    as points beside a line at 1, never as bars (a log axis has no zero)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from analysis.figures.value import plot_money_losing

    profile = analyze(hand_bank).profile()
    fig = plot_money_losing(profile, "en")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert not [p for p in ax.patches if isinstance(p, Rectangle)]
    (points,) = ax.collections
    assert len(points.get_offsets()) == len(profile.drop(index="revenue_12m", errors="ignore")["ratio"].dropna())
    assert any(list(line.get_xdata()) == [1, 1] for line in ax.lines)
    plt.close(fig)


# --------------------------------------------------------------------------- the notebook


@pytest.mark.slow
def test_value_notebook_runs_on_the_conformance_bank(conformance_dir, expected, tmp_path, run_notebook):
    out = tmp_path / "run"
    run_notebook("01_value", tmp_path, data_dir=str(conformance_dir / "good"), branch="fixture-a", out_dir=str(out))
    section = json.loads((out / "sections" / "value.json").read_text(encoding="utf-8"))
    want = expected["fixture-a"]
    assert section["status"] == "ok"
    for key in FIGURES:
        assert section[key] == pytest.approx(want["value"][key], rel=1e-12)
    assert section["_top"] == {"customers": want["customers"], "active_customers": want["active_customers"]}
    for name in ("pareto", "tiers", "by_group", "money_losing", "retention", "clv"):
        assert (out / "figures" / f"value_{name}.png").stat().st_size > 10_000
    assert (out / "tables" / "value_clv.csv").is_file()


def test_notebook_is_committed_clean(committed_clean):
    committed_clean("01_value")


def test_counter_share_counts_the_window_by_hand_in_memory_and_from_the_prepared_bank(tmp_path):
    """Share of each customer's window transactions at the counter, the same
    whether the table is in memory or scanned from the prepared bank's file
    (which it is never read from into pandas)."""
    folder = write_hand_bank(tmp_path / "txn")
    rows = [
        ("c1", "2025-06-30 23:59:59", "counter"),  # the second before the window: not counted
        ("c1", "2025-07-01 00:00:00", "counter"),
        ("c1", "2025-12-01 10:00:00", "counter"),
        ("c1", "2026-02-01 10:00:00", "counter"),
        ("c1", "2026-03-01 10:00:00", "mobile"),
        ("c2", "2026-01-05 09:00:00", "mobile"),
        ("c2", "2026-01-06 09:00:00", "online"),
        ("c6", "2026-06-30 23:59:59", "counter"),  # the window's last second: counted
        ("c6", "2026-04-02 12:00:00", "atm"),
    ]
    pd.DataFrame(
        [
            {
                "txn_id": f"t{i}",
                "customer_id": c,
                "ts": ts,
                "amount": 10.0,
                "direction": "debit",
                "channel": ch,
                "category": "cash",
            }
            for i, (c, ts, ch) in enumerate(rows)
        ]
    ).to_csv(folder / "transactions.csv", index=False)
    bank = analysis.load(folder, branch="hand")
    expected = {"c1": 3 / 4, "c2": 0.0, "c6": 1 / 2}
    v = customer_values(bank)
    assert v["counter_share"].dropna().to_dict() == pytest.approx(expected)
    assert v["counter_share"].isna().sum() == len(v) - 3  # no transactions: no share

    # the load keeps transactions as Arrow: the counter share and the save never make them a DataFrame
    assert bank.tables.unread("transactions") is not None and "transactions" in bank.tables
    prepared = Bank.open(bank.save(tmp_path / "prep"))
    assert bank.tables.unread("transactions") is not None and bank.row_count("transactions") == len(rows)
    assert prepared.query("SELECT count(*) AS n FROM transactions")["n"].iloc[0] == len(rows)
    pd.testing.assert_series_equal(customer_values(prepared)["counter_share"], v["counter_share"])
    assert prepared.tables.unread_file("transactions") is not None
    # and read when asked for, the same table either way
    pd.testing.assert_frame_equal(prepared.transactions, bank.transactions)
    assert bank.tables.unread("transactions") is None
