"""Conditional (McFadden) logit of a choice among alternatives.

Each chooser (a group: a market-survey respondent) picks one alternative (a
bank) out of those it knows; the probability of picking j is

    P(j) = exp(x_j·β) / Σ_k exp(x_k·β)      over the group's alternatives,

so only differences between a group's alternatives identify β (no
constants, no chooser characteristics). β_a is the change in the log-odds of
being chosen for one more rating point on attribute a; exp(β_a) the odds
multiplier. Fitted by maximum likelihood with statsmodels'
`ConditionalLogit` (groups = chooser), Wald intervals and z-tests.

    fitter = ConditionalLogitFitter().fit(df, choice_col="primary_bank",
                                          group_col="respondent_id",
                                          covariates=["rating_convenience", ...])
    fitter.params_, fitter.summary, fitter.predict_proba(df)
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.discrete.conditional_models import ConditionalLogit
from statsmodels.tools.sm_exceptions import ConvergenceWarning, ModelWarning


class ConditionalLogitFitter:
    """McFadden's conditional logit, lifelines style: `fit` returns self.

    Fitted attributes (after `fit`): ``params_`` (Series of β),
    ``standard_errors_``, ``confidence_intervals_`` (DataFrame ci_low,
    ci_high), ``p_values_``, ``log_likelihood_``, ``n_groups_`` (choosers
    that entered the likelihood), ``n_obs_`` (their alternatives),
    ``n_dropped_groups_`` (choosers left with no choice to explain after
    incomplete rows were removed) and ``summary``.
    """

    def __init__(self, alpha: float = 0.05, maxiter: int = 1000, gtol: float = 1e-8) -> None:
        self.alpha = alpha
        self.maxiter = maxiter
        self.gtol = gtol

    def fit(
        self,
        df: pd.DataFrame,
        choice_col: str,
        group_col: str,
        covariates: Sequence[str],
    ) -> ConditionalLogitFitter:
        """Fit β by maximum likelihood on the complete rows of `df`.

        Rows with a missing covariate are removed (complete cases). A group
        whose chosen alternative was removed, or that kept a single
        alternative, has no choice left to explain and contributes nothing
        to the likelihood: it is dropped and counted in
        ``n_dropped_groups_``.
        """
        covariates = list(covariates)
        missing = [c for c in [choice_col, group_col, *covariates] if c not in df]
        if missing:
            raise KeyError(f"columns not in the data: {missing}")
        data = df[[group_col, choice_col, *covariates]].dropna()
        y = data[choice_col].astype(float)
        if not y.isin([0.0, 1.0]).all():
            raise ValueError(f"{choice_col} must be 0/1 (chosen or not): a choice is made or not")
        chosen = y.groupby(data[group_col]).sum()
        if (chosen > 1).any():
            bad = chosen[chosen > 1].index[:5].tolist()
            raise ValueError(
                f"each {group_col} must choose exactly one alternative (McFadden's model); "
                f"more than one chosen in {bad}"
            )
        size = data.groupby(group_col)[choice_col].transform("size")
        keep = data[group_col].map(chosen).eq(1) & size.ge(2)
        all_groups = df[group_col].nunique()
        data = data[keep]
        if data.empty:
            raise ValueError("no chooser with a choice among two or more complete alternatives: nothing to fit")
        X = data[covariates].astype(float)
        if np.linalg.matrix_rank(X.to_numpy() - X.groupby(data[group_col]).transform("mean").to_numpy()) < len(
            covariates
        ):
            raise ValueError(
                "covariates do not vary independently within groups: their effects on choice are not identified"
            )
        model = ConditionalLogit(data[choice_col].astype(float).to_numpy(), X, groups=data[group_col].to_numpy())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ModelWarning)
            warnings.simplefilter("error", ConvergenceWarning)
            try:
                res = model.fit(method="bfgs", maxiter=self.maxiter, gtol=self.gtol, disp=False)
            except ConvergenceWarning as exc:
                raise ValueError(
                    "the likelihood did not converge (often: one attribute perfectly predicts the choice)"
                ) from exc
        self.covariates_ = covariates
        self.params_ = pd.Series(np.asarray(res.params), index=covariates, name="coef")
        self.standard_errors_ = pd.Series(np.asarray(res.bse), index=covariates, name="se")
        if not np.isfinite(self.standard_errors_).all():
            raise ValueError("the information matrix is singular: standard errors are not defined")
        z = stats.norm.ppf(1 - self.alpha / 2)
        self.confidence_intervals_ = pd.DataFrame(
            {"ci_low": self.params_ - z * self.standard_errors_, "ci_high": self.params_ + z * self.standard_errors_}
        )
        zstat = self.params_ / self.standard_errors_
        self.p_values_ = pd.Series(2 * stats.norm.sf(np.abs(zstat)), index=covariates, name="p")
        self.log_likelihood_ = float(res.llf)
        self.n_obs_ = int(len(data))
        self.n_groups_ = int(data[group_col].nunique())
        self.n_dropped_groups_ = int(all_groups - self.n_groups_)
        self._z = zstat
        return self

    @property
    def summary(self) -> pd.DataFrame:
        """coef, exp(coef) (odds multiplier per unit), se, z, p, ci_low, ci_high."""
        self._check_fitted()
        return pd.DataFrame(
            {
                "coef": self.params_,
                "exp(coef)": np.exp(self.params_),
                "se": self.standard_errors_,
                "z": self._z,
                "p": self.p_values_,
                "ci_low": self.confidence_intervals_["ci_low"],
                "ci_high": self.confidence_intervals_["ci_high"],
            }
        ).rename_axis("covariate")

    def predict_proba(self, df: pd.DataFrame, group_col: str) -> pd.Series:
        """Choice probability of each row among its group's rows (sums to 1 per group)."""
        self._check_fitted()
        u = df[self.covariates_].astype(float).to_numpy() @ self.params_.to_numpy()
        u = pd.Series(u, index=df.index)
        u = u - u.groupby(df[group_col]).transform("max")  # stable softmax
        e = cast(pd.Series, np.exp(u))  # a Series: numpy's ufuncs keep pandas' type
        return e / e.groupby(df[group_col]).transform("sum")

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise RuntimeError("call fit() first")

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return "<ConditionalLogitFitter: not fitted>"
        fitted = f"{self.n_groups_} groups, {self.n_obs_} alternatives, LL={self.log_likelihood_:.2f}"
        return f"<ConditionalLogitFitter: {fitted}>"

    def _repr_html_(self) -> str:
        """In a notebook: the fit's one line and its `summary` table."""
        if not hasattr(self, "params_"):
            return f"<p>{html.escape(repr(self))}</p>"
        head = (
            f"<p><b>ConditionalLogitFitter</b>: {self.n_groups_:,} choosers, {self.n_obs_:,} alternatives, "
            f"log-likelihood {self.log_likelihood_:.2f}</p>"
        )
        return head + self.summary.to_html(float_format=lambda v: f"{v:.4g}")
