"""The briefing's sentences, read off the branch's results.json.

One function per section, `describe_<section>(ctx) -> list[str]`: each
sentence quotes that branch's numbers; a figure that is absent is left out
rather than guessed. Statistical terms get a one-line plain explanation the
first time they appear (odds ratio in churn, NPS in satisfaction, ITT/ATT in
campaigns).
"""

from __future__ import annotations

import math

from analysis.words.glossary import term
from analysis.questions.verdicts import campaign_verdict
from analysis.report import paths
from analysis.report.context import ReportContext
from analysis.words.i18n import join, money, num, pct, pick, pp, times
from analysis.report.recommendations import ALPHA, significant
from analysis.questions.competitors import CompetitorsSection
from analysis.questions.overview import OverviewResult
from analysis.questions.qvsrs import QvsrsSection
from analysis.questions.satisfaction import SatisfactionSection
from analysis.questions.value import section_from_dict as value_section_from_dict
from analysis.words.competitors import PARTS as COMPETITOR_PARTS
from analysis.words.competitors import describe_competitors
from analysis.words.overview import describe_overview
from analysis.words.qvsrs import describe_qvsrs
from analysis.words.satisfaction import PARTS as SATISFACTION_PARTS
from analysis.words.satisfaction import describe_satisfaction
from analysis.words.value import describe_value


def _n(ctx: ReportContext, path: str) -> float | None:
    return paths.number(ctx.results, path)


# ---------------------------------------------------------------------------


def describe_churn(ctx: ReportContext) -> list[str]:
    lang, out = ctx.lang, []
    n, k, rate = _n(ctx, "churn.cohort_size"), _n(ctx, "churn.churned"), _n(ctx, "churn.churn_rate_12m")
    if n is not None and k is not None and rate is not None:
        out.append(
            pick(
                lang,
                f"一年前的{num(n)}名客户中，{num(k)}名在近12个月内销户，{term('churn_rate_12m', lang)}为{pct(rate)}。",
                f"Of {num(n)} customers a year ago, {num(k)} closed their accounts within 12 months: a {term('churn_rate_12m', lang).lower()} of {pct(rate)}.",
            )
        )
    drivers = paths.get(ctx.results, "churn.drivers") or {}
    sig = {
        key: d
        for key, d in drivers.items()
        if isinstance(d, dict)
        and isinstance(d.get("odds_ratio"), (int, float))
        and d["odds_ratio"] > 0
        and significant(d, 1.0)
    }
    if drivers:
        out.append(
            pick(
                lang,
                "优势比表示某一因素使流失几率变为原来的多少倍（大于1更易流失，小于1更少流失），已同时考虑其他因素。",
                "An odds ratio says by how much a factor multiplies the odds of leaving (above 1, more likely; below 1, less), with the other factors held equal.",
            )
        )
    if sig:
        from analysis.report.recommendations import churn_driver_label

        def driver(key: str) -> str:
            label, odds = churn_driver_label(key, lang), times(sig[key]["odds_ratio"], lang)
            return f"{label}（{odds}）" if lang == "zh" else f"{label.lower()} ({odds})"

        ranked = sorted(sig, key=lambda key: -abs(math.log(sig[key]["odds_ratio"])))[:4]
        up = [driver(key) for key in ranked if sig[key]["odds_ratio"] > 1]
        down = [driver(key) for key in ranked if sig[key]["odds_ratio"] < 1]
        if up:
            out.append(
                pick(
                    lang,
                    f"流失几率明显更高的客户：{join(up, lang)}。",
                    f"Customers more likely to leave: {join(up, lang)}.",
                )
            )
        if down:
            out.append(
                pick(lang, f"流失几率明显更低：{join(down, lang)}。", f"Less likely to leave: {join(down, lang)}.")
            )
    elif drivers:
        out.append(
            pick(lang, f"没有一个因素在{ALPHA:.0%}水平上显著。", f"No factor is significant at the {ALPHA:.0%} level.")
        )
    auc = _n(ctx, "churn.auc_holdout")
    if auc is not None:
        out.append(
            pick(
                lang,
                f"模型在留出的30%客户上的区分能力（AUC）为{auc:.2f}：0.5相当于随机猜测，1为完全区分。",
                f"On the 30% of customers held out, the model separates leavers from stayers with an AUC of {auc:.2f} (0.5 is a coin toss, 1 is perfect).",
            )
        )
    return out


def _campaign_entries(ctx: ReportContext) -> dict:
    return {
        k: v
        for k, v in (paths.section(ctx.results, "campaigns") or {}).items()
        if isinstance(v, dict) and v.get("design")
    }


def describe_campaigns(ctx: ReportContext) -> list[str]:
    return campaign_notes(ctx) + campaign_lines(ctx)


def campaign_notes(ctx: ReportContext) -> list[str]:
    """What a randomized and a targeted design can tell (for the designs present)."""
    lang, out = ctx.lang, []
    camps = _campaign_entries(ctx)
    if any(c["design"] == "randomized" for c in camps.values()):
        out.append(
            pick(
                lang,
                f"随机对照活动随机留出一部分客户不接触；两组之差就是活动的效果（{term('ITT', lang)}）。",
                f"A randomized campaign leaves a random group of customers out; the difference between the groups is the campaign's effect ({term('ITT', lang).lower()}).",
            )
        )
    if any(c["design"] == "targeted" for c in camps.values()):
        out.append(
            pick(
                lang,
                "定向活动没有对照组，参与者是挑选出来的，简单对比会把“本来就好的客户”算成活动效果，需要按客户差异调整。",
                "A targeted campaign has no holdout and its participants were picked, so a plain comparison credits the campaign with customers who were better to begin with; it must be adjusted for how they differ.",
            )
        )
    return out


def _verdict_text(c: dict, lang: str) -> str:
    """The campaign's verdict, as the campaigns notebook gives it (`analysis.verdicts`)."""
    v = campaign_verdict(c)
    return pick(lang, f"结论：{term(v, lang)}", f"verdict: {term(v, lang).lower()}")


def campaign_lines(ctx: ReportContext) -> list[str]:
    """One sentence per campaign with its effects, then their ranking."""
    lang, out = ctx.lang, []
    camps = _campaign_entries(ctx)
    for cid, c in camps.items():
        name = c.get("name") or ctx.campaign_names.get(cid)
        design = pick(lang, "随机对照", "randomized") if c["design"] == "randomized" else pick(lang, "定向", "targeted")
        head = (
            pick(lang, f"“{name}”（{cid}，{design}）：", f"{name} ({cid}, {design}): ")
            if name
            else pick(lang, f"{cid}（{design}）：", f"{cid} ({design}): ")
        )
        if c["design"] == "randomized":
            parts = []
            nt, nc = c.get("n_treatment"), c.get("n_control")
            if isinstance(nt, (int, float)) and isinstance(nc, (int, float)):
                parts.append(
                    pick(lang, f"接触{num(nt)}名、对照{num(nc)}名", f"{num(nt)} contacted, {num(nc)} held out")
                )
            ate = c.get("response_ate")
            if isinstance(ate, dict) and isinstance(ate.get("estimate"), (int, float)):
                parts.append(
                    pick(
                        lang,
                        f"响应率差{pp(ate['estimate'], lang, 1, signed=True)}{'（显著）' if significant(ate, 0) else '（不显著）'}",
                        f"response {pp(ate['estimate'], lang, 1, signed=True)} {'(significant)' if significant(ate, 0) else '(not significant)'}",
                    )
                )
            be = c.get("balance_effect")
            if isinstance(be, dict) and isinstance(be.get("estimate"), (int, float)):
                parts.append(
                    pick(
                        lang,
                        f"资产变化差{money(be['estimate'], lang)}{'（显著）' if significant(be, 0) else '（不显著）'}",
                        f"balances {money(be['estimate'], lang)} {'(significant)' if significant(be, 0) else '(not significant)'}",
                    )
                )
            roi = c.get("roi")
            if isinstance(roi, (int, float)):
                parts.append(pick(lang, f"{term('ROI', lang)} {roi * 100:,.0f}%", f"ROI {roi * 100:,.0f}%"))
            parts.append(_verdict_text(c, lang))
            out.append(head + pick(lang, "，", ", ").join(parts) + pick(lang, "。", "."))
        else:
            parts = []
            npart, ncomp = c.get("n_participants"), c.get("n_comparison")
            if isinstance(npart, (int, float)):
                parts.append(
                    pick(lang, f"参与{num(npart)}名", f"{num(npart)} took part")
                    + (
                        pick(lang, f"、对比客户{num(ncomp)}名", f", {num(ncomp)} in the comparison pool")
                        if isinstance(ncomp, (int, float))
                        else ""
                    )
                )
            naive = c.get("naive_balance_difference")
            if isinstance(naive, (int, float)):
                parts.append(
                    pick(
                        lang,
                        f"{term('naive difference', lang)}{money(naive, lang)}",
                        f"{term('naive difference', lang).lower()} {money(naive, lang)}",
                    )
                )
            be = c.get("balance_effect")
            if isinstance(be, dict) and isinstance(be.get("estimate"), (int, float)):
                parts.append(
                    pick(
                        lang,
                        f"调整后{term('ATT', lang)}{money(be['estimate'], lang)}{'（显著）' if significant(be, 0) else '（不显著）'}",
                        f"adjusted {term('ATT', lang).lower()} {money(be['estimate'], lang)} {'(significant)' if significant(be, 0) else '(not significant)'}",
                    )
                )
            parts.append(_verdict_text(c, lang))
            out.append(head + pick(lang, "，", ", ").join(parts) + pick(lang, "。", "."))
    ranked = ctx.results.get("campaigns_ranked")
    if isinstance(ranked, list) and len(ranked) > 1:
        order = " > ".join(ctx.campaign_names.get(str(r), str(r)) for r in ranked)
        out.append(pick(lang, f"按资产效果排序：{order}。", f"By effect on balances: {order}."))
    return out


def describe_plan(ctx: ReportContext) -> list[str]:
    lang, out = ctx.lang, []
    cov = _n(ctx, "relationship_managers.coverage_top20")
    unc = _n(ctx, "relationship_managers.uncovered_top20")
    prop = _n(ctx, "relationship_managers.proposed_assignments")
    if cov is not None:
        out.append(
            pick(
                lang,
                f"利润前20%客户的客户经理覆盖率为{pct(cov)}"
                + (f"，{num(unc)}名尚无客户经理" if unc is not None else "")
                + "。",
                f"{pct(cov)} of the top 20% of customers have a relationship manager"
                + (f"; {num(unc)} have none" if unc is not None else "")
                + ".",
            )
        )
    if prop is not None:
        out.append(
            pick(
                lang,
                f"分配方案在客户经理容量之内安排了其中{num(prop)}名。",
                f"The proposed assignment places {num(prop)} of them within managers' capacity.",
            )
        )
    per = {
        k: v for k, v in (paths.get(ctx.results, "relationship_managers.per_rm") or {}).items() if isinstance(v, dict)
    }
    if per:
        custs = [v.get("customers") for v in per.values() if isinstance(v.get("customers"), (int, float))]
        revs = [v.get("revenue_12m") for v in per.values() if isinstance(v.get("revenue_12m"), (int, float))]
        if custs and revs:
            out.append(
                pick(
                    lang,
                    f"{len(per)}名客户经理各管{num(min(custs))}至{num(max(custs))}名活跃客户，名下近12个月利润{money(min(revs), lang)}至{money(max(revs), lang)}。",
                    f"{len(per)} relationship managers look after {num(min(custs))} to {num(max(custs))} active customers each, with {money(min(revs), lang)} to {money(max(revs), lang)} of profit over 12 months.",
                )
            )
    return out


def _paragraphs(*parts: list[str]) -> list[list[str]]:
    return [p for p in parts if p]


def overview_paragraphs(ctx: ReportContext) -> list[list[str]]:
    """The branch at a glance from results.json, in the overview notebook's words."""
    o = OverviewResult.from_results(ctx.results, ctx.title_name, ctx.city, ctx.home_bank)
    return _paragraphs(describe_overview(o, ctx.lang))


def value_paragraphs(ctx: ReportContext) -> list[list[str]]:
    """The value section, in the value notebook's words (what results.json holds of them)."""
    r = ctx.results
    s = value_section_from_dict(paths.section(r, "value"), r.get("customers"), r.get("active_customers"))
    return _paragraphs(describe_value(s, ctx.lang))


def satisfaction_paragraphs(ctx: ReportContext) -> list[list[str]]:
    """Satisfaction (a paragraph per part) and the QVSRS pillars, in the notebook's words."""
    sat = SatisfactionSection.from_dict(paths.section(ctx.results, "satisfaction"))
    q = QvsrsSection.from_dict(paths.section(ctx.results, "qvsrs"))
    parts = [describe_satisfaction(sat, ctx.lang, p) for p in SATISFACTION_PARTS]
    return _paragraphs(*parts, describe_qvsrs(q, ctx.lang))


def competitors_paragraphs(ctx: ReportContext) -> list[list[str]]:
    """The competitor section, a paragraph per part, in the competitors notebook's words."""
    s = CompetitorsSection.from_dict(paths.section(ctx.results, "competitors"))
    return _paragraphs(*(describe_competitors(s, ctx.lang, p, home_bank=ctx.home_bank) for p in COMPETITOR_PARTS))


def campaign_paragraphs(ctx: ReportContext) -> list[list[str]]:
    """The design notes as one paragraph, then one paragraph per campaign."""
    notes, lines = campaign_notes(ctx), campaign_lines(ctx)
    return _paragraphs(notes) + [[s] for s in lines]


#: briefing section → its paragraphs, each a list of sentences
DESCRIBE = {
    "overview": overview_paragraphs,
    "value": value_paragraphs,
    "churn": lambda ctx: _paragraphs(describe_churn(ctx)),
    "satisfaction": satisfaction_paragraphs,
    "competitors": competitors_paragraphs,
    "campaigns": campaign_paragraphs,
    "plan": lambda ctx: _paragraphs(describe_plan(ctx)),
}
