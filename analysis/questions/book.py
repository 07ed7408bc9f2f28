"""The branch's book and who is at stake: the figures of the `overview` section of results.json.

RESULTS.md lets a run write more than the contract's figures; this section
holds what the briefing needs to rank its findings by the profit at stake
(`analysis.report.stakes`) and to say what the contract's sections do not:

- the book: month-end totals of deposits, loans and wealth in month M and
  their change since month M−12 (`deposits_change_12m`, `loans_change_12m`,
  `wealth_change_12m`, `funds_change_12m`: total at M ÷ total at M−12 − 1;
  null without month M−12 or with a zero total then);
- `revenue_12m`: the value base's revenue over the window (the branch's
  yearly profit, CNY), and the money-losing customers (`unprofitable`);
- `segments` and `vip_tiers`: per group of the active customers, how many
  (`customers`, `customer_share`) and how much of the window's profit
  (`revenue_12m`, `profit_share`) they make;
- `leavers`: customers closed in the window, their yearly profit before
  leaving (revenue in the window × 12 ÷ their months in it) and the same by
  `close_reason`;
- `exposure`: per churn driver a branch can act on, the active customers in
  the state the driver's finding is about (measured on month M's snapshot:
  an unresolved complaint, any complaint, not digitally active, one or two
  product lines, balances down ≥ 30 % in six months, no relationship
  manager, not VIP) and their profit over the window.

`at_stake(bank, assumptions)` computes them; `analysis.questions.overview.analyze`
calls it and `OverviewResult.section()` gives the section (`OverviewSection`),
written by notebook 00; nothing else in the suite writes this section.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, value_base
from analysis.data.contract import SEGMENTS, VIP_TIERS
from analysis.data.features import driver_features

#: The state of each actionable churn driver that its finding is about (on month M's features).
FEW_PRODUCTS = 2  # "one or two product lines"
BALANCE_DROP = math.log(0.7)  # balances down by 30 % or more over six months
EXPOSURE_STATES = {
    "unresolved_complaint": lambda x: x >= 0.5,
    "complaints_12m": lambda x: x >= 1,
    "digital_active": lambda x: x < 0.5,
    "products_held": lambda x: x <= FEW_PRODUCTS,
    "balance_trend": lambda x: x <= BALANCE_DROP,
    "has_rm": lambda x: x < 0.5,
    "vip": lambda x: x < 0.5,
}


@dataclass(frozen=True)
class BookResult:
    """The branch's book by month and the groups the findings are about."""

    book: pd.DataFrame  # per month: deposits, loans, wealth_aum (CNY, month-end totals)
    month: pd.Timestamp
    revenue: pd.Series  # revenue_12m per customer of the value base
    active: pd.DataFrame  # active customers: segment, vip_tier, revenue_12m
    leavers: pd.DataFrame  # closed in the window: close_reason, revenue_year
    exposure: dict

    def change(self, col: str, months: int = 12) -> float | None:
        """Total of `col` in month M ÷ the same in month M−`months`, − 1."""
        return book_change(self.book, self.month, col, months)

    def figures(self) -> dict | None:
        """The overview section's figures (`overview.OverviewSection`'s fields), None without a value base."""
        if self.revenue.empty:
            return None
        total = float(self.revenue.sum())
        book = self.book.assign(funds=self.book["deposits"] + self.book["wealth_aum"])
        at_m = book.loc[self.month] if self.month in book.index else pd.Series(0.0, index=book.columns)
        losing = self.revenue[self.revenue < 0]
        return dict(
            month=self.month.strftime("%Y-%m"),
            deposits=float(at_m["deposits"]),
            loans=float(at_m["loans"]),
            wealth_aum=float(at_m["wealth_aum"]),
            deposits_change_12m=self.change("deposits"),
            loans_change_12m=self.change("loans"),
            wealth_change_12m=self.change("wealth_aum"),
            funds_change_12m=book_change(book, self.month, "funds"),
            revenue_12m=total,
            unprofitable={"customers": len(losing), "loss_12m": float(losing.sum())},
            segments=_groups(self.active, "segment", SEGMENTS, total),
            vip_tiers=_groups(self.active, "vip_tier", VIP_TIERS, total),
            leavers=_leavers(self.leavers),
            exposure=self.exposure,
        )


def book_change(book: pd.DataFrame, month: pd.Timestamp, col: str, months: int = 12) -> float | None:
    """Total of `col` in `month` ÷ the same `months` earlier, − 1 (None without it or from zero)."""
    before = month - pd.DateOffset(months=months)
    if month not in book.index or before not in book.index:
        return None
    b = float(book.at[before, col])
    return float(book.at[month, col]) / b - 1 if b > 0 else None


def _groups(active: pd.DataFrame, by: str, levels: tuple[str, ...], total: float) -> dict:
    n = max(len(active), 1)
    out = {}
    for level in levels:
        g = active[active[by] == level]
        if len(g) == 0:
            continue
        rev = float(g["revenue_12m"].sum())
        out[level] = {
            "customers": len(g),
            "customer_share": len(g) / n,
            "revenue_12m": rev,
            "profit_share": rev / total if total > 0 else None,
        }
    return out


def _leavers(leavers: pd.DataFrame) -> dict:
    by_reason = {}
    n = len(leavers)
    for reason, g in leavers.groupby("close_reason", observed=True, sort=True):
        by_reason[str(reason)] = {
            "customers": len(g),
            "share": len(g) / n,
            "revenue_year": float(g["revenue_year"].sum()),
        }
    known = int(leavers["close_reason"].notna().sum())
    return {
        "customers": int(n),
        "with_reason": known,
        "revenue_year": float(leavers["revenue_year"].sum()),
        "by_reason": dict(sorted(by_reason.items(), key=lambda kv: -kv[1]["customers"])),
    }


def monthly_totals(bank: Bank) -> pd.DataFrame:
    s = bank.monthly_snapshots
    g = s.groupby("month")
    return pd.DataFrame(
        {"deposits": g["deposit_balance"].sum(), "loans": g["loan_balance"].sum(), "wealth_aum": g["wealth_aum"].sum()}
    ).sort_index()


def exposure(bank: Bank, active: pd.DataFrame) -> dict:
    """Per actionable driver: active customers in the state its finding is
    about, on month M's features, and their revenue over the window."""
    if active.empty:
        return {}
    feats = driver_features(bank, bank.timeframe.month(-1), active.index)
    out = {}
    for key, state in EXPOSURE_STATES.items():
        if key not in feats.columns:
            continue
        x = feats[key].astype(float)
        hit = state(x).fillna(False).to_numpy(dtype=bool)
        out[key] = {"customers": int(hit.sum()), "revenue_12m": float(active["revenue_12m"].to_numpy()[hit].sum())}
    return out


def at_stake(bank: Bank, assumptions: Assumptions | None = None) -> BookResult:
    """The book and the groups at stake of one branch (module notes)."""
    bank, a = bank.assumed(assumptions)
    tf = bank.timeframe
    base = value_base(bank).set_index("customer_id")["revenue_12m"]
    ids = active_customer_ids(bank)
    c = bank.customers.set_index("customer_id")
    active = pd.DataFrame(
        {
            "segment": c["segment"].astype(object).reindex(ids),
            "vip_tier": c["vip_tier"].astype(object).reindex(ids),
            "revenue_12m": base.reindex(ids).fillna(0.0),
        },
        index=ids,
    )
    closed = c[tf.in_window(c["close_date"]).fillna(False).astype(bool)]
    s = bank.monthly_snapshots
    s = s[(s["month"] >= tf.month(a.window_months - 1)) & (s["month"] <= tf.M)]
    per = s[s["customer_id"].isin(closed.index)].groupby("customer_id")["revenue"].agg(["sum", "count"])
    yearly = (per["sum"] * 12 / per["count"]).reindex(closed.index).fillna(0.0)
    leavers = pd.DataFrame(
        {"close_reason": closed["close_reason"].astype(object), "revenue_year": yearly.to_numpy()}, index=closed.index
    )
    return BookResult(
        book=monthly_totals(bank),
        month=tf.M,
        revenue=base,
        active=active,
        leavers=leavers,
        exposure=exposure(bank, active),
    )
