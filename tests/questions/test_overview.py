"""The branch at a glance (analysis.questions.overview): its book, its customer
mix, the sentences (analysis.words.overview) for the notebook and the
briefing, and the overview notebook."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.figures.style import source_caption
from analysis.questions import overview
from analysis.words.format import num, pct
from analysis.words.glossary import term
from analysis.words.names import branch_name
from analysis.words.overview import describe_overview, mix_table
from analysis.words.sources import source_name


def test_monthly_book_sums_the_snapshots():
    """Three customers over two months, the totals added up by hand."""
    rows = [
        # customer, month, deposits, loans, wealth, revenue
        ("A", "2026-05-01", 1000.0, 0.0, 500.0, 10.0),
        ("B", "2026-05-01", 2500.0, 8000.0, 0.0, 40.0),
        ("A", "2026-06-01", 1200.0, 0.0, 300.0, 12.0),
        ("B", "2026-06-01", 2000.0, 7500.0, 0.0, 35.0),
        ("C", "2026-06-01", 300.0, 0.0, 0.0, -1.5),
    ]
    snapshots = pd.DataFrame(
        rows, columns=["customer_id", "month", "deposit_balance", "loan_balance", "wealth_aum", "revenue"]
    ).assign(month=lambda d: pd.to_datetime(d["month"]))
    book = overview.monthly_book(SimpleNamespace(monthly_snapshots=snapshots))
    assert list(book.index) == [pd.Timestamp("2026-05-01"), pd.Timestamp("2026-06-01")]
    assert book["customers"].tolist() == [2, 3]
    assert book["deposits"].tolist() == [3500.0, 3500.0]
    assert book["loans"].tolist() == [8000.0, 7500.0]
    assert book["wealth_aum"].tolist() == [500.0, 300.0]
    assert book["revenue"].tolist() == pytest.approx([50.0, 45.5])


def test_monthly_book_of_the_conformance_bank(bank_a, expected):
    """On the conformance bank: months in order up to the last snapshot, and the last month's
    customers include every customer active at as-of (expected.json's count)."""
    book = overview.monthly_book(bank_a)
    assert book.index.is_monotonic_increasing and book.index[-1] == bank_a.monthly_snapshots["month"].max()
    assert book["customers"].iloc[-1] >= expected["fixture-a"]["active_customers"] > 0


def test_book_change_over_twelve_months():
    book = pd.DataFrame({c: [100.0] + [0.0] * 11 + [125.0] for c in ("customers", "deposits", "loans", "wealth_aum")})
    assert overview.book_change(book)["deposits"] == pytest.approx(0.25)
    assert overview.book_change(book.iloc[:12]) == {}  # not 12 months back yet


@pytest.mark.parametrize("by", ["segment", "area", "vip_tier"])
def test_customer_mix_counts_the_active_customers_under_their_terms(bank_a, expected, by):
    mix = overview.customer_mix(bank_a, by)
    assert mix["customers"].sum() == expected["fixture-a"]["active_customers"]
    assert mix["share"].sum() == pytest.approx(1.0)
    shown = mix_table(mix, "en")
    assert set(shown.index) <= {term(str(v), "en") for v in bank_a.customers[by].cat.categories}
    assert shown.to_numpy().tolist() == mix.to_numpy().tolist()  # labelled, still numbers


def test_describe_and_caption_read_the_branch(bank_a, expected):
    result = overview.analyze(bank_a)
    n_active = expected["fixture-a"]["active_customers"]
    name = bank_a.branch["branch_name"]
    zh = describe_overview(result, "zh")
    en = describe_overview(result, "en")
    assert f"{n_active:,}名活跃客户" in zh[0] and f"{n_active:,} active customers" in en[0] and len(zh) == len(en)
    change = pct(result.change["deposits"])
    assert change in zh[1] and "存款" in zh[1] and change in en[1] and "deposits" in en[1]
    caption = source_caption(bank_a, "monthly_snapshots", result.customers, "en", "customers")
    # the numbers as numbers, the wording as its key words
    assert re.search(r"n = ([\d,]+)", caption).group(1).replace(",", "") == str(len(bank_a.customers))
    # the English edition names the branch and the table in English
    assert "2026-06-30" in caption and branch_name(name, "en") in caption and name not in caption
    assert all(w in caption for w in ("Source", source_name("monthly_snapshots", "en"), "as of", "customers"))


def test_the_briefing_says_what_results_json_holds(bank_a, expected):
    """From results.json alone (no book): the counts, growth and the deposit rank, as the notebook words them."""
    figures = expected["fixture-a"]
    o = overview.OverviewResult.from_results(figures, "甲支行", "眉山", bank_a.branch["home_bank"])
    assert o.book is None and o.change == {} and o.deposits is None
    zh, en = describe_overview(o, "zh"), describe_overview(o, "en")
    assert len(zh) == len(en) == 3
    assert num(figures["active_customers"]) in zh[0] and num(figures["customers"]) in en[0]
    growth = figures["qvsrs"]["sustainability"]["revenue_growth_12m"]
    assert pct(abs(growth)) in zh[1] and pct(abs(growth)) in en[1]
    shares = figures["competitors"]["deposit_share"]
    assert pct(shares[o.home_bank]) in en[2] and f"ranking {o.deposit_rank}" in en[2]
    assert describe_overview(overview.OverviewResult.from_results({}), "en") == []


def test_notebook_is_committed_clean(committed_clean):
    committed_clean("00_overview")


@pytest.mark.slow
def test_notebook_runs_on_conformance_bank(conformance_dir, tmp_path, run_notebook):
    out = tmp_path / "out"
    run_notebook(
        "00_overview", tmp_path, data_dir=str(conformance_dir / "good"), branch="fixture-a", out_dir=str(out), lang="en"
    )
    assert (out / "figures" / "overview_book.png").stat().st_size > 10_000
