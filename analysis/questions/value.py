"""Which customers make the branch's money, and which lose it? (QVSRS: V)

The seed's claims to check on every branch: "80% of profit comes from 20%
of customers" and "the bottom 30% (unprofitable customers) consume half of
the profit". Revenue here is the snapshot's `revenue`: the monthly net
contribution (interest margin + fees − cost to serve), so it is profit per
customer and may be negative.

The contract's figures (RESULTS.md, `value`) are over the *value base*:
customers of the branch with any snapshot in the window M−11 … M, with
revenue_12m = their revenue summed over the window (`cohorts.value_base`).
Everything else here is for the notebook: the Pareto curve, value tiers,
profitability by segment, area and VIP tier, and the profile of the
customers who lose money.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from analysis import sections
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, value_base
from analysis.data.contract import AREAS, SEGMENTS, VIP_TIERS
from analysis.words.glossary import is_term, term
from analysis.words.format import money, money_unit, pct

TOP_SHARE = Fraction(2, 10)  # the seed's "20% of customers"
BOTTOM_SHARE = Fraction(3, 10)  # the seed's "bottom 30%"
SERVICE_INTERACTIONS = ("complaint", "service_request", "inquiry", "visit")  # not greetings: the bank's own outreach
GROUPS = {"segment": SEGMENTS, "area": AREAS, "vip_tier": VIP_TIERS}
TIERS = ("top20", "next30", "middle20", "bottom30")  # value tiers: glossary terms


def count_of(n: int, share: Fraction | float) -> int:
    """⌈share × n⌉, computed in exact fractions so that no float rounding can move it."""
    q = Fraction(share).limit_denominator(10_000) * n
    return -(-q.numerator // q.denominator)


# ---------------------------------------------------------------------------
# The contract's figures


def revenue_shares(revenue: pd.Series) -> dict:
    """The three figures of RESULTS.md `value` from customers' revenue_12m.

    top20_revenue_share: revenue of the top ⌈0.2 n⌉ customers ÷ total (can
    exceed 1 when some customers lose money); bottom30_revenue_share: the
    same for the bottom ⌈0.3 n⌉ (can be negative); unprofitable_share: share
    of customers with revenue_12m < 0. Shares, not percentages.
    """
    r = np.sort(np.asarray(revenue, dtype=float))[::-1]
    n, total = len(r), float(r.sum())
    return {
        "top20_revenue_share": float(r[: count_of(n, TOP_SHARE)].sum()) / total,
        "bottom30_revenue_share": float(r[n - count_of(n, BOTTOM_SHARE) :].sum()) / total,
        "unprofitable_share": float(np.mean(r < 0)),
    }


def top_level(bank: Bank) -> dict:
    """`customers` (rows of the branch in customers) and `active_customers`
    (a snapshot in month M and no close_date ≤ as_of): RESULTS.md top level."""
    return {"customers": int(len(bank.customers)), "active_customers": int(len(active_customer_ids(bank)))}


def value_section(bank: Bank) -> dict:
    """Section `value` of results.json, with the top-level counts under `_top`
    (the runner lifts them to the top of results.json)."""
    top = top_level(bank)
    base = value_base(bank)
    if base.empty:
        return {**sections.skipped("no customer has a snapshot in the 12-month window"), "_top": top}
    total = float(base["revenue_12m"].sum())
    if not total > 0:
        return {
            **sections.skipped(
                f"the branch's customers made no profit in total over the window (revenue_12m sums to {total:,.0f} CNY): "
                "shares of a total that is not positive have no meaning"
            ),
            "_top": top,
        }
    return sections.ok(**revenue_shares(base["revenue_12m"]), _top=top)


# ---------------------------------------------------------------------------
# Per customer: value and cost-to-serve proxies


def customer_values(bank: Bank) -> pd.DataFrame:
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
    out.insert(2, "tier", tier_of_rank(out["rank"].to_numpy(), len(out)))
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


def rank_by_revenue(base: pd.DataFrame) -> pd.DataFrame:
    """Customers (columns customer_id, revenue_12m, …) ranked: revenue_12m
    descending, ties by customer_id ascending; `rank` 1 = most profitable."""
    out = base.sort_values(["revenue_12m", "customer_id"], ascending=[False, True], kind="mergesort")
    out = out.reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out


def tier_of_rank(rank: np.ndarray, n: int) -> np.ndarray:
    """Value tier of each rank (1 = most profitable) among n customers:
    top ⌈0.2 n⌉, bottom ⌈0.3 n⌉, the next ⌈0.3 n⌉ after the top, the rest in the middle."""
    top, bottom = count_of(n, TOP_SHARE), count_of(n, BOTTOM_SHARE)
    nxt = min(count_of(n, BOTTOM_SHARE), max(n - bottom - top, 0))
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
# Tables for the notebook


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


def share_of_customers_for(revenue: pd.Series, target: float = 0.8) -> float:
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
# The analysis as one object, for the notebook and the prose


@dataclass
class ValueResult:
    """The value question for one branch: the contract's figures and what the
    notebook shows around them."""

    section: dict  # `value_section`: status, the three figures, _top
    values: pd.DataFrame  # `customer_values`
    n: int  # customers in the value base
    total_revenue: float  # CNY, sum of revenue_12m
    share_for_80: float  # smallest share of customers making 80% of revenue
    loss: float  # CNY lost by the money-losing customers (≥ 0)
    top_n: int  # ⌈0.2 n⌉
    bottom_n: int  # ⌈0.3 n⌉

    @property
    def ok(self) -> bool:
        return self.section.get("status") == "ok"

    @property
    def losing_n(self) -> int:
        return int(self.values["money_losing"].sum())

    @property
    def loss_share(self) -> float:
        """What the money-losing customers cost, as a share of total revenue."""
        return self.loss / self.total_revenue if self.total_revenue else float("nan")


def value_analysis(bank: Bank) -> ValueResult:
    """Compute everything the value notebook shows (see ValueResult)."""
    section = value_section(bank)
    values = customer_values(bank)
    r = values["revenue_12m"]
    n = len(values)
    return ValueResult(
        section=section,
        values=values,
        n=n,
        total_revenue=float(r.sum()),
        share_for_80=share_of_customers_for(r, 0.8) if section["status"] == "ok" else float("nan"),
        loss=float(-r[r < 0].sum()),
        top_n=count_of(n, TOP_SHARE),
        bottom_n=count_of(n, BOTTOM_SHARE),
    )


# ---------------------------------------------------------------------------
# Words


def value_title(result: ValueResult, lang: str = "zh") -> str:
    """The Pareto figure's title: how few customers make 80% of the profit."""
    if not result.ok:
        return "客户利润贡献" if lang == "zh" else "Profit by customer"
    x = pct(result.share_for_80)
    return f"{x}的客户贡献了80%的利润" if lang == "zh" else f"{x} of customers make 80% of the profit"


def _verdict_top(share: float, lang: str) -> str:
    if share > 0.85:
        return "比种子方案所说的更集中" if lang == "zh" else "more concentrated than the seed says"
    if share >= 0.75:
        return "与种子方案所说相符" if lang == "zh" else "in line with the seed"
    return "没有种子方案所说的那么集中" if lang == "zh" else "less concentrated than the seed says"


def describe_value(result: ValueResult, lang: str = "zh") -> list[str]:
    """Sentences that check the seed's two claims against this branch."""
    if not result.ok:
        reason = result.section.get("reason", "")
        return [
            f"本网点无法计算客户价值：{reason}。"
            if lang == "zh"
            else f"Customer value cannot be computed for this branch: {reason}."
        ]
    f = result.section
    top, bottom, unprof = f["top20_revenue_share"], f["bottom30_revenue_share"], f["unprofitable_share"]
    total = money(result.total_revenue, lang)
    if lang == "zh":
        out = [
            f"近12个月，{result.n:,}位有余额记录的客户共为本行贡献利润{total}"
            "（利润 = 净贡献：利差 + 手续费 − 服务成本，可为负）。",
            "帕累托曲线把客户按利润从高到低排队：曲线上一点表示“前x%的客户合计贡献了y%的利润”。",
            f"种子方案称“80%的利润来自20%的客户”。本行前20%的客户（{result.top_n:,}位）贡献了{pct(top, 1)}的利润，"
            f"{_verdict_top(top, lang)}；贡献八成利润只需前{pct(result.share_for_80, 1)}的客户。",
        ]
        if top > 1:
            out.append("前20%客户的贡献超过100%，是因为有客户在亏钱：其余客户合计为负。")
        claim = "种子方案称“底部30%的客户消耗了一半利润”。"
        if bottom < 0:
            how = "与此相符" if -0.6 <= bottom <= -0.4 else ("比这更严重" if bottom < -0.6 else "确有消耗，但不到一半")
            out.append(
                f"{claim}本行底部30%的客户（{result.bottom_n:,}位）合计亏掉了相当于总利润{pct(-bottom, 1)}的钱，{how}。"
            )
        else:
            out.append(
                f"{claim}本行底部30%的客户（{result.bottom_n:,}位）合计仍贡献了{pct(bottom, 1)}的利润，并未消耗利润：这一说法在本行不成立。"
            )
        out.append(
            f"真正亏钱的客户占{pct(unprof, 1)}（{result.losing_n:,}位），近12个月共亏损{money(result.loss, lang)}，"
            f"相当于总利润的{pct(result.loss_share, 2 if result.loss_share < 0.01 else 1)}。"
        )
        return out
    out = [
        f"Over the last 12 months the branch's {result.n:,} customers with balances made a profit of {total} "
        "(profit = net contribution: interest margin + fees − cost to serve; it can be negative).",
        "The Pareto curve ranks customers from most to least profitable: a point reads “the top x% of customers "
        "make y% of the profit”.",
        f"The seed says “80% of the profit comes from 20% of the customers”. Here the top 20% "
        f"({result.top_n:,} customers) make {pct(top, 1)} of the profit, {_verdict_top(top, lang)}; "
        f"80% of the profit takes only the top {pct(result.share_for_80, 1)} of customers.",
    ]
    if top > 1:
        out.append("The top 20% make more than 100% because some customers lose money: the rest sum to a loss.")
    claim = "The seed says “the bottom 30% consume half of the profit”."
    if bottom < 0:
        how = (
            "in line with the seed"
            if -0.6 <= bottom <= -0.4
            else ("worse than the seed says" if bottom < -0.6 else "a real drain, but less than half")
        )
        out.append(
            f"{claim} Here the bottom 30% ({result.bottom_n:,} customers) lose the equivalent of {pct(-bottom, 1)} of the profit, {how}."
        )
    else:
        out.append(
            f"{claim} Here the bottom 30% ({result.bottom_n:,} customers) still add {pct(bottom, 1)} of the profit: "
            "they do not consume it, so the claim does not hold for this branch."
        )
    out.append(
        f"The customers who actually lose money are {pct(unprof, 1)} ({result.losing_n:,}); over 12 months they lost "
        f"{money(result.loss, lang)}, {pct(result.loss_share, 2 if result.loss_share < 0.01 else 1)} of the total profit."
    )
    return out


def describe_profitability(table: pd.DataFrame, by: str, lang: str = "zh") -> list[str]:
    """One sentence on the level of `by` that earns most above its headcount,
    and one on the level with the most money-losing customers."""
    t = table[table["customers"] > 0]
    if t.empty:
        return []
    best = t["index"].idxmax()
    worst = t["unprofitable_share"].idxmax()
    b, w = t.loc[best], t.loc[worst]
    if lang == "zh":
        out = [
            f"{term(best, lang)}占客户的{pct(b['customer_share'])}，却贡献了{pct(b['revenue_share'])}的利润"
            f"（人均{money(b['mean_revenue'], lang)}），其中{pct(b['top20_share'])}位列前20%。"
        ]
        if w["unprofitable_share"] > 0:
            out.append(f"亏损客户比例最高的是{term(worst, lang)}：{pct(w['unprofitable_share'], 1)}。")
        return out
    out = [
        f"{term(best, lang)}: {pct(b['customer_share'])} of customers, but {pct(b['revenue_share'])} of "
        f"the profit ({money(b['mean_revenue'], lang)} each on average); {pct(b['top20_share'])} of them are in the top 20%."
    ]
    if w["unprofitable_share"] > 0:
        out.append(
            f"The share of money-losing customers is highest among {term(worst, lang)}: {pct(w['unprofitable_share'], 1)}."
        )
    return out


def profitability_title(table: pd.DataFrame, lang: str = "zh") -> str:
    """Title: the segment that earns most above its headcount, in numbers."""
    t = table[table["customers"] > 0]
    best = t["index"].idxmax()
    b = t.loc[best]
    if lang == "zh":
        return f"{term(best, lang)}占客户{pct(b['customer_share'])}，贡献利润{pct(b['revenue_share'])}"
    return f"{term(best, lang)}: {pct(b['customer_share'])} of customers, {pct(b['revenue_share'])} of profit"


#: The value profile's own measures (zh, en); the other PROFILE_METRICS are
#: glossary terms, the balances as monthly means of them (`AVERAGED`).
METRIC_LABELS = {
    "txn_per_month": ("月均交易笔数", "Transactions a month"),
    "counter_share": ("柜面交易占比", "Share of transactions at the counter"),
    "digital_share": ("手机银行/网银活跃月份占比", "Share of months active on mobile/online banking"),
    "interactions_12m": ("近12个月服务接触次数", "Service contacts in 12 months"),
}
AVERAGED = {"deposit_balance": "deposits", "wealth_aum": "wealth_aum", "loan_balance": "loans"}
MONEY_METRICS = ("deposit_balance", "wealth_aum", "loan_balance", "revenue_12m")
SHARE_METRICS = ("counter_share", "digital_share")


def metric_label(metric: str, lang: str = "zh") -> str:
    """Label of a profile metric (PROFILE_METRICS)."""
    if metric in METRIC_LABELS:
        zh, en = METRIC_LABELS[metric]
        return zh if lang == "zh" else en
    if metric in AVERAGED:
        t = term(AVERAGED[metric], lang)
        return f"月均{t}" if lang == "zh" else f"Average {t.lower()}"
    return term(metric, lang)


def _metric_value(metric: str, v: float, lang: str) -> str:
    if metric in MONEY_METRICS:
        return money(v, lang)
    if metric in SHARE_METRICS:
        return pct(v)
    return f"{v:,.1f}"


# Direction of each cost-to-serve proxy: +1 when more of it costs more (less digital activity costs more).
COST_DIRECTION = {"txn_per_month": 1, "counter_share": 1, "interactions_12m": 1, "digital_share": -1}
VALUE_METRICS = ("products_held", "deposit_balance", "wealth_aum")
MATERIAL = 0.10  # a proxy differs materially when losers are more than 10% apart from the rest


def _costlier(profile: pd.DataFrame) -> list[str]:
    """Cost proxies on which money-losing customers cost materially more to serve."""
    out = []
    for m, sign in COST_DIRECTION.items():
        if m in profile.index and np.isfinite(profile.loc[m, "ratio"]):
            r = profile.loc[m, "ratio"]
            if (sign > 0 and r > 1 + MATERIAL) or (sign < 0 and r < 1 - MATERIAL):
                out.append(m)
    return out


def _poorer(profile: pd.DataFrame) -> list[str]:
    """Value sources on which money-losing customers hold materially less."""
    return [m for m in VALUE_METRICS if m in profile.index and profile.loc[m, "ratio"] < 1 - MATERIAL]


def _ratio_words(metric: str, ratio: float, lang: str) -> str:
    label = metric_label(metric, lang)
    if ratio >= 1:
        return (
            f"{label}是盈利客户的{ratio:.1f}倍"
            if lang == "zh"
            else f"{label.lower()} {ratio:.1f}× that of profitable customers"
        )
    return (
        f"{label}只有盈利客户的{pct(ratio, 1 if ratio < 0.1 else 0)}"
        if lang == "zh"
        else f"{label.lower()} only {pct(ratio, 1 if ratio < 0.1 else 0)} of profitable customers'"
    )


def describe_money_losing(profile: pd.DataFrame, result: ValueResult, lang: str = "zh") -> list[str]:
    """What sets money-losing customers apart, in this branch's numbers, and
    whether they lose money because they cost much or because they hold little."""
    if result.losing_n == 0:
        return [
            "本网点近12个月没有亏损客户。"
            if lang == "zh"
            else "No customer of this branch lost money over the last 12 months."
        ]
    cost = [m for m in COST_DIRECTION if m in profile.index]
    worth = [m for m in VALUE_METRICS if m in profile.index]
    sep, vs = ("，", "对") if lang == "zh" else ("; ", " vs ")

    def pairs(metrics):
        return sep.join(
            f"{metric_label(m, lang)} {_metric_value(m, profile.loc[m, 'money_losing'], lang)}{vs}"
            f"{_metric_value(m, profile.loc[m, 'profitable'], lang)}"
            for m in metrics
        )

    costlier, poorer = _costlier(profile), _poorer(profile)
    if lang == "zh":
        out = [
            f"亏损客户（{result.losing_n:,}位）对比盈利客户（亏损客户在前）——服务成本：{pairs(cost)}；价值来源：{pairs(worth)}。"
        ]
        if "counter_share" not in profile.index:
            out.append("（缺少交易明细表 transactions，无法计算柜面交易占比。）")
        if costlier and poorer:
            out.append(
                f"亏损客户既更费服务（{'，'.join(_ratio_words(m, profile.loc[m, 'ratio'], lang) for m in costlier)}），"
                f"资产又少得多（{'，'.join(_ratio_words(m, profile.loc[m, 'ratio'], lang) for m in poorer)}）："
                "把他们的日常业务引导到手机银行、对高成本服务合理收费，是减亏的两条路。"
            )
        elif poorer:
            out.append(
                f"亏损客户并不更费服务，而是资产太少（{'，'.join(_ratio_words(m, profile.loc[m, 'ratio'], lang) for m in poorer)}），"
                "撑不起每位客户固定的服务成本：提升其产品与资产（交叉销售）或降低低余额账户的固定成本，比放弃他们更可取。"
            )
        elif costlier:
            out.append(
                f"亏损客户的资产并不少，问题在服务成本（{'，'.join(_ratio_words(m, profile.loc[m, 'ratio'], lang) for m in costlier)}）：应从服务渠道和收费入手。"
            )
        else:
            out.append("亏损客户在这些指标上与盈利客户差别不大：亏损更可能来自个别产品的定价，需逐户查看。")
        return out
    out = [
        f"Money-losing customers ({result.losing_n:,}) against profitable ones (losing first). Cost to serve: {pairs(cost)}. Sources of value: {pairs(worth)}."
    ]
    if "counter_share" not in profile.index:
        out.append("(Without the transactions table the counter's share of transactions cannot be computed.)")
    if costlier and poorer:
        out.append(
            f"They cost more to serve ({', '.join(_ratio_words(m, profile.loc[m, 'ratio'], lang) for m in costlier)}) "
            f"and hold far less ({', '.join(_ratio_words(m, profile.loc[m, 'ratio'], lang) for m in poorer)}): "
            "moving their routine business to mobile banking and pricing costly services are the two levers."
        )
    elif poorer:
        out.append(
            f"They do not cost more to serve; they hold too little ({', '.join(_ratio_words(m, profile.loc[m, 'ratio'], lang) for m in poorer)}) "
            "to cover the fixed cost of serving a customer: growing their products and assets, or cutting the fixed cost "
            "of small accounts, beats letting them go."
        )
    elif costlier:
        out.append(
            f"They hold no less, but cost more to serve ({', '.join(_ratio_words(m, profile.loc[m, 'ratio'], lang) for m in costlier)}): "
            "channels and fees are the levers."
        )
    else:
        out.append(
            "They differ little from profitable customers on these measures: the losses more likely come from the pricing of particular products."
        )
    return out


def money_losing_title(profile: pd.DataFrame, lang: str = "zh") -> str:
    """Title: the measure that most sets money-losing customers apart."""
    r = profile.drop(index="revenue_12m", errors="ignore")["ratio"]
    r = r[np.isfinite(r) & (r > 0)]
    if r.empty:
        return "亏损客户画像" if lang == "zh" else "What money-losing customers look like"
    m = np.log(r).abs().idxmax()
    words = _ratio_words(m, r[m], lang)
    return f"亏损客户的{words}" if lang == "zh" else f"Money-losing customers: {words}"


# ---------------------------------------------------------------------------
# Figures (matplotlib; the notebook shows and saves them)


def plot_pareto(result: ValueResult, bank: Bank, lang: str = "zh"):
    """The Pareto curve with the top-20% and bottom-30% points marked."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import ACCENT, HOME, NEUTRAL, caption, percent_axis, source_caption

    curve = pareto_curve(result.values["revenue_12m"])
    f = result.section
    fig, ax = plt.subplots()
    ax.plot(curve["customer_share"], curve["revenue_share"], color=HOME, lw=2)
    ax.plot([0, 1], [0, 1], color=NEUTRAL, ls=":", lw=1)
    ax.axhline(1, color=NEUTRAL, lw=0.8)
    # where 80 % of the profit is reached: dashed guides to both axes
    x80 = result.share_for_80
    ax.plot([0, x80, x80], [0.8, 0.8, 0], color=HOME, ls="--", lw=0.8)
    x_top = result.top_n / result.n
    ax.scatter([x_top], [f["top20_revenue_share"]], color=HOME, zorder=3)
    ax.annotate(
        (
            f"前20%客户：{pct(f['top20_revenue_share'])}利润"
            if lang == "zh"
            else f"top 20%: {pct(f['top20_revenue_share'])} of profit"
        ),
        (x_top, f["top20_revenue_share"]),
        xytext=(12, -18),
        textcoords="offset points",
    )
    x_bottom = 1 - result.bottom_n / result.n
    y_bottom = 1 - f["bottom30_revenue_share"]
    ax.scatter([x_bottom], [y_bottom], color=ACCENT, zorder=3)
    ax.axvspan(x_bottom, 1, color=ACCENT, alpha=0.08)
    ax.annotate(
        (
            f"后30%客户：{pct(f['bottom30_revenue_share'], 1)}利润"
            if lang == "zh"
            else f"bottom 30%: {pct(f['bottom30_revenue_share'], 1)} of profit"
        ),
        (x_bottom, y_bottom),
        xytext=(-150, -30),
        textcoords="offset points",
        arrowprops={"arrowstyle": "-", "color": ACCENT},
    )
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    ax.set_xlabel("客户（按利润从高到低）" if lang == "zh" else "Customers, most profitable first")
    ax.set_ylabel("累计利润占比" if lang == "zh" else "Cumulative share of profit")
    ax.set_title(value_title(result, lang))
    fig.tight_layout()
    caption(fig, source_caption(bank, "monthly_snapshots", result.n, lang))
    return fig


def plot_tiers(tiers: pd.DataFrame, bank: Bank, lang: str = "zh"):
    """Share of customers and of profit per value tier."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import ACCENT, HOME, NEUTRAL, caption, percent_axis, source_caption

    fig, ax = plt.subplots()
    x = np.arange(len(tiers))
    ax.bar(
        x - 0.2, tiers["customer_share"], 0.4, color=NEUTRAL, label="客户占比" if lang == "zh" else "Share of customers"
    )
    colors = [ACCENT if v < 0 else HOME for v in tiers["revenue_share"]]
    ax.bar(x + 0.2, tiers["revenue_share"], 0.4, color=colors, label="利润占比" if lang == "zh" else "Share of profit")
    for xi, v in zip(x, tiers["revenue_share"]):
        ax.annotate(pct(v, 1), (xi + 0.2, v), ha="center", va="bottom" if v >= 0 else "top", fontsize=9)
    ax.set_xticks(x, [term(t, lang) for t in tiers.index])
    ax.axhline(0, color="#333333", lw=0.8)
    percent_axis(ax, "y")
    ax.legend()
    top = tiers.loc["top20", "revenue_share"] if "top20" in tiers.index else float("nan")
    ax.set_title(
        f"前20%的客户贡献了{pct(top)}的利润"
        if lang == "zh"
        else f"The top 20% of customers make {pct(top)} of the profit"
    )
    fig.tight_layout()
    caption(fig, source_caption(bank, "monthly_snapshots", int(tiers["customers"].sum()), lang))
    return fig


def plot_profitability(tables: dict[str, pd.DataFrame], bank: Bank, lang: str = "zh"):
    """Share of customers vs share of profit per segment, area and VIP tier."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import HOME, NEUTRAL, caption, percent_axis, source_caption

    fig, axes = plt.subplots(1, len(tables), figsize=(12, 4.5), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, (by, t) in zip(axes, tables.items()):
        x = np.arange(len(t))
        ax.bar(
            x - 0.2, t["customer_share"], 0.4, color=NEUTRAL, label="客户占比" if lang == "zh" else "Share of customers"
        )
        ax.bar(x + 0.2, t["revenue_share"], 0.4, color=HOME, label="利润占比" if lang == "zh" else "Share of profit")
        ax.set_xticks(x, [term(v, lang) for v in t.index], rotation=20)
        percent_axis(ax, "y")
    axes[0].legend()
    seg = tables.get("segment", next(iter(tables.values())))
    fig.suptitle(profitability_title(seg, lang))
    caption(fig, source_caption(bank, "monthly_snapshots, customers", int(seg["customers"].sum()), lang))
    fig.tight_layout()
    return fig


def plot_money_losing(profile: pd.DataFrame, result: ValueResult, bank: Bank, lang: str = "zh"):
    """Money-losing ÷ profitable customers, metric by metric (1 = alike), on a
    log scale so that "half" and "twice" lie equally far from 1."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import ACCENT, NEUTRAL, caption, source_caption

    p = profile.drop(index="revenue_12m", errors="ignore")["ratio"].dropna()
    positive = p[p > 0]
    floor = (positive.min() if len(positive) else 0.1) / 3  # where a ratio of 0 is drawn
    standout = np.log(positive).abs().idxmax() if len(positive) else None
    fig, ax = plt.subplots()
    y = np.arange(len(p))
    ax.barh(y, p.clip(lower=floor).values, left=0, color=[ACCENT if m == standout else NEUTRAL for m in p.index])
    ax.set_xscale("log")
    ax.axvline(1, color="#333333", lw=0.8)
    ax.set_yticks(y, [metric_label(m, lang) for m in p.index])
    ax.invert_yaxis()
    for yi, v in zip(y, p.values):
        ax.annotate(
            f"{v:.2g}×", (max(v, floor), yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9
        )
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}×"))
    ax.set_xlabel(
        "亏损客户 ÷ 盈利客户（1× = 相同）" if lang == "zh" else "Money-losing ÷ profitable customers (1× = alike)"
    )
    ax.set_title(money_losing_title(profile, lang))
    tables = "monthly_snapshots, interactions" + (", transactions" if "counter_share" in profile.index else "")
    fig.tight_layout()
    caption(fig, source_caption(bank, tables, result.n, lang))
    return fig


# ---------------------------------------------------------------------------
# Tables as the reader sees them

COLUMN_LABELS = {
    "customers": ("客户数", "Customers"),
    "customer_share": ("客户占比", "Share of customers"),
    "revenue_share": ("利润占比", "Share of profit"),
    "mean_revenue": ("人均利润", "Mean profit"),
    "median_revenue": ("利润中位数", "Median profit"),
    "money_losing": ("亏损客户数", "Money-losing customers"),
    "unprofitable_share": ("亏损客户占比", "Share losing money"),
    "top20_share": ("位列前20%的占比", "Share in the top 20%"),
    "index": ("利润/人数指数", "Profit ÷ headcount index"),
    "profitable": ("盈利客户", "Profitable customers"),
    "ratio": ("亏损 ÷ 盈利", "Losing ÷ profitable"),
}
SHARE_COLUMNS = ("customer_share", "revenue_share", "unprofitable_share", "top20_share")
MONEY_COLUMNS = ("revenue_12m", "mean_revenue", "median_revenue")


def labelled(table: pd.DataFrame, lang: str = "zh") -> "pd.io.formats.style.Styler":
    """A value table for display: money in 万元 / thousand CNY, shares as %,
    rows and columns named in the reader's language."""
    div, unit = money_unit(lang)
    t = table.copy()
    for c in MONEY_COLUMNS:
        if c in t:
            t[c] = t[c] / div
    names = {}
    for c in t.columns:
        if c == "revenue_12m":
            name = term(c, lang)
        else:
            zh, en = COLUMN_LABELS.get(c, (c, c))
            name = zh if lang == "zh" else en
        names[c] = (
            f"{name}（{unit}）"
            if lang == "zh" and c in MONEY_COLUMNS
            else (f"{name} ({unit})" if c in MONEY_COLUMNS else name)
        )
    fmt = {names[c]: "{:.1%}" for c in t.columns if c in SHARE_COLUMNS}
    fmt.update({names[c]: "{:,.1f}" for c in t.columns if c in MONEY_COLUMNS})
    fmt.update({names[c]: "{:,.0f}" for c in t.columns if c in ("customers", "money_losing")})
    fmt.update({names[c]: "{:.2f}" for c in t.columns if c in ("index", "ratio")})

    def row_label(k):
        if k in PROFILE_METRICS:
            return metric_label(k, lang)
        return term(k, lang) if is_term(k) else k

    t.index = [row_label(k) for k in t.index]
    return t.rename(columns=names).style.format(fmt, na_rep="–")


def profile_table(profile: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """`money_losing_profile` for display: each metric in its own unit."""
    cols = {
        "money_losing": ("亏损客户", "Money-losing"),
        "profitable": ("盈利客户", "Profitable"),
        "ratio": ("亏损 ÷ 盈利", "Losing ÷ profitable"),
    }
    out = pd.DataFrame(
        {
            (zh if lang == "zh" else en): [
                f"{profile.loc[m, c]:.2f}×" if c == "ratio" else _metric_value(m, profile.loc[m, c], lang)
                for m in profile.index
            ]
            for c, (zh, en) in cols.items()
        },
        index=[metric_label(m, lang) for m in profile.index],
    )
    return out
