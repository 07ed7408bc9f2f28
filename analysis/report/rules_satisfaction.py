"""Recommendation rules on satisfaction: the attribute to fix first, the net promoter score."""

from __future__ import annotations

from analysis.questions.satisfaction import gaps_equal
from analysis.report import paths, stakes
from analysis.report.rulebase import ATTRIBUTE_ACTIONS, MAY, Evidence, Rule, Stake, attr_label, attribute_action
from analysis.words.format import num
from analysis.words.glossary import in_sentence, term
from analysis.words.lang import pick

#: The close reasons a rated attribute stands behind (the profit at stake of a gap).
ATTRIBUTE_REASONS: dict[str, tuple[str, ...]] = {
    "service_quality": ("service_quality",),
    "staff_attitude": ("service_quality",),
    "timeliness": ("service_quality",),
    "convenience": ("convenience",),
    "digital_experience": ("convenience",),
    "product_quality": ("product",),
    "fees_value": ("fees", "competitor_offer"),
}


def attribute_stake(ctx, attribute: str) -> Stake | None:
    """The yearly profit of the leavers who gave the reason an attribute stands behind."""
    reasons = ATTRIBUTE_REASONS.get(attribute)
    got = stakes.leavers(ctx.results, reasons) if reasons else None
    if not got or not got[0]:
        return None
    n, rev = got
    lang = ctx.lang
    names = pick(
        lang, "、".join(term(r, lang) for r in reasons), ", ".join(in_sentence(term(r, lang)) for r in reasons)
    )
    return Stake(
        rev,
        how=pick(
            lang,
            f"近12个月因“{names}”销户的{num(n)}名客户离开前一年的利润（假定改进能留住他们）",
            f"the yearly profit of the {num(n)} customers who left over “{names}” in the last 12 months (if fixing it "
            "keeps them)",
        ),
    )


# --- satisfaction ------------------------------------------------------------


class FixFirst(Rule):
    """The attribute with the worst gap weighted by its pull on satisfaction."""

    id = "satisfaction.fix_first"
    section = "satisfaction"
    figure_hints = ("satisfaction_ipa", "satisfaction_gaps", "satisfaction_gap")

    def __init__(self, threshold: float = -0.5):
        self.threshold = threshold

    def fire(self, ctx):
        gaps = paths.get(ctx.results, "satisfaction.cs_gap") or {}
        drivers = paths.get(ctx.results, "satisfaction.drivers") or {}
        gaps = {a: g for a, g in gaps.items() if isinstance(g, (int, float)) and a in ATTRIBUTE_ACTIONS}
        if not gaps:
            return []

        def importance(a: str) -> float:
            d = drivers.get(a)
            if not drivers:
                return 1.0  # no driver model: the gap alone decides
            return max(0.0, d.get("estimate", 0.0)) if isinstance(d, dict) else 0.0

        candidates = {a: -g * importance(a) for a, g in gaps.items() if g < self.threshold}
        candidates = {a: s for a, s in candidates.items() if s > 0}
        if not candidates:
            return []
        a = max(candidates, key=candidates.get)
        g = gaps[a]
        lang = ctx.lang
        d = drivers.get(a) if isinstance(drivers.get(a), dict) else None
        worst = min(gaps, key=gaps.get)
        why = ""
        if d is not None:
            why = pick(
                lang,
                f"该项感知每提高1分，总体满意度（10分制）平均提高{d['estimate']:.2f}分。",
                f" Each point of perception on it adds {d['estimate']:.2f} points of overall satisfaction (out of 10).",
            )
        rank = (
            pick(lang, "，是八项中差距最大的一项", ", the widest gap of the eight")
            if worst == a and not gaps_equal(gaps)
            else ""
        )
        return [
            self.make(
                ctx,
                cites=f"satisfaction.cs_gap.{a}",
                stake=attribute_stake(ctx, a),
                confidence=MAY,
                supporting=[f"satisfaction.drivers.{a}.estimate", "satisfaction.cs_overall"],
                headline=pick(lang, f"优先改进：{attr_label(a, lang)}", f"Fix first: {attr_label(a, lang)}"),
                finding=pick(
                    lang,
                    f"客户对{attr_label(a, lang)}的感知比期望低{-g:.2f}分（7分制）{rank}。",
                    f"Customers rate {in_sentence(attr_label(a, lang))} {-g:.2f} points below what they expect (on "
                    f"7){rank}.",
                )
                + why,
                recommendation=pick(lang, "优先", "First, ") + attribute_action(a, lang) + pick(lang, "。", "."),
                evidence=Evidence(
                    title=pick(
                        lang, "满意度缺口：感知 − 期望（分）", "Satisfaction gap: perceived − expected (points)"
                    ),
                    labels=tuple(attr_label(x, lang) for x in gaps),
                    values=tuple(gaps.values()),
                    highlight=list(gaps).index(a),
                    reference=0.0,
                    unit="points",
                ),
            )
        ]


class LowNps(Rule):
    id = "satisfaction.nps"
    section = "satisfaction"
    figure_hints = ("satisfaction_nps_trend", "satisfaction_nps")

    def __init__(self, threshold: float = 30.0):
        self.threshold = threshold

    def fire(self, ctx):
        nps = paths.number(ctx.results, "satisfaction.nps")
        if nps is None or nps >= self.threshold:
            return []
        lang = ctx.lang
        return [
            self.make(
                ctx,
                cites="satisfaction.nps",
                stake=None,
                supporting=["satisfaction.responses"],
                headline=pick(lang, "愿意推荐本行的客户不多", "Few customers would recommend the bank"),
                finding=pick(
                    lang,
                    f"{term('NPS', lang)}为{nps:.0f}（愿意推荐者比例减去贬损者比例），低于{self.threshold:.0f}。",
                    f"The {in_sentence(term('NPS', lang))} is {nps:.0f} (share of promoters minus share of "
                    f"detractors), below {self.threshold:.0f}.",
                ),
                recommendation=pick(
                    lang,
                    "每次调查后一周内回访打0–6分的客户，了解不满并当面处理，下一季度复查净推荐值。",
                    "Call back every customer who scored 0–6 within a week of the survey, deal with the complaint in "
                    "person, and check the score again next quarter.",
                ),
                evidence=Evidence(
                    title=term("NPS", lang),
                    labels=(term("NPS", lang),),
                    values=(nps,),
                    highlight=0,
                    reference=self.threshold,
                    reference_label=pick(lang, "目标", "target"),
                    unit="number",
                ),
            )
        ]
