"""Figures of retention and customer lifetime value (`analysis.questions.clv`).

Each `plot_*` returns a matplotlib Figure titled in words; the notebook adds
the source line and saves it (`analysis.run.notebook.show`).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from analysis.figures.style import HOME, PALETTE, lay_out, legend_beside, money_axis, percent_axis
from analysis.questions.clv import ClvResult
from analysis.words.clv import clv_title, group_label, retention_title
from analysis.words.format import pct
from analysis.words.glossary import term
from analysis.words.lang import pick


def plot_retention(result: ClvResult, lang: str = "zh"):
    """Observed survival by tenure year (life table) against the fitted sBG, per group."""
    fig, ax = plt.subplots()
    lt = result.life_tables
    for i, (key, m) in enumerate(result.fits.items()):
        color = PALETTE[i % len(PALETTE)]
        obs = lt[lt[result.by].astype(str) == key]
        ax.plot(obs["period"], obs["survival"], "o", color=color, ms=4, alpha=0.8)
        t = np.arange(0, int(obs["period"].max()) + 1)
        ax.plot(t, m.survival_function(t).values, "-", color=color, label=group_label(key, lang))
    percent_axis(ax, "y")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(pick(lang, f"{term('tenure_years', 'zh')}（年）", term("tenure_years", "en")))
    ax.set_ylabel(pick(lang, "仍在本行的客户占比", "Share of customers still with the bank"))
    ax.set_title(retention_title(result, lang))
    lay_out(fig)
    legend_beside(ax, title=pick(lang, "点 = 实际，线 = 模型", "dots = observed, lines = model"))
    return fig


def plot_clv(result: ClvResult, lang: str = "zh"):
    """Lifetime value of a current customer per group, with 95 % intervals."""
    ok = result.modelled
    fig, ax = plt.subplots()
    x = np.arange(len(ok))
    err = np.vstack([ok["clv"] - ok["clv_ci_low"], ok["clv_ci_high"] - ok["clv"]]).clip(min=0)
    ax.bar(x, ok["clv"], color=HOME, yerr=err, capsize=4, ecolor="#333333")
    ax.set_xticks(x, [group_label(k, lang) for k in ok.index])
    d = pct(result.discount_rate, 0)
    money_axis(ax, "y", lang, pick(lang, f"客户终身价值（折现率{d}）", f"Lifetime value (discount {d} a year)"))
    ax.set_title(clv_title(result, lang))
    lay_out(fig)
    return fig
