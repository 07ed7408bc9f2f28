"""Logistic regression by maximum likelihood, reported as odds ratios.

    model = LogitModel(separation="set_aside").fit(X, y)
    model.summary                 # coef, exp(coef), se, z, p, ci_low, ci_high (odds-ratio scale)
    model.odds_ratios_            # odds_ratio, ci_low, ci_high, p_value per feature
    model.predict_proba(X_new)    # P(y = 1) per row
    roc_auc(y, score)             # Mann–Whitney AUC

statsmodels' Logit (Newton, an intercept, Wald intervals) does the fitting;
this module adds what a report needs around it: the data are checked first
and every reason a model cannot be identified (missing values, one outcome,
collinear or constant features, separation) is an error in words, never a
bare numerical traceback; a 0/1 feature that separates the outcome
quasi-completely can be set aside instead of failing the whole fit.

An odds ratio is how many times a feature multiplies the odds p ÷ (1 − p),
the other features held equal: 2 doubles them, 0.5 halves them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import rankdata
from statsmodels.discrete.discrete_model import Logit
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    HessianInversionWarning,
    PerfectSeparationError,
    PerfectSeparationWarning,
)
from statsmodels.tools.tools import add_constant

MAX_ABS_COEF = 15.0  # |log odds ratio| beyond this (OR > 3 million) only happens under separation
SEPARATION = ("raise", "set_aside")


class LogitError(ValueError):
    """The logistic regression cannot be estimated from these data (the reason in words)."""


@dataclass(frozen=True)
class Terms:
    """How the diagnostics name a row and the two outcomes (plain English).

    The defaults are generic; a question names its own rows ("customers")
    and outcomes ("churned" / "stayed") so that a reason reads as its reader
    would say it.
    """

    row: str = "row"
    rows: str = "rows"
    event: str = "had the event"
    non_event: str = "had no event"
    events: str = "events"
    non_events: str = "non-events"
    outcome: str = "the outcome"
    model: str = "model"


def _binary(col: pd.Series) -> bool:
    return bool(col.isin([0, 1]).all())


def separating_feature(X: pd.DataFrame, y: pd.Series) -> tuple[str, int, int, int] | None:
    """The first 0/1 feature with a value at which every row has the same
    outcome: (feature, value, outcome, rows), or None."""
    for c in X.columns:
        if not _binary(X[c]):
            continue
        for v in (1, 0):
            yy = y[X[c] == v]
            if len(yy) and yy.nunique() == 1:
                return c, v, int(yy.iloc[0]), len(yy)
    return None


class LogitModel:
    """Logistic regression of a 0/1 outcome on features, by maximum likelihood.

    Parameters
    ----------
    alpha : float
        1 − confidence level of the Wald intervals (0.05: 95 %).
    maxiter : int
        Newton iterations allowed.
    separation : {"raise", "set_aside"}
        What to do when a 0/1 feature separates the outcome quasi-completely
        (e.g. not one row with the feature at 1 has the event): the maximum
        likelihood estimate of its odds ratio does not exist (it is 0 or ∞).
        "raise": `LogitError`. "set_aside": leave that feature out together
        with the rows at the separating value, and fit the rest: the other
        odds ratios are then exactly the limit that the likelihood
        approaches. Such rows are scored by `predict_proba` as if at the
        feature's other value (a finite, cautious score rather than the
        degenerate 0 or 1).
    terms : Terms
        How the reasons of `LogitError` and `separated_` name rows and outcomes.

    Fitted attributes: `features_` (columns used, in order), `coef_` (log
    odds, with `const`), `se_`, `odds_ratios_` (DataFrame indexed by
    feature: odds_ratio, ci_low, ci_high, p_value), `separated_` (feature →
    the reason it was set aside), `separation_` (feature → {"value",
    "outcome", "rows"}: the value at which all `rows` rows had `outcome`),
    `set_aside_` (index of the rows left out with them), `feature_means_`
    (the fitting sample's means: the "average row" of `contributions`),
    `n_obs_`, `n_events_`, `result_` (the statsmodels results); `summary`.
    """

    def __init__(self, alpha: float = 0.05, maxiter: int = 100, separation: str = "raise", terms: Terms = Terms()):
        self.alpha = alpha
        self.maxiter = maxiter
        self.separation = separation
        self.terms = terms

    def fit(self, X: pd.DataFrame, y: npt.ArrayLike) -> LogitModel:
        if self.separation not in SEPARATION:
            raise ValueError(f"separation must be 'raise' or 'set_aside', not {self.separation!r}")
        w = self.terms
        X = pd.DataFrame(X).astype(float)
        yy = pd.Series(np.asarray(y), index=X.index).astype(float)
        self._check_values(X, yy)
        self.separated_: dict[str, str] = {}
        self.separation_: dict[str, dict[str, Any]] = {}
        all_rows = X.index
        while (found := separating_feature(X, yy)) is not None:
            col, value, outcome, n = found
            who = w.event if outcome == 1 else w.non_event
            msg = (
                f"all {n} {w.rows} with {col} = {value} {who} (quasi-complete separation): "
                f"the odds ratio of {col} is not estimable"
            )
            if self.separation == "raise":
                raise LogitError(msg)
            self.separated_[col] = msg + "; they are left out of the model"
            self.separation_[col] = {"value": value, "outcome": outcome, "rows": n}
            keep = X[col] != value
            X, yy = X.loc[keep].drop(columns=[col]), yy[keep]
            self._check_values(X, yy)
        self._check_design(X)
        res = self._newton(X, yy)
        ci = res.conf_int(self.alpha)
        self.result_ = res
        self.features_ = list(X.columns)
        self.coef_ = res.params
        self.se_ = res.bse
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
        self.n_obs_ = len(yy)
        self.n_events_ = int(yy.sum())
        return self

    def _newton(self, X: pd.DataFrame, y: pd.Series) -> Any:
        w = self.terms
        exog = add_constant(X, has_constant="add")
        with warnings.catch_warnings():
            for kind in (PerfectSeparationWarning, ConvergenceWarning, HessianInversionWarning, RuntimeWarning):
                warnings.simplefilter("error", kind)
            try:
                res = Logit(y, exog).fit(method="newton", maxiter=self.maxiter, disp=0)
            except (PerfectSeparationWarning, PerfectSeparationError) as exc:
                raise LogitError(
                    f"the features predict {w.outcome} perfectly (separation): the odds ratios are not estimable"
                ) from exc
            except (ConvergenceWarning, HessianInversionWarning, RuntimeWarning, np.linalg.LinAlgError) as exc:
                raise LogitError(
                    "the logistic regression did not converge: the estimates run off to infinity, which happens "
                    f"when the features (nearly) separate {w.events} from {w.non_events} ({exc})"
                ) from exc
        if not res.mle_retvals.get("converged", False) or not np.all(np.isfinite(np.asarray(res.bse))):
            raise LogitError("the logistic regression did not converge (no finite standard errors)")
        big = [k for k, v in res.params.drop("const").items() if abs(v) > MAX_ABS_COEF]
        if big:
            raise LogitError(
                f"{', '.join(big)} (almost) perfectly separate {w.events} from {w.non_events}: "
                "the odds ratios are not estimable"
            )
        return res

    def _check_values(self, X: pd.DataFrame, y: pd.Series) -> None:
        w = self.terms
        if len(X) == 0:
            raise LogitError(f"no {w.rows} to fit the {w.model} on")
        missing = [c for c in X.columns if X[c].isna().any()]
        if missing:
            raise LogitError(f"features with missing values: {', '.join(missing)}")
        if not y.isin([0, 1]).all():
            raise LogitError(f"the outcome must be 0/1 ({w.event} or not)")
        if y.nunique() < 2:
            raise LogitError(f"every {w.row} has the same outcome: there is nothing to explain")

    def _check_design(self, X: pd.DataFrame) -> None:
        w = self.terms
        if len(X) <= X.shape[1] + 1:
            raise LogitError(f"{len(X)} {w.rows} are too few for {X.shape[1]} features")
        const = [c for c in X.columns if X[c].nunique() < 2]
        if const:
            raise LogitError(f"features with the same value for every {w.row}: {', '.join(const)}")
        exog = np.column_stack([np.ones(len(X)), X.to_numpy()])
        if np.linalg.matrix_rank(exog) < exog.shape[1]:
            raise LogitError(
                "the features are collinear (one is a combination of others), "
                "so their separate effects are not estimable"
            )

    def _check_fitted(self) -> None:
        if not hasattr(self, "result_"):
            raise RuntimeError(f"{type(self).__name__} is not fitted: call fit(X, y) first")

    def predict_proba(self, X: pd.DataFrame) -> pd.Series:
        """Predicted probability of the event, one per row of X."""
        self._check_fitted()
        X = pd.DataFrame(X)[self.features_].astype(float)
        exog = add_constant(X, has_constant="add")
        return pd.Series(np.asarray(self.result_.predict(exog)), index=X.index, name="p")

    def contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """Each feature's push on a row's log odds relative to the average row
        of the fitting sample: coef × (x − mean)."""
        self._check_fitted()
        X = pd.DataFrame(X)[self.features_].astype(float)
        out: pd.DataFrame = (X - self.feature_means_) * self.coef_[self.features_]
        return out

    @property
    def summary(self) -> pd.DataFrame:
        """Per feature (and the intercept `const`): coef, exp(coef) (the odds
        ratio), se, z, p, and the Wald interval of exp(coef): ci_low, ci_high."""
        self._check_fitted()
        res = self.result_
        ci = res.conf_int(self.alpha)
        return pd.DataFrame(
            {
                "coef": res.params,
                "exp(coef)": np.exp(res.params),
                "se": res.bse,
                "z": res.tvalues,
                "p": res.pvalues,
                "ci_low": np.exp(ci[0]),
                "ci_high": np.exp(ci[1]),
            }
        ).rename_axis("covariate")

    def __repr__(self) -> str:
        if not hasattr(self, "result_"):
            return f"<{type(self).__name__}: not fitted>"
        aside = f", {len(self.separated_)} set aside" if self.separated_ else ""
        return (
            f"<{type(self).__name__}: {self.n_obs_} rows, {self.n_events_} events, "
            f"{len(self.features_)} features{aside}, LL={float(self.result_.llf):.2f}>"
        )

    def _repr_html_(self) -> str:
        if not hasattr(self, "result_"):
            return f"<p>{type(self).__name__}: not fitted</p>"
        head = f"<p>{type(self).__name__}: {self.n_obs_} rows, {self.n_events_} events</p>"
        return head + self.summary.to_html(float_format=lambda v: f"{v:.4g}")


def roc_auc(y: npt.ArrayLike, score: npt.ArrayLike) -> float:
    """ROC AUC by the Mann–Whitney formula: the probability that a random
    event scores above a random non-event (ties count half). NaN with one class."""
    yb = np.asarray(y).astype(bool)
    n1, n0 = int(yb.sum()), int((~yb).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(np.asarray(score, dtype=float))
    return float((ranks[yb].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))
