"""The QVSRS scorecard as one figure (`analysis.questions.qvsrs`)."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd

from analysis.figures.style import ACCENT, GOOD, HOME, NEUTRAL
from analysis.questions.qvsrs import PILLARS, QvsrsResult
from analysis.words.lang import pick
from analysis.words.qvsrs import (
    pillar_definition,
    pillar_name,
    scorecard_metric_definition,
    scorecard_metric_label,
    scorecard_note,
    scorecard_title,
    scorecard_value,
)

LETTERS = {"quality": "Q", "value": "V", "satisfaction": "S", "relationship": "R", "sustainability": "S"}


def _wrap(text: str, lang: str) -> str:
    """Lines short enough for a pillar's box (Chinese has no spaces to break at: every 15 characters)."""
    zh = "\n".join(text[i : i + 15] for i in range(0, len(text), 15))
    return pick(lang, zh, textwrap.fill(text, 34))


def plot_scorecard(result: QvsrsResult, lang: str = "zh"):
    """One figure: five pillars, each with its figures, definitions and movement."""
    card = result.scorecard_table()
    fig, axes = plt.subplots(1, 5, figsize=(16, 5.8))
    for ax, p in zip(axes, PILLARS):
        ax.set_axis_off()
        ax.add_patch(plt.Rectangle((0, 0), 1, 1, transform=ax.transAxes, facecolor="#F4F7FB", edgecolor=HOME, lw=1.2))
        ax.text(0.5, 0.93, LETTERS[p], ha="center", va="top", fontsize=26, color=HOME, transform=ax.transAxes)
        ax.text(0.5, 0.78, pillar_name(p, lang), ha="center", va="top", fontsize=10, transform=ax.transAxes, wrap=True)
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
                scorecard_value(r["metric"], r["current"], lang),
                ha="center",
                va="top",
                fontsize=22 if big else 14,
                transform=ax.transAxes,
            )
            dy = 0.14 if big else 0.075
            ax.text(
                0.5,
                top - dy,
                f"{arrow} {scorecard_value(r['metric'], r['change'], lang, change=True)}",
                ha="center",
                va="top",
                fontsize=11 if big else 9,
                color=color,
                transform=ax.transAxes,
            )
            ax.text(
                0.5,
                top - dy - (0.07 if big else 0.05),
                scorecard_metric_label(r["metric"], lang),
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
                    _wrap(scorecard_metric_definition(r["metric"], lang), lang),
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
                _wrap(pillar_definition(p, lang), lang),
                ha="center",
                va="bottom",
                fontsize=8,
                color="#666666",
                transform=ax.transAxes,
                linespacing=1.4,
            )
    fig.suptitle(scorecard_title(result, lang), fontsize=14)
    fig.text(0.5, 0.06, scorecard_note(result, lang), ha="center", fontsize=8.5, color="#555555")
    fig.subplots_adjust(left=0.02, right=0.98, top=0.86, bottom=0.12, wspace=0.08)
    return fig
