"""The branch at a glance (analysis.overview): its book, its customer mix, the
sentences and the overview notebook."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.questions import overview
from analysis.words.glossary import term


def test_monthly_book_sums_the_snapshots(bank_a):
    book = overview.monthly_book(bank_a)
    s = bank_a.monthly_snapshots
    last = s[s["month"] == s["month"].max()]
    assert book.index.is_monotonic_increasing and book.index[-1] == s["month"].max()
    assert book["customers"].iloc[-1] == last["customer_id"].nunique()
    assert book["deposits"].iloc[-1] == pytest.approx(last["deposit_balance"].sum())
    assert book["revenue"].sum() == pytest.approx(s["revenue"].sum())


def test_book_change_over_twelve_months():
    book = pd.DataFrame({c: [100.0] + [0.0] * 11 + [125.0] for c in ("customers", "deposits", "loans", "wealth_aum")})
    assert overview.book_change(book)["deposits"] == pytest.approx(0.25)
    assert overview.book_change(book.iloc[:12]) == {}  # not 12 months back yet


@pytest.mark.parametrize("by", ["segment", "area", "vip_tier"])
def test_customer_mix_counts_the_active_customers_under_their_terms(bank_a, expected, by):
    mix = overview.customer_mix(bank_a, by, "en")
    assert mix["customers"].sum() == expected["fixture-a"]["active_customers"]
    assert mix["share"].sum() == pytest.approx(1.0)
    assert set(mix.index) <= {term(str(v), "en") for v in bank_a.customers[by].cat.categories}


def test_describe_and_caption_read_the_branch(bank_a, expected):
    book = overview.monthly_book(bank_a)
    n_active = expected["fixture-a"]["active_customers"]
    name = bank_a.branch["branch_name"]
    zh = overview.describe_overview(bank_a, book, "zh")
    en = overview.describe_overview(bank_a, book, "en")
    assert f"{n_active:,}名活跃客户" in zh[0] and f"{n_active:,} active customers" in en[0] and len(zh) == len(en) == 2
    assert overview.caption(bank_a, "en") == (
        f"Source: monthly_snapshots; {name}; as of 2026-06-30; n = {len(bank_a.customers):,} customers"
    )


def test_notebook_is_committed_clean(committed_clean):
    committed_clean("00_overview")


@pytest.mark.slow
def test_notebook_runs_on_conformance_bank(conformance_dir, tmp_path, run_notebook):
    out = tmp_path / "out"
    run_notebook(
        "00_overview", tmp_path, data_dir=str(conformance_dir / "good"), branch="fixture-a", out_dir=str(out), lang="en"
    )
    assert (out / "figures" / "overview_book.png").stat().st_size > 10_000
