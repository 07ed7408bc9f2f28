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
  points of overall satisfaction per extra rating point, others held fixed
  (`analysis.stats.ols.OLSDrivers`).

Beyond the contract, for the notebook: the gaps with intervals and their
trend by quarter, the NPS trend, relative importance
(`analysis.stats.importance`) against performance as an importance–
performance matrix, and complaints (from `interactions`) with their link to
satisfaction. `analyze(bank)` gives it all as a `SatisfactionResult`; the
decisions (which gaps are clearly below expectations, which drivers clearly
matter) are made here, `analysis.words.satisfaction` words them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.contract import ATTRIBUTES
from analysis.sections import Estimate, Section, Skipped
from analysis.stats.importance import RelativeWeights
from analysis.stats.ols import OLSDrivers

PERC = [f"perc_{a}" for a in ATTRIBUTES]
EXP = [f"exp_{a}" for a in ATTRIBUTES]
QUADRANTS = ("fix_first", "keep_up", "low_priority", "possible_overkill")
IPA_BOOTSTRAP = 300  # resamples behind the importance intervals


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


def drivers_table(responses: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame | None:
    """Per attribute: estimate (points of overall satisfaction per rating
    point), ci_low, ci_high, p_value; attrs n and r_squared. None when there
    are too few complete cases or the ratings are collinear (the
    coefficients are then not identified)."""
    X = responses[PERC].rename(columns=dict(zip(PERC, ATTRIBUTES)))
    try:
        fit = OLSDrivers(alpha=alpha).fit(X, responses["overall_satisfaction"])
    except ValueError:
        return None
    return fit.summary.rename_axis("attribute")


#: Spread of the eight gaps (scale points) below which they are equal: no widest or best.
EQUAL_GAPS = 1e-9


def drivers_reason(responses: pd.DataFrame) -> dict[str, Any] | None:
    """Why `drivers_table` cannot fit the window's responses, or None when it
    can (`OLSDrivers` raises on exactly these): {"kind", "reason" (in words),
    and the numbers behind it}. Kinds: `too_few` complete responses
    ("complete", "needed", "responses", "blank": responses leaving a rating
    or overall satisfaction blank, "blank_share": the share of those cells
    blank), `identical` (every complete response gives the same answers),
    `constant` (ratings the same in every complete response: "attributes"),
    `collinear` (one rating a combination of the others)."""
    cols = [*PERC, "overall_satisfaction"]
    data = responses[cols].dropna().astype(float)
    needed = len(PERC) + 2  # more complete cases than the intercept and eight coefficients
    n, total = len(data), len(responses)
    if n < needed:
        blank = total - n
        cells = float(responses[cols].isna().to_numpy().mean()) if total else 0.0
        why = f"too few complete responses (n = {n} < {needed}: the intercept and eight ratings need {needed})"
        if blank:
            why += (
                f"; {blank} of {total} responses leave a rating or overall satisfaction blank "
                f"({cells:.0%} of those answers are blank)"
            )
        return {
            "kind": "too_few",
            "reason": why,
            "complete": n,
            "needed": needed,
            "responses": total,
            "blank": blank,
            "blank_share": cells,
        }
    if (data.nunique() <= 1).all():
        return {
            "kind": "identical",
            "reason": f"all {n} complete responses give the same answers: nothing to relate",
            "complete": n,
        }
    constant = [c.removeprefix("perc_") for c in PERC if data[c].nunique() <= 1]
    if constant:
        return {
            "kind": "constant",
            "reason": (
                f"ratings the same in every complete response ({', '.join(constant)}): their effects are not identified"
            ),
            "attributes": constant,
        }
    design = np.column_stack([np.ones(n), data[PERC].to_numpy()])
    if np.linalg.matrix_rank(design) < design.shape[1]:
        return {
            "kind": "collinear",
            "reason": (
                "the ratings are collinear (one is a combination of the others): their separate effects are not "
                "identified"
            ),
        }
    return None


#: `drivers_reason` when the fit failed otherwise.
UNFIT = {"kind": "unfit", "reason": "the regression could not be fitted"}


def identical_answers(responses: pd.DataFrame) -> bool:
    """True when every response of the window gives the same ratings and expectations."""
    cols = [*EXP, *PERC]
    return len(responses) > 1 and bool((responses[cols].nunique(dropna=False) <= 1).all())


def gaps_equal(gaps: Mapping[str, float]) -> bool:
    """True when the eight gaps (those given) are all the same: no widest, no best."""
    values = [v for v in gaps.values() if v == v]
    return len(values) > 1 and max(values) - min(values) < EQUAL_GAPS


def clear_drivers(drivers: Mapping[str, Estimate] | None, alpha: float = 0.05) -> list[str]:
    """Attributes that clearly lift the outcome (p < alpha, estimate > 0), largest first."""
    if not drivers:
        return []
    sig = [a for a, e in drivers.items() if e.p_value is not None and e.p_value < alpha and e.estimate > 0]
    return sorted(sig, key=lambda a: -drivers[a].estimate)


def clearly_below(gaps: pd.DataFrame) -> list[str]:
    """Attributes (of a `gap_table`, in its order) whose interval lies entirely below 0."""
    return [a for a, r in gaps.iterrows() if r["ci_high"] < 0]


def clearly_above(gaps: pd.DataFrame) -> list[str]:
    return [a for a, r in gaps.iterrows() if r["ci_low"] > 0]


# ---------------------------------------------------------------------------
# The section


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


@dataclass(frozen=True)
class SatisfactionSection(Section):
    """Section `satisfaction` of results.json (RESULTS.md's figures, in its order)."""

    responses: int
    cs_gap: dict[str, float]  # attribute → mean perceived − expected (NaN without answered pairs)
    cs_overall: float
    nps: float
    drivers: dict[str, Estimate] | None  # attribute → OLS coefficient; None when not identified
    drivers_reason: dict[str, Any] | None = None  # why `drivers` is null (`drivers_reason`); absent when given

    omit_when_none: ClassVar[tuple[str, ...]] = ("drivers_reason",)

    @classmethod
    def from_dict(cls, d: Mapping | None) -> SatisfactionSection | Skipped | None:
        """The typed section back from results.json; None when absent."""
        if not isinstance(d, Mapping):
            return None
        if d.get("status", "ok") != "ok":
            return Skipped(str(d.get("reason") or ""))
        nan = float("nan")
        gaps = d.get("cs_gap") if isinstance(d.get("cs_gap"), Mapping) else {}
        drivers = None
        if isinstance(d.get("drivers"), Mapping):
            drivers = {
                a: Estimate(e["estimate"], e.get("ci_low"), e.get("ci_high"), e.get("p_value"))
                for a, e in d["drivers"].items()
                if isinstance(e, Mapping) and _number(e.get("estimate")) is not None
            }
        return cls(
            responses=int(d.get("responses") or 0),
            cs_gap={a: (_number(v) if _number(v) is not None else nan) for a, v in gaps.items()},
            cs_overall=_number(d.get("cs_overall")) if _number(d.get("cs_overall")) is not None else nan,
            nps=_number(d.get("nps")) if _number(d.get("nps")) is not None else nan,
            drivers=drivers,
            drivers_reason=dict(d["drivers_reason"])
            if drivers is None and isinstance(d.get("drivers_reason"), Mapping)
            else None,
        )


def section_of(bank: Bank, responses: pd.DataFrame, drivers: pd.DataFrame | None) -> SatisfactionSection | Skipped:
    """The contract's `satisfaction` section from the window's responses and
    their `drivers_table`.

    Skipped without a `surveys` table or without responses in the window.
    `drivers` is null when the OLS cannot be fitted (no more complete cases
    than coefficients, or collinear ratings).
    """
    if not bank.has("surveys"):
        return Skipped("no surveys table: the satisfaction survey was not provided")
    if responses.empty:
        return Skipped("no survey responses dated in the 12-month window")
    gaps = cs_gaps(responses)
    estimates = None
    if drivers is not None:
        estimates = {
            a: Estimate(float(r.estimate), float(r.ci_low), float(r.ci_high), float(r.p_value))
            for a, r in drivers.iterrows()
        }
    return SatisfactionSection(
        responses=int(len(responses)),
        cs_gap={a: float(v) for a, v in gaps.items()},
        cs_overall=float(gaps.mean(skipna=False)),
        nps=nps(responses["recommend"]),
        drivers=estimates,
        drivers_reason=(drivers_reason(responses) or UNFIT) if estimates is None else None,
    )


# ---------------------------------------------------------------------------
# Importance–performance


def quadrant(importance_high: bool, performance_high: bool) -> str:
    """IPA quadrant key (glossary): high importance and low performance → fix_first …"""
    if importance_high:
        return "keep_up" if performance_high else "fix_first"
    return "possible_overkill" if performance_high else "low_priority"


def importance_performance(
    responses: pd.DataFrame, n_boot: int = 300, seed: int = 0, alpha: float = 0.05
) -> pd.DataFrame | None:
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
        w = RelativeWeights(n_boot=n_boot, alpha=alpha, seed=seed).fit(X, responses["overall_satisfaction"]).summary
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


def window_complaints(bank: Bank, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Complaints (interactions of type complaint) dated in the window, with
    days_to_resolve (NaN while open) and resolved_30d (resolved within
    `assumptions.unresolved_days`, 30 by default, of the complaint: the churn
    drivers' rule; the column keeps its contract name whatever the days)."""
    bank, a = bank.assumed(assumptions)
    days = a.unresolved_days
    i = bank.interactions
    if i is None:
        return pd.DataFrame(columns=["customer_id", "date", "category", "channel", "days_to_resolve", "resolved_30d"])
    c = i[(i["type"] == "complaint") & bank.timeframe.in_window(i["date"])].copy()
    c["days_to_resolve"] = (c["resolved_date"] - c["date"]).dt.days.astype(float)
    c["resolved_30d"] = c["days_to_resolve"].le(days)
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


def complaints_and_satisfaction(bank: Bank, assumptions: Assumptions | None = None) -> pd.DataFrame | None:
    """Overall satisfaction and NPS of the window's named respondents by
    what happened to their complaints in the 12 months before they answered:
    `none`, `resolved_30d` (every complaint resolved within the unresolved
    days, 30 by default) or `unresolved` (one open or resolved later). None without interactions or
    without named responses. Days and alpha from `assumptions`."""
    bank, a = bank.assumed(assumptions)
    resp = window_responses(bank)
    resp = resp[resp["customer_id"].notna()]
    if bank.interactions is None or resp.empty:
        return None
    i = bank.interactions
    comp = i[i["type"] == "complaint"][["customer_id", "date", "resolved_date"]]
    m = resp[["response_id", "customer_id", "survey_date"]].merge(comp, on="customer_id", how="left")
    look_back = pd.DateOffset(months=a.window_months)  # the 12 months before the answer
    before = (m["date"] < m["survey_date"]) & (m["date"] >= m["survey_date"] - look_back)
    m = m[before]
    late = m["resolved_date"].isna() | ((m["resolved_date"] - m["date"]).dt.days > a.unresolved_days)
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
        mean, lo, hi, n = _t_interval(g["overall_satisfaction"], a.alpha)
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


def complaint_difference(linked: pd.DataFrame | None) -> tuple[float, bool] | None:
    """(overall satisfaction of respondents with an unresolved complaint − of
    those without complaints, whether that is still uncertain: the
    no-complaint mean inside the unresolved group's interval); None when
    either group has fewer than two respondents."""
    if linked is None or not (linked.loc["none", "n"] > 1 and linked.loc["unresolved", "n"] > 1):
        return None
    none, unresolved = linked.loc["none"], linked.loc["unresolved"]
    d = float(unresolved["overall_satisfaction"] - none["overall_satisfaction"])
    unsure = bool(unresolved["ci_low"] <= none["overall_satisfaction"] <= unresolved["ci_high"])
    return d, unsure


# ---------------------------------------------------------------------------
# The question


@dataclass
class SatisfactionResult:
    """The satisfaction question for one branch (see `analyze`)."""

    contract: SatisfactionSection | Skipped
    responses: pd.DataFrame  # the window's responses
    history: pd.DataFrame  # every response to as_of (the trends)
    gaps: pd.DataFrame | None  # `gap_table`, None when the section is skipped
    drivers: pd.DataFrame | None  # `drivers_table`
    complaints: pd.DataFrame  # `window_complaints`
    has_interactions: bool
    linked: pd.DataFrame | None  # `complaints_and_satisfaction`
    assumptions: Assumptions
    _ipa: dict = field(default_factory=dict, repr=False, compare=False)  # (n_boot, seed) → matrix

    def section(self) -> SatisfactionSection | Skipped:
        return self.contract

    @property
    def ok(self) -> bool:
        return isinstance(self.contract, SatisfactionSection)

    @property
    def alpha(self) -> float:
        return self.assumptions.alpha

    @property
    def unresolved_days(self) -> int:
        return self.assumptions.unresolved_days

    def nps_trend(self) -> pd.DataFrame:
        return nps_trend(self.history, self.alpha)

    def gap_trend(self) -> pd.DataFrame:
        return gap_trend(self.history, self.alpha)

    def ipa(self, n_boot: int = IPA_BOOTSTRAP, seed: int = 0) -> pd.DataFrame | None:
        """`importance_performance` of the window's responses (None when skipped or
        not computable); computed once per (n_boot, seed): the bootstrap takes a while."""
        if not self.ok:
            return None
        if (n_boot, seed) not in self._ipa:
            self._ipa[n_boot, seed] = importance_performance(self.responses, n_boot, seed, self.alpha)
        return self._ipa[n_boot, seed]

    def complaint_summary(self, by: str | None = None) -> pd.DataFrame:
        return complaint_summary(self.complaints, by, self.alpha)


def analyze(bank: Bank, assumptions: Assumptions | None = None) -> SatisfactionResult:
    """Everything the satisfaction question computes for `bank` (see SatisfactionResult)."""
    bank, a = bank.assumed(assumptions)
    responses = window_responses(bank)
    has_section = bank.has("surveys") and not responses.empty
    drivers = drivers_table(responses, a.alpha) if has_section else None
    return SatisfactionResult(
        contract=section_of(bank, responses, drivers),
        responses=responses,
        history=responses_to_date(bank),
        gaps=gap_table(responses, a.alpha) if has_section else None,
        drivers=drivers,
        complaints=window_complaints(bank, a),
        has_interactions=bank.has("interactions"),
        linked=complaints_and_satisfaction(bank, a),
        assumptions=a,
    )
