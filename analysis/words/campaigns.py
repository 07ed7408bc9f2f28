"""The campaigns' sentences, for the notebook and the briefing alike.

    describe_campaigns(section, "zh")                 # the briefing: results.json's section
    describe_campaigns(section, "zh", result)         # the notebook: + complier effects, checks, ranking
    describe_verdicts(verdict_table, "en")            # which events to grow, keep, test or stop
    describe_response_rates(result, "zh")             # response per group, Wilson intervals
    verdict_advice("grow", "zh", name, figures)      # a recommendation's headline, finding and advice
    method_note("zh")                                 # the verdict rule, for the briefing's method notes

Numbers come from `analysis.words.format`, terms from the glossary, the
language from `pick`; the verdict is decided in `analysis.questions.verdicts`
and only worded here. A return is always profit (profit_12m, profit_roi);
business_roi is new business volume per CNY and is called volume, never a
return.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from analysis.questions.campaign_effects import MIN_ARM, TargetedResult
from analysis.questions.campaigns import CampaignsResult, ranked_ids
from analysis.questions.verdicts import VERDICTS, campaign_verdict, significant
from analysis.words.format import interval, is_number, money, num, pct, pp
from analysis.words.glossary import in_sentence, is_term, term
from analysis.words.lang import pick
from analysis.words.names import campaign_name
from analysis.words.persistence import persistence_text

# ---------------------------------------------------------------------------
# Names


def campaign_label(campaign_id: str, lang: str = "zh", name: str | None = None, kind: str | None = None) -> str:
    """A campaign as a reader knows it: its name (zh), in English the glossary
    term of its kind, a festival event by its festival, an English name as it
    is (`names.campaign_name` without the month). Its id is data, not prose:
    it is said only when nothing else names the campaign."""
    kind_term = term(kind, lang) if kind and is_term(kind) else None
    words = pick(lang, name or kind_term or "", campaign_name(name, kind, None, "en") if name or kind else "")
    return words or campaign_id


def label_of(
    campaign_id: str, lang: str, result: CampaignsResult | None = None, names: Mapping[str, str] | None = None
) -> str:
    """The label of a campaign from the analysis (name and kind) or from a name list."""
    if result is not None and campaign_id in result.results:
        r = result.results[campaign_id]
        return campaign_label(campaign_id, lang, r.name, r.kind)
    return campaign_label(campaign_id, lang, (names or {}).get(campaign_id))


def design_word(design: str, lang: str) -> str:
    return pick(lang, "随机对照", "randomized") if design == "randomized" else pick(lang, "定向", "targeted")


# ---------------------------------------------------------------------------
# Pieces of sentences


def money_interval(e: Mapping | None, lang: str) -> str:
    """ "（95%区间a至b）" / " (95% interval a to b)" in money, or "" without an interval."""
    if not e:
        return ""
    iv = interval(e.get("ci_low"), e.get("ci_high"), lang, fmt=lambda v: money(v, lang))
    return pick(lang, f"（{iv}）", f" ({iv})") if iv else ""


def _sig(e: Mapping, lang: str) -> str:
    return (
        pick(lang, "（显著）", " (significant)") if significant(e) else pick(lang, "（不显著）", " (not significant)")
    )


def volume_text(business_roi: float, lang: str) -> str:
    """business_roi in words: new business volume per CNY spent — volume, not profit."""
    return pick(
        lang,
        f"每投入1元带来{num(business_roi + 1, 1)}元{term('new business volume', lang)}",
        f"each CNY spent brought CNY {num(business_roi + 1, 1)} of new business (volume, not profit)",
    )


def profit_text(c: Mapping, lang: str) -> str:
    """profit_12m (and profit_roi) in words: the campaign's yearly net contribution and its return."""
    p, r = c.get("profit_12m"), c.get("profit_roi")
    if not p or not is_number(p.get("estimate")):
        return ""
    ret = (
        pick(lang, f"，扣除成本后的回报率为{pct(r, 0)}", f", a return of {pct(r, 0)} on its cost")
        if is_number(r)
        else ""
    )
    return pick(
        lang,
        f"若余额效应持续一年，年净贡献（利润）{money(p['estimate'], lang)}{money_interval(p, lang)}{ret}",
        f"if the balance effect lasts a year, it adds {money(p['estimate'], lang)} of yearly net contribution "
        f"(profit){money_interval(p, lang)}{ret}",
    )


def balance_text(c: Mapping, lang: str) -> str:
    """Contacted vs holdout balance growth, with the interval."""
    be = c["balance_effect"]
    return pick(
        lang,
        f"接触客户的资产比对照组多增加{money(be['estimate'], lang)}{money_interval(be, lang)}",
        f"contacted customers' balances grew {money(be['estimate'], lang)} more than the holdout's"
        f"{money_interval(be, lang)}",
    )


def verdict_text(c: Mapping, lang: str) -> str:
    """ "结论：扩大" / "verdict: grow" for a campaign's figures (none while not measurable)."""
    v = campaign_verdict(c)
    if v is None:
        return pick(lang, "暂不下结论", "no verdict yet")
    return pick(lang, f"结论：{term(v, lang)}", f"verdict: {in_sentence(term(v, lang))}")


def not_measurable(c: Mapping) -> bool:
    """A campaign whose balance change cannot be measured yet: no verdict, and the reason."""
    return "verdict" in c and c["verdict"] is None and bool(c.get("reason"))


def missing_effect_text(c: Mapping, lang: str) -> str:
    """Why a campaign has no balance effect, in words."""
    if not_measurable(c):
        return pick(
            lang,
            "余额效应尚无法衡量：衡量所需的活动后月份晚于数据的最后一个月",
            "the balance effect cannot be measured yet: the month it is measured in is after the last month of data",
        )
    n1, n0 = (c.get("n_treatment"), c.get("n_control")) if c.get("design") == "randomized" else (None, None)
    if is_number(n1) and is_number(n0) and min(n1, n0) < MIN_ARM:
        return pick(
            lang,
            f"样本太少，无法估计效应（邀请{num(n1)}名、对照{num(n0)}名，每组至少需要{MIN_ARM}名）",
            f"too few customers to estimate an effect ({num(n1)} invited, {num(n0)} held out; at least {MIN_ARM} "
            "in each group)",
        )
    reason = c.get("reason")
    return pick(
        lang,
        "余额效应无法估计" + (f"（{reason}）" if reason else ""),
        "the balance effect could not be estimated" + (f" ({reason})" if reason else ""),
    )


class _Explainer:
    """A term's one-line plain explanation, the first time it appears."""

    def __init__(self, lang: str):
        self.lang, self.done = lang, set()

    def __call__(self, key: str, zh: str, en: str) -> str:
        if key in self.done:
            return ""
        self.done.add(key)
        return pick(self.lang, zh, en)


# ---------------------------------------------------------------------------
# The campaigns section


def _figures(section: Mapping) -> dict[str, Mapping]:
    return {k: v for k, v in section.items() if isinstance(v, Mapping) and v.get("design")}


def describe_campaigns(
    section: Any, lang: str = "zh", result: CampaignsResult | None = None, names: Mapping[str, str] | None = None
) -> list[str]:
    """Paragraphs reading the branch's campaign figures (zh or en).

    `section` is the `campaigns` section (a `CampaignsSection` or its dict,
    as results.json holds it). With `result` (the notebook) the sentences add
    campaign kinds, complier effects, the checks of each adjustment and the
    cost-effectiveness ranking; `names` (the briefing) gives campaign names.
    """
    if hasattr(section, "to_dict"):
        section = section.to_dict()
    if section.get("status") != "ok":
        reason = section.get("reason", "")
        return [pick(lang, f"本节未计算：{reason}。", f"This section was not computed: {reason}.")]
    figures = _figures(section)

    def label(cid: str) -> str:
        return label_of(cid, lang, result, names)

    n_r = sum(f["design"] == "randomized" for f in figures.values())
    n_t = len(figures) - n_r
    out = [
        pick(
            lang,
            f"本网点共有{len(figures)}项有客户名单的活动：{term('randomized campaign', lang)}{n_r}项，"
            f"{term('targeted campaign', lang)}{n_t}项。",
            f"The branch ran {len(figures)} campaigns with contact lists — {term('randomized campaign', lang)}: "
            f"{n_r}; {term('targeted campaign', lang)}: {n_t}.",
        )
    ]
    if n_r:
        out.append(
            pick(
                lang,
                f"随机对照活动随机留出一部分客户不接触；两组之差就是活动的效果（{term('ITT', lang)}）："
                "被邀请的客户与随机留出、未被邀请的对照客户之差，衡量“发出邀请”带来的平均效果。",
                f"A randomized campaign leaves a random group of customers out; the difference between the groups is "
                f"the campaign's effect ({in_sentence(term('ITT', lang))}): invited customers minus a random holdout "
                "that was not invited — what sending the invitation did on average.",
            )
        )
    if n_t:
        out.append(
            pick(
                lang,
                "定向活动没有对照组，参与者是挑选出来的，简单对比会把“本来就好的客户”算成活动效果，需要按客户差异调整。"
                f"{term('ATT', lang)}：参加者与在活动前各项特征（余额、产品数、VIP、客群等）相近的未参加客户之差；"
                f"{term('naive difference', lang)}直接拿参加者与全部未参加客户相比。",
                "A targeted campaign has no holdout and its participants were picked, so a plain comparison credits "
                "the campaign with customers who were better to begin with; it must be adjusted for how they differ. "
                f"{term('ATT', lang)}: participants compared with non-participants who looked like them before start "
                f"(balance, products, VIP status, segment …); the {in_sentence(term('naive difference', lang))} "
                "compares "
                "them with all non-participants.",
            )
        )
    explain = _Explainer(lang)
    for cid, f in figures.items():
        r = result.results.get(cid) if result is not None else None
        if f["design"] == "randomized":
            out.append(_randomized_sentence(label(cid), f, lang, r, explain))
        else:
            out.append(_targeted_sentence(label(cid), f, lang, r, explain))
    ranked = section.get("_merge", {}).get("campaigns_ranked") or ranked_ids(figures)
    if len(ranked) > 1:
        out.append(
            pick(
                lang,
                f"按每位客户的余额效应从大到小：{'、'.join(label(c) for c in ranked)}。",
                f"By balance effect per customer, largest first: {', '.join(label(c) for c in ranked)}.",
            )
        )
    if result is not None:
        out += describe_ranking(result, lang)
    return out


def _randomized_sentence(label: str, f: Mapping, lang: str, r, explain: Callable[..., str]) -> str:
    parts = []
    nt, nc = f.get("n_treatment"), f.get("n_control")
    if is_number(nt) and is_number(nc):
        parts.append(pick(lang, f"邀请{num(nt)}名、对照{num(nc)}名", f"{num(nt)} invited, {num(nc)} held out"))
    be = f.get("balance_effect")
    if be:
        parts.append(
            pick(
                lang,
                f"被邀请客户的余额变化比对照组平均多{money(be['estimate'], lang)}{money_interval(be, lang)}",
                f"invited customers' balances changed by {money(be['estimate'], lang)} more than the holdout's"
                f"{money_interval(be, lang)}",
            )
            + _sig(be, lang)
        )
    else:
        parts.append(missing_effect_text(f, lang))
    ra = f.get("response_ate")
    if ra:
        iv = interval(ra["ci_low"], ra["ci_high"], lang, fmt=lambda v: pp(v, lang, 1, signed=True))
        parts.append(
            pick(
                lang,
                f"响应率差{pp(ra['estimate'], lang, 1, signed=True)}（{iv}）",
                f"response rate {pp(ra['estimate'], lang, 1, signed=True)} ({iv})",
            )
        )
    if is_number(f.get("business_roi")):
        parts.append(volume_text(f["business_roi"], lang))
    parts += [t for t in (profit_text(f, lang), verdict_text(f, lang)) if t]
    s = label + pick(lang, "：", ": ") + pick(lang, "，", "; ").join(parts) + pick(lang, "。", ".")
    if r is not None and r.complier_balance is not None and np.isfinite(r.participation):
        cb = r.complier_balance
        s += explain(
            "complier",
            f"{term('complier effect', lang)}：效果除以被邀请者中实际参加的比例，估计的是真正参加对参加者的效果。",
            f" {term('complier effect', lang)}: the ITT divided by the share of the invited who took part — what "
            "taking part did for those who took part.",
        )
        s += pick(
            lang,
            f"被邀请者中{pct(r.participation, 0)}实际参加；对参加者而言，余额效应约为{money(cb['estimate'], lang)}"
            f"{money_interval(cb, lang)}。",
            f" {pct(r.participation, 0)} of the invited took part; for them the balance effect was about "
            f"{money(cb['estimate'], lang)}{money_interval(cb, lang)}.",
        )
    return s


def _targeted_sentence(label: str, f: Mapping, lang: str, r, explain: Callable[..., str]) -> str:
    parts = []
    npart, ncomp = f.get("n_participants"), f.get("n_comparison")
    if is_number(npart):
        parts.append(
            pick(lang, f"参与{num(npart)}名", f"{num(npart)} took part")
            + (
                pick(lang, f"、对比客户{num(ncomp)}名", f", {num(ncomp)} in the comparison pool")
                if is_number(ncomp)
                else ""
            )
        )
    naive = f.get("naive_balance_difference")
    if is_number(naive):
        parts.append(
            pick(
                lang,
                f"{term('naive difference', lang)}为{money(naive, lang)}",
                f"the naive difference is {money(naive, lang)}",
            )
        )
    be = f.get("balance_effect")
    if be:
        parts.append(
            pick(
                lang,
                f"调整后参加者的余额效应为{money(be['estimate'], lang)}{money_interval(be, lang)}",
                f"adjusted, the effect on participants is {money(be['estimate'], lang)}{money_interval(be, lang)}",
            )
            + _sig(be, lang)
        )
    else:
        parts.append(missing_effect_text(f, lang))
    parts += [t for t in (profit_text(f, lang), verdict_text(f, lang)) if t]
    s = label + pick(lang, "：", ": ") + pick(lang, "，", "; ").join(parts) + pick(lang, "。", ".")
    s += persistence_text(f.get("persistence"), lang)
    if isinstance(r, TargetedResult):
        s += _describe_checks(r, lang, explain)
    return s


def _describe_checks(r: TargetedResult, lang: str, explain: Callable[..., str]) -> str:
    """How comparable the adjusted groups are, and whether they moved in step before start."""
    s = ""
    est = r.estimator
    if est is not None:
        o = est.overlap_
        worst_before = est.balance_["smd_before"].abs().max()
        worst_after = est.balance_["smd_after"].abs().max()
        s += explain(
            "SMD",
            f"{term('SMD', lang)}衡量两组在某特征上的差距（以标准差计），低于0.1视为可比。",
            f" The {in_sentence(term('SMD', lang))} measures the gap between two groups on a feature in standard "
            "deviations; below 0.1 counts as comparable.",
        )
        s += pick(
            lang,
            f"调整前两组特征最大差距{num(worst_before, 2)}个标准差，调整后{num(worst_after, 2)}；"
            f"为保证可比，剔除了{num(o['treated_trimmed'])}名无可比对象的参加者和{num(o['comparison_trimmed'])}名对照客户。",
            f" Before adjustment the largest gap was {num(worst_before, 2)} standard deviations, after it "
            f"{num(worst_after, 2)}; {num(o['treated_trimmed'])} participants without a comparable non-participant "
            f"and {num(o['comparison_trimmed'])} comparison customers were left out.",
        )
    if r.did is not None:
        d, pt = r.did.did_, r.did.pretrend_
        s += explain(
            "DiD",
            f"{term('DiD', lang)}：比较两组活动前后余额走势的差别。",
            f" {term('DiD', lang)}: how much more the participants' balances moved than the comparison group's, "
            "from before to after.",
        )
        p = pt["p_value"]
        parallel = p is not None and np.isfinite(p) and p >= 0.05
        s += pick(
            lang,
            f"{term('DiD', lang)}估计为{money(d['estimate'], lang)}{money_interval(d, lang)}；活动前两组走势"
            + (
                f"基本平行（检验p={num(p, 2)}），结论可信。"
                if parallel
                else f"并不平行（检验p={num(p, 2)}），该估计需谨慎解读。"
            ),
            f" The difference-in-differences is {money(d['estimate'], lang)}{money_interval(d, lang)}; before start "
            "the two groups "
            + (
                f"moved in step (test p = {num(p, 2)})."
                if parallel
                else f"did not move in step (test p = {num(p, 2)}), so read it with care."
            ),
        )
    return s


def describe_ranking(result: CampaignsResult, lang: str = "zh") -> list[str]:
    """Which campaign adds most balance per CNY spent, and how sure that ranking is."""
    ru = result.ranking()
    if ru.empty:
        return []
    best, row = ru.index[0], ru.iloc[0]
    sure = row["p_best"] >= 0.8
    lo, hi = num(row["ci_low"], 1), num(row["ci_high"], 1)
    return [
        pick(
            lang,
            f"按{term('cost effectiveness', lang)}计，{label_of(best, lang, result)}最多：每投入1元带来约"
            f"{num(row['balance_per_cny'], 1)}元余额（区间{lo}至{hi}）；在按各项效应区间模拟的排名中，它有"
            f"{pct(row['p_best'], 0)}的概率排第一"
            + ("，排名较为可靠。" if sure else "，排名尚不确定，宜再做一次随机对照验证。"),
            f"By balance added per CNY spent (volume, not profit), {label_of(best, lang, result)} comes first: about "
            f"{num(row['balance_per_cny'], 1)} CNY of balance per CNY spent (interval {lo} to {hi}); drawing each "
            f"effect from its interval, it ranks first in {pct(row['p_best'], 0)} of draws"
            + (
                "; the ranking is fairly sure."
                if sure
                else "; the ranking is uncertain, so test it again with a holdout."
            ),
        )
    ]


# ---------------------------------------------------------------------------
# Response rates per group (the notebook)


def describe_response_rates(result: CampaignsResult, lang: str = "zh") -> list[str]:
    """Per randomized campaign, the share responded in each group with its
    Wilson interval (within [0, 1], and there when nobody responded)."""
    rr = result.responses
    if rr.empty:
        return []
    out = []
    group_words = {"treatment": pick(lang, "邀请组", "invited"), "control": pick(lang, "对照组", "holdout")}
    for cid, g in rr.groupby("campaign_id", sort=False):
        r = result.results.get(cid)
        if r is None or r.design != "randomized":
            continue
        items = [
            pick(
                lang,
                f"{group_words.get(row.group, row.group)}{pct(row.rate)}（{num(row.responded)}/{num(row.contacts)}，"
                f"{interval(row.ci_low, row.ci_high, lang, fmt=pct)}）",
                f"{group_words.get(row.group, row.group)} {pct(row.rate)} ({num(row.responded)} of "
                f"{num(row.contacts)}, {interval(row.ci_low, row.ci_high, lang, fmt=pct)})",
            )
            for row in g.itertuples()
        ]
        out.append(
            pick(
                lang,
                f"{label_of(cid, lang, result)}的响应率：" + "，".join(items) + "。",
                f"Response of {label_of(cid, lang, result)}: " + "; ".join(items) + ".",
            )
        )
    if out:
        out.append(
            pick(
                lang,
                "各组响应率的区间按Wilson方法计算（始终在0与100%之间，无人响应时也有区间）；"
                "两组之差的区间（结果文件中的response_ate）按合同用正态近似计算。",
                "Each group's interval is Wilson's (it stays within 0 and 100% and exists when nobody responded); "
                "the interval of the difference (response_ate in the results) is the contract's normal approximation.",
            )
        )
    return out


# ---------------------------------------------------------------------------
# Verdicts


#: Why a campaign gets its verdict (the rule: analysis.questions.verdicts), in words.
VERDICT_REASONS: dict[str, tuple[str, str]] = {
    "grow": (
        "随机对照证实效果，且按资金收益率折算的年净贡献超过成本",
        "effect proven against a random holdout, and its yearly net contribution at the funds margin exceeds its cost",
    ),
    "keep": (
        "效果已证实，但没有对照组（定向活动）或按利润尚未收回成本：须保留随机对照组重复",
        "effect proven, but measured without a holdout (targeted) or not paying back in profit: repeat it with "
        "a random holdout",
    ),
    "test": (
        "效果为正但未证实、区间过宽或无法估计：下次做随机对照测试",
        "positive but not proven, too uncertain, or not estimable: run it next as a randomized test",
    ),
    "stop": (
        "证据排除了值得做的效果：区间的上限也收不回成本",
        "the evidence rules out a worthwhile effect: even the upper end of its interval does not pay back",
    ),
    "none": (
        "尚无法衡量：活动后的余额快照还没有，暂不下结论",
        "not measurable yet: the balance snapshot after the campaign is not in the data, so no verdict",
    ),
}


def method_note(lang: str = "zh") -> str:
    """How campaigns are measured and judged (the briefing's method notes)."""
    return pick(
        lang,
        "活动：随机对照活动比较邀请组与对照组（意向处理效应）；定向活动按参与者与对比客户在流失因素上的差异调整后估计参与效应。"
        f"每组少于{MIN_ARM}名客户时不估计效应。(新增业务价值 − 成本) ÷ 成本（仅随机对照活动）"
        f"衡量{term('new business volume', lang)}。"
        "利润 = 余额效应 × 覆盖人数 × 资金年化净收益率（按本网点客户的利润对资金与贷款余额回归估计），"
        "即余额效应持续一年时的年净贡献；回报率 = (利润 − 成本) ÷ 成本。"
        "结论规则：余额效应区间的上限也收不回成本，或效应显著为负，才停办；随机对照活动效应显著且回报率为正，才扩大；"
        "效应显著但为定向活动或未收回成本，保持并带对照组重复；其余（效应为正但不显著、区间过宽、无法估计）再做随机对照测试；"
        "活动后的余额月份晚于数据截止月的活动暂不下结论。",
        "Campaigns: randomized campaigns compare the invited with the holdout (intention to treat); targeted "
        "campaigns estimate the effect on participants adjusted for how they differ from the comparison pool on the "
        f"attrition drivers. No effect is estimated from fewer than {MIN_ARM} customers in a group. "
        "New business volume ((incremental business − cost) ÷ cost, randomized campaigns only) "
        "measures volume, not profit. Profit = balance effect × people reached × the funds margin (a regression of "
        "customers' profit on their funds and loan balances at this branch): the yearly net contribution if the "
        "effect lasts a year; return = (profit − cost) ÷ cost. Verdicts: stop only when even the upper end of the "
        "balance effect's interval does not pay back, or the effect is significantly negative; grow only a "
        "randomized campaign with a significant effect and a positive return; keep (repeat with a holdout) a "
        "significant effect that is targeted or does not pay back; test again, randomized, everything else (positive "
        "but not significant, too uncertain, not estimable); no verdict while the month after the campaign that "
        "measures it is beyond the data.",
    )


def describe_verdicts(table, lang: str = "zh") -> list[str]:
    """One sentence per verdict: which events to grow, keep, test or stop, and why
    (`table`: `analysis.questions.campaigns.verdict_table`); then the campaigns
    not measurable yet."""
    out = []
    for v in (*VERDICTS, "none"):
        rows = table[table["verdict"].isna()] if v == "none" else table[table["verdict"] == v]
        if rows.empty:
            continue
        items = []
        for r in rows.itertuples():
            if v == "none":
                items.append(r.name)
                continue
            eff = money(r.balance_effect, lang) + money_interval({"ci_low": r.ci_low, "ci_high": r.ci_high}, lang)
            c = {
                "profit_12m": {"estimate": r.profit_12m, "ci_low": r.profit_low, "ci_high": r.profit_high}
                if is_number(r.profit_12m)
                else None,
                "profit_roi": r.profit_roi,
            }
            profit = profit_text(c, lang)
            eff = eff if is_number(r.balance_effect) else pick(lang, "效应无法估计", "no effect estimated")
            items.append(
                pick(
                    lang,
                    f"{r.name}：余额效应{eff}" + (f"，{profit}" if profit else ""),
                    f"{r.name}: balance effect {eff}" + (f"; {profit}" if profit else ""),
                )
            )
        why = pick(lang, *VERDICT_REASONS[v])
        head = term(v, lang) if v != "none" else pick(lang, "暂不下结论", "No verdict yet")
        out.append(
            pick(
                lang,
                f"**{head}**（{why}）：" + "；".join(items) + "。",
                f"**{head}** ({why}): " + "; ".join(items) + ".",
            )
        )
    return out


# ---------------------------------------------------------------------------
# Recommendations (analysis.report.rules_campaigns decides which fire)


def profit_roi_chart_title(lang: str) -> str:
    return pick(lang, "随机对照活动扣除成本后的利润回报率", "Randomized campaigns: return on cost, in profit")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _volume_sentence(c: Mapping, lang: str) -> str:
    """business_roi in a sentence of its own (never beside a return)."""
    b = c.get("business_roi")
    if not is_number(b):
        return ""
    return pick(lang, f"另计：{volume_text(b, lang)}。", f" Separately, {volume_text(b, lang)}.")


def verdict_advice(verdict: str, lang: str, name: str, c: Mapping) -> dict | None:
    """headline, finding and recommendation for a randomized campaign with
    `verdict` (its figures `c`), or None when there is nothing to say; the
    volume (business_roi) follows the finding in a sentence of its own."""
    said = _verdict_advice(verdict, lang, name, c)
    if said is not None:
        said["finding"] += _volume_sentence(c, lang)
    return said


def _verdict_advice(verdict: str, lang: str, name: str, c: Mapping) -> dict | None:
    if not isinstance(c.get("balance_effect"), Mapping):
        return None
    profit = profit_text(c, lang) or pick(
        lang, "因缺少资金收益率，无法折算为利润", "without a funds margin it cannot be turned into profit"
    )
    if verdict == "grow":
        return {
            "headline": pick(lang, f"扩大{name}", f"Scale up {name}"),
            "finding": pick(
                lang,
                f"随机对照活动{name}的效果经对照组证实：{balance_text(c, lang)}；{profit}。",
                f"The randomized campaign {name} is proven against its holdout: {balance_text(c, lang)}; {profit}.",
            ),
            "recommendation": pick(
                lang,
                "下一轮推广到同类客户，同时继续随机保留一小部分对照组核实效果。",
                "Extend it to similar customers next round, keeping a small random holdout to confirm the effect.",
            ),
        }
    if verdict == "keep":
        return {
            "headline": pick(lang, f"{name}有效但尚未证明划算", f"{_cap(name)} works but has not shown it pays back"),
            "finding": pick(
                lang,
                f"随机对照活动{name}效果已证实（{balance_text(c, lang)}），但{profit}：按利润尚未收回成本。",
                f"The randomized campaign {name} works ({balance_text(c, lang)}), but {profit}: in profit "
                "it does not yet cover its cost.",
            ),
            "recommendation": pick(
                lang,
                f"保留{name}，但降低单客成本或只面向响应更高的客户，改版后继续随机保留对照组核算利润。",
                f"Keep {name}, but cut its cost per customer or aim it at customers who respond, keeping a random "
                "holdout to price the new version in profit.",
            ),
        }
    if verdict == "stop":
        return {
            "headline": pick(lang, f"{name}不值得继续", f"{_cap(name)} is not worth running again"),
            "finding": pick(
                lang,
                f"随机对照活动{name}：{balance_text(c, lang)}；{profit}。"
                "区间的上限也收不回成本，证据排除了值得做的效果。",
                f"The randomized campaign {name}: {balance_text(c, lang)}; {profit}. Even the upper end of the "
                "interval does not pay back its cost: the evidence rules out a worthwhile effect.",
            ),
            "recommendation": pick(
                lang,
                f"停办{name}；如要重新设计（缩小到响应更高的客户群、降低单客成本），先用随机对照小规模测试。",
                f"Stop {name}; a redesign (aimed at customers who respond, at a lower cost per customer) should "
                "first be tested small, with a random holdout.",
            ),
        }
    if verdict == "test":
        return {
            "headline": pick(lang, f"{name}效果待证实", f"{_cap(name)}: effect not yet proven"),
            "finding": pick(
                lang,
                f"随机对照活动{name}：{balance_text(c, lang)}，区间太宽，效果可能为正也可能为零；{profit}。",
                f"The randomized campaign {name}: {balance_text(c, lang)}, an interval too wide to tell whether the "
                f"effect may be positive or nil; {profit}.",
            ),
            "recommendation": pick(
                lang,
                f"先不扩大{name}：加大样本再测一轮并保留随机对照组，效果确认后再推广。",
                f"Do not scale up {name} yet: run it again on more customers with a random holdout, and roll it out "
                "once the effect is confirmed.",
            ),
        }
    return None


def holdout_advice(lang: str, name: str, naive: float, adjusted: Mapping | None) -> dict:
    """headline, finding and recommendation for a targeted campaign judged by a naive comparison."""
    if adjusted and is_number(adjusted.get("estimate")):
        more = pick(
            lang,
            f"；按参与者与其他客户的差异调整后，效果为{money(adjusted['estimate'], lang)}"
            f"{money_interval(adjusted, lang)}。简单对比把效果高估了",
            f"; adjusted for how participants differ from other customers, the effect is "
            f"{money(adjusted['estimate'], lang)}{money_interval(adjusted, lang)}. The naive comparison overstates it",
        )
    else:
        more = pick(
            lang,
            "，但参与者本来就是挑选出来的客户，这个差距不能当作活动的效果",
            ", but participants were picked, so the gap cannot be read as the campaign's effect",
        )
    return dict(
        headline=pick(lang, "活动效果需要对照组来证明", "Campaigns need a holdout to prove their worth"),
        finding=pick(
            lang,
            f"定向活动{name}的参与者资产变化比其他客户多{money(naive, lang)}{more}。",
            f"Participants in the targeted campaign {name} grew their balances {money(naive, lang)} more than other "
            f"customers{more}.",
        ),
        recommendation=pick(
            lang,
            "今后每项活动都随机保留10%–20%的目标客户暂不接触作为对照组，才能算出真实回报，再决定扩大还是停止。",
            "From now on, hold back a random 10–20% of each campaign's target customers as a control group, so that "
            "the true return is known before deciding to scale up or stop.",
        ),
    )
