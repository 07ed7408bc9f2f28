"""Figures of competitor positioning (`analysis.questions.competitors`).

Each `plot_*` returns a matplotlib Figure titled in words
(`analysis.words.competitors`); the notebook adds the source line and saves
it (`analysis.run.notebook.show`). The home bank is always `HOME`,
competitors muted greys.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from analysis.data.contract import ATTRIBUTES
from analysis.figures.style import (
    ACCENT,
    GOOD,
    HOME,
    MUTED,
    PALETTE,
    bank_colors,
    interval_dots,
    lay_out,
    legend_beside,
    percent_axis,
    place_apart,
    spread_labels,
    wrap,
)
from analysis.questions.competitors import UNKNOWN
from analysis.words.competitors import (
    choice_title,
    destination_label,
    explained_labels,
    gap_heatmap_title,
    head_to_head_title,
    perceptual_map_title,
    share_axis_label,
    share_trend_title,
    switching_title,
)
from analysis.words.format import points
from analysis.words.glossary import term
from analysis.words.lang import pick
from analysis.words.names import bank_name


def plot_share_trend(history: pd.DataFrame, home_bank: str, kind: str = "deposit", lang: str = "zh"):
    """Each bank's share of the city's deposits (or loans) by quarter; home bank highlighted."""
    colors = bank_colors(history["bank"].unique(), home_bank)
    fig, ax = plt.subplots()
    ends = []
    for bank, g in history.groupby("bank"):
        home = bank == home_bank
        ax.plot(
            g["period"],
            g[f"{kind}_share"],
            color=colors[bank],
            lw=2.8 if home else 1.3,
            zorder=3 if home else 2,
            marker="o" if home else None,
            ms=3,
        )
        ends.append((bank, g["period"].iloc[-1], g[f"{kind}_share"].iloc[-1]))
    percent_axis(ax, "y")
    ax.set_title(share_trend_title(history, home_bank, kind, lang))
    ax.set_ylabel(share_axis_label(kind, lang))
    lay_out(fig)
    # each line named at its end, the names kept apart where lines finish close together
    for (bank, x, y), dy in zip(ends, spread_labels(ax, [y for _, _, y in ends], gap_pt=9.5)):
        ax.annotate(
            bank_name(bank, lang, short=True),
            (x, y),
            textcoords="offset points",
            xytext=(4, dy),
            va="center",
            fontsize=8,
            color=colors[bank],
            annotation_clip=False,
        )
    return fig


def plot_head_to_head(h2h: pd.DataFrame, lang: str = "zh"):
    """Home bank's net deposit and loan share gain against each competitor."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    y = np.arange(len(h2h))
    for ax, col, name in zip(
        axes, ("home_net_deposit", "home_net_loan"), (term("deposits", lang), term("loans", lang))
    ):
        v = h2h[col] * 100
        ax.barh(y, v, color=[GOOD if x > 0 else ACCENT for x in v])
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_title(name, fontsize=11)
        ax.set_xlabel(pick(lang, "本行净得失（百分点）", "Home bank's net gain (percentage points)"))
    axes[0].set_yticks(y, [bank_name(b, lang, short=True) for b in h2h.index])
    fig.suptitle(head_to_head_title(h2h, lang))
    lay_out(fig)
    return fig


def plot_perceptual_map(pmap: dict, home_bank: str, lang: str = "zh"):
    """PCA biplot: banks as points (home bank highlighted), attributes as arrows."""
    banks, attrs, expl = pmap["banks"], pmap["attributes"], pmap["explained"]
    colors = bank_colors(banks.index, home_bank)
    fig, ax = plt.subplots(figsize=(8, 6.5))
    attr_labels, bank_labels = [], []
    for a, r in attrs.iterrows():
        ax.annotate("", xy=(r["pc1"], r["pc2"]), xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="#999999", lw=1))
        attr_labels.append(
            ax.annotate(
                term(a, lang),
                (r["pc1"] * 1.08, r["pc2"] * 1.08),
                textcoords="offset points",
                xytext=(0, 0),
                fontsize=8,
                color="#666666",
                ha="center",
            )
        )
    for b, r in banks.iterrows():
        home = b == home_bank
        ax.scatter(
            r["pc1"], r["pc2"], s=140 if home else 60, color=colors[b], zorder=3, edgecolor="black" if home else "none"
        )
        bank_labels.append(
            ax.annotate(
                bank_name(b, lang, short=True),
                (r["pc1"], r["pc2"]),
                textcoords="offset points",
                xytext=(7, -10),
                fontsize=10 if home else 9,
                color=colors[b] if home else "#333333",
            )
        )
    ax.axhline(0, color="#cccccc", lw=0.6)
    ax.axvline(0, color="#cccccc", lw=0.6)
    # arrows and their labels are not part of autoscaling: make room for them
    ext = 1.3 * max(np.abs(banks.to_numpy()).max(), np.abs(attrs.to_numpy()).max())
    ax.set_xlim(-ext, ext)
    ax.set_ylim(-ext, ext)
    ax.set_title(perceptual_map_title(lang))
    x_label, y_label = explained_labels(expl, lang)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    lay_out(fig)
    # arrows pointing close together, and banks close together, keep their names apart
    place_apart(fig, attr_labels, spots=((0, 0), (0, 9), (0, -9), (0, 18), (0, -18)))
    place_apart(fig, bank_labels, attr_labels)
    return fig


def plot_gap_heatmap(gaps: pd.DataFrame, lang: str = "zh"):
    """Home bank − competitor mean rating per attribute (rating points of 7),
    one cell per competitor and attribute on a scale centred at 0; faint
    italics where the 95 % interval includes 0. Drawn by seaborn's heatmap,
    which also picks each number's colour against its cell."""
    wide = gaps.pivot(index="competitor", columns="attribute", values="gap").reindex(columns=list(ATTRIBUTES))
    sig = gaps.assign(sig=(gaps["ci_low"] > 0) | (gaps["ci_high"] < 0)).pivot(
        index="competitor", columns="attribute", values="sig"
    )
    sig = sig.reindex(columns=list(ATTRIBUTES)).eq(True)  # unrated cells: not significant
    fig, ax = plt.subplots(figsize=(11, 0.6 * len(wide) + 2.2))
    lim = max(float(np.nanmax(np.abs(wide.to_numpy()))), 0.1)
    sns.heatmap(
        wide.astype(float),
        cmap="RdBu",
        center=0,
        vmin=-lim,
        vmax=lim,
        annot=wide.map(points),
        fmt="",
        annot_kws={"fontsize": 9},
        cbar_kws={"label": pick(lang, "本行 − 对手（评分差，7分制）", "Home − competitor (rating points of 7)")},
        ax=ax,
    )
    for text in ax.texts:  # one per rated cell, at its centre (column + 0.5, row + 0.5)
        col, row = (int(v) for v in text.get_position())
        if not sig.iat[row, col]:
            text.set_alpha(0.45)
            text.set_fontstyle("italic")
    # names side by side, wrapped to their column's width (rotated, long ones overlap their neighbours)
    column_in = 7.0 / max(wide.shape[1], 1)
    centres = np.arange(wide.shape[1]) + 0.5
    ax.set_xticks(centres, [wrap(term(a, lang), 9, column_in) for a in wide.columns], fontsize=9, rotation=0)
    ax.set_yticks(np.arange(wide.shape[0]) + 0.5, [bank_name(b, lang, short=True) for b in wide.index], rotation=0)
    ax.set_ylabel("")
    ax.grid(False)  # the house style's grid would cross the cells
    ax.set_xlabel(
        pick(lang, "淡色斜体：95%区间含0，差异不确定", "Faint italics: 95 % interval includes 0, difference uncertain"),
        fontsize=8,
        color="#555555",
    )
    ax.set_title(gap_heatmap_title(gaps, lang))
    lay_out(fig)
    return fig


def plot_choice_drivers(priorities: pd.DataFrame, lang: str = "zh"):
    """Odds multiplier per rating point with 95 % intervals; attributes where the home bank is weak in ACCENT."""
    t = priorities.sort_values("coef")
    y = np.arange(len(t))
    fig, ax = plt.subplots(figsize=(8, 4.8))
    colors = [ACCENT if w else HOME for w in t["weak_on_what_matters"]]
    interval_dots(ax, y, np.exp(t["coef"]), np.exp(t["ci_low"]), np.exp(t["ci_high"]), colors)
    ax.axvline(1, color="#333333", lw=0.8)
    ax.set_yticks(y, [term(a, lang) for a in t.index])
    ax.set_title(choice_title(priorities, lang))
    ax.set_xlabel(
        pick(
            lang,
            "评分每高1分，被选为主办银行的几率倍数（线段为95%区间；橙色：本行低于同业）",
            "Odds of being chosen, × per rating point (95 % intervals; orange: home bank below competitors)",
        )
    )
    lay_out(fig)
    return fig


def plot_switching(by_segment: pd.DataFrame, lang: str = "zh"):
    """Stacked bars: leavers of each segment by destination bank."""
    fig, ax = plt.subplots(figsize=(9, 4.5))
    left = np.zeros(len(by_segment))
    labels = [term(s, lang) for s in by_segment.index]
    palette = PALETTE[1:] + MUTED
    for i, dest in enumerate(by_segment.columns):
        v = by_segment[dest].to_numpy()
        color = "#DDDDDD" if dest == UNKNOWN else palette[i % len(palette)]
        ax.barh(labels, v, left=left, color=color, label=destination_label(dest, lang))
        left += v
    ax.set_xlabel(pick(lang, "销户客户数", "Customers who closed"))
    ax.set_title(switching_title(by_segment, lang))
    lay_out(fig)
    legend_beside(ax)  # after the layout: the saved figure widens to hold it
    return fig
