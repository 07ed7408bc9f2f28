"""What every recommendation rule shares: the finding it returns, the profit
at stake and how sure the evidence is, significance, intervals in words, and
what to do about each rated attribute.

The ranking is documented in `recommendations`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from analysis.report import paths
from analysis.report.context import ReportContext
from analysis.words.glossary import term
from analysis.words.i18n import money, pick

ALPHA = 0.05
#: An odds-ratio interval wider than this (ci_high ÷ ci_low) is worded "may", never "clearly".
WIDE_RATIO = 10.0
#: A finding whose interval spans the decision ("may") ranks with this share of its stake.
MAY_WEIGHT = 0.5
#: Priority from the stake as a share of the branch's yearly profit (overview.revenue_12m).
HIGH_SHARE, MEDIUM_SHARE = 0.01, 0.0025
CLEAR, MAY = "clear", "may"


# ---------------------------------------------------------------------------
# what a rule produces


@dataclass(frozen=True)
class Evidence:
    """The numbers a finding rests on, drawable as one chart (bars; ratios as a forest plot).

    `unit`: "pct" (shares), "pp" (changes of shares), "ratio" (odds ratios,
    drawn as points with their intervals on a log axis), "points" (rating points), "number".
    """

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    highlight: int | None = None
    lows: tuple[float | None, ...] | None = None
    highs: tuple[float | None, ...] | None = None
    reference: float | None = None
    reference_label: str | None = None
    unit: str = "number"


@dataclass(frozen=True)
class Stake:
    """The profit at stake in a finding, CNY a year: customers affected ×
    their yearly profit × the effect, with the interval the effect's gives
    (None where the figure has none: a count of the book). `how` says it in
    the report's language."""

    estimate: float
    low: float | None = None
    high: float | None = None
    how: str = ""

    @property
    def rank(self) -> float:
        return max(self.estimate, 0.0) if math.isfinite(self.estimate) else 0.0

    def spans_zero(self) -> bool:
        return self.low is not None and self.high is not None and self.low <= 0 <= self.high


@dataclass(frozen=True)
class Recommendation:
    """One fired rule: the finding with its number and what to do about it."""

    id: str
    section: str
    headline: str
    finding: str
    recommendation: str
    cites: str  # the results.json path of the figure that triggered the rule
    value: float
    score: float  # the rank: the stake (CNY a year), × MAY_WEIGHT when "may"; 0 when not quantified
    priority: str  # high | medium | low
    supporting: tuple[str, ...] = ()  # further paths the sentences quote
    figure_hints: tuple[str, ...] = ()  # figure names (prefixes) that show it
    evidence: Evidence | None = None
    stake: Stake | None = None
    confidence: str = CLEAR  # clear | may
    stake_text: str = ""  # the stake in words, shown with the finding
    acts_on: tuple[str, ...] = ()  # churn drivers the recommendation acts on

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("evidence")
        d["supporting"] = list(self.supporting)
        d["figure_hints"] = list(self.figure_hints)
        d["acts_on"] = list(self.acts_on)
        return d


def rank_score(stake: Stake | None, confidence: str) -> float:
    """What the first page ranks by: the stake, discounted when "may"."""
    if stake is None:
        return 0.0
    return round(stake.rank * (MAY_WEIGHT if confidence == MAY else 1.0), 2)


def priority(score: float, branch_profit: float | None = None, confidence: str = CLEAR) -> str:
    """high / medium / low from the ranked stake as a share of the branch's
    yearly profit (without it: of CNY 1 million); "may" is at most medium."""
    base = branch_profit if branch_profit and branch_profit > 0 else 1e6
    share = score / base
    level = "high" if share >= HIGH_SHARE else "medium" if share >= MEDIUM_SHARE else "low"
    if confidence == MAY and level == "high":
        return "medium"
    return level


def wide(est: dict | None) -> bool:
    """An odds-ratio interval spanning more than WIDE_RATIO-fold."""
    if not isinstance(est, dict):
        return False
    lo, hi = est.get("ci_low"), est.get("ci_high")
    if not isinstance(lo, (int, float)) or not isinstance(hi, (int, float)) or lo <= 0:
        return False
    return hi / lo > WIDE_RATIO


def confidence_of(est: dict | None, null: float, ratio: bool = False) -> str:
    """ "clear" when the interval excludes `null` (what would change the
    decision) and, for an odds ratio, spans at most WIDE_RATIO-fold; else "may"."""
    if not significant(est, null) or (ratio and wide(est)):
        return MAY
    return CLEAR


def stake_text(stake: Stake | None, confidence: str, lang: str) -> str:
    """ "利润影响：约每年X（区间a至b）：how。" / "At stake: about X a year (a to b): how." """
    if stake is None:
        return pick(lang, "利润影响：未能量化。", "At stake: not quantified.")
    rng = ""
    if stake.low is not None and stake.high is not None:
        rng = pick(
            lang,
            f"（区间{money(stake.low, lang)}至{money(stake.high, lang)}）",
            f" ({money(stake.low, lang)} to {money(stake.high, lang)})",
        )
    may = pick(lang, "，证据尚不确定", "; the evidence is not yet sure") if confidence == MAY else ""
    how = stake.how
    return pick(
        lang,
        f"利润影响：约每年{money(stake.estimate, lang)}{rng}" + (f"——{how}" if how else "") + f"{may}。",
        f"At stake: about {money(stake.estimate, lang)} a year{rng}" + (f": {how}" if how else "") + f"{may}.",
    )


def significant(est: dict | None, null: float, key: str = "estimate") -> bool:
    """p < ALPHA, or (without p) the 95 % interval excludes `null`."""
    if not isinstance(est, dict):
        return False
    p = est.get("p_value")
    if isinstance(p, (int, float)) and not isinstance(p, bool):
        return p < ALPHA
    lo, hi = est.get("ci_low"), est.get("ci_high")
    if isinstance(lo, (int, float)) and isinstance(hi, (int, float)):
        return lo > null or hi < null
    return False


def _interval(est: dict, lang: str, digits: int = 2, scale: float = 1.0, suffix: str = "", bare: bool = False) -> str:
    """ "（95%区间a至b）" / " (95% interval a to b)"; `bare` without brackets."""
    lo, hi = est.get("ci_low"), est.get("ci_high")
    if not isinstance(lo, (int, float)) or not isinstance(hi, (int, float)):
        return ""
    a, b = f"{lo * scale:.{digits}f}{suffix}", f"{hi * scale:.{digits}f}{suffix}"
    if bare:
        return pick(lang, f"95%区间{a}至{b}", f"95% interval {a} to {b}")
    return pick(lang, f"（95%区间{a}至{b}）", f" (95% interval {a} to {b})")


def _or_bracket(d: dict, lang: str) -> str:
    """ "（优势比0.75，95%区间0.66至0.84）" / " (odds ratio 0.75, 95% interval 0.66 to 0.84)"."""
    ci = _interval(d, lang, bare=True)
    o = d["odds_ratio"]
    if lang == "zh":
        return f"（{term('odds ratio', lang).split('（')[0]}{o:.2f}" + (f"，{ci}）" if ci else "）")
    return f" (odds ratio {o:.2f}" + (f", {ci})" if ci else ")")


def attr_label(attribute: str, lang: str) -> str:
    return term(attribute, lang)


# What to do about each rated attribute (zh, en): used where satisfaction or
# the competition points at an attribute.
ATTRIBUTE_ACTIONS: dict[str, tuple[str, str]] = {
    "service_quality": (
        "提升业务准确性与专业性：对差错最多的业务做流程复核，柜员和理财经理按季度做产品与合规培训并考核",
        "raise accuracy and professionalism: review the most error-prone processes and train tellers and advisers "
        "every quarter, with a test",
    ),
    "staff_attitude": (
        "改善服务态度：推行首问负责制，用神秘客户暗访按月评分并与绩效挂钩",
        "improve staff attitude: make the first person asked own the request, and score the outlets monthly by mystery "
        "shopping, tied to pay",
    ),
    "convenience": (
        "提高便捷性：延长县域网点营业时间，增设智能柜员机和社区、农村服务点，为老年和行动不便客户提供上门服务",
        "make banking easier to reach: longer opening hours at county outlets, more smart teller machines and "
        "community and rural service points, and home visits for elderly customers",
    ),
    "timeliness": (
        "缩短等候与办理时间：高峰时段弹性增开窗口，推行预约取号和VIP绿色通道，把平均等候时间纳入网点考核",
        "cut waiting and handling time: open extra windows at peak hours, offer appointments and a VIP green channel, "
        "and put average waiting time on the outlet's scorecard",
    ),
    "product_quality": (
        "补强产品：针对本地客户补齐理财、养老和小微贷款产品线，由客户经理提供资产配置建议",
        "strengthen the products: fill the gaps in wealth, pension and small-business loan products for local "
        "customers, with relationship managers giving allocation advice",
    ),
    "fees_value": (
        "提高性价比：梳理收费项目，对高价值和长期客户减免常用费用，并主动说明与他行的价格对比",
        "give better value for money: review the fee list, waive everyday fees for valuable and long-standing "
        "customers, and show customers the price comparison with other banks",
    ),
    "brand_image": (
        "提升品牌形象：借助社区活动和VIP客户答谢活动讲好本行实力与服务故事",
        "build the brand: tell the bank's strength and service story through community events and VIP appreciation "
        "events",
    ),
    "digital_experience": (
        "改善手机银行体验：收集客户使用痛点，简化最常用的功能流程，网点安排专人辅导老年客户使用",
        "improve mobile banking: collect customers' pain points, simplify the most-used journeys, and staff the outlet "
        "to coach older customers",
    ),
}


def attribute_action(attribute: str, lang: str) -> str:
    zh, en = ATTRIBUTE_ACTIONS[attribute]
    return zh if lang == "zh" else en


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# ---------------------------------------------------------------------------
# the rules


class Rule:
    """A rule: reads results, returns the recommendations it fires (or none).

    Subclasses set `id`, `section` and `figure_hints`, keep their thresholds
    as constructor parameters, and implement `fire`; each finding states the
    profit at stake (`stakes`) and how sure its evidence is.
    """

    id: str = ""
    section: str = ""
    figure_hints: tuple[str, ...] = ()

    def __call__(self, ctx: ReportContext) -> list[Recommendation]:
        if paths.section(ctx.results, self.section) is None:
            return []
        return list(self.fire(ctx))

    def fire(self, ctx: ReportContext) -> Iterable[Recommendation]:  # pragma: no cover - interface
        raise NotImplementedError

    def make(
        self,
        ctx: ReportContext,
        *,
        headline: str,
        finding: str,
        recommendation: str,
        cites: str,
        stake: Stake | None,
        confidence: str = CLEAR,
        supporting: Iterable[str] = (),
        evidence: Evidence | None = None,
        rid: str | None = None,
        acts_on: Iterable[str] = (),
    ) -> Recommendation:
        score = rank_score(stake, confidence)
        value = paths.number(ctx.results, cites)
        profit = paths.number(ctx.results, "overview.revenue_12m")
        return Recommendation(
            id=rid or self.id,
            section=self.section,
            headline=headline,
            finding=finding,
            recommendation=recommendation,
            cites=cites,
            value=value if value is not None else float("nan"),
            score=score,
            priority=priority(score, profit, confidence) if stake is not None else "low",
            supporting=tuple(p for p in supporting if paths.exists(ctx.results, p)),
            figure_hints=self.figure_hints,
            evidence=evidence,
            stake=stake,
            confidence=confidence,
            stake_text=stake_text(stake, confidence, ctx.lang),
            acts_on=tuple(acts_on),
        )
