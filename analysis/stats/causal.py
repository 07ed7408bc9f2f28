"""The adjustment engine: the effect of taking part on those who took part
(ATT) from observational data, where there was no holdout.

    est = ATTEstimator(method="aipw").fit(X, treated, y)
    est.att_, est.ci_, est.balance_, est.overlap_

How it works (Imbens & Wooldridge 2009; Lunceford & Davidian 2004):

1. **Propensity**: a logistic regression (statsmodels `Logit`, maximum
   likelihood, with an intercept) of taking part on the covariates, which are
   standardised first (numerical stability only; the fit is the same).
2. **Weights for the ATT**: a participant counts once; a comparison customer
   with propensity e counts e ÷ (1 − e) (the odds), so the weighted
   comparison pool looks like the participants on the covariates. Weights are
   normalised within each group (Hájek).
3. **Overlap**: with `trim="common_support"` (the default) comparison
   customers whose propensity lies below the lowest participant's, and
   participants above the highest comparison customer's, are left out
   (Dehejia & Wahba 1999); `trim=(lo, hi)` keeps propensities in [lo, hi].
   How many were trimmed is reported in `overlap_` — the estimate then
   speaks for the participants that remain.
4. **Estimate**: `"ipw"` — weighted difference in mean outcomes;
   `"aipw"` (doubly robust) — the same on residuals of a linear outcome
   model fitted on the (kept) comparison customers: consistent when either
   the propensity model or the outcome model is right.
5. **Standard error**: the sandwich (M-estimation) variance of the stacked
   estimating equations — propensity score equations, outcome model, and the
   two weighted means — so the uncertainty of the estimated propensity is
   included. The trimming rule is taken as given. Interval: estimate ± z·se,
   p-value two-sided against an effect of 0.

Units: `att_` is in the unit of y (CNY of balance change for campaigns).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.discrete.discrete_model import Logit
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning
from statsmodels.tools.tools import add_constant

Method = Literal["ipw", "aipw"]
METHODS = ("ipw", "aipw")
METHOD_NAMES = {
    "ipw": "inverse propensity weighting (odds weights, logistic propensity)",
    "aipw": "doubly robust AIPW (logistic propensity, odds weights, linear outcome model)",
}


def standardized_mean_differences(
    X: pd.DataFrame,
    treated: np.ndarray,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Covariate balance: participants' mean − comparison's mean, in standard deviations.

    The denominator is the pooled standard deviation of the *unweighted*
    groups, √((s²_treated + s²_comparison) ÷ 2), so before and after weighting
    are on one scale. `weights` (None = unweighted) weight both groups;
    a weight of 0 leaves a row out. |SMD| below 0.1 is the usual sign of good
    balance. Returns columns mean_treated, mean_comparison, smd.
    """
    t = np.asarray(treated, dtype=bool)
    w = np.ones(len(t)) if weights is None else np.asarray(weights, dtype=float)
    Xv = X.to_numpy(dtype=float)
    sd = np.sqrt((Xv[t].var(axis=0, ddof=1) + Xv[~t].var(axis=0, ddof=1)) / 2)
    m1 = np.average(Xv[t], axis=0, weights=w[t])
    m0 = np.average(Xv[~t], axis=0, weights=w[~t])
    with np.errstate(divide="ignore", invalid="ignore"):
        smd = np.where(sd > 0, (m1 - m0) / sd, 0.0)
    return pd.DataFrame({"mean_treated": m1, "mean_comparison": m0, "smd": smd}, index=X.columns)


def _usable_columns(X: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Columns that vary and are not linear combinations of earlier ones.

    One QR decomposition of [1, standardised X]: a column whose diagonal
    entry of R is ~0 adds nothing beyond the columns before it.
    """
    V = X.to_numpy(dtype=float)
    sd = V.std(axis=0)
    varies = sd > 0
    Z = np.column_stack([np.ones(len(X)), (V[:, varies] - V[:, varies].mean(axis=0)) / sd[varies]])
    r = np.abs(np.diag(np.linalg.qr(Z, mode="r")))
    independent = r[1:] > 1e-8 * max(r.max(), 1.0) * np.sqrt(len(X))
    names = X.columns[varies]
    keep = [c for c, ok in zip(names, independent) if ok]
    return keep, [c for c in X.columns if c not in keep]


class ATTEstimator:
    """Average effect of treatment on the treated, adjusted by propensity.

    Parameters
    ----------
    method : {"aipw", "ipw"}
        "aipw" (default): doubly robust; "ipw": odds weighting alone.
    trim : {"common_support", "none"} or (low, high)
        Overlap rule applied to the fitted propensities (see module notes).
    alpha : float
        1 − confidence level of `ci_` (0.05 → 95 %).

    Fitted attributes (after `fit`)
    -------------------------------
    att_, se_, ci_ (low, high), p_value_ : the ATT, in the unit of y.
    naive_ : unadjusted difference in mean y, treated − comparison (all rows).
    propensity_ : Series of fitted propensities; weights_ : Series (1 for a kept
    participant, e/(1−e) for a kept comparison row, 0 when trimmed);
    kept_ : bool Series.
    balance_ : DataFrame per covariate: means and SMD before and after weighting.
    overlap_ : dict — propensity ranges by group, rows trimmed and their share,
    effective sample size of the weighted comparison group.
    covariates_, dropped_ : covariates used / left out (constant or collinear).
    converged_ : whether the propensity fit converged (False under near
    separation: the propensities are then extreme and trimming matters).
    propensity_result_ : the statsmodels Logit result.
    """

    def __init__(
        self,
        method: Method = "aipw",
        trim: str | tuple[float, float] = "common_support",
        alpha: float = 0.05,
    ) -> None:
        self.method = method
        self.trim = trim
        self.alpha = alpha

    # -- fitting -----------------------------------------------------------

    def fit(self, X: pd.DataFrame, treated: Sequence[bool] | pd.Series, y: Sequence[float] | pd.Series) -> ATTEstimator:
        """Fit on covariates X (rows = units), a treated flag and the outcome y."""
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, not {self.method!r}")
        X = pd.DataFrame(X).astype(float)
        t = np.asarray(treated, dtype=bool)
        yv = np.asarray(y, dtype=float)
        if not (len(X) == len(t) == len(yv)):
            raise ValueError("X, treated and y must have the same number of rows")
        if X.isna().any().any() or np.isnan(yv).any():
            bad = [c for c in X.columns if X[c].isna().any()]
            raise ValueError(
                "missing values in the covariates or the outcome: the propensity model needs complete rows "
                f"(impute and add a missing indicator first); columns with gaps: {bad or ['y']}"
            )
        n1, n0 = int(t.sum()), int((~t).sum())
        if n1 < 2 or n0 < 2:
            raise ValueError(
                f"need at least 2 treated and 2 comparison rows to compare them (got {n1} treated, {n0} comparison)"
            )
        cols, dropped = _usable_columns(X)
        self.covariates_, self.dropped_ = cols, dropped
        Xu = X[cols]
        Z = add_constant(((Xu - Xu.mean()) / Xu.std(ddof=0)).to_numpy(), has_constant="add")

        self.propensity_result_ = self._fit_propensity(t, Z)
        beta = np.asarray(self.propensity_result_.params)
        e = np.clip(1 / (1 + np.exp(-Z @ beta)), 1e-12, 1 - 1e-12)
        keep = self._keep(e, t)
        if keep[t].sum() < 2 or keep[~t].sum() < 2:
            raise ValueError(
                "after trimming to common support fewer than 2 treated or comparison rows remain: no overlap"
            )

        odds = e / (1 - e)
        gamma = np.zeros(Z.shape[1])
        if self.method == "aipw":
            c = keep & ~t
            gamma = np.linalg.lstsq(Z[c], yv[c], rcond=None)[0]
        r = yv - Z @ gamma
        w = np.where(keep, np.where(t, 1.0, odds), 0.0)
        mu1 = np.average(r[keep & t])
        mu0 = np.average(r[keep & ~t], weights=w[keep & ~t])

        self.att_ = float(mu1 - mu0)
        self.se_ = float(self._sandwich_se(Z, t, yv, e, keep, gamma, mu1, mu0))
        z = stats.norm.ppf(1 - self.alpha / 2)
        self.ci_ = (self.att_ - z * self.se_, self.att_ + z * self.se_)
        self.p_value_ = float(2 * stats.norm.sf(abs(self.att_ / self.se_))) if self.se_ > 0 else float("nan")
        self.naive_ = float(yv[t].mean() - yv[~t].mean())
        self.n_treated_, self.n_comparison_ = n1, n0

        index = X.index
        self.propensity_ = pd.Series(e, index=index, name="propensity")
        self.weights_ = pd.Series(w, index=index, name="weight")
        self.kept_ = pd.Series(keep, index=index, name="kept")
        self.treated_ = pd.Series(t, index=index, name="treated")
        before = standardized_mean_differences(X[cols], t)
        after = standardized_mean_differences(X[cols], t, w)
        self.balance_ = pd.DataFrame(
            {
                "mean_treated": before["mean_treated"],
                "mean_comparison": before["mean_comparison"],
                "mean_comparison_weighted": after["mean_comparison"],
                "smd_before": before["smd"],
                "smd_after": after["smd"],
            }
        )
        wc = w[keep & ~t]
        self.overlap_ = {
            "rule": self.trim if isinstance(self.trim, str) else f"[{self.trim[0]}, {self.trim[1]}]",
            "propensity_treated": (float(e[t].min()), float(e[t].max())),
            "propensity_comparison": (float(e[~t].min()), float(e[~t].max())),
            "treated_trimmed": int((t & ~keep).sum()),
            "comparison_trimmed": int((~t & ~keep).sum()),
            "share_treated_trimmed": float((t & ~keep).sum() / n1),
            "share_comparison_trimmed": float((~t & ~keep).sum() / n0),
            "effective_comparison_n": float(wc.sum() ** 2 / (wc**2).sum()),
        }
        return self

    def _fit_propensity(self, t: np.ndarray, Z: np.ndarray) -> Any:  # statsmodels' fitted Logit
        model = Logit(t.astype(float), Z)
        with warnings.catch_warnings():
            # non-convergence is handled below and reported in converged_
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", PerfectSeparationWarning)
            try:
                res = model.fit(disp=0, maxiter=100)
                if res.mle_retvals.get("converged", True) and np.all(np.isfinite(res.params)):
                    self.converged_ = True
                    return res
            except np.linalg.LinAlgError:
                pass
            # (quasi-)separation: a covariate almost decides who took part.
            # BFGS stops at large but finite coefficients; trimming then
            # removes the rows without a counterpart.
            res = model.fit(disp=0, method="bfgs", maxiter=2000)
        self.converged_ = bool(res.mle_retvals.get("converged", False))
        return res

    def _keep(self, e: np.ndarray, t: np.ndarray) -> np.ndarray:
        if isinstance(self.trim, str):
            if self.trim == "none":
                return np.ones(len(e), dtype=bool)
            if self.trim == "common_support":
                lo, hi = e[t].min(), e[~t].max()
                supported: np.ndarray = (e >= lo) & (e <= hi)
                return supported
            raise ValueError(f"trim must be 'common_support', 'none' or (low, high), not {self.trim!r}")
        lo, hi = self.trim
        return (e >= lo) & (e <= hi)

    def _sandwich_se(
        self,
        Z: np.ndarray,
        t: np.ndarray,
        y: np.ndarray,
        e: np.ndarray,
        keep: np.ndarray,
        gamma: np.ndarray,
        mu1: float,
        mu0: float,
    ) -> float:
        """Sandwich variance of the stacked estimating equations (see module notes)."""
        n, k = Z.shape
        tf, cf, kf = t.astype(float), (~t).astype(float), keep.astype(float)
        odds = e / (1 - e)
        r = y - Z @ gamma
        aipw = self.method == "aipw"
        # estimating functions, one column block per parameter
        psi_b = Z * (tf - e)[:, None]
        psi_1 = kf * tf * (r - mu1)
        psi_0 = kf * cf * odds * (r - mu0)
        blocks = [psi_b]
        if aipw:
            blocks.append(Z * (kf * cf * r)[:, None])
        blocks += [psi_1[:, None], psi_0[:, None]]
        psi = np.hstack(blocks)
        p = psi.shape[1]
        A = np.zeros((p, p))
        A[:k, :k] = -(Z * (e * (1 - e))[:, None]).T @ Z
        i1, i0 = p - 2, p - 1
        if aipw:
            g = slice(k, 2 * k)
            A[g, g] = -(Z * (kf * cf)[:, None]).T @ Z
            A[i1, g] = -(kf * tf) @ Z
            A[i0, g] = -(kf * cf * odds) @ Z
        A[i1, i1] = -(kf * tf).sum()
        A[i0, :k] = (kf * cf * odds * (r - mu0)) @ Z
        A[i0, i0] = -(kf * cf * odds).sum()
        A /= n
        B = psi.T @ psi / n
        Ainv = np.linalg.pinv(A)
        V = Ainv @ B @ Ainv.T / n
        c = np.zeros(p)
        c[i1], c[i0] = 1.0, -1.0
        return float(np.sqrt(max(c @ V @ c, 0.0)))

    # -- reading -----------------------------------------------------------

    @property
    def method_name(self) -> str:
        """The method in words, with the overlap rule (for results.json "method")."""
        trim = self.trim if isinstance(self.trim, str) else f"propensity in [{self.trim[0]}, {self.trim[1]}]"
        trim_words = {"common_support": "common-support trimming", "none": "no trimming"}.get(trim, trim)
        return f"{METHOD_NAMES[self.method]}, {trim_words}"

    def to_estimate(self) -> dict[str, Any]:
        """`{"estimate", "ci_low", "ci_high", "p_value", "method"}` for results.json."""
        self._check_fitted()
        return {
            "estimate": self.att_,
            "ci_low": self.ci_[0],
            "ci_high": self.ci_[1],
            "p_value": self.p_value_,
            "method": self.method_name,
        }

    @property
    def summary(self) -> pd.DataFrame:
        """One row: naive difference and ATT with interval, rows used and trimmed."""
        self._check_fitted()
        o = self.overlap_
        return pd.DataFrame(
            {
                "naive_difference": [self.naive_],
                "att": [self.att_],
                "se": [self.se_],
                "ci_low": [self.ci_[0]],
                "ci_high": [self.ci_[1]],
                "p_value": [self.p_value_],
                "n_treated": [self.n_treated_],
                "n_comparison": [self.n_comparison_],
                "treated_trimmed": [o["treated_trimmed"]],
                "comparison_trimmed": [o["comparison_trimmed"]],
            },
            index=[self.method],
        )

    def _check_fitted(self) -> None:
        if not hasattr(self, "att_"):
            raise RuntimeError("call fit() first")
