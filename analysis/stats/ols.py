"""Ordinary least squares of one outcome on a few drivers, statsmodels underneath.

The driver analysis of a survey: how many points of the outcome (overall
satisfaction) one more point on each rating is worth, the other ratings held
fixed. Complete cases, an intercept, classical standard errors, t intervals
(statsmodels' `OLS(...).fit()`).

    fit = OLSDrivers(alpha=0.05).fit(X, y)
    fit.params_, fit.summary, fit.r_squared_, fit.n_
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant


class OLSDrivers:
    """OLS of y on the columns of X with an intercept, lifelines style: `fit` returns self.

    Fitted attributes: ``params_`` (Series: the drivers' coefficients, in the
    unit of y per unit of each x; the intercept in ``intercept_``),
    ``confidence_intervals_`` (DataFrame ci_low, ci_high at 1 − alpha),
    ``p_values_``, ``r_squared_``, ``n_`` (complete cases) and ``summary``.
    """

    def __init__(self, alpha: float = 0.05) -> None:
        self.alpha = alpha

    def fit(self, X: pd.DataFrame, y: pd.Series) -> OLSDrivers:
        """Fit on the complete rows of X and y.

        ValueError when there are no more complete cases than coefficients,
        or the drivers are collinear (their effects are then not identified).
        """
        drivers = list(X.columns)
        data = pd.concat([X, y.rename("__y__")], axis=1).dropna().astype(float)
        if len(data) <= len(drivers) + 1:
            raise ValueError(
                f"OLS needs more complete cases than coefficients (got {len(data)} cases for {len(drivers) + 1} "
                "coefficients)"
            )
        design = add_constant(data[drivers], has_constant="add")
        if np.linalg.matrix_rank(design.to_numpy()) < design.shape[1]:
            raise ValueError("the drivers are collinear: their separate effects are not identified")
        res = OLS(data["__y__"], design).fit()
        ci = res.conf_int(self.alpha)
        self.drivers_ = drivers
        self.params_ = res.params[drivers].rename("coef")
        self.intercept_ = float(res.params["const"])
        self.confidence_intervals_ = pd.DataFrame({"ci_low": ci.loc[drivers, 0], "ci_high": ci.loc[drivers, 1]})
        self.p_values_ = res.pvalues[drivers].rename("p")
        self.r_squared_ = float(res.rsquared)
        self.n_ = int(res.nobs)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise RuntimeError("call fit() first")

    @property
    def summary(self) -> pd.DataFrame:
        """Per driver: estimate, ci_low, ci_high, p_value; attrs n and r_squared."""
        self._check_fitted()
        out = pd.DataFrame(
            {
                "estimate": self.params_.to_numpy(),
                "ci_low": self.confidence_intervals_["ci_low"].to_numpy(),
                "ci_high": self.confidence_intervals_["ci_high"].to_numpy(),
                "p_value": self.p_values_.to_numpy(),
            },
            index=pd.Index(self.drivers_, name="driver"),
        )
        out.attrs.update(n=self.n_, r_squared=self.r_squared_)
        return out

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return "<OLSDrivers: not fitted>"
        return f"<OLSDrivers: {len(self.drivers_)} drivers, n={self.n_}, R²={self.r_squared_:.3f}>"

    def _repr_html_(self) -> str:
        if not hasattr(self, "params_"):
            return f"<p>{html.escape(repr(self))}</p>"
        head = f"<p><b>OLSDrivers</b>: n = {self.n_:,}, R² = {self.r_squared_:.3f}</p>"
        return head + self.summary.to_html(float_format=lambda v: f"{v:.4g}")
