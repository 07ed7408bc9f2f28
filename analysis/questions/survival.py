"""How long customers stay: retention curves, median lifetime and a Cox model.

    life = lifetimes(bank)                          # one row per customer, with delayed entry
    fit = analyze(bank, churn_result=churn_fit)     # curves, medians and the Cox model in one call

- `lifetimes`: one row per customer seen in the snapshots: years from
  open_date to close_date (an event) or to as_of (still a customer:
  censored). Customers who opened before the data begin are only seen
  because they were still customers then; their time before the first
  snapshot month is *delayed entry* (left truncation): they count as at risk
  only from then on (lifelines' `entry`), so the curves are not flattered by
  long-standing customers who survived to be seen.
- `retention_curves` / `median_lifetime`: Kaplan–Meier retention by segment,
  VIP tier (the current tier) or area, and the median years a customer stays.
- `cox_drivers`: the Cox proportional-hazards model (`analysis.stats.survival.fit_cox`)
  on the churn drivers of the cohort at t0, with time to close within the
  12-month window (censored at as_of).

The survival analysis has no section of its own in results.json: it is read
beside the churn section. Its words are in `analysis.words.survival`, its
figures in `analysis.figures.survival`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.contract import AREAS, SEGMENTS, VIP_TIERS
from analysis.questions.churn import ACTIONABLE, ChurnResult
from analysis.questions.churn import analyze as analyze_churn
from analysis.stats.survival import CoxModelError, CoxResult, fit_cox, retention

DAYS_PER_YEAR = 365.25
ONE_DAY = 1 / DAYS_PER_YEAR
MIN_GROUP = 30  # customers: smaller groups get no curve
GROUPS = {"segment": SEGMENTS, "vip_tier": VIP_TIERS, "area": AREAS}


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


def _retention(life: pd.DataFrame, label: str, alpha: float):
    return retention(life["duration"], life["event"], life["entry"], label=label, alpha=alpha)


def _levels(life: pd.DataFrame, by: str, min_group: int) -> list[str]:
    order = GROUPS.get(by, sorted(life[by].unique()))
    counts = life[by].value_counts()
    return [lv for lv in order if counts.get(lv, 0) >= min_group]


def retention_curves(life: pd.DataFrame, by: str, min_group: int = MIN_GROUP, alpha: float = 0.05) -> pd.DataFrame:
    """Kaplan–Meier retention by `by` (segment, vip_tier or area), with delayed entry.

    Tidy: group, years (since opening), retention (share still a customer),
    ci_low, ci_high (1 − alpha), at_risk, estimator ("kaplan_meier", or
    "breslow_fleming_harrington" for a group whose early risk set empties).
    Groups with fewer than `min_group` customers are left out.
    """
    parts = []
    for lv in _levels(life, by, min_group):
        r = _retention(life[life[by] == lv], lv, alpha)
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


def median_lifetime(
    life: pd.DataFrame, by: str = "segment", min_group: int = MIN_GROUP, alpha: float = 0.05
) -> pd.DataFrame:
    """Median years a customer stays, by group (Kaplan–Meier with delayed entry).

    Columns: customers, leavers, median_years (inf when retention never falls
    to 50 % within the data), ci_low, ci_high (1 − alpha), observed_years (the
    longest lifetime seen), retention_1y, retention_5y, estimator.
    """
    rows = {}
    for lv in _levels(life, by, min_group):
        sub = life[life[by] == lv]
        r = _retention(sub, lv, alpha)
        # the band's lower curve reaches 50 % first: the lower end of the median's interval
        lo, hi = r.median_ci
        sf = r.survival
        top = float(sf.index.max())
        rows[lv] = {
            "customers": len(sub),
            "leavers": int(sub["event"].sum()),
            "median_years": r.median,
            "ci_low": lo,
            "ci_high": hi,
            "observed_years": top,
            "retention_1y": float(sf[sf.index <= 1.0].iloc[-1]) if top >= 1 else np.nan,
            "retention_5y": float(sf[sf.index <= 5.0].iloc[-1]) if top >= 5 else np.nan,
            "estimator": r.estimator,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


# ---------------------------------------------------------------------------
# The Cox model on the churn drivers


def cox_frame(bank: Bank, churn_result: ChurnResult) -> pd.DataFrame:
    """The churn cohort with its driver features at t0 (the logistic model's
    rows and columns), `years` from t0 to close_date (+1 day) for churners, else the
    whole window (censored at as_of), and `left` (churned in the window)."""
    tf = bank.timeframe
    model = churn_result.model
    feats = churn_result.features
    if model is not None:  # the logistic model's rows and columns (after any set aside for separation)
        feats = feats.drop(index=model.set_aside_)[model.features_]
    co = churn_result.cohort.set_index("customer_id").reindex(feats.index)
    window_days = (tf.as_of - tf.t0).days + 1
    days = ((co["close_date"] - tf.t0).dt.days + 1).where(co["churned"], window_days)
    df = feats.copy()
    df["years"] = days.astype(float).to_numpy() / DAYS_PER_YEAR
    df["left"] = co["churned"].astype(int).to_numpy()
    return df.reset_index(drop=True)


def cox_drivers(bank: Bank, churn_result: ChurnResult) -> CoxResult:
    """The Cox model on the churn drivers of the cohort at t0 (same columns as
    the logistic model). Raises `CoxModelError` when the logistic model was
    not fitted (same reason) or the Cox model does not converge."""
    if churn_result.model is None:
        raise CoxModelError(churn_result.reason or "the churn model was not fitted")
    return fit_cox(cox_frame(bank, churn_result), "years", "left", alpha=churn_result.assumptions.alpha)


def actionable_hazards(cox: CoxResult, n: int = 3) -> list[str]:
    """The actionable drivers whose hazard ratio is significant (p < the
    model's alpha), strongest (|ln HR|) first, at most n."""
    hr = cox.hazard_ratios
    sig = [k for k in ACTIONABLE if k in hr.index and hr.at[k, "p_value"] < cox.alpha]
    sig.sort(key=lambda k: -abs(math.log(hr.at[k, "hazard_ratio"])))
    return sig[:n]


# ---------------------------------------------------------------------------
# The question in one call


@dataclass
class SurvivalResult:
    """How long a branch's customers stay: `life` (lifetimes), `curves` (by
    = segment, vip_tier, area → retention curves; groups too small left
    out), `medians` (median lifetime by segment), `cox` (the Cox model on
    the churn drivers, or None with `cox_reason`)."""

    life: pd.DataFrame
    curves: dict[str, pd.DataFrame]
    medians: pd.DataFrame
    cox: CoxResult | None
    cox_reason: str | None = None
    assumptions: Assumptions = field(default_factory=Assumptions)


def analyze(
    bank: Bank, assumptions: Assumptions | None = None, churn_result: ChurnResult | None = None
) -> SurvivalResult:
    """Lifetimes, retention curves by segment, VIP tier and area, median lifetime
    by segment and the Cox model (pass `churn_result` to reuse the churn fit)."""
    bank, a = bank.assumed(assumptions)
    life = lifetimes(bank)
    curves = {by: retention_curves(life, by, alpha=a.alpha) for by in GROUPS}
    medians = median_lifetime(life, "segment", alpha=a.alpha)
    fit = churn_result if churn_result is not None else analyze_churn(bank, a)
    try:
        cox, reason = cox_drivers(bank, fit), None
    except CoxModelError as exc:
        cox, reason = None, str(exc)
    return SurvivalResult(life, curves, medians, cox, reason, a)
