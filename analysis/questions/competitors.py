"""Competitor positioning in the branch's city (RESULTS.md `competitors`).

- Market share of deposits and loans per bank and quarter (`market_share`),
  and the home bank's gains or losses against each competitor.
- How the city's residents rate each bank on the eight attributes
  (`market_survey`): means, a perceptual map, the home bank's gap to each
  competitor.
- What makes a resident choose a bank as primary bank: a conditional
  (McFadden) logit of primary_bank on the eight ratings within each
  respondent's rated banks (`analysis.choice`).
- Where the branch's leavers went (`customers.destination_bank`).

The section is skipped only when neither market table is given. With one of
them, the figures of the other are null. `switching_destinations` needs only
`customers` and is computed whenever the section is; the notebook shows the
switching flows even when the section is skipped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis import sections
from analysis.data.bank import Bank
from analysis.stats.choice import ConditionalLogitFitter
from analysis.data.contract import ATTRIBUTES, SEGMENTS
from analysis.words.glossary import check_lang, term, word_list

RATINGS = [f"rating_{a}" for a in ATTRIBUTES]
QUARTERS_BACK = 4


def _zh(lang: str) -> bool:
    return check_lang(lang) == "zh"


# ---------------------------------------------------------------------------
# Market share


def share_history(market_share: pd.DataFrame) -> pd.DataFrame:
    """Per period and bank: deposits, loans (CNY) and each bank's share of the
    city's total in that period (deposit_share, loan_share)."""
    m = market_share[["period", "bank", "deposits", "loans"]].copy()
    tot = m.groupby("period")[["deposits", "loans"]].transform("sum")
    m["deposit_share"] = m["deposits"] / tot["deposits"]
    m["loan_share"] = m["loans"] / tot["loans"]
    return m.sort_values(["period", "bank"]).reset_index(drop=True)


def quarters_before(period: pd.Timestamp, quarters: int) -> pd.Timestamp:
    """The quarter end `quarters` quarters before `period` (a quarter end)."""
    return pd.Timestamp(period) - pd.DateOffset(months=3 * quarters) + pd.offsets.MonthEnd(0)


def shares_at(history: pd.DataFrame, period: pd.Timestamp, kind: str = "deposit") -> pd.Series:
    """Per bank: its `kind` ("deposit"/"loan") share in `period` (empty if absent)."""
    h = history[history["period"] == period]
    return h.set_index("bank")[f"{kind}_share"].sort_values(ascending=False)


def share_change(history: pd.DataFrame, quarters: int = QUARTERS_BACK, kind: str = "deposit") -> pd.Series | None:
    """Per bank: share in the latest period minus its share `quarters`
    quarters earlier (share points as a fraction); banks present in both
    periods only; None when that earlier period is not in the data."""
    latest = history["period"].max()
    earlier = quarters_before(latest, quarters)
    if not (history["period"] == earlier).any():
        return None
    now, before = shares_at(history, latest, kind), shares_at(history, earlier, kind)
    both = now.index.intersection(before.index)
    return (now[both] - before[both]).reindex(now.index.intersection(both))


def head_to_head(history: pd.DataFrame, home_bank: str, quarters: int = QUARTERS_BACK) -> pd.DataFrame | None:
    """Per competitor: its deposit/loan share change over `quarters` quarters
    and the home bank's net gain against it (home change − competitor
    change, share points as a fraction; > 0: the home bank gained ground).
    None without the earlier period or without the home bank in it."""
    dep, loan = share_change(history, quarters, "deposit"), share_change(history, quarters, "loan")
    if dep is None or home_bank not in dep.index:
        return None
    comp = [b for b in dep.index if b != home_bank]
    out = pd.DataFrame(
        {
            "deposit_share_change": dep[comp],
            "home_net_deposit": dep[home_bank] - dep[comp],
            "loan_share_change": loan[comp],
            "home_net_loan": loan[home_bank] - loan[comp],
        }
    ).rename_axis("competitor")
    out.attrs.update(home_deposit_change=float(dep[home_bank]), home_loan_change=float(loan[home_bank]))
    return out.sort_values("home_net_deposit")


# ---------------------------------------------------------------------------
# Survey: ratings


def attribute_means(market_survey: pd.DataFrame) -> pd.DataFrame:
    """Per bank (rows) and attribute (columns): mean rating (1–7) over the
    respondents who rated it."""
    m = market_survey.groupby("bank")[RATINGS].mean()
    m.columns = list(ATTRIBUTES)
    return m


def gap_to_competitors(market_survey: pd.DataFrame, home_bank: str, alpha: float = 0.05) -> pd.DataFrame:
    """Per competitor and attribute: home mean − competitor mean (rating
    points) with a Welch interval (the two sets of ratings treated as
    independent samples) and n of each. Long form."""
    ms = market_survey
    home = ms[ms["bank"] == home_bank]
    rows = []
    for bank, grp in ms[ms["bank"] != home_bank].groupby("bank"):
        for a, col in zip(ATTRIBUTES, RATINGS):
            x, y = home[col].dropna().astype(float), grp[col].dropna().astype(float)
            gap = x.mean() - y.mean() if len(x) and len(y) else np.nan
            lo = hi = np.nan
            if len(x) > 1 and len(y) > 1 and (x.var() > 0 or y.var() > 0):
                ci = stats.ttest_ind(x, y, equal_var=False).confidence_interval(1 - alpha)
                lo, hi = float(ci.low), float(ci.high)
            rows.append(
                {
                    "competitor": bank,
                    "attribute": a,
                    "gap": gap,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n_home": len(x),
                    "n_competitor": len(y),
                }
            )
    return pd.DataFrame(rows, columns=["competitor", "attribute", "gap", "ci_low", "ci_high", "n_home", "n_competitor"])


def perceptual_map(means: pd.DataFrame) -> dict:
    """PCA biplot of the banks' attribute means.

    The means are centred per attribute (not scaled: all are on the same 1–7
    scale, so an attribute on which banks barely differ should not be blown
    up). Returns `banks` (DataFrame pc1, pc2: bank coordinates), `attributes`
    (pc1, pc2: the attribute directions, scaled to the banks' spread for
    drawing) and `explained` (share of the between-bank variance on each
    axis). Needs at least three banks.
    """
    m = means.dropna(axis=1, how="any")
    if len(m) < 3 or m.shape[1] < 2:
        raise ValueError("a perceptual map needs at least three banks rated on two or more attributes")
    X = m.to_numpy() - m.to_numpy().mean(axis=0)
    U, S, Vt = np.linalg.svd(X, full_matrices=False)
    # orient each axis so that most attributes point to its positive side: stable pictures across runs
    signs = np.sign(Vt[:2].sum(axis=1))
    signs[signs == 0] = 1
    scores = U[:, :2] * S[:2] * signs
    load = Vt[:2].T * signs
    scale = np.abs(scores).max() / max(np.abs(load).max(), 1e-12)
    return {
        "banks": pd.DataFrame(scores, index=m.index, columns=["pc1", "pc2"]),
        "attributes": pd.DataFrame(load * scale, index=m.columns, columns=["pc1", "pc2"]),
        "explained": (S**2 / (S**2).sum())[:2],
    }


# ---------------------------------------------------------------------------
# Survey: choice


def choice_model(market_survey: pd.DataFrame) -> ConditionalLogitFitter | None:
    """The conditional logit of primary_bank on the eight ratings (complete
    cases, no bank constants); None when it cannot be fitted."""
    try:
        return ConditionalLogitFitter().fit(market_survey, "primary_bank", "respondent_id", RATINGS)
    except ValueError:
        return None


def choice_priorities(fitter: ConditionalLogitFitter, means: pd.DataFrame, home_bank: str) -> pd.DataFrame:
    """Per attribute: what moves primary-bank choice and where the home bank stands.

    coef (log-odds of being chosen per rating point), ci_low, ci_high,
    p_value, odds_multiplier (exp(coef): how the odds of being chosen
    multiply for one more point), home (home bank's mean rating),
    competitors (mean of the competitors' means), gap (home − competitors),
    best_competitor and best (its mean), and weak_on_what_matters: the
    attribute clearly moves choice (p < 0.05, coef > 0) and the home bank
    rates below the competitors' average. Sorted by coef, largest first.
    """
    s = fitter.summary
    comp = means.drop(index=home_bank, errors="ignore")
    out = pd.DataFrame(
        {
            "coef": s["coef"].to_numpy(),
            "ci_low": s["ci_low"].to_numpy(),
            "ci_high": s["ci_high"].to_numpy(),
            "p_value": s["p"].to_numpy(),
            "odds_multiplier": s["exp(coef)"].to_numpy(),
        },
        index=pd.Index(ATTRIBUTES, name="attribute"),
    )
    out["home"] = means.loc[home_bank] if home_bank in means.index else np.nan
    out["competitors"] = comp.mean()
    out["gap"] = out["home"] - out["competitors"]
    out["best_competitor"] = comp.idxmax() if len(comp) else None
    out["best"] = comp.max()
    out["weak_on_what_matters"] = (out["p_value"] < 0.05) & (out["coef"] > 0) & (out["gap"] < 0)
    return out.sort_values("coef", ascending=False)


# ---------------------------------------------------------------------------
# Switching


def window_leavers(bank: Bank) -> pd.DataFrame:
    """Customers of the branch closed in the window (close_date in t0 … as_of)."""
    c = bank.customers
    return c[bank.timeframe.in_window(c["close_date"])].reset_index(drop=True)


def switching_destinations(bank: Bank) -> pd.Series:
    """Per destination_bank: leavers of the window who went there (known destinations), most first."""
    d = window_leavers(bank)["destination_bank"].dropna()
    return d.value_counts().rename("customers").rename_axis("destination_bank")


UNKNOWN = "unknown"


def switching_by_segment(bank: Bank) -> pd.DataFrame:
    """Leavers of the window by segment (rows, contract order) and
    destination (columns, most frequent first; `unknown` when not recorded)."""
    d = window_leavers(bank)
    dest = d["destination_bank"].fillna(UNKNOWN)
    t = pd.crosstab(d["segment"].astype(str), dest)
    cols = [c for c in t.sum().sort_values(ascending=False).index if c != UNKNOWN]
    if UNKNOWN in t.columns:
        cols.append(UNKNOWN)
    return t.reindex(index=[s for s in SEGMENTS if s in t.index], columns=cols)


# ---------------------------------------------------------------------------
# The section


def competitors_section(bank: Bank) -> dict:
    """The contract's `competitors` section (see the module docstring for
    what is null when one market table is missing)."""
    has_share, has_survey = bank.has("market_share"), bank.has("market_survey")
    if not (has_share or has_survey):
        return sections.skipped(
            f"no market data for {bank.branch['city']}: neither market_share nor market_survey was provided"
        )
    period = deposit = loan = change = None
    if has_share:
        h = share_history(bank.market_share)
        latest = h["period"].max()
        period = latest.strftime("%Y-%m-%d")
        deposit = shares_at(h, latest, "deposit").to_dict()
        loan = shares_at(h, latest, "loan").to_dict()
        ch = share_change(h, QUARTERS_BACK, "deposit")
        change = None if ch is None else ch.to_dict()
    means = drivers = None
    if has_survey:
        m = attribute_means(bank.market_survey)
        means = {b: {a: (None if pd.isna(v) else float(v)) for a, v in row.items()} for b, row in m.iterrows()}
        fit = choice_model(bank.market_survey)
        if fit is not None:
            ci = fit.confidence_intervals_
            drivers = {
                a: sections.estimate(
                    float(fit.params_[r]),
                    float(ci.loc[r, "ci_low"]),
                    float(ci.loc[r, "ci_high"]),
                    float(fit.p_values_[r]),
                )
                for a, r in zip(ATTRIBUTES, RATINGS)
            }
    return sections.ok(
        period=period,
        deposit_share=deposit,
        loan_share=loan,
        deposit_share_change_4q=change,
        attribute_means=means,
        choice_drivers=drivers,
        switching_destinations={k: int(v) for k, v in switching_destinations(bank).items()},
    )


# ---------------------------------------------------------------------------
# Prose


def describe_market(history: pd.DataFrame, h2h: pd.DataFrame | None, home_bank: str, lang: str = "zh") -> list[str]:
    """Sentences on the home bank's market share and its gains/losses."""
    latest = history["period"].max()
    dep, loan = shares_at(history, latest, "deposit"), shares_at(history, latest, "loan")
    if home_bank not in dep.index:
        return [
            f"{home_bank}不在{latest:%Y-%m-%d}的市场份额数据中。"
            if _zh(lang)
            else f"{home_bank} is not in the market-share data of {latest:%Y-%m-%d}."
        ]
    rank = list(dep.index).index(home_bank) + 1
    zh = _zh(lang)
    out = [
        (
            f"截至{latest:%Y-%m-%d}，{home_bank}在本市存款份额为{dep[home_bank]:.1%}（{len(dep)}家中排第{rank}），"
            f"贷款份额为{loan[home_bank]:.1%}；存款份额最高的是{dep.index[0]}（{dep.iloc[0]:.1%}）。"
        )
        if zh
        else (
            f"On {latest:%Y-%m-%d} {home_bank} held {dep[home_bank]:.1%} of the city's deposits (rank {rank} of {len(dep)}) "
            f"and {loan[home_bank]:.1%} of its loans; the deposit leader is {dep.index[0]} ({dep.iloc[0]:.1%})."
        )
    ]
    if h2h is not None and len(h2h):
        d = h2h.attrs["home_deposit_change"]
        losers = h2h[h2h["home_net_deposit"] < 0].index.tolist()
        winners = h2h[h2h["home_net_deposit"] > 0].index.tolist()
        if zh:
            out.append(
                f"过去四个季度本行存款份额变化{d * 100:+.2f}个百分点。"
                + (f"相对{word_list(losers, lang)}失去了份额" if losers else "")
                + ("；" if losers and winners else "")
                + (f"相对{word_list(winners, lang)}赢得了份额" if winners else "")
                + "。"
            )
        else:
            out.append(
                f"Over four quarters the home bank's deposit share moved {d * 100:+.2f} percentage points."
                + (f" It lost ground to {word_list(losers, lang)}" if losers else "")
                + (";" if losers and winners else "")
                + (f" it gained ground on {word_list(winners, lang)}" if winners else "")
                + "."
            )
    return out


def describe_positioning(means: pd.DataFrame, home_bank: str, lang: str = "zh") -> list[str]:
    """Sentences on where the home bank leads and trails the city's banks."""
    if home_bank not in means.index:
        return [
            f"市场调查中没有{home_bank}的评分。" if _zh(lang) else f"The market survey has no ratings of {home_bank}."
        ]
    comp = means.drop(index=home_bank)
    gap = means.loc[home_bank] - comp.mean()
    rank = means.rank(ascending=False).loc[home_bank]
    lead = gap[gap > 0].sort_values(ascending=False).index.tolist()
    trail = gap[gap < 0].sort_values().index.tolist()
    zh = _zh(lang)
    out = []
    if lead:
        out.append(
            (
                f"{home_bank}领先同业平均的属性："
                + "、".join(f"{term(a, lang)}（{gap[a]:+.2f}分，排第{int(rank[a])}）" for a in lead)
                + "。"
            )
            if zh
            else (
                f"{home_bank} rates above the competitors' average on "
                + word_list([f"{term(a, lang)} ({gap[a]:+.2f}, rank {int(rank[a])})" for a in lead], lang)
                + "."
            )
        )
    if trail:
        out.append(
            (
                "落后于同业平均的属性："
                + "、".join(f"{term(a, lang)}（{gap[a]:+.2f}分，排第{int(rank[a])}）" for a in trail)
                + "。"
            )
            if zh
            else (
                "It trails on "
                + word_list([f"{term(a, lang)} ({gap[a]:+.2f}, rank {int(rank[a])})" for a in trail], lang)
                + "."
            )
        )
    return out


def describe_choice(priorities: pd.DataFrame | None, home_bank: str, lang: str = "zh") -> list[str]:
    """Plain words for the conditional logit: what moves choice, where the home bank is weak."""
    zh = _zh(lang)
    if priorities is None:
        return [
            "市场调查样本不足，无法估计选择主办银行的驱动因素。"
            if zh
            else "Too few market-survey answers to estimate what drives the choice of primary bank."
        ]
    top = priorities.index[0]
    r = priorities.loc[top]
    weak = priorities[priorities["weak_on_what_matters"]]
    out = [
        (
            f"条件logit模型比较每位受访者了解的几家银行，看哪家被选为{term('primary bank', lang)}："
            f"系数表示某项评分每高1分，被选中的几率（优势）乘以exp(系数)。"
        )
        if zh
        else (
            "A conditional logit compares the banks each respondent knows and asks which one became their "
            f"{term('primary bank', lang).lower()}: for one more rating point on an attribute, the odds of being chosen multiply by exp(coefficient)."
        ),
        (
            f"对{term('primary bank', lang)}选择影响最大的是{term(top, lang)}：评分每高1分，被选为主办银行的几率约为原来的"
            f"{r['odds_multiplier']:.2f}倍（95%区间 {np.exp(r['ci_low']):.2f}–{np.exp(r['ci_high']):.2f}）。"
        )
        if zh
        else (
            f"{term(top, lang)} moves the choice of primary bank most: one more point multiplies the odds of being chosen by "
            f"{r['odds_multiplier']:.2f} (95 % interval {np.exp(r['ci_low']):.2f}–{np.exp(r['ci_high']):.2f})."
        ),
    ]
    if len(weak):
        items = [
            f"{term(a, lang)}（{weak.loc[a, 'gap']:+.2f}分）" if zh else f"{term(a, lang)} ({weak.loc[a, 'gap']:+.2f})"
            for a in weak.index
        ]
        out.append(
            (f"{home_bank}在这些客户看重的属性上低于同业平均：" + "、".join(items) + "，是争夺主办银行地位的短板。")
            if zh
            else (
                f"{home_bank} rates below the competitors' average on attributes that clearly matter: "
                + word_list(items, lang)
                + ": its weak spots in the fight for primary-bank status."
            )
        )
    else:
        out.append(
            f"{home_bank}在显著影响选择的属性上没有低于同业平均。"
            if zh
            else f"{home_bank} is not below the competitors' average on any attribute that clearly matters."
        )
    return out


def describe_switching(by_segment: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Sentences on where leavers went."""
    zh = _zh(lang)
    total = int(by_segment.to_numpy().sum()) if by_segment.size else 0
    if total == 0:
        return ["窗口期内没有销户客户。" if zh else "No customer closed in the window."]
    known = by_segment.drop(columns=[UNKNOWN], errors="ignore")
    out = []
    if known.size and known.to_numpy().sum() > 0:
        dest = known.sum().sort_values(ascending=False)
        share = dest.iloc[0] / known.to_numpy().sum()
        out.append(
            f"窗口期内{total}名客户销户；已知去向中，{dest.index[0]}吸走最多（{int(dest.iloc[0])}人，{share:.0%}）。"
            if zh
            else f"{total} customers closed in the window; of known destinations, {dest.index[0]} took the most "
            f"({int(dest.iloc[0])}, {share:.0%})."
        )
        seg_top = known.sum(axis=1).sort_values(ascending=False)
        s = seg_top.index[0]
        out.append(
            f"流失最多的客群是{term(s, lang)}（{int(seg_top.iloc[0])}人），主要流向{known.loc[s].idxmax()}。"
            if zh
            else f"The segment losing most is {term(s, lang)} ({int(seg_top.iloc[0])}), mostly to {known.loc[s].idxmax()}."
        )
    return out


# ---------------------------------------------------------------------------
# Figures


def plot_share_trend(history: pd.DataFrame, home_bank: str, kind: str = "deposit", lang: str = "zh"):
    """Each bank's share of the city's deposits (or loans) by quarter; home bank highlighted."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import bank_colors, percent_axis

    colors = bank_colors(history["bank"].unique(), home_bank)
    fig, ax = plt.subplots()
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
        ax.annotate(
            bank,
            (g["period"].iloc[-1], g[f"{kind}_share"].iloc[-1]),
            textcoords="offset points",
            xytext=(4, 0),
            fontsize=8,
            color=colors[bank],
        )
    percent_axis(ax, "y")
    h = history[history["bank"] == home_bank].sort_values("period")
    what = term("deposits" if kind == "deposit" else "loans", lang)
    what = what if _zh(lang) else what.lower()
    if len(h) >= 2:
        d = h[f"{kind}_share"].iloc[-1] - h[f"{kind}_share"].iloc[0]
        title = (
            f"{home_bank}{what}份额{h['period'].iloc[0]:%Y年%m月}以来{'上升' if d >= 0 else '下降'}{abs(d) * 100:.1f}个百分点"
            if _zh(lang)
            else f"{home_bank}'s share of {what} {'rose' if d >= 0 else 'fell'} {abs(d) * 100:.1f} points since {h['period'].iloc[0]:%b %Y}"
        )
    else:
        title = f"本市{what}份额" if _zh(lang) else f"Share of the city's {what}"
    ax.set_title(title)
    ax.set_ylabel(f"{what}市场份额" if _zh(lang) else f"Share of {what}")
    fig.tight_layout()
    return fig


def plot_head_to_head(h2h: pd.DataFrame, lang: str = "zh"):
    """Home bank's net deposit and loan share gain against each competitor."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import ACCENT, GOOD

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    y = np.arange(len(h2h))
    for ax, col, name in zip(
        axes, ("home_net_deposit", "home_net_loan"), (term("deposits", lang), term("loans", lang))
    ):
        v = h2h[col] * 100
        ax.barh(y, v, color=[GOOD if x > 0 else ACCENT for x in v])
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_title(name, fontsize=11)
        ax.set_xlabel("本行净得失（百分点）" if _zh(lang) else "Home bank's net gain (percentage points)")
    axes[0].set_yticks(y, h2h.index)
    worst = h2h["home_net_deposit"].idxmin()
    fig.suptitle(
        f"过去四个季度，本行对{worst}的存款份额失地最多"
        if _zh(lang) and h2h.loc[worst, "home_net_deposit"] < 0
        else (
            "过去四个季度本行对各竞争对手的份额得失"
            if _zh(lang)
            else (
                f"Over four quarters the home bank lost most deposit ground to {worst}"
                if h2h.loc[worst, "home_net_deposit"] < 0
                else "Home bank's share gains against each competitor over four quarters"
            )
        ),
    )
    fig.tight_layout()
    return fig


def plot_perceptual_map(pmap: dict, home_bank: str, lang: str = "zh"):
    """PCA biplot: banks as points (home bank highlighted), attributes as arrows."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import bank_colors

    banks, attrs, expl = pmap["banks"], pmap["attributes"], pmap["explained"]
    colors = bank_colors(banks.index, home_bank)
    fig, ax = plt.subplots(figsize=(8, 6.5))
    for a, r in attrs.iterrows():
        ax.annotate("", xy=(r["pc1"], r["pc2"]), xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="#999999", lw=1))
        ax.text(r["pc1"] * 1.08, r["pc2"] * 1.08, term(a, lang), fontsize=8, color="#666666", ha="center")
    for b, r in banks.iterrows():
        home = b == home_bank
        ax.scatter(
            r["pc1"], r["pc2"], s=140 if home else 60, color=colors[b], zorder=3, edgecolor="black" if home else "none"
        )
        ax.annotate(
            b,
            (r["pc1"], r["pc2"]),
            textcoords="offset points",
            xytext=(7, -10),
            fontsize=10 if home else 9,
            color=colors[b] if home else "#333333",
        )
    ax.axhline(0, color="#cccccc", lw=0.6)
    ax.axvline(0, color="#cccccc", lw=0.6)
    # arrows and their labels are not part of autoscaling: make room for them
    ext = 1.3 * max(np.abs(banks.to_numpy()).max(), np.abs(attrs.to_numpy()).max())
    ax.set_xlim(-ext, ext)
    ax.set_ylim(-ext, ext)
    if _zh(lang):
        ax.set_title(f"{term('perceptual map', lang)}：靠近箭头方向的银行在该属性上评价更高")
        ax.set_xlabel(f"第一维（解释{expl[0]:.0%}的银行间差异）")
        ax.set_ylabel(f"第二维（解释{expl[1]:.0%}）")
    else:
        ax.set_title(f"{term('perceptual map', lang)}: banks toward an arrow rate higher on it")
        ax.set_xlabel(f"Axis 1 ({expl[0]:.0%} of the differences between banks)")
        ax.set_ylabel(f"Axis 2 ({expl[1]:.0%})")
    fig.tight_layout()
    return fig


def plot_gap_heatmap(gaps: pd.DataFrame, lang: str = "zh"):
    """Home bank − competitor mean rating per attribute; hatched where the interval includes 0."""
    import matplotlib.pyplot as plt

    wide = gaps.pivot(index="competitor", columns="attribute", values="gap").reindex(columns=list(ATTRIBUTES))
    sig = gaps.assign(sig=(gaps["ci_low"] > 0) | (gaps["ci_high"] < 0)).pivot(
        index="competitor", columns="attribute", values="sig"
    )
    sig = sig.reindex(columns=list(ATTRIBUTES))
    fig, ax = plt.subplots(figsize=(11, 0.6 * len(wide) + 2.2))
    lim = max(float(np.nanmax(np.abs(wide.to_numpy()))), 0.1)
    im = ax.imshow(wide.to_numpy(), cmap="RdBu", vmin=-lim, vmax=lim, aspect="auto")
    for i in range(wide.shape[0]):
        for j in range(wide.shape[1]):
            v = wide.iat[i, j]
            if pd.notna(v):
                ax.text(
                    j,
                    i,
                    f"{v:+.2f}",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if abs(v) > lim * 0.6 else "black",
                    alpha=1.0 if sig.iat[i, j] else 0.45,
                    fontstyle="normal" if sig.iat[i, j] else "italic",
                )
    ax.set_xticks(range(wide.shape[1]), [term(a, lang) for a in wide.columns], rotation=30, ha="right", fontsize=9)
    ax.set_yticks(range(wide.shape[0]), wide.index)
    ax.grid(False)
    fig.colorbar(
        im, ax=ax, label="本行 − 对手（评分差，7分制）" if _zh(lang) else "Home − competitor (rating points of 7)"
    )
    ax.set_xlabel(
        "淡色斜体：95%区间含0，差异不确定"
        if _zh(lang)
        else "Faint italics: 95 % interval includes 0, difference uncertain",
        fontsize=8,
        color="#555555",
    )
    worst = gaps.loc[gaps["gap"].idxmin()] if gaps["gap"].notna().any() else None
    if _zh(lang):
        ax.set_title(
            f"本行最大的短板：{term(worst['attribute'], lang)}落后{worst['competitor']} {abs(worst['gap']):.2f}分"
            if worst is not None and worst["gap"] < 0
            else "本行与各竞争对手的评分差"
        )
    else:
        ax.set_title(
            f"Widest shortfall: {term(worst['attribute'], lang)}, {abs(worst['gap']):.2f} points behind {worst['competitor']}"
            if worst is not None and worst["gap"] < 0
            else "Home bank's rating gap to each competitor"
        )
    fig.tight_layout()
    return fig


def plot_choice_drivers(priorities: pd.DataFrame, lang: str = "zh"):
    """Odds multiplier per rating point with 95 % intervals; attributes where the home bank is weak in ACCENT."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import ACCENT, HOME, interval_dots

    t = priorities.sort_values("coef")
    y = np.arange(len(t))
    fig, ax = plt.subplots(figsize=(8, 4.8))
    colors = [ACCENT if w else HOME for w in t["weak_on_what_matters"]]
    interval_dots(ax, y, np.exp(t["coef"]), np.exp(t["ci_low"]), np.exp(t["ci_high"]), colors)
    ax.axvline(1, color="#333333", lw=0.8)
    ax.set_yticks(y, [term(a, lang) for a in t.index])
    top = t.index[-1]
    if _zh(lang):
        ax.set_title(f"{term(top, lang)}最能决定客户选谁做主办银行")
        ax.set_xlabel("评分每高1分，被选为主办银行的几率倍数（线段为95%区间；橙色：本行低于同业）")
    else:
        ax.set_title(f"{term(top, lang)} decides the choice of primary bank most")
        ax.set_xlabel("Odds of being chosen, × per rating point (95 % intervals; orange: home bank below competitors)")
    fig.tight_layout()
    return fig


def plot_switching(by_segment: pd.DataFrame, home_bank: str | None = None, lang: str = "zh"):
    """Stacked bars: leavers of each segment by destination bank."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import MUTED, PALETTE

    fig, ax = plt.subplots(figsize=(9, 4.5))
    left = np.zeros(len(by_segment))
    labels = [term(s, lang) for s in by_segment.index]
    palette = PALETTE[1:] + MUTED
    for i, dest in enumerate(by_segment.columns):
        v = by_segment[dest].to_numpy()
        name = term(UNKNOWN, lang) if dest == UNKNOWN else dest
        ax.barh(labels, v, left=left, color="#DDDDDD" if dest == UNKNOWN else palette[i % len(palette)], label=name)
        left += v
    ax.legend(fontsize=8, loc="lower right")
    ax.set_xlabel("销户客户数" if _zh(lang) else "Customers who closed")
    known = by_segment.drop(columns=[UNKNOWN], errors="ignore")
    if known.size and known.to_numpy().sum() > 0:
        top = known.sum().idxmax()
        ax.set_title(f"流失客户去得最多的是{top}" if _zh(lang) else f"Most leavers went to {top}")
    else:
        ax.set_title("流失客户去向" if _zh(lang) else "Where leavers went")
    fig.tight_layout()
    return fig
