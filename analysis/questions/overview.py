"""The branch at a glance: its book over time, its customer mix, its growth and its market.

Opens the briefing (DESIGN.md: "the branch's situation and competition").
`analyze(bank)` computes it from the bank for the overview notebook;
`OverviewResult.from_results(results, …)` gathers the same figures from a
results.json (the counts at its top level, growth from `qvsrs`, the market
from `competitors`) for the briefing, which has no book.

The `overview` section of results.json (`OverviewResult.section()`, written
by notebook 00) holds the book's 12-month change, profit and customers by
segment and tier, the leavers' profit by close reason and the customers in
each actionable churn driver's risky state (`analysis.questions.book`): what
the briefing's findings need to state the profit at stake.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids
from analysis.questions.book import BookResult, at_stake
from analysis.questions.competitors import share_history, shares_at
from analysis.questions.qvsrs import net_customer_growth_12m, revenue_growth_12m
from analysis.sections import Section, Skipped, value_at

MIX_BY = ("segment", "area", "vip_tier")
BOOK_TOTALS = ("customers", "deposits", "loans", "wealth_aum")
CHANGE_MONTHS = 12  # the book's change is over a year


def monthly_book(bank: Bank) -> pd.DataFrame:
    """Per month: customers with a snapshot, and total deposits, loans,
    wealth AUM and revenue (CNY)."""
    s = bank.monthly_snapshots
    g = s.groupby("month")
    return pd.DataFrame(
        {
            "customers": g["customer_id"].nunique(),
            "deposits": g["deposit_balance"].sum(),
            "loans": g["loan_balance"].sum(),
            "wealth_aum": g["wealth_aum"].sum(),
            "revenue": g["revenue"].sum(),
        }
    )


def customer_mix(bank: Bank, by: str) -> pd.DataFrame:
    """Active customers by `by` (segment, area or vip_tier): count and share,
    indexed by the contract's values (in its order)."""
    active = active_customer_ids(bank)
    c = bank.customers[bank.customers["customer_id"].isin(active)]
    counts = c[by].value_counts().reindex(c[by].cat.categories, fill_value=0)
    return pd.DataFrame({"customers": counts, "share": counts / max(len(c), 1)}).rename_axis(by)


def book_change(book: pd.DataFrame, months: int = CHANGE_MONTHS) -> dict:
    """Change of each total over the last `months` months, as a ratio − 1."""
    if len(book) <= months:
        return {}
    last, before = book.iloc[-1], book.iloc[-1 - months]
    return {c: (last[c] / before[c] - 1) if before[c] else None for c in BOOK_TOTALS}


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


@dataclass(frozen=True)
class OverviewSection(Section):
    """The `overview` section (figures described in `analysis.questions.book`)."""

    month: str
    deposits: float
    loans: float
    wealth_aum: float
    deposits_change_12m: float | None
    loans_change_12m: float | None
    wealth_change_12m: float | None
    funds_change_12m: float | None
    revenue_12m: float
    unprofitable: dict
    segments: dict
    vip_tiers: dict
    leavers: dict
    exposure: dict = field(default_factory=dict)


@dataclass
class OverviewResult:
    """The branch's situation; a figure that is not known is None."""

    branch_name: str | None
    city: str | None
    as_of: pd.Timestamp | None
    customers: int | None
    active_customers: int | None
    book: pd.DataFrame | None = None  # `monthly_book`
    mix: dict[str, pd.DataFrame] = field(default_factory=dict)  # `customer_mix` by MIX_BY
    revenue_growth_12m: float | None = None
    net_customer_growth_12m: float | None = None
    home_bank: str | None = None
    deposit_share: dict[str, float] | None = None  # bank → share of the city's deposits, latest period
    window_months: int = CHANGE_MONTHS  # `Assumptions.window_months`: the change is over the window's length
    at_stake: BookResult | None = None  # `book.at_stake`: the figures of the overview section

    def section(self) -> Section:
        """The `overview` section of results.json (Skipped without a value base)."""
        figures = self.at_stake.figures() if self.at_stake is not None else None
        if figures is None:
            return Skipped("no customer has a snapshot in the 12-month window")
        return OverviewSection(**figures)

    @property
    def change(self) -> dict:
        """`book_change` of the book over the window's length (empty without that much of it)."""
        return book_change(self.book, self.window_months) if self.book is not None else {}

    @property
    def deposits(self) -> float | None:
        """Deposits (CNY) in the book's last month."""
        return None if self.book is None or self.book.empty else float(self.book["deposits"].iloc[-1])

    @property
    def deposit_rank(self) -> int | None:
        """The home bank's rank by deposit share (1 = largest)."""
        shares = self.deposit_share or {}
        if self.home_bank not in shares:
            return None
        return sorted(shares, key=lambda b: -shares[b]).index(self.home_bank) + 1

    @property
    def deposit_leader(self) -> str | None:
        shares = self.deposit_share or {}
        return max(shares, key=shares.get) if shares else None

    @classmethod
    def from_results(
        cls,
        results: Mapping,
        branch_name: str | None = None,
        city: str | None = None,
        home_bank: str | None = None,
    ) -> OverviewResult:
        """The figures a results.json holds (no book, no mix)."""
        shares = value_at(results, "competitors.deposit_share")
        shares = (
            {b: float(v) for b, v in shares.items() if _number(v) is not None} if isinstance(shares, Mapping) else None
        )
        as_of = results.get("as_of")
        customers, active = _number(results.get("customers")), _number(results.get("active_customers"))
        return cls(
            branch_name=branch_name,
            city=city,
            as_of=pd.Timestamp(as_of) if as_of else None,
            customers=None if customers is None else int(customers),
            active_customers=None if active is None else int(active),
            revenue_growth_12m=_number(value_at(results, "qvsrs.sustainability.revenue_growth_12m")),
            net_customer_growth_12m=_number(value_at(results, "qvsrs.sustainability.net_customer_growth_12m")),
            home_bank=home_bank,
            deposit_share=shares or None,
        )


def analyze(bank: Bank, assumptions: Assumptions | None = None) -> OverviewResult:
    """The branch's book, mix, growth and market share (see OverviewResult)."""
    bank, a = bank.assumed(assumptions)
    b = bank.branch
    shares = None
    if bank.has("market_share"):
        h = share_history(bank.market_share)
        shares = shares_at(h, h["period"].max(), "deposit").to_dict()
    return OverviewResult(
        branch_name=b.get("branch_name") or bank.branch_id,
        city=b.get("city"),
        as_of=bank.timeframe.as_of,
        customers=int(len(bank.customers)),
        active_customers=int(len(active_customer_ids(bank))),
        book=monthly_book(bank),
        mix={by: customer_mix(bank, by) for by in MIX_BY},
        revenue_growth_12m=revenue_growth_12m(bank),
        net_customer_growth_12m=net_customer_growth_12m(bank),
        home_bank=b.get("home_bank"),
        deposit_share=shares,
        at_stake=at_stake(bank, a),
        window_months=a.window_months,
    )
