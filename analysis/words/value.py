"""Customer value in words (`analysis.questions.value`), for the notebook and the briefing.

`describe_value(value, lang, part=None)` reads either the whole
`ValueResult` (the notebook) or only the `ValueSection` of results.json (the
briefing): the sentences whose numbers are there are said, the others left
out. Parts, in order (`PARTS`): "claims" (the seed's two claims against this
branch), "by_segment", "by_area", "by_vip_tier" (profitability of each
level) and "money_losing" (what sets the money-losing customers apart); the
last four need the result. Titles of the value figures and the labels of its
display tables are here too (tables stay numeric; their display formats are
in `attrs["formats"]`).
"""

from __future__ import annotations

import pandas as pd

from analysis.assumptions import Assumptions
from analysis.questions.value import (
    COST_DIRECTION,
    VALUE_METRICS,
    ValueResult,
    ValueSection,
    ValueSkipped,
    costlier_metrics,
    poorer_metrics,
    profitability_leaders,
    standout_metric,
)
from analysis.words.format import money, money_unit, num, pct, times
from analysis.words.glossary import in_sentence, is_term, term
from analysis.words.lang import pick
from analysis.words.reasons import reason_text

PARTS = ("claims", "by_segment", "by_area", "by_vip_tier", "money_losing")

CONCENTRATION_WORDS = {
    "more": ("比种子方案所说的更集中", "more concentrated than the seed says"),
    "in_line": ("与种子方案所说相符", "in line with the seed"),
    "less": ("没有种子方案所说的那么集中", "less concentrated than the seed says"),
}
DRAIN_WORDS = {
    "in_line": ("与此相符", "in line with the seed"),
    "worse": ("比这更严重", "worse than the seed says"),
    "less": ("确有消耗，但不到一半", "a real drain, but less than half"),
}


def _shares(result: ValueResult | None) -> tuple[str, str]:
    """The top and bottom shares as the reader reads them ("20%", "30%")."""
    a = result.assumptions if result is not None else Assumptions()
    return pct(a.top_share, 0), pct(a.bottom_share, 0)


def value_title(result: ValueResult, lang: str = "zh") -> str:
    """The Pareto figure's title: how few customers make 80% of the profit."""
    if not result.ok:
        return pick(lang, "客户利润贡献", "Profit by customer")
    x = pct(result.share_for_80)
    return pick(lang, f"{x}的客户贡献了80%的利润", f"{x} of customers make 80% of the profit")


def describe_value(
    value: ValueResult | ValueSection | ValueSkipped | None, lang: str = "zh", part: str | None = None
) -> list[str]:
    """Sentences on this branch's customer value: one part (`PARTS`) or all of them."""
    if part is not None and part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    result = value if isinstance(value, ValueResult) else None
    section = value.section() if isinstance(value, ValueResult) else value
    if section is None:
        return []
    out: list[str] = []
    for p in PARTS if part is None else (part,):
        if p == "claims":
            out += _claims(section, result, lang)
        elif result is not None and result.ok and p.startswith("by_"):
            out += describe_profitability(result.profitability(p[3:]), lang)
        elif result is not None and result.ok and p == "money_losing":
            out += describe_money_losing(result, lang)
    return out


def short_window(held: int, nominal: int = 12, lang: str = "zh") -> str:
    """What a window shorter than its nominal length means for the figures
    named after it (`timeframe.window_coverage`): they cover `held` months."""
    return pick(
        lang,
        f"数据只包含{nominal}个月窗口中的{held}个月：按窗口计的利润及按利润的排名只反映这{held}个月（近{held}个月利润），不是全年。",
        f"Only {held} of the {nominal} months of the window are in the data: profit over the window, and rankings "
        f"by it, cover those {held} months ({held}-month profit), not a year.",
    )


def _claims(section: ValueSection | ValueSkipped, result: ValueResult | None, lang: str) -> list[str]:
    """The seed's two claims checked against the branch (the section's figures,
    with the counts and money of the result where there is one)."""
    if isinstance(section, ValueSkipped):
        return [
            pick(
                lang,
                f"本网点无法计算客户价值：{reason_text(section.reason, lang)}。",
                f"Customer value cannot be computed for this branch: {reason_text(section.reason, lang)}.",
            )
        ]
    s = section
    top, bottom, unprof = s.top20_revenue_share, s.bottom30_revenue_share, s.unprofitable_share
    top_pct, bottom_pct = _shares(result)
    w = result.assumptions.window_months if result is not None else 12  # the window's months
    out: list[str] = []
    held = result.window_months if result is not None else (s.window_months or w)
    nominal = result.assumptions.window_months if result is not None else 12
    if held < nominal:
        out.append(short_window(held, nominal, lang))
    if result is not None:
        total = money(result.total_revenue, lang)
        out += [
            pick(
                lang,
                f"近{held}个月，{num(result.n)}位有余额记录的客户共为本行贡献利润{total}"
                "（利润 = 净贡献：利差 + 手续费 − 服务成本，可为负）。",
                f"Over the last {held} months the branch's {num(result.n)} customers with balances made a profit of "
                f"{total} (profit = net contribution: interest margin + fees − cost to serve; it can be negative).",
            ),
            pick(
                lang,
                "帕累托曲线把客户按利润从高到低排队：曲线上一点表示“前x%的客户合计贡献了y%的利润”。",
                "The Pareto curve ranks customers from most to least profitable: a point reads “the top x% of "
                "customers make y% of the profit”.",
            ),
        ]
    if top is not None:
        zh_verdict, en_verdict = CONCENTRATION_WORDS[s.concentration]
        count_zh = f"（{num(result.top_n)}位）" if result is not None else ""
        count_en = f" ({num(result.top_n)} customers)" if result is not None else ""
        sentence = pick(
            lang,
            f"种子方案称“80%的利润来自20%的客户”。本行前{top_pct}的客户{count_zh}贡献了{pct(top, 1)}的利润，"
            f"{zh_verdict}",
            f"The seed says “80% of the profit comes from 20% of the customers”. Here the top {top_pct}{count_en} "
            f"make {pct(top, 1)} of the profit, {en_verdict}",
        )
        if result is not None and result.ok:
            x = pct(result.share_for_80, 1)
            sentence += pick(
                lang, f"；贡献八成利润只需前{x}的客户", f"; 80% of the profit takes only the top {x} of customers"
            )
        out.append(sentence + pick(lang, "。", "."))
        if top > 1:
            out.append(
                pick(
                    lang,
                    f"前{top_pct}客户的贡献超过100%，是因为有客户在亏钱：其余客户合计为负。",
                    f"The top {top_pct} make more than 100% because some customers lose money: the rest sum to a loss.",
                )
            )
    if bottom is not None:
        count_zh = f"（{num(result.bottom_n)}位）" if result is not None else ""
        count_en = f" ({num(result.bottom_n)} customers)" if result is not None else ""
        claim = pick(
            lang,
            "种子方案称“底部30%的客户消耗了一半利润”。",
            "The seed says “the bottom 30% consume half of the profit”.",
        )
        if s.drain == "no_drain":
            out.append(
                claim
                + pick(
                    lang,
                    f"本行底部{bottom_pct}的客户{count_zh}合计仍贡献了{pct(bottom, 1)}的利润，并未消耗利润：这一说法在"
                    "本行不成立。",
                    f" Here the bottom {bottom_pct}{count_en} still add {pct(bottom, 1)} of the profit: "
                    "they do not consume it, so the claim does not hold for this branch.",
                )
            )
        else:
            zh_how, en_how = DRAIN_WORDS[s.drain]
            out.append(
                claim
                + pick(
                    lang,
                    f"本行底部{bottom_pct}的客户{count_zh}合计亏掉了相当于总利润{pct(-bottom, 1)}的钱，{zh_how}。",
                    f" Here the bottom {bottom_pct}{count_en} lose the equivalent of {pct(-bottom, 1)} of the profit, "
                    f"{en_how}.",
                )
            )
    if unprof is not None:
        if result is not None:
            share = pct(result.loss_share, 2 if result.loss_share < 0.01 else 1)
            loss = money(result.loss, lang)
            out.append(
                pick(
                    lang,
                    f"真正亏钱的客户占{pct(unprof, 1)}（{num(result.losing_n)}位），近{w}个月共亏损{loss}，相当于总利润"
                    f"的{share}。",
                    f"The customers who actually lose money are {pct(unprof, 1)} ({num(result.losing_n)}); over {w} "
                    "months "
                    f"they lost {loss}, {share} of the total profit.",
                )
            )
        else:
            out.append(
                pick(
                    lang,
                    f"真正亏钱的客户占{pct(unprof, 1)}：近12个月服务他们的成本高于他们带来的收入。",
                    f"The customers who actually lose money are {pct(unprof, 1)}: over 12 months they cost more to "
                    "serve than they brought in.",
                )
            )
    return out


def _level(key, lang: str) -> str:
    return term(str(key), lang) if is_term(str(key)) else str(key)


def describe_profitability(table: pd.DataFrame, lang: str = "zh") -> list[str]:
    """One sentence on the level (of a `profitability_by` table) that earns most
    above its headcount, and one on the level with the most money-losing customers."""
    leaders = profitability_leaders(table)
    if leaders is None:
        return []
    best, worst = leaders
    b, w = table.loc[best], table.loc[worst]
    name = _level(best, lang)
    out = [
        pick(
            lang,
            f"{name}占客户的{pct(b['customer_share'])}，却贡献了{pct(b['revenue_share'])}的利润"
            f"（人均{money(b['mean_revenue'], lang)}），其中{pct(b['top20_share'])}位列前20%。",
            f"{name}: {pct(b['customer_share'])} of customers, but {pct(b['revenue_share'])} of the profit "
            f"({money(b['mean_revenue'], lang)} each on average); {pct(b['top20_share'])} of them are in the top 20%.",
        )
    ]
    if w["unprofitable_share"] > 0:
        out.append(
            pick(
                lang,
                f"亏损客户比例最高的是{_level(worst, lang)}：{pct(w['unprofitable_share'], 1)}。",
                f"The share of money-losing customers is highest among {_level(worst, lang)}: "
                f"{pct(w['unprofitable_share'], 1)}.",
            )
        )
    return out


def profitability_title(table: pd.DataFrame, lang: str = "zh") -> str:
    """Title: the level that earns most above its headcount, in numbers."""
    best, _ = profitability_leaders(table) or (None, None)
    if best is None:
        return pick(lang, "各客户群的利润贡献", "Profit by group")
    b, name = table.loc[best], _level(best, lang)
    return pick(
        lang,
        f"{name}占客户{pct(b['customer_share'])}，贡献利润{pct(b['revenue_share'])}",
        f"{name}: {pct(b['customer_share'])} of customers, {pct(b['revenue_share'])} of profit",
    )


# ---------------------------------------------------------------------------
# Money-losing customers

#: The value profile's own measures (zh, en); the other PROFILE_METRICS are
#: glossary terms, the balances as monthly means of them (`AVERAGED`).
PROFILE_LABELS = {
    "txn_per_month": ("月均交易笔数", "Transactions a month"),
    "counter_share": ("柜面交易占比", "Share of transactions at the counter"),
    "digital_share": ("手机银行/网银活跃月份占比", "Share of months active on mobile/online banking"),
    "interactions_12m": ("近12个月服务接触次数", "Service contacts in 12 months"),
}
AVERAGED = {"deposit_balance": "deposits", "wealth_aum": "wealth_aum", "loan_balance": "loans"}
MONEY_METRICS = ("deposit_balance", "wealth_aum", "loan_balance", "revenue_12m")
SHARE_METRICS = ("counter_share", "digital_share")


def profile_metric_label(metric: str, lang: str = "zh") -> str:
    """Label of a money-losing profile measure (PROFILE_METRICS)."""
    if metric in PROFILE_LABELS:
        return pick(lang, *PROFILE_LABELS[metric])
    if metric in AVERAGED:
        t = term(AVERAGED[metric], lang)
        return pick(lang, f"月均{t}", f"Average {in_sentence(t)}")
    return term(metric, lang)


def _metric_value(metric: str, v: float, lang: str) -> str:
    if metric in MONEY_METRICS:
        return money(v, lang)
    if metric in SHARE_METRICS:
        return pct(v)
    return num(v, 1)


def ratio_words(metric: str, ratio: float, lang: str = "zh") -> str:
    """ "<measure> k times that of profitable customers" / "only x% of …"."""
    label = profile_metric_label(metric, lang)
    if ratio >= 1:
        return pick(
            lang,
            f"{label}是盈利客户的{times(ratio, lang, 1)}",
            f"{in_sentence(label)} {times(ratio, lang, 1)} that of profitable customers",
        )
    share = pct(ratio, 1 if ratio < 0.1 else 0)
    return pick(lang, f"{label}只有盈利客户的{share}", f"{in_sentence(label)} only {share} of profitable customers'")


def describe_money_losing(result: ValueResult, lang: str = "zh") -> list[str]:
    """What sets money-losing customers apart, in this branch's numbers, and
    whether they lose money because they cost much or because they hold little."""
    if result.losing_n == 0:
        return [no_money_losing_words(lang)]
    profile = result.profile()
    cost = [m for m in COST_DIRECTION if m in profile.index]
    worth = [m for m in VALUE_METRICS if m in profile.index]
    sep, vs = pick(lang, "，", "; "), pick(lang, "对", " vs ")

    def pairs(metrics):
        return sep.join(
            f"{profile_metric_label(m, lang)} {_metric_value(m, profile.loc[m, 'money_losing'], lang)}{vs}"
            f"{_metric_value(m, profile.loc[m, 'profitable'], lang)}"
            for m in metrics
        )

    def ratios(metrics):
        return pick(lang, "，", ", ").join(ratio_words(m, profile.loc[m, "ratio"], lang) for m in metrics)

    n = num(result.losing_n)
    out = [
        pick(
            lang,
            f"亏损客户（{n}位）对比盈利客户（亏损客户在前）——服务成本：{pairs(cost)}；价值来源：{pairs(worth)}。",
            f"Money-losing customers ({n}) against profitable ones (losing first). Cost to serve: {pairs(cost)}. "
            f"Sources of value: {pairs(worth)}.",
        )
    ]
    if "counter_share" not in profile.index:
        out.append(
            pick(
                lang,
                "（缺少交易明细表 transactions，无法计算柜面交易占比。）",
                "(Without the transactions table the counter's share of transactions cannot be computed.)",
            )
        )
    costlier, poorer = costlier_metrics(profile), poorer_metrics(profile)
    if costlier and poorer:
        out.append(
            pick(
                lang,
                f"亏损客户既更费服务（{ratios(costlier)}），资产又少得多（{ratios(poorer)}）："
                "把他们的日常业务引导到手机银行、对高成本服务合理收费，是减亏的两条路。",
                f"They cost more to serve ({ratios(costlier)}) and hold far less ({ratios(poorer)}): "
                "moving their routine business to mobile banking and pricing costly services are the two levers.",
            )
        )
    elif poorer:
        out.append(
            pick(
                lang,
                f"亏损客户并不更费服务，而是资产太少（{ratios(poorer)}），撑不起每位客户固定的服务成本："
                "提升其产品与资产（交叉销售）或降低低余额账户的固定成本，比放弃他们更可取。",
                f"They do not cost more to serve; they hold too little ({ratios(poorer)}) to cover the fixed cost of "
                "serving a customer: growing their products and assets, or cutting the fixed cost of small accounts, "
                "beats letting them go.",
            )
        )
    elif costlier:
        out.append(
            pick(
                lang,
                f"亏损客户的资产并不少，问题在服务成本（{ratios(costlier)}）：应从服务渠道和收费入手。",
                f"They hold no less, but cost more to serve ({ratios(costlier)}): channels and fees are the levers.",
            )
        )
    else:
        out.append(
            pick(
                lang,
                "亏损客户在这些指标上与盈利客户差别不大：亏损更可能来自个别产品的定价，需逐户查看。",
                "They differ little from profitable customers on these measures: the losses more likely come from the "
                "pricing of particular products.",
            )
        )
    return out


def no_money_losing_words(lang: str = "zh") -> str:
    return pick(
        lang,
        "本网点近12个月没有亏损客户。",
        "No customer of this branch lost money over the last 12 months.",
    )


def money_losing_title(profile: pd.DataFrame, lang: str = "zh") -> str:
    """Title: the measure that most sets money-losing customers apart."""
    m = standout_metric(profile)
    if m is None:
        return pick(lang, "亏损客户画像", "What money-losing customers look like")
    words = ratio_words(m, profile.loc[m, "ratio"], lang)
    return pick(lang, f"亏损客户的{words}", f"Money-losing customers: {words}")


# ---------------------------------------------------------------------------
# Tables as the reader sees them (numbers stay numbers)

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


def _with_unit(name: str, unit: str, lang: str) -> str:
    return pick(lang, f"{name}（{unit}）", f"{name} ({unit})")


def column_label(column: str, lang: str = "zh") -> str:
    """A value table's column in the reader's words (money columns with their unit)."""
    name = term(column, lang) if column == "revenue_12m" else pick(lang, *COLUMN_LABELS.get(column, (column, column)))
    return _with_unit(name, money_unit(lang)[1], lang) if column in MONEY_COLUMNS else name


def labelled_table(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A value table (tiers, profitability by group) for display: numeric
    columns, money in 万元 / thousand CNY, rows and columns in the reader's
    words; `attrs["formats"]` (column → format) shows shares as %."""
    div, _ = money_unit(lang)
    t = table.copy()
    for c in MONEY_COLUMNS:
        if c in t:
            t[c] = t[c] / div
    t.index = [_level(k, lang) for k in t.index]
    names = {c: column_label(c, lang) for c in t.columns}
    formats = {}
    for c, name in names.items():
        if c in SHARE_COLUMNS:
            formats[name] = "{:.1%}"
        elif c in MONEY_COLUMNS:
            formats[name] = "{:,.1f}"
        elif c in ("customers", "money_losing"):
            formats[name] = "{:,.0f}"
        elif c in ("index", "ratio"):
            formats[name] = "{:.2f}"
    t = t.rename(columns=names)
    t.attrs["formats"] = formats
    return t


def profile_table(profile: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """`money_losing_profile` for display: numeric, each measure in its own unit
    (money in 万元 / thousand CNY, shares in %), named in its row."""
    div, unit = money_unit(lang)
    scale = pd.Series(
        [1 / div if m in MONEY_METRICS else 100.0 if m in SHARE_METRICS else 1.0 for m in profile.index],
        index=profile.index,
    )
    out = profile[["money_losing", "profitable"]].mul(scale, axis=0)
    out["ratio"] = profile["ratio"]
    rows = []
    for m in profile.index:
        label = profile_metric_label(m, lang)
        rows.append(
            _with_unit(label, unit, lang) if m in MONEY_METRICS else f"{label} (%)" if m in SHARE_METRICS else label
        )
    out.index = rows
    cols = {
        "money_losing": pick(lang, "亏损客户", "Money-losing"),
        "profitable": pick(lang, "盈利客户", "Profitable"),
        "ratio": pick(lang, "亏损 ÷ 盈利", "Losing ÷ profitable"),
    }
    out = out.rename(columns=cols)
    out.attrs["formats"] = {cols["money_losing"]: "{:,.2f}", cols["profitable"]: "{:,.2f}", cols["ratio"]: "{:.2f}"}
    return out
