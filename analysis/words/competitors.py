"""Competitor positioning in words (`analysis.questions.competitors`), for the notebook and the briefing.

`describe_competitors(competitors, lang, part=None, home_bank=None)` reads
either the whole `CompetitorsResult` (the notebook) or only the
`CompetitorsSection` of results.json with the home bank's name (the
briefing). Parts, in order (`PARTS`): "market" (shares and ground gained or
lost), "positioning" (ratings against the competitors), "choice" (what moves
the choice of primary bank) and "switching" (where leavers went). Titles of
the competitor figures are here too.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.questions.competitors import (
    UNKNOWN,
    CompetitorsResult,
    CompetitorsSection,
    choice_priorities,
    ground,
    means_frame,
    rating_gaps,
    unmatched_reason,
)
from analysis.sections import Skipped
from analysis.words.format import interval, join, num, pct, points, pp, times
from analysis.words.glossary import in_sentence, term
from analysis.words.lang import pick
from analysis.words.names import bank_name
from analysis.words.reasons import reason_text, table_words, unmatched_words

PARTS = ("market", "positioning", "choice", "switching")


def describe_competitors(
    competitors: CompetitorsResult | CompetitorsSection | Skipped | None,
    lang: str = "zh",
    part: str | None = None,
    home_bank: str | None = None,
) -> list[str]:
    """Sentences on the branch's market and competitors: one part (`PARTS`) or all of them."""
    if part is not None and part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    result = competitors if isinstance(competitors, CompetitorsResult) else None
    section = competitors.section() if result is not None else competitors
    home = result.home_bank if result is not None else home_bank
    out: list[str] = []
    for p in PARTS if part is None else (part,):
        if p == "switching" and result is not None:
            out += describe_switching(result.by_segment, lang)
        elif not isinstance(section, CompetitorsSection):
            continue
        elif p == "switching":
            out += _destinations(section.switching_destinations, lang)
        elif p == "market":
            out += _market(section, home, lang)
        elif p == "positioning" and section.attribute_means:
            out += _positioning(means_frame(section.attribute_means), home, lang)
        elif p == "choice" and section.attribute_means:
            priorities = None
            if section.choice_drivers and home:
                alpha = result.assumptions.alpha if result is not None else 0.05
                priorities = choice_priorities(
                    section.choice_drivers, means_frame(section.attribute_means), home, alpha
                )
            out += describe_choice(priorities, home or "", lang, section.choice_reason)
    return out


def skipped_words(section: Skipped, lang: str = "zh") -> str:
    return pick(lang, "竞争分析跳过：", "Competitor section skipped: ") + reason_text(section.reason, lang)


def missing_table_words(table: str, lang: str = "zh", unmatched: dict | None = None) -> str:
    """What the notebook says when a market table is missing, or has rows of
    other cities only (`unmatched`: its `Bank.unmatched_cities` note)."""
    what = {"market_share": ("市场份额", "market share"), "market_survey": ("定位分析", "positioning")}[table]
    if unmatched:
        reason = unmatched_words(unmatched_reason(table, unmatched), lang)
        return pick(lang, f"{what[0]}跳过：{reason}。", f"{what[1].capitalize()} skipped: {reason}.")
    name = table_words(table, lang)
    return pick(
        lang, f"未提供{name}，{what[0]}跳过。", f"{name[:1].upper()}{name[1:]} was not provided: {what[1]} skipped."
    )


def _rank(shares: dict, bank: str) -> int:
    return sorted(shares, key=lambda b: -shares[b]).index(bank) + 1


def _market(s: CompetitorsSection, home: str | None, lang: str) -> list[str]:
    """The home bank's share of deposits and loans, and the ground it gained or lost."""
    dep, loan = s.deposit_share or {}, s.loan_share or {}
    if not dep:
        return []
    if not home:
        return [
            pick(
                lang,
                "结果中未注明本行在市场数据中的名称，以下按各行列示。",
                "The results do not name the home bank in the market data; banks are listed as they are.",
            )
        ]
    if home not in dep:
        return [
            pick(
                lang,
                f"{home}不在{s.period}的市场份额数据中。",
                f"{home} is not in the market-share data of {s.period}.",
            )
        ]
    leader = max(dep, key=dep.get)
    loan_zh = f"，贷款份额为{pct(loan[home])}" if home in loan else ""
    loan_en = f" and {pct(loan[home])} of its loans" if home in loan else ""
    out = [
        pick(
            lang,
            f"截至{s.period}，{home}在本市存款份额为{pct(dep[home])}（{len(dep)}家中排第{_rank(dep, home)}）{loan_zh}；"
            f"存款份额最高的是{leader}（{pct(dep[leader])}）。",
            f"On {s.period} {home} held {pct(dep[home])} of the city's deposits (rank {_rank(dep, home)} of "
            f"{len(dep)}){loan_en}; the deposit leader is {leader} ({pct(dep[leader])}).",
        )
    ]
    moved = ground(s.deposit_share_change_4q or {}, home)
    if moved is not None:
        lost, gained = moved
        d = pp(s.deposit_share_change_4q[home], lang, signed=True)
        parts_zh = [
            f"相对{join(lost, 'zh')}失去了份额" if lost else "",
            f"相对{join(gained, 'zh')}赢得了份额" if gained else "",
        ]
        parts_en = [
            f"It lost ground to {join(lost, 'en')}" if lost else "",
            f"it gained ground on {join(gained, 'en')}" if gained else "",
        ]
        out.append(
            pick(
                lang,
                f"过去四个季度本行存款份额变化{d}。"
                + "；".join(p for p in parts_zh if p)
                + ("。" if lost or gained else ""),
                f"Over four quarters the home bank's deposit share moved {d}."
                + ("" if not (lost or gained) else " " + "; ".join(p for p in parts_en if p) + "."),
            )
        )
    return out


def _positioning(means: pd.DataFrame, home: str | None, lang: str) -> list[str]:
    """Where the home bank leads and trails the competitors' average rating."""
    gaps = rating_gaps(means, home) if home else None
    if gaps is None:
        return [pick(lang, f"市场调查中没有{home}的评分。", f"The market survey has no ratings of {home}.")]
    g = gaps["gap"]
    lead = g[g > 0].sort_values(ascending=False).index.tolist()
    trail = g[g < 0].sort_values().index.tolist()

    def items(attrs):
        return [
            pick(
                lang,
                f"{term(a, lang)}（{points(g[a])}分，排第{int(gaps.loc[a, 'rank'])}）",
                f"{term(a, lang)} ({points(g[a])}, rank {int(gaps.loc[a, 'rank'])})",
            )
            for a in attrs
        ]

    out = []
    if lead:
        out.append(
            pick(
                lang,
                f"{home}领先同业平均的属性：{join(items(lead), lang)}。",
                f"{home} rates above the competitors' average on {join(items(lead), lang)}.",
            )
        )
    if trail:
        out.append(
            pick(
                lang, f"落后于同业平均的属性：{join(items(trail), lang)}。", f"It trails on {join(items(trail), lang)}."
            )
        )
    return out


def describe_choice(
    priorities: pd.DataFrame | None, home_bank: str, lang: str = "zh", reason: str | None = None
) -> list[str]:
    """Plain words for the conditional logit: what moves choice, where the home bank is weak
    (`reason`: why the model was not fitted, `CompetitorsSection.choice_reason`)."""
    if priorities is None and reason:
        return [
            pick(
                lang,
                f"未估计选择主办银行的驱动因素：{reason_text(reason, lang)}。",
                f"What drives the choice of primary bank is not estimated: {reason_text(reason, lang)}.",
            )
        ]
    if priorities is None:
        return [
            pick(
                lang,
                "市场调查样本不足，无法估计选择主办银行的驱动因素。",
                "Too few market-survey answers to estimate what drives the choice of primary bank.",
            )
        ]
    top = priorities.index[0]
    r = priorities.loc[top]
    weak = priorities[priorities["weak_on_what_matters"]]
    primary = term("primary bank", lang)
    span = interval(math.exp(r["ci_low"]), math.exp(r["ci_high"]), lang)
    out = [
        pick(
            lang,
            f"条件logit模型比较每位受访者了解的几家银行，看哪家被选为{primary}：系数表示某项评分每高1分，被选中的几率（优势）乘以exp(系数)。",
            "A conditional logit compares the banks each respondent knows and asks which one became their "
            f"{in_sentence(primary)}: for one more rating point on an attribute, the odds of being chosen multiply by "
            "exp(coefficient).",
        ),
        pick(
            lang,
            f"对{primary}选择影响最大的是{term(top, lang)}：评分每高1分，被选为主办银行的几率约为原来的"
            f"{times(r['odds_multiplier'], lang)}（{span}）。",
            f"{term(top, lang)} moves the choice of primary bank most: one more point multiplies the odds of being "
            f"chosen by {num(r['odds_multiplier'], 2)} ({span}).",
        ),
    ]
    if len(weak):
        items = [
            pick(
                lang,
                f"{term(a, lang)}（{points(weak.loc[a, 'gap'])}分）",
                f"{term(a, lang)} ({points(weak.loc[a, 'gap'])})",
            )
            for a in weak.index
        ]
        out.append(
            pick(
                lang,
                f"{home_bank}在这些客户看重的属性上低于同业平均：{join(items, lang)}，是争夺主办银行地位的短板。",
                f"{home_bank} rates below the competitors' average on attributes that clearly matter: "
                f"{join(items, lang)}: its weak spots in the fight for primary-bank status.",
            )
        )
    else:
        out.append(
            pick(
                lang,
                f"{home_bank}在显著影响选择的属性上没有低于同业平均。",
                f"{home_bank} is not below the competitors' average on any attribute that clearly matters.",
            )
        )
    return out


def _destinations(dest: dict[str, int], lang: str) -> list[str]:
    """Where leavers went, from the section's counts of known destinations."""
    if not dest:
        return []
    known = sum(dest.values())
    top = sorted(dest, key=lambda b: -dest[b])[:3]
    listed = join([pick(lang, f"{b}{num(dest[b])}名", f"{b} {num(dest[b])}") for b in top], lang)
    return [
        pick(
            lang,
            f"近12个月销户客户的去向（已知者{num(known)}名）：{listed}。",
            f"Where leavers of the last 12 months went ({num(known)} known): {listed}.",
        )
    ]


def describe_switching(by_segment: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Sentences on where leavers went, by segment."""
    total = int(by_segment.to_numpy().sum()) if by_segment.size else 0
    if total == 0:
        return [pick(lang, "窗口期内没有销户客户。", "No customer closed in the window.")]
    known = by_segment.drop(columns=[UNKNOWN], errors="ignore")
    out = []
    if known.size and known.to_numpy().sum() > 0:
        dest = known.sum().sort_values(ascending=False)
        share = pct(dest.iloc[0] / known.to_numpy().sum(), 0)
        out.append(
            pick(
                lang,
                f"窗口期内{num(total)}名客户销户；已知去向中，{dest.index[0]}吸走最多（{num(dest.iloc[0])}人，{share}）。",
                f"{num(total)} customers closed in the window; of known destinations, {dest.index[0]} took the most "
                f"({num(dest.iloc[0])}, {share}).",
            )
        )
        seg_top = known.sum(axis=1).sort_values(ascending=False)
        s = seg_top.index[0]
        out.append(
            pick(
                lang,
                f"流失最多的客群是{term(s, lang)}（{num(seg_top.iloc[0])}人），主要流向{known.loc[s].idxmax()}。",
                f"The segment losing most is {term(s, lang)} ({num(seg_top.iloc[0])}), mostly to "
                f"{known.loc[s].idxmax()}.",
            )
        )
    return out


# ---------------------------------------------------------------------------
# Titles of the figures


def share_trend_title(history: pd.DataFrame, home_bank: str, kind: str = "deposit", lang: str = "zh") -> str:
    """How the home bank's share of deposits (or loans) moved since the first quarter shown."""
    what = term("deposits" if kind == "deposit" else "loans", lang)
    what = pick(lang, what, in_sentence(what))
    h = history[history["bank"] == home_bank].sort_values("period")
    if len(h) < 2:
        return pick(lang, f"本市{what}份额", f"Share of the city's {what}")
    d = h[f"{kind}_share"].iloc[-1] - h[f"{kind}_share"].iloc[0]
    first, moved = h["period"].iloc[0], pp(abs(d), lang, 1)
    return pick(
        lang,
        f"{home_bank}{what}份额{first:%Y年%m月}以来{'上升' if d >= 0 else '下降'}{moved}",
        f"{bank_name(home_bank, lang, short=True)}'s share of {what} {'rose' if d >= 0 else 'fell'} {moved} since "
        f"{first:%b %Y}",
    )


def share_axis_label(kind: str = "deposit", lang: str = "zh") -> str:
    what = term("deposits" if kind == "deposit" else "loans", lang)
    return pick(lang, f"{what}市场份额", f"Share of {in_sentence(what)}")


def head_to_head_title(h2h: pd.DataFrame, lang: str = "zh") -> str:
    worst = h2h["home_net_deposit"].idxmin()
    if h2h.loc[worst, "home_net_deposit"] < 0:
        return pick(
            lang,
            f"过去四个季度，本行对{worst}的存款份额失地最多",
            f"Over four quarters the home bank lost most deposit ground to {bank_name(worst, lang, short=True)}",
        )
    return pick(
        lang,
        "过去四个季度本行对各竞争对手的份额得失",
        "Home bank's share gains against each competitor over four quarters",
    )


def perceptual_map_title(lang: str = "zh") -> str:
    name = term("perceptual map", lang)
    return pick(
        lang, f"{name}：靠近箭头方向的银行在该属性上评价更高", f"{name}: banks toward an arrow rate higher on it"
    )


def gap_heatmap_title(gaps: pd.DataFrame, lang: str = "zh") -> str:
    worst = gaps.loc[gaps["gap"].idxmin()] if gaps["gap"].notna().any() else None
    if worst is None or not worst["gap"] < 0:
        return pick(lang, "本行与各竞争对手的评分差", "Home bank's rating gap to each competitor")
    a, g = term(worst["attribute"], lang), num(abs(worst["gap"]), 2)
    c = bank_name(str(worst["competitor"]), lang, short=True)
    return pick(lang, f"本行最大的短板：{a}落后{c} {g}分", f"Widest shortfall: {a}, {g} points behind {c}")


def choice_title(priorities: pd.DataFrame, lang: str = "zh") -> str:
    top = term(priorities["coef"].idxmax(), lang)
    return pick(lang, f"{top}最能决定客户选谁做主办银行", f"{top} decides the choice of primary bank most")


def switching_title(by_segment: pd.DataFrame, lang: str = "zh") -> str:
    known = by_segment.drop(columns=[UNKNOWN], errors="ignore")
    if known.size and known.to_numpy().sum() > 0:
        top = known.sum().idxmax()
        return pick(lang, f"流失客户去得最多的是{top}", f"Most leavers went to {bank_name(top, lang, short=True)}")
    return pick(lang, "流失客户去向", "Where leavers went")


def destination_label(bank: str, lang: str = "zh") -> str:
    return term(UNKNOWN, lang) if bank == UNKNOWN else bank_name(bank, lang, short=True)


def explained_labels(explained: np.ndarray, lang: str = "zh") -> tuple[str, str]:
    """The perceptual map's axis labels with the share of between-bank variance each carries."""
    a, b = pct(explained[0], 0), pct(explained[1], 0)
    return (
        pick(lang, f"第一维（解释{a}的银行间差异）", f"Axis 1 ({a} of the differences between banks)"),
        pick(lang, f"第二维（解释{b}）", f"Axis 2 ({b})"),
    )
