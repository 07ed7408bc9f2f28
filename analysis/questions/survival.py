"""How long customers stay: retention curves, median lifetime and a Cox model.

- `lifetimes`: one row per customer seen in the snapshots: years from
  open_date to close_date (an event) or to as_of (still a customer:
  censored). Customers who opened before the data begin are only seen
  because they were still customers then; their time before the first
  snapshot month is *delayed entry* (left truncation): they count as at risk
  only from then on (lifelines' `entry`), so the curves are not flattered by
  long-standing customers who survived to be seen.
- `retention_curves` / `median_lifetime`: Kaplan–Meier retention by segment,
  VIP tier (the current tier) or area, and the median years a customer stays.
- `fit_cox` / `cox_drivers`: a Cox proportional-hazards model (lifelines,
  Efron ties) on the churn drivers of the cohort at t0, with time to close
  within the 12-month window (censored at as_of), hazard ratios with 95 %
  intervals, and the proportional-hazards check (scaled Schoenfeld residuals,
  `proportional_hazard_test`, rank time transform).

A hazard ratio is how many times a factor multiplies the risk of leaving at
any moment, other factors held equal.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter, NelsonAalenFitter
from lifelines.exceptions import ConvergenceError, ConvergenceWarning, StatError, StatisticalWarning
from lifelines.statistics import proportional_hazard_test
from lifelines.utils import median_survival_times

from analysis.figures import style as plots
from analysis.data.bank import Bank
from analysis.questions.churn import (
    ACTIONABLE,
    ALPHA,
    GROUP_COLORS,
    ChurnAnalysis,
    driver_label,
    effect_sentence,
    forest_plot,
)
from analysis.data.contract import AREAS, SEGMENTS, VIP_TIERS
from analysis.words.glossary import term

DAYS_PER_YEAR = 365.25
ONE_DAY = 1 / DAYS_PER_YEAR
MIN_GROUP = 30  # customers: smaller groups get no curve
GROUPS = {"segment": SEGMENTS, "vip_tier": VIP_TIERS, "area": AREAS}


class CoxModelError(ValueError):
    """The Cox model cannot be estimated from these data (the reason in words)."""


def lifetimes(bank: Bank) -> pd.DataFrame:
    """Customer lifetimes for retention curves, one row per customer with a
    snapshot up to month M.

    Columns: customer_id, segment, vip_tier, area, entry (years from
    open_date to the first snapshot month of the data, 0 for customers who
    opened later), duration (years from open_date to close_date, or to
    as_of when still open or closed after as_of; at least one day past
    entry) and event (closed by as_of).
    """
    tf = bank.timeframe
    s = bank.monthly_snapshots
    s = s[s["month"] <= tf.M]
    first = s["month"].min()
    c = bank.customers
    c = c[c["customer_id"].isin(s["customer_id"].unique()) & (c["open_date"] <= tf.as_of)]
    event = c["close_date"].notna() & (c["close_date"] <= tf.as_of)
    end = c["close_date"].where(event, tf.as_of)
    entry = ((first - c["open_date"]).dt.days.clip(lower=0)) / DAYS_PER_YEAR
    duration = (end - c["open_date"]).dt.days / DAYS_PER_YEAR
    # a customer closed on the day they are first seen is at risk for that day
    duration = np.maximum(duration, entry + ONE_DAY)
    return pd.DataFrame(
        {
            "customer_id": c["customer_id"].to_numpy(),
            "segment": c["segment"].astype(object).to_numpy(),
            "vip_tier": c["vip_tier"].astype(object).to_numpy(),
            "area": c["area"].astype(object).to_numpy(),
            "entry": entry.to_numpy(),
            "duration": duration.to_numpy(),
            "event": event.to_numpy(),
        }
    )


@dataclass
class _Retention:
    """One group's retention estimate: survival (Series by years), ci (low,
    high), at_risk (Series by years), median (years; inf if not reached),
    estimator."""

    survival: pd.Series
    ci: pd.DataFrame
    at_risk: pd.Series
    median: float
    estimator: str


def _retention(life: pd.DataFrame, label: str) -> _Retention:
    """Kaplan–Meier with delayed entry. When the early risk set is so small
    that it empties (lifelines' StatError: S(t) = 0 with later entrants), the
    Breslow–Fleming–Harrington estimate exp(−Nelson–Aalen) instead, which
    stays defined. (Built from NelsonAalenFitter without its "smoothing":
    lifelines' smoothed increments go wrong at pure-entry times.)"""
    args = dict(durations=life["duration"], event_observed=life["event"], entry=life["entry"], label=label)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        try:
            kmf = KaplanMeierFitter(alpha=ALPHA).fit(**args)
            sf, ci, table, estimator = kmf.survival_function_, kmf.confidence_interval_, kmf.event_table, "kaplan_meier"
        except StatError:
            naf = NelsonAalenFitter(alpha=ALPHA, nelson_aalen_smoothing=False).fit(**args)
            sf, ci, table = np.exp(-naf.cumulative_hazard_), np.exp(-naf.confidence_interval_), naf.event_table
            estimator = "breslow_fleming_harrington"
    band = ci.to_numpy()
    ci = pd.DataFrame({"low": band.min(axis=1), "high": band.max(axis=1)}, index=ci.index)
    return _Retention(
        survival=sf.iloc[:, 0],
        ci=ci,
        at_risk=table["at_risk"].reindex(sf.index),
        median=float(median_survival_times(sf)),
        estimator=estimator,
    )


def _levels(life: pd.DataFrame, by: str, min_group: int) -> list[str]:
    order = GROUPS.get(by, sorted(life[by].unique()))
    counts = life[by].value_counts()
    return [lv for lv in order if counts.get(lv, 0) >= min_group]


def retention_curves(life: pd.DataFrame, by: str, min_group: int = MIN_GROUP) -> pd.DataFrame:
    """Kaplan–Meier retention by `by` (segment, vip_tier or area), with delayed entry.

    Tidy: group, years (since opening), retention (share still a customer),
    ci_low, ci_high (95 %), at_risk, estimator ("kaplan_meier", or
    "breslow_fleming_harrington" for a group whose early risk set empties).
    Groups with fewer than `min_group` customers are left out.
    """
    parts = []
    for lv in _levels(life, by, min_group):
        r = _retention(life[life[by] == lv], lv)
        sf, ci = r.survival, r.ci
        parts.append(
            pd.DataFrame(
                {
                    "group": lv,
                    "years": sf.index.to_numpy(),
                    "retention": sf.to_numpy(),
                    "ci_low": ci["low"].to_numpy(),
                    "ci_high": ci["high"].to_numpy(),
                    "at_risk": r.at_risk.to_numpy(),
                    "estimator": r.estimator,
                }
            )
        )
    cols = ["group", "years", "retention", "ci_low", "ci_high", "at_risk", "estimator"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def retention_at(curves: pd.DataFrame, years: float) -> pd.Series:
    """Retention of each group `years` after opening (NaN past a group's data)."""
    out = {}
    for g, t in curves.groupby("group", sort=False):
        t = t.sort_values("years")
        out[g] = t.loc[t["years"] <= years, "retention"].iloc[-1] if t["years"].max() >= years else np.nan
    return pd.Series(out, name=f"retention_{years:g}y", dtype=float)


def median_lifetime(life: pd.DataFrame, by: str = "segment", min_group: int = MIN_GROUP) -> pd.DataFrame:
    """Median years a customer stays, by group (Kaplan–Meier with delayed entry).

    Columns: customers, leavers, median_years (inf when retention never falls
    to 50 % within the data), ci_low, ci_high (95 %), observed_years (the
    longest lifetime seen), retention_1y, retention_5y.
    """
    rows = {}
    for lv in _levels(life, by, min_group):
        sub = life[life[by] == lv]
        r = _retention(sub, lv)
        ci = median_survival_times(r.ci).iloc[0]
        sf = r.survival
        top = float(sf.index.max())
        rows[lv] = {
            "customers": int(len(sub)),
            "leavers": int(sub["event"].sum()),
            "median_years": r.median,
            # the band's lower curve reaches 50 % first: the lower end of the median's interval
            "ci_low": float(ci["low"]),
            "ci_high": float(ci["high"]),
            "observed_years": top,
            "retention_1y": float(sf[sf.index <= 1.0].iloc[-1]) if top >= 1 else np.nan,
            "retention_5y": float(sf[sf.index <= 5.0].iloc[-1]) if top >= 5 else np.nan,
            "estimator": r.estimator,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


# ---------------------------------------------------------------------------
# Cox proportional hazards


@dataclass
class CoxResult:
    """A fitted Cox model: hazard_ratios (hazard_ratio, ci_low, ci_high,
    p_value per covariate), ph_test (test_statistic, p_value per covariate:
    a small p says the effect changes over time), log_likelihood, n, events
    and the lifelines fitter."""

    hazard_ratios: pd.DataFrame
    ph_test: pd.DataFrame | None
    log_likelihood: float
    n: int
    events: int
    fitter: CoxPHFitter

    @property
    def ph_violations(self) -> list[str]:
        """Covariates whose proportional-hazards test has p < 0.05."""
        if self.ph_test is None:
            return []
        return [k for k, p in self.ph_test["p_value"].items() if p < ALPHA]


def fit_cox(data: pd.DataFrame, duration_col: str, event_col: str, ph_check: bool = True) -> CoxResult:
    """Cox proportional-hazards model (lifelines CoxPHFitter, Efron ties, no
    penalty) of `duration_col`/`event_col` on every other column of `data`.

    Raises `CoxModelError` with the reason when it does not converge.
    """
    cph = CoxPHFitter(alpha=ALPHA)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            cph.fit(data, duration_col=duration_col, event_col=event_col)
        except (ConvergenceError, ConvergenceWarning, np.linalg.LinAlgError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CoxModelError(f"the Cox model did not converge ({first})") from exc
    s = cph.summary
    hr = pd.DataFrame(
        {
            "hazard_ratio": s["exp(coef)"],
            "ci_low": s[f"exp(coef) lower {100 * (1 - ALPHA):.0f}%"],
            "ci_high": s[f"exp(coef) upper {100 * (1 - ALPHA):.0f}%"],
            "p_value": s["p"],
        }
    )
    ph = None
    if ph_check:
        resids = scaled_schoenfeld(cph, data, duration_col, event_col)
        test = proportional_hazard_test(cph, data, time_transform="rank", precomputed_residuals=resids)
        ph = test.summary.rename(columns={"p": "p_value"})[["test_statistic", "p_value"]]
        ph.index = [i[0] if isinstance(i, tuple) else i for i in ph.index]
    return CoxResult(hr, ph, float(cph.log_likelihood_), int(len(data)), int(data[event_col].sum()), cph)


def scaled_schoenfeld(cph: CoxPHFitter, data: pd.DataFrame, duration_col: str, event_col: str) -> pd.DataFrame:
    """Scaled Schoenfeld residuals of a fitted (unweighted) Cox model, one row
    per event in order of time: lifelines' `compute_residuals(data,
    "scaled_schoenfeld")` (Efron ties) with the risk sets summed by cumulative
    sums. lifelines builds them row by row with `np.append`, which grows with
    the square of the rows: 8 s for 50,000 customers against 0.1 s here.
    """
    cols = list(cph.params_.index)
    d = data.sort_values(duration_col, kind="stable")
    x = d[cols].to_numpy(dtype=float)
    t = d[duration_col].to_numpy(dtype=float)
    events = np.flatnonzero(d[event_col].to_numpy(dtype=bool))
    phi = np.exp(x @ cph.params_.to_numpy())
    # the risk set at time t: every row with duration ≥ t (from the first row of that time on)
    risk = np.cumsum(phi[::-1])[::-1]
    risk_x = np.cumsum((phi[:, None] * x)[::-1], axis=0)[::-1]
    first = np.searchsorted(t, t[events], side="left")
    # deaths tied at each event time (Efron: the l-th of m tied deaths sees l/m of them removed)
    group, start, m = np.unique(first, return_index=True, return_inverse=False, return_counts=True)
    g = np.repeat(np.arange(len(group)), m)
    tie = np.bincount(g, weights=phi[events])
    tie_x = np.stack([np.bincount(g, weights=phi[events] * x[events, j]) for j in range(len(cols))], axis=1)
    frac = ((np.arange(len(events)) - start[g]) / m[g])[:, None]
    term = (risk_x[first] - frac * tie_x[g]) / ((risk[first][:, None] - frac * tie[g][:, None]) * m[g][:, None])
    expected = np.stack([np.bincount(g, weights=term[:, j]) for j in range(len(cols))], axis=1)
    resid = x[events] - expected[g]
    scaled = len(events) * resid @ cph.variance_matrix_.to_numpy()
    return pd.DataFrame(scaled, columns=cph.params_.index, index=d.index[events])


def cox_frame(bank: Bank, analysis: ChurnAnalysis) -> pd.DataFrame:
    """The churn cohort with its driver features at t0 (the logistic model's
    rows and columns), `years` from t0 to close_date (+1 day) for churners, else the
    whole window (censored at as_of), and `left` (churned in the window)."""
    tf = bank.timeframe
    model = analysis.model
    feats = analysis.features
    if model is not None:  # the logistic model's rows and columns (after any set aside for separation)
        feats = feats.drop(index=model.set_aside_)[model.features_]
    co = analysis.cohort.set_index("customer_id").reindex(feats.index)
    window_days = (tf.as_of - tf.t0).days + 1
    days = ((co["close_date"] - tf.t0).dt.days + 1).where(co["churned"], window_days)
    df = feats.copy()
    df["years"] = days.astype(float).to_numpy() / DAYS_PER_YEAR
    df["left"] = co["churned"].astype(int).to_numpy()
    return df.reset_index(drop=True)


def cox_drivers(bank: Bank, analysis: ChurnAnalysis) -> CoxResult:
    """The Cox model on the churn drivers of the cohort at t0 (same columns as
    the logistic model). Raises `CoxModelError` when the logistic model was
    not fitted (same reason) or the Cox model does not converge."""
    if analysis.model is None:
        raise CoxModelError(analysis.reason or "the churn model was not fitted")
    return fit_cox(cox_frame(bank, analysis), "years", "left")


# ---------------------------------------------------------------------------
# Words and figures


def _years(v: float, lang: str) -> str:
    return f"{v:.1f}年" if lang == "zh" else f"{v:.1f} years"


def describe_survival(
    medians: pd.DataFrame, cox: CoxResult | None, lang: str = "zh", cox_reason: str | None = None
) -> list[str]:
    """Sentences on how long customers stay (by segment) and the Cox model's reading."""
    zh = lang == "zh"
    out = [
        "留存曲线（Kaplan–Meier）显示客户开户若干年后仍留在本行的比例；数据开始前就已开户的客户，从数据第一个月起才计入"
        "（左截断），避免只看到“熬过来”的老客户而高估留存。"
        if zh
        else "Retention curves (Kaplan–Meier) show the share of customers still with the bank a given number of years after "
        "opening; customers who opened before the data begin count only from the first month of data (left truncation), "
        "so long-standing survivors do not flatter the curves."
    ]
    parts = []
    for lv, r in medians.iterrows():
        name = term(lv, lang)
        if math.isfinite(r["median_years"]):
            parts.append(
                f"{name}{_years(r['median_years'], lang)}" if zh else f"{name} {_years(r['median_years'], lang)}"
            )
        else:
            parts.append(
                f"{name}超过{_years(r['observed_years'], lang)}"
                if zh
                else f"{name} more than {_years(r['observed_years'], lang)}"
            )
    if parts:
        out.append(
            ("按客户类型，一半客户离开本行所需的时间（中位在行时间）为：" + "；".join(parts) + "。")
            if zh
            else "Median time with the bank (half the customers have left by then), by segment: "
            + "; ".join(parts)
            + "."
        )
    bfh = [term(g, lang) for g in medians.index if medians.at[g, "estimator"] != "kaplan_meier"] if len(medians) else []
    if bfh:
        names = ("、" if zh else ", ").join(bfh)
        out.append(
            f"{names}在数据初期的在册客户太少，Kaplan–Meier估计不稳定，改用Breslow–Fleming–Harrington估计，结果仅供参考。"
            if zh
            else f"For {names} too few customers were on the books early in the data for Kaplan–Meier; the "
            "Breslow–Fleming–Harrington estimate is shown instead: read it as indicative only."
        )
    if cox is None:
        if cox_reason:
            out.append(
                f"比例风险（Cox）模型未估计：{cox_reason}。"
                if zh
                else f"The Cox model was not estimated: {cox_reason}."
            )
        return out
    out.append(
        f"用同一批流失因素做比例风险（Cox）模型（{cox.n:,}名客户，{cox.events:,}人流失）：{term('hazard ratio', lang)}表示某因素让任一时刻的流失风险变为多少倍，"
        "结论应与上面的优势比方向一致。"
        if zh
        else f"A Cox proportional-hazards model on the same factors ({cox.n:,} customers, {cox.events:,} left): a hazard ratio "
        "is how many times a factor multiplies the risk of leaving at any moment; it should point the same way as the odds ratios."
    )
    hr = cox.hazard_ratios
    sig = [k for k in ACTIONABLE if k in hr.index and hr.at[k, "p_value"] < ALPHA]
    sig.sort(key=lambda k: -abs(math.log(hr.at[k, "hazard_ratio"])))
    for k in sig[:3]:
        out.append("- " + effect_sentence(k, hr.loc[k].to_dict(), lang, measure="hazard"))
    bad = cox.ph_violations
    if bad:
        names = ("、" if zh else ", ").join(driver_label(k, lang) for k in bad)
        out.append(
            f"比例风险检验：{names}的影响在一年中并不恒定（p<0.05），其风险比应读作全年的平均效应。"
            if zh
            else f"Proportional-hazards check: the effect of {names} changes over the year (p < 0.05); read its hazard ratio as an average over the year."
        )
    elif cox.ph_test is not None:
        out.append(
            "比例风险检验：没有因素的影响随时间明显变化，模型假设成立。"
            if zh
            else "Proportional-hazards check: no factor's effect changes noticeably over time; the model's assumption holds."
        )
    return out


def median_table(medians: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Median lifetime by group for display (years; "> x" when not reached)."""
    zh = lang == "zh"
    out = pd.DataFrame(index=[term(g, lang) for g in medians.index])
    out["客户数" if zh else "Customers"] = medians["customers"].to_numpy()
    out["已流失" if zh else "Left"] = medians["leavers"].to_numpy()

    never = "未达到" if zh else "not reached"
    out["中位在行年数" if zh else "Median years"] = [
        f"{v:.1f}" if math.isfinite(v) else f"> {t:.1f}"
        for v, t in zip(medians["median_years"], medians["observed_years"])
    ]
    out["95%区间" if zh else "95 % interval"] = [
        f"{lo:.1f} – {f'{hi:.1f}' if math.isfinite(hi) else never}" if math.isfinite(lo) else "—"
        for lo, hi in zip(medians["ci_low"], medians["ci_high"])
    ]
    out["1年留存" if zh else "Retained at 1 year"] = (
        medians["retention_1y"].map(lambda v: f"{v:.0%}" if pd.notna(v) else "—").to_numpy()
    )
    out["5年留存" if zh else "Retained at 5 years"] = (
        medians["retention_5y"].map(lambda v: f"{v:.0%}" if pd.notna(v) else "—").to_numpy()
    )
    return out


def hazard_table(cox: CoxResult, lang: str = "zh") -> pd.DataFrame:
    """Cox hazard ratios with intervals, p-values and the PH check for display."""
    zh = lang == "zh"
    hr = cox.hazard_ratios
    ph = cox.ph_test["p_value"].reindex(hr.index) if cox.ph_test is not None else pd.Series(np.nan, index=hr.index)
    factor = "因素" if zh else "Factor"
    return pd.DataFrame(
        {
            factor: [driver_label(k, lang) for k in hr.index],
            term("hazard ratio", lang): hr["hazard_ratio"].round(3).to_numpy(),
            "95%区间" if zh else "95 % interval": [f"{a:.2f}–{b:.2f}" for a, b in zip(hr["ci_low"], hr["ci_high"])],
            "p值" if zh else "p-value": [f"{v:.3g}" for v in hr["p_value"]],
            "比例风险检验p值" if zh else "PH check p-value": [f"{v:.3g}" for v in ph],
        }
    ).set_index(factor)


def retention_title(curves: pd.DataFrame, lang: str = "zh", horizon: float = 5.0) -> str:
    """A manager's sentence: which group keeps its customers best and worst after `horizon` years
    (or the longest horizon every group reaches)."""
    if curves.empty:
        return "客户留存曲线" if lang == "zh" else "Customer retention"
    reach = curves.groupby("group")["years"].max().min()
    h = min(horizon, math.floor(reach)) or reach
    r = retention_at(curves, h).dropna()
    if len(r) < 2:
        v = r.iloc[0] if len(r) else float("nan")
        return (
            f"开户{h:g}年后仍有{v:.0%}的客户留在本行"
            if lang == "zh"
            else f"{v:.0%} of customers are still with the bank {h:g} years after opening"
        )
    best, worst = r.idxmax(), r.idxmin()
    if lang == "zh":
        return f"开户{h:g}年后，{term(best, lang)}留存{r[best]:.0%}，{term(worst, lang)}仅{r[worst]:.0%}"
    return f"{h:g} years after opening, {term(best, lang)} keep {r[best]:.0%}, {term(worst, lang)} only {r[worst]:.0%}"


def plot_retention(curves: pd.DataFrame, lang: str = "zh", ax=None, max_years: float | None = None):
    """Kaplan–Meier retention by group with 95 % bands; percent axis."""
    import matplotlib.pyplot as plt

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
    plots.percent_axis(ax, "y")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("开户后年数" if lang == "zh" else "Years since opening")
    ax.set_ylabel(term("retention", lang))
    ax.set_title(retention_title(curves, lang), loc="left")
    ax.legend()
    return fig


def plot_hazard_ratios(cox: CoxResult, lang: str = "zh"):
    """Forest plot of the Cox hazard ratios (log scale) with 95 % intervals."""
    t = cox.hazard_ratios.rename(columns={"hazard_ratio": "estimate"})
    labels = {k: driver_label(k, lang) for k in t.index}
    sig = [k for k in ACTIONABLE if k in t.index and t.at[k, "p_value"] < ALPHA]
    if sig:
        k = max(sig, key=lambda k: abs(math.log(t.at[k, "estimate"])))
        title = (
            effect_sentence(k, cox.hazard_ratios.loc[k].to_dict(), lang, measure="hazard")
            .split("（95%")[0]
            .split(" (95 %")[0]
            .rstrip("。.")
        )
    else:
        title = (
            "支行可改变的因素都未显示出可靠影响"
            if lang == "zh"
            else "No factor the branch can change shows a reliable effect"
        )
    xlabel = (
        f"{term('hazard ratio', lang)}（对数刻度；>1 更早流失）"
        if lang == "zh"
        else f"{term('hazard ratio', lang)} (log scale; > 1 leaves sooner)"
    )
    return forest_plot(t, labels, title, xlabel)
