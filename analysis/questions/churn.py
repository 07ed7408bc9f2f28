"""Why customers leave and who is about to: the `churn` section of RESULTS.md.

- `ChurnModel`: the logistic regression of 12-month churn on the driver
  features at t0 (statsmodels Logit: maximum likelihood, intercept, Wald
  intervals), reported as odds ratios.
- `analyse_churn` / `churn_section`: the contract's cohort, churn rate,
  drivers and hold-out AUC for one branch.
- `loss_factors`: the seed's "customer loss factors" table: close reasons and
  destination banks, by segment and by quarter.
- `at_risk_list`: active customers ranked by predicted churn probability ×
  12-month profit (revenue_12m), with the drivers that put each at risk.
- `describe_*`: the sentences a briefing prints under these figures.
- `plot_*`: the figures of the churn notebook (house style of `plots`).

An odds ratio is how many times a factor multiplies the odds of leaving
(odds = p ÷ (1 − p)), other factors held equal: 2 doubles them, 0.5 halves them.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import rankdata
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    HessianInversionWarning,
    PerfectSeparationError,
    PerfectSeparationWarning,
)

from analysis.figures import style as plots
from analysis.words.format import money, money_unit
from analysis import sections
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, churn_cohort, value_base
from analysis.data.contract import AREAS, CLOSE_REASONS, SEGMENTS
from analysis.data.features import COMPLAINT_DRIVERS, DRIVER_ORDER, UNRESOLVED_DAYS, driver_features
from analysis.words.glossary import feature_term, term

MIN_COHORT = 100  # customers in the churn cohort
MIN_EVENTS = 20  # churners (and stayers): fewer and 15 odds ratios are not estimable
AUC_SEED = 20240331
TRAIN_SHARE = 0.7
ALPHA = 0.05  # 95 % intervals; "significant" means p < ALPHA
MAX_ABS_COEF = 15.0  # |log odds ratio| beyond this (OR > 3 million) only happens under separation

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


class ChurnModelError(ValueError):
    """The churn model cannot be estimated from these data (the reason in words)."""


# ---------------------------------------------------------------------------
# Labels: the glossary's terms, with the unit an odds ratio is per

#: Per-unit qualifiers of the numeric drivers (zh, en): an odds ratio is per one of these.
_PER_UNIT: dict[str, tuple[str, str]] = {
    "age": ("每岁", "per year"),
    "tenure_years": ("每年", "per year"),
    "products_held": ("每类", "per product line"),
    "complaints_12m": ("每次", "each"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def driver_label(key: str, lang: str = "zh") -> str:
    """Label of a driver key: its term with the unit its odds ratio is per
    (`age` → 年龄（每岁）), a dummy with its reference level
    (`segment[sme]` → 小微企业主（对比大众客户）). KeyError for an unknown key."""
    for prefix, levels in (("segment[", SEGMENTS), ("area[", AREAS)):
        if key.startswith(prefix):
            level, ref = feature_term(key, lang), term(levels[0], lang)
            return f"{level}（对比{ref}）" if lang == "zh" else f"{level} (vs {ref.lower()})"
    label = term(key, lang)
    if key in _PER_UNIT:
        unit = _pick(_PER_UNIT[key], lang)
        return f"{label}（{unit}）" if lang == "zh" else f"{label} ({unit})"
    return label


# ---------------------------------------------------------------------------
# The model


def _binary(col: pd.Series) -> bool:
    return bool(col.isin([0, 1]).all())


def _separating_feature(X: pd.DataFrame, y: pd.Series) -> tuple[str, int, int, int] | None:
    """The first 0/1 feature with a value at which every customer has the same
    outcome: (feature, value, outcome, customers), or None."""
    for c in X.columns:
        if not _binary(X[c]):
            continue
        for v in (1, 0):
            yy = y[X[c] == v]
            if len(yy) and yy.nunique() == 1:
                return c, v, int(yy.iloc[0]), int(len(yy))
    return None


class ChurnModel:
    """Logistic regression of churned (0/1) on driver features, by maximum likelihood.

    Parameters
    ----------
    alpha : float
        1 − confidence level of the Wald intervals (0.05: 95 %).
    maxiter : int
        Newton iterations allowed.
    separation : {"raise", "set_aside"}
        What to do when a 0/1 feature separates the outcome quasi-completely
        (e.g. not one of the high-net-worth customers churned): the maximum
        likelihood estimate of its odds ratio does not exist (it is 0 or ∞).
        "raise": `ChurnModelError`. "set_aside": leave that feature out
        together with the customers at the separating value, and fit the
        rest: the other odds ratios are then exactly the limit that the
        likelihood approaches. Such customers are scored by `predict_proba`
        as if at the feature's other value (a finite, cautious score rather
        than the degenerate 0 or 1).

    Fitted attributes: `features_` (columns used, in order), `coef_` (log
    odds, with `const`), `odds_ratios_` (DataFrame indexed by feature:
    odds_ratio, ci_low, ci_high, p_value), `separated_` (feature → the
    reason it was set aside; `separation_counts_` the same as customers and
    whether they all stayed or all churned), `set_aside_` (index of the rows left out with
    them), `feature_means_` (the fitting sample's means:
    the "average customer" of `contributions`), `n_obs_`, `n_events_`,
    `result_` (the statsmodels results).

    `fit` raises `ChurnModelError` with the statistical reason when the data
    cannot identify the model (missing values, a single outcome, collinear
    features, separation), never a bare numerical traceback.
    """

    def __init__(self, alpha: float = ALPHA, maxiter: int = 100, separation: str = "raise"):
        self.alpha = alpha
        self.maxiter = maxiter
        self.separation = separation

    def fit(self, X: pd.DataFrame, y: Sequence) -> "ChurnModel":
        if self.separation not in ("raise", "set_aside"):
            raise ValueError(f"separation must be 'raise' or 'set_aside', not {self.separation!r}")
        X = pd.DataFrame(X).astype(float)
        y = pd.Series(np.asarray(y), index=X.index).astype(float)
        self._check_values(X, y)
        self.separated_: dict[str, str] = {}
        self.separation_counts_: dict[str, dict] = {}
        all_rows = X.index
        while (found := _separating_feature(X, y)) is not None:
            col, value, outcome, n = found
            who = "churned" if outcome == 1 else "stayed"
            msg = (
                f"all {n} customers with {col} = {value} {who} (quasi-complete separation): "
                f"the odds ratio of {col} is not estimable"
            )
            if self.separation == "raise":
                raise ChurnModelError(msg)
            self.separated_[col] = msg + "; they are left out of the model"
            self.separation_counts_[col] = {"customers": n, "all": who}
            keep = X[col] != value
            X, y = X.loc[keep].drop(columns=[col]), y[keep]
            self._check_values(X, y)
        self._check_design(X)
        exog = sm.add_constant(X, has_constant="add")
        with warnings.catch_warnings():
            for w in (PerfectSeparationWarning, ConvergenceWarning, HessianInversionWarning, RuntimeWarning):
                warnings.simplefilter("error", w)
            try:
                res = sm.Logit(y, exog).fit(method="newton", maxiter=self.maxiter, disp=0)
            except (PerfectSeparationWarning, PerfectSeparationError) as exc:
                raise ChurnModelError(
                    "the features predict churn perfectly (separation): the odds ratios are not estimable"
                ) from exc
            except (ConvergenceWarning, HessianInversionWarning, RuntimeWarning, np.linalg.LinAlgError) as exc:
                raise ChurnModelError(
                    "the logistic regression did not converge: the estimates run off to infinity, which happens "
                    f"when the features (nearly) separate churners from stayers ({exc})"
                ) from exc
        bse = np.asarray(res.bse)
        if not res.mle_retvals.get("converged", False) or not np.all(np.isfinite(bse)):
            raise ChurnModelError("the logistic regression did not converge (no finite standard errors)")
        big = [k for k, v in res.params.drop("const").items() if abs(v) > MAX_ABS_COEF]
        if big:
            raise ChurnModelError(
                f"{', '.join(big)} (almost) perfectly separate churners from stayers: the odds ratios are not estimable"
            )
        ci = res.conf_int(self.alpha)
        self.result_ = res
        self.features_ = list(X.columns)
        self.coef_ = res.params
        self.odds_ratios_ = pd.DataFrame(
            {
                "odds_ratio": np.exp(res.params),
                "ci_low": np.exp(ci[0]),
                "ci_high": np.exp(ci[1]),
                "p_value": res.pvalues,
            }
        ).drop(index="const")
        self.feature_means_ = X.mean()
        self.set_aside_ = all_rows.difference(X.index, sort=False)
        self.n_obs_ = int(len(y))
        self.n_events_ = int(y.sum())
        return self

    @staticmethod
    def _check_values(X: pd.DataFrame, y: pd.Series) -> None:
        if len(X) == 0:
            raise ChurnModelError("no customers to fit the churn model on")
        missing = [c for c in X.columns if X[c].isna().any()]
        if missing:
            raise ChurnModelError(f"features with missing values: {', '.join(missing)}")
        if not y.isin([0, 1]).all():
            raise ChurnModelError("the outcome must be 0/1 (churned or not)")
        if y.nunique() < 2:
            raise ChurnModelError("every customer has the same outcome: there is nothing to explain")

    @staticmethod
    def _check_design(X: pd.DataFrame) -> None:
        if len(X) <= X.shape[1] + 1:
            raise ChurnModelError(f"{len(X)} customers are too few for {X.shape[1]} features")
        const = [c for c in X.columns if X[c].nunique() < 2]
        if const:
            raise ChurnModelError(f"features with the same value for every customer: {', '.join(const)}")
        exog = np.column_stack([np.ones(len(X)), X.to_numpy()])
        if np.linalg.matrix_rank(exog) < exog.shape[1]:
            raise ChurnModelError(
                "the features are collinear (one is a combination of others), so their separate effects are not estimable"
            )

    def _fitted(self) -> None:
        if not hasattr(self, "result_"):
            raise RuntimeError("ChurnModel is not fitted: call fit(X, y) first")

    def predict_proba(self, X: pd.DataFrame) -> pd.Series:
        """Predicted probability of churning within 12 months, one per row of X."""
        self._fitted()
        X = pd.DataFrame(X)[self.features_].astype(float)
        exog = sm.add_constant(X, has_constant="add")
        return pd.Series(np.asarray(self.result_.predict(exog)), index=X.index, name="p_churn")

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """Each feature's push on a customer's log odds of leaving relative to
        the average customer of the fitting sample: coef × (x − mean)."""
        self._fitted()
        X = pd.DataFrame(X)[self.features_].astype(float)
        return (X - self.feature_means_) * self.coef_[self.features_]


def roc_auc(y: Sequence, score: Sequence) -> float:
    """ROC AUC by the Mann–Whitney formula: the probability that a random
    churner scores above a random stayer (ties count half). NaN with one class."""
    y = np.asarray(y).astype(bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(np.asarray(score, dtype=float))
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


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


# ---------------------------------------------------------------------------
# The branch's churn analysis


@dataclass
class ChurnAnalysis:
    """The churn cohort of a branch, its features at t0 and the fitted model.

    `model` is None when it could not be fitted; `reason` then says why.
    `features` holds the model's columns (after `left_out`).
    """

    cohort: pd.DataFrame
    features: pd.DataFrame
    with_complaints: bool
    model: ChurnModel | None = None
    left_out: dict[str, str] = field(default_factory=dict)
    auc_holdout: float | None = None
    auc_note: str | None = None
    reason: str | None = None

    @property
    def counts(self) -> dict:
        return cohort_counts(self.cohort)


def cohort_counts(cohort: pd.DataFrame) -> dict:
    """cohort_size, churned and churn_rate_12m (churned ÷ cohort_size; None for an empty cohort)."""
    n = int(len(cohort))
    k = int(cohort["churned"].sum())
    return {"cohort_size": n, "churned": k, "churn_rate_12m": k / n if n else None}


def holdout_auc(X: pd.DataFrame, y: pd.Series, seed: int = AUC_SEED, train_share: float = TRAIN_SHARE) -> float:
    """AUC of the model refitted on a random `train_share` of the rows (numpy
    default_rng(seed)) and scored on the rest. Raises ChurnModelError when the
    refit is not estimable."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(X))
    n_train = int(round(train_share * len(X)))
    train, test = order[:n_train], order[n_train:]
    Xt, _ = design_matrix(X.iloc[train])
    model = ChurnModel(separation="set_aside").fit(Xt, y.iloc[train])
    return roc_auc(y.iloc[test].to_numpy(), model.predict_proba(X.iloc[test]).to_numpy())


def analyse_churn(
    bank: Bank,
    min_cohort: int = MIN_COHORT,
    min_events: int = MIN_EVENTS,
    seed: int = AUC_SEED,
) -> ChurnAnalysis:
    """Cohort at t0, driver features at t0 and the logistic model of churn.

    The model is not fitted (`reason` set) when the cohort has fewer than
    `min_cohort` customers, fewer than `min_events` churners or stayers, or
    when the data cannot identify it (`ChurnModelError`).
    """
    tf = bank.timeframe
    cohort = churn_cohort(bank)
    with_complaints = bank.interactions is not None
    feats = driver_features(bank, tf.t0, pd.Index(cohort["customer_id"]), with_complaints=with_complaints)
    X, left_out = design_matrix(feats)
    out = ChurnAnalysis(cohort, X, with_complaints, left_out=left_out)
    n, k = len(cohort), int(cohort["churned"].sum())
    first = bank.monthly_snapshots["month"].min()
    if n == 0 and (pd.isna(first) or first > tf.month(18)):
        out.reason = (
            f"the snapshots begin in {first:%Y-%m}, after month M−18 ({tf.month(18):%Y-%m}): "
            "the churn cohort needs 19 months of data"
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
        out.model = ChurnModel(separation="set_aside").fit(X, y)
    except ChurnModelError as exc:
        out.reason = f"the churn model cannot be estimated: {exc}"
        return out
    out.left_out.update(out.model.separated_)
    try:
        out.auc_holdout = holdout_auc(X, y, seed=seed)
    except ChurnModelError as exc:
        out.auc_note = f"hold-out AUC not computed: the refit on 70 % failed ({exc})"
    return out


def drivers_dict(model: ChurnModel) -> dict:
    """`drivers` of the churn section: per feature, odds_ratio, ci_low, ci_high, p_value."""
    t = model.odds_ratios_
    return {
        k: {c: float(t.at[k, c]) for c in ("odds_ratio", "ci_low", "ci_high", "p_value")}
        for k in DRIVER_ORDER
        if k in t.index
    }


def churn_section(bank: Bank | None = None, analysis: ChurnAnalysis | None = None) -> dict:
    """The `churn` section of results.json (RESULTS.md), computed or skipped.

    Pass `analysis` (from `analyse_churn`) to reuse a fit. Beyond the
    contract's figures it carries `left_out` (feature → why) and, when the
    complaint features are absent, the reason.
    """
    if analysis is None:
        if bank is None:
            raise TypeError("churn_section needs a bank or an analysis")
        analysis = analyse_churn(bank)
    if analysis.model is None:
        return sections.skipped(analysis.reason or "the churn model was not fitted")
    extra: dict = {"left_out": dict(analysis.left_out)}
    if not analysis.with_complaints:
        extra["left_out"].update({c: "no interactions table" for c in COMPLAINT_DRIVERS})
    if analysis.model.separation_counts_:
        extra["separated"] = dict(analysis.model.separation_counts_)
    if analysis.auc_note:
        extra["auc_note"] = analysis.auc_note
    return sections.ok(
        **analysis.counts,
        drivers=drivers_dict(analysis.model),
        auc_holdout=analysis.auc_holdout,
        **extra,
    )


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
        return int(len(self.leavers))


def _crosstab(rows: pd.Series, cols: pd.Series, row_order: list, col_order: list) -> pd.DataFrame:
    t = pd.crosstab(rows, cols).reindex(index=row_order, columns=col_order, fill_value=0)
    return t.fillna(0).astype(int)


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

    dest_order = window["destination"].value_counts().index.tolist()
    dest_order = [d for d in dest_order if d != "unknown"] + (["unknown"] if "unknown" in dest_order else [])
    r_seg = by_segment("reason", reasons)
    r_seg = r_seg[(r_seg["total"] > 0) | (r_seg.index != "unknown")]

    first = bank.monthly_snapshots["month"].min()
    seen = closed[closed["close_date"] >= first]
    months = pd.period_range(first, tf.M, freq="M")
    per_quarter = pd.Series(months.asfreq("Q").astype(str)).value_counts().sort_index()
    quarters = list(per_quarter.index)
    all_dest = seen["destination"].value_counts().index.tolist()
    all_dest = [d for d in all_dest if d != "unknown"] + (["unknown"] if "unknown" in all_dest else [])
    return LossFactors(
        leavers=window[["customer_id", "close_date", "reason", "destination", "segment", "quarter"]].reset_index(
            drop=True
        ),
        reasons_by_segment=r_seg,
        destinations_by_segment=by_segment("destination", dest_order),
        reasons_by_quarter=_crosstab(seen["quarter"], seen["reason"], quarters, reasons).loc[
            :, lambda t: (t.sum() > 0) | (t.columns != "unknown")
        ],
        destinations_by_quarter=_crosstab(seen["quarter"], seen["destination"], quarters, all_dest),
        months_by_quarter=per_quarter.rename("months"),
    )


def loss_table(lf: LossFactors, lang: str = "zh") -> pd.DataFrame:
    """The seed's loss-factor table for display: per close reason, leavers in
    the window, share of all leavers, and the share within each segment."""
    t = lf.reasons_by_segment
    total = max(int(t["total"].sum()), 1)
    seg_tot = t[list(SEGMENTS)].sum().replace(0, np.nan)
    out = pd.DataFrame(index=t.index)
    n_col, s_col = ("流失客户数", "占全部流失") if lang == "zh" else ("Leavers", "Share of leavers")
    out[n_col] = t["total"]
    out[s_col] = t["total"] / total
    for s in SEGMENTS:
        if seg_tot[s] > 0:
            out[term(s, lang)] = t[s] / seg_tot[s]
    out.index = [term(r, lang) for r in out.index]
    out.index.name = "流失原因" if lang == "zh" else "Reason for leaving"
    return out.sort_values(n_col, ascending=False)


def destination_table(lf: LossFactors, lang: str = "zh") -> pd.DataFrame:
    """Destination banks of the window's leavers, by segment (counts)."""
    t = lf.destinations_by_segment
    t = t.loc[:, (t.sum() > 0) | (t.columns == "total")]
    out = t.rename(columns={s: term(s, lang) for s in SEGMENTS} | {"total": "合计" if lang == "zh" else "Total"})
    out.index = [term(d, lang) if d == "unknown" else d for d in out.index]
    out.index.name = "转投银行" if lang == "zh" else "Destination bank"
    out.columns.name = None
    return out


# ---------------------------------------------------------------------------
# At-risk list


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


MIN_PUSH = 0.05  # log-odds: a driver must raise the odds by ≥ 5 % to be named


def top_drivers(push: pd.DataFrame, at_least: float, most: int) -> list[list[str]]:
    """Per row, the columns whose value is ≥ `at_least`, largest first, at most `most` of them."""
    values = push.to_numpy(dtype=float)
    order = np.argsort(-values, axis=1, kind="stable")[:, :most]
    names = np.asarray(push.columns, dtype=object)[order]
    keep = np.take_along_axis(values, order, axis=1) >= at_least
    return [list(n[k]) for n, k in zip(names, keep)]


def at_risk_list(bank: Bank, analysis: ChurnAnalysis, top: int | None = None) -> AtRiskList:
    """Rank active customers by p_churn × revenue_12m.

    Features are measured at the current date (`driver_features` with ref =
    M + 1 month: the snapshot of month M, complaints of the last 12 months);
    the model is the one fitted on the cohort at t0.
    """
    if analysis.model is None:
        raise ChurnModelError(analysis.reason or "the churn model was not fitted")
    model = analysis.model
    tf = bank.timeframe
    ids = active_customer_ids(bank)
    feats = driver_features(bank, tf.month(-1), ids, with_complaints=analysis.with_complaints)
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
    return AtRiskList(table, tf.M, int(len(ids)), int((~complete).sum()))


def risk_phrase(key: str, row: Mapping, lang: str = "zh") -> str:
    """The state of a driver for one customer in words ("holds only 2 products")."""
    v = row.get(key)
    zh = lang == "zh"
    if key == "products_held":
        return f"仅持有{int(v)}类产品" if zh else f"holds {int(v)} product lines"
    if key == "complaints_12m":
        return f"近12个月投诉{int(v)}次" if zh else f"{int(v)} complaint{'s' if int(v) != 1 else ''} in 12 months"
    if key == "balance_trend":
        change = math.expm1(v)
        return (
            f"资产半年内{'减少' if change < 0 else '增加'}{abs(change):.0%}"
            if zh
            else f"balances {change:+.0%} in 6 months"
        )
    return _pick(_STATES[key][int(v >= 0.5)], lang)


#: The two states of each actionable driver in words, (low / 0, high / 1), each (zh, en).
_STATES = {
    "products_held": (("持有产品少", "few products"), ("持有产品多", "many products")),
    "digital_active": (
        ("未使用手机银行/网银", "no mobile/online banking"),
        ("使用手机银行/网银", "uses mobile/online banking"),
    ),
    "complaints_12m": (("投诉少", "few complaints"), ("投诉多", "repeated complaints")),
    "unresolved_complaint": (
        ("无逾期未解决投诉", "no overdue complaint"),
        ("投诉逾30天未解决", "complaint unresolved > 30 days"),
    ),
    "has_rm": (("未配客户经理", "no relationship manager"), ("配有客户经理", "has a relationship manager")),
    "vip": (("非VIP", "not VIP"), ("VIP客户", "VIP")),
    "balance_trend": (("资产下降", "falling balances"), ("资产上升", "rising balances")),
}
#: Drivers whose risky state varies by customer, named in general by their usual risky state.
_RISKY_SIDE = {"products_held": 0, "complaints_12m": 1, "balance_trend": 0}


def _risk_name(key: str, table: pd.DataFrame, lang: str) -> str:
    """The risky state of a driver in general words (binary drivers: the state
    of the customers for whom it is a risk driver)."""
    if key in _RISKY_SIDE:
        return _pick(_STATES[key][_RISKY_SIDE[key]], lang)
    rows = table[table["risk_drivers"].map(lambda ks: key in ks)]
    return risk_phrase(key, rows.iloc[0], lang) if len(rows) else driver_label(key, lang)


def at_risk_display(
    atrisk: AtRiskList, pseud, lang: str = "zh", top: int | None = 20, with_ids: bool = False
) -> pd.DataFrame:
    """The top of the at-risk list for a report: pseudonyms instead of
    customer ids, labelled columns, money in 万元 / thousand CNY, drivers in
    words. `with_ids` adds the real customer_id (only for the private file)."""
    from analysis.data.pseudonym import pseudonymise

    t = atrisk.table if top is None else atrisk.table.head(top)
    div, unit = money_unit(lang)
    zh = lang == "zh"
    out = pseudonymise(t[["customer_id"]], pseud)
    out[term("relationship manager", lang)] = t["rm_id"].fillna("—").to_numpy()
    out["客户类型" if zh else "Segment"] = [term(s, lang) for s in t["segment"]]
    out["VIP"] = [term(v, lang) for v in t["vip_tier"]]
    out["流失概率" if zh else "P(leave, 12 months)"] = t["p_churn"].map(lambda v: f"{v:.0%}").to_numpy()
    money = lambda v: f"{v / div:,.1f}"  # noqa: E731
    out[f"{term('revenue_12m', lang)}（{unit}）" if zh else f"{term('revenue_12m', lang)} ({unit})"] = (
        t["revenue_12m"].map(money).to_numpy()
    )
    out[f"风险利润（{unit}）" if zh else f"Profit at risk ({unit})"] = t["value_at_risk"].map(money).to_numpy()
    sep = "；" if zh else "; "
    out["主要风险因素" if zh else "What puts them at risk"] = [
        sep.join(risk_phrase(k, row, lang) for k in row["risk_drivers"]) or "—" for _, row in t.iterrows()
    ]
    out = out.rename(columns={"pseudonym": "客户代号" if zh else "Customer (pseudonym)"})
    if with_ids:
        out.insert(0, "customer_id", t["customer_id"].to_numpy())
    out.index = pd.RangeIndex(1, len(out) + 1, name="排名" if zh else "Rank")
    return out


def drivers_table(section: Mapping, lang: str = "zh") -> pd.DataFrame:
    """The churn odds ratios for display: label, odds ratio, 95 % interval, p, reliable or not."""
    zh = lang == "zh"
    rows = []
    for k, d in section["drivers"].items():
        rows.append(
            {
                "因素" if zh else "Factor": driver_label(k, lang),
                term("odds ratio", lang): round(d["odds_ratio"], 3),
                "95%区间" if zh else "95 % interval": f"{d['ci_low']:.2f}–{d['ci_high']:.2f}",
                "p值" if zh else "p-value": f"{d['p_value']:.3g}",
                "可靠（p<0.05）" if zh else "Reliable (p < 0.05)": ("是" if zh else "yes")
                if _significant(d)
                else ("否" if zh else "no"),
                "支行可改变" if zh else "Branch can act": ("是" if zh else "yes") if k in ACTIONABLE else "",
            }
        )
    return pd.DataFrame(rows).set_index("因素" if zh else "Factor")


# ---------------------------------------------------------------------------
# Findings in words


def _significant(d: Mapping) -> bool:
    p = d.get("p_value")
    return p is not None and p < ALPHA


_UNIT = {"balance_trend": math.log(2)}  # a halving (or doubling) of balances


def risk_factor(key: str, d: Mapping) -> tuple[float, float, float, int]:
    """(factor, low, high, direction): the odds multiplier in the direction that
    raises risk, per the driver's plain unit (one product, one complaint, a
    halving of balances, being in the group or not), with its interval."""
    b = math.log(d["odds_ratio"])
    s = 1 if b >= 0 else -1
    u = _UNIT.get(key, 1.0) * s
    lo, hi = d["ci_low"] ** u, d["ci_high"] ** u
    return d["odds_ratio"] ** u, min(lo, hi), max(lo, hi), s


_GROUPS = {  # binary drivers: (group with value 0, group with value 1), zh / en
    "digital_active": (
        ("不使用手机银行或网银的客户", "Customers not using mobile or online banking"),
        ("活跃使用手机银行或网银的客户", "Customers active on mobile or online banking"),
    ),
    "unresolved_complaint": (
        ("没有逾期未解决投诉的客户", "Customers without an overdue complaint"),
        (
            f"投诉未在{UNRESOLVED_DAYS}天内解决的客户",
            f"Customers whose complaint was not resolved within {UNRESOLVED_DAYS} days",
        ),
    ),
    "vip": (("非VIP客户", "Customers who are not VIP"), ("VIP客户", "VIP customers")),
    "has_rm": (
        ("没有客户经理的客户", "Customers without a relationship manager"),
        ("配有客户经理的客户", "Customers with a relationship manager"),
    ),
}


def effect_sentence(key: str, d: Mapping, lang: str = "zh", measure: str = "odds") -> str:
    """One driver's effect in plain terms, in the direction that raises risk.

    `d` holds odds_ratio (or hazard_ratio with measure="hazard"), ci_low, ci_high.
    """
    if measure == "hazard":
        d = {**d, "odds_ratio": d["hazard_ratio"]}
    f, lo, hi, s = risk_factor(key, d)
    zh = lang == "zh"
    what = (
        ("流失几率" if measure == "odds" else "流失风险")
        if zh
        else ("odds of leaving" if measure == "odds" else "hazard of leaving")
    )
    ci = f"（95%区间：{lo:.1f}–{hi:.1f}倍）" if zh else f" (95 % interval {lo:.1f}–{hi:.1f})"
    if key in _GROUPS:
        g = _pick(_GROUPS[key][1 if s > 0 else 0], lang)
        return (
            f"{g}{what}是其他客户的{f:.1f}倍{ci}。"
            if zh
            else f"{g} have {f:.1f} times the {what} of other customers{ci}."
        )
    if key == "products_held":
        return (
            f"每{'少' if s < 0 else '多'}持有一类产品，{what}变为{f:.2f}倍{ci}。"
            if zh
            else f"Each product line {'fewer' if s < 0 else 'more'} multiplies the {what} by {f:.2f}{ci}."
        )
    if key == "complaints_12m":
        return (
            f"每{'多' if s > 0 else '少'}一次投诉，{what}变为{f:.2f}倍{ci}。"
            if zh
            else f"Each {'further' if s > 0 else 'fewer'} complaint multiplies the {what} by {f:.2f}{ci}."
        )
    if key == "balance_trend":
        return (
            f"资产余额半年内{'减半' if s < 0 else '翻倍'}的客户，{what}是余额持平客户的{f:.1f}倍{ci}。"
            if zh
            else f"A balance that {'halved' if s < 0 else 'doubled'} over six months multiplies the {what} by {f:.1f}{ci}."
        )
    label, r, lo, hi = driver_label(key, lang), d["odds_ratio"], d["ci_low"], d["ci_high"]
    ci = f"（95%区间：{lo:.2f}–{hi:.2f}倍）" if zh else f" (95 % interval {lo:.2f}–{hi:.2f})"
    return f"{label}：{what}变为{r:.2f}倍{ci}。" if zh else f"{label}: {what} × {r:.2f}{ci}."


def actionable_findings(drivers: Mapping[str, Mapping], n: int = 3) -> tuple[list[str], list[str]]:
    """(significant actionable drivers, strongest first, at most n; actionable
    drivers in the model that are not significant). Strength: |ln OR| per
    the driver's plain unit."""
    present = [k for k in ACTIONABLE if k in drivers]
    sig = [k for k in present if _significant(drivers[k])]
    sig.sort(key=lambda k: -abs(math.log(drivers[k]["odds_ratio"])) * _UNIT.get(k, 1.0))
    return sig[:n], [k for k in present if k not in sig]


def describe_churn(section: Mapping, lang: str = "zh") -> list[str]:
    """Sentences on the branch's churn: rate, the three drivers it can act on
    (with the size of each effect; only significant ones), the rest honestly,
    and how well the model tells leavers from stayers."""
    zh = lang == "zh"
    if section.get("status") != "ok":
        return [
            f"{term('churn', lang)}分析未进行：{section.get('reason')}。"
            if zh
            else f"The churn analysis was not run: {section.get('reason')}."
        ]
    n, k, r = section["cohort_size"], section["churned"], section["churn_rate_12m"]
    drivers = section["drivers"]
    out = [
        f"一年前（t0）在册且有至少半年历史的{n:,}名客户中，{k:,}人在之后12个月内销户，{term('churn_rate_12m', lang)}为{r:.1%}。"
        if zh
        else f"Of the {n:,} customers on the books a year ago (with at least six months' history), {k:,} closed "
        f"their relationship within 12 months: a {term('churn_rate_12m', lang).lower()} of {r:.1%}.",
        "优势比（流失几率倍数）表示在其他因素相同时，某个因素让客户的流失几率变为原来的多少倍：大于1风险升高，小于1风险降低。"
        "p值小于0.05的影响视为可靠（若该因素其实毫无作用，看到这么大差异的机会不到5%）。"
        if zh
        else "An odds ratio says how many times a factor multiplies a customer's odds of leaving, other things equal: above 1 "
        "raises the risk, below 1 lowers it. We call an effect reliable when p < 0.05 (a difference this large would "
        "turn up less than 5 % of the time if the factor did nothing).",
    ]
    top, weak = actionable_findings(drivers)
    if top:
        head = (
            f"支行可以着手改变的因素中，影响最大的{len(top)}个："
            if zh
            else f"The {len(top)} factor{'s' if len(top) > 1 else ''} the branch can act on with the largest effect:"
        )
        if len(top) < 3:
            head = (
                f"支行可以改变的因素中只有{len(top)}个显示出可靠的影响："
                if zh
                else f"Only {len(top)} of the factors the branch can act on show a reliable effect:"
            )
        out.append(head)
        out += [f"- {effect_sentence(key, drivers[key], lang)}" for key in top]
    else:
        out.append(
            "支行可以改变的因素（产品数、手机银行、投诉处理、客户经理、VIP、资产变化）在本行数据中都没有显示出可靠的影响。"
            if zh
            else "None of the factors the branch can act on (products, digital banking, complaint handling, relationship "
            "managers, VIP status, balance trend) shows a reliable effect in this branch's data."
        )
    if weak:
        names = "、".join(driver_label(x, lang) for x in weak) if zh else ", ".join(driver_label(x, lang) for x in weak)
        out.append(
            f"{names}在本行数据中没有显示出可靠的影响（p≥0.05）：这不等于没有作用，只是现有数据不足以下结论。"
            if zh
            else f"{names}: no reliable effect in this branch's data (p ≥ 0.05). That is not proof of no effect, only "
            "that the data cannot tell."
        )
    other = [x for x in drivers if x not in ACTIONABLE and _significant(drivers[x])]
    if other:
        parts = [
            f"{driver_label(x, lang)}{drivers[x]['odds_ratio']:.2f}倍"
            if zh
            else f"{driver_label(x, lang)} (× {drivers[x]['odds_ratio']:.2f})"
            for x in other
        ]
        out.append(
            ("支行无法改变、但可用于锁定重点客户的因素：" + "、".join(parts) + "。")
            if zh
            else "Factors the branch cannot change but can use to target: " + ", ".join(parts) + "."
        )
    for key, info in (section.get("separated") or {}).items():
        label = driver_label(key, lang).split("（")[0].split(" (")[0]
        stayed = info["all"] == "stayed"
        out.append(
            f"{label}的{info['customers']}名客户{'无一流失' if stayed else '全部流失'}，无法估计其优势比，这部分客户未纳入模型。"
            if zh
            else f"All {info['customers']} customers in “{label}” {'stayed' if stayed else 'left'}, so its odds ratio cannot be "
            "estimated; they are left out of the model."
        )
    left = section.get("left_out") or {}
    if any(c in left for c in COMPLAINT_DRIVERS):
        out.append(
            "本次数据没有客户接触（投诉）记录，模型未包含投诉因素。"
            if zh
            else "The data hold no interactions (complaints), so the model leaves the complaint factors out."
        )
    auc = section.get("auc_holdout")
    if auc is not None:
        out.append(
            f"模型区分流失与留存客户的能力（留出样本AUC）为{auc:.2f}：在建模时未使用的30%客户中，随机抽一名流失客户和一名留存客户，"
            f"模型给前者更高流失概率的机会是{auc:.0%}（50%相当于随机猜测）。"
            if zh
            else f"The model's hold-out AUC is {auc:.2f}: among the 30 % of customers it was not fitted on, it ranks a random "
            f"leaver above a random stayer {auc:.0%} of the time (50 % would be guessing)."
        )
    return out


def describe_loss_factors(lf: LossFactors, lang: str = "zh") -> list[str]:
    """Sentences on why and where the window's leavers went."""
    zh = lang == "zh"
    if lf.n == 0:
        return ["近12个月没有客户销户。" if zh else "No customer closed a relationship in the last 12 months."]
    t = lf.reasons_by_segment["total"]
    known = t.drop(index="unknown", errors="ignore")
    top = known.sort_values(ascending=False)
    out = []
    if top.sum() > 0:
        r1, n1 = top.index[0], int(top.iloc[0])
        out.append(
            f"近12个月共有{lf.n:,}名客户销户，首要原因是“{term(r1, lang)}”（{n1}人，占{n1 / lf.n:.0%}）"
            + (
                f"，其次是“{term(top.index[1], lang)}”（{int(top.iloc[1])}人）"
                if len(top) > 1 and top.iloc[1] > 0
                else ""
            )
            + "。"
            if zh
            else f"{lf.n:,} customers left in the last 12 months; the main reason given was “{term(r1, lang)}” "
            f"({n1}, {n1 / lf.n:.0%})"
            + (f", then “{term(top.index[1], lang)}” ({int(top.iloc[1])})" if len(top) > 1 and top.iloc[1] > 0 else "")
            + "."
        )
    d = lf.destinations_by_segment["total"].drop(index="unknown", errors="ignore")
    d = d[d > 0]
    if len(d):
        n_known = int(d.sum())
        names = list(d.index[:3])
        shares = [f"{b}（{int(d[b])}人）" if zh else f"{b} ({int(d[b])})" for b in names]
        out.append(
            f"去向已知的{n_known}人中，转投最多的是" + "、".join(shares) + "。"
            if zh
            else f"Of the {n_known} leavers whose new bank is known, most went to " + ", ".join(shares) + "."
        )
    else:
        out.append("流失客户的去向没有记录。" if zh else "Where leavers went was not recorded.")
    return out


def describe_at_risk(atrisk: AtRiskList, source: str, lang: str = "zh", top: int = 20) -> list[str]:
    """Sentences on the at-risk list: how much profit the top customers put at risk,
    what most often puts them at risk, and how identifiers are protected."""
    zh = lang == "zh"
    t = atrisk.table
    head = t.head(top)
    total = t["value_at_risk"].clip(lower=0).sum()
    share = head["value_at_risk"].sum() / total if total > 0 else float("nan")
    counts = pd.Series([k for ks in head["risk_drivers"] for k in ks], dtype=object).value_counts()
    out = [
        f"按{atrisk.scored_month:%Y年%m月}的状况，对{len(t):,}名活跃客户估计了未来12个月的流失概率，并乘以其近12个月利润得到“风险利润”。"
        f"排名前{len(head)}的客户风险利润合计{money(head['value_at_risk'].sum(), lang)}，占全部风险利润的{share:.0%}。"
        if zh
        else f"With their state in {atrisk.scored_month:%B %Y}, {len(t):,} active customers were scored for the chance of "
        f"leaving within 12 months, times their profit over the last 12 months (profit at risk). The top {len(head)} carry "
        f"{money(head['value_at_risk'].sum(), lang)} of profit at risk, {share:.0%} of the total."
    ]
    if len(counts):
        k, c = counts.index[0], int(counts.iloc[0])
        name = _risk_name(k, head, lang)
        out.append(
            f"前{len(head)}名中有{c}人的风险因素包括“{name}”，客户经理可优先从这里着手。"
            if zh
            else f"For {c} of the top {len(head)}, “{name}” is among what puts them at risk: the first thing for their relationship managers to address."
        )
    if atrisk.not_scored:
        out.append(
            f"另有{atrisk.not_scored}名新客户历史不足7个月，未评分。"
            if zh
            else f"{atrisk.not_scored} newer customers with less than 7 months of history were not scored."
        )
    if source == "derived":
        out.append(
            "注意：未设置假名密钥（QVSRS_PSEUDONYM_KEY），客户代号由支行编号推导，外发前请设置密钥。"
            if zh
            else "Note: no pseudonym key (QVSRS_PSEUDONYM_KEY) was set; pseudonyms derive from the branch id. Set a key before sharing."
        )
    out.append(
        "表中客户以代号显示；含真实客户号的完整名单只保存在运行目录的 private/ 文件夹，供客户经理内部使用。"
        if zh
        else "Customers appear by pseudonym; the full list with real customer numbers is kept only in the run folder's private/ folder, for relationship managers."
    )
    return out


def key_findings(
    section: Mapping, lf: LossFactors | None = None, atrisk: AtRiskList | None = None, lang: str = "zh"
) -> list[str]:
    """The churn chapter in four lines for a retail director: the rate, the
    drivers to act on, why and where leavers go, and the profit at risk."""
    zh = lang == "zh"
    out = []
    if section.get("status") == "ok":
        out.append(
            f"- 近12个月流失率{section['churn_rate_12m']:.1%}（{section['cohort_size']:,}名客户中{section['churned']:,}人）。"
            if zh
            else f"- 12-month attrition {section['churn_rate_12m']:.1%} ({section['churned']:,} of {section['cohort_size']:,} customers)."
        )
        top, _ = actionable_findings(section["drivers"])
        if top:
            parts = []
            for k in top:
                f, _, _, s = risk_factor(k, section["drivers"][k])
                state = _pick(_STATES[k][s > 0], lang)  # the risky state: the side the effect raises risk on
                parts.append(f"{state}（×{f:.1f}）" if zh else f"{state} (× {f:.1f})")
            out.append(
                ("- 可着手的流失因素：" + "、".join(parts) + "。")
                if zh
                else "- Drivers to act on: " + ", ".join(parts) + "."
            )
        else:
            out.append(
                "- 支行可改变的因素都未显示出可靠影响。"
                if zh
                else "- No factor the branch can change shows a reliable effect."
            )
    if lf is not None and lf.n:
        known = lf.reasons_by_segment["total"].drop(index="unknown", errors="ignore")
        dest = lf.destinations_by_segment["total"].drop(index="unknown", errors="ignore")
        bits = []
        if known.sum() > 0:
            r = known.idxmax()
            bits.append(
                f"首要流失原因“{term(r, lang)}”（{known[r] / lf.n:.0%}）"
                if zh
                else f"main reason “{term(r, lang)}” ({known[r] / lf.n:.0%})"
            )
        if dest.sum() > 0:
            bits.append(f"转投最多的是{dest.idxmax()}" if zh else f"most went to {dest.idxmax()}")
        if bits:
            out.append(("- " + "，".join(bits) + "。") if zh else "- Leavers: " + "; ".join(bits) + ".")
    if atrisk is not None and len(atrisk.table):
        v = money(atrisk.table["value_at_risk"].head(20).sum(), lang)
        out.append(
            f"- 风险利润最高的20名客户合计{v}，名单已交客户经理（运行目录 private/）。"
            if zh
            else f"- The 20 customers with the most profit at risk carry {v}; their list is with the relationship managers (run folder, private/)."
        )
    return out


# ---------------------------------------------------------------------------
# Figures

#: Colours of customer groups: the suite's palette without the home bank's colour.
GROUP_COLORS = [c for c in plots.PALETTE if c != plots.HOME]


def forest_plot(table: pd.DataFrame, labels: Mapping[str, str], title: str, xlabel: str, ax=None):
    """Estimates (column `estimate`) with 95 % intervals on a log scale, one row
    per index entry (first on top); above 1 in ACCENT, below 1 in GOOD when
    p < 0.05, grey otherwise."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    t = table.iloc[::-1]
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 0.38 * len(t) + 1.6))
    else:
        fig = ax.figure
    y = np.arange(len(t))
    for i, (key, row) in enumerate(t.iterrows()):
        sig = row.get("p_value", 1.0) < ALPHA
        col = (plots.ACCENT if row["estimate"] > 1 else plots.GOOD) if sig else plots.NEUTRAL
        ax.plot([row["ci_low"], row["ci_high"]], [i, i], color=col, lw=2, solid_capstyle="round")
        ax.plot(row["estimate"], i, "o", color=col, ms=7)
    ax.axvline(1, color="#333333", lw=1)
    ax.set_xscale("log")
    lo = max(min(t["ci_low"].min(), 0.9), 1e-3)
    hi = min(max(t["ci_high"].max(), 1.1), 1e3)
    ax.set_xlim(lo / 1.15, hi * 1.15)
    ticks = [v for v in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20) if lo / 1.15 <= v <= hi * 1.15]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_yticks(y)
    ax.set_yticklabels([labels.get(k, k) for k in t.index])
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.set_title(title, loc="left")
    return fig


def drivers_title(section: Mapping, lang: str = "zh") -> str:
    """A manager's sentence for the driver figure: the strongest actionable driver."""
    top, _ = actionable_findings(section["drivers"], n=1)
    if not top:
        return (
            "支行可改变的因素都未显示出可靠影响"
            if lang == "zh"
            else "No factor the branch can change shows a reliable effect"
        )
    return effect_sentence(top[0], section["drivers"][top[0]], lang).split("（95%")[0].split(" (95 %")[0].rstrip("。.")


def plot_drivers(section: Mapping, lang: str = "zh"):
    """Forest plot of the churn odds ratios with 95 % intervals (log scale)."""
    d = section["drivers"]
    t = pd.DataFrame(
        {
            k: {"estimate": v["odds_ratio"], "ci_low": v["ci_low"], "ci_high": v["ci_high"], "p_value": v["p_value"]}
            for k, v in d.items()
        }
    ).T
    labels = {k: driver_label(k, lang) for k in t.index}
    xlabel = (
        f"{term('odds ratio', lang)}（对数刻度；>1 更易流失）"
        if lang == "zh"
        else f"{term('odds ratio', lang)} (log scale; > 1 more likely to leave)"
    )
    return forest_plot(t, labels, drivers_title(section, lang), xlabel)


def plot_loss_reasons(lf: LossFactors, lang: str = "zh"):
    """Leavers of the window by close reason, stacked by segment."""
    import matplotlib.pyplot as plt

    t = lf.reasons_by_segment
    t = t[t["total"] > 0].sort_values("total")
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(t) + 1.6))
    left = np.zeros(len(t))
    for i, s in enumerate(SEGMENTS):
        if t[s].sum() == 0:
            continue
        ax.barh([term(r, lang) for r in t.index], t[s], left=left, color=GROUP_COLORS[i], label=term(s, lang))
        left += t[s].to_numpy()
    known = t.drop(index="unknown", errors="ignore")
    r1 = known["total"].idxmax() if len(known) and known["total"].max() > 0 else None
    title = (
        (
            f"“{term(r1, lang)}”是客户销户的首要原因"
            if lang == "zh"
            else f"{term(r1, lang)}: the main reason customers give for leaving"
        )
        if r1
        else ("流失原因" if lang == "zh" else "Why customers leave")
    )
    ax.set_title(title, loc="left")
    ax.set_xlabel("近12个月销户客户数" if lang == "zh" else "Customers who left in the last 12 months")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    return fig


def plot_destinations(lf: LossFactors, home_bank: str, lang: str = "zh", top: int = 8):
    """Where the window's leavers went, by destination bank (known ones)."""
    import matplotlib.pyplot as plt

    d = lf.destinations_by_segment["total"].drop(index="unknown", errors="ignore")
    d = d[d > 0].head(top).sort_values()
    fig, ax = plt.subplots(figsize=(8, 0.4 * max(len(d), 1) + 1.6))
    colors = [plots.HOME if b == home_bank else plots.ACCENT for b in d.index]
    ax.barh(list(d.index), d.to_numpy(), color=colors)
    if len(d):
        title = f"流失客户转投最多的是{d.index[-1]}" if lang == "zh" else f"Most leavers went to {d.index[-1]}"
    else:
        title = "流失客户去向未记录" if lang == "zh" else "Where leavers went was not recorded"
    ax.set_title(title, loc="left")
    ax.set_xlabel("近12个月转投的客户数" if lang == "zh" else "Leavers in the last 12 months")
    ax.grid(axis="y", visible=False)
    return fig


def plot_reasons_over_time(lf: LossFactors, lang: str = "zh"):
    """Leavers per quarter, stacked by close reason."""
    import matplotlib.pyplot as plt

    t = lf.reasons_by_quarter
    fig, ax = plt.subplots()
    bottom = np.zeros(len(t))
    for i, r in enumerate(t.columns):
        if t[r].sum() == 0:
            continue
        ax.bar(t.index, t[r], bottom=bottom, color=(GROUP_COLORS + plots.MUTED)[i], label=term(r, lang))
        bottom += t[r].to_numpy()
    trend = ""
    if len(t) >= 2:
        # per month of data, since the first and last quarters may be partial
        rate = t.sum(axis=1) / lf.months_by_quarter.reindex(t.index)
        last, prev = rate.iloc[-1], rate.iloc[:-1].mean()
        up = last > prev
        trend = (
            f"最近一个季度月均销户{last:.0f}人，{'高于' if up else '低于'}此前的{prev:.0f}人"
            if lang == "zh"
            else f"{last:.0f} closures a month last quarter, {'up' if up else 'down'} from {prev:.0f} before"
        )
    ax.set_title(trend or ("每季度销户客户数" if lang == "zh" else "Closures per quarter"), loc="left")
    ax.set_ylabel("销户客户数" if lang == "zh" else "Customers who left")
    ax.tick_params(axis="x", rotation=45)
    ax.legend(fontsize=8, ncol=2)
    ax.grid(axis="x", visible=False)
    return fig
