"""Figures of customer value (`analysis.questions.value`).

Each `plot_*` returns a matplotlib Figure titled in words
(`analysis.words.value`); the notebook adds the source line and saves it
(`analysis.run.notebook.show`).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from analysis.figures.style import ACCENT, HOME, NEUTRAL, lay_out, legend_beside, percent_axis, wrap
from analysis.questions.value import ValueResult, standout_metric
from analysis.words.format import pct
from analysis.words.glossary import term
from analysis.words.lang import pick
from analysis.words.value import money_losing_title, profile_metric_label, profitability_title, value_title


def _bar_labels(lang: str) -> tuple[str, str]:
    return pick(lang, "客户占比", "Share of customers"), pick(lang, "利润占比", "Share of profit")


def plot_pareto(result: ValueResult, lang: str = "zh"):
    """The Pareto curve with the top-20% and bottom-30% points marked."""
    curve = result.pareto()
    s = result.section()
    top, bottom = s.top20_revenue_share, s.bottom30_revenue_share
    top_pct, bottom_pct = pct(result.assumptions.top_share, 0), pct(result.assumptions.bottom_share, 0)
    fig, ax = plt.subplots()
    ax.plot(curve["customer_share"], curve["revenue_share"], color=HOME, lw=2)
    ax.plot([0, 1], [0, 1], color=NEUTRAL, ls=":", lw=1)
    ax.axhline(1, color=NEUTRAL, lw=0.8)
    # where 80 % of the profit is reached: dashed guides to both axes
    x80 = result.share_for_80
    ax.plot([0, x80, x80], [0.8, 0.8, 0], color=HOME, ls="--", lw=0.8)
    x_top = result.top_n / result.n
    ax.scatter([x_top], [top], color=HOME, zorder=3)
    ax.annotate(
        pick(lang, f"前{top_pct}客户：{pct(top)}利润", f"top {top_pct}: {pct(top)} of profit"),
        (x_top, top),
        xytext=(12, -18),
        textcoords="offset points",
    )
    x_bottom = 1 - result.bottom_n / result.n
    y_bottom = 1 - bottom
    ax.scatter([x_bottom], [y_bottom], color=ACCENT, zorder=3)
    ax.axvspan(x_bottom, 1, color=ACCENT, alpha=0.08)
    ax.annotate(
        pick(lang, f"后{bottom_pct}客户：{pct(bottom, 1)}利润", f"bottom {bottom_pct}: {pct(bottom, 1)} of profit"),
        (x_bottom, y_bottom),
        xytext=(-150, -30),
        textcoords="offset points",
        arrowprops={"arrowstyle": "-", "color": ACCENT},
    )
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    ax.set_xlabel(pick(lang, "客户（按利润从高到低）", "Customers, most profitable first"))
    ax.set_ylabel(pick(lang, "累计利润占比", "Cumulative share of profit"))
    ax.set_title(value_title(result, lang))
    lay_out(fig)
    return fig


def plot_tiers(tiers: pd.DataFrame, lang: str = "zh"):
    """Share of customers and of profit per value tier."""
    customers, profit = _bar_labels(lang)
    fig, ax = plt.subplots()
    x = np.arange(len(tiers))
    ax.bar(x - 0.2, tiers["customer_share"], 0.4, color=NEUTRAL, label=customers)
    colors = [ACCENT if v < 0 else HOME for v in tiers["revenue_share"]]
    ax.bar(x + 0.2, tiers["revenue_share"], 0.4, color=colors, label=profit)
    for xi, v in zip(x, tiers["revenue_share"]):
        ax.annotate(pct(v, 1), (xi + 0.2, v), ha="center", va="bottom" if v >= 0 else "top", fontsize=9)
    ax.set_xticks(x, [term(t, lang) for t in tiers.index])
    ax.axhline(0, color="#333333", lw=0.8)
    percent_axis(ax, "y")
    top = pct(tiers.loc["top20", "revenue_share"]) if "top20" in tiers.index else "—"
    ax.set_title(pick(lang, f"前20%的客户贡献了{top}的利润", f"The top 20% of customers make {top} of the profit"))
    lay_out(fig)
    legend_beside(ax)  # after the layout: the saved figure widens to hold it
    return fig


def plot_profitability(tables: dict[str, pd.DataFrame], lang: str = "zh"):
    """Share of customers vs share of profit per segment, area and VIP tier."""
    customers, profit = _bar_labels(lang)
    fig, axes = plt.subplots(1, len(tables), figsize=(12, 4.5), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, t in zip(axes, tables.values()):
        x = np.arange(len(t))
        ax.bar(x - 0.2, t["customer_share"], 0.4, color=NEUTRAL, label=customers)
        ax.bar(x + 0.2, t["revenue_share"], 0.4, color=HOME, label=profit)
        # names side by side, wrapped to their pair of bars (rotated, long ones reach their neighbour)
        ax.set_xticks(x, [wrap(term(v, lang), 10, 2.9 / max(len(t), 1)) for v in t.index])
        percent_axis(ax, "y")
    seg = tables.get("segment", next(iter(tables.values())))
    fig.suptitle(profitability_title(seg, lang))
    lay_out(fig)
    handles, labels = axes[0].get_legend_handles_labels()  # one legend for the row, beside its last panel
    legend_beside(axes[-1], handles=handles, labels=labels)
    return fig


def plot_money_losing(profile: pd.DataFrame, lang: str = "zh"):
    """Money-losing ÷ profitable customers, metric by metric (1 = alike), on a
    log scale so that "half" and "twice" lie equally far from 1."""
    p = profile.drop(index="revenue_12m", errors="ignore")["ratio"].dropna()
    positive = p[p > 0]
    floor = (positive.min() if len(positive) else 0.1) / 3  # where a ratio of 0 is drawn
    standout = standout_metric(profile)
    fig, ax = plt.subplots()
    y = np.arange(len(p))
    # points, not bars: a bar's length needs a zero to grow from, and a log axis has none
    colors = [ACCENT if m == standout else NEUTRAL for m in p.index]
    ax.scatter(p.clip(lower=floor).values, y, color=colors, s=60, zorder=3)
    ax.set_xscale("log")
    ax.axvline(1, color="#333333", lw=0.8)
    ax.set_yticks(y, [profile_metric_label(m, lang) for m in p.index])
    ax.invert_yaxis()
    for yi, v in zip(y, p.values):
        ax.annotate(
            f"{v:.2g}×", (max(v, floor), yi), xytext=(7, 0), textcoords="offset points", va="center", fontsize=9
        )
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}×"))
    ax.set_xlabel(pick(lang, "亏损客户 ÷ 盈利客户（1× = 相同）", "Money-losing ÷ profitable customers (1× = alike)"))
    ax.set_title(money_losing_title(profile, lang))
    lay_out(fig)
    return fig


def profile_sources(profile: pd.DataFrame) -> str:
    """The tables behind the money-losing profile (transactions only when the counter share is in it)."""
    return "monthly_snapshots, interactions" + (", transactions" if "counter_share" in profile.index else "")
