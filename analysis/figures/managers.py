"""The relationship-manager figures: the proposal's coverage and loads before
and after, and each manager's 12-month churn against the branch; titles and
labels from `analysis.words.managers`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.assumptions import Assumptions
from analysis.figures import style
from analysis.questions.managers import Proposal
from analysis.words import managers as words
from analysis.words.format import pct


def plot_proposal(proposal: Proposal, lang: str = "zh", assumptions: Assumptions | None = None):
    """Before/after in one figure: coverage of the top 20 % (left) and each
    manager's load against capacity (right)."""
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4.5), gridspec_kw={"width_ratios": [1, 2.4]})
    before, after = proposal.coverage_before or 0.0, proposal.coverage_after or 0.0
    labels = [words.label("now", lang), words.label("after", lang)]
    a1.bar(labels, [before, after], color=[style.NEUTRAL, style.HOME])
    for x, v in enumerate([before, after]):
        a1.text(x, v + 0.02, pct(v), ha="center")
    a1.set_ylim(0, 1.1)
    style.percent_axis(a1, "y")
    a1.set_ylabel(words.label("covered_axis", lang, assumptions))
    m = proposal.managers
    x = np.arange(len(m))
    a2.bar(x - 0.2, m["load_before"], 0.4, color=style.NEUTRAL, label=labels[0])
    a2.bar(x + 0.2, m["load_after"], 0.4, color=style.HOME, label=labels[1])
    a2.scatter(x, m["capacity"], marker="_", s=600, color=style.ACCENT, zorder=3, label=words.label("capacity", lang))
    a2.set_xticks(x)
    a2.set_xticklabels(m.index, rotation=30, ha="right")
    a2.set_ylabel(words.label("book_axis", lang))
    a2.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3)
    a2.grid(axis="x", visible=False)
    a1.grid(axis="x", visible=False)
    fig.suptitle(words.proposal_title(proposal, lang), x=0.01, ha="left")
    style.lay_out(fig)
    return fig


def plot_portfolio(book: pd.DataFrame, flags: pd.DataFrame, lang: str = "zh", assumptions: Assumptions | None = None):
    """12-month churn of each manager's book with its interval, against the
    branch; a book flagged on churn (`flags`, from `outliers`) in ACCENT."""
    b = book.drop(index="branch", errors="ignore").dropna(subset=["churn_rate"])
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(b), 1) + 1.8))
    y = np.arange(len(b))[::-1]
    flagged = set(words.flagged(flags, "churn_rate"))
    for yi, (rm, r) in zip(y, b.iterrows()):
        col = style.ACCENT if rm in flagged and r["churn_rate"] > 0 else style.HOME
        ax.plot([r["churn_low"], r["churn_high"]], [yi, yi], color=col, lw=2)
        ax.plot(r["churn_rate"], yi, "o", color=col)
    if "branch" in book.index and not pd.isna(book.loc["branch", "churn_rate"]):
        ax.axvline(
            book.loc["branch", "churn_rate"], color=style.NEUTRAL, ls="--", lw=1, label=words.label("branch", lang)
        )
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0))
    ax.set_yticks(y)
    ax.set_yticklabels(b.index)
    style.percent_axis(ax, "x")
    ax.set_xlabel(words.label("churn_axis", lang, assumptions))
    ax.grid(axis="y", visible=False)
    ax.set_title(words.portfolio_title(book, flags, lang), loc="left", pad=24)
    style.lay_out(fig)
    return fig
