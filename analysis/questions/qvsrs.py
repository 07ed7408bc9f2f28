"""The QVSRS scorecard of the seed (RESULTS.md `qvsrs`).

- **Q**uality: 100 × (mean perception of service quality, staff attitude and
  product strength − 1) ÷ 6: a 0–100 index of the 1–7 ratings.
- **V**alue = benefits ÷ costs: benefit = mean perception of product
  strength, digital experience, staff attitude and brand; cost = mean of
  (8 − perception) for fees, timeliness and convenience (a cost is low when
  its perception is high). Above 1, customers feel they get more than they
  give up.
- **S**atisfaction: `cs_overall` (perceived − expected, points of 7).
- **R**elationship: products per active customer, share of active customers
  with a relationship manager, median tenure (years).
- **S**ustainability: 12-month retention of the churn cohort, revenue
  growth over the previous 12 months, net customer growth.

Movement: the scorecard is also computed with M shifted back one quarter
(`PREVIOUS_MONTHS` = 3), the period the consultants rerun at; the survey is
quarterly, so the previous window differs by exactly one survey wave. (A
12-month shift would need 30 months of earlier snapshots for the retention
cohort and 36 for revenue growth, which a bank's extract rarely has.)
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis import sections
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, churn_cohort, customers_active_at_t0
from analysis.words.glossary import term
from analysis.figures.style import source_caption
from analysis.questions.satisfaction import cs_overall, window_responses
from analysis.data.timeframe import Timeframe

QUALITY_ATTRIBUTES = ("service_quality", "staff_attitude", "product_quality")
BENEFIT_ATTRIBUTES = ("product_quality", "digital_experience", "staff_attitude", "brand_image")
COST_ATTRIBUTES = ("fees_value", "timeliness", "convenience")
PREVIOUS_MONTHS = 3


def _mean_or_nan(values) -> float:
    v = [x for x in values if not pd.isna(x)]
    return float(np.mean(v)) if len(v) == len(values) and v else float("nan")


def quality(responses: pd.DataFrame) -> float:
    """Quality index 0–100 from the three service perceptions (column means, then averaged)."""
    m = _mean_or_nan([responses[f"perc_{a}"].mean() for a in QUALITY_ATTRIBUTES])
    return 100.0 * (m - 1.0) / 6.0


def value(responses: pd.DataFrame) -> float:
    """Customer value = benefit ÷ cost (column means over the responses, then combined)."""
    benefit = _mean_or_nan([responses[f"perc_{a}"].mean() for a in BENEFIT_ATTRIBUTES])
    cost = _mean_or_nan([8.0 - responses[f"perc_{a}"].mean() for a in COST_ATTRIBUTES])
    return benefit / cost if cost else float("nan")


def relationship(bank: Bank) -> dict:
    """products_per_customer, rm_coverage, median_tenure_years of active customers at M."""
    tf = bank.timeframe
    ids = active_customer_ids(bank)
    if len(ids) == 0:
        return {"products_per_customer": None, "rm_coverage": None, "median_tenure_years": None}
    s = bank.monthly_snapshots
    snap = s[(s["month"] == tf.M) & s["customer_id"].isin(ids)]
    c = bank.customers[bank.customers["customer_id"].isin(ids)]
    return {
        "products_per_customer": float(snap["products_held"].mean()),
        "rm_coverage": float(c["rm_id"].notna().mean()),
        "median_tenure_years": float(((tf.as_of - c["open_date"]).dt.days / 365.25).median()),
    }


def revenue_growth_12m(bank: Bank) -> float | None:
    """Branch revenue of months M−11 … M ÷ that of M−23 … M−12, minus 1; None
    when the snapshots do not reach back to M−23 (or that revenue is 0)."""
    tf = bank.timeframe
    s = bank.monthly_snapshots
    if s.empty or s["month"].min() > tf.month(23):
        return None
    now = s.loc[(s["month"] >= tf.month(11)) & (s["month"] <= tf.M), "revenue"].sum()
    before = s.loc[(s["month"] >= tf.month(23)) & (s["month"] <= tf.month(12)), "revenue"].sum()
    return float(now / before - 1.0) if before else None


def sustainability(bank: Bank) -> dict:
    """retention_12m, revenue_growth_12m and net_customer_growth_12m (RESULTS.md)."""
    tf = bank.timeframe
    cohort = churn_cohort(bank)
    retention = float(1.0 - cohort["churned"].mean()) if len(cohort) else None
    c = bank.customers
    opened = int(tf.in_window(c["open_date"]).sum())
    closed = int(tf.in_window(c["close_date"]).fillna(False).sum())
    base = len(customers_active_at_t0(bank))
    return {
        "retention_12m": retention,
        "revenue_growth_12m": revenue_growth_12m(bank),
        "net_customer_growth_12m": (opened - closed) / base if base else None,
    }


def qvsrs_section(bank: Bank) -> dict:
    """The contract's `qvsrs` section.

    Always computed (it needs only the required tables for R and S); without
    surveys, or without responses in the window, `quality`, `value` and
    `satisfaction` are null.
    """
    resp = window_responses(bank)
    has_resp = bank.has("surveys") and not resp.empty
    q = quality(resp) if has_resp else float("nan")
    v = value(resp) if has_resp else float("nan")
    s = cs_overall(resp) if has_resp else float("nan")
    nan_to_none = lambda x: None if x is None or pd.isna(x) else float(x)  # noqa: E731
    return sections.ok(
        quality=nan_to_none(q),
        value=nan_to_none(v),
        satisfaction=nan_to_none(s),
        relationship=relationship(bank),
        sustainability=sustainability(bank),
    )


# ---------------------------------------------------------------------------
# The scorecard and its movement


def shifted(bank: Bank, months: int) -> Bank:
    """The same bank with month M moved back `months` months (the previous period)."""
    return dataclasses.replace(bank, timeframe=Timeframe(bank.timeframe.month(months)))


#: (pillar, figure key path, higher is better)
METRICS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("quality", ("quality",), True),
    ("value", ("value",), True),
    ("satisfaction", ("satisfaction",), True),
    ("relationship", ("relationship", "products_per_customer"), True),
    ("relationship", ("relationship", "rm_coverage"), True),
    ("relationship", ("relationship", "median_tenure_years"), True),
    ("sustainability", ("sustainability", "retention_12m"), True),
    ("sustainability", ("sustainability", "revenue_growth_12m"), True),
    ("sustainability", ("sustainability", "net_customer_growth_12m"), True),
)

METRIC_LABELS = {
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
PERCENT_METRICS = {"rm_coverage", "retention_12m", "revenue_growth_12m", "net_customer_growth_12m"}


def _get(section: dict, path: tuple[str, ...]):
    v = section
    for k in path:
        if not isinstance(v, dict) or k not in v:
            return None
        v = v[k]
    return v


def scorecard(bank: Bank, previous_months: int = PREVIOUS_MONTHS) -> pd.DataFrame:
    """Every QVSRS figure now and one period earlier (M − previous_months).

    Columns: pillar, metric, current, previous, change (current − previous),
    better (True when the change is an improvement; None without a change).
    attrs: current_as_of, previous_as_of.
    """
    now = qvsrs_section(bank)
    before_bank = shifted(bank, previous_months)
    before = qvsrs_section(before_bank)
    rows = []
    for pillar, path, higher in METRICS:
        cur, prev = _get(now, path), _get(before, path)
        change = None if cur is None or prev is None else cur - prev
        rows.append(
            {
                "pillar": pillar,
                "metric": path[-1],
                "current": np.nan if cur is None else cur,
                "previous": np.nan if prev is None else prev,
                "change": np.nan if change is None else change,
                "better": None if change is None or change == 0 else (change > 0) == higher,
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(current_as_of=bank.timeframe.as_of, previous_as_of=before_bank.timeframe.as_of)
    return out


def metric_label(metric: str, lang: str = "zh") -> str:
    zh, en, _, _ = METRIC_LABELS[metric]
    return zh if lang == "zh" else en


def metric_definition(metric: str, lang: str = "zh") -> str:
    _, _, zh, en = METRIC_LABELS[metric]
    return zh if lang == "zh" else en


def format_metric(metric: str, v: float, change: bool = False) -> str:
    """A figure as a manager reads it: shares in %, change in points."""
    if v is None or pd.isna(v):
        return "—"
    if metric in PERCENT_METRICS:
        return f"{v * 100:+.1f} pp" if change else f"{v:.1%}"
    if metric == "quality":
        return f"{v:+.1f}" if change else f"{v:.1f}"
    return f"{v:+.2f}" if change else f"{v:.2f}"


def describe_scorecard(card: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Sentences on what improved and what slipped since the previous quarter."""
    up = card[card["better"] == True]  # noqa: E712 (None is neither)
    down = card[card["better"] == False]  # noqa: E712
    prev = card.attrs.get("previous_as_of")
    names = lambda d: [metric_label(m, lang) for m in d["metric"]]  # noqa: E731
    zh = lang == "zh"
    out = [
        (
            f"{term('QVSRS', lang)}：服务品质(Q)、顾客价值(V)、满意度(S)、长期关系(R)、可持续绩效(S)。"
            f"每项与上一季度（截至{prev:%Y-%m-%d}，即把分析月份提前3个月重新计算）相比。"
        )
        if zh
        else (
            f"The {term('QVSRS', lang)}: quality (Q), value (V), satisfaction (S), relationship (R), sustainability (S), "
            f"each compared with the previous quarter (as of {prev:%Y-%m-%d}: the same figures with the analysis month moved back 3 months)."
        )
    ]
    if len(up):
        out.append(
            ("改善的指标：" if zh else "Improved: ") + ("、" if zh else ", ").join(names(up)) + ("。" if zh else ".")
        )
    if len(down):
        out.append(
            ("下滑的指标：" if zh else "Slipped: ") + ("、" if zh else ", ").join(names(down)) + ("。" if zh else ".")
        )
    missing = card[card["current"].isna()]
    if len(missing):
        out.append(
            ("数据不足、未能计算：" if zh else "Not computable from the data: ")
            + ("、" if zh else ", ").join(names(missing))
            + ("。" if zh else ".")
        )
    return out


def _wrap(text: str, lang: str) -> str:
    import textwrap

    if lang == "zh":  # no spaces to break at: cut every 15 characters
        return "\n".join(text[i : i + 15] for i in range(0, len(text), 15))
    return textwrap.fill(text, 34)


def plot_scorecard(card: pd.DataFrame, lang: str = "zh"):
    """One figure: five pillars, each with its figures, definitions and movement."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import ACCENT, GOOD, HOME, NEUTRAL

    pillars = ["quality", "value", "satisfaction", "relationship", "sustainability"]
    letters = {"quality": "Q", "value": "V", "satisfaction": "S", "relationship": "R", "sustainability": "S"}
    fig, axes = plt.subplots(1, 5, figsize=(16, 5.8))
    for ax, p in zip(axes, pillars):
        ax.set_axis_off()
        ax.add_patch(plt.Rectangle((0, 0), 1, 1, transform=ax.transAxes, facecolor="#F4F7FB", edgecolor=HOME, lw=1.2))
        ax.text(0.5, 0.93, letters[p], ha="center", va="top", fontsize=26, color=HOME, transform=ax.transAxes)
        ax.text(
            0.5,
            0.78,
            term(p, lang).split(" (")[0].split("(")[0].split(" =")[0],
            ha="center",
            va="top",
            fontsize=10,
            transform=ax.transAxes,
            wrap=True,
        )
        rows = card[card["pillar"] == p]
        top = 0.68
        step = 0.56 / max(len(rows), 1)
        big = len(rows) == 1
        for _, r in rows.iterrows():
            color = NEUTRAL if r["better"] is None else (GOOD if r["better"] else ACCENT)
            arrow = "" if pd.isna(r["change"]) else ("▲" if r["change"] > 0 else "▼" if r["change"] < 0 else "■")
            ax.text(
                0.5,
                top,
                format_metric(r["metric"], r["current"]),
                ha="center",
                va="top",
                fontsize=22 if big else 14,
                transform=ax.transAxes,
            )
            dy = 0.14 if big else 0.075
            ax.text(
                0.5,
                top - dy,
                f"{arrow} {format_metric(r['metric'], r['change'], change=True)}",
                ha="center",
                va="top",
                fontsize=11 if big else 9,
                color=color,
                transform=ax.transAxes,
            )
            ax.text(
                0.5,
                top - dy - (0.07 if big else 0.05),
                metric_label(r["metric"], lang),
                ha="center",
                va="top",
                fontsize=8.5,
                color="#333333",
                transform=ax.transAxes,
            )
            if big:
                ax.text(
                    0.5,
                    top - dy - 0.14,
                    _wrap(metric_definition(r["metric"], lang), lang),
                    ha="center",
                    va="top",
                    fontsize=8,
                    color="#666666",
                    transform=ax.transAxes,
                    linespacing=1.4,
                )
            top -= step
        if not big:
            ax.text(
                0.5,
                0.03,
                _wrap(PILLAR_DEFINITIONS[p][0 if lang == "zh" else 1], lang),
                ha="center",
                va="bottom",
                fontsize=8,
                color="#666666",
                transform=ax.transAxes,
                linespacing=1.4,
            )
    better = int((card["better"] == True).sum())  # noqa: E712
    worse = int((card["better"] == False).sum())  # noqa: E712
    prev = card.attrs.get("previous_as_of")
    if lang == "zh":
        title = f"与上季度相比：{better}项改善，{worse}项下滑"
        note = f"▲▼ 与上季度（截至{prev:%Y-%m-%d}）相比；绿色为改善，橙色为下滑；pp = 百分点"
    else:
        title = f"Against the previous quarter: {better} figures improved, {worse} slipped"
        note = f"▲▼ change against the previous quarter (as of {prev:%Y-%m-%d}); green improved, orange slipped; pp = percentage points"
    fig.suptitle(title, fontsize=14)
    fig.text(0.5, 0.06, note, ha="center", fontsize=8.5, color="#555555")
    fig.subplots_adjust(left=0.02, right=0.98, top=0.86, bottom=0.12, wspace=0.08)
    return fig


def caption(bank: Bank, lang: str = "zh") -> str:
    """Caption of the scorecard figure."""
    n = len(active_customer_ids(bank))
    return source_caption(bank, "surveys, customers, monthly_snapshots", n, lang, "customers")
