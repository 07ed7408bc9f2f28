"""Which customers make the branch's money, and which lose it? (QVSRS: V)

The seed's claims to check on every branch: "80% of profit comes from 20%
of customers" and "the bottom 30% (unprofitable customers) consume half of
the profit". Revenue here is the snapshot's `revenue`: the monthly net
contribution (interest margin + fees − cost to serve), so it is profit per
customer and may be negative.

The contract's figures (RESULTS.md, `value`) are over the *value base*:
customers of the branch with any snapshot in the window M−11 … M, with
revenue_12m = their revenue summed over the window (`cohorts.value_base`);
the top and bottom shares are the analyst's assumptions (`Assumptions.
top_share`, `bottom_share`: 0.2 and 0.3). `analyze(bank)` gives them as a
`ValueSection` (with the top-level `customers` and `active_customers`) and,
for the notebook, the Pareto curve, value tiers, profitability by segment,
area and VIP tier, and the profile of the customers who lose money. The
seed's claims are judged here (`concentration_verdict`, `drain_verdict`);
`analysis.words.value` words them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from analysis import sections
from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, value_base
from analysis.data.contract import AREAS, SEGMENTS, VIP_TIERS
from analysis.data.timeframe import window_coverage
from analysis.sections import Section, Skipped

TOP_SHARE = Fraction(2, 10)  # the default top share, for callers that have no Assumptions (managers)
SERVICE_INTERACTIONS = ("complaint", "service_request", "inquiry", "visit")  # not greetings: the bank's own outreach
GROUPS = {"segment": SEGMENTS, "area": AREAS, "vip_tier": VIP_TIERS}
TIERS = ("top20", "next30", "middle20", "bottom30")  # value tiers: glossary terms

#: The seed's claims and how close a branch must come to "agree" with them.
SEED_PROFIT_SHARE = 0.8  # "80% of the profit comes from 20% of the customers"
TOP_CLAIM_BAND = (0.75, 0.85)  # the top 20%'s share of profit that is "in line" with it
BOTTOM_CLAIM_BAND = (-0.6, -0.4)  # "the bottom 30% consume half of the profit": in line within ±10 points

#: Cost-to-serve proxies with their direction (+1: more of it costs more; less digital activity costs more).
COST_DIRECTION = {"txn_per_month": 1, "counter_share": 1, "interactions_12m": 1, "digital_share": -1}
VALUE_METRICS = ("products_held", "deposit_balance", "wealth_aum")
MATERIAL = 0.10  # a proxy differs materially when money-losing customers are more than 10% apart from the rest


def count_of(n: int, share: Fraction | float) -> int:
    """⌈share × n⌉, computed in exact fractions so that no float rounding can move it."""
    q = Fraction(share).limit_denominator(10_000) * n
    return -(-q.numerator // q.denominator)


# ---------------------------------------------------------------------------
# The contract's figures


def revenue_shares(revenue: pd.Series, assumptions: Assumptions | None = None) -> dict:
    """The three figures of RESULTS.md `value` from customers' revenue_12m.

    top20_revenue_share: revenue of the top ⌈0.2 n⌉ customers ÷ total (can
    exceed 1 when some customers lose money); bottom30_revenue_share: the
    same for the bottom ⌈0.3 n⌉ (can be negative); unprofitable_share: share
    of customers with revenue_12m < 0. Shares, not percentages; 0.2 and 0.3
    are `assumptions.top_share` and `bottom_share`.
    """
    a = assumptions or Assumptions()
    r = np.sort(np.asarray(revenue, dtype=float))[::-1]
    n, total = len(r), float(r.sum())
    return {
        "top20_revenue_share": float(r[: count_of(n, a.top_share)].sum()) / total,
        "bottom30_revenue_share": float(r[n - count_of(n, a.bottom_share) :].sum()) / total,
        "unprofitable_share": float(np.mean(r < 0)),
    }


def concentration_verdict(top_share: float) -> str:
    """The seed's "80% from 20%" on this branch: "more" (concentrated than the
    seed says), "in_line" or "less"."""
    low, high = TOP_CLAIM_BAND
    return "more" if top_share > high else "in_line" if top_share >= low else "less"


def drain_verdict(bottom_share: float) -> str:
    """The seed's "the bottom 30% consume half of the profit" on this branch:
    "no_drain" (they still add profit), "in_line", "worse" or "less"."""
    if bottom_share >= 0:
        return "no_drain"
    low, high = BOTTOM_CLAIM_BAND
    return "in_line" if low <= bottom_share <= high else "worse" if bottom_share < low else "less"


@dataclass(frozen=True)
class ValueSection(Section):
    """Section `value` of results.json, with the top-level counts it lifts
    (`to_dict` puts them under "_top"; the runner moves them to the top)."""

    top20_revenue_share: float | None
    bottom30_revenue_share: float | None
    unprofitable_share: float | None
    customers: int | None = None
    active_customers: int | None = None
    # months of the 12-month window the data hold, only when fewer (`timeframe.window_coverage`):
    # the shares are then of the profit of those months, and the words say so
    window_months: int | None = None

    def to_dict(self) -> dict:
        out = sections.ok(
            top20_revenue_share=self.top20_revenue_share,
            bottom30_revenue_share=self.bottom30_revenue_share,
            unprofitable_share=self.unprofitable_share,
        )
        if self.window_months is not None:
            out["window_months"] = self.window_months
        return {**out, "_top": {"customers": self.customers, "active_customers": self.active_customers}}

    @property
    def concentration(self) -> str | None:
        """`concentration_verdict` of the top 20%'s share."""
        s = self.top20_revenue_share
        return None if s is None else concentration_verdict(s)

    @property
    def drain(self) -> str | None:
        """`drain_verdict` of the bottom 30%'s share."""
        s = self.bottom30_revenue_share
        return None if s is None else drain_verdict(s)


@dataclass(frozen=True)
class ValueSkipped(Skipped):
    """Section `value` when it cannot be computed; the counts are still lifted."""

    customers: int | None = None
    active_customers: int | None = None

    def to_dict(self) -> dict:
        return {
            **sections.skipped(self.reason),
            "_top": {"customers": self.customers, "active_customers": self.active_customers},
        }


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def section_from_dict(
    d: Mapping | None, customers: int | None = None, active_customers: int | None = None
) -> ValueSection | ValueSkipped | None:
    """The typed section back from results.json (`results["value"]`, with
    `customers`/`active_customers` from its top level or the section's "_top");
    None when the section is absent."""
    if not isinstance(d, Mapping):
        return None
    top = d.get("_top") if isinstance(d.get("_top"), Mapping) else {}
    customers = customers if customers is not None else top.get("customers")
    active_customers = active_customers if active_customers is not None else top.get("active_customers")
    if d.get("status", "ok") != "ok":
        return ValueSkipped(str(d.get("reason") or ""), customers, active_customers)
    return ValueSection(
        _number(d.get("top20_revenue_share")),
        _number(d.get("bottom30_revenue_share")),
        _number(d.get("unprofitable_share")),
        customers,
        active_customers,
        int(d["window_months"]) if isinstance(d.get("window_months"), int) else None,
    )


def top_level(bank: Bank) -> dict:
    """`customers` (rows of the branch in customers) and `active_customers`
    (a snapshot in month M and no close_date ≤ as_of): RESULTS.md top level."""
    return {"customers": int(len(bank.customers)), "active_customers": int(len(active_customer_ids(bank)))}


def _skip_reason(base: pd.DataFrame) -> str | None:
    if base.empty:
        return "no customer has a snapshot in the 12-month window"
    total = float(base["revenue_12m"].sum())
    if not total > 0:
        return (
            f"the branch's customers made no profit in total over the window (revenue_12m sums to {total:,.0f} CNY): "
            "shares of a total that is not positive have no meaning"
        )
    return None


# ---------------------------------------------------------------------------
# Per customer: value and cost-to-serve proxies


def customer_values(bank: Bank, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """One row per customer of the value base (index customer_id).

    Columns: revenue_12m (CNY), rank (1 = most profitable), tier (TIERS),
    money_losing (revenue_12m < 0), segment, area, vip_tier, tenure_years (at
    as_of), has_rm, and over the window's snapshots: months (in the window),
    txn_per_month, digital_share (share of months digitally active),
    products_held, deposit_balance, loan_balance, wealth_aum (monthly means,
    CNY); interactions_12m (complaints, requests, inquiries and visits dated
    in the window; 0 without the table) and complaints_12m; counter_share
    (share of the window's transactions made at the counter; only when
    `transactions` has rows).
    """
    bank, assumptions = bank.assumed(assumptions)
    tf = bank.timeframe
    s = bank.monthly_snapshots
    s = s[(s["month"] >= tf.t0) & (s["month"] <= tf.M)]
    g = s.groupby("customer_id")
    out = pd.DataFrame(
        {
            "months": g["month"].nunique(),
            "txn_per_month": g["txn_count"].mean(),
            "digital_share": g["digital_active"].mean(),
            "products_held": g["products_held"].mean(),
            "deposit_balance": g["deposit_balance"].mean(),
            "loan_balance": g["loan_balance"].mean(),
            "wealth_aum": g["wealth_aum"].mean(),
        }
    )
    ranked = rank_by_revenue(value_base(bank)).set_index("customer_id")
    out = out.reindex(ranked.index)
    out.insert(0, "revenue_12m", ranked["revenue_12m"])
    out.insert(1, "rank", ranked["rank"])
    out.insert(2, "tier", tier_of_rank(out["rank"].to_numpy(), len(out), assumptions))
    out.insert(3, "money_losing", out["revenue_12m"] < 0)
    c = bank.customers.set_index("customer_id").reindex(out.index)
    for col in ("segment", "area"):
        out[col] = c[col].astype(object)
    # the vocabulary word "none" may reach us as a null (a loader reading it as a null token); vip_since is null then
    out["vip_tier"] = c["vip_tier"].astype(object).where(c["vip_tier"].notna(), "none")
    out["tenure_years"] = (tf.as_of - c["open_date"]).dt.days / 365.25
    out["has_rm"] = c["rm_id"].notna()
    out = out.join(_interaction_counts(bank, out.index))
    if bank.has("transactions"):
        out["counter_share"] = _counter_share(bank).reindex(out.index)
    return out.rename_axis("customer_id")


def value_frame(bank: Bank, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """For exploration: the value base, one row per customer with its profit,
    rank, tier and attributes (`customer_values`), e.g.
    `value_frame(bank).groupby("area")["revenue_12m"].sum()`."""
    return customer_values(bank, assumptions)


def rank_by_revenue(base: pd.DataFrame) -> pd.DataFrame:
    """Customers (columns customer_id, revenue_12m, …) ranked: revenue_12m
    descending, ties by customer_id ascending; `rank` 1 = most profitable."""
    out = base.sort_values(["revenue_12m", "customer_id"], ascending=[False, True], kind="mergesort")
    out = out.reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out


def tier_of_rank(rank: np.ndarray, n: int, assumptions: Assumptions | None = None) -> np.ndarray:
    """Value tier of each rank (1 = most profitable) among n customers: top
    ⌈top_share n⌉, bottom ⌈bottom_share n⌉, the next ⌈bottom_share n⌉ after
    the top, the rest in the middle (shares from `assumptions`: 0.2 and 0.3)."""
    a = assumptions or Assumptions()
    top, bottom = count_of(n, a.top_share), count_of(n, a.bottom_share)
    nxt = min(count_of(n, a.bottom_share), max(n - bottom - top, 0))
    return np.select(
        [rank <= top, rank > n - bottom, rank <= top + nxt],
        ["top20", "bottom30", "next30"],
        default="middle20",
    )


def _interaction_counts(bank: Bank, ids: pd.Index) -> pd.DataFrame:
    zero = pd.DataFrame({"interactions_12m": 0, "complaints_12m": 0}, index=ids)
    if not bank.has("interactions"):
        return zero
    i = bank.interactions
    i = i[bank.timeframe.in_window(i["date"]) & i["type"].isin(SERVICE_INTERACTIONS)]
    g = i.groupby("customer_id", observed=True)
    counts = pd.DataFrame(
        {
            "interactions_12m": g.size(),
            "complaints_12m": (i["type"] == "complaint").groupby(i["customer_id"], observed=True).sum(),
        }
    )
    return counts.reindex(ids).fillna(0).astype(int)


def _counter_share(bank: Bank) -> pd.Series:
    """Share of each customer's transactions in the window made at the counter."""
    tf = bank.timeframe
    # In DuckDB: a branch has millions of transactions and this is their only use.
    shares = bank.query(
        "SELECT customer_id, avg(CASE WHEN channel = 'counter' THEN 1.0 ELSE 0.0 END) AS share "
        "FROM transactions WHERE ts >= ? AND ts < ? GROUP BY customer_id",
        [tf.t0.to_pydatetime(), (tf.as_of + pd.Timedelta(days=1)).to_pydatetime()],
    )
    return shares.set_index("customer_id")["share"]


# ---------------------------------------------------------------------------
# Tables for the notebook (numbers; `analysis.words.value` labels them)


def pareto_curve(revenue: pd.Series) -> pd.DataFrame:
    """The Pareto (Lorenz) curve: customers ranked by revenue_12m, most
    profitable first; per point, customer_share (the top x of customers) and
    revenue_share (their cumulative share of total revenue). Starts at (0, 0);
    rises above 1 and comes back down when some customers lose money."""
    r = np.sort(np.asarray(revenue, dtype=float))[::-1]
    n = len(r)
    return pd.DataFrame(
        {
            "customer_share": np.arange(n + 1) / n,
            "revenue_share": np.concatenate([[0.0], np.cumsum(r) / r.sum()]),
        }
    )


def share_of_customers_for(revenue: pd.Series, target: float = SEED_PROFIT_SHARE) -> float:
    """Smallest share of customers (most profitable first) whose revenue
    reaches `target` of the total (e.g. 0.8: "x % of customers make 80%")."""
    curve = pareto_curve(revenue)
    reached = curve.index[curve["revenue_share"] >= target - 1e-12]
    return float(curve.loc[reached[0], "customer_share"]) if len(reached) else float("nan")


def _summary(values: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    n, total = len(values), values["revenue_12m"].sum()
    g = values.groupby(key, observed=True)
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "customer_share": g.size() / n,
            "revenue_12m": g["revenue_12m"].sum(),
            "revenue_share": g["revenue_12m"].sum() / total,
            "mean_revenue": g["revenue_12m"].mean(),
            "median_revenue": g["revenue_12m"].median(),
            "money_losing": g["money_losing"].sum().astype(int),
            "unprofitable_share": g["money_losing"].mean(),
        }
    )
    return out


def value_tiers(values: pd.DataFrame) -> pd.DataFrame:
    """Per value tier (top 20% / next 30% / middle 20% / bottom 30% by
    revenue_12m): customers, customer_share, revenue_12m (CNY), revenue_share,
    mean and median revenue (CNY), money_losing (how many lose money) and
    unprofitable_share."""
    return _summary(values, values["tier"]).reindex(list(TIERS)).dropna(how="all")


def profitability_by(values: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per level of `by` (segment, area or vip_tier): the columns of
    `value_tiers`, plus top20_share (share of the level's customers in the
    top 20%) and index (revenue_share ÷ customer_share: above 1, the level
    earns more than its headcount)."""
    out = _summary(values, values[by])
    out["top20_share"] = values.groupby(values[by], observed=True)["tier"].apply(lambda t: (t == "top20").mean())
    out["index"] = out["revenue_share"] / out["customer_share"]
    order = [v for v in GROUPS.get(by, sorted(out.index)) if v in out.index]
    return out.reindex(order)


PROFILE_METRICS = (
    "txn_per_month",
    "counter_share",
    "digital_share",
    "interactions_12m",
    "complaints_12m",
    "products_held",
    "deposit_balance",
    "wealth_aum",
    "loan_balance",
    "tenure_years",
    "revenue_12m",
)


def money_losing_profile(values: pd.DataFrame) -> pd.DataFrame:
    """What money-losing customers look like: per metric (rows, PROFILE_METRICS
    present in `values`), the mean over money-losing customers, over
    profitable ones, and the ratio of the two. Cost-to-serve proxies:
    transactions a month, the counter's share of them, digital activity,
    service interactions; value drivers: products, balances (CNY), tenure."""
    metrics = [m for m in PROFILE_METRICS if m in values.columns]
    losing = values.loc[values["money_losing"], metrics].mean()
    profitable = values.loc[~values["money_losing"], metrics].mean()
    out = pd.DataFrame({"money_losing": losing, "profitable": profitable})
    out["ratio"] = out["money_losing"] / out["profitable"].where(out["profitable"] != 0)
    return out


# ---------------------------------------------------------------------------
# Decisions on the notebook's tables (worded by analysis.words.value)


def costlier_metrics(profile: pd.DataFrame) -> list[str]:
    """Cost proxies on which money-losing customers cost materially more to serve."""
    out = []
    for m, sign in COST_DIRECTION.items():
        if m in profile.index and np.isfinite(profile.loc[m, "ratio"]):
            r = profile.loc[m, "ratio"]
            if (sign > 0 and r > 1 + MATERIAL) or (sign < 0 and r < 1 - MATERIAL):
                out.append(m)
    return out


def poorer_metrics(profile: pd.DataFrame) -> list[str]:
    """Value sources on which money-losing customers hold materially less."""
    return [m for m in VALUE_METRICS if m in profile.index and profile.loc[m, "ratio"] < 1 - MATERIAL]


def standout_metric(profile: pd.DataFrame) -> str | None:
    """The measure (not revenue itself) on which money-losing customers differ
    most from profitable ones: the largest |log ratio|; None without one."""
    r = profile.drop(index="revenue_12m", errors="ignore")["ratio"]
    r = r[np.isfinite(r) & (r > 0)]
    return None if r.empty else np.log(r).abs().idxmax()


def profitability_leaders(table: pd.DataFrame) -> tuple[Any, Any] | None:
    """(the level earning most above its headcount, the level with the largest
    share of money-losing customers) of a `profitability_by` table; None when empty."""
    t = table[table["customers"] > 0]
    if t.empty:
        return None
    return t["index"].idxmax(), t["unprofitable_share"].idxmax()


# ---------------------------------------------------------------------------
# The question


@dataclass
class ValueResult:
    """The value question for one branch: the contract's figures and what the
    notebook shows around them."""

    customers: int  # rows of the branch in customers (top level of results.json)
    active_customers: int
    values: pd.DataFrame  # `customer_values`
    shares: dict | None  # `revenue_shares`, None when skipped
    skip_reason: str | None
    n: int  # customers in the value base
    total_revenue: float  # CNY, sum of revenue_12m
    share_for_80: float  # smallest share of customers making 80% of revenue
    loss: float  # CNY lost by the money-losing customers (≥ 0)
    top_n: int  # ⌈0.2 n⌉
    bottom_n: int  # ⌈0.3 n⌉
    assumptions: Assumptions
    window_months: int = 12  # months of the 12-month window the data hold (`timeframe.window_coverage`)

    def section(self) -> ValueSection | ValueSkipped:
        """Section `value` of results.json (with the top-level counts)."""
        if self.shares is None:
            return ValueSkipped(self.skip_reason or "", self.customers, self.active_customers)
        short = self.window_months if self.window_months < self.assumptions.window_months else None
        return ValueSection(
            **self.shares, customers=self.customers, active_customers=self.active_customers, window_months=short
        )

    @property
    def ok(self) -> bool:
        return self.shares is not None

    @property
    def losing_n(self) -> int:
        return int(self.values["money_losing"].sum())

    @property
    def loss_share(self) -> float:
        """What the money-losing customers cost, as a share of total revenue."""
        return self.loss / self.total_revenue if self.total_revenue else float("nan")

    def pareto(self) -> pd.DataFrame:
        return pareto_curve(self.values["revenue_12m"])

    def tiers(self) -> pd.DataFrame:
        return value_tiers(self.values)

    def profitability(self, by: str) -> pd.DataFrame:
        return profitability_by(self.values, by)

    def profile(self) -> pd.DataFrame:
        return money_losing_profile(self.values)


def analyze(bank: Bank, assumptions: Assumptions | None = None) -> ValueResult:
    """Everything the value question computes for `bank` (see ValueResult)."""
    bank, a = bank.assumed(assumptions)
    top = top_level(bank)
    base = value_base(bank)
    reason = _skip_reason(base)
    shares = revenue_shares(base["revenue_12m"], a) if reason is None else None
    values = customer_values(bank, a)
    r = values["revenue_12m"]
    n = len(values)
    return ValueResult(
        customers=top["customers"],
        active_customers=top["active_customers"],
        values=values,
        shares=shares,
        skip_reason=reason,
        n=n,
        total_revenue=float(r.sum()),
        share_for_80=share_of_customers_for(r, SEED_PROFIT_SHARE) if shares is not None else float("nan"),
        loss=float(-r[r < 0].sum()),
        top_n=count_of(n, a.top_share),
        bottom_n=count_of(n, a.bottom_share),
        assumptions=a,
        window_months=window_coverage(bank, a.window_months)[0],
    )
