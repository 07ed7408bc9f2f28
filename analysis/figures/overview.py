"""Figures of the branch at a glance (`analysis.questions.overview`)."""

from __future__ import annotations

import matplotlib.pyplot as plt

from analysis.figures.style import HOME, PALETTE, legend_beside, money_axis
from analysis.questions.overview import OverviewResult
from analysis.words.glossary import term
from analysis.words.overview import book_title

BOOK_LINES = (("deposits", HOME), ("wealth_aum", PALETTE[2]), ("loans", PALETTE[1]))


def plot_book(o: OverviewResult, lang: str = "zh"):
    """Deposits, wealth assets and loans month by month, in 万元 / thousand CNY."""
    fig, ax = plt.subplots()
    for col, color in BOOK_LINES:
        ax.plot(o.book.index, o.book[col], color=color, label=term(col, lang))
    money_axis(ax, "y", lang)
    ax.set_title(book_title(o, lang))
    legend_beside(ax)  # the three lines span the whole plot: no corner of it is free
    return fig
