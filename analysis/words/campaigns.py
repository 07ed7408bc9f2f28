"""The campaigns' sentences, for the notebook and the briefing alike.

    describe_campaigns(section, "zh")                 # the briefing: results.json's section
    describe_campaigns(section, "zh", result)         # the notebook: + complier effects, checks, ranking
    describe_verdicts(verdict_table, "en")            # which events to grow, keep, test or stop
    verdict_advice("grow", "zh", name, figures)      # a recommendation's headline, finding and advice

Numbers come from `analysis.words.format`, terms from the glossary, the
language from `pick`; the verdict is decided in `analysis.questions.verdicts`
and only worded here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from analysis.questions.campaigns import CampaignsResult, TargetedResult, ranked_ids
from analysis.questions.verdicts import VERDICTS, campaign_verdict, significant
from analysis.words.format import interval, is_number, money, num, pct, pp
from analysis.words.glossary import is_term, term
from analysis.words.lang import pick

# ---------------------------------------------------------------------------
# Names


def campaign_label(campaign_id: str, lang: str = "zh", name: str | None = None, kind: str | None = None) -> str:
    """A campaign as a reader knows it, with its id: its name (zh), the
    glossary term of its kind (en; its name when the kind has none)."""
    kind_term = term(kind, lang) if kind and is_term(kind) else None
    words = pick(lang, name or kind_term or "", kind_term or name or "")
    if not words:
        return campaign_id
    return pick(lang, f"{words}（{campaign_id}）", f"{words} ({campaign_id})")


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


def roi_text(roi: float, lang: str) -> str:
    """The campaign's ROI on new business, in words."""
    return pick(
        lang,
        f"投资回报率为{pct(roi, 0)}（每投入1元，净回报{num(roi, 2)}元）",
        f"a return on investment of {pct(roi, 0)} (CNY {num(roi, 2)} net per yuan spent)",
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
    """ "结论：扩大" / "verdict: grow" for a campaign's figures."""
    v = campaign_verdict(c)
    return pick(lang, f"结论：{term(v, lang)}", f"verdict: {term(v, lang).lower()}")


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
                f"the campaign's effect ({term('ITT', lang).lower()}): invited customers minus a random holdout that "
                "was not invited — what sending the invitation did on average.",
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
                f"(balance, products, VIP status, segment …); the {term('naive difference', lang).lower()} compares "
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
        parts.append(pick(lang, "余额变化尚无法衡量", "the balance change cannot be measured yet"))
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
    roi = f.get("roi")
    if is_number(roi):
        parts.append(
            pick(
                lang,
                f"按新增业务额计的{term('ROI', lang)}为{num(roi, 1)}（每投入1元回收{num(roi + 1, 1)}元新增业务）",
                f"{term('ROI', lang).lower()} on new business was {num(roi, 1)} "
                f"(each CNY spent brought {num(roi + 1, 1)} CNY of new business)",
            )
        )
    parts.append(verdict_text(f, lang))
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
    else:
        parts.append(pick(lang, "没有可比较的余额变化", "no balance change to compare"))
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
        parts.append(pick(lang, "无法给出调整后的效应", "no adjusted effect could be estimated"))
    parts.append(verdict_text(f, lang))
    s = label + pick(lang, "：", ": ") + pick(lang, "，", "; ").join(parts) + pick(lang, "。", ".")
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
            f" The {term('SMD', lang).lower()} measures the gap between two groups on a feature in standard "
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
            f"按{term('cost effectiveness', lang)}计，{label_of(best, lang, result)}最划算：每投入1元带来约"
            f"{num(row['balance_per_cny'], 1)}元余额（区间{lo}至{hi}）；在按各项效应区间模拟的排名中，它有"
            f"{pct(row['p_best'], 0)}的概率排第一"
            + ("，排名较为可靠。" if sure else "，排名尚不确定，宜再做一次随机对照验证。"),
            f"By balance added per CNY spent, {label_of(best, lang, result)} pays back best: about "
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
# Verdicts


#: Why a campaign gets its verdict (analysis.questions.verdicts), in words.
VERDICT_REASONS: dict[str, tuple[str, str]] = {
    "grow": ("效果经随机对照证实且回报为正", "effect proven against a random holdout and it pays back"),
    "keep": (
        "效果已证实，但未以新增业务收回成本，或仅有无对照组的调整估计",
        "effect proven, but it does not pay back in new business or was measured without a holdout",
    ),
    "test": (
        "效果为正但未被证实，下次须保留随机对照组再测",
        "positive but not proven: run again only with a random holdout",
    ),
    "stop": ("未见正面效果", "no positive effect"),
}


def describe_verdicts(table, lang: str = "zh") -> list[str]:
    """One sentence per verdict: which events to grow, keep, test or stop, and why
    (`table`: `analysis.questions.campaigns.verdict_table`)."""
    out = []
    for v in VERDICTS:
        rows = table[table["verdict"] == v]
        if rows.empty:
            continue
        items = []
        for r in rows.itertuples():
            iv = interval(r.ci_low, r.ci_high, lang, fmt=lambda x: money(x, lang))
            eff = money(r.balance_effect, lang) + (pick(lang, f"（{iv}）", f" ({iv})") if iv else "")
            roi = pick(lang, f"，投资回报率{pct(r.roi, 0)}", f", ROI {pct(r.roi, 0)}") if is_number(r.roi) else ""
            items.append(pick(lang, f"{r.name}：{eff}{roi}", f"{r.name}: {eff}{roi}"))
        why = pick(lang, *VERDICT_REASONS[v])
        out.append(
            pick(
                lang,
                f"**{term(v, lang)}**（{why}）：" + "；".join(items) + "。",
                f"**{term(v, lang)}** ({why}): " + "; ".join(items) + ".",
            )
        )
    return out


# ---------------------------------------------------------------------------
# Recommendations (analysis.report.rules_campaigns decides which fire)


def roi_chart_title(lang: str) -> str:
    return pick(lang, "随机对照活动的投资回报率", "Return on investment of randomized campaigns")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def verdict_advice(verdict: str, lang: str, name: str, c: Mapping) -> dict | None:
    """headline, finding and recommendation for a randomized campaign with
    `verdict` (its figures `c`), or None when there is nothing to say."""
    roi = c.get("roi")
    has_roi = is_number(roi)
    if verdict == "grow":
        return dict(
            headline=pick(lang, f"扩大{name}", f"Scale up {name}"),
            finding=pick(
                lang,
                f"随机对照活动{name}{roi_text(roi, lang)}，且效果经对照组证实：{balance_text(c, lang)}。",
                f"The randomized campaign {name} had {roi_text(roi, lang)}, and the holdout proves it: "
                f"{balance_text(c, lang)}.",
            ),
            recommendation=pick(
                lang,
                f"扩大{name}：下一轮推广到同类客户，同时继续随机保留一小部分对照组核实效果。",
                f"Scale up {name}: extend it to similar customers next round, keeping a small random holdout to "
                "confirm the effect.",
            ),
        )
    if verdict == "keep":
        if not has_roi:
            return None
        return dict(
            headline=pick(lang, f"{name}有效但不划算", f"{_cap(name)} works but does not pay back"),
            finding=pick(
                lang,
                f"随机对照活动{name}效果已证实（{balance_text(c, lang)}），"
                f"但{roi_text(roi, lang)}：带来的新增业务不抵成本。",
                f"The randomized campaign {name} works ({balance_text(c, lang)}), but had {roi_text(roi, lang)}: the "
                "new business it brings does not cover its cost.",
            ),
            recommendation=pick(
                lang,
                f"保留{name}，但降低单客成本或只面向响应更高的客户，改版后继续随机保留对照组核算回报。",
                f"Keep {name}, but cut its cost per customer or aim it at customers who respond, keeping a random "
                "holdout to price the new version.",
            ),
        )
    if verdict == "stop":
        cost = (
            pick(lang, f"，投资回报率为{pct(roi, 0)}", f", and it returned {pct(roi, 0)} on its cost")
            if has_roi
            else ""
        )
        return dict(
            headline=pick(lang, f"{name}没有效果", f"{_cap(name)} shows no effect"),
            finding=pick(
                lang,
                f"随机对照活动{name}没有带来正面效果：{balance_text(c, lang)}{cost}。",
                f"The randomized campaign {name} brought no positive effect: {balance_text(c, lang)}{cost}.",
            ),
            recommendation=pick(
                lang,
                f"停止或重新设计{name}：缩小到响应更高的客户群、降低单客成本，改版后先用随机对照小规模测试。",
                f"Stop or redesign {name}: narrow it to customers who respond, cut the cost per customer, and test "
                "the new version small, with a random holdout.",
            ),
        )
    if verdict == "test":
        if not isinstance(c.get("balance_effect"), Mapping):
            return None
        paper = pick(lang, f"账面{roi_text(roi, lang)}，", f"shows {roi_text(roi, lang)} on paper, ") if has_roi else ""
        return dict(
            headline=pick(lang, f"{name}效果待证实", f"{_cap(name)}: effect not yet proven"),
            finding=pick(
                lang,
                f"随机对照活动{name}{paper}但{balance_text(c, lang)}，区间包含0，效果尚不能确认。",
                f"The randomized campaign {name} {paper}but {balance_text(c, lang)}, an interval that includes zero, "
                "so the effect is not yet proven.",
            ),
            recommendation=pick(
                lang,
                f"先不扩大{name}：加大样本再测一轮并保留随机对照组，效果确认后再推广。",
                f"Do not scale up {name} yet: run it again on more customers with a random holdout, and roll it out "
                "once the effect is confirmed.",
            ),
        )
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
