"""The survival figures: retention curves by group and the Cox hazard ratios,
in the house style; titles and labels from `analysis.words.survival`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.figures import style
from analysis.figures.churn import GROUP_COLORS, forest_plot
from analysis.stats.survival import CoxResult
from analysis.words import churn as churn_words
from analysis.words import survival as words
from analysis.words.glossary import term


def plot_retention(curves: pd.DataFrame, lang: str = "zh", ax=None, max_years: float | None = None):
    """Kaplan–Meier retention by group with its confidence bands; percent axis."""
    if ax is None:
        fig, ax = plt.subplots()
    else:
        fig = ax.figure
    for i, (g, t) in enumerate(curves.groupby("group", sort=False)):
        if max_years is not None:
            t = t[t["years"] <= max_years]
        col = GROUP_COLORS[i % len(GROUP_COLORS)]
        ax.step(t["years"], t["retention"], where="post", color=col, label=term(g, lang), lw=2)
        ax.fill_between(t["years"], t["ci_low"], t["ci_high"], step="post", color=col, alpha=0.15, lw=0)
    style.percent_axis(ax, "y")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(words.years_axis(lang))
    ax.set_ylabel(term("retention", lang))
    ax.set_title(words.retention_title(curves, lang), loc="left")
    style.legend_beside(ax)  # the curves and their bands fill the plot
    return fig


def plot_hazard_ratios(cox: CoxResult, lang: str = "zh"):
    """Forest plot of the Cox hazard ratios (log scale) with their intervals."""
    t = cox.hazard_ratios.rename(columns={"hazard_ratio": "estimate"})
    t = t.assign(significant=t["p_value"] < cox.alpha)
    labels = {k: churn_words.driver_label(k, lang) for k in t.index}
    return forest_plot(t, labels, words.hazard_title(cox, lang), churn_words.label("hazard_axis", lang))
