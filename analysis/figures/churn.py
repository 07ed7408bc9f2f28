"""The churn figures, in the house style (`analysis.figures.style`): the
drivers' odds ratios as a forest plot, close reasons, destination banks and
closures over time. Titles and labels come from `analysis.words.churn`."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from analysis.assumptions import Assumptions
from analysis.data.contract import SEGMENTS
from analysis.figures import style
from analysis.questions.churn import LossFactors, significant
from analysis.sections import to_jsonable
from analysis.words import churn as words
from analysis.words.glossary import term
from analysis.words.names import bank_name

#: Colours of customer groups: the suite's palette without the home bank's colour.
GROUP_COLORS = [c for c in style.PALETTE if c != style.HOME]


def forest_plot(table: pd.DataFrame, labels: Mapping[str, str], title: str, xlabel: str, ax=None):
    """Estimates (column `estimate`) with their intervals (ci_low, ci_high) on
    a log scale, one row per index entry (first on top); above 1 in ACCENT,
    below 1 in GOOD when the row is `significant`, grey otherwise."""
    t = table.iloc[::-1]
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 0.38 * len(t) + 1.6))
    else:
        fig = ax.figure
    y = np.arange(len(t))
    for i, (_, row) in enumerate(t.iterrows()):
        sig = bool(row.get("significant", False))
        col = (style.ACCENT if row["estimate"] > 1 else style.GOOD) if sig else style.NEUTRAL
        ax.plot([row["ci_low"], row["ci_high"]], [i, i], color=col, lw=2, solid_capstyle="round")
        ax.plot(row["estimate"], i, "o", color=col, ms=7)
    ax.axvline(1, color="#333333", lw=1)
    ax.set_xscale("log")
    lo = max(min(t["ci_low"].min(), 0.9), 1e-3)
    hi = min(max(t["ci_high"].max(), 1.1), 1e3)
    ax.set_xlim(lo / 1.15, hi * 1.15)
    ticks = [v for v in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20) if lo / 1.15 <= v <= hi * 1.15]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_yticks(y)
    ax.set_yticklabels([labels.get(k, k) for k in t.index])
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.set_title(title, loc="left")
    return fig


def plot_drivers(section, lang: str = "zh", assumptions: Assumptions | None = None):
    """Forest plot of the churn odds ratios with their intervals (log scale)."""
    a = assumptions if assumptions is not None else Assumptions()
    d = to_jsonable(section)["drivers"]
    t = pd.DataFrame(
        {
            k: {
                "estimate": v["odds_ratio"],
                "ci_low": v["ci_low"],
                "ci_high": v["ci_high"],
                "significant": significant(v, a.alpha),
            }
            for k, v in d.items()
        }
    ).T
    labels = {k: words.driver_label(k, lang, a) for k in t.index}
    return forest_plot(t, labels, words.drivers_title(section, lang, a), words.label("odds_axis", lang))


def plot_loss_reasons(lf: LossFactors, lang: str = "zh"):
    """Leavers of the window by close reason, stacked by segment."""
    t = lf.reasons_by_segment
    t = t[t["total"] > 0].sort_values("total")
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(t) + 1.6))
    left = np.zeros(len(t))
    for i, s in enumerate(SEGMENTS):
        if t[s].sum() == 0:
            continue
        ax.barh([term(r, lang) for r in t.index], t[s], left=left, color=GROUP_COLORS[i], label=term(s, lang))
        left += t[s].to_numpy()
    known = t.drop(index="unknown", errors="ignore")
    r1 = known["total"].idxmax() if len(known) and known["total"].max() > 0 else None
    ax.set_title(words.loss_reasons_title(r1, lang), loc="left")
    ax.set_xlabel(words.label("leavers_axis", lang))
    ax.grid(axis="y", visible=False)
    style.legend_beside(ax)  # the stacked bars reach the right edge: a legend inside would cover them
    return fig


def plot_destinations(lf: LossFactors, home_bank: str, lang: str = "zh", top: int = 8):
    """Where the window's leavers went, by destination bank (known ones)."""
    d = lf.destinations_by_segment["total"].drop(index="unknown", errors="ignore")
    d = d[d > 0].head(top).sort_values()
    fig, ax = plt.subplots(figsize=(8, 0.4 * max(len(d), 1) + 1.6))
    colors = [style.HOME if b == home_bank else style.ACCENT for b in d.index]
    ax.barh([bank_name(str(b), lang, short=True) for b in d.index], d.to_numpy(), color=colors)
    top_bank = bank_name(str(d.index[-1]), lang, short=True) if len(d) else None
    ax.set_title(words.destinations_title(top_bank, lang), loc="left")
    ax.set_xlabel(words.label("destinations_axis", lang))
    ax.grid(axis="y", visible=False)
    return fig


def plot_reasons_over_time(lf: LossFactors, lang: str = "zh"):
    """Leavers per quarter, stacked by close reason."""
    t = lf.reasons_by_quarter
    fig, ax = plt.subplots()
    bottom = np.zeros(len(t))
    for i, r in enumerate(t.columns):
        if t[r].sum() == 0:
            continue
        ax.bar(t.index, t[r], bottom=bottom, color=(GROUP_COLORS + style.MUTED)[i], label=term(r, lang))
        bottom += t[r].to_numpy()
    ax.set_title(words.closures_title(lf.closures_per_month(), lang), loc="left")
    ax.set_ylabel(words.label("closures_axis", lang))
    ax.tick_params(axis="x", rotation=45)
    ax.grid(axis="x", visible=False)
    style.legend_beside(ax)  # beside the quarters' bars, never over them
    return fig
