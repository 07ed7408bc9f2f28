"""The QVSRS scorecard in words (`analysis.questions.qvsrs`), for the notebook, the briefing and the deck.

`describe_qvsrs(qvsrs, lang, part=None)` reads the `QvsrsResult` (the
notebook) or only the `QvsrsSection` of results.json (the briefing). Parts
(`PARTS`): "pillars" (the five figures) and "movement" (against the previous
quarter: needs the result). `scorecard_metric_label`,
`scorecard_metric_definition` and `scorecard_value` name and show one figure
of the scorecard wherever it appears.
"""

from __future__ import annotations

from analysis.questions.qvsrs import QvsrsResult, QvsrsSection
from analysis.sections import Skipped
from analysis.words.format import is_number, join, num, pct, points, pp
from analysis.words.glossary import term
from analysis.words.lang import pick

PARTS = ("pillars", "movement")

#: figure → (label zh, label en, definition zh, definition en)
SCORECARD_METRICS = {
    "quality": (
        "服务品质指数（0–100）",
        "Quality index (0–100)",
        "服务质量、服务态度、产品品质三项感知均值换算为0–100",
        "Mean perception of service, attitude and products, rescaled 0–100",
    ),
    "value": (
        "利益 ÷ 成本",
        "Benefits ÷ costs",
        "产品、手机银行、态度、品牌的感知 ÷ 收费、时限、便捷的“代价”（8 − 感知）",
        "Perceived products, digital, attitude, brand ÷ the cost side (8 − perception) of fees, time, convenience",
    ),
    "satisfaction": (
        "平均满意度缺口（分）",
        "Average satisfaction gap (points)",
        "八项“感知 − 期望”的平均，0以上表示超出期望",
        "Mean of perceived − expected over eight attributes; above 0 exceeds expectations",
    ),
    "products_per_customer": (
        "户均产品数",
        "Products per customer",
        "活跃客户当月持有产品线的平均数",
        "Average product lines held by active customers",
    ),
    "rm_coverage": (
        "客户经理覆盖率",
        "Relationship-manager coverage",
        "有专属客户经理的活跃客户占比",
        "Share of active customers with a relationship manager",
    ),
    "median_tenure_years": (
        "客户关系年限中位数（年）",
        "Median tenure (years)",
        "活跃客户与本行往来年限的中位数",
        "Median years active customers have banked with the branch",
    ),
    "retention_12m": (
        "12个月客户保留率",
        "12-month retention",
        "一年前的客户中一年后仍在的比例",
        "Share of last year's customers still with the branch",
    ),
    "revenue_growth_12m": (
        "利润同比增长",
        "Profit growth (year on year)",
        "近12个月利润比前12个月",
        "Profit of the last 12 months vs the 12 before",
    ),
    "net_customer_growth_12m": (
        "客户净增长率",
        "Net customer growth",
        "（新开户 − 销户）÷ 一年前客户数",
        "(Opened − closed) ÷ customers a year ago",
    ),
}
PILLAR_DEFINITIONS = {
    "relationship": (
        "户均产品、客户经理覆盖与往来年限：关系越深、越稳",
        "Products held, RM coverage and tenure: deeper, steadier ties",
    ),
    "sustainability": (
        "保留、利润增长与客户净增长：绩效能否持续",
        "Retention, profit growth, net customer growth: can results last",
    ),
}
SHARE_METRICS = {"rm_coverage", "retention_12m", "revenue_growth_12m", "net_customer_growth_12m"}


def scorecard_metric_label(metric: str, lang: str = "zh") -> str:
    """A scorecard figure's name (KeyError for a figure the scorecard lacks)."""
    zh, en, _, _ = SCORECARD_METRICS[metric]
    return pick(lang, zh, en)


def scorecard_metric_definition(metric: str, lang: str = "zh") -> str:
    _, _, zh, en = SCORECARD_METRICS[metric]
    return pick(lang, zh, en)


def pillar_name(pillar: str, lang: str = "zh") -> str:
    """A pillar's short name (its glossary term without the formula)."""
    return term(pillar, lang).split(" = ")[0].split(" (")[0].split("(")[0].strip()


def pillar_definition(pillar: str, lang: str = "zh") -> str:
    return pick(lang, *PILLAR_DEFINITIONS[pillar])


def scorecard_value(metric: str, v, lang: str = "zh", change: bool = False) -> str:
    """A scorecard figure as a manager reads it: shares in %, their change in
    percentage points; the quality index to one decimal, the rest to two."""
    if not is_number(v):
        return "—"
    if metric in SHARE_METRICS:
        return pp(v, lang, 1, signed=True) if change else pct(v)
    digits = 1 if metric == "quality" else 2
    return points(v, digits) if change else num(v, digits)


def describe_qvsrs(
    qvsrs: QvsrsResult | QvsrsSection | Skipped | None, lang: str = "zh", part: str | None = None
) -> list[str]:
    """Sentences on the scorecard: one part (`PARTS`) or both."""
    if part is not None and part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    result = qvsrs if isinstance(qvsrs, QvsrsResult) else None
    section = qvsrs.section() if result is not None else qvsrs
    if not isinstance(section, QvsrsSection):
        return []
    out: list[str] = []
    for p in PARTS if part is None else (part,):
        if p == "pillars":
            out += _pillars(section, lang)
        elif p == "movement" and result is not None and result.previous is not None:
            out += _movement(result, lang)
    return out


def _pillars(s: QvsrsSection, lang: str) -> list[str]:
    out = []
    if s.quality is not None:
        q = num(s.quality, 1)
        out.append(pick(lang, f"服务品质指数为{q}（0–100）。", f"The quality index stands at {q} (0–100)."))
    if s.value is not None:
        v = num(s.value, 2)
        out.append(
            pick(
                lang,
                "顾客价值（利益 ÷ "
                f"成本）为{v}：{'客户感到得到的多于付出的' if s.value >= 1 else '客户感到付出的多于得到的'}。",
                f"Customer value (benefits ÷ costs) is {v}: customers feel they "
                f"{'get more than they give' if s.value >= 1 else 'give more than they get'}.",
            )
        )
    r = s.relationship
    ppc, cov, ten = (r.get(k) for k in ("products_per_customer", "rm_coverage", "median_tenure_years"))
    if ppc is not None and cov is not None:
        out.append(
            pick(
                lang,
                f"活跃客户户均持有{num(ppc, 1)}类产品，{pct(cov)}有专属客户经理"
                + (f"，往来年限中位数{num(ten, 1)}年。" if ten is not None else "。"),
                f"Active customers hold {num(ppc, 1)} product lines on average and {pct(cov)} have a relationship "
                "manager" + (f"; median tenure is {num(ten, 1)} years." if ten is not None else "."),
            )
        )
    ret = s.sustainability.get("retention_12m")
    if ret is not None:
        out.append(pick(lang, f"12个月客户保留率为{pct(ret)}。", f"12-month retention is {pct(ret)}."))
    missing = [m for m in SUSTAINABILITY_NEEDS if s.sustainability.get(m) is None]
    if missing:
        why = join(
            [
                scorecard_metric_label(m, lang)
                + pick(lang, "（", " (")
                + pick(lang, *SUSTAINABILITY_NEEDS[m])
                + pick(lang, "）", ")")
                for m in missing
            ],
            lang,
        )
        out.append(pick(lang, "未能计算：", "Not computed: ") + why + pick(lang, "。", "."))
    return out


#: Why a sustainability figure is null (RESULTS.md `qvsrs.sustainability`): what it needs.
SUSTAINABILITY_NEEDS = {
    "retention_12m": (
        "需要流失观察组：M−18至M共19个月的快照",
        "needs the churn cohort: snapshots of the 19 months M−18 … M",
    ),
    "revenue_growth_12m": ("需要M−23至M共24个月的快照", "needs snapshots of the 24 months M−23 … M"),
    "net_customer_growth_12m": (
        "需要t0（M−12月）时在册的客户",
        "needs customers active at t0, with a snapshot in month M−12",
    ),
}


def _names(metrics: list[str], lang: str) -> str:
    return join([scorecard_metric_label(m, lang) for m in metrics], lang)


def _movement(result: QvsrsResult, lang: str) -> list[str]:
    """What improved and what slipped since the previous quarter."""
    prev, k = result.previous_as_of, result.previous_months
    out = [
        pick(
            lang,
            f"{term('QVSRS', lang)}：服务品质(Q)、顾客价值(V)、满意度(S)、长期关系(R)、可持续绩效(S)。"
            f"每项与上一季度（截至{prev:%Y-%m-%d}，即把分析月份提前{k}个月重新计算）相比。",
            f"The {term('QVSRS', lang)}: quality (Q), value (V), satisfaction (S), relationship (R), sustainability "
            f"(S), each compared with the previous quarter (as of {prev:%Y-%m-%d}: the same figures with the analysis "
            f"month moved back {k} months).",
        )
    ]
    end = pick(lang, "。", ".")
    if result.improved:
        out.append(pick(lang, "改善的指标：", "Improved: ") + _names(result.improved, lang) + end)
    if result.slipped:
        out.append(pick(lang, "下滑的指标：", "Slipped: ") + _names(result.slipped, lang) + end)
    if result.missing:
        out.append(
            pick(lang, "数据不足、未能计算：", "Not computable from the data: ") + _names(result.missing, lang) + end
        )
    return out


def scorecard_title(result: QvsrsResult, lang: str = "zh") -> str:
    """Title of the scorecard figure: how many figures moved which way."""
    better, worse = len(result.improved), len(result.slipped)
    return pick(
        lang,
        f"与上季度相比：{better}项改善，{worse}项下滑",
        f"Against the previous quarter: {better} figures improved, {worse} slipped",
    )


def scorecard_note(result: QvsrsResult, lang: str = "zh") -> str:
    """The scorecard figure's key to its arrows and colours."""
    prev = result.previous_as_of
    return pick(
        lang,
        f"▲▼ 与上季度（截至{prev:%Y-%m-%d}）相比；绿色为改善，橙色为下滑",
        f"▲▼ change against the previous quarter (as of {prev:%Y-%m-%d}); green improved, orange slipped; "
        "pp = percentage points",
    )
