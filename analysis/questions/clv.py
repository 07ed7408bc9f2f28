"""How long do customers stay, and what is a customer worth? Contractual CLV.

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

The bank side (`clv_by_segment`) turns customers and snapshots into annual
lifetimes that are observed only from the first month of the data (left
truncation) up to as_of (right censoring), fits one sBG per segment and
values each segment's active customers.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Iterable, Literal

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, value_base
from analysis.words.glossary import is_term, term
from analysis.words.format import money

DAYS_PER_YEAR = 365.25  # tenure in years as RESULTS.md measures it (days ÷ 365.25)


# Bounds of logit φ, φ = 1/(α+β+1): α+β from about 1e-6 (all-or-nothing churn) to about 1e6
# (customers alike: the geometric limit, where a constant churn rate fits as well).
LOGIT_PHI_MIN, LOGIT_PHI_MAX = -14.0, 14.0


def _from_mu_phi(mu, phi):
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
        return special.betaln(alpha, beta + t) - special.betaln(alpha, beta)

    @staticmethod
    def _log_pmf(alpha: float, beta: float, t: np.ndarray) -> np.ndarray:
        """ln P(T = t) = ln B(α + 1, β + t − 1) − ln B(α, β), t ≥ 1."""
        return special.betaln(alpha + 1.0, beta + t - 1.0) - special.betaln(alpha, beta)

    @classmethod
    def _log_likelihood(
        cls, alpha: float, beta: float, duration: np.ndarray, churned: np.ndarray, entry: np.ndarray, weight: np.ndarray
    ) -> float:
        """Σ w [churned: ln P(T = d); else ln S(d)] − w ln S(entry)."""
        ll = np.where(churned, cls._log_pmf(alpha, beta, duration), cls._log_survival(alpha, beta, duration))
        ll = ll - np.where(entry > 0, cls._log_survival(alpha, beta, entry), 0.0)
        return float(np.sum(weight * ll))

    # -- fitting ----------------------------------------------------------------

    def fit(self, survivors: Iterable[float]) -> "ShiftedBetaGeometric":
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
    ) -> "ShiftedBetaGeometric":
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
        at_risk = set()
        for lo, hi in zip(e[w > 0].astype(int), d[w > 0].astype(int)):
            at_risk.update(range(lo + 1, hi + 1))
        if len(at_risk) < 2:
            raise ValueError(
                "the data observe retention in fewer than two periods: the sBG has two parameters and one "
                "period's churn rate cannot tell heterogeneity (α, β) from an average churn rate"
            )
        return self._fit(d, c, e, w)

    def _fit(self, d: np.ndarray, c: np.ndarray, e: np.ndarray, w: np.ndarray) -> "ShiftedBetaGeometric":
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
        best = None
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
                lambda m: nll(np.array([m, edge])), bounds=(-30.0, 30.0), method="bounded", options={"xatol": 1e-10}
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
                    else "churn is all-or-nothing in these data (extreme heterogeneity); α and β have no standard errors"
                ),
                RuntimeWarning,
                stacklevel=3,
            )
        self.variance_matrix_ = self._variance()
        return self

    def _variance(self) -> pd.DataFrame:
        """Inverse observed information: numerical Hessian of −LL at (α̂, β̂)."""
        from statsmodels.tools.numdiff import approx_hess3

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
        from statsmodels.tools.numdiff import approx_hess3

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
        out = _derl(self.alpha_, self.beta_, discount_rate, n1, method)
        return float(out[0]) if scalar else out

    def discounted_expected_lifetime(self, discount_rate: float) -> float:
        """DEL, in periods: discounted expected lifetime of a customer just
        acquired, her first period counted now: DEL = ₂F₁(1, β; α + β; 1 ÷ (1 + d))
        = 1 + DERL(d | 0 renewals) ÷ (1 + d) (computed by the latter)."""
        return 1.0 + self.derl(discount_rate, 0) / (1.0 + discount_rate)

    def __repr__(self) -> str:
        name = f" {self.label!r}" if self.label else ""
        if hasattr(self, "alpha_"):
            return f"<ShiftedBetaGeometric{name}: alpha={self.alpha_:.4g}, beta={self.beta_:.4g}, LL={self.log_likelihood_:.2f}>"
        return f"<ShiftedBetaGeometric{name}: not fitted>"


def _derl(alpha, beta, d: float, n1: np.ndarray, method: str) -> np.ndarray:
    """DERL for renewals n1; alpha, beta and n1 broadcast together (e.g. draws × tenures)."""
    z = 1.0 / (1.0 + d)
    alpha, beta, n1 = np.broadcast_arrays(np.asarray(alpha, float), np.asarray(beta, float), np.asarray(n1, float))
    if method == "hypergeometric":
        lead = (beta + n1) / (alpha + beta + n1)
        return lead * special.hyp2f1(1.0, beta + n1 + 1.0, alpha + beta + n1 + 1.0, z)
    K = int(np.ceil(np.log(1e-12 * (1 - z)) / np.log(z))) + 1
    k = np.arange(K, dtype=float)
    a, b, n = (x[..., None] for x in (alpha, beta, n1))
    # term_k = S(n + 1 + k) ÷ S(n) × z^k = Π_{j ≤ k} r(n + 1 + j) × z^k; logs of the retention
    # rates as log1p(−α/(α+β+n+j)) stay exact for any α, β
    log_terms = np.cumsum(np.log1p(-a / (a + b + n + k)), axis=-1) + k * np.log(z)
    return np.exp(log_terms).sum(axis=-1)


# ---------------------------------------------------------------------------
# The bank: annual lifetimes, life tables, sBG per segment, CLV


def tenure_lifetimes(bank: Bank, by: str = "segment") -> pd.DataFrame:
    """Each customer's lifetime in whole years of tenure, as the data observe it.

    Period t is the customer's t-th year with the bank ([t − 1, t) years
    after open_date, years = days ÷ 365.25). The data show a customer only
    from the first month of `monthly_snapshots` (earlier leavers are absent:
    left truncation) to as_of (right censoring). To keep both unbiased, a
    customer is followed only over whole tenure years that lie inside the
    observation span:

    * entry = her first anniversary on or after the data start (0 when she
      opened within the data); she is kept only if still active then;
    * last = her last anniversary on or before as_of;
    * churned when close_date falls in (entry, last] years of tenure, in
      period T = ⌊tenure at close⌋ + 1; otherwise censored at d = last,
      or at the anniversary before close when she closed after `last`.

    Columns: customer_id, `by`, open_date, entry, duration, churned (bool).
    Customers with no whole tenure year inside the span are left out.
    """
    tf = bank.timeframe
    snaps = bank.monthly_snapshots
    start = snaps["month"].min()
    c = bank.customers
    c = c[c["customer_id"].isin(snaps["customer_id"])]
    years = lambda to: (to - c["open_date"]).dt.days / DAYS_PER_YEAR  # noqa: E731
    entry = np.ceil(years(start).clip(lower=0))
    last = np.floor(years(tf.as_of))
    closed = c["close_date"].notna() & (c["close_date"] <= tf.as_of)
    close_years = years(c["close_date"])
    churn_period = np.floor(close_years) + 1
    churned = closed & (churn_period <= last)
    # alive at entry: not closed before the entry anniversary
    alive_at_entry = ~(closed & (close_years < entry))
    duration = np.where(churned, churn_period, np.where(closed, np.minimum(np.floor(close_years), last), last))
    out = pd.DataFrame(
        {
            "customer_id": c["customer_id"].to_numpy(),
            by: _group_values(c, by).to_numpy(),
            "open_date": c["open_date"].to_numpy(),
            "entry": entry.to_numpy(),
            "duration": duration,
            "churned": churned.to_numpy(),
        }
    )
    keep = alive_at_entry.to_numpy() & (out["duration"].to_numpy() > out["entry"].to_numpy())
    out = out[keep].reset_index(drop=True)
    out[["entry", "duration"]] = out[["entry", "duration"]].astype(int)
    return out


def _group_values(customers: pd.DataFrame, by: str) -> pd.Series:
    if by == "all":
        return pd.Series("all", index=customers.index)
    if by == "vip_tier":
        # the loader reads the vocabulary word "none" as a null (io.NULL_TOKENS); vip_since is null exactly then
        return customers[by].astype(object).where(customers[by].notna(), "none")
    return customers[by].astype(object)


def life_table(lifetimes: pd.DataFrame, by: str = "segment") -> pd.DataFrame:
    """Observed retention per tenure year (actuarial life table, left-truncated).

    Per group and period t: at_risk (followed through year t: entry < t ≤
    duration, or churned in t), churned (left in year t), retention =
    1 − churned ÷ at_risk, and survival = the product of retention up to t
    (the Kaplan–Meier estimate at whole years). Units: shares.
    """
    rows = []
    for key, g in lifetimes.groupby(by, sort=False, observed=True):
        e, d, c = g["entry"].to_numpy(), g["duration"].to_numpy(), g["churned"].to_numpy()
        s = 1.0
        for t in range(1, int(d.max()) + 1):
            at_risk = int(np.sum((e < t) & (d >= t)))
            if at_risk == 0:
                continue
            churned = int(np.sum(c & (d == t)))
            r = 1 - churned / at_risk
            s *= r
            rows.append({by: key, "period": t, "at_risk": at_risk, "churned": churned, "retention": r, "survival": s})
    return pd.DataFrame(rows, columns=[by, "period", "at_risk", "churned", "retention", "survival"])


@dataclass
class SegmentCLV:
    """sBG fits and customer lifetime value per group (see `clv_by_segment`)."""

    by: str
    discount_rate: float
    horizon_years: int
    table: pd.DataFrame  # one row per group, figures below
    fits: dict[str, ShiftedBetaGeometric]
    life_tables: pd.DataFrame
    lifetimes: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)


def clv_by_segment(
    bank: Bank,
    discount_rate: float = 0.10,
    by: str = "segment",
    horizon_years: int = 30,
    min_customers: int = 50,
    min_churned: int = 10,
    n_draws: int = 1000,
    seed: int = 0,
) -> SegmentCLV:
    """Retention (sBG) and discounted customer lifetime value per group.

    For each group (segment by default; "area", "vip_tier" or "all" work too):

    * an sBG fitted to the group's annual lifetimes (`tenure_lifetimes`);
    * `retention_next_year`: model retention of the group's active customers
      in their current tenure year, averaged;
    * `expected_years`: expected further years with the bank within
      `horizon_years` (the unbounded mean is infinite when α ≤ 1), averaged
      over the active customers;
    * `margin_12m`: mean annual margin, CNY: revenue_12m of the group's active
      customers who were in the data all 12 months of the window (so that a
      margin is a full year's);
    * `derl`: the discounted expected residual lifetime at `discount_rate`
      per year, averaged over active customers at their tenure;
    * `clv`: margin_12m × derl, CNY per active customer: what the bank can
      expect to earn from a current customer of the group from her next
      anniversary on, in today's money (the current year's margin is not
      counted); `clv_ci_low`/`clv_ci_high`: 95 % interval from `n_draws` draws of
      (ln α, ln β) from their asymptotic normal and of the mean margin from
      its normal;
    * `clv_new`: margin_12m × DEL, the value of a customer just acquired
      (first year's margin included);
    * `base_value`: clv × active customers, the group's residual value, CNY.

    Groups with fewer than `min_customers` followed customers or
    `min_churned` churns, or whose fit fails, are skipped with the reason.
    """
    if not 0 < discount_rate < 1:
        raise ValueError("discount_rate is an annual rate such as 0.10, in (0, 1)")
    lifetimes = tenure_lifetimes(bank, by=by)
    tables = life_table(lifetimes, by=by)
    tf = bank.timeframe
    active = active_customer_ids(bank)
    c = bank.customers.set_index("customer_id")
    c = c.loc[c.index.intersection(active)]
    tenure = np.floor((tf.as_of - c["open_date"]).dt.days / DAYS_PER_YEAR).astype(int)
    groups = _group_values(c.reset_index(), by).to_numpy()
    snaps = bank.monthly_snapshots
    months = snaps[(snaps["month"] >= tf.t0) & (snaps["month"] <= tf.M)].groupby("customer_id")["month"].nunique()
    rev = value_base(bank).set_index("customer_id")["revenue_12m"]
    full_year = months.index[months == 12]
    active_df = pd.DataFrame({"group": groups, "tenure": tenure.to_numpy()}, index=c.index)
    rng = np.random.default_rng(seed)

    rows, fits, skipped = [], {}, {}
    order = _group_order(by, lifetimes[by].unique())
    for key in order:
        g = lifetimes[lifetimes[by] == key]
        act = active_df[active_df["group"] == key]
        margins = rev.reindex(act.index.intersection(full_year)).dropna()
        base = {by: key, "customers_followed": len(g), "churned": int(g["churned"].sum()), "active_customers": len(act)}
        reason, kind = None, None
        if len(g) < min_customers:
            kind = "few_customers"
            reason = f"only {len(g)} customers followed over whole tenure years (at least {min_customers} needed)"
        elif base["churned"] < min_churned:
            kind = "few_churns"
            reason = f"only {base['churned']} churns observed (at least {min_churned} needed to estimate retention)"
        elif len(margins) == 0:
            kind = "no_margin"
            reason = "no active customer with a full 12 months of revenue to measure the annual margin"
        if reason is None:
            try:
                with warnings.catch_warnings():
                    # a boundary fit is reported in the table (`homogeneous`), not as a warning
                    warnings.simplefilter("ignore", RuntimeWarning)
                    m = ShiftedBetaGeometric(label=str(key)).fit_lifetimes(
                        g["duration"], g["churned"], entry=g["entry"]
                    )
            except ValueError as err:
                kind, reason = "fit_failed", f"sBG fit failed: {err}"
        if reason is not None:
            skipped[str(key)] = reason
            rows.append(
                {
                    **base,
                    "status": "skipped",
                    "reason": reason,
                    "reason_kind": kind,
                    "min_customers": min_customers,
                    "min_churned": min_churned,
                }
            )
            continue
        fits[str(key)] = m
        n1 = act["tenure"].to_numpy()
        derl = m.derl(discount_rate, n1) if len(n1) else np.array([np.nan])
        margin = float(margins.mean())
        margin_se = float(margins.std(ddof=1) / np.sqrt(len(margins))) if len(margins) > 1 else 0.0
        lo, hi = _clv_interval(m, discount_rate, n1, margin, margin_se, n_draws, rng)
        clv = margin * float(np.mean(derl))
        rows.append(
            {
                **base,
                "status": "ok",
                "reason": None,
                "reason_kind": None,
                "alpha": m.alpha_,
                "beta": m.beta_,
                "homogeneous": m.at_boundary_,
                "mean_churn_new": m.mean_churn_probability_,
                "retention_next_year": float(np.mean(m.retention_rate(n1 + 1))) if len(n1) else np.nan,
                "expected_years": _mean_over_tenures(lambda k: m.expected_remaining_lifetime(k, horizon_years), n1),
                "margin_12m": margin,
                "margin_customers": len(margins),
                "derl": float(np.mean(derl)),
                "clv": clv,
                "clv_ci_low": lo,
                "clv_ci_high": hi,
                "clv_new": margin * m.discounted_expected_lifetime(discount_rate),
                "base_value": clv * len(act),
            }
        )
    table = pd.DataFrame(rows, columns=None if rows else [by, "status", "reason", "reason_kind"]).set_index(by)
    return SegmentCLV(by, discount_rate, horizon_years, table, fits, tables, lifetimes, skipped)


def _mean_over_tenures(f, n1: np.ndarray) -> float:
    """Mean of f(tenure) over customers, evaluating f once per distinct tenure."""
    if len(n1) == 0:
        return float("nan")
    ten, counts = np.unique(n1, return_counts=True)
    return float(np.dot([f(int(k)) for k in ten], counts) / counts.sum())


def _group_order(by: str, present: Iterable) -> list:
    from analysis.data.contract import AREAS, SEGMENTS, VIP_TIERS

    vocab = {"segment": SEGMENTS, "area": AREAS, "vip_tier": VIP_TIERS}.get(by)
    present = list(present)
    return [v for v in vocab if v in present] if vocab else sorted(present)


def _clv_interval(
    m: ShiftedBetaGeometric, d: float, n1: np.ndarray, margin: float, margin_se: float, n_draws: int, rng
) -> tuple[float, float]:
    """95 % interval of margin × mean DERL: (α, β) drawn from the fit's asymptotic
    distribution (`sample_parameters`), the mean margin from N(mean, se²)."""
    if len(n1) == 0:
        return np.nan, np.nan
    draws = m.sample_parameters(n_draws, rng)
    if not np.all(np.isfinite(draws)):
        return np.nan, np.nan
    ten, counts = np.unique(n1, return_counts=True)  # few distinct tenures: one DERL each per draw
    derl = _derl(draws[:, [0]], draws[:, [1]], d, ten[None, :].astype(float), "sum")
    mean_derl = (derl * counts).sum(axis=1) / counts.sum()
    value = rng.normal(margin, margin_se, size=n_draws) * mean_derl
    lo, hi = np.percentile(value, [2.5, 97.5])
    return float(lo), float(hi)


# ---------------------------------------------------------------------------
# Words and figures for the notebook


def _label(key, lang: str) -> str:
    """Term of a group (segment …); "all" is every customer."""
    if key == "all":
        return "全部客户" if lang == "zh" else "All customers"
    return term(str(key), lang) if is_term(str(key)) else str(key)


def clv_title(result: SegmentCLV, lang: str = "zh") -> str:
    """Title of the CLV figure: the most and least valuable group, in numbers."""
    ok = result.table[result.table["status"] == "ok"]
    if ok.empty:
        return "客户终身价值" if lang == "zh" else "Customer lifetime value"
    best, worst = ok["clv"].idxmax(), ok["clv"].idxmin()
    b = money(ok.loc[best, "clv"], lang)
    if best == worst or ok.loc[worst, "clv"] <= 0:
        return (
            f"一位{_label(best, lang)}的终身价值约{b}"
            if lang == "zh"
            else f"One {_label(best, lang)} customer is worth about {b}"
        )
    k = ok.loc[best, "clv"] / ok.loc[worst, "clv"]
    if lang == "zh":
        return f"一位{_label(best, lang)}的终身价值约{b}，是{_label(worst, lang)}的{k:.0f}倍"
    return f"One {_label(best, lang)} customer is worth about {b}, {k:.0f}× one {_label(worst, lang)} customer"


def retention_title(result: SegmentCLV, lang: str = "zh") -> str:
    """Title of the retention figure: which group keeps its customers best."""
    ok = result.table[result.table["status"] == "ok"]
    if ok.empty:
        return term("retention", lang)
    best = ok["retention_next_year"].idxmax()
    r = ok.loc[best, "retention_next_year"]
    if lang == "zh":
        return f"{_label(best, lang)}最稳：明年预计保留{r:.0%}"
    return f"{_label(best, lang)} stay best: {r:.0%} expected to stay next year"


def describe_clv(result: SegmentCLV, lang: str = "zh") -> list[str]:
    """Sentences on retention and lifetime value per group, with the method in one line each."""
    d = f"{result.discount_rate:.0%}"
    t = result.table
    if lang == "zh":
        out = [
            "保留率模型（移位贝塔几何模型，sBG）：每位客户每年有自己固定的流失概率，客户之间各不相同；"
            "容易流失的客户先走，留下的客户越来越稳，所以老客户的保留率更高。模型按在行年限逐年拟合，只用数据覆盖的完整年份。",
            f"{_label('CLV', lang)} = 年利润 × 折现后的预期剩余年数（年折现率{d}）："
            "一位现有客户从下一个周年起预计还会为本行带来的利润，折算成今天的钱；区间为95%置信区间。",
        ]
        for key, row in t.iterrows():
            name = _label(key, lang)
            if row["status"] != "ok":
                out.append(f"{name}：未建模——{_reason_words(row, lang)}。")
                continue
            line = (
                f"{name}：明年保留率约{row['retention_next_year']:.1%}，未来{result.horizon_years}年内平均还会留"
                f"{row['expected_years']:.1f}年；年利润{money(row['margin_12m'], lang)}，一位现有客户的终身价值约"
                f"{money(row['clv'], lang)}（{money(row['clv_ci_low'], lang)}–{money(row['clv_ci_high'], lang)}），"
                f"{row['active_customers']:,}位活跃客户合计{money(row['base_value'], lang)}。"
            )
            if row["homogeneous"]:
                line += "该群体的保留率不随在行年限上升（客户之间差别不明显），模型退化为固定流失率。"
            out.append(line)
        ok = t[t["status"] == "ok"]
        if len(ok) >= 2:
            best = ok["clv"].idxmax()
            one_pct = 0.01 * ok.loc[best, "active_customers"] * ok.loc[best, "clv"]
            out.append(
                f"{clv_title(result, lang)}：{_label(best, lang)}的保留率每提高1个百分点，"
                f"约多留住{0.01 * ok.loc[best, 'active_customers']:.0f}位客户，价值约{money(one_pct, lang)}。"
            )
        return out
    out = [
        "Retention model (shifted-beta-geometric, sBG): each customer has her own, constant yearly chance of leaving, and "
        "these chances differ between customers; the likely leavers go first, so the customers who stay are ever more "
        "loyal and retention rises with tenure. The model is fitted on whole years of tenure that the data cover.",
        f"{_label('CLV', lang)} = yearly profit × discounted expected remaining years (discount rate {d} a year): what a "
        "current customer is expected to earn the bank from her next anniversary on, in today's money; ranges are 95% "
        "confidence intervals.",
    ]
    for key, row in t.iterrows():
        name = _label(key, lang)
        if row["status"] != "ok":
            out.append(f"{name}: not modelled — {_reason_words(row, lang)}.")
            continue
        line = (
            f"{name}: about {row['retention_next_year']:.1%} expected to stay next year, {row['expected_years']:.1f} more "
            f"years on average within {result.horizon_years}; yearly profit {money(row['margin_12m'], lang)}, a current "
            f"customer is worth about {money(row['clv'], lang)} ({money(row['clv_ci_low'], lang)}–"
            f"{money(row['clv_ci_high'], lang)}), the {row['active_customers']:,} active customers together "
            f"{money(row['base_value'], lang)}."
        )
        if row["homogeneous"]:
            line += " Retention does not rise with tenure in this group (customers look alike): the model reduces to a constant churn rate."
        out.append(line)
    ok = t[t["status"] == "ok"]
    if len(ok) >= 2:
        best = ok["clv"].idxmax()
        one_pct = 0.01 * ok.loc[best, "active_customers"] * ok.loc[best, "clv"]
        out.append(
            f"{clv_title(result, lang)}: each percentage point of {_label(best, lang)} retention keeps about "
            f"{0.01 * ok.loc[best, 'active_customers']:.0f} more customers, worth about {money(one_pct, lang)}."
        )
    return out


def _reason_words(row: pd.Series, lang: str) -> str:
    """Why a group was not modelled, in the reader's language."""
    kind = row.get("reason_kind")
    if lang == "zh":
        if kind == "few_customers":
            return f"数据覆盖完整年份的客户只有{int(row['customers_followed']):,}位（至少需要{int(row['min_customers']):,}位）"
        if kind == "few_churns":
            return f"只观察到{int(row['churned']):,}次流失（至少需要{int(row['min_churned']):,}次才能估计保留率）"
        if kind == "no_margin":
            return "没有满12个月利润记录的活跃客户，无法计算年利润"
        return f"模型拟合失败（{row['reason']}）"
    if kind == "few_customers":
        return f"only {int(row['customers_followed']):,} customers followed over whole years (at least {int(row['min_customers']):,} needed)"
    if kind == "few_churns":
        return f"only {int(row['churned']):,} churns observed (at least {int(row['min_churned']):,} needed to estimate retention)"
    return str(row["reason"])


def plot_retention(result: SegmentCLV, bank: Bank, lang: str = "zh"):
    """Observed survival by tenure year (life table) against the fitted sBG, per group."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import PALETTE, caption, percent_axis, source_caption

    fig, ax = plt.subplots()
    lt = result.life_tables
    for i, (key, m) in enumerate(result.fits.items()):
        color = PALETTE[i % len(PALETTE)]
        obs = lt[lt[result.by].astype(str) == key]
        ax.plot(obs["period"], obs["survival"], "o", color=color, ms=4, alpha=0.8)
        t = np.arange(0, int(obs["period"].max()) + 1)
        ax.plot(t, m.survival_function(t).values, "-", color=color, label=_label(key, lang))
    percent_axis(ax, "y")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"{term('tenure_years', lang)}（年）" if lang == "zh" else term("tenure_years", lang))
    ax.set_ylabel("仍在本行的客户占比" if lang == "zh" else "Share of customers still with the bank")
    ax.legend(title="点 = 实际，线 = 模型" if lang == "zh" else "dots = observed, lines = model")
    ax.set_title(retention_title(result, lang))
    fig.tight_layout()
    caption(fig, source_caption(bank, "customers, monthly_snapshots", len(result.lifetimes), lang))
    return fig


def plot_clv(result: SegmentCLV, bank: Bank, lang: str = "zh"):
    """Lifetime value of a current customer per group, with 95 % intervals."""
    import matplotlib.pyplot as plt

    from analysis.figures.style import HOME, caption, money_axis, source_caption

    ok = result.table[result.table["status"] == "ok"]
    fig, ax = plt.subplots()
    x = np.arange(len(ok))
    err = np.vstack([ok["clv"] - ok["clv_ci_low"], ok["clv_ci_high"] - ok["clv"]]).clip(min=0)
    ax.bar(x, ok["clv"], color=HOME, yerr=err, capsize=4, ecolor="#333333")
    ax.set_xticks(x, [_label(k, lang) for k in ok.index])
    label = (
        f"客户终身价值（折现率{result.discount_rate:.0%}）"
        if lang == "zh"
        else f"Lifetime value (discount {result.discount_rate:.0%} a year)"
    )
    money_axis(ax, "y", lang, label)
    ax.set_title(clv_title(result, lang))
    fig.tight_layout()
    caption(fig, source_caption(bank, "customers, monthly_snapshots", int(ok["active_customers"].sum()), lang))
    return fig


CLV_COLUMNS = {
    "customers_followed": ("建模客户数", "Customers modelled"),
    "churned": ("观察到的流失", "Churns observed"),
    "active_customers": ("活跃客户", "Active customers"),
    "retention_next_year": ("明年保留率", "Retention next year"),
    "expected_years": ("预计剩余年数", "Expected years left"),
    "margin_12m": ("年利润", "Yearly profit"),
    "clv": ("客户终身价值", "Lifetime value"),
    "clv_interval": ("95%区间", "95% interval"),
    "base_value": ("活跃客户合计", "All active customers"),
    "note": ("说明", "Note"),
}


def clv_table(result: SegmentCLV, lang: str = "zh") -> pd.DataFrame:
    """The per-group CLV table for display: money in 万元 / thousand CNY,
    shares as %, the reason in words for groups not modelled."""
    rows = {}
    for key, r in result.table.iterrows():
        ok = r["status"] == "ok"
        cell = {
            "customers_followed": f"{int(r['customers_followed']):,}",
            "churned": f"{int(r['churned']):,}",
            "active_customers": f"{int(r['active_customers']):,}",
            "retention_next_year": f"{r['retention_next_year']:.1%}" if ok else "–",
            "expected_years": f"{r['expected_years']:.1f}" if ok else "–",
            "margin_12m": money(r["margin_12m"], lang) if ok else "–",
            "clv": money(r["clv"], lang) if ok else "–",
            "clv_interval": f"{money(r['clv_ci_low'], lang)} – {money(r['clv_ci_high'], lang)}" if ok else "–",
            "base_value": money(r["base_value"], lang) if ok else "–",
            "note": ("" if not r["homogeneous"] else ("固定流失率" if lang == "zh" else "constant churn rate"))
            if ok
            else _reason_words(r, lang),
        }
        rows[_label(key, lang)] = {(zh if lang == "zh" else en): cell[k] for k, (zh, en) in CLV_COLUMNS.items()}
    return pd.DataFrame.from_dict(rows, orient="index")
