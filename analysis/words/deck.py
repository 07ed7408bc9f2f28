"""The deck's own words (zh / en): slide titles that state the point with its
number, the agenda, the short forms of the plan's actions, next steps, and
the appendix's methods and assumptions in a line each.

    say("agenda", "en")                                   # a fixed label
    summary_title(5, 196_286, 153_850, 64_072, 243_627, "zh")
    finding_title("一年流失11%的客户", 484_162, "clear", "zh")
    short_action(row, details, "en")                      # "Grow Green channel, May 2025 to 465 customers"

The numbers and the decisions are made elsewhere (the questions, the plan,
the recommendation rules); this module only words them. Profit is always a
yearly net contribution (年净贡献) with its interval; nothing here prints a
result key, a table or file name, or a path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from analysis.assumptions import Assumptions
from analysis.words.format import amount, is_number, join, money, money_unit, num, pct, yuan
from analysis.words.glossary import term
from analysis.words.lang import check_lang, pick
from analysis.words.names import MONTHS, campaign_name

#: key → (zh, en)
STRINGS: dict[str, tuple[str, str]] = {
    "agenda": ("议程", "Agenda"),
    "agenda_summary": (
        "摘要：下季度做什么、花多少、挣多少",
        "Summary: what to do next quarter, what it costs, what it earns",
    ),
    "agenda_today": ("网点现状：QVSRS记分卡", "The branch today: the QVSRS scorecard"),
    "agenda_findings": ("{n}项最重要的发现，每项一页", "The {n} findings that matter most, one a slide"),
    "agenda_plan": ("下季度行动计划与预算", "Next quarter's action plan and budget"),
    "agenda_next": ("下一步", "Next steps"),
    "agenda_appendix": ("附录：方法、分析假设与诊断", "Appendix: methods, assumptions and diagnostics"),
    "slides": ("第{a}页", "slide {a}"),
    "slides_range": ("第{a}–{b}页", "slides {a}–{b}"),
    "situation": ("现状", "The situation"),
    "decisions": ("下季度的决定", "Decisions for next quarter"),
    "no_plan": ("本次运行没有下季度计划。", "This run has no plan for next quarter."),
    "recommendation": ("建议", "Recommendation"),
    "whole_plan": ("全部计划", "Whole plan"),
    "action": ("行动", "Action"),
    "when": ("时间", "When"),
    "cost": ("成本（{unit}）", "Cost ({unit})"),
    "profit": ("年净贡献（{unit}，95%区间）", "Net contribution a year ({unit}, 95% interval)"),
    "holdout": ("对照组", "Holdout"),
    "none": ("无", "none"),
    "not_claimed": ("不声明", "none claimed"),
    "net": ("年净贡献", "yearly net contribution"),
    "appendix_methods": ("附录A　方法：每个数字从哪里来", "Appendix A. Methods: where each number comes from"),
    "appendix_assumptions": ("附录B　分析假设与数据", "Appendix B. Assumptions and data"),
    "appendix_data": ("数据", "Data"),
    "appendix_assumed": ("分析假设", "Assumptions"),
    "no_findings": ("本期数据未触发任何建议规则。", "No recommendation rule fired on this period's figures."),
    "no_scorecard": ("本次运行没有QVSRS记分卡。", "This run has no QVSRS scorecard."),
    "figure_source": ("图：{branch}，数据截至{as_of}", "Chart: {branch}, data as of {as_of}"),
    "notes_title": ("本页要点", "On this slide"),
}


def say(key: str, lang: str = "zh", **fmt: object) -> str:
    """The deck string `key` in `lang`, formatted with `fmt`."""
    text = pick(lang, *STRINGS[key])
    return text.format(**fmt) if fmt else text


def slides_label(first: int, last: int, lang: str = "zh") -> str:
    """ "第5页" / "第5–9页" ("slide 5" / "slides 5–9")."""
    return say("slides", lang, a=first) if first == last else say("slides_range", lang, a=first, b=last)


# ---------------------------------------------------------------------------
# numbers in the deck's short forms


def money_range(low: object, high: object, lang: str = "zh") -> str:
    """An interval of money in one unit where both ends share it: "2.09至16.0万元" /
    "CNY 20.9 to 160 thousand"; "" when either end is missing."""
    if not (is_number(low) and is_number(high)):
        return ""
    a, b = money(low, lang), money(high, lang)
    if lang == "zh":
        unit = "亿元" if b.endswith("亿元") else "万元"
        if a.endswith(unit):
            return f"{a[: -len(unit)]}至{b}"
        return f"{a}至{b}"
    a_unit, b_unit = a.rsplit(" ", 1)[-1], b.rsplit(" ", 1)[-1]
    if a_unit == b_unit:
        return f"{a[: -len(a_unit) - 1]} to {b[len('CNY ') :]}"
    return f"{a} to {b}"


def column(key: str, lang: str = "zh") -> str:
    """A money column's head with its unit ("成本（万元）" / "Cost (thousand CNY)")."""
    return say(key, lang, unit=money_unit(lang)[1])


def profit_cell(profit: object, low: object, high: object, lang: str = "zh") -> str:
    """A yearly net contribution and its 95 % interval on two lines, in the
    column's unit ("9.04\n2.09至16.0"), or "不声明" / "none claimed"."""
    if not is_number(profit):
        return say("not_claimed", lang)
    if not (is_number(low) and is_number(high)):
        return amount(profit, lang)
    return (
        amount(profit, lang)
        + "\n"
        + pick(lang, f"{amount(low, lang)}至{amount(high, lang)}", f"{amount(low, lang)} to {amount(high, lang)}")
    )


def profit_words(profit: object, low: object, high: object, lang: str = "zh") -> str:
    """A yearly net contribution with its interval in running text: "9.04万元（95%区间2.09至16.0万元）"."""
    if not is_number(profit):
        return say("not_claimed", lang)
    rng = money_range(low, high, lang)
    if not rng:
        return money(profit, lang)
    return pick(lang, f"{money(profit, lang)}（95%区间{rng}）", f"{money(profit, lang)} (95% interval {rng})")


def _day(d: str, lang: str) -> str:
    x = date.fromisoformat(str(d)[:10])
    return pick(lang, f"{x.month}月{x.day}日", f"{x.day} {MONTHS[x.month - 1][:3]}")


def date_span(start: str | None, end: str | None, lang: str = "zh") -> str:
    """ "10月1日–12月31日" / "1 Oct – 31 Dec" ("—" without dates)."""
    if not start or not end:
        return "—"
    return pick(lang, f"{_day(start, lang)}–{_day(end, lang)}", f"{_day(start, lang)} – {_day(end, lang)}")


def holdout_text(share: object, lang: str = "zh") -> str:
    return pct(share, 0) if is_number(share) and share > 0 else say("none", lang)


# ---------------------------------------------------------------------------
# the plan's actions, short


def campaign_label(d: Mapping, lang: str = "zh") -> str:
    """A campaign of the plan's details by its name (zh) or kind and month (en)."""
    return campaign_name(d.get("name"), d.get("kind"), d.get("start_date"), lang)


def short_action(row: Mapping, details: Mapping | None, lang: str = "zh") -> str:
    """One action of the plan in a few words, for a table cell (the full
    sentence is `words.plan.action_line`, in the speaker notes)."""
    check_lang(lang)
    d = details or {}
    a, n = row.get("action"), row.get("customers") or 0
    if a == "campaign_grow":
        return pick(
            lang,
            f"扩大{campaign_label(d, lang)}至{num(n)}位客户",
            f"Grow {campaign_label(d, lang)} to {num(n)} customers",
        )
    if a == "campaign_repeat":
        return pick(
            lang,
            f"重复{campaign_label(d, lang)}，{num(n)}位客户",
            f"Repeat {campaign_label(d, lang)}, {num(n)} customers",
        )
    if a == "campaign_test":
        return pick(
            lang,
            f"随机测试{campaign_label(d, lang)}，{num(n)}位客户",
            f"Test {campaign_label(d, lang)}, {num(n)} customers",
        )
    if a == "campaign_stop":
        return pick(lang, f"停办{campaign_label(d, lang)}", f"Stop {campaign_label(d, lang)}")
    if a == "rm_coverage":
        return pick(
            lang,
            f"为{num(n)}位利润前20%客户配备客户经理",
            f"A relationship manager for {num(n)} top-20% customers",
        )
    if a == "retention_visit":
        return pick(lang, f"走访{num(n)}位有流失风险的利润前20%客户", f"Visit {num(n)} top-20% customers at risk")
    if a == "complaint_closure":
        return pick(lang, f"回访{num(n)}位投诉未解决的客户", f"Call back {num(n)} customers with open complaints")
    if a == "digital_onboarding":
        return pick(lang, f"为{num(n)}位客户开通手机银行", f"Mobile banking for {num(n)} customers")
    if a == "pricing_review":
        return pick(lang, "复核收费与存贷款定价", "Review fees and rates")
    return pick(lang, "其他行动", "Other action")


def stops_action(names: Sequence[str], lang: str = "zh") -> str:
    """The plan's stopped campaigns in one row: "停办3项活动" / "Stop 3 campaigns"."""
    if len(names) == 1:
        return pick(lang, f"停办{names[0]}", f"Stop {names[0]}")
    return pick(lang, f"停办{len(names)}项活动", f"Stop {len(names)} campaigns")


def stops_note(names: Sequence[str], frees: object, lang: str = "zh") -> str:
    """The stopped campaigns by name and what their last round cost (the spending freed)."""
    return pick(
        lang,
        f"停办{join(list(names), lang)}：上次共花费{money(frees, lang)}，回报不抵成本。",
        f"Stopped: {join(list(names), lang)}; their last rounds cost {money(frees, lang)} and did not pay back.",
    )


def forgone_note(forgone: str, lang: str = "zh") -> str:
    """What stopping gives up, after `stops_note`: the effect those campaigns had, a year."""
    return pick(lang, f"停办放弃的年净贡献为{forgone}。", f" Stopping gives up a yearly net contribution of {forgone}.")


def more_actions(k: int, lang: str = "zh") -> str:
    return pick(lang, f"另有{k}项行动", f"{k} more actions")


def decision_note(line: str, cost: object, profit: str, lang: str = "zh") -> str:
    """A decision in the speaker notes: its full sentence, cost and yearly net contribution (`profit_words`)."""
    return pick(
        lang,
        f"{line}：成本{money(cost, lang)}，年净贡献{profit}",
        f"{line}: cost {money(cost, lang)}, yearly net contribution {profit}",
    )


def action_note(line: str, owner: str, span: str, cost: object, profit: str, holdout: str, lang: str = "zh") -> str:
    """An action of the plan in the speaker notes: all its columns in one sentence."""
    return pick(
        lang,
        f"{line}：{owner}，{span}，成本{money(cost, lang)}，年净贡献{profit}，对照组{holdout}",
        f"{line}: {owner}, {span}, cost {money(cost, lang)}, yearly net contribution {profit}, holdout {holdout}",
    )


def kpi_note(action: str, kpi: str, baseline: str, target: str, lang: str = "zh") -> str:
    return pick(lang, f"{action}：{kpi} {baseline} → {target}", f"{action}: {kpi} {baseline} → {target}")


# ---------------------------------------------------------------------------
# titles that state the point


def summary_title(
    n: int, cost: object, profit: object, low: object, high: object, lang: str = "zh", claimed: bool = True
) -> str:
    """The summary's title: what the whole plan costs and should earn, and how many decisions lead it."""
    rng = money_range(low, high, lang)
    if claimed and is_number(profit):
        return pick(
            lang,
            f"下季度计划投入{money(cost, lang)}，预计年净贡献{money(profit, lang)}"
            + (f"（95%区间{rng}）" if rng else "")
            + f"；首要的{num(n)}项决定",
            f"Next quarter's plan: {money(cost, lang)}, expected to earn {money(profit, lang)} a year"
            + (f" (95% interval {rng})" if rng else "")
            + f"; its {num(n)} main decisions",
        )
    return pick(
        lang,
        f"下季度计划投入{money(cost, lang)}，不声明年净贡献；首要的{num(n)}项决定",
        f"Next quarter's plan: {money(cost, lang)}, claiming no yearly net contribution; its {num(n)} main decisions",
    )


def stop_cell(forgone: object, frees: object, lang: str = "zh") -> str:
    """The stopped campaigns' cell, in the column's unit: the yearly effect they give up and the spend they free
    ("−14.9\n放弃的效果；省下67.8" / "−149\ngiven up; frees 678")."""
    return pick(
        lang,
        f"{amount(forgone, lang)}\n放弃的效果；省下{amount(frees, lang)}",
        f"{amount(forgone, lang)}\ngiven up; frees {amount(frees, lang)}",
    )


def summary_title_without_plan(n: int, first: str | None, lang: str = "zh") -> str:
    """The summary's title when the run has no plan: how many findings, and the first."""
    if not n or not first:
        return pick(lang, "本期未发现需要行动的问题", "Nothing in this period's figures calls for action")
    return pick(lang, f"{num(n)}项发现，首要的一项：{first}", f"{num(n)} findings; the first: {first}")


def today_title(active: object, churn_rate: object, nps: object, lang: str = "zh") -> str:
    """The scorecard slide's title: the branch in three numbers."""
    parts = []
    if is_number(active):
        parts.append(pick(lang, f"{num(active)}位活跃客户", f"{num(active)} active customers"))
    if is_number(churn_rate):
        parts.append(pick(lang, f"一年流失{pct(churn_rate)}", f"{pct(churn_rate)} left in a year"))
    if is_number(nps):
        parts.append(pick(lang, f"{term('NPS', lang)}{num(nps)}", f"{term('NPS', lang).lower()} {num(nps)}"))
    if not parts:
        return pick(lang, "网点现状", "The branch today")
    return pick(lang, "网点现状：" + "，".join(parts), "The branch today: " + ", ".join(parts))


#: a finding's first sentence stands as its title up to this many characters: two lines at 24 pt
TITLE_SENTENCE = {"zh": 60, "en": 130}


def finding_title(
    headline: str,
    stake: object,
    confidence: str,
    lang: str = "zh",
    basis: str | None = None,
    sentence: str | None = None,
) -> str:
    """A finding's action title: its headline and the profit at stake a year
    ("may": worded so). Without a stake: the headline when it has its number,
    else the finding's first sentence (`sentence`) when it is short enough,
    else the headline with the figure it rests on (`basis`)."""
    if is_number(stake):
        if confidence == "may":
            return pick(
                lang,
                f"{headline}：可能涉及利润每年约{money(stake, lang)}",
                f"{headline}: possibly {money(stake, lang)} a year at stake",
            )
        return pick(
            lang,
            f"{headline}：每年涉及利润约{money(stake, lang)}",
            f"{headline}: about {money(stake, lang)} a year at stake",
        )
    if any(c.isdigit() for c in headline):
        return headline
    if sentence and any(c.isdigit() for c in sentence):
        text = sentence.strip().rstrip("。.")
        if len(text) <= TITLE_SENTENCE[check_lang(lang)]:
            return text
    if basis and basis not in headline:
        return pick(lang, f"{headline}（{basis}）", f"{headline} ({basis})")
    return headline


def plan_title(
    cost: object, limit: object, profit: object, n_earning: int, lang: str = "zh", claimed: bool = True
) -> str:
    """The plan slide's title: the budget against its limit, and where the return comes from."""
    share = cost / limit if is_number(cost) and is_number(limit) and limit > 0 else None
    head = pick(
        lang,
        f"预算{money(cost, lang)}" + (f"，为上限的{pct(share, 0)}" if share is not None else ""),
        f"A budget of {money(cost, lang)}" + (f", {pct(share, 0)} of the limit" if share is not None else ""),
    )
    if claimed and is_number(profit) and n_earning:
        return head + pick(
            lang,
            f"；预计年净贡献{money(profit, lang)}，全部来自{num(n_earning)}项活动",
            f"; the {money(profit, lang)} expected a year comes from {num(n_earning)} "
            + ("campaign" if n_earning == 1 else "campaigns"),
        )
    return head + pick(
        lang, "；各项行动按KPI衡量，不声明利润", "; each action is measured by its KPI, none claims profit"
    )


def budget_line(cost: object, limit: object, profit: object, low: object, high: object, lang: str = "zh") -> str:
    """Under the plan's table: the total cost, the limit, the yearly net contribution with its interval."""
    rng = money_range(low, high, lang)
    line = pick(
        lang,
        f"合计成本{money(cost, lang)}，预算上限{money(limit, lang)}",
        f"Total cost {money(cost, lang)}, within a limit of {money(limit, lang)}",
    )
    if is_number(profit) and profit:
        line += pick(
            lang,
            f"；预计年净贡献{money(profit, lang)}" + (f"（95%区间{rng}）" if rng else ""),
            f"; expected yearly net contribution {money(profit, lang)}" + (f" (95% interval {rng})" if rng else ""),
        )
    return line + pick(lang, "。", ".")


# ---------------------------------------------------------------------------
# next steps


def next_title(start: str | None, owners: int, lang: str = "zh") -> str:
    """The next-steps slide's title: approve before the quarter starts; who starts what."""
    if not start:
        return pick(
            lang,
            "下一步：按优先级落实各项建议，下季度复盘",
            "Next steps: act on the findings by priority, review next quarter",
        )
    return pick(
        lang,
        f"下一步：{_day(start, lang)}前批准计划，{num(owners)}位责任人分头启动",
        f"Next steps: approve the plan before {_day(start, lang)}; {num(owners)} owners start their actions",
    )


def step_approve(cost: object, start: str, lang: str = "zh") -> str:
    return pick(
        lang,
        f"{_day(start, lang)}前：批准计划及{money(cost, lang)}预算",
        f"Before {_day(start, lang)}: approve the plan and its budget of {money(cost, lang)}",
    )


def step_owner(owner: str, actions: int, cost: object, start: str, lang: str = "zh") -> str:
    return pick(
        lang,
        f"{owner}：{num(actions)}项行动，成本{money(cost, lang)}，{_day(start, lang)}起",
        f"{owner}: {num(actions)} "
        + ("action" if actions == 1 else "actions")
        + f", {money(cost, lang)}, from {_day(start, lang)}",
    )


def step_holdout(customers: object, lang: str = "zh") -> str:
    return pick(
        lang,
        f"{term('holdout', lang).split('（')[0]}：{num(customers)}位随机留出的客户本季度不联系，季度末与受邀客户比较",
        f"Holdout: {num(customers)} customers left out at random are not contacted this quarter "
        "and are compared with the invited at its end",
    )


def step_review(end: str, lang: str = "zh") -> str:
    return pick(
        lang,
        f"{_day(end, lang)}后：按每项行动的KPI目标复盘，并用本季度数据重新分析",
        f"After {_day(end, lang)}: check each action against its KPI target "
        "and rerun the analysis on the quarter's data",
    )


def step_finding(headline: str, lang: str = "zh") -> str:
    return pick(lang, f"落实：{headline}", f"Act on: {headline}")


# ---------------------------------------------------------------------------
# the appendix


def method_lines(window_months: int, lang: str = "zh") -> list[str]:
    """Each method in one line (the full notes go to the speaker notes)."""
    m = window_months
    return [
        pick(
            lang,
            f"时间窗口：近{m}个月，截至数据的最后一个月（或指定的分析月份）",
            f"Window: the last {m} months, up to the last month of the data (or the month asked for)",
        ),
        pick(
            lang,
            "顾客价值：按近期利润（利差+手续费−服务成本）排序客户",
            "Customer value: customers ranked by profit (margin + fees − cost to serve)",
        ),
        pick(
            lang,
            "客户流失：逻辑回归，优势比及95%区间；在随机留出的30%客户上检验",
            "Attrition: a logistic regression, odds ratios with 95% intervals, checked on a random 30% held out",
        ),
        pick(
            lang,
            "满意度：感知−期望（7分制）、净推荐值；驱动因素为线性回归",
            "Satisfaction: perceived − expected (on 7) and the net promoter score; drivers by linear regression",
        ),
        pick(
            lang,
            "竞争：公开存贷款数据算份额；居民调查评分；主办银行选择用条件logit",
            "Competitors: shares from public deposit and loan figures, residents' ratings, "
            "a conditional logit of the primary bank",
        ),
        pick(
            lang,
            "活动：随机对照活动与对照组比较；定向活动用调整后的估计",
            "Campaigns: randomized ones against their holdout; targeted ones by an adjusted estimate",
        ),
        pick(
            lang,
            "利润影响 = 受影响客户 × 其年利润 × 效应；区间含零的结论写作“可能”",
            "Profit at stake = customers affected × their yearly profit × the effect; "
            "“may” where the interval includes none",
        ),
    ]


def assumption_lines(a: Assumptions, lang: str = "zh") -> list[str]:
    """The assumptions the numbers rest on, one line each; a changed one says its default."""
    d = Assumptions()

    def mark(name: str, shown: str, default: str) -> str:
        if getattr(a, name) == getattr(d, name):
            return shown
        return shown + pick(lang, f"（默认{default}）", f" (default {default})")

    return [
        mark(
            "window_months",
            pick(lang, f"分析窗口{a.window_months}个月", f"A {a.window_months}-month window"),
            str(d.window_months),
        ),
        mark(
            "unresolved_days",
            pick(
                lang,
                f"投诉{a.unresolved_days}天内未解决即为未解决",
                f"A complaint open after {a.unresolved_days} days is unresolved",
            ),
            str(d.unresolved_days),
        ),
        mark(
            "top_share",
            pick(
                lang,
                f"高价值客户：利润前{pct(a.top_share, 0)}",
                f"High-value customers: the top {pct(a.top_share, 0)} by profit",
            ),
            pct(d.top_share, 0),
        ),
        mark(
            "effect_persistence_months",
            pick(
                lang,
                f"活动的余额效应持续{a.effect_persistence_months}个月",
                f"A campaign's balance effect lasts {a.effect_persistence_months} months",
            ),
            str(d.effect_persistence_months),
        ),
        mark(
            "plan_budget_share",
            pick(
                lang,
                f"计划预算至多为网点年利润的{pct(a.plan_budget_share, 0)}",
                f"The plan's budget is at most {pct(a.plan_budget_share, 0)} of the branch's yearly profit",
            ),
            pct(d.plan_budget_share, 0),
        ),
        mark(
            "rm_contacts_per_quarter",
            pick(
                lang,
                f"每位客户经理每季度至多{num(a.rm_contacts_per_quarter)}次额外联系",
                f"At most {num(a.rm_contacts_per_quarter)} extra contacts per manager a quarter",
            ),
            num(d.rm_contacts_per_quarter),
        ),
        mark(
            "alpha",
            pick(
                lang,
                f"显著性水平{pct(a.alpha, 0)}（95%区间）",
                f"A {pct(a.alpha, 0)} significance level (95% intervals)",
            ),
            pct(d.alpha, 0),
        ),
    ]


def margin_line(estimate: object, low: object, high: object, lang: str = "zh") -> str:
    """The funds margin the plan turns balances into profit with."""
    rng = f"{pct(low, 2)}–{pct(high, 2)}" if is_number(low) and is_number(high) else ""
    return pick(
        lang,
        f"资金年化净收益率{pct(estimate, 2)}" + (f"（95%区间{rng}）" if rng else "") + "：每元存款与理财一年的净贡献",
        f"Funds margin {pct(estimate, 2)}"
        + (f" (95% interval {rng})" if rng else "")
        + ": the yearly net contribution per CNY of funds",
    )


def unit_costs_line(costs: Mapping, lang: str = "zh") -> str:
    return pick(
        lang,
        f"单位成本：客户经理联系每次{yuan(costs.get('rm'), lang)}，电话每次{yuan(costs.get('phone'), lang)}，"
        f"网点辅导每人{yuan(costs.get('outlet'), lang)}",
        f"Unit costs: {yuan(costs.get('rm'), lang)} a manager's contact, {yuan(costs.get('phone'), lang)} a call, "
        f"{yuan(costs.get('outlet'), lang)} an onboarding at the outlet",
    )


def data_line(as_of: str, customers: object, active: object, lang: str = "zh") -> str:
    return pick(
        lang,
        f"数据截至{as_of}：{num(customers)}位客户，其中{num(active)}位活跃",
        f"Data as of {as_of}: {num(customers)} customers, {num(active)} of them active",
    )


def tables_line(supplied: Sequence[str], missing: Sequence[str], lang: str = "zh") -> str:
    line = pick(lang, f"数据表：{'、'.join(supplied)}", f"Tables: {', '.join(supplied)}")
    if missing:
        line += pick(lang, f"；缺少：{'、'.join(missing)}", f"; not supplied: {', '.join(missing)}")
    return line


def fingerprint_line(fingerprint: str, lang: str = "zh") -> str:
    return pick(lang, f"数据指纹：{fingerprint}", f"Data fingerprint: {fingerprint}")


# ---------------------------------------------------------------------------
# diagnostics


def diagnostics_title(auc: object, lang: str = "zh") -> str:
    if is_number(auc):
        return pick(
            lang,
            f"附录C　诊断：流失模型在留出样本上的AUC为{num(auc, 2)}",
            f"Appendix C. Diagnostics: the attrition model scores an AUC of {num(auc, 2)} on held-out customers",
        )
    return pick(lang, "附录C　诊断：模型与数据的检验", "Appendix C. Diagnostics: checks of the models and the data")


def churn_diagnostic(cohort: object, churned: object, auc: object, lang: str = "zh") -> str:
    return pick(
        lang,
        f"流失模型：观察组{num(cohort)}位客户，{num(churned)}位流失；留出样本AUC {num(auc, 2)}（0.5为随机，1为完美）",
        f"Attrition model: a cohort of {num(cohort)} customers, {num(churned)} of whom left; "
        f"held-out AUC {num(auc, 2)} "
        "(0.5 is chance, 1 is perfect)",
    )


def survey_diagnostic(responses: object, lang: str = "zh") -> str:
    return pick(
        lang,
        f"满意度：{num(responses)}份问卷；问卷越少，净推荐值的抽样误差越大",
        f"Satisfaction: {num(responses)} survey responses; "
        "the fewer, the wider the net promoter score's sampling error",
    )


def campaigns_diagnostic(randomized: int, targeted: int, unsure: Sequence[str], lang: str = "zh") -> str:
    line = pick(
        lang,
        f"活动：{num(randomized)}项随机对照，{num(targeted)}项定向（无对照组，按调整后的估计）",
        f"Campaigns: {num(randomized)} randomized, {num(targeted)} targeted (no holdout, adjusted estimates)",
    )
    if unsure:
        line += pick(
            lang,
            f"；效果区间含零：{join(list(unsure), lang)}",
            f"; effect interval includes none: {join(list(unsure), lang)}",
        )
    return line


def consistency_diagnostic(problems: int, lang: str = "zh") -> str:
    if not problems:
        return pick(
            lang, "简报与结果的一致性检查：未发现问题", "Consistency of the briefing with the results: no problem found"
        )
    return pick(
        lang,
        f"简报与结果的一致性检查：发现{num(problems)}处问题，见运行说明",
        f"Consistency of the briefing with the results: {num(problems)} problems, listed in the run card",
    )


def figure_note(stem: str, lang: str = "zh") -> str:
    """What the diagnostic picture checks, by the kind of figure it is (its file's stem)."""
    if stem.startswith("campaigns_event_study"):
        return pick(
            lang,
            "图为事件研究：参加者与对照客户的余额差，按相对活动开始的月份。活动前各月的差应接近零（两组原本走势相同），活动后的差才是效果；未调整的对比同时画出，以示调整的作用。",
            "The chart is an event study: participants' balances minus the comparison's, by month relative to "
            "the start. Before the start the gap should be near zero (the groups moved alike); after it, the gap "
            "is the effect; the unadjusted comparison is drawn too, to show what the adjustment does.",
        )
    if stem.startswith("campaigns_overlap"):
        return pick(
            lang,
            "图为倾向得分重叠：参加者与对照客户的可比范围；范围之外的客户不参与估计。",
            "The chart shows the overlap of propensity scores: where participants and the comparison are alike; "
            "customers outside it are left out of the estimate.",
        )
    return pick(lang, "图为模型检验。", "The chart checks a model's premises.")
