"""Figures of satisfaction (`analysis.questions.satisfaction`).

Each `plot_*` returns a matplotlib Figure titled in words
(`analysis.words.satisfaction`); the notebook adds the source line and saves
it (`analysis.run.notebook.show`).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.data.contract import ATTRIBUTES
from analysis.figures.style import ACCENT, GOOD, HOME, NEUTRAL, interval_dots, lay_out, percent_axis, place_apart, wrap
from analysis.words.glossary import term
from analysis.words.lang import pick
from analysis.words.satisfaction import (
    category_label,
    complaint_link_title,
    complaints_title,
    drivers_title,
    gap_trend_title,
    gaps_title,
    ipa_title,
    nps_trend_title,
)

QUADRANT_COLORS = {"fix_first": ACCENT, "keep_up": GOOD, "low_priority": NEUTRAL, "possible_overkill": HOME}


def plot_gaps(table: pd.DataFrame, lang: str = "zh"):
    """Horizontal bars of the CS gap per attribute with 95 % intervals."""
    t = table.sort_values("gap")
    fig, ax = plt.subplots(figsize=(8, 4.8))
    colors = [ACCENT if g < 0 else GOOD for g in t["gap"]]
    y = np.arange(len(t))
    ax.barh(y, t["gap"], color=colors, alpha=0.85)
    ax.errorbar(
        t["gap"], y, xerr=[t["gap"] - t["ci_low"], t["ci_high"] - t["gap"]], fmt="none", ecolor="#333333", capsize=3
    )
    ax.set_yticks(y, [term(a, lang) for a in t.index])
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_title(gaps_title(table, lang))
    ax.set_xlabel(
        pick(
            lang,
            "满意度缺口：感知 − 期望（分，7分制；线段为95%区间）",
            "Satisfaction gap: perceived − expected (points of 7; bars show 95 % intervals)",
        )
    )
    lay_out(fig)
    return fig


def plot_gap_trend(trend: pd.DataFrame, lang: str = "zh"):
    """Small multiples: each attribute's gap by quarter with intervals."""
    fig, axes = plt.subplots(2, 4, figsize=(12, 5.5), sharex=True, sharey=True)
    quarters = sorted(trend["quarter"].unique())
    x = np.arange(len(quarters))
    for ax, a in zip(axes.flat, ATTRIBUTES):
        d = trend[trend["attribute"] == a].set_index("quarter").reindex(quarters)
        ax.errorbar(
            x,
            d["gap"],
            yerr=[d["gap"] - d["ci_low"], d["ci_high"] - d["gap"]],
            color=HOME,
            marker="o",
            ms=3,
            capsize=2,
            lw=1.2,
        )
        ax.axhline(0, color="#333333", lw=0.7)
        ax.set_title(term(a, lang), fontsize=10)
    step = max(1, len(quarters) // 4)
    for ax in axes[-1]:
        ax.set_xticks(x[::step], [str(q) for q in quarters][::step], rotation=45, fontsize=8)
    fig.suptitle(gap_trend_title(lang))
    fig.supylabel(pick(lang, "感知 − 期望（分）", "Perceived − expected (points)"), fontsize=9)
    lay_out(fig)
    return fig


def plot_nps_trend(trend: pd.DataFrame, lang: str = "zh"):
    """NPS by quarter with 95 % intervals."""
    fig, ax = plt.subplots()
    x = np.arange(len(trend))
    ax.errorbar(
        x,
        trend["nps"],
        yerr=[trend["nps"] - trend["ci_low"], trend["ci_high"] - trend["nps"]],
        color=HOME,
        marker="o",
        capsize=3,
    )
    ax.axhline(0, color="#333333", lw=0.7)
    ax.set_xticks(x, [str(q) for q in trend["quarter"]], rotation=45)
    ax.set_title(nps_trend_title(trend, lang))
    ax.set_ylabel(pick(lang, f"{term('NPS', 'zh')}（线段为95%区间）", f"{term('NPS', 'en')} (bars: 95 % intervals)"))
    lay_out(fig)
    return fig


def plot_drivers(table: pd.DataFrame, lang: str = "zh", alpha: float = 0.05):
    """Coefficient plot of the OLS drivers with 95 % intervals (significant ones in the home colour)."""
    t = table.sort_values("estimate")
    fig, ax = plt.subplots(figsize=(8, 4.8))
    y = np.arange(len(t))
    interval_dots(
        ax, y, t["estimate"], t["ci_low"], t["ci_high"], [HOME if p < alpha else NEUTRAL for p in t["p_value"]]
    )
    ax.set_yticks(y, [term(a, lang) for a in t.index])
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_title(drivers_title(table, lang))
    ax.set_xlabel(
        pick(
            lang,
            "感知评分每提高1分，总体满意度变化（分，10分制；线段为95%区间）",
            "Change in overall satisfaction (of 10) per rating point (bars: 95 % intervals)",
        )
    )
    lay_out(fig)
    return fig


def plot_ipa(ipa: pd.DataFrame, lang: str = "zh"):
    """Importance–performance matrix with the four named quadrants."""
    fig, ax = plt.subplots(figsize=(8, 6))
    ic, pc = ipa.attrs["importance_cut"], ipa.attrs["performance_cut"]
    labels = []
    for a, r in ipa.iterrows():
        c = QUADRANT_COLORS[r["quadrant"]]
        ax.errorbar(
            r["performance"],
            r["importance"],
            yerr=[[r["importance"] - r["ci_low"]], [r["ci_high"] - r["importance"]]],
            fmt="o",
            color=c,
            capsize=3,
        )
        at = (r["performance"], r["importance"])
        labels.append(ax.annotate(term(a, lang), at, textcoords="offset points", xytext=(6, 4), fontsize=9))
    ax.axvline(pc, color="#555555", lw=0.8, ls="--")
    ax.axhline(ic, color="#555555", lw=0.8, ls="--")
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    corners = []
    for q, (x, y, ha, va) in {
        "fix_first": (x0, y1, "left", "top"),
        "keep_up": (x1, y1, "right", "top"),
        "low_priority": (x0, y0, "left", "bottom"),
        "possible_overkill": (x1, y0, "right", "bottom"),
    }.items():
        corners.append(ax.text(x, y, term(q, lang), ha=ha, va=va, color=QUADRANT_COLORS[q], fontsize=11))
    percent_axis(ax, "y")
    ax.set_title(ipa_title(ipa, lang))
    ax.set_xlabel(pick(lang, "表现：平均感知分（7分制）", "Performance: mean perception (of 7)"))
    ax.set_ylabel(
        pick(
            lang,
            "重要性：相对权重（占可解释差异，线段为95%区间）",
            "Importance: relative weight (share of explained variance; 95 % intervals)",
        )
    )
    lay_out(fig)
    place_apart(fig, labels, corners)  # attributes rated alike keep their names apart
    return fig


def plot_complaints(by_category: pd.DataFrame, by_channel: pd.DataFrame, lang: str = "zh", days: int = 30):
    """Complaint volume by category and channel, and resolution within `days` with intervals."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.5))
    for ax, t in zip(axes[:2], (by_category, by_channel)):
        t = t.sort_values("complaints")
        ax.barh([category_label(k, lang) for k in t.index], t["complaints"], color=HOME)
        ax.set_xlabel(pick(lang, "投诉数", "Complaints"))
    axes[0].set_title(pick(lang, "按类别", "By category"), fontsize=11)
    axes[1].set_title(pick(lang, "按渠道", "By channel"), fontsize=11)
    t = by_category.sort_values("resolved_30d")
    y = np.arange(len(t))
    axes[2].errorbar(
        t["resolved_30d"],
        y,
        xerr=[t["resolved_30d"] - t["resolved_30d_ci_low"], t["resolved_30d_ci_high"] - t["resolved_30d"]],
        fmt="o",
        color=ACCENT,
        capsize=3,
    )
    axes[2].set_yticks(y, [category_label(k, lang) for k in t.index])
    percent_axis(axes[2], "x")
    axes[2].set_title(
        pick(lang, f"{days}天内解决率（95%区间）", f"Resolved within {days} days (95 % intervals)"), fontsize=11
    )
    fig.suptitle(complaints_title(by_category, lang))
    lay_out(fig)
    return fig


def plot_complaint_satisfaction(linked: pd.DataFrame, lang: str = "zh"):
    """Overall satisfaction of respondents by complaint history, with intervals."""
    fig, ax = plt.subplots(figsize=(7, 4))
    colors = {"none": GOOD, "resolved_30d": NEUTRAL, "unresolved": ACCENT}
    x = np.arange(len(linked))
    for i, (g, r) in enumerate(linked.iterrows()):
        ax.bar(i, r["overall_satisfaction"], color=colors[g], alpha=0.85)
        ax.errorbar(
            i,
            r["overall_satisfaction"],
            yerr=[[r["overall_satisfaction"] - r["ci_low"]], [r["ci_high"] - r["overall_satisfaction"]]],
            color="#333333",
            capsize=4,
        )
    width = 5.6 / max(len(linked), 1)  # each bar's share of the plot, inches
    ax.set_xticks(x, [f"{wrap(category_label(g, lang), 10, width)}\n(n={int(n)})" for g, n in linked["n"].items()])
    ax.set_ylim(1, 10)
    ax.set_title(complaint_link_title(linked, lang))
    ax.set_ylabel(pick(lang, "总体满意度（10分制，线段为95%区间）", "Overall satisfaction (of 10; 95 % intervals)"))
    lay_out(fig)
    return fig
