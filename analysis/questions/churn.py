"""Why customers leave and who is about to: the `churn` section of RESULTS.md.

    fit = analyze(bank)                    # cohort at t0, driver features, logistic model
    fit.section()                          # ChurnSection: results.json's `churn` (or Skipped)
    lf = loss_factors(bank)                # close reasons and destination banks of the leavers
    atrisk = at_risk_list(bank, fit)       # active customers by p_churn × 12-month profit
    risk = churn_risk(bank, fit)           # p_churn of active customers, for the managers' proposal

The model is `analysis.stats.logit.LogitModel` (statsmodels Logit: maximum
likelihood, an intercept, Wald intervals), reported as odds ratios; a 0/1
driver that separates churners from stayers is set aside with its customers.
What the analyst assumes (significance level, when a complaint counts as
unresolved) comes from `Assumptions`. The decisions the words and figures
read (which drivers are significant, which the branch can act on, the
direction and size of an effect in plain units) are made here, once: the
sentences are in `analysis.words.churn`, the figures in `analysis.figures.churn`.

An odds ratio is how many times a factor multiplies the odds of leaving
(odds = p ÷ (1 − p)), other factors held equal: 2 doubles them, 0.5 halves them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, churn_cohort, value_base
from analysis.data.contract import CLOSE_REASONS, SEGMENTS
from analysis.data.features import COMPLAINT_DRIVERS, DRIVER_ORDER, driver_features
from analysis.sections import Section, Skipped
from analysis.stats.logit import LogitError, LogitModel, Terms, roc_auc

MIN_COHORT = 100  # customers in the churn cohort
MIN_EVENTS = 20  # churners (and stayers): fewer and 15 odds ratios are not estimable
AUC_SEED = 20240331
TRAIN_SHARE = 0.7
MIN_PUSH = 0.05  # log-odds: a driver must raise the odds by ≥ 5 % to be named as a customer's risk

#: Drivers a branch can act on (not age, tenure, area or segment).
ACTIONABLE = (
    "products_held",
    "digital_active",
    "complaints_12m",
    "unresolved_complaint",
    "has_rm",
    "vip",
    "balance_trend",
)
DUMMY_PREFIXES = ("segment[", "area[")

#: How the model's reasons name the cohort's rows and outcomes.
CHURN_TERMS = Terms(
    row="customer",
    rows="customers",
    event="churned",
    non_event="stayed",
    events="churners",
    non_events="stayers",
    outcome="churn",
    model="churn model",
)


def churn_model(alpha: float = 0.05) -> LogitModel:
    """The churn model, unfitted: a logistic regression that sets separating drivers aside."""
    return LogitModel(alpha=alpha, separation="set_aside", terms=CHURN_TERMS)


def design_matrix(features: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The model's columns from driver features, and the columns left out with why.

    Columns follow `DRIVER_ORDER`. A segment/area level with no customers is
    left out (RESULTS.md); so is any other feature that takes one value for
    every customer (its effect cannot be estimated).
    """
    cols = [c for c in DRIVER_ORDER if c in features.columns]
    X = features[cols].astype(float)
    left_out: dict[str, str] = {}
    for c in cols:
        if c.startswith(DUMMY_PREFIXES) and not (X[c] != 0).any():
            left_out[c] = "no customer of the cohort is at this level"
        elif X[c].nunique(dropna=True) < 2:
            left_out[c] = "the same value for every customer of the cohort"
    return X.drop(columns=list(left_out)), left_out


def cohort_counts(cohort: pd.DataFrame) -> dict:
    """cohort_size, churned and churn_rate_12m (churned ÷ cohort_size; None for an empty cohort)."""
    n = len(cohort)
    k = int(cohort["churned"].sum())
    return {"cohort_size": n, "churned": k, "churn_rate_12m": k / n if n else None}


def holdout_auc(
    X: pd.DataFrame, y: pd.Series, seed: int = AUC_SEED, train_share: float = TRAIN_SHARE, alpha: float = 0.05
) -> float:
    """AUC of the model refitted on a random `train_share` of the rows (numpy
    default_rng(seed)) and scored on the rest. Raises LogitError when the
    refit is not estimable."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(X))
    n_train = round(train_share * len(X))
    train, test = order[:n_train], order[n_train:]
    Xt, _ = design_matrix(X.iloc[train])
    model = churn_model(alpha).fit(Xt, y.iloc[train])
    return roc_auc(y.iloc[test].to_numpy(), model.predict_proba(X.iloc[test]).to_numpy())


# ---------------------------------------------------------------------------
# The section and the branch's churn analysis


@dataclass(frozen=True)
class ChurnSection(Section):
    """results.json's `churn` (RESULTS.md): the cohort, its churn rate, the
    odds ratios of the drivers and the hold-out AUC. Beyond the contract:
    `left_out` (feature → why it is not in the model), `separated` (feature →
    the customers set aside with it and whether they all stayed or all
    churned) and `auc_note` (why the AUC is missing)."""

    cohort_size: int
    churned: int
    churn_rate_12m: float | None
    drivers: dict
    auc_holdout: float | None
    left_out: dict
    separated: dict | None = None
    auc_note: str | None = None

    omit_when_none = ("separated", "auc_note")


@dataclass
class ChurnResult:
    """The churn cohort of a branch, its features at t0 and the fitted model.

    `model` is None when it could not be fitted; `reason` then says why.
    `features` holds the model's columns (after `left_out`).
    """

    cohort: pd.DataFrame
    features: pd.DataFrame
    with_complaints: bool
    assumptions: Assumptions
    model: LogitModel | None = None
    left_out: dict[str, str] = field(default_factory=dict)
    auc_holdout: float | None = None
    auc_note: str | None = None
    reason: str | None = None

    @property
    def counts(self) -> dict:
        return cohort_counts(self.cohort)

    def drivers(self) -> dict:
        """`drivers` of the section: per feature, odds_ratio, ci_low, ci_high, p_value."""
        if self.model is None:
            return {}
        t = self.model.odds_ratios_
        return {
            k: {c: float(t.at[k, c]) for c in ("odds_ratio", "ci_low", "ci_high", "p_value")}
            for k in DRIVER_ORDER
            if k in t.index
        }

    def section(self) -> ChurnSection | Skipped:
        """The `churn` section of results.json, computed or skipped."""
        if self.model is None:
            return Skipped(self.reason or "the churn model was not fitted")
        left_out = dict(self.left_out)
        if not self.with_complaints:
            left_out.update({c: "no interactions table" for c in COMPLAINT_DRIVERS})
        separated = {
            k: {"customers": s["rows"], "all": "churned" if s["outcome"] == 1 else "stayed"}
            for k, s in self.model.separation_.items()
        }
        return ChurnSection(
            **self.counts,
            drivers=self.drivers(),
            auc_holdout=self.auc_holdout,
            left_out=left_out,
            separated=separated or None,
            auc_note=self.auc_note,
        )

    def _repr_html_(self) -> str:
        c = self.counts
        head = f"<p>Churn cohort: {c['cohort_size']:,} customers, {c['churned']:,} churned</p>"
        if self.model is None:
            return head + f"<p>No model: {self.reason}</p>"
        return head + self.model._repr_html_()


def analyze(
    bank: Bank,
    assumptions: Assumptions | None = None,
    min_cohort: int = MIN_COHORT,
    min_events: int = MIN_EVENTS,
    seed: int = AUC_SEED,
) -> ChurnResult:
    """Cohort at t0, driver features at t0 and the logistic model of churn.

    The model is not fitted (`reason` set) when the cohort has fewer than
    `min_cohort` customers, fewer than `min_events` churners or stayers, or
    when the data cannot identify it (`LogitError`).
    """
    bank, a = bank.assumed(assumptions)
    tf = bank.timeframe
    cohort = churn_cohort(bank)
    with_complaints = bank.interactions is not None
    feats = driver_features(
        bank, tf.t0, pd.Index(cohort["customer_id"]), with_complaints=with_complaints, assumptions=a
    )
    X, left_out = design_matrix(feats)
    out = ChurnResult(cohort, X, with_complaints, a, left_out=left_out)
    n, k = len(cohort), int(cohort["churned"].sum())
    first = bank.monthly_snapshots["month"].min()
    back = tf.window_months + a.churn_history_months  # 18: M−12 and M−18
    if n == 0 and (pd.isna(first) or first > tf.month(back)):
        out.reason = (
            f"the snapshots begin in {first:%Y-%m}, after month M−{back} ({tf.month(back):%Y-%m}): "
            f"the churn cohort needs {back + 1} months of data"
        )
        return out
    if n < min_cohort:
        out.reason = f"the churn cohort has {n} customers; the driver model needs at least {min_cohort}"
        return out
    if k < min_events or n - k < min_events:
        out.reason = (
            f"{k} of the {n} customers of the churn cohort churned in the window; "
            f"the driver model needs at least {min_events} churners and {min_events} stayers"
        )
        return out
    y = cohort["churned"].astype(int).set_axis(X.index)
    try:
        out.model = churn_model(a.alpha).fit(X, y)
    except LogitError as exc:
        out.reason = f"the churn model cannot be estimated: {exc}"
        return out
    out.left_out.update(out.model.separated_)
    try:
        out.auc_holdout = holdout_auc(X, y, seed=seed, alpha=a.alpha)
    except LogitError as exc:
        out.auc_note = f"hold-out AUC not computed: the refit on {TRAIN_SHARE * 100:.0f} % failed ({exc})"
    return out


# ---------------------------------------------------------------------------
# Decisions the words and figures read


def cohort_frame(bank: Bank, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """For exploration: the churn cohort (RESULTS.md, under the assumptions),
    one row per customer (index customer_id): `churned` and `close_date`, the
    driver features at t0 (`DRIVER_ORDER`, as the model sees them) and the
    customer's raw attributes (segment, area, vip_tier, gender, birth_year,
    open_date, rm_id, close_reason …, prefixed by nothing; a feature wins a
    name clash). `cohort_frame(bank).groupby("segment")["churned"].mean()`."""
    bank, a = bank.assumed(assumptions)
    cohort = churn_cohort(bank).set_index("customer_id")
    feats = driver_features(
        bank, bank.timeframe.t0, pd.Index(cohort.index), with_complaints=bank.interactions is not None, assumptions=a
    )
    raw = bank.customers.set_index("customer_id").reindex(cohort.index)
    raw = raw.drop(columns=[c for c in raw.columns if c in cohort.columns or c in feats.columns])
    return cohort.join(feats).join(raw).rename_axis("customer_id")


def significant(d: Mapping, alpha: float = 0.05) -> bool:
    """Whether an estimate (with `p_value`) is significant at `alpha`."""
    p = d.get("p_value")
    return p is not None and p < alpha


#: The plain unit of a driver's effect in log units: a halving (or doubling) of balances.
PLAIN_UNIT = {"balance_trend": math.log(2)}


def risk_factor(key: str, d: Mapping) -> tuple[float, float, float, int]:
    """(factor, low, high, direction): the odds multiplier in the direction that
    raises risk, per the driver's plain unit (one product, one complaint, a
    halving of balances, being in the group or not), with its interval."""
    b = math.log(d["odds_ratio"])
    s = 1 if b >= 0 else -1
    u = PLAIN_UNIT.get(key, 1.0) * s
    lo, hi = d["ci_low"] ** u, d["ci_high"] ** u
    return d["odds_ratio"] ** u, min(lo, hi), max(lo, hi), s


def actionable_findings(drivers: Mapping[str, Mapping], n: int = 3, alpha: float = 0.05) -> tuple[list[str], list[str]]:
    """(significant actionable drivers, strongest first, at most n; actionable
    drivers in the model that are not significant). Strength: |ln OR| per
    the driver's plain unit."""
    present = [k for k in ACTIONABLE if k in drivers]
    sig = [k for k in present if significant(drivers[k], alpha)]
    sig.sort(key=lambda k: -abs(math.log(drivers[k]["odds_ratio"])) * PLAIN_UNIT.get(k, 1.0))
    return sig[:n], [k for k in present if k not in sig]


# ---------------------------------------------------------------------------
# Customer loss factors (the seed's table)


@dataclass
class LossFactors:
    """Close reasons and destination banks of the branch's leavers.

    `leavers`: customers closed in the window (t0 … as_of), with segment;
    `reasons_by_segment` / `destinations_by_segment`: their counts, rows the
    reason (or bank; "unknown" when none recorded), columns the segments and
    `total`; `reasons_by_quarter` / `destinations_by_quarter`: counts of every
    customer closed from the first snapshot month to as_of, by quarter of
    close_date (every quarter of the data, closures or not).
    """

    leavers: pd.DataFrame
    reasons_by_segment: pd.DataFrame
    destinations_by_segment: pd.DataFrame
    reasons_by_quarter: pd.DataFrame
    destinations_by_quarter: pd.DataFrame
    months_by_quarter: pd.Series  # months of data in each quarter (the first and last may be partial)

    @property
    def n(self) -> int:
        return len(self.leavers)

    def closures_per_month(self) -> pd.Series:
        """Closures a month in each quarter of the data (per month of data:
        the first and last quarters may be partial)."""
        t = self.reasons_by_quarter
        return t.sum(axis=1) / self.months_by_quarter.reindex(t.index)


def _crosstab(rows: pd.Series, cols: pd.Series, row_order: list, col_order: list) -> pd.DataFrame:
    t = pd.crosstab(rows, cols).reindex(index=row_order, columns=col_order, fill_value=0)
    return t.fillna(0).astype(int)


def _known_first(values: pd.Series) -> list:
    order = values.value_counts().index.tolist()
    return [d for d in order if d != "unknown"] + (["unknown"] if "unknown" in order else [])


def loss_factors(bank: Bank) -> LossFactors:
    """Why and where the branch's customers went (close_reason, destination_bank)."""
    tf = bank.timeframe
    c = bank.customers
    closed = c[c["close_date"].notna() & (c["close_date"] <= tf.as_of)].copy()
    closed["reason"] = closed["close_reason"].astype(object).where(closed["close_reason"].notna(), "unknown")
    closed["destination"] = (
        closed["destination_bank"].astype(object).where(closed["destination_bank"].notna(), "unknown")
    )
    closed["segment"] = closed["segment"].astype(object)
    closed["quarter"] = closed["close_date"].dt.to_period("Q").astype(str)

    window = closed[tf.in_window(closed["close_date"])]
    reasons = list(CLOSE_REASONS) + ["unknown"]
    seg_cols = list(SEGMENTS)

    def by_segment(col: str, order: list) -> pd.DataFrame:
        t = _crosstab(window[col], window["segment"], order, seg_cols)
        t["total"] = t.sum(axis=1)
        return t

    r_seg = by_segment("reason", reasons)
    r_seg = r_seg[(r_seg["total"] > 0) | (r_seg.index != "unknown")]

    first = bank.monthly_snapshots["month"].min()
    seen = closed[closed["close_date"] >= first]
    months = pd.period_range(first, tf.M, freq="M")
    per_quarter = pd.Series(months.asfreq("Q").astype(str)).value_counts().sort_index()
    quarters = list(per_quarter.index)
    return LossFactors(
        leavers=window[["customer_id", "close_date", "reason", "destination", "segment", "quarter"]].reset_index(
            drop=True
        ),
        reasons_by_segment=r_seg,
        destinations_by_segment=by_segment("destination", _known_first(window["destination"])),
        reasons_by_quarter=_crosstab(seen["quarter"], seen["reason"], quarters, reasons).loc[
            :, lambda t: (t.sum() > 0) | (t.columns != "unknown")
        ],
        destinations_by_quarter=_crosstab(
            seen["quarter"], seen["destination"], quarters, _known_first(seen["destination"])
        ),
        months_by_quarter=per_quarter.rename("months"),
    )


# ---------------------------------------------------------------------------
# At-risk list and risk scores


@dataclass
class AtRiskList:
    """Active customers scored with the churn model at the current date.

    `table` (ranked by value_at_risk, largest first): customer_id (real: keep
    out of reports), segment, vip_tier, area, rm_id, p_churn (probability of
    leaving within 12 months), revenue_12m (CNY, last 12 months),
    value_at_risk (p_churn × revenue_12m, CNY: revenue expected to be lost
    in a year), risk_drivers (up to three actionable drivers that push this
    customer's risk above the average customer's, strongest first) and the
    feature values. `not_scored`: active customers without a complete
    feature row (fewer than 7 months of snapshots, so no balance trend).
    """

    table: pd.DataFrame
    scored_month: pd.Timestamp
    active: int
    not_scored: int

    def driver_counts(self, top: int) -> pd.Series:
        """How often each driver is among the risk drivers of the first `top` customers, most often first."""
        head = self.table.head(top)
        return pd.Series([k for ks in head["risk_drivers"] for k in ks], dtype=object).value_counts()


def top_drivers(push: pd.DataFrame, at_least: float, most: int) -> list[list[str]]:
    """Per row, the columns whose value is ≥ `at_least`, largest first, at most `most` of them."""
    values = push.to_numpy(dtype=float)
    order = np.argsort(-values, axis=1, kind="stable")[:, :most]
    names = np.asarray(push.columns, dtype=object)[order]
    keep = np.take_along_axis(values, order, axis=1) >= at_least
    return [list(n[k]) for n, k in zip(names, keep)]


def at_risk_list(bank: Bank, churn_result: ChurnResult, top: int | None = None) -> AtRiskList:
    """Rank active customers by p_churn × revenue_12m.

    Features are measured at the current date (`driver_features` with ref =
    M + 1 month: the snapshot of month M, complaints of the last 12 months);
    the model is the one fitted on the cohort at t0.
    """
    if churn_result.model is None:
        raise LogitError(churn_result.reason or "the churn model was not fitted")
    model = churn_result.model
    tf = bank.timeframe
    ids = active_customer_ids(bank)
    feats = driver_features(
        bank, tf.month(-1), ids, with_complaints=churn_result.with_complaints, assumptions=churn_result.assumptions
    )
    X = feats.reindex(columns=model.features_)
    complete = X.notna().all(axis=1)
    X = X[complete]
    p = model.predict_proba(X)
    rev = value_base(bank).set_index("customer_id")["revenue_12m"].reindex(X.index).fillna(0.0)
    push = model.contributions(X)[[c for c in model.features_ if c in ACTIONABLE]]
    drivers = top_drivers(push, MIN_PUSH, 3)
    c = bank.customers.set_index("customer_id").reindex(X.index)
    table = pd.DataFrame(
        {
            "segment": c["segment"].astype(object),
            "vip_tier": c["vip_tier"].astype(object),
            "area": c["area"].astype(object),
            "rm_id": c["rm_id"],
            "p_churn": p,
            "revenue_12m": rev,
            "value_at_risk": p * rev,
            "risk_drivers": drivers,
        },
        index=X.index,
    )
    table = pd.concat([table, X], axis=1).sort_values("value_at_risk", ascending=False)
    table = table.rename_axis("customer_id").reset_index()
    if top is not None:
        table = table.head(top)
    return AtRiskList(table, tf.M, len(ids), int((~complete).sum()))


@dataclass
class RiskScores:
    """p_churn (12-month probability of leaving) of active customers, and the
    threshold above which a customer counts as at risk (the branch's mean
    p_churn). `p_churn` is empty and `reason` set when the model could not be fitted."""

    p_churn: pd.Series
    threshold: float | None
    reason: str | None = None

    def at_risk(self, ids) -> pd.Series:
        p = self.p_churn.reindex(pd.Index(ids))
        if self.threshold is None:
            return pd.Series(False, index=p.index)
        return (p >= self.threshold).fillna(False)


def churn_risk(
    bank: Bank, churn_result: ChurnResult | None = None, assumptions: Assumptions | None = None
) -> RiskScores:
    """Score the active customers with the branch's churn model (pass
    `churn_result`, from `analyze`, to reuse a fit)."""
    fit = churn_result if churn_result is not None else analyze(bank, assumptions)
    if fit.model is None:
        return RiskScores(pd.Series(dtype=float, name="p_churn"), None, fit.reason)
    t = at_risk_list(bank, fit).table
    p = t.set_index("customer_id")["p_churn"].astype(float)
    return RiskScores(p, float(p.mean()) if len(p) else None)
