"""The overview section (analysis.questions.book): the book's change over a
year and the customers each finding is about, against direct computations."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.cohorts import active_customer_ids, value_base
from analysis.questions import book
from analysis.questions.seasons import in_season, season_of


@pytest.fixture(scope="module")
def sec(bank_a) -> dict:
    return book.overview_section(bank_a)


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
    r = book.analyze(bank_a)
    empty = book.BookResult(r.book, r.month, pd.Series(dtype=float), r.active, r.leavers, {})
    assert empty.section().to_dict()["status"] == "skipped"


def test_seasons():
    assert season_of("2026年端午主题日") == (5, 6)
    assert season_of("Mid-Autumn tea", None) == (9, 10)
    assert season_of("2025年年终客户答谢会", "year_end_gala") == (1, 12)
    assert season_of("沙龙", "salon") is None
    assert not in_season((5, 6), "2026-10-01", "2026-12-31")
    assert in_season((1, 12), "2026-10-01", "2026-12-31") and in_season(None, "2026-10-01", "2026-12-31")
