"""Relative importance of correlated drivers: how much of R² each one carries.

OLS coefficients answer "what if this rating alone moved by one point, the
others held fixed?"; with correlated ratings (customers who like the staff
also like the service) they split shared variance arbitrarily and can even
flip sign. Relative importance instead divides the model's R² among the
predictors so that the shares are non-negative and add up to R²:

- ``"johnson"``: Johnson's (2000) relative weights. The predictors are
  replaced by their closest orthogonal counterparts Z = X·R^{-1/2}; the
  outcome is regressed on Z (weights β = R^{-1/2} r_xy), and each Z's
  explained variance is handed back to the original predictors in
  proportion to their squared correlations with it:
  ε_j = Σ_k (R^{1/2})²_jk β_k².
- ``"shapley"``: the Shapley value of R² (Lindeman–Merenda–Gold "lmg",
  general dominance): each predictor's increment in R² averaged over every
  order of entry. Exact over all 2^p subsets (8 attributes → 256 fits of a
  correlation system, instant).

Both reduce to the squared standardized betas when the predictors are
uncorrelated, and they usually agree closely otherwise.
"""

from __future__ import annotations

import html
from itertools import combinations
from math import factorial
from typing import Literal

import numpy as np
import pandas as pd

Method = Literal["johnson", "shapley"]
METHODS: tuple[str, ...] = ("johnson", "shapley")


def _complete(X: pd.DataFrame, y: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    data = pd.concat([X, y.rename("__y__")], axis=1).dropna()
    return data.drop(columns="__y__").astype(float), data["__y__"].astype(float)


def _correlations(X: pd.DataFrame, y: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """R_xx (p×p) and r_xy (p) of complete cases."""
    if len(X) <= X.shape[1] + 1:
        raise ValueError(
            f"relative importance needs more complete cases than predictors + 1 "
            f"(got {len(X)} cases for {X.shape[1]} predictors)"
        )
    if (X.std(ddof=0) == 0).any() or y.std(ddof=0) == 0:
        constant = [c for c in X.columns if X[c].std(ddof=0) == 0]
        raise ValueError(f"a constant variable has no variance to explain or share: {constant or [y.name]}")
    corr = np.corrcoef(np.column_stack([X.to_numpy(), y.to_numpy()]), rowvar=False)
    return corr[:-1, :-1], corr[:-1, -1]


def _r2(rxx: np.ndarray, rxy: np.ndarray, subset: tuple[int, ...]) -> float:
    if not subset:
        return 0.0
    idx = list(subset)
    r = rxy[idx]
    return float(r @ np.linalg.solve(rxx[np.ix_(idx, idx)], r))


def johnson_weights(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """Johnson's raw relative weights from a correlation matrix (sum = R²)."""
    evals, evecs = np.linalg.eigh(rxx)
    if evals.min() <= 1e-12:
        raise ValueError("predictors are perfectly collinear: relative weights are not defined")
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T  # R^{1/2}: corr(X_j, Z_k)
    beta = np.linalg.solve(lam, rxy)  # regression of y on the orthogonal Z
    weights: np.ndarray = (lam**2) @ (beta**2)
    return weights


def shapley_weights(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """Shapley decomposition of R² (lmg) from a correlation matrix (sum = R²)."""
    p = len(rxy)
    r2 = {s: _r2(rxx, rxy, s) for k in range(p + 1) for s in combinations(range(p), k)}
    out = np.zeros(p)
    for j in range(p):
        others = [i for i in range(p) if i != j]
        for k in range(p):
            w = factorial(k) * factorial(p - k - 1) / factorial(p)
            for s in combinations(others, k):
                out[j] += w * (r2[tuple(sorted(s + (j,)))] - r2[s])
    return out


def relative_weights(X: pd.DataFrame, y: pd.Series, method: Method = "johnson") -> pd.DataFrame:
    """Each predictor's share of the variance of `y` that the predictors explain.

    Complete cases of X and y. Returns a DataFrame indexed by predictor:
    ``weight`` (the part of R² it carries; the column sums to R², unit:
    share of the variance of y), ``rescaled`` (weight ÷ R²: its share of
    what the model explains, sums to 1) and ``sign`` (+1/−1, the sign of its
    correlation with y, so a driver that lowers y is not mistaken for one
    that raises it). ``attrs["r_squared"]`` and ``attrs["n"]`` hold the fit.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    Xc, yc = _complete(X, y)
    rxx, rxy = _correlations(Xc, yc)
    weights = johnson_weights(rxx, rxy) if method == "johnson" else shapley_weights(rxx, rxy)
    r2 = _r2(rxx, rxy, tuple(range(len(rxy))))
    out = pd.DataFrame(
        {"weight": weights, "rescaled": weights / r2, "sign": np.sign(rxy).astype(int)},
        index=pd.Index(X.columns, name="predictor"),
    )
    out.attrs.update(r_squared=r2, n=len(Xc), method=method)
    return out


def relative_weights_ci(
    X: pd.DataFrame,
    y: pd.Series,
    method: Method = "johnson",
    n_boot: int = 500,
    alpha: float = 0.05,
    seed: int = 0,
) -> pd.DataFrame:
    """`relative_weights` with percentile bootstrap intervals of ``rescaled``.

    Relative weights have no closed-form sampling distribution (Tonidandel,
    LeBreton & Johnson 2009), so cases are resampled `n_boot` times with a
    fixed seed. Adds ``ci_low`` and ``ci_high`` (of ``rescaled``) at 1 − alpha.
    """
    point = relative_weights(X, y, method)
    Xc, yc = _complete(X, y)
    xa, ya = Xc.to_numpy(), yc.to_numpy()
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_boot):
        idx = rng.integers(0, len(ya), len(ya))
        xb, yb = xa[idx], ya[idx]
        if (xb.std(axis=0) == 0).any() or yb.std() == 0:
            continue  # a degenerate resample carries no information on importance
        corr = np.corrcoef(np.column_stack([xb, yb]), rowvar=False)
        rxx, rxy = corr[:-1, :-1], corr[:-1, -1]
        try:
            w = johnson_weights(rxx, rxy) if method == "johnson" else shapley_weights(rxx, rxy)
        except (ValueError, np.linalg.LinAlgError):
            continue
        draws.append(w / w.sum())
    arr = np.array(draws)
    point["ci_low"] = np.quantile(arr, alpha / 2, axis=0)
    point["ci_high"] = np.quantile(arr, 1 - alpha / 2, axis=0)
    point.attrs["n_boot"] = len(draws)
    return point


class RelativeWeights:
    """Relative importance as an estimator, lifelines style: `fit` returns self.

    method : {"johnson", "shapley"}; n_boot : bootstrap resamples for the
    intervals of the rescaled weights (0: none); alpha : 1 − their level.

    Fitted attributes: ``weights_`` (part of R² each predictor carries),
    ``rescaled_`` (its share of what the model explains, sums to 1),
    ``signs_``, ``r_squared_``, ``n_`` (complete cases), ``n_boot_`` (usable
    resamples) and ``summary`` (the table of `relative_weights_ci`).
    """

    def __init__(self, method: Method = "johnson", n_boot: int = 500, alpha: float = 0.05, seed: int = 0) -> None:
        self.method = method
        self.n_boot = n_boot
        self.alpha = alpha
        self.seed = seed

    def fit(self, X: pd.DataFrame, y: pd.Series) -> RelativeWeights:
        """Fit on the complete cases of X and y (ValueError when too few or degenerate)."""
        if self.n_boot:
            table = relative_weights_ci(X, y, self.method, self.n_boot, self.alpha, self.seed)
        else:
            table = relative_weights(X, y, self.method)
        self._table = table
        self.weights_ = table["weight"]
        self.rescaled_ = table["rescaled"]
        self.signs_ = table["sign"]
        self.r_squared_ = float(table.attrs["r_squared"])
        self.n_ = int(table.attrs["n"])
        self.n_boot_ = int(table.attrs.get("n_boot", 0))
        return self

    @property
    def summary(self) -> pd.DataFrame:
        """weight, rescaled, sign (and ci_low, ci_high with a bootstrap) per predictor."""
        if not hasattr(self, "_table"):
            raise RuntimeError("call fit() first")
        return self._table

    def __repr__(self) -> str:
        if not hasattr(self, "_table"):
            return f"<RelativeWeights {self.method}: not fitted>"
        return (
            f"<RelativeWeights {self.method}: {len(self.weights_)} predictors, n={self.n_}, R²={self.r_squared_:.3f}>"
        )

    def _repr_html_(self) -> str:
        if not hasattr(self, "_table"):
            return f"<p>{html.escape(repr(self))}</p>"
        head = f"<p><b>RelativeWeights</b> ({self.method}): n = {self.n_:,}, R² = {self.r_squared_:.3f}</p>"
        return head + self.summary.to_html(float_format=lambda v: f"{v:.4g}")
