"""How long customers stay, in words: the survival sentences, the retention
figure's title and the display tables' columns (numbers kept numeric; style
with `formats(table)`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.questions.survival import actionable_hazards, retention_at
from analysis.stats.survival import CoxResult
from analysis.words.churn import NOTHING_RELIABLE, driver_label, effect_sentence
from analysis.words.format import num, pct
from analysis.words.glossary import term
from analysis.words.lang import LANGS, pick


def _years(v: float, lang: str) -> str:
    return pick(lang, f"{num(v, 1)}年", f"{num(v, 1)} years")


def describe_survival(
    medians: pd.DataFrame, cox: CoxResult | None, lang: str = "zh", cox_reason: str | None = None
) -> list[str]:
    """Sentences on how long customers stay (by segment) and the Cox model's reading."""
    sep = pick(lang, "、", ", ")
    out = [
        pick(
            lang,
            "留存曲线（Kaplan–Meier）显示客户开户若干年后仍留在本行的比例；数据开始前就已开户的客户，从数据第一个月起才计入"
            "（左截断），避免只看到“熬过来”的老客户而高估留存。",
            "Retention curves (Kaplan–Meier) show the share of customers still with the bank a given number of years "
            "after opening; customers who opened before the data begin count only from the first month of data (left "
            "truncation), so long-standing survivors do not flatter the curves.",
        )
    ]
    parts = []
    for lv, r in medians.iterrows():
        name = term(lv, lang)
        if math.isfinite(r["median_years"]):
            parts.append(
                pick(lang, f"{name}{_years(r['median_years'], lang)}", f"{name} {_years(r['median_years'], lang)}")
            )
        else:
            years = _years(r["observed_years"], lang)
            parts.append(pick(lang, f"{name}超过{years}", f"{name} more than {years}"))
    if parts:
        out.append(
            pick(
                lang,
                "按客户类型，一半客户离开本行所需的时间（中位在行时间）为：" + "；".join(parts) + "。",
                "Median time with the bank (half the customers have left by then), by segment: "
                + "; ".join(parts)
                + ".",
            )
        )
    bfh = [term(g, lang) for g in medians.index if medians.at[g, "estimator"] != "kaplan_meier"] if len(medians) else []
    if bfh:
        names = sep.join(bfh)
        out.append(
            pick(
                lang,
                f"{names}在数据初期的在册客户太少，Kaplan–Meier估计不稳定，改用Breslow–Fleming–Harrington估计，结果仅供参考。",
                f"For {names} too few customers were on the books early in the data for Kaplan–Meier; the "
                "Breslow–Fleming–Harrington estimate is shown instead: read it as indicative only.",
            )
        )
    if cox is None:
        if cox_reason:
            out.append(
                pick(
                    lang,
                    f"比例风险（Cox）模型未估计：{cox_reason}。",
                    f"The Cox model was not estimated: {cox_reason}.",
                )
            )
        return out
    out.append(
        pick(
            lang,
            f"用同一批流失因素做比例风险（Cox）模型（{num(cox.n)}名客户，{num(cox.events)}人流失）："
            f"{term('hazard ratio', lang)}"
            "表示某因素让任一时刻的流失风险变为多少倍，结论应与上面的优势比方向一致。",
            f"A Cox proportional-hazards model on the same factors ({num(cox.n)} customers, {num(cox.events)} left): a "
            "hazard ratio is how many times a factor multiplies the risk of leaving at any moment; it should point the "
            "same way as the odds ratios.",
        )
    )
    hr = cox.hazard_ratios
    for k in actionable_hazards(cox, 3):
        out.append("- " + effect_sentence(k, hr.loc[k].to_dict(), lang, measure="hazard"))
    bad = cox.ph_violations
    cut = num(cox.alpha, 2)
    if bad:
        names = sep.join(driver_label(k, lang) for k in bad)
        out.append(
            pick(
                lang,
                f"比例风险检验：{names}的影响在一年中并不恒定（p<{cut}），其风险比应读作全年的平均效应。",
                f"Proportional-hazards check: the effect of {names} changes over the year (p < {cut}); read its hazard "
                "ratio as an average over the year.",
            )
        )
    elif cox.ph_test is not None:
        out.append(
            pick(
                lang,
                "比例风险检验：没有因素的影响随时间明显变化，模型假设成立。",
                "Proportional-hazards check: no factor's effect changes noticeably over time; the model's assumption "
                "holds.",
            )
        )
    return out


def retention_title(curves: pd.DataFrame, lang: str = "zh", horizon: float = 5.0) -> str:
    """A manager's sentence: which group keeps its customers best and worst after `horizon` years
    (or the longest horizon every group reaches)."""
    if curves.empty:
        return pick(lang, "客户留存曲线", "Customer retention")
    reach = curves.groupby("group")["years"].max().min()
    h = min(horizon, math.floor(reach)) or reach
    r = retention_at(curves, h).dropna()
    years = num(h, 0) if float(h).is_integer() else num(h, 1)
    if len(r) < 2:
        v = pct(r.iloc[0] if len(r) else float("nan"), 0)
        return pick(
            lang,
            f"开户{years}年后仍有{v}的客户留在本行",
            f"{v} of customers are still with the bank {years} years after opening",
        )
    best, worst = r.idxmax(), r.idxmin()
    b, w = pct(r[best], 0), pct(r[worst], 0)
    return pick(
        lang,
        f"开户{years}年后，{term(best, lang)}留存{b}，{term(worst, lang)}仅{w}",
        f"{years} years after opening, {term(best, lang)} keep {b}, {term(worst, lang)} only {w}",
    )


def hazard_title(cox: CoxResult, lang: str = "zh") -> str:
    """The hazard-ratio figure's title: the strongest significant actionable driver."""
    top = actionable_hazards(cox, 1)
    if not top:
        return pick(lang, *NOTHING_RELIABLE)
    d = cox.hazard_ratios.loc[top[0]].to_dict()
    return effect_sentence(top[0], d, lang, measure="hazard", with_interval=False).rstrip("。.")


def years_axis(lang: str = "zh") -> str:
    return pick(lang, "开户后年数", "Years since opening")


# ---------------------------------------------------------------------------
# Display tables


def _columns(lang: str) -> dict[str, str]:
    return {
        "customers": pick(lang, "客户数", "Customers"),
        "left": pick(lang, "已流失", "Left"),
        "median": pick(lang, "中位在行年数", "Median years"),
        "observed": pick(lang, "观察到的最长年数", "Longest seen (years)"),
        "median_low": pick(lang, "中位数区间下限", "Median, interval low"),
        "median_high": pick(lang, "中位数区间上限", "Median, interval high"),
        "retained_1y": pick(lang, "1年留存", "Retained at 1 year"),
        "retained_5y": pick(lang, "5年留存", "Retained at 5 years"),
        "factor": pick(lang, "因素", "Factor"),
        "hazard_ratio": term("hazard ratio", lang),
        "ci_low": pick(lang, "区间下限", "Interval low"),
        "ci_high": pick(lang, "区间上限", "Interval high"),
        "p_value": pick(lang, "p值", "p-value"),
        "ph_p_value": pick(lang, "比例风险检验p值", "PH check p-value"),
    }


def _years_or(word: str):
    """Years to one decimal; `word` where the median is not reached (NaN or ∞)."""
    return lambda v: num(v, 1) if np.isfinite(v) else word


def formats(table: pd.DataFrame) -> dict:
    """Styler formats of a survival display table (either language):
    `table.style.format(formats(table))`."""
    out: dict = {}
    for lang in LANGS:
        col = _columns(lang)
        never = _years_or(pick(lang, "未达到", "not reached"))
        spec = {
            "median": never,
            "observed": "{:.1f}",
            "median_low": _years_or("—"),
            "median_high": never,
            "retained_1y": lambda v: pct(v, 0),
            "retained_5y": lambda v: pct(v, 0),
            "hazard_ratio": "{:.2f}",
            "ci_low": "{:.2f}",
            "ci_high": "{:.2f}",
            "p_value": "{:.3g}",
            "ph_p_value": "{:.3g}",
        }
        out.update({col[k]: f for k, f in spec.items() if col[k] in table.columns})
    return out


def median_table(medians: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Median lifetime by group for display, in years: NaN where retention never
    falls to half within the data (the longest lifetime seen is beside it)."""
    col = _columns(lang)
    out = pd.DataFrame(index=[term(g, lang) for g in medians.index])
    out[col["customers"]] = medians["customers"].to_numpy()
    out[col["left"]] = medians["leavers"].to_numpy()
    med = medians["median_years"].to_numpy(dtype=float)
    out[col["median"]] = np.where(np.isfinite(med), med, np.nan)
    out[col["observed"]] = medians["observed_years"].to_numpy(dtype=float)
    out[col["median_low"]] = medians["ci_low"].to_numpy(dtype=float)
    out[col["median_high"]] = medians["ci_high"].to_numpy(dtype=float)
    out[col["retained_1y"]] = medians["retention_1y"].to_numpy(dtype=float)
    out[col["retained_5y"]] = medians["retention_5y"].to_numpy(dtype=float)
    return out


def hazard_table(cox: CoxResult, lang: str = "zh") -> pd.DataFrame:
    """Cox hazard ratios with intervals, p-values and the PH check for display."""
    col = _columns(lang)
    hr = cox.hazard_ratios
    ph = cox.ph_test["p_value"].reindex(hr.index) if cox.ph_test is not None else pd.Series(np.nan, index=hr.index)
    return pd.DataFrame(
        {
            col["factor"]: [driver_label(k, lang) for k in hr.index],
            col["hazard_ratio"]: hr["hazard_ratio"].to_numpy(),
            col["ci_low"]: hr["ci_low"].to_numpy(),
            col["ci_high"]: hr["ci_high"].to_numpy(),
            col["p_value"]: hr["p_value"].to_numpy(),
            col["ph_p_value"]: ph.to_numpy(),
        }
    ).set_index(col["factor"])
