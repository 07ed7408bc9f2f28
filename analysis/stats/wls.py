"""Weighted least squares with standard errors clustered by customer, for
wide designs (tens of thousands of customer-months × a hundred or more
month-by-feature terms) where statsmodels spends most of its time on checks
this design does not need (rank by SVD, constant detection by QR, a pseudo-
inverse of the whole design).

The figures are statsmodels' `WLS(...).fit(cov_type="cluster")` to rounding
(tests/stats/test_wls.py compares them): the same small-sample correction
G/(G−1) · (N−1)/(N−K), normal intervals and chi-square Wald tests, and a
minimum-norm solution when columns are collinear.

Absorbed fixed effects (`demean_within` before the fit, as in
`analysis.stats.did`): the coefficients are those of the dummy-variable
design, and K counts the columns fitted plus `absorbed`, the fixed effects
taken out. The default, absorbed = 0, is the convention of Stata's
`xtreg, fe vce(cluster id)` and of reghdfe for fixed effects nested within
the clusters (customer effects, clustered by customer): a customer's effect
costs no degree of freedom because it is one of the cluster's own. statsmodels
on the dummy-variable design (and Stata's `areg`) count every dummy:
absorbed = the number of absorbed effects reproduces it, and its standard
errors are larger by √((N−K)/(N−K−absorbed)). tests/stats/test_wls.py checks both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats


@dataclass
class ClusteredWLS:
    """Coefficients and their cluster-robust covariance.

    params : coefficient per column of the design (the unit of y per unit of x).
    cov : their covariance matrix (clustered, small-sample corrected).
    n_obs, n_groups : rows and clusters behind them.
    """

    params: pd.Series
    cov: pd.DataFrame
    n_obs: int
    n_groups: int

    def cov_params(self) -> pd.DataFrame:
        return self.cov

    @property
    def bse(self) -> pd.Series:
        return pd.Series(np.sqrt(np.clip(np.diag(self.cov.to_numpy()), 0, None)), index=self.params.index)

    @property
    def pvalues(self) -> pd.Series:
        with np.errstate(divide="ignore", invalid="ignore"):
            z = self.params / self.bse
        return pd.Series(2 * stats.norm.sf(np.abs(z)), index=self.params.index)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        z = stats.norm.ppf(1 - alpha / 2)
        return pd.DataFrame({0: self.params - z * self.bse, 1: self.params + z * self.bse})

    def wald(self, names: list[str]) -> tuple[float, int, float]:
        """Joint test that the named coefficients are all 0: (chi-square statistic, df, p-value)."""
        b = self.params[names].to_numpy()
        V = self.cov.loc[names, names].to_numpy()
        stat = float(b @ np.linalg.pinv(V) @ b)
        return stat, len(names), float(stats.chi2.sf(stat, len(names)))


def group_indicator(groups: np.ndarray) -> sp.csr_matrix:
    """Sparse rows × groups matrix with a 1 where a row belongs to a group
    (`groups` as from `pd.factorize`: 0 … G−1)."""
    n = len(groups)
    return sp.csr_matrix((np.ones(n), (np.arange(n), groups)), shape=(n, int(groups.max()) + 1))


def demean_within(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each column minus its mean within the row's group (the within transform).

    >>> demean_within(np.array([1.0, 3.0, 5.0, 7.0, 9.0]), np.array([0, 0, 1, 1, 1])).tolist()
    [-1.0, 1.0, -2.0, 0.0, 2.0]
    """
    G = group_indicator(groups)
    counts = np.asarray(G.sum(axis=0)).ravel()
    means = (G.T @ values) / (counts[:, None] if values.ndim == 2 else counts)
    within: np.ndarray = values - means[groups]
    return within


def fit_clustered_wls(
    y: np.ndarray, X: pd.DataFrame, weights: np.ndarray, groups: np.ndarray, absorbed: int = 0
) -> ClusteredWLS:
    """WLS of `y` on the columns of `X` (no constant added) with `weights`,
    standard errors clustered on `groups` (integer codes 0 … G−1), with the
    small-sample correction G/(G−1) · (N−1)/(N−K−absorbed), K the columns of
    X and `absorbed` the fixed effects demeaned out beforehand that count as
    parameters (0: effects nested within the clusters, as Stata's xtreg, fe;
    their number: statsmodels on the dummy-variable design)."""
    x = X.to_numpy(dtype=float)
    w = np.asarray(weights, dtype=float)
    y = np.asarray(y, dtype=float)
    xw = x * w[:, None]
    bread = np.linalg.pinv(xw.T @ x)
    beta = bread @ (xw.T @ y)
    resid = y - x @ beta
    # score of each cluster: Σ_i w_i · e_i · x_i over its rows
    scores = group_indicator(groups).T @ (xw * resid[:, None])
    n, k = x.shape
    g = scores.shape[0]
    correction = g / (g - 1) * (n - 1) / (n - k - absorbed)
    cov = correction * bread @ (scores.T @ scores) @ bread
    names = list(X.columns)
    return ClusteredWLS(
        pd.Series(beta, index=names), pd.DataFrame(cov, index=names, columns=names), n_obs=n, n_groups=g
    )
