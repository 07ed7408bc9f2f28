"""Satisfaction: how the branch's customers rate it, what drives it, and complaints.

The contract's `satisfaction` section (RESULTS.md): the responses of the
branch's quarterly survey dated in the window (months M−11 … M).

- **CS gap** per attribute: mean of perception − expectation over responses
  with both (the seed's CS = perceived − expected; above 0, expectations
  exceeded; the SERVQUAL gap). `cs_overall` is the unweighted mean of the
  eight gaps.
- **NPS**: 100 × (share recommending 9–10 − share recommending 0–6).
- **Drivers**: OLS of overall_satisfaction (1–10) on the eight perception
  ratings (1–7), complete cases, intercept, classical standard errors: the
  points of overall satisfaction per extra rating point, others held fixed.

Beyond the contract, for the notebook: the gaps with intervals and their
trend by quarter, the NPS trend, relative importance (`analysis.importance`)
against performance as an importance–performance matrix, and complaints
(from `interactions`) with their link to satisfaction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis import sections
from analysis.data.bank import Bank
from analysis.data.contract import ATTRIBUTES
from analysis.data.features import UNRESOLVED_DAYS
from analysis.words.glossary import check_lang, term, word_list
from analysis.stats.importance import relative_weights_ci

PERC = [f"perc_{a}" for a in ATTRIBUTES]
EXP = [f"exp_{a}" for a in ATTRIBUTES]
QUADRANTS = ("fix_first", "keep_up", "low_priority", "possible_overkill")


def _zh(lang: str) -> bool:
    return check_lang(lang) == "zh"


# ---------------------------------------------------------------------------
# Responses


def window_responses(bank: Bank) -> pd.DataFrame:
    """The branch's survey responses dated in the window (empty without surveys)."""
    s = bank.surveys
    if s is None:
        return pd.DataFrame(columns=["response_id", "customer_id", "survey_date", *EXP, *PERC])
    return s[bank.timeframe.in_window(s["survey_date"])].reset_index(drop=True)


def responses_to_date(bank: Bank) -> pd.DataFrame:
    """Every response dated on or before as_of: the history behind the trends."""
    s = bank.surveys
    if s is None:
        return window_responses(bank)
    return s[s["survey_date"] <= bank.timeframe.as_of].reset_index(drop=True)


def cs_gaps(responses: pd.DataFrame) -> pd.Series:
    """Per attribute: mean of perc − exp over responses with both (scale points, −6 … +6)."""
    return pd.Series({a: (responses[f"perc_{a}"] - responses[f"exp_{a}"]).mean() for a in ATTRIBUTES}, name="cs_gap")


def cs_overall(responses: pd.DataFrame) -> float:
    """Unweighted mean of the eight CS gaps; NaN when an attribute has no
    answered pair (the mean of eight is then not defined)."""
    return float(cs_gaps(responses).mean(skipna=False))


def _t_interval(values: pd.Series, alpha: float = 0.05) -> tuple[float, float, float, int]:
    v = values.dropna().astype(float)
    n = len(v)
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    m = v.mean()
    if n < 2:
        return m, np.nan, np.nan, n
    half = stats.t.ppf(1 - alpha / 2, n - 1) * v.std(ddof=1) / np.sqrt(n)
    return m, m - half, m + half, n


def gap_table(responses: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Per attribute: expectation, perception (means over all answers), gap
    (mean of perc − exp over responses with both) and its t interval, n."""
    rows = {}
    for a in ATTRIBUTES:
        g, lo, hi, n = _t_interval(responses[f"perc_{a}"] - responses[f"exp_{a}"], alpha)
        rows[a] = {
            "expectation": responses[f"exp_{a}"].mean(),
            "perception": responses[f"perc_{a}"].mean(),
            "gap": g,
            "ci_low": lo,
            "ci_high": hi,
            "n": n,
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("attribute")


def nps(recommend: pd.Series) -> float:
    """Net promoter score: 100 × (share 9–10 − share 0–6); NaN without answers."""
    r = recommend.dropna()
    if r.empty:
        return float("nan")
    return 100.0 * (float((r >= 9).mean()) - float((r <= 6).mean()))


def nps_interval(recommend: pd.Series, alpha: float = 0.05) -> dict:
    """NPS with a Wald interval from the multinomial variance of (promoter − detractor).

    Var(p₊ − p₋) = (p₊ + p₋ − (p₊ − p₋)²) ÷ n, in points of 100.
    """
    r = recommend.dropna()
    n = len(r)
    est = nps(r)
    if n < 2:
        return {"estimate": est, "ci_low": np.nan, "ci_high": np.nan, "n": n}
    pp, pd_ = float((r >= 9).mean()), float((r <= 6).mean())
    se = 100.0 * np.sqrt(max(pp + pd_ - (pp - pd_) ** 2, 0.0) / n)
    z = stats.norm.ppf(1 - alpha / 2)
    return {"estimate": est, "ci_low": est - z * se, "ci_high": est + z * se, "n": n}


def _quarter(dates: pd.Series) -> pd.Series:
    return dates.dt.to_period("Q")


def gap_trend(responses: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Per calendar quarter and attribute: gap, t interval, n (long form)."""
    q = _quarter(responses["survey_date"])
    rows = []
    for quarter, grp in responses.groupby(q, sort=True):
        for a in ATTRIBUTES:
            g, lo, hi, n = _t_interval(grp[f"perc_{a}"] - grp[f"exp_{a}"], alpha)
            rows.append({"quarter": quarter, "attribute": a, "gap": g, "ci_low": lo, "ci_high": hi, "n": n})
    return pd.DataFrame(rows, columns=["quarter", "attribute", "gap", "ci_low", "ci_high", "n"])


def nps_trend(responses: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Per calendar quarter: NPS, its interval, n, and cs_overall."""
    q = _quarter(responses["survey_date"])
    rows = []
    for quarter, grp in responses.groupby(q, sort=True):
        est = nps_interval(grp["recommend"], alpha)
        rows.append(
            {
                "quarter": quarter,
                "nps": est["estimate"],
                "ci_low": est["ci_low"],
                "ci_high": est["ci_high"],
                "n": est["n"],
                "cs_overall": cs_overall(grp),
            }
        )
    return pd.DataFrame(rows, columns=["quarter", "nps", "ci_low", "ci_high", "n", "cs_overall"])


# ---------------------------------------------------------------------------
# Drivers


def driver_fit(responses: pd.DataFrame):
    """OLS of overall_satisfaction on the eight perc_ columns (complete cases,
    intercept, classical SEs); None when there are too few complete cases or
    the ratings are collinear (the coefficients are then not identified)."""
    data = responses[[*PERC, "overall_satisfaction"]].dropna().astype(float)
    if len(data) <= len(PERC) + 1:
        return None
    X = sm.add_constant(data[PERC], has_constant="add")
    if np.linalg.matrix_rank(X.to_numpy()) < X.shape[1]:
        return None
    return sm.OLS(data["overall_satisfaction"], X).fit()


def drivers_table(responses: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame | None:
    """Per attribute: estimate (points of overall satisfaction per rating
    point), ci_low, ci_high, p_value; attrs n and r_squared. None if unfit."""
    fit = driver_fit(responses)
    if fit is None:
        return None
    ci = fit.conf_int(alpha)
    out = pd.DataFrame(
        {
            "estimate": fit.params[PERC].to_numpy(),
            "ci_low": ci.loc[PERC, 0].to_numpy(),
            "ci_high": ci.loc[PERC, 1].to_numpy(),
            "p_value": fit.pvalues[PERC].to_numpy(),
        },
        index=pd.Index(ATTRIBUTES, name="attribute"),
    )
    out.attrs.update(n=int(fit.nobs), r_squared=float(fit.rsquared))
    return out


def satisfaction_section(bank: Bank) -> dict:
    """The contract's `satisfaction` section.

    Skipped without a `surveys` table or without responses in the window.
    `drivers` is null when the OLS cannot be fitted (no more complete cases
    than coefficients, or collinear ratings).
    """
    if not bank.has("surveys"):
        return sections.skipped("no surveys table: the satisfaction survey was not provided")
    resp = window_responses(bank)
    if resp.empty:
        return sections.skipped("no survey responses dated in the 12-month window")
    gaps = cs_gaps(resp)
    table = drivers_table(resp)
    drivers = None
    if table is not None:
        drivers = {
            a: sections.estimate(float(r.estimate), float(r.ci_low), float(r.ci_high), float(r.p_value))
            for a, r in table.iterrows()
        }
    return sections.ok(
        responses=int(len(resp)),
        cs_gap={a: float(v) for a, v in gaps.items()},
        cs_overall=float(gaps.mean(skipna=False)),
        nps=nps(resp["recommend"]),
        drivers=drivers,
    )


# ---------------------------------------------------------------------------
# Importance–performance


def quadrant(importance_high: bool, performance_high: bool) -> str:
    """IPA quadrant key (glossary): high importance and low performance → fix_first …"""
    if importance_high:
        return "keep_up" if performance_high else "fix_first"
    return "possible_overkill" if performance_high else "low_priority"


def importance_performance(responses: pd.DataFrame, n_boot: int = 300, seed: int = 0) -> pd.DataFrame | None:
    """Importance–performance matrix of the eight attributes.

    importance: Johnson's relative weight of the attribute's perception in
    overall satisfaction, as a share of the explained variance (sums to 1),
    with a bootstrap interval; performance: mean perception (1–7); gap: the
    CS gap. The cross-hairs are the means of the eight (importance 1/8,
    performance the average perception), the usual data-centred IPA: above
    average importance with below average performance → `fix_first`, both
    above → `keep_up`, both below → `low_priority`, low importance with high
    performance → `possible_overkill`. None when the weights can't be computed.
    """
    X = responses[PERC].rename(columns=dict(zip(PERC, ATTRIBUTES)))
    try:
        w = relative_weights_ci(X, responses["overall_satisfaction"], n_boot=n_boot, seed=seed)
    except ValueError:
        return None
    perf = responses[PERC].mean().set_axis(ATTRIBUTES)
    out = pd.DataFrame(
        {
            "importance": w["rescaled"],
            "ci_low": w["ci_low"],
            "ci_high": w["ci_high"],
            "sign": w["sign"],
            "performance": perf,
            "gap": cs_gaps(responses),
        }
    ).rename_axis("attribute")
    imp_cut, perf_cut = 1.0 / len(out), float(perf.mean())
    out["quadrant"] = [quadrant(i > imp_cut, p > perf_cut) for i, p in zip(out["importance"], out["performance"])]
    out.attrs.update(r_squared=w.attrs["r_squared"], n=w.attrs["n"], importance_cut=imp_cut, performance_cut=perf_cut)
    return out


# ---------------------------------------------------------------------------
# Complaints


def window_complaints(bank: Bank) -> pd.DataFrame:
    """Complaints (interactions of type complaint) dated in the window, with
    days_to_resolve (NaN while open) and resolved_30d (resolved within
    30 days of the complaint, the churn drivers' rule)."""
    i = bank.interactions
    if i is None:
        return pd.DataFrame(columns=["customer_id", "date", "category", "channel", "days_to_resolve", "resolved_30d"])
    c = i[(i["type"] == "complaint") & bank.timeframe.in_window(i["date"])].copy()
    c["days_to_resolve"] = (c["resolved_date"] - c["date"]).dt.days.astype(float)
    c["resolved_30d"] = c["days_to_resolve"].le(UNRESOLVED_DAYS)
    return c.reset_index(drop=True)


def complaint_summary(complaints: pd.DataFrame, by: str | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Per level of `by` (category, channel; None = all): complaints, share
    of all, median days to resolve (resolved ones), share resolved within
    30 days with its Wilson interval, mean resolution score (1–5)."""
    groups = [("all", complaints)] if by is None else list(complaints.groupby(by, observed=True))
    rows = []
    total = max(len(complaints), 1)
    for key, g in groups:
        n = len(g)
        k = int(g["resolved_30d"].sum())
        lo, hi = proportion_confint(k, n, alpha=alpha, method="wilson") if n else (np.nan, np.nan)
        rows.append(
            {
                by or "group": key,
                "complaints": n,
                "share": n / total,
                "median_days_to_resolve": g["days_to_resolve"].median()
                if g["days_to_resolve"].notna().any()
                else np.nan,
                "resolved_30d": k / n if n else np.nan,
                "resolved_30d_ci_low": lo,
                "resolved_30d_ci_high": hi,
                "resolution_score": g["resolution_score"].mean(),
            }
        )
    out = pd.DataFrame(rows).set_index(by or "group")
    return out.sort_values("complaints", ascending=False) if by else out


COMPLAINT_GROUPS = ("none", "resolved_30d", "unresolved")


def complaints_and_satisfaction(bank: Bank, alpha: float = 0.05) -> pd.DataFrame | None:
    """Overall satisfaction and NPS of the window's named respondents by
    what happened to their complaints in the 12 months before they answered:
    `none`, `resolved_30d` (every complaint resolved within 30 days) or
    `unresolved` (one open or resolved later). None without interactions or
    without named responses."""
    resp = window_responses(bank)
    resp = resp[resp["customer_id"].notna()]
    if bank.interactions is None or resp.empty:
        return None
    i = bank.interactions
    comp = i[i["type"] == "complaint"][["customer_id", "date", "resolved_date"]]
    m = resp[["response_id", "customer_id", "survey_date"]].merge(comp, on="customer_id", how="left")
    before = (m["date"] < m["survey_date"]) & (m["date"] >= m["survey_date"] - pd.DateOffset(months=12))
    m = m[before]
    late = m["resolved_date"].isna() | ((m["resolved_date"] - m["date"]).dt.days > UNRESOLVED_DAYS)
    status = (
        pd.DataFrame({"response_id": m["response_id"], "late": late})
        .groupby("response_id")["late"]
        .any()
        .map({True: "unresolved", False: "resolved_30d"})
    )
    resp = resp.assign(group=resp["response_id"].map(status).fillna("none"))
    rows = []
    for gname in COMPLAINT_GROUPS:
        g = resp[resp["group"] == gname]
        mean, lo, hi, n = _t_interval(g["overall_satisfaction"], alpha)
        rows.append(
            {
                "group": gname,
                "n": n,
                "overall_satisfaction": mean,
                "ci_low": lo,
                "ci_high": hi,
                "nps": nps(g["recommend"]),
            }
        )
    return pd.DataFrame(rows).set_index("group")


# ---------------------------------------------------------------------------
# Prose


def describe_gaps(section: dict, table: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Sentences on the CS gaps and NPS of the window."""
    if section.get("status") != "ok":
        return [("满意度部分未计算：" if _zh(lang) else "Satisfaction not computed: ") + section.get("reason", "")]
    t = table.sort_values("gap")
    worst, best = t.index[0], t.index[-1]
    below = [a for a, r in t.iterrows() if r["ci_high"] < 0]
    above = [a for a, r in t.iterrows() if r["ci_low"] > 0]
    n, cs, score = section["responses"], section["cs_overall"], section["nps"]
    if _zh(lang):
        out = [
            f"窗口期内共{n}份问卷。满意度缺口 = 感知 − 期望（7分制）：小于0表示服务未达到客户期望，大于0表示超出期望。",
            f"八项平均缺口为{cs:+.2f}分；差距最大的是{term(worst, lang)}（{t.loc[worst, 'gap']:+.2f}分），"
            f"表现最好的是{term(best, lang)}（{t.loc[best, 'gap']:+.2f}分）。",
        ]
        if below:
            out.append(
                f"95%置信区间整体低于0、可以确定未达期望的项目：{word_list([term(a, lang) for a in below], lang)}。"
            )
        if above:
            out.append(f"确定超出期望的项目：{word_list([term(a, lang) for a in above], lang)}。")
        out.append(
            f"{term('NPS', lang)}（推荐者占比 − 贬损者占比，×100）为{score:+.1f}"
            f"{'：推荐者多于贬损者' if score > 0 else '：贬损者不少于推荐者'}。"
        )
        return out
    out = [
        f"{n} survey responses fall in the window. The satisfaction gap is perceived − expected on a 7-point scale: "
        "below 0 the branch falls short of what customers expect, above 0 it exceeds it.",
        f"The average of the eight gaps is {cs:+.2f} points; the widest shortfall is {term(worst, lang)} "
        f"({t.loc[worst, 'gap']:+.2f}), the best {term(best, lang)} ({t.loc[best, 'gap']:+.2f}).",
    ]
    if below:
        out.append(
            f"Clearly below expectations (95 % interval entirely below 0): {word_list([term(a, lang) for a in below], lang)}."
        )
    if above:
        out.append(f"Clearly above expectations: {word_list([term(a, lang) for a in above], lang)}.")
    out.append(
        f"The {term('NPS', lang)} (share of promoters − share of detractors, × 100) is {score:+.1f}"
        f"{': promoters outnumber detractors' if score > 0 else ': detractors are at least as many as promoters'}."
    )
    return out


def describe_trend(nps_q: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Sentences on the quarterly NPS and average gap."""
    if len(nps_q) < 2:
        return ["季度数不足，无法看趋势。" if _zh(lang) else "Too few quarters to show a trend."]
    first, last = nps_q.iloc[0], nps_q.iloc[-1]
    d_nps, d_cs = last["nps"] - first["nps"], last["cs_overall"] - first["cs_overall"]
    if _zh(lang):
        return [
            f"从{first['quarter']}到{last['quarter']}，{term('NPS', lang)}由{first['nps']:+.1f}变为{last['nps']:+.1f}"
            f"（{d_nps:+.1f}），平均满意度缺口由{first['cs_overall']:+.2f}变为{last['cs_overall']:+.2f}（{d_cs:+.2f}分）。",
            "单个季度样本较小，区间较宽；区间重叠时，变化可能只是抽样波动。",
        ]
    return [
        f"From {first['quarter']} to {last['quarter']} the {term('NPS', lang)} moved from {first['nps']:+.1f} to "
        f"{last['nps']:+.1f} ({d_nps:+.1f}) and the average gap from {first['cs_overall']:+.2f} to "
        f"{last['cs_overall']:+.2f} ({d_cs:+.2f} points).",
        "Single quarters are small samples with wide intervals; where intervals overlap a change may be sampling noise.",
    ]


def describe_drivers(table: pd.DataFrame | None, lang: str = "zh") -> list[str]:
    """Sentences on the OLS drivers of overall satisfaction."""
    if table is None:
        return [
            "问卷完整样本太少，无法估计满意度驱动因素。"
            if _zh(lang)
            else "Too few complete responses to estimate the drivers of satisfaction."
        ]
    sig = table[(table["p_value"] < 0.05) & (table["estimate"] > 0)].sort_values("estimate", ascending=False)
    top = table["estimate"].idxmax()
    if _zh(lang):
        out = [
            f"回归系数（最小二乘）：在其他七项不变时，某项感知评分每提高1分，总体满意度（10分制）平均变化的分数。"
            f"模型基于{table.attrs['n']}份完整问卷，解释了总体满意度差异的{table.attrs['r_squared']:.0%}。",
            f"影响最大的是{term(top, lang)}：每提高1分，总体满意度约提高{table.loc[top, 'estimate']:.2f}分"
            f"（95%区间 {table.loc[top, 'ci_low']:.2f} 至 {table.loc[top, 'ci_high']:.2f}）。",
        ]
        if len(sig):
            out.append(f"统计上确定有正向作用的因素：{word_list([term(a, lang) for a in sig.index], lang)}。")
        return out
    out = [
        "Regression coefficient (least squares): the change in overall satisfaction (1–10) for one more point on "
        f"an attribute's rating, the other seven held fixed. Fitted on {table.attrs['n']} complete responses, the "
        f"model explains {table.attrs['r_squared']:.0%} of the variation in overall satisfaction.",
        f"The largest is {term(top, lang)}: one more point lifts overall satisfaction by about "
        f"{table.loc[top, 'estimate']:.2f} (95 % interval {table.loc[top, 'ci_low']:.2f} to {table.loc[top, 'ci_high']:.2f}).",
    ]
    if len(sig):
        out.append(f"Clearly positive drivers: {word_list([term(a, lang) for a in sig.index], lang)}.")
    return out


def describe_ipa(ipa: pd.DataFrame | None, lang: str = "zh") -> list[str]:
    """Sentences on the importance–performance matrix: what to fix first."""
    if ipa is None:
        return ["样本不足，无法计算相对重要性。" if _zh(lang) else "Too few responses to compute relative importance."]
    by_q = {q: [a for a in ipa.index if ipa.loc[a, "quadrant"] == q] for q in QUADRANTS}
    fix = sorted(by_q["fix_first"], key=lambda a: -ipa.loc[a, "importance"])
    if _zh(lang):
        out = [
            "相对重要性（Johnson相对权重）：把模型能解释的满意度差异分摊给八项属性，即使属性之间高度相关也不会互相“抢功”，八项合计100%。",
            f"按重要性和表现（平均感知分）各自的平均线划分四个象限：{term('fix_first', lang)}（重要但表现偏低）、"
            f"{term('keep_up', lang)}（重要且表现好）、{term('low_priority', lang)}、{term('possible_overkill', lang)}（不太重要但表现好）。",
        ]
        if fix:
            items = [
                f"{term(a, lang)}（重要性{ipa.loc[a, 'importance']:.0%}，表现{ipa.loc[a, 'performance']:.2f}分）"
                for a in fix
            ]
            out.append(f"{term('fix_first', lang)}：{word_list(items, lang)}，应作为服务改进的首要对象。")
        else:
            out.append(f"没有属性落在{term('fix_first', lang)}象限。")
        if by_q["keep_up"]:
            out.append(f"{term('keep_up', lang)}：{word_list([term(a, lang) for a in by_q['keep_up']], lang)}。")
        if by_q["possible_overkill"]:
            out.append(
                f"{term('possible_overkill', lang)}：{word_list([term(a, lang) for a in by_q['possible_overkill']], lang)}，可考虑把资源转向优先改进项。"
            )
        return out
    out = [
        "Relative importance (Johnson's relative weights) shares the variation in satisfaction that the model explains "
        "among the eight attributes, fairly even when they move together; the eight add up to 100 %.",
        f"Split at the average importance and the average performance (mean perception): {term('fix_first', lang)} "
        f"(important, below-average performance), {term('keep_up', lang)} (important, performing), "
        f"{term('low_priority', lang)}, {term('possible_overkill', lang)} (less important, performing well).",
    ]
    if fix:
        out.append(
            f"{term('fix_first', lang)}: "
            + word_list(
                [
                    f"{term(a, lang)} (importance {ipa.loc[a, 'importance']:.0%}, performance {ipa.loc[a, 'performance']:.2f})"
                    for a in fix
                ],
                lang,
            )
            + ": the first service improvements to make."
        )
    else:
        out.append(f"No attribute falls in {term('fix_first', lang)}.")
    if by_q["keep_up"]:
        out.append(f"{term('keep_up', lang)}: {word_list([term(a, lang) for a in by_q['keep_up']], lang)}.")
    if by_q["possible_overkill"]:
        out.append(
            f"{term('possible_overkill', lang)}: {word_list([term(a, lang) for a in by_q['possible_overkill']], lang)}; resources could move to the fix-first items."
        )
    return out


def describe_complaints(
    overall: pd.DataFrame, by_category: pd.DataFrame, linked: pd.DataFrame | None, lang: str = "zh"
) -> list[str]:
    """Sentences on complaint volume, resolution and the link to satisfaction."""
    if overall.empty or overall["complaints"].iloc[0] == 0:
        return ["窗口期内没有投诉记录。" if _zh(lang) else "No complaints in the window."]
    o = overall.iloc[0]
    top = by_category.index[0]
    worst = by_category["resolved_30d"].idxmin()
    zh = _zh(lang)
    out = [
        (
            f"窗口期内共{int(o['complaints'])}条投诉，最多的是“{category_label(top, lang)}”（{by_category.loc[top, 'share']:.0%}）；"
            f"{o['resolved_30d']:.0%}在30天内解决，解决时间中位数{o['median_days_to_resolve']:.0f}天，客户对处理结果平均打分{o['resolution_score']:.1f}（5分制）。"
            f"30天内解决率最低的是“{category_label(worst, lang)}”（{by_category.loc[worst, 'resolved_30d']:.0%}）。"
        )
        if zh
        else (
            f"{int(o['complaints'])} complaints in the window, most about {category_label(top, lang)} "
            f"({by_category.loc[top, 'share']:.0%}); {o['resolved_30d']:.0%} were resolved within 30 days, the median time "
            f"to resolve was {o['median_days_to_resolve']:.0f} days and customers rated the resolution {o['resolution_score']:.1f} of 5 on "
            f"average. The lowest 30-day resolution rate is for {category_label(worst, lang)} ({by_category.loc[worst, 'resolved_30d']:.0%})."
        )
    ]
    if linked is not None and linked.loc["none", "n"] > 1 and linked.loc["unresolved", "n"] > 1:
        d = linked.loc["unresolved", "overall_satisfaction"] - linked.loc["none", "overall_satisfaction"]
        # the no-complaint mean inside the unresolved group's interval: too few answers to be sure
        unsure = (
            linked.loc["unresolved", "ci_low"]
            <= linked.loc["none", "overall_satisfaction"]
            <= linked.loc["unresolved", "ci_high"]
        )
        out.append(
            f"答卷前12个月内有未及时解决投诉的客户（{int(linked.loc['unresolved', 'n'])}人），总体满意度比没有投诉的客户"
            f"{'低' if d < 0 else '高'}{abs(d):.2f}分（10分制）"
            + ("；但人数少、区间宽，这一差异在统计上还不确定。" if unsure else "。")
            if zh
            else f"Respondents with a complaint left unresolved past 30 days in the 12 months before answering "
            f"({int(linked.loc['unresolved', 'n'])}) rate overall satisfaction {abs(d):.2f} points "
            f"{'lower' if d < 0 else 'higher'} (of 10) than those without complaints"
            + ("; with so few of them the interval is wide and the difference is not yet certain." if unsure else ".")
        )
    return out


#: Glossary keys of the complaint groups (COMPLAINT_GROUPS).
GROUP_TERMS = {"none": "no_complaint", "resolved_30d": "resolved_30d", "unresolved": "unresolved_complaint"}


def category_label(key: str, lang: str = "zh") -> str:
    """Term of a complaint category, channel or complaint group."""
    key = str(key)
    return term(GROUP_TERMS.get(key, key), lang)


# ---------------------------------------------------------------------------
# Figures (each returns a matplotlib Figure; the notebook captions and saves)


def plot_gaps(table: pd.DataFrame, lang: str = "zh"):
    """Horizontal bars of the CS gap per attribute with 95 % intervals."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import ACCENT, GOOD

    t = table.sort_values("gap")
    fig, ax = plt.subplots(figsize=(8, 4.8))
    colors = [ACCENT if g < 0 else GOOD for g in t["gap"]]
    y = np.arange(len(t))
    ax.barh(y, t["gap"], color=colors, alpha=0.85)
    ax.errorbar(
        t["gap"], y, xerr=[t["gap"] - t["ci_low"], t["ci_high"] - t["gap"]], fmt="none", ecolor="#333333", capsize=3
    )
    ax.set_yticks(y, [term(a, lang) for a in t.index])
    ax.axvline(0, color="#333333", lw=0.8)
    worst = t.index[0]
    if _zh(lang):
        ax.set_title(f"{term(worst, lang)}离客户期望最远")
        ax.set_xlabel("满意度缺口：感知 − 期望（分，7分制；线段为95%区间）")
    else:
        ax.set_title(f"{term(worst, lang)} falls furthest short of expectations")
        ax.set_xlabel("Satisfaction gap: perceived − expected (points of 7; bars show 95 % intervals)")
    fig.tight_layout()
    return fig


def plot_gap_trend(trend: pd.DataFrame, lang: str = "zh"):
    """Small multiples: each attribute's gap by quarter with intervals."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import HOME

    fig, axes = plt.subplots(2, 4, figsize=(12, 5.5), sharex=True, sharey=True)
    quarters = sorted(trend["quarter"].unique())
    x = np.arange(len(quarters))
    for ax, a in zip(axes.flat, ATTRIBUTES):
        d = trend[trend["attribute"] == a].set_index("quarter").reindex(quarters)
        ax.errorbar(
            x,
            d["gap"],
            yerr=[d["gap"] - d["ci_low"], d["ci_high"] - d["gap"]],
            color=HOME,
            marker="o",
            ms=3,
            capsize=2,
            lw=1.2,
        )
        ax.axhline(0, color="#333333", lw=0.7)
        ax.set_title(term(a, lang), fontsize=10)
    step = max(1, len(quarters) // 4)
    for ax in axes[-1]:
        ax.set_xticks(x[::step], [str(q) for q in quarters][::step], rotation=45, fontsize=8)
    fig.suptitle("各项满意度缺口的季度走势" if _zh(lang) else "How each satisfaction gap moved by quarter")
    fig.supylabel("感知 − 期望（分）" if _zh(lang) else "Perceived − expected (points)", fontsize=9)
    fig.tight_layout()
    return fig


def plot_nps_trend(trend: pd.DataFrame, lang: str = "zh"):
    """NPS by quarter with 95 % intervals."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import HOME

    fig, ax = plt.subplots()
    x = np.arange(len(trend))
    ax.errorbar(
        x,
        trend["nps"],
        yerr=[trend["nps"] - trend["ci_low"], trend["ci_high"] - trend["nps"]],
        color=HOME,
        marker="o",
        capsize=3,
    )
    ax.axhline(0, color="#333333", lw=0.7)
    ax.set_xticks(x, [str(q) for q in trend["quarter"]], rotation=45)
    last = trend["nps"].iloc[-1] if len(trend) else float("nan")
    if _zh(lang):
        ax.set_title(f"最近一季{term('NPS', lang)}为{last:+.0f}")
        ax.set_ylabel(f"{term('NPS', lang)}（线段为95%区间）")
    else:
        ax.set_title(f"The latest quarter's {term('NPS', lang)} is {last:+.0f}")
        ax.set_ylabel(f"{term('NPS', lang)} (bars: 95 % intervals)")
    fig.tight_layout()
    return fig


def plot_drivers(table: pd.DataFrame, lang: str = "zh"):
    """Coefficient plot of the OLS drivers with 95 % intervals."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import HOME, NEUTRAL, interval_dots

    t = table.sort_values("estimate")
    fig, ax = plt.subplots(figsize=(8, 4.8))
    y = np.arange(len(t))
    interval_dots(
        ax, y, t["estimate"], t["ci_low"], t["ci_high"], [HOME if p < 0.05 else NEUTRAL for p in t["p_value"]]
    )
    ax.set_yticks(y, [term(a, lang) for a in t.index])
    ax.axvline(0, color="#333333", lw=0.8)
    top = t.index[-1]
    if _zh(lang):
        ax.set_title(f"{term(top, lang)}对总体满意度的拉动最大")
        ax.set_xlabel("感知评分每提高1分，总体满意度变化（分，10分制；线段为95%区间）")
    else:
        ax.set_title(f"{term(top, lang)} lifts overall satisfaction the most")
        ax.set_xlabel("Change in overall satisfaction (of 10) per rating point (bars: 95 % intervals)")
    fig.tight_layout()
    return fig


def plot_ipa(ipa: pd.DataFrame, lang: str = "zh"):
    """Importance–performance matrix with the four named quadrants."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import ACCENT, GOOD, HOME, NEUTRAL

    colors = {"fix_first": ACCENT, "keep_up": GOOD, "low_priority": NEUTRAL, "possible_overkill": HOME}
    fig, ax = plt.subplots(figsize=(8, 6))
    ic, pc = ipa.attrs["importance_cut"], ipa.attrs["performance_cut"]
    for a, r in ipa.iterrows():
        c = colors[r["quadrant"]]
        ax.errorbar(
            r["performance"],
            r["importance"],
            yerr=[[r["importance"] - r["ci_low"]], [r["ci_high"] - r["importance"]]],
            fmt="o",
            color=c,
            capsize=3,
        )
        ax.annotate(
            term(a, lang), (r["performance"], r["importance"]), textcoords="offset points", xytext=(6, 4), fontsize=9
        )
    ax.axvline(pc, color="#555555", lw=0.8, ls="--")
    ax.axhline(ic, color="#555555", lw=0.8, ls="--")
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    for q, (x, y, ha, va) in {
        "fix_first": (x0, y1, "left", "top"),
        "keep_up": (x1, y1, "right", "top"),
        "low_priority": (x0, y0, "left", "bottom"),
        "possible_overkill": (x1, y0, "right", "bottom"),
    }.items():
        ax.text(x, y, term(q, lang), ha=ha, va=va, color=colors[q], fontsize=11)
    from analysis.figures.style import percent_axis

    percent_axis(ax, "y")
    fix = ipa.index[ipa["quadrant"] == "fix_first"].tolist()
    if _zh(lang):
        ax.set_title(f"优先改进：{'、'.join(term(a, lang) for a in fix)}" if fix else "没有需要优先改进的属性")
        ax.set_xlabel("表现：平均感知分（7分制）")
        ax.set_ylabel("重要性：相对权重（占可解释差异，线段为95%区间）")
    else:
        ax.set_title(f"Fix first: {', '.join(term(a, lang) for a in fix)}" if fix else "Nothing falls in fix first")
        ax.set_xlabel("Performance: mean perception (of 7)")
        ax.set_ylabel("Importance: relative weight (share of explained variance; 95 % intervals)")
    fig.tight_layout()
    return fig


def plot_complaints(by_category: pd.DataFrame, by_channel: pd.DataFrame, lang: str = "zh"):
    """Complaint volume by category and channel, and 30-day resolution with intervals."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import ACCENT, HOME, percent_axis

    fig, axes = plt.subplots(1, 3, figsize=(13, 4.5))
    for ax, t in zip(axes[:2], (by_category, by_channel)):
        t = t.sort_values("complaints")
        ax.barh([category_label(k, lang) for k in t.index], t["complaints"], color=HOME)
        ax.set_xlabel("投诉数" if _zh(lang) else "Complaints")
    axes[0].set_title("按类别" if _zh(lang) else "By category", fontsize=11)
    axes[1].set_title("按渠道" if _zh(lang) else "By channel", fontsize=11)
    t = by_category.sort_values("resolved_30d")
    y = np.arange(len(t))
    axes[2].errorbar(
        t["resolved_30d"],
        y,
        xerr=[t["resolved_30d"] - t["resolved_30d_ci_low"], t["resolved_30d_ci_high"] - t["resolved_30d"]],
        fmt="o",
        color=ACCENT,
        capsize=3,
    )
    axes[2].set_yticks(y, [category_label(k, lang) for k in t.index])
    percent_axis(axes[2], "x")
    axes[2].set_title(
        "30天内解决率（95%区间）" if _zh(lang) else "Resolved within 30 days (95 % intervals)", fontsize=11
    )
    top = by_category["complaints"].idxmax()
    fig.suptitle(
        f"投诉最多的是“{category_label(top, lang)}”"
        if _zh(lang)
        else f"Most complaints are about {category_label(top, lang).lower()}",
    )
    fig.tight_layout()
    return fig


def plot_complaint_satisfaction(linked: pd.DataFrame, lang: str = "zh"):
    """Overall satisfaction of respondents by complaint history, with intervals."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import ACCENT, GOOD, NEUTRAL

    fig, ax = plt.subplots(figsize=(7, 4))
    colors = {"none": GOOD, "resolved_30d": NEUTRAL, "unresolved": ACCENT}
    x = np.arange(len(linked))
    for i, (g, r) in enumerate(linked.iterrows()):
        ax.bar(i, r["overall_satisfaction"], color=colors[g], alpha=0.85)
        ax.errorbar(
            i,
            r["overall_satisfaction"],
            yerr=[[r["overall_satisfaction"] - r["ci_low"]], [r["ci_high"] - r["overall_satisfaction"]]],
            color="#333333",
            capsize=4,
        )
    ax.set_xticks(x, [f"{category_label(g, lang)}\n(n={int(n)})" for g, n in linked["n"].items()])
    ax.set_ylim(1, 10)
    if _zh(lang):
        ax.set_title(
            "投诉未及时解决的客户满意度更低"
            if linked.loc["unresolved", "overall_satisfaction"] < linked.loc["none", "overall_satisfaction"]
            else "投诉经历与满意度"
        )
        ax.set_ylabel("总体满意度（10分制，线段为95%区间）")
    else:
        ax.set_title(
            "Customers with unresolved complaints are less satisfied"
            if linked.loc["unresolved", "overall_satisfaction"] < linked.loc["none", "overall_satisfaction"]
            else "Complaints and satisfaction"
        )
        ax.set_ylabel("Overall satisfaction (of 10; 95 % intervals)")
    fig.tight_layout()
    return fig
