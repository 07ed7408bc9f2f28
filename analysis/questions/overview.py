"""The branch at a glance: its book over time, its customer mix, its growth and its market.

Opens the briefing (DESIGN.md: "the branch's situation and competition").
`analyze(bank)` computes it from the bank for the overview notebook;
`OverviewResult.from_results(results, …)` gathers the same figures from a
results.json (the counts at its top level, growth from `qvsrs`, the market
from `competitors`) for the briefing, which has no book. The overview has no
section of its own in results.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids
from analysis.questions.competitors import share_history, shares_at
from analysis.questions.qvsrs import net_customer_growth_12m, revenue_growth_12m

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


def _path(results: Mapping, path: str) -> Any:
    v: Any = results
    for k in path.split("."):
        if not isinstance(v, Mapping):
            return None
        v = v.get(k)
    return v


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
    ) -> "OverviewResult":
        """The figures a results.json holds (no book, no mix)."""
        shares = _path(results, "competitors.deposit_share")
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
            revenue_growth_12m=_number(_path(results, "qvsrs.sustainability.revenue_growth_12m")),
            net_customer_growth_12m=_number(_path(results, "qvsrs.sustainability.net_customer_growth_12m")),
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
        window_months=a.window_months,
    )
