"""Satisfaction in words (`analysis.questions.satisfaction`), for the notebook and the briefing.

`describe_satisfaction(satisfaction, lang, part=None)` reads either the
whole `SatisfactionResult` (the notebook) or only the `SatisfactionSection`
of results.json (the briefing). Parts, in order (`PARTS`): "gaps" (CS gaps
and NPS), "trend" (by quarter), "drivers" (what moves overall
satisfaction), "ipa" (importance against performance) and "complaints";
"trend", "ipa" and "complaints" need the result. Titles of the satisfaction
figures and the complaint labels are here too.
"""

from __future__ import annotations

import pandas as pd

from analysis.questions.satisfaction import (
    QUADRANTS,
    SatisfactionResult,
    SatisfactionSection,
    clear_drivers,
    clearly_above,
    clearly_below,
    complaint_difference,
    gaps_equal,
    identical_answers,
)
from analysis.sections import Skipped
from analysis.words.format import interval, is_number, join, num, pct, points
from analysis.words.glossary import in_sentence, term
from analysis.words.lang import check_lang, pick
from analysis.words.reasons import reason_text

PARTS = ("gaps", "trend", "drivers", "ipa", "complaints")

#: Glossary keys of the complaint groups (COMPLAINT_GROUPS).
GROUP_TERMS = {"none": "no_complaint", "resolved_30d": "resolved_30d", "unresolved": "unresolved_complaint"}


def category_label(key, lang: str = "zh") -> str:
    """Term of a complaint category, channel or complaint group."""
    key = str(key)
    return term(GROUP_TERMS.get(key, key), lang)


def _terms(attributes, lang: str) -> str:
    return join([term(a, lang) for a in attributes], lang)


def describe_satisfaction(
    satisfaction: SatisfactionResult | SatisfactionSection | Skipped | None, lang: str = "zh", part: str | None = None
) -> list[str]:
    """Sentences on this branch's satisfaction: one part (`PARTS`) or all of them."""
    if part is not None and part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    check_lang(lang)
    result = satisfaction if isinstance(satisfaction, SatisfactionResult) else None
    section = satisfaction.section() if result is not None else satisfaction
    if section is None:
        return []
    out: list[str] = []
    for p in PARTS if part is None else (part,):
        if p == "gaps":
            out += _gaps(section, result, lang)
        elif p == "drivers" and isinstance(section, SatisfactionSection):
            out += _drivers(section, result, lang)
        elif p == "trend" and result is not None:
            out += _trend(result.nps_trend(), lang)
        elif p == "ipa" and result is not None and result.ok:
            out += describe_ipa(result.ipa(), lang, getattr(section, "drivers_reason", None))
        elif p == "complaints" and result is not None:
            out += _complaints(result, lang)
    return out


def _gaps(section: SatisfactionSection | Skipped, result: SatisfactionResult | None, lang: str) -> list[str]:
    if isinstance(section, Skipped):
        return [pick(lang, "满意度部分未计算：", "Satisfaction not computed: ") + reason_text(section.reason, lang)]
    gaps = {a: g for a, g in section.cs_gap.items() if is_number(g)}
    n, cs, score = section.responses, section.cs_overall, section.nps
    out = [
        pick(
            lang,
            f"窗口期内共{num(n)}份问卷。满意度缺口 = 感知 − 期望（7分制）：小于0表示服务未达到客户期望，大于0表示超出期"
            "望。",
            f"{num(n)} survey responses fall in the window. The satisfaction gap is perceived − expected on a 7-point "
            "scale: below 0 the branch falls short of what customers expect, above 0 it exceeds it.",
        )
    ]
    identical = result is not None and identical_answers(result.responses)
    if identical:
        out.append(
            pick(
                lang,
                f"所有{num(n)}份问卷的期望与感知评分完全相同：各项之间、客户之间都没有差异，下面的缺口只是同一个答案。",
                f"All {num(n)} responses give exactly the same expectations and ratings: nothing differs between "
                "attributes or customers, so the gaps below are one answer repeated.",
            )
        )
    if gaps and gaps_equal(gaps):
        g = points(next(iter(gaps.values())))
        out.append(
            pick(
                lang,
                f"八项缺口全部相同（均为{g}分）：没有差距最大或表现最好的一项。",
                f"All eight gaps are the same ({g} points): no attribute falls furthest short or does best.",
            )
        )
    elif gaps:
        worst, best = min(gaps, key=gaps.get), max(gaps, key=gaps.get)
        w, b = points(gaps[worst]), points(gaps[best])
        out.append(
            pick(
                lang,
                f"八项平均缺口为{points(cs)}分；差距最大的是{term(worst, lang)}（{w}分），表现最好的是"
                f"{term(best, lang)}（{b}分）。",
                f"The average of the eight gaps is {points(cs)} points; the widest shortfall is {term(worst, lang)} "
                f"({w}), the best {term(best, lang)} ({b}).",
            )
        )
    if result is not None and result.gaps is not None and not identical:
        table = result.gaps.sort_values("gap")
        level = pct(1 - result.alpha, 0)
        below, above = clearly_below(table), clearly_above(table)
        if below:
            out.append(
                pick(
                    lang,
                    f"{level}置信区间整体低于0、可以确定未达期望的项目：{_terms(below, lang)}。",
                    f"Clearly below expectations ({level} interval entirely below 0): {_terms(below, lang)}.",
                )
            )
        if above:
            out.append(
                pick(
                    lang,
                    f"确定超出期望的项目：{_terms(above, lang)}。",
                    f"Clearly above expectations: {_terms(above, lang)}.",
                )
            )
    if is_number(score):
        out.append(
            pick(
                lang,
                f"{term('NPS', lang)}（推荐者占比 − 贬损者占比，×100）为{points(score, 1)}"
                f"{'：推荐者多于贬损者' if score > 0 else '：贬损者不少于推荐者'}。",
                f"The {term('NPS', lang)} (share of promoters − share of detractors, × 100) is {points(score, 1)}"
                + (
                    ": promoters outnumber detractors."
                    if score > 0
                    else ": detractors are at least as many as promoters."
                ),
            )
        )
    return out


def _trend(nps_q: pd.DataFrame, lang: str) -> list[str]:
    """Sentences on the quarterly NPS and average gap."""
    if len(nps_q) < 2:
        return [pick(lang, "季度数不足，无法看趋势。", "Too few quarters to show a trend.")]
    first, last = nps_q.iloc[0], nps_q.iloc[-1]
    d_nps, d_cs = last["nps"] - first["nps"], last["cs_overall"] - first["cs_overall"]
    q0, q1 = first["quarter"], last["quarter"]
    nps0, nps1, cs0, cs1 = (
        points(first["nps"], 1),
        points(last["nps"], 1),
        points(first["cs_overall"]),
        points(last["cs_overall"]),
    )
    return [
        pick(
            lang,
            f"从{q0}到{q1}，{term('NPS', lang)}由{nps0}变为{nps1}（{points(d_nps, 1)}），"
            f"平均满意度缺口由{cs0}变为{cs1}（{points(d_cs)}分）。",
            f"From {q0} to {q1} the {term('NPS', lang)} moved from {nps0} to {nps1} ({points(d_nps, 1)}) and the "
            f"average gap from {cs0} to {cs1} ({points(d_cs)} points).",
        ),
        pick(
            lang,
            "单个季度样本较小，区间较宽；区间重叠时，变化可能只是抽样波动。",
            "Single quarters are small samples with wide intervals; where intervals overlap a change may be sampling "
            "noise.",
        ),
    ]


def _drivers(section: SatisfactionSection, result: SatisfactionResult | None, lang: str) -> list[str]:
    """Sentences on the OLS drivers of overall satisfaction."""
    drivers = section.drivers
    if not drivers:
        return [
            pick(
                lang,
                "未估计满意度驱动因素（回归系数）：",
                "The drivers of satisfaction (regression coefficients) are not estimated: ",
            )
            + drivers_dropped(section.drivers_reason, lang)
        ]
    fit = ""
    table = result.drivers if result is not None else None
    if table is not None:
        n, r2 = num(table.attrs["n"]), pct(table.attrs["r_squared"], 0)
        fit = pick(
            lang,
            f"模型基于{n}份完整问卷，解释了总体满意度差异的{r2}。",
            f" Fitted on {n} complete responses, the model explains {r2} of the variation in overall satisfaction.",
        )
    top = max(drivers, key=lambda a: drivers[a].estimate)
    e = drivers[top]
    span = interval(e.ci_low, e.ci_high, lang)
    out = [
        pick(
            lang,
            "回归系数（最小二乘）：在其他七项不变时，某项感知评分每提高1分，总体满意度（10分制）平均变化的分数。",
            "Regression coefficient (least squares): the change in overall satisfaction (1–10) for one more point on "
            "an attribute's rating, the other seven held fixed.",
        )
        + fit,
        pick(
            lang,
            f"影响最大的是{term(top, lang)}：每提高1分，总体满意度约提高{num(e.estimate, 2)}分（{span}）。",
            f"The largest is {term(top, lang)}: one more point lifts overall satisfaction by about "
            f"{num(e.estimate, 2)} ({span}).",
        ),
    ]
    alpha = result.alpha if result is not None else 0.05
    sig = clear_drivers(drivers, alpha)
    if sig:
        out.append(
            pick(
                lang,
                f"统计上确定有正向作用的因素：{_terms(sig, lang)}。",
                f"Clearly positive drivers: {_terms(sig, lang)}.",
            )
        )
    return out


def drivers_dropped(reason: dict | None, lang: str = "zh") -> str:
    """Why the drivers (and the relative weights) are missing (`satisfaction.drivers_reason`), one sentence."""
    r = reason or {}
    kind = r.get("kind")
    if kind == "too_few":
        n, needed = num(r.get("complete", 0)), num(r.get("needed", 0))
        out = pick(
            lang,
            f"完整问卷太少（n = {n} < {needed}：截距加八项评分至少需要{needed}份完整问卷）",
            f"too few complete responses (n = {n} < {needed}: the intercept and eight ratings need {needed})",
        )
        if r.get("blank"):
            blank, total, share = num(r["blank"]), num(r.get("responses", 0)), pct(r.get("blank_share", 0), 0)
            out += pick(
                lang,
                f"；{total}份问卷中有{blank}份至少一项评分或总体满意度空缺（这些答案中{share}为空）",
                f"; {blank} of {total} responses leave a rating or overall satisfaction blank ({share} of those "
                "answers are blank)",
            )
    elif kind == "identical":
        out = pick(
            lang,
            f"全部{num(r.get('complete', 0))}份完整问卷的答案完全相同，无从比较",
            f"all {num(r.get('complete', 0))} complete responses give the same answers: nothing to relate",
        )
    elif kind == "constant":
        names = _terms(r.get("attributes") or [], lang)
        out = pick(
            lang,
            f"{names}在每份完整问卷中评分都相同，无法识别其作用",
            f"{names} is rated the same in every complete response: its effect is not identified",
        )
    elif kind == "collinear":
        out = pick(
            lang,
            "各项评分共线（某项是其他几项的组合），无法分开识别各自的作用",
            "the ratings are collinear (one is a combination of the others): their separate effects are not identified",
        )
    else:
        out = pick(lang, "回归无法拟合", "the regression could not be fitted")
    return out + pick(lang, "。", ".")


def describe_ipa(ipa: pd.DataFrame | None, lang: str = "zh", reason: dict | None = None) -> list[str]:
    """Sentences on the importance–performance matrix: what to fix first
    (`reason`: why the weights are missing, when known: `drivers_reason`)."""
    if ipa is None:
        if reason:
            return [
                pick(lang, "无法计算相对重要性：", "Relative importance is not computed: ")
                + drivers_dropped(reason, lang)
            ]
        return [pick(lang, "样本不足，无法计算相对重要性。", "Too few responses to compute relative importance.")]
    by_q = {q: [a for a in ipa.index if ipa.loc[a, "quadrant"] == q] for q in QUADRANTS}
    fix = sorted(by_q["fix_first"], key=lambda a: -ipa.loc[a, "importance"])
    t = {q: term(q, lang) for q in QUADRANTS}
    out = [
        pick(
            lang,
            "相对重要性（Johnson相对权重）：把模型能解释的满意度差异分摊给八项属性，即使属性之间高度相关也不会互相“抢功”，八项合计100%。",
            "Relative importance (Johnson's relative weights) shares the variation in satisfaction that the model "
            "explains among the eight attributes, fairly even when they move together; the eight add up to 100 %.",
        ),
        pick(
            lang,
            f"按重要性和表现（平均感知分）各自的平均线划分四个象限：{t['fix_first']}（重要但表现偏低）、"
            f"{t['keep_up']}（重要且表现好）、{t['low_priority']}、{t['possible_overkill']}（不太重要但表现好）。",
            f"Split at the average importance and the average performance (mean perception): {t['fix_first']} "
            f"(important, below-average performance), {t['keep_up']} (important, performing), "
            f"{t['low_priority']}, {t['possible_overkill']} (less important, performing well).",
        ),
    ]
    if fix:
        items = [
            pick(
                lang,
                f"{term(a, lang)}（重要性{pct(ipa.loc[a, 'importance'], 0)}，表现{num(ipa.loc[a, 'performance'], 2)}"
                "分）",
                f"{term(a, lang)} (importance {pct(ipa.loc[a, 'importance'], 0)}, performance "
                f"{num(ipa.loc[a, 'performance'], 2)})",
            )
            for a in fix
        ]
        out.append(
            pick(
                lang,
                f"{t['fix_first']}：{join(items, lang)}，应作为服务改进的首要对象。",
                f"{t['fix_first']}: {join(items, lang)}: the first service improvements to make.",
            )
        )
    else:
        out.append(pick(lang, f"没有属性落在{t['fix_first']}象限。", f"No attribute falls in {t['fix_first']}."))
    if by_q["keep_up"]:
        out.append(f"{t['keep_up']}{pick(lang, '：', ': ')}{_terms(by_q['keep_up'], lang)}{pick(lang, '。', '.')}")
    if by_q["possible_overkill"]:
        out.append(
            pick(
                lang,
                f"{t['possible_overkill']}：{_terms(by_q['possible_overkill'], lang)}，可考虑把资源转向优先改进项。",
                f"{t['possible_overkill']}: {_terms(by_q['possible_overkill'], lang)}; resources could move to the "
                "fix-first items.",
            )
        )
    return out


def _complaints(result: SatisfactionResult, lang: str) -> list[str]:
    if not result.has_interactions:
        return [pick(lang, "没有 interactions 表，投诉分析跳过。", "No interactions table: complaints skipped.")]
    return describe_complaints(
        result.complaint_summary(),
        result.complaint_summary("category"),
        result.linked,
        lang,
        result.unresolved_days,
        result.assumptions.window_months,
    )


def describe_complaints(
    overall: pd.DataFrame,
    by_category: pd.DataFrame,
    linked: pd.DataFrame | None,
    lang: str = "zh",
    days: int = 30,
    months: int = 12,
) -> list[str]:
    """Sentences on complaint volume, resolution within `days` and the link to satisfaction
    (complaints of the `months` months before an answer: the window's length)."""
    if overall.empty or overall["complaints"].iloc[0] == 0:
        return [pick(lang, "窗口期内没有投诉记录。", "No complaints in the window.")]
    o = overall.iloc[0]
    top = by_category.index[0]
    worst = by_category["resolved_30d"].idxmin()
    n, share = num(o["complaints"]), pct(by_category.loc[top, "share"], 0)
    resolved, median = pct(o["resolved_30d"], 0), num(o["median_days_to_resolve"], 0)
    score, worst_rate = num(o["resolution_score"], 1), pct(by_category.loc[worst, "resolved_30d"], 0)
    out = [
        pick(
            lang,
            f"窗口期内共{n}条投诉，最多的是“{category_label(top, lang)}”（{share}）；{resolved}在{days}天内解决，"
            f"解决时间中位数{median}天，客户对处理结果平均打分{score}（5分制）。"
            f"{days}天内解决率最低的是“{category_label(worst, lang)}”（{worst_rate}）。",
            f"{n} complaints in the window, most about {category_label(top, lang)} ({share}); {resolved} were resolved "
            f"within {days} days, the median time to resolve was {median} days and customers rated the resolution "
            f"{score} of 5 on average. The lowest {days}-day resolution rate is for {category_label(worst, lang)} "
            f"({worst_rate}).",
        )
    ]
    diff = complaint_difference(linked)
    if diff is not None:
        d, unsure = diff
        k = num(linked.loc["unresolved", "n"])
        out.append(
            pick(
                lang,
                f"答卷前{months}个月内有未及时解决投诉的客户（{k}人），总体满意度比没有投诉的客户"
                f"{'低' if d < 0 else '高'}{num(abs(d), 2)}分（10分制）"
                + ("；但人数少、区间宽，这一差异在统计上还不确定。" if unsure else "。"),
                f"Respondents with a complaint left unresolved past {days} days in the {months} months before "
                "answering "
                f"({k}) rate overall satisfaction {num(abs(d), 2)} points {'lower' if d < 0 else 'higher'} (of 10) "
                "than those without complaints"
                + (
                    "; with so few of them the interval is wide and the difference is not yet certain."
                    if unsure
                    else "."
                ),
            )
        )
    return out


# ---------------------------------------------------------------------------
# Titles of the figures


def gaps_title(gaps: pd.DataFrame, lang: str = "zh") -> str:
    worst = term(gaps["gap"].idxmin(), lang)
    return pick(lang, f"{worst}离客户期望最远", f"{worst} falls furthest short of expectations")


def gap_trend_title(lang: str = "zh") -> str:
    return pick(lang, "各项满意度缺口的季度走势", "How each satisfaction gap moved by quarter")


def nps_trend_title(trend: pd.DataFrame, lang: str = "zh") -> str:
    last = points(trend["nps"].iloc[-1], 0) if len(trend) else "—"
    return pick(lang, f"最近一季{term('NPS', lang)}为{last}", f"The latest quarter's {term('NPS', lang)} is {last}")


def drivers_title(drivers: pd.DataFrame, lang: str = "zh") -> str:
    top = term(drivers["estimate"].idxmax(), lang)
    return pick(lang, f"{top}对总体满意度的拉动最大", f"{top} lifts overall satisfaction the most")


def ipa_title(ipa: pd.DataFrame, lang: str = "zh") -> str:
    fix = [term(a, lang) for a in ipa.index[ipa["quadrant"] == "fix_first"]]
    if not fix:
        return pick(lang, "没有需要优先改进的属性", "Nothing falls in fix first")
    return pick(lang, f"优先改进：{'、'.join(fix)}", f"Fix first: {', '.join(fix)}")


def complaints_title(by_category: pd.DataFrame, lang: str = "zh") -> str:
    top = category_label(by_category["complaints"].idxmax(), lang)
    return pick(lang, f"投诉最多的是“{top}”", f"Most complaints are about {in_sentence(top)}")


def complaint_link_title(linked: pd.DataFrame, lang: str = "zh") -> str:
    if linked.loc["unresolved", "overall_satisfaction"] < linked.loc["none", "overall_satisfaction"]:
        return pick(lang, "投诉未及时解决的客户满意度更低", "Customers with unresolved complaints are less satisfied")
    return pick(lang, "投诉经历与满意度", "Complaints and satisfaction")
