"""The shifted-beta-geometric (sBG) model of contractual retention and its lifetime value.

A bank relationship is *contractual*: we see when it ends (close_date). The
shifted-beta-geometric model (sBG; Fader & Hardie 2007, "How to project
customer retention", Journal of Interactive Marketing 21(1)) describes it in
discrete periods (here: years of tenure):

* each customer has a constant churn probability θ per period, so her
  lifetime T (the period in which she leaves) is geometric:
  P(T = t | θ) = θ (1 − θ)^(t−1), t = 1, 2, …;
* θ differs between customers as Beta(α, β).

Mixed over θ, the survival function S(t) = P(T > t) = B(α, β + t) ÷ B(α, β)
and the retention rate r(t) = S(t) ÷ S(t − 1) = (β + t − 1) ÷ (α + β + t − 1)
*rises* with tenure although no customer changes: the customers prone to
leave leave first. That is why the model projects retention far better than
a straight line or a constant rate, and why an average churn rate
undervalues the loyal base.

Value (Fader & Hardie 2010, "Customer-base valuation in a contractual
setting: the perils of ignoring heterogeneity", Marketing Science 29(1)):
with a margin m received at each renewal and an annual discount rate d, a
customer who has made n − 1 renewals is worth m × DERL, the discounted
expected residual lifetime

    DERL(d | α, β, n − 1) = Σ_{t ≥ n} S(t) ÷ S(n − 1) ÷ (1 + d)^(t − n)
                          = (β + n − 1) ÷ (α + β + n − 1)
                            × ₂F₁(1, β + n; α + β + n; 1 ÷ (1 + d)),

evaluated just before the n-th renewal (the payment of that renewal, if it
happens, is not discounted). A customer just acquired is worth m × DEL with
DEL = ₂F₁(1, β; α + β; 1 ÷ (1 + d)) = 1 + DERL(d | α, β, 0) ÷ (1 + d): the
first period's margin now, then every renewal's.

Estimator only (arrays in, a fitted object out); `analysis.questions.clv`
fits it per segment of a bank and values the customers.
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Iterable
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, special, stats
from statsmodels.tools.numdiff import approx_hess3

# Bounds of logit φ, φ = 1/(α+β+1): α+β from about 1e-6 (all-or-nothing churn) to about 1e6
# (customers alike: the geometric limit, where a constant churn rate fits as well).
LOGIT_PHI_MIN, LOGIT_PHI_MAX = -14.0, 14.0


def _from_mu_phi(mu: Any, phi: Any) -> tuple[Any, Any]:
    """(α, β) from mean churn μ = α/(α+β) and polarisation φ = 1/(α+β+1)."""
    total = (1 - phi) / phi
    return mu * total, (1 - mu) * total


# ---------------------------------------------------------------------------
# The model


def _as_float_array(values: Iterable[float], name: str) -> np.ndarray:
    arr = np.asarray(list(values) if not isinstance(values, (np.ndarray, pd.Series)) else values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite numbers (no NaN or infinity)")
    return arr


class ShiftedBetaGeometric:
    """The shifted-beta-geometric (sBG) model of contractual retention.

    Parameters
    ----------
    confidence : float
        Level of the intervals in `summary` (default 0.95).
    label : str, optional
        A name for the fitted group (shown in `summary` and plots).

    Fitted attributes (after `fit` or `fit_lifetimes`)
    --------------------------------------------------
    alpha_, beta_ : float
        Parameters of the Beta distribution of the per-period churn
        probability θ; its mean is α ÷ (α + β) and small α + β means strong
        heterogeneity between customers.
    log_likelihood_ : float
        The maximised log-likelihood.
    variance_matrix_ : pd.DataFrame
        Inverse of the observed information (numerical Hessian of −LL at the
        estimate), on the (alpha, beta) scale.
    summary : pd.DataFrame
        One row per parameter: coef, se(coef) from the observed information,
        and a `confidence` interval computed on the log scale (so it stays
        positive) and transformed back.
    n_customers_, n_churned_, periods_ : the data the fit used.

    Examples
    --------
    >>> m = ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> round(m.alpha_, 3), round(m.beta_, 3)
    (0.704, 1.182)
    """

    def __init__(self, confidence: float = 0.95, label: str | None = None) -> None:
        self.confidence = confidence
        self.label = label

    # -- likelihood -----------------------------------------------------------

    @staticmethod
    def _log_survival(alpha: float, beta: float, t: np.ndarray) -> np.ndarray:
        """ln S(t) = ln B(α, β + t) − ln B(α, β)."""
        out: np.ndarray = special.betaln(alpha, beta + t) - special.betaln(alpha, beta)
        return out

    @staticmethod
    def _log_pmf(alpha: float, beta: float, t: np.ndarray) -> np.ndarray:
        """ln P(T = t) = ln B(α + 1, β + t − 1) − ln B(α, β), t ≥ 1."""
        out: np.ndarray = special.betaln(alpha + 1.0, beta + t - 1.0) - special.betaln(alpha, beta)
        return out

    @classmethod
    def _log_likelihood(
        cls, alpha: float, beta: float, duration: np.ndarray, churned: np.ndarray, entry: np.ndarray, weight: np.ndarray
    ) -> float:
        """Σ w [churned: ln P(T = d); else ln S(d)] − w ln S(entry)."""
        ll = np.where(churned, cls._log_pmf(alpha, beta, duration), cls._log_survival(alpha, beta, duration))
        ll = ll - np.where(entry > 0, cls._log_survival(alpha, beta, entry), 0.0)
        return float(np.sum(weight * ll))

    # -- fitting ----------------------------------------------------------------

    def fit(self, survivors: Iterable[float]) -> ShiftedBetaGeometric:
        """Fit to one cohort's survivor counts.

        Parameters
        ----------
        survivors : sequence of counts
            Customers of one cohort still active at periods 0, 1, …, T
            (survivors[0] is the cohort's size at acquisition). Counts may be
            weights (non-integers), but must not increase: a cohort is a fixed
            group of customers and cannot gain members.

        Returns
        -------
        self
        """
        n = _as_float_array(survivors, "survivors")
        if len(n) < 3:
            raise ValueError(
                "survivors must cover periods 0..T with T ≥ 2: the sBG has two parameters and one period of "
                "retention cannot tell heterogeneity (α, β) from an average churn rate"
            )
        if np.any(n < 0):
            raise ValueError("survivor counts cannot be negative")
        if n[0] <= 0:
            raise ValueError("survivors[0] (the cohort at acquisition) must be positive")
        if np.any(np.diff(n) > 0):
            bad = int(np.argmax(np.diff(n) > 0)) + 1
            raise ValueError(
                f"survivor counts must not increase (period {bad}: {n[bad - 1]:g} → {n[bad]:g}): a cohort is a "
                "fixed group of customers, so more survivors in a later period means the counts are not one cohort"
            )
        if n[-1] == n[0]:
            raise ValueError(
                "no customer of the cohort churned: with 100 % retention the churn probability distribution "
                "cannot be estimated (the likelihood grows without bound as β → ∞)"
            )
        T = len(n) - 1
        churners = -np.diff(n)  # left in period t = 1..T: lifetime T = t
        duration = np.append(np.arange(1, T + 1, dtype=float), float(T))
        churned = np.append(np.ones(T, dtype=bool), False)
        weight = np.append(churners, n[-1])
        keep = weight > 0
        self.survivors_ = pd.Series(n, index=pd.RangeIndex(T + 1, name="period"), name="survivors")
        return self._fit(duration[keep], churned[keep], np.zeros(int(keep.sum())), weight[keep])

    def fit_lifetimes(
        self,
        durations: Iterable[float],
        churned: Iterable[bool],
        entry: Iterable[float] | None = None,
        weights: Iterable[float] | None = None,
    ) -> ShiftedBetaGeometric:
        """Fit to individual lifetimes, censored on the right and truncated on the left.

        Parameters
        ----------
        durations : whole periods
            For a churned customer, the period in which she left (T = t ≥ 1:
            active at the start of period t, gone at its end); for one still
            active, the last period boundary at which she was seen active
            (T > d, right-censored).
        churned : bool
            Whether the relationship ended (the churn was observed).
        entry : whole periods, optional
            Periods survived before observation began (left truncation: a
            customer is only in the data because she was still active then,
            so her likelihood is conditioned on T > entry). Default 0.
        weights : optional
            Frequency weights (e.g. counts of identical customers).

        A single cohort followed from acquisition (entry 0) gives exactly the
        likelihood of `fit(survivors)`.
        """
        d = _as_float_array(durations, "durations")
        c = np.asarray(list(churned) if not isinstance(churned, (np.ndarray, pd.Series)) else churned, dtype=bool)
        e = np.zeros_like(d) if entry is None else _as_float_array(entry, "entry")
        w = np.ones_like(d) if weights is None else _as_float_array(weights, "weights")
        if not (len(d) == len(c) == len(e) == len(w)):
            raise ValueError("durations, churned, entry and weights must have the same length")
        if np.any(d != np.round(d)) or np.any(e != np.round(e)):
            raise ValueError("durations and entry are counts of whole periods (the sBG is a discrete-time model)")
        if np.any(w < 0):
            raise ValueError("weights cannot be negative")
        if np.any(e < 0):
            raise ValueError("entry cannot be negative")
        if np.any(c & (d < 1)):
            raise ValueError("a churned customer's duration must be ≥ 1: the sBG lifetime T counts periods from 1")
        if np.any(c & (d <= e)):
            raise ValueError(
                "a churned customer's duration must exceed her entry: a customer who left before observation "
                "began cannot be in left-truncated data"
            )
        if np.any(~c & (d < e)):
            raise ValueError("a censored customer's duration cannot be before her entry")
        if not np.any(c & (w > 0)):
            raise ValueError(
                "no churn was observed: with 100 % retention the churn probability distribution cannot be "
                "estimated (the likelihood grows without bound as β → ∞)"
            )
        # Periods whose retention the data observe: t with someone at risk (entry < t ≤ duration or churn period).
        at_risk: set[int] = set()
        for lo, hi in zip(e[w > 0].astype(int), d[w > 0].astype(int)):
            at_risk.update(range(lo + 1, hi + 1))
        if len(at_risk) < 2:
            raise ValueError(
                "the data observe retention in fewer than two periods: the sBG has two parameters and one "
                "period's churn rate cannot tell heterogeneity (α, β) from an average churn rate"
            )
        return self._fit(d, c, e, w)

    def _fit(self, d: np.ndarray, c: np.ndarray, e: np.ndarray, w: np.ndarray) -> ShiftedBetaGeometric:
        # identical customers enter the likelihood once, weighted: fast on a whole branch
        rows = pd.DataFrame({"d": d, "c": c, "e": e, "w": w}).groupby(["d", "c", "e"], as_index=False)["w"].sum()
        d, c, e, w = (rows[k].to_numpy() for k in ("d", "c", "e", "w"))

        # Search over mean churn μ = α/(α+β) and polarisation φ = 1/(α+β+1), both on the logit
        # scale: the likelihood's long ridge (α/(α+β) fixed) becomes one axis, and φ → 0 is the
        # geometric (every customer alike) limit, which a bound makes reachable.
        def nll(x: np.ndarray) -> float:
            a, b = _from_mu_phi(*special.expit(x))
            v = -self._log_likelihood(a, b, d, c, e, w)
            return v if np.isfinite(v) else 1e300

        raw = np.sum(w * c) / np.sum(w * (d - e))  # churns per period at risk: a start for μ
        bounds = [(-30.0, 30.0), (LOGIT_PHI_MIN, LOGIT_PHI_MAX)]
        best: Any = None
        for phi0 in (0.5, 0.1, 0.01):
            r = optimize.minimize(
                nll,
                np.array([special.logit(min(max(raw, 1e-6), 1 - 1e-6)), special.logit(phi0)]),
                method="L-BFGS-B",
                bounds=bounds,
                options={"ftol": 1e-15, "gtol": 1e-10},
            )
            if best is None or r.fun < best.fun:
                best = r
        x = best.x
        # On a flat likelihood the search can stop short of a bound it would reach: when the bound
        # (with μ re-fitted there) is at least as likely, the estimate is the bound.
        for edge in (LOGIT_PHI_MIN, LOGIT_PHI_MAX):
            r = optimize.minimize_scalar(
                lambda m, edge=edge: nll(np.array([m, edge])),
                bounds=(-30.0, 30.0),
                method="bounded",
                options={"xatol": 1e-10},
            )
            if r.fun <= best.fun + 1e-7:
                x, best = np.array([r.x, edge]), r
        self.at_boundary_ = bool(x[1] <= LOGIT_PHI_MIN + 1e-6 or x[1] >= LOGIT_PHI_MAX - 1e-6)
        alpha, beta = _from_mu_phi(*special.expit(x))
        self.alpha_, self.beta_ = float(alpha), float(beta)
        self.log_likelihood_ = -float(best.fun)
        self.n_customers_ = float(np.sum(w))
        self.n_churned_ = float(np.sum(w * c))
        self.periods_ = int(max(d.max(), 1))
        self._data = (d, c, e, w)
        if self.at_boundary_:
            warnings.warn(
                f"sBG estimate at the boundary (α + β = {alpha + beta:.3g}): "
                + (
                    "retention does not rise with tenure in these data, so customers look alike and the model "
                    "reduces to a constant churn rate (geometric); α and β have no standard errors"
                    if x[1] <= LOGIT_PHI_MIN + 1e-6
                    else "churn is all-or-nothing in these data (extreme heterogeneity); "
                    "α and β have no standard errors"
                ),
                RuntimeWarning,
                stacklevel=3,
            )
        self.variance_matrix_ = self._variance()
        return self

    def _variance(self) -> pd.DataFrame:
        """Inverse observed information: numerical Hessian of −LL at (α̂, β̂)."""
        names = ["alpha", "beta"]
        if self.at_boundary_:
            return pd.DataFrame(np.full((2, 2), np.nan), index=names, columns=names)
        d, c, e, w = self._data

        def nll(p: np.ndarray) -> float:
            return -self._log_likelihood(p[0], p[1], d, c, e, w)

        hess = approx_hess3(np.array([self.alpha_, self.beta_]), nll)
        try:
            cov = np.linalg.inv(hess)
            if np.any(np.diag(cov) <= 0) or not np.all(np.isfinite(cov)):
                raise np.linalg.LinAlgError("not positive definite")
        except np.linalg.LinAlgError:
            warnings.warn(
                "the observed information is singular at the estimate: no standard errors", RuntimeWarning, stacklevel=3
            )
            cov = np.full((2, 2), np.nan)
        return pd.DataFrame(cov, index=names, columns=names)

    def sample_parameters(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draws of (α, β) from the estimate's asymptotic distribution, shape (n, 2).

        The draws are normal on the scale the fit searches, (logit μ, logit φ)
        with μ = α/(α+β) and φ = 1/(α+β+1), with the covariance of the
        observed information there; on that bounded scale the likelihood is
        far closer to normal than in (α, β) when heterogeneity is weakly
        identified. At the geometric boundary only μ is uncertain: φ stays at
        the boundary.
        """
        self._check_fitted()
        d, c, e, w = self._data
        x0 = np.array([special.logit(self.mean_churn_probability_), special.logit(1 / (self.alpha_ + self.beta_ + 1))])

        def nll(x: np.ndarray, phi_logit: float | None = None) -> float:
            lp = x[1] if phi_logit is None else phi_logit
            a, b = _from_mu_phi(special.expit(x[0]), special.expit(lp))
            return -self._log_likelihood(a, b, d, c, e, w)

        if self.at_boundary_:
            h = float(approx_hess3(x0[:1], nll, args=(x0[1],))[0, 0])
            if not h > 0:
                return np.full((n, 2), np.nan)
            x = np.column_stack([rng.normal(x0[0], 1 / np.sqrt(h), size=n), np.full(n, x0[1])])
        else:
            try:
                cov = np.linalg.inv(approx_hess3(x0, nll))
                x = rng.multivariate_normal(x0, cov, size=n, check_valid="raise")
            except (np.linalg.LinAlgError, ValueError):
                return np.full((n, 2), np.nan)
            x[:, 1] = np.clip(x[:, 1], LOGIT_PHI_MIN, LOGIT_PHI_MAX)
        a, b = _from_mu_phi(special.expit(x[:, 0]), special.expit(x[:, 1]))
        return np.column_stack([a, b])

    # -- fitted quantities ---------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "alpha_"):
            raise RuntimeError("the model is not fitted yet: call fit(survivors) or fit_lifetimes(...) first")

    @property
    def params_(self) -> pd.Series:
        self._check_fitted()
        return pd.Series({"alpha": self.alpha_, "beta": self.beta_}, name="coef")

    @property
    def summary(self) -> pd.DataFrame:
        """coef, se(coef) and a log-scale `confidence` interval per parameter."""
        self._check_fitted()
        coef = self.params_
        se = pd.Series(np.sqrt(np.diag(self.variance_matrix_.values)), index=coef.index)
        z = stats.norm.ppf(0.5 + self.confidence / 2)
        se_log = se / coef  # delta method: se(ln x) = se(x) / x
        pct = round(self.confidence * 100)
        return pd.DataFrame(
            {
                "coef": coef,
                "se(coef)": se,
                f"coef lower {pct}%": coef * np.exp(-z * se_log),
                f"coef upper {pct}%": coef * np.exp(z * se_log),
            }
        ).rename_axis(self.label or "param")

    @property
    def mean_churn_probability_(self) -> float:
        """E[θ] = α ÷ (α + β): the churn probability of a newly acquired customer."""
        self._check_fitted()
        return self.alpha_ / (self.alpha_ + self.beta_)

    def survival_function(self, periods: int | Iterable[int]) -> float | pd.Series:
        """S(t) = P(T > t): share of a cohort still active after t periods.

        A scalar gives a float; a sequence a Series indexed by period.
        """
        self._check_fitted()
        scalar = np.isscalar(periods)
        t = np.atleast_1d(np.asarray(periods, dtype=float))
        if np.any(t < 0):
            raise ValueError("periods must be ≥ 0")
        s = np.exp(self._log_survival(self.alpha_, self.beta_, t))
        return float(s[0]) if scalar else pd.Series(s, index=pd.Index(t.astype(int), name="period"), name="survival")

    def retention_rate(self, periods: int | Iterable[int]) -> float | pd.Series:
        """r(t) = S(t) ÷ S(t − 1) = (β + t − 1) ÷ (α + β + t − 1): of the customers
        active at the start of period t, the share still active at its end (t ≥ 1)."""
        self._check_fitted()
        scalar = np.isscalar(periods)
        t = np.atleast_1d(np.asarray(periods, dtype=float))
        if np.any(t < 1):
            raise ValueError("retention is defined for periods t ≥ 1")
        r = (self.beta_ + t - 1) / (self.alpha_ + self.beta_ + t - 1)
        return float(r[0]) if scalar else pd.Series(r, index=pd.Index(t.astype(int), name="period"), name="retention")

    def expected_remaining_lifetime(self, renewals: int = 0, horizon: int | None = None) -> float:
        """Expected number of further renewals (periods) of a customer who has
        made `renewals` renewals, i.e. Σ_{k ≥ 1} S(renewals + k) ÷ S(renewals).

        Without a horizon this is (β + renewals) ÷ (α − 1) for α > 1 and
        infinite for α ≤ 1 (the Beta mixture puts so much weight near θ = 0
        that the mean lifetime diverges, although the median is finite). With
        `horizon` H it counts only the next H periods (a finite, comparable
        figure).
        """
        self._check_fitted()
        if renewals < 0:
            raise ValueError("renewals must be ≥ 0")
        if horizon is None:
            return (self.beta_ + renewals) / (self.alpha_ - 1) if self.alpha_ > 1 else math.inf
        k = np.arange(1, int(horizon) + 1, dtype=float)
        base = self._log_survival(self.alpha_, self.beta_, np.array([float(renewals)]))
        return float(np.exp(self._log_survival(self.alpha_, self.beta_, renewals + k) - base).sum())

    def derl(
        self,
        discount_rate: float,
        renewals: int | Iterable[int] = 0,
        method: Literal["sum", "hypergeometric"] = "sum",
    ) -> float | np.ndarray:
        """Discounted expected residual lifetime (Fader & Hardie 2010), in periods.

        For a customer who has made `renewals` (= n − 1) renewals, evaluated
        just before her next renewal decision: the expected number of further
        periods she pays for, each discounted by (1 + d) per period, the next
        one undiscounted. Multiply by the margin per period for her residual
        value.

        method : {"sum", "hypergeometric"}
            "sum" (default): the defining series Σ_{t ≥ n} S(t) ÷ S(n − 1) ÷
            (1 + d)^(t − n), truncated after K terms, where K makes the tail
            below 1e-12 of the total (every ratio of consecutive terms is
            below z = 1 ÷ (1 + d), so the tail after K terms is at most the
            first term × z^K ÷ (1 − z)). "hypergeometric": the closed form
            (β + n − 1) ÷ (α + β + n − 1) × ₂F₁(1, β + n; α + β + n; z) with
            scipy.special.hyp2f1, which returns NaN for large α + β (nearly
            homogeneous customers), hence not the default; the two agree
            wherever hyp2f1 is finite.
        """
        self._check_fitted()
        if not discount_rate > 0:
            raise ValueError("discount_rate must be > 0 (at 0 the residual lifetime diverges when α ≤ 1)")
        if method not in ("sum", "hypergeometric"):
            raise ValueError(f"method must be 'sum' or 'hypergeometric', not {method!r}")
        scalar = np.isscalar(renewals)
        n1 = np.atleast_1d(np.asarray(renewals, dtype=float))
        if np.any(n1 < 0):
            raise ValueError("renewals must be ≥ 0")
        out = derl_values(self.alpha_, self.beta_, discount_rate, n1, method)
        return float(out[0]) if scalar else out

    def discounted_expected_lifetime(self, discount_rate: float) -> float:
        """DEL, in periods: discounted expected lifetime of a customer just
        acquired, her first period counted now: DEL = ₂F₁(1, β; α + β; 1 ÷ (1 + d))
        = 1 + DERL(d | 0 renewals) ÷ (1 + d) (computed by the latter)."""
        return 1.0 + float(self.derl(discount_rate, 0)) / (1.0 + discount_rate)

    def __repr__(self) -> str:
        name = f" {self.label!r}" if self.label else ""
        if hasattr(self, "alpha_"):
            return (
                f"<ShiftedBetaGeometric{name}: alpha={self.alpha_:.4g}, beta={self.beta_:.4g}, "
                f"LL={self.log_likelihood_:.2f}>"
            )
        return f"<ShiftedBetaGeometric{name}: not fitted>"

    def _repr_html_(self) -> str:
        """In a notebook: the fit's one line and its `summary` table."""
        if not hasattr(self, "alpha_"):
            return f"<p>{html.escape(repr(self))}</p>"
        head = (
            f"<p><b>ShiftedBetaGeometric</b>{' ' + html.escape(self.label) if self.label else ''}: "
            f"{self.n_customers_:,.0f} customers, {self.n_churned_:,.0f} churned, "
            f"log-likelihood {self.log_likelihood_:.2f}"
            f"{' (at the geometric boundary)' if self.at_boundary_ else ''}</p>"
        )
        return head + self.summary.to_html(float_format=lambda v: f"{v:.4g}")


def derl_values(alpha: Any, beta: Any, d: float, n1: np.ndarray, method: str = "sum") -> np.ndarray:
    """DERL (in periods) at discount rate `d` for customers who made `n1` renewals;
    alpha, beta and n1 broadcast together (e.g. parameter draws × tenures).
    `method` as in `ShiftedBetaGeometric.derl`."""
    z = 1.0 / (1.0 + d)
    alpha, beta, n1 = np.broadcast_arrays(np.asarray(alpha, float), np.asarray(beta, float), np.asarray(n1, float))
    if method == "hypergeometric":
        lead = (beta + n1) / (alpha + beta + n1)
        hyp: np.ndarray = lead * special.hyp2f1(1.0, beta + n1 + 1.0, alpha + beta + n1 + 1.0, z)
        return hyp
    K = int(np.ceil(np.log(1e-12 * (1 - z)) / np.log(z))) + 1
    k = np.arange(K, dtype=float)
    a, b, n = (x[..., None] for x in (alpha, beta, n1))
    # term_k = S(n + 1 + k) ÷ S(n) × z^k = Π_{j ≤ k} r(n + 1 + j) × z^k; logs of the retention
    # rates as log1p(−α/(α+β+n+j)) stay exact for any α, β
    log_terms = np.cumsum(np.log1p(-a / (a + b + n + k)), axis=-1) + k * np.log(z)
    total: np.ndarray = np.exp(log_terms).sum(axis=-1)
    return total


# ---------------------------------------------------------------------------
