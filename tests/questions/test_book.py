"""The overview section (analysis.questions.overview, its figures from
analysis.questions.book): the book's change over a year and the customers
each finding is about, against direct computations; written by notebook 00
and listed in the JSON Schema."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.cohorts import active_customer_ids, value_base
from analysis.questions import book, overview
from analysis.run.results import schema_problems


@pytest.fixture(scope="module")
def sec(bank_a) -> dict:
    return overview.analyze(bank_a).section().to_dict()


def test_book_change_is_month_m_against_m_minus_12(bank_a, sec):
    s = bank_a.monthly_snapshots
    m, before = bank_a.timeframe.M, bank_a.timeframe.month(12)
    for col, key in (("loan_balance", "loans"), ("deposit_balance", "deposits"), ("wealth_aum", "wealth")):
        now, then = s.loc[s["month"] == m, col].sum(), s.loc[s["month"] == before, col].sum()
        assert sec[f"{key}_change_12m"] == pytest.approx(now / then - 1)
    assert sec["loans"] == pytest.approx(s.loc[s["month"] == m, "loan_balance"].sum())
    funds = lambda mm: s.loc[s["month"] == mm, ["deposit_balance", "wealth_aum"]].to_numpy().sum()  # noqa: E731
    assert sec["funds_change_12m"] == pytest.approx(funds(m) / funds(before) - 1)


def test_groups_add_up_to_the_active_customers(bank_a, sec):
    active = active_customer_ids(bank_a)
    base = value_base(bank_a)
    assert sec["revenue_12m"] == pytest.approx(base["revenue_12m"].sum())
    for groups in (sec["segments"], sec["vip_tiers"]):
        assert sum(g["customers"] for g in groups.values()) == len(active)
        assert sum(g["customer_share"] for g in groups.values()) == pytest.approx(1.0)
    rev = base.set_index("customer_id")["revenue_12m"].reindex(active).fillna(0).sum()
    assert sum(g["revenue_12m"] for g in sec["segments"].values()) == pytest.approx(rev)
    assert sec["unprofitable"]["customers"] == int((base["revenue_12m"] < 0).sum())


def test_leavers_and_exposure(bank_a, sec):
    c = bank_a.customers
    closed = c[bank_a.timeframe.in_window(c["close_date"]).fillna(False).astype(bool)]
    assert sec["leavers"]["customers"] == len(closed)
    by = closed["close_reason"].astype(object).value_counts()
    for reason, g in sec["leavers"]["by_reason"].items():
        assert g["customers"] == by[reason] and g["share"] == pytest.approx(by[reason] / len(closed))
    n_active = len(active_customer_ids(bank_a))
    for key, e in sec["exposure"].items():
        assert key in book.EXPOSURE_STATES and 0 <= e["customers"] <= n_active
    # no relationship manager: counted directly
    act = c[c["customer_id"].isin(active_customer_ids(bank_a))]
    assert sec["exposure"]["has_rm"]["customers"] == int(act["rm_id"].isna().sum())


def test_without_a_window_the_section_is_skipped(bank_a):
    r = book.at_stake(bank_a)
    empty = book.BookResult(r.book, r.month, pd.Series(dtype=float), r.active, r.leavers, {})
    result = overview.analyze(bank_a)
    result.at_stake = empty
    assert result.section().to_dict()["status"] == "skipped"
    result.at_stake = None
    assert result.section().to_dict()["status"] == "skipped"


def test_the_section_is_in_the_schema(bank_a, sec):
    results = {
        "schema_version": 2,
        "branch_id": bank_a.branch_id,
        "as_of": "2026-06-30",
        "generated_at": "2026-07-01T00:00:00Z",
        "data_fingerprint": "x",
        "customers": 1,
        "active_customers": 1,
        "overview": sec,
    }
    assert [p for p in schema_problems(results) if p.startswith("overview")] == []
    broken = {**results, "overview": {**sec, "loans": "many"}}
    assert any(p.startswith("overview.loans") for p in schema_problems(broken))
