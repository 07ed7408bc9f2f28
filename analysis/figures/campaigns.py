"""The campaigns' figures: each answers one question, its title reads the
branch's numbers (`analysis.questions.campaigns.CampaignsResult` in, a
matplotlib figure with its source line out)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from analysis.figures import style
from analysis.questions.campaign_effects import RandomizedResult, TargetedResult
from analysis.questions.campaigns import CampaignsResult
from analysis.words.campaigns import label_of
from analysis.words.format import money, num, pct, plural
from analysis.words.glossary import feature_term, term
from analysis.words.lang import pick
from analysis.words.subgroups import subgroups_title

SOURCES = "campaigns, campaign_contacts, monthly_snapshots"
NO_ESTIMATE = {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan}


def _finish(fig, result: CampaignsResult, lang: str, n: int | None, extra: str | None = None) -> None:
    """Lay the figure out and write its source line (tables, branch, as-of, n)."""
    style.lay_out(fig)
    style.caption(fig, style.caption_line(result.branch_name, result.as_of, SOURCES, n, lang, extra=extra))


def _dots(ax, y, effects, color, label, marker="o") -> None:
    style.interval_dots(
        ax,
        y,
        [e["estimate"] for e in effects],
        [e["ci_low"] for e in effects],
        [e["ci_high"] for e in effects],
        color,
        label,
        marker,
    )


def plot_randomized(result: CampaignsResult, lang: str = "zh"):
    """Randomized campaigns: balance effect of inviting (ITT) and of taking
    part (complier effect), CNY per person, with 95 % intervals."""
    rs = [r for r in result.results.values() if isinstance(r, RandomizedResult) and r.balance_effect]
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.6 * max(len(rs), 1)))
    if not rs:
        return fig
    y = np.arange(len(rs))
    _dots(ax, y + 0.15, [r.balance_effect for r in rs], style.HOME, term("ITT", lang))
    _dots(
        ax,
        y - 0.15,
        [r.complier_balance or NO_ESTIMATE for r in rs],
        style.PALETTE[1],
        term("complier effect", lang),
        "s",
    )
    ax.axvline(0, color=style.NEUTRAL, lw=1)
    ax.set_yticks(y, [label_of(r.campaign_id, lang, result) for r in rs])
    style.money_axis(ax, "x", lang, term("balance change", lang))
    best = max(rs, key=lambda r: r.balance_effect["estimate"])
    sure = best.balance_effect["ci_low"] > 0
    ax.set_title(
        pick(
            lang,
            f"随机对照活动中，{best.name}带来的余额增量最大" + ("" if sure else "，但区间包含零"),
            f"Of the randomized campaigns, {label_of(best.campaign_id, lang, result)} added most balance"
            + ("" if sure else ", but its interval includes zero"),
        )
    )
    _finish(fig, result, lang, sum(r.n_balance_treatment + r.n_balance_control for r in rs))
    style.legend_beside(ax)  # after the layout: the saved figure widens to hold it
    return fig


def plot_targeted(result: CampaignsResult, lang: str = "zh"):
    """Targeted campaigns: the naive difference beside the adjusted ATT (CNY per participant)."""
    rs = [r for r in result.results.values() if isinstance(r, TargetedResult) and r.naive and r.estimator]
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.6 * max(len(rs), 1)))
    if not rs:
        return fig
    y = np.arange(len(rs))
    nv, att = [r.naive for r in rs], [r.balance_effect for r in rs]
    _dots(ax, y + 0.15, nv, style.ACCENT, term("naive difference", lang), "x")
    _dots(ax, y - 0.15, att, style.HOME, term("ATT", lang))
    ax.axvline(0, color=style.NEUTRAL, lw=1)
    ax.set_yticks(y, [label_of(r.campaign_id, lang, result) for r in rs])
    style.money_axis(ax, "x", lang, term("balance change", lang))
    naive_sum, att_sum = sum(e["estimate"] for e in nv), sum(e["estimate"] for e in att)
    if att_sum > 0 and naive_sum > att_sum:
        ratio = num(naive_sum / att_sum, 1)
        title = pick(
            lang,
            f"简单对比把定向活动的效果夸大了约{ratio}倍",
            f"The naive comparison overstates targeted campaigns about {ratio}-fold",
        )
    else:
        title = pick(lang, "定向活动：调整前后的效果对比", "Targeted campaigns: effect before and after adjustment")
    ax.set_title(title)
    _finish(fig, result, lang, sum(r.n_balance_participants + r.n_balance_comparison for r in rs))
    style.legend_beside(ax)  # after the layout: the saved figure widens to hold it
    return fig


def plot_balance(result: CampaignsResult, campaign_id: str, lang: str = "zh"):
    """Love plot: standardized mean difference of each feature, before and
    after weighting; |SMD| < 0.1 is the usual mark of comparable groups."""
    r = result.results[campaign_id]
    b = r.estimator.balance_
    fig, ax = plt.subplots(figsize=(8, 1.0 + 0.3 * len(b)))
    y = np.arange(len(b))
    ax.scatter(b["smd_before"], y, color=style.ACCENT, marker="x", label=pick(lang, "调整前", "Before"))
    ax.scatter(b["smd_after"], y, color=style.HOME, label=pick(lang, "调整后", "After weighting"))
    for v in (-0.1, 0.1):
        ax.axvline(v, color=style.NEUTRAL, ls="--", lw=1)
    ax.axvline(0, color=style.NEUTRAL, lw=1)
    ax.set_yticks(y, [feature_term(c, lang) for c in b.index])
    ax.set_xlabel(term("SMD", lang))
    worst = b["smd_after"].abs().max()
    ok = worst < 0.1
    ax.set_title(
        pick(
            lang,
            f"{r.name}：加权后参加者与对照客户" + ("在各项特征上可比" if ok else f"仍有差距（最大{num(worst, 2)}）"),
            f"{label_of(campaign_id, lang, result)}: after weighting the groups "
            + ("are comparable" if ok else f"still differ (up to {num(worst, 2)})"),
        )
    )
    _finish(fig, result, lang, r.n_balance_participants + r.n_balance_comparison)
    style.legend_beside(ax)  # after the layout: the saved figure widens to hold it
    return fig


def plot_overlap(result: CampaignsResult, campaign_id: str, lang: str = "zh"):
    """Overlap: propensity of participants and of the comparison pool; rows
    outside common support are trimmed (counted in the title)."""
    r = result.results[campaign_id]
    e, t, o = r.estimator.propensity_, r.estimator.treated_, r.estimator.overlap_
    fig, ax = plt.subplots()
    bins = np.linspace(0, 1, 41)
    ax.hist(
        e[~t], bins=bins, density=True, alpha=0.6, color=style.NEUTRAL, label=pick(lang, "对照池", "Comparison pool")
    )
    ax.hist(e[t], bins=bins, density=True, alpha=0.6, color=style.HOME, label=pick(lang, "参加者", "Participants"))
    ax.set_xlabel(term("propensity", lang))
    ax.set_ylabel(pick(lang, "密度", "Density"))
    nt, nc = num(o["treated_trimmed"]), num(o["comparison_trimmed"])
    ax.set_title(
        pick(
            lang,
            f"{r.name}：剔除{nt}名无可比对象的参加者、{nc}名对照客户",
            f"{label_of(campaign_id, lang, result)}: {nt} participants and {nc} comparison customers outside "
            "common support",
        )
    )
    _finish(fig, result, lang, len(e))
    style.legend_beside(ax)  # after the layout: the saved figure widens to hold it
    return fig


def plot_event_study(result: CampaignsResult, campaign_id: str, lang: str = "zh"):
    """Event study: participants minus comparison, month by month relative to
    start (CNY), for the adjusted and the naive comparison, with 95 % intervals."""
    r = result.results[campaign_id]
    fig, ax = plt.subplots()
    for es, color, name in (
        (r.did_naive, style.ACCENT, pick(lang, "未调整对比", "Naive comparison")),
        (r.did, style.HOME, pick(lang, "加权且按特征调整", "Weighted, feature-specific trends")),
    ):
        if es is None:
            continue
        c = es.coefs_
        ax.plot(c.index, c["estimate"], marker="o", color=color, label=name)
        ax.fill_between(c.index, c["ci_low"], c["ci_high"], color=color, alpha=0.15)
    ax.axhline(0, color=style.NEUTRAL, lw=1)
    ax.axvline(-0.5, color=style.NEUTRAL, ls="--", lw=1)
    ax.set_xlabel(pick(lang, "相对活动开始的月份", "Months relative to start"))
    style.money_axis(ax, "y", lang, pick(lang, "参加者 − 对照", "Participants − comparison"))
    if r.did is not None:
        p = r.did.pretrend_["p_value"]
        parallel = np.isfinite(p) and p >= 0.05
        apart = parallel and r.did.did_["ci_low"] > 0
        ax.set_title(
            pick(
                lang,
                f"{r.name}：活动前两组走势"
                + ("平行，活动后参加者余额明显拉开" if apart else ("平行" if parallel else "不平行，需谨慎")),
                f"{label_of(campaign_id, lang, result)}: "
                + (
                    "in step before, apart after"
                    if apart
                    else ("in step before start" if parallel else "not in step before start: read with care")
                ),
            )
        )
    n = 0 if r.did is None else r.did.n_treated_ + r.did.n_comparison_
    _finish(fig, result, lang, n)
    style.legend_beside(ax)  # after the layout: the saved figure widens to hold it
    return fig


def plot_heterogeneity(result: CampaignsResult, by: str, lang: str = "zh"):
    """Effects by segment or VIP tier (ITT for randomized, ATT for targeted), with 95 % intervals."""
    h = result.heterogeneity()
    h = h[h["by"] == by] if len(h) else h
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.35 * max(len(h), 1)))
    if h.empty:
        return fig
    y = np.arange(len(h))
    colors = [style.HOME if result.results[c].design == "randomized" else style.PALETTE[2] for c in h["campaign_id"]]
    style.interval_dots(ax, y, h["estimate"], h["ci_low"], h["ci_high"], colors)
    ax.axvline(0, color=style.NEUTRAL, lw=1)
    ax.set_yticks(
        y,
        [
            f"{label_of(c, lang, result)} · {term(str(g), lang)} (n={n})"
            for c, g, n in zip(h["campaign_id"], h["group"], h["n_treated"])
        ],
    )
    style.money_axis(ax, "x", lang, term("balance change", lang))
    ax.set_title(subgroups_title(result.clear_subgroups(by), by, lang))
    _finish(fig, result, lang, int(h["n_treated"].sum() + h["n_comparison"].sum()))
    return fig


def plot_ranking(result: CampaignsResult, lang: str = "zh"):
    """Balance added per CNY spent, per campaign, with 95 % intervals and the
    share of simulated rankings in which each ranks first."""
    ru = result.ranking()
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.5 * max(len(ru), 1)))
    if ru.empty:
        return fig
    ru = ru.iloc[::-1]
    y = np.arange(len(ru))
    style.interval_dots(ax, y, ru["balance_per_cny"], ru["ci_low"], ru["ci_high"], style.HOME)
    for yi, (_, row) in zip(y, ru.iterrows()):
        ax.annotate(
            f"P(1) = {pct(row['p_best'], 0)}",
            (row["ci_high"], yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.axvline(0, color=style.NEUTRAL, lw=1)
    ax.set_yticks(y, [label_of(c, lang, result) for c in ru.index])
    ax.set_xlabel(pick(lang, "每投入1元带来的余额增量（元）", "Balance added per CNY spent (CNY)"))
    top = ru.iloc[-1]
    sure = top["p_best"] >= 0.8
    ax.set_title(
        pick(
            lang,
            f"{top['name']}每元投入带来的余额最多" + ("" if sure else "，但排名并不确定"),
            f"{label_of(ru.index[-1], lang, result)} adds most balance per CNY"
            + ("" if sure else ", but the ranking is uncertain"),
        )
    )
    _finish(
        fig, result, lang, len(ru), pick(lang, "P(1)：模拟中排名第一的概率", "P(1): share of simulations ranked first")
    )
    return fig


def plot_profit(result: CampaignsResult, lang: str = "zh"):
    """Each campaign's yearly net contribution (profit_12m) with its 95 %
    interval beside its cost: a campaign pays back where the profit lies
    to the right of its cost."""
    rs = [r for r in result.results.values() if r.profit_12m is not None]
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.6 * max(len(rs), 1)))
    if not rs:
        return fig
    rs = sorted(rs, key=lambda r: r.profit_12m["estimate"])
    y = np.arange(len(rs))
    colors = [style.HOME if r.design == "randomized" else style.PALETTE[2] for r in rs]
    _dots(ax, y, [r.profit_12m for r in rs], colors, None)
    for design, color in (("randomized", style.HOME), ("targeted", style.PALETTE[2])):  # one entry per colour
        if any(r.design == design for r in rs):
            ax.errorbar([], [], xerr=[], fmt="o", color=color, capsize=3, label=term(f"{design} campaign", lang))
    ax.scatter(
        [r.cost for r in rs], y, marker="|", s=200, color=style.ACCENT, label=pick(lang, "成本", "Cost"), zorder=3
    )
    ax.axvline(0, color=style.NEUTRAL, lw=1)
    ax.set_yticks(y, [label_of(r.campaign_id, lang, result) for r in rs])
    style.money_axis(ax, "x", lang, term("profit", lang))
    sure = [r for r in rs if r.profit_12m["ci_low"] > r.cost]
    best = rs[-1]
    if sure:
        title = pick(
            lang,
            f"{len(sure)}项活动的年净贡献确定超过成本",
            f"Surely earning more a year than they cost: {plural(len(sure), 'campaign')}",
        )
    else:
        title = pick(
            lang,
            f"没有一项活动确定能以利润收回成本；{best.name}估计最多（{money(best.profit_12m['estimate'], lang)}）",
            f"No campaign surely pays back in profit; {label_of(best.campaign_id, lang, result)} "
            f"earns most on its estimate ({money(best.profit_12m['estimate'], lang)})",
        )
    ax.set_title(title)
    margin = result.funds_margin
    extra = pick(
        lang,
        f"利润 = 余额效应 × 覆盖人数 × 资金年化净收益率{pct(margin, 2)}，设效应持续一年",
        f"profit = balance effect × people reached × funds margin {pct(margin, 2)}, if the effect lasts a year",
    )
    _finish(fig, result, lang, sum(r.reach for r in rs), extra)
    style.legend_beside(ax)  # after the layout: the saved figure widens to hold it
    return fig
