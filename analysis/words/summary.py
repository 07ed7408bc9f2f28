"""The briefing's first page in words (zh / en): the executive summary.

One function per block, each wording what `analysis.questions.summary`
chose (the numbers and the choices are its; this module only says them):

    situation(sit, lang)          # the three sentences: the book, the customers, the profit
    decision_rows(dec, lang)      # next quarter's decisions: cost, contribution, after cost
    decisions_notes(dec, lang)    # the plan's totals and what the list leaves out
    scorecard_rows(rows, lang)    # the QVSRS figures against last quarter, with the noise band
    scorecard_notes(..., lang)    # what the band means, the previous quarter's date, targets
    scorecard_title(rows, lang)   # the scorecard's point: how many figures moved beyond noise
    scorecard_note(row, ..., lang)  # one row as the presenter says it

Money is a yearly net contribution (年净贡献, CNY a year) with its interval,
never a volume; where an interval includes zero the words say "may".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from analysis.questions.summary import BookMove, Decision, Decisions, Range, ScoreRow, Situation
from analysis.words.format import is_number, join, money, money_range, num, pct, plural, times
from analysis.words.glossary import in_sentence, term
from analysis.words.lang import pick
from analysis.words.names import campaign_name
from analysis.words.persistence import lasts_clause
from analysis.words.plan import action_line, role_label
from analysis.words.qvsrs import SHARE_METRICS, pillar_name, scorecard_metric_label, scorecard_value

#: the first page's headings and column heads: key → (zh, en)
HEADINGS: dict[str, tuple[str, str]] = {
    "summary": ("执行摘要", "Executive summary"),
    "situation": ("现状", "The situation"),
    "decisions": ("下季度的决定（{start}至{end}）", "Decisions for next quarter ({start} to {end})"),
    "decision_action": ("决定", "Decision"),
    "decision_owner": (term("owner", "zh"), term("owner", "en")),
    "decision_when": ("时间", "When"),
    "decision_cost": ("下季度成本", "Cost next quarter"),
    "decision_profit": ("年净贡献（95%区间）", "Yearly net contribution (95% interval)"),
    "decision_after": ("扣除成本后（每年）", "After cost, a year"),
    "scorecard": ("QVSRS记分卡：与上季度相比", "QVSRS scorecard against last quarter"),
    "score_pillar": ("支柱", "Pillar"),
    "score_figure": ("指标", "Figure"),
    "score_now": ("本季度", "Now"),
    "score_previous": ("上季度", "Last quarter"),
    "score_change": ("变化（±95%波动范围）", "Change (± 95% noise band)"),
    "score_noise": ("是否超出波动", "Beyond noise?"),
    "score_target": (term("target", "zh"), term("target", "en")),
    "findings": ("主要发现", "Findings"),
}


def heading(key: str, lang: str = "zh", **fmt: str) -> str:
    """A heading or column head of the first page."""
    text = pick(lang, *HEADINGS[key])
    return text.format(**fmt) if fmt else text


#: a book line in a sentence
LINES = {"deposits": ("存款", "deposits"), "loans": ("贷款", "loans"), "wealth_aum": ("理财资产", "wealth assets")}


def _end(lang: str) -> str:
    return pick(lang, "。", ".")


def signed_money(x: object, lang: str = "zh") -> str:
    """Money with its sign, in `money`'s style: +20.6万元 / CNY +20.6 thousand / CNY −9.98 thousand."""
    if not is_number(x):
        return "—"
    text = money(x, lang)
    if float(x) <= 0:  # type: ignore[arg-type]
        return text
    return pick(lang, "+" + text, text.replace("CNY ", "CNY +", 1))


def range_text(r: Range | None, lang: str = "zh") -> str:
    """A yearly profit's interval alone: "95%区间−3.62至7.74万元" ("" without one)."""
    if r is None or not r.known:
        return ""
    return pick(lang, f"95%区间{money_range(r.low, r.high, lang)}", f"95% interval {money_range(r.low, r.high, lang)}")


def signed_range(r: Range | None, lang: str = "zh") -> str:
    """A yearly profit with its sign and interval: "+2.06万元（95%区间−3.62至7.74万元）"."""
    if r is None:
        return "—"
    text = signed_money(r.estimate, lang)
    if r.known:
        text += pick(
            lang,
            f"（95%区间{money_range(r.low, r.high, lang)}）",
            f" (95% interval {money_range(r.low, r.high, lang)})",
        )
    return text


# ---------------------------------------------------------------------------
# 1 the situation: three sentences


def _move(b: BookMove, lang: str, first: bool) -> str:
    zh, en = LINES[b.line]
    up = b.change >= 0
    text = pick(
        lang,
        f"{zh}{'增长' if up else '下降'}{pct(abs(b.change))}至{money(b.now, lang)}",
        f"{en} {'rose' if up else 'fell'} {pct(abs(b.change))} to {money(b.now, lang)}",
    )
    if b.profit is not None:
        more = b.profit.estimate >= 0
        amount = money(abs(b.profit.estimate), lang)
        margin = pick(lang, "贷款" if b.line == "loans" else "资金", "loan" if b.line == "loans" else "funds")
        if first:
            text += pick(
                lang,
                f"（按本网点的{margin}净收益率，年净贡献约{'多' if more else '少'}{amount}）",
                f" (about {amount} a year {'more' if more else 'less'} net contribution"
                f" at the branch's {margin} margin)",
            )
        else:
            text += pick(
                lang,
                f"（约{'多' if more else '少'}{money(abs(b.profit.estimate), lang)}）",
                f" ({signed_money(b.profit.estimate, lang)} a year)",
            )
    return text


def book_sentence(sit: Situation, lang: str = "zh", months: int = 12) -> str | None:
    """The book: the lines that moved materially, largest move first, with the profit that went with it."""
    if sit.book:
        moves = [_move(b, lang, i == 0) for i, b in enumerate(sit.book)]
        text = pick(lang, f"过去{months}个月，", f"Over the last {months} months, ") + pick(
            lang, "；".join(moves), join(moves, lang)
        )
        if sit.steady:
            text += pick(
                lang,
                f"；{join([LINES[b.line][0] for b in sit.steady], lang)}基本持平（变化不足5%）",
                f"; {join([LINES[b.line][1] for b in sit.steady], lang)} held steady (within 5%)",
            )
        return text + _end(lang)
    if sit.steady:
        parts = [
            pick(lang, f"{LINES[b.line][0]}{_signed_pct(b.change)}", f"{LINES[b.line][1]} {_signed_pct(b.change)}")
            for b in sit.steady
        ]
        return pick(
            lang,
            f"过去{months}个月余额基本持平：{join(parts, lang)}。",
            f"Over the last {months} months the book held steady: {join(parts, lang)}.",
        )
    return None


def _signed_pct(x: float) -> str:
    return ("+" if x >= 0 else "") + pct(x)


def customers_sentence(sit: Situation, lang: str = "zh", segment_sure: bool = False) -> str | None:
    """The customers: attrition, the profit the leavers took, net growth, the segment at risk."""
    parts: list[str] = []
    if sit.churn_rate is not None:
        of = (
            pick(
                lang, f"（{num(sit.cohort)}名中的{num(sit.churned)}名）", f" ({num(sit.churned)} of {num(sit.cohort)})"
            )
            if sit.cohort is not None and sit.churned is not None
            else ""
        )
        parts.append(
            pick(
                lang,
                f"一年前的客户中{pct(sit.churn_rate)}已销户离开{of}",
                f"{pct(sit.churn_rate)} of last year's customers have left{of}",
            )
        )
    if sit.leavers and sit.leavers_profit is not None:
        parts.append(
            pick(
                lang,
                f"近12个月销户的{num(sit.leavers)}名客户带走了每年{money(sit.leavers_profit, lang)}的利润",
                f"the {num(sit.leavers)} who closed in the last 12 months took"
                f" {money(sit.leavers_profit, lang)} of yearly profit with them",
            )
        )
    if sit.net_customer_growth is not None:
        g = sit.net_customer_growth
        parts.append(
            pick(
                lang,
                f"扣除新客户后客户数净{'增加' if g >= 0 else '减少'}{pct(abs(g))}",
                f"net of new customers the base {'grew' if g >= 0 else 'shrank'} {pct(abs(g))}",
            )
        )
    s = sit.segment_risk
    if s is not None:
        seg = term(s.segment, lang)
        o = s.odds_ratio
        rng = (
            pick(lang, f"95%区间{num(o.low, 2)}至{num(o.high, 2)}", f"95% interval {num(o.low, 2)} to {num(o.high, 2)}")
            if o.known
            else ""
        )
        may_zh, may_en = ("", "") if segment_sure else ("可能", "may ")
        parts.append(
            pick(
                lang,
                f"{seg}只占客户的{pct(s.customer_share)}，却贡献{pct(s.profit_share)}的利润，"
                f"其流失几率{may_zh}是大众客户的{times(o.estimate, lang)}" + (f"（{rng}）" if rng else ""),
                f"{in_sentence(seg)} customers — {pct(s.customer_share)} of customers, {pct(s.profit_share)} of profit"
                f" — {may_en}leave at {times(o.estimate, lang)} the odds of mass customers"
                + (f" ({rng})" if rng else ""),
            )
        )
    if not parts:
        return None
    text = pick(lang, "；".join(parts), "; ".join(parts))
    return text[0].upper() + text[1:] + _end(lang) if lang == "en" else text + _end(lang)


def profit_sentence(sit: Situation, lang: str = "zh", months: int = 12) -> str | None:
    """The profit: its level and growth, its concentration, the money-losing customers."""
    parts: list[str] = []
    if sit.revenue_12m is not None:
        g = sit.revenue_growth
        grow = (
            pick(
                lang,
                f"，比前{months}个月{'增长' if g >= 0 else '下降'}{pct(abs(g))}",
                f", {pct(abs(g))} {'above' if g >= 0 else 'below'} the {months} months before",
            )
            if g is not None
            else ""
        )
        parts.append(
            pick(
                lang,
                f"近{months}个月利润{money(sit.revenue_12m, lang)}{grow}",
                f"Profit over the last {months} months was {money(sit.revenue_12m, lang)}{grow}",
            )
        )
    if sit.top20_share is not None:
        parts.append(
            pick(
                lang,
                f"其中利润前20%的客户贡献了{pct(sit.top20_share)}",
                f"the top 20% of customers made {pct(sit.top20_share)} of it",
            )
        )
    if sit.unprofitable_share is not None and sit.unprofitable_share > 0:
        loss = (
            pick(
                lang,
                f"（合计亏损{money(abs(sit.unprofitable_loss), lang)}）",
                f" ({money(abs(sit.unprofitable_loss), lang)} in all)",
            )
            if sit.unprofitable_loss is not None
            else ""
        )
        parts.append(
            pick(
                lang,
                f"{pct(sit.unprofitable_share)}的客户让网点亏钱{loss}",
                f"{pct(sit.unprofitable_share)} of customers lost the branch money{loss}",
            )
        )
    if not parts:
        return None
    text = pick(lang, "，".join(parts), "; ".join(parts))
    return text[0].upper() + text[1:] + _end(lang) if lang == "en" else text + _end(lang)


def situation(sit: Situation, lang: str = "zh", months: int = 12, segment_sure: bool = False) -> list[str]:
    """The situation in (up to) three sentences: the book, the customers, the profit.
    `segment_sure`: the segment's higher attrition is clear (else worded "may")."""
    out = [
        book_sentence(sit, lang, months),
        customers_sentence(sit, lang, segment_sure),
        profit_sentence(sit, lang, months),
    ]
    return [s for s in out if s]


# ---------------------------------------------------------------------------
# 2 the decisions


def _stop_line(d: Decision, names: list[str], lang: str) -> str:
    n = len(d.rows)
    listed = pick(lang, "、".join(names), "; ".join(names))
    return pick(
        lang,
        f"停办：{n}项结论为“停办”的活动不再举办（{listed}）",
        f"Stop: {plural(n, 'campaign')} with a stop verdict {'are' if n != 1 else 'is'} not run again ({listed})",
    )


def decision_action(d: Decision, lang: str = "zh", campaign_names: Mapping[str, str] | None = None) -> str:
    """What the decision does, in one line."""
    if d.kind == "campaign_stop":
        names = []
        for info in d.details:
            cid = info.get("campaign_id")
            own = campaign_name(info.get("name"), info.get("kind"), info.get("start_date"), lang)
            names.append((campaign_names or {}).get(cid) or (own if info.get("name") else str(cid)))
        return _stop_line(d, names, lang)
    return action_line(d.rows[0], d.details[0] if d.details else None, lang)


def _verdict(d: Decision, lang: str) -> str:
    """Whether a decision gains within the year, as far as its interval says."""
    r = d.after_cost
    if r is None or not r.known:
        return ""
    if d.kind == "campaign_stop":
        if r.low > 0:  # type: ignore[operator]
            return pick(lang, "省下的多于放弃的", "saves more than it gives up")
        if r.high < 0:  # type: ignore[operator]
            return pick(lang, "放弃的多于省下的", "gives up more than it saves")
        return pick(lang, "省下的可能多于也可能少于放弃的", "may save more or less than it gives up")
    if r.low > 0:  # type: ignore[operator]
        return pick(lang, "一年内回本", "pays back within a year")
    if r.high < 0:  # type: ignore[operator]
        return pick(lang, "一年内收不回成本", "does not pay back within a year")
    return pick(lang, "一年内可能回本，也可能不回本", "may or may not pay back within a year")


def decision_rows(dec: Decisions, lang: str = "zh", campaign_names: Mapping[str, str] | None = None) -> list[dict]:
    """The decisions as the first page's table shows them: action, owner,
    when, cost next quarter, yearly net contribution (interval), after cost
    (interval) with whether it pays back."""
    out = []
    given_up = pick(lang, "：放弃的效果", ": the effect given up")
    for d in dec.chosen:
        if d.kind == "campaign_stop":
            cost = pick(lang, f"无；省下{money(d.saved, lang)}", f"none; frees {money(d.saved, lang)}")
        else:
            cost = money(d.cost, lang)
        if d.contribution is None:
            profit = pick(lang, "不声明（按KPI衡量）", "none claimed (measured by its KPI)")
        elif d.kind == "campaign_stop":
            profit = signed_range(d.contribution, lang) + given_up
        else:
            profit = signed_range(d.contribution, lang)
        after = d.after_cost
        verdict = _verdict(d, lang)
        out.append(
            {
                "action_id": ";".join(d.action_ids),
                "kind": d.kind,
                "action": decision_action(d, lang, campaign_names),
                "owner": role_label(d.owner_role, lang) if d.owner_role else "—",
                "when": pick(lang, f"{d.start}至{d.end}", f"{d.start} to {d.end}") if d.start and d.end else "—",
                "cost": cost,
                "profit": profit,
                "after": signed_range(after, lang) if after is not None else "—",
                "verdict": verdict,
                # the same, split for the page: the estimate, then its interval beneath
                "profit_estimate": profit
                if d.contribution is None
                else signed_money(d.contribution.estimate, lang) + (given_up if d.kind == "campaign_stop" else ""),
                "profit_range": range_text(d.contribution, lang),
                "after_estimate": signed_money(after.estimate, lang) if after is not None else "—",
                "after_range": range_text(after, lang),
            }
        )
    return out


def decisions_notes(dec: Decisions, lang: str = "zh") -> list[str]:
    """Under the decisions: the plan in full (budget, contribution), what the
    list leaves out, and what the columns mean."""
    out = []
    if dec.plan_cost is not None:
        limit = (
            pick(
                lang,
                f"，上限为网点年利润的{pct(dec.budget_share, 0)}（{money(dec.budget_limit, lang)}）",
                f", within a limit of {pct(dec.budget_share, 0)} of the branch's yearly profit"
                f" ({money(dec.budget_limit, lang)})",
            )
            if dec.budget_limit is not None and dec.budget_share is not None
            else ""
        )
        c = dec.plan_contribution
        earn = (
            pick(
                lang,
                f"，预计年净贡献{money(c.estimate, lang)}"
                + (f"（95%区间{money_range(c.low, c.high, lang)}）" if c.known else ""),
                f"; expected yearly net contribution {money(c.estimate, lang)}"
                + (f" (95% interval {money_range(c.low, c.high, lang)})" if c.known else ""),
            )
            if c is not None
            else pick(lang, "；本计划不声明年净贡献", "; the plan claims no yearly net contribution")
        )
        out.append(
            pick(
                lang,
                f"整个计划：预算{money(dec.plan_cost, lang)}{limit}{earn}。",
                f"The plan in full: a budget of {money(dec.plan_cost, lang)}{limit}{earn}.",
            )
        )
    if dec.others:
        what = join([_other(r, lang) for r in dec.others], lang)
        out.append(
            pick(
                lang,
                f"此外{len(dec.others)}项行动（{what}）共需{money(dec.others_cost, lang)}，不声明利润："
                "流失模型说明谁更容易流失，不能说明一次走访能减少多少流失；这些行动按各自的KPI衡量（见第7节）。",
                f"{len(dec.others)} further actions ({what}) cost {money(dec.others_cost, lang)} and claim no profit:"
                " the churn model says who leaves more often, not how much a visit changes that;"
                " each is measured by its KPI (see section 7).",
            )
        )
    m = dec.persistence_months
    faded = "".join(
        pick(
            lang,
            f"；{_named(d, lang)}的效应{lasts_clause(d['persistence'], lang)}",
            f"; that of {_named(d, lang)} {lasts_clause(d['persistence'], lang)}",
        )
        for d in dec.faded
    )
    out.append(
        pick(
            lang,
            "年净贡献 = 余额效应 × 客户数 × 本网点资金年化净收益率"
            + (f"（假设效应持续{num(m)}个月{faded}）" if m else "")
            + "，不是余额本身；扣除成本后 = 年净贡献 − 下季度成本（停办则加上省下的支出）。"
            "区间跨过零时，结果可能为负。",
            "Yearly net contribution = balance effect × customers × the branch's funds margin"
            + (f" (the effect assumed to last {num(m)} months{faded})" if m else "")
            + ", never the balances themselves; after cost = contribution − next quarter's cost"
            " (plus the spend a stop frees). Where an interval spans zero, the result may be negative.",
        )
    )
    return out


def _named(d: Mapping, lang: str) -> str:
    """A plan row's campaign as a reader names it."""
    return campaign_name(d.get("name"), d.get("kind"), d.get("start_date"), lang)


OTHER = {
    "rm_coverage": ("配备客户经理", "manager coverage"),
    "retention_visit": ("挽留走访", "retention visits"),
    "complaint_closure": ("投诉闭环", "complaint call-backs"),
    "digital_onboarding": ("手机银行开通", "mobile-banking onboarding"),
    "pricing_review": ("定价复核", "a pricing review"),
}


def _other(r: Mapping, lang: str) -> str:
    zh, en = OTHER.get(str(r.get("action")), (str(r.get("action")), str(r.get("action"))))
    return pick(lang, zh, en)


# ---------------------------------------------------------------------------
# 3 the scorecard against last quarter


def _half(metric: str, band: tuple[float, float], lang: str) -> str:
    """Half the band's width, in the change's unit (the unit said once, by the change)."""
    h = (band[1] - band[0]) / 2
    if metric in SHARE_METRICS:
        return num(h * 100, 1)
    return num(h, 1 if metric == "quality" else 2)


def scorecard_rows(rows: list[ScoreRow], lang: str = "zh") -> list[dict]:
    """The scorecard's rows: pillar, figure, now, last quarter, the change
    with its ± band, whether it is beyond noise, the target."""
    out = []
    for r in rows:
        census = r.band is not None and r.band[0] == r.band[1]
        change = scorecard_value(r.metric, r.change, lang, change=True)
        if r.change is not None and r.band is not None and not census:
            change += pick(lang, f"（±{_half(r.metric, r.band, lang)}）", f" (±{_half(r.metric, r.band, lang)})")
        if r.change is None:
            noise = "—"
        elif census:
            noise = (
                pick(lang, "全量数据：变化属实", "whole book: a real change")
                if r.change != 0
                else pick(lang, "不变", "unchanged")
            )
        elif r.beyond_noise is None:
            noise = pick(lang, "波动未知", "noise unknown")
        elif r.beyond_noise:
            noise = (
                pick(lang, "超出波动：改善", "beyond noise: improved")
                if r.better
                else pick(lang, "超出波动：下滑", "beyond noise: slipped")
            )
        else:
            noise = pick(lang, "在波动范围内", "within noise")
        if r.target is None:
            target = "—"
        else:
            met = pick(lang, "已达到", "met") if r.on_target else pick(lang, "未达到", "not met")
            tv = scorecard_value(r.metric, r.target, lang)
            target = pick(lang, f"{tv}（{met}）", f"{tv} ({met})")
        out.append(
            {
                "metric": r.metric,
                "pillar": pillar_name(r.pillar, lang),
                "label": scorecard_metric_label(r.metric, lang),
                "now": scorecard_value(r.metric, r.current, lang),
                "previous": scorecard_value(r.metric, r.previous, lang),
                "change": change,
                "noise": noise,
                "beyond_noise": r.beyond_noise,
                "better": r.better,
                "target": target,
            }
        )
    return out


def scorecard_notes(
    previous_as_of: str | None, months: int, has_band: bool, has_targets: bool, lang: str = "zh"
) -> list[str]:
    """Under the scorecard: which quarter it is compared with, what ± means, targets."""
    out = []
    if previous_as_of and has_band:
        out.append(
            pick(
                lang,
                f"上季度：截至{previous_as_of}（同样的指标，分析月份提前{months}个月重新计算）。"
                "±为变化的95%波动范围：两个季度按独立样本计，实际共用大部分客户和问卷，因此偏保守；"
                "变化在范围内的，可能只是抽样波动。全量数据的指标（户均产品数、往来年限、利润增长、客户净增长）没有抽样误差。",
                f"Last quarter: as of {previous_as_of} (the same figures with the analysis month moved back"
                f" {months} months). ± is the change's 95% noise band, treating the two quarters as independent"
                " samples — conservative, since they share most customers and responses; a change within it may"
                " be sampling noise. Figures of the whole book (products, tenure, profit growth, net customer"
                " growth) have no sampling noise.",
            )
        )
    elif not has_band:
        out.append(pick(lang, "本次运行没有上季度的对比。", "This run has no comparison with last quarter."))
    if not has_targets:
        out.append(pick(lang, "未设定目标值。", "No targets set."))
    out.append(pick(lang, "", "pp = percentage points."))
    return [s for s in out if s]


def scorecard_title(rows: Sequence[Mapping], lang: str = "zh") -> str | None:
    """The scorecard's point in one line (the deck's scorecard slide title):
    how many QVSRS figures moved beyond noise since last quarter, up and down
    (`rows`: `scorecard_rows`); None when no row has a change to compare."""
    compared = [r for r in rows if r.get("beyond_noise") is not None]
    if not compared:
        return None
    up = sum(1 for r in compared if r["beyond_noise"] and r.get("better"))
    down = sum(1 for r in compared if r["beyond_noise"] and not r.get("better"))
    n = len(rows)
    if not up and not down:
        return pick(
            lang,
            f"QVSRS记分卡：与上季度相比，{num(n)}项指标的变化都在波动范围内",
            f"QVSRS scorecard: all {num(n)} figures are within noise of last quarter",
        )
    return pick(
        lang,
        f"QVSRS记分卡：与上季度相比，{num(n)}项指标中{num(up)}项超出波动改善、{num(down)}项超出波动下滑",
        f"QVSRS scorecard against last quarter: of {num(n)} figures, {num(up)} improved beyond noise"
        f" and {num(down)} slipped",
    )


def scorecard_note(row: Mapping, with_target: bool, lang: str = "zh") -> str:
    """One scorecard row as the presenter says it: now, last quarter, the change and its noise, the target."""
    text = pick(
        lang,
        f"{row['pillar']}·{row['label']}：本季度{row['now']}，上季度{row['previous']}，"
        f"变化{row['change']}，{row['noise']}",
        f"{row['pillar']}, {row['label']}: now {row['now']}, last quarter {row['previous']},"
        f" change {row['change']}, {row['noise']}",
    )
    if with_target and row.get("target") not in (None, "—"):
        text += pick(lang, f"；目标{row['target']}", f"; target {row['target']}")
    return text + pick(lang, "。", ".")
