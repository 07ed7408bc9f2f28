"""Difference-in-differences on monthly balances: did the participants'
balances move away from a comparable group's after the campaign, and were
the two moving in step before it?

    panel = balance_panel(bank.monthly_snapshots, ids, start_month)
    es = EventStudy().fit(panel, treated, weights)
    es.coefs_, es.did_, es.pretrend_

The model is the two-way fixed-effects regression (Angrist & Pischke 2009,
ch. 5; the event-study form of Autor 2003)

    balance_it = α_i + γ_t + Σ_k β_k · participant_i · 1[t − start = k] + ε_it

with one fixed effect per customer (α_i) and per month (γ_t); β_k is how far
participants' balance (CNY) moved from the comparison group's in month k
relative to the month before start (k = −1, the reference, β = 0). Parallel
pre-trends mean β_k ≈ 0 for every k < −1; `pretrend_` tests that jointly.
The pooled difference-in-differences `did_` is the mean of the β_k of the
months after (from the month the campaign ended), its interval from their
clustered covariance.

With `covariates` (customer features measured before start) each feature
gets its own month effects (γ_t · x_i): trends then need to be parallel only
among customers alike on those features (conditional parallel trends, the
regression form of Abadie 2005).

Comparison customers can carry weights (the odds weights of
`analysis.stats.causal.ATTEstimator`, constant per customer), which makes the
comparison group look like the participants before start — the "matched"
comparison. Customer fixed effects are absorbed by demeaning within customer
(exact here because a customer's weight is the same in every month);
standard errors are clustered by customer (`analysis.stats.wls`, statsmodels'
`cov_type="cluster"` figures computed for a wide design).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.stats.wls import ClusteredWLS, demean_within, fit_clustered_wls

MONTHS_BEFORE = 6
MONTHS_AFTER = 6


def months_between(later: pd.Timestamp, earlier: pd.Timestamp) -> int:
    """Whole months from the month of `earlier` to the month of `later`.

    >>> months_between(pd.Timestamp("2026-03-31"), pd.Timestamp("2025-12-01"))
    3
    """
    return (later.year - earlier.year) * 12 + (later.month - earlier.month)


def balance_panel(
    snapshots: pd.DataFrame,
    customer_ids: pd.Index | list[str],
    start_month: pd.Timestamp,
    months_before: int = MONTHS_BEFORE,
    months_after: int = MONTHS_AFTER,
) -> pd.DataFrame:
    """Monthly total balance (deposit_balance + wealth_aum, CNY) of the given
    customers in months start − months_before … start + months_after.

    Columns: customer_id, month, rel_month (0 = the month of start), balance.
    Months a customer has no snapshot are simply absent (unbalanced panel).
    """
    start = pd.Timestamp(start_month)
    first = start - pd.DateOffset(months=months_before)
    last = start + pd.DateOffset(months=months_after)
    s = snapshots
    s = s[(s["month"] >= first) & (s["month"] <= last) & s["customer_id"].isin(set(customer_ids))]
    out = pd.DataFrame(
        {
            "customer_id": s["customer_id"].to_numpy(),
            "month": s["month"].to_numpy(),
            "balance": (s["deposit_balance"] + s["wealth_aum"]).to_numpy(dtype=float),
        }
    )
    out["rel_month"] = (out["month"].dt.year - start.year) * 12 + (out["month"].dt.month - start.month)
    return out.sort_values(["customer_id", "month"]).reset_index(drop=True)


class EventStudy:
    """Event-study and pooled difference-in-differences with two-way fixed effects.

    Parameters
    ----------
    ref_period : int
        The month (relative to start) whose coefficient is fixed at 0; −1 = the
        month before start, the usual baseline.
    post_from : int
        First relative month counted as "after" in the pooled estimate `did_`
        (the month the campaign ended: its effect is in place from then on).
    alpha : float
        1 − confidence level of the intervals.

    Fitted attributes
    -----------------
    coefs_ : DataFrame indexed by rel_month — estimate, ci_low, ci_high, p_value
        (CNY; the reference month has estimate 0 and no interval).
    did_ : dict estimate, ci_low, ci_high, p_value — the pooled effect (CNY):
        the mean of the coefficients of months post_from … end.
    pretrend_ : dict statistic (Wald χ²), df, p_value — H0: every pre-start
        coefficient other than the reference is 0 (parallel pre-trends).
    n_treated_, n_comparison_ : customers in the panel; n_obs_ : customer-months.
    """

    def __init__(
        self,
        ref_period: int = -1,
        post_from: int = 0,
        alpha: float = 0.05,
        max_comparison: int | None = 3000,
        random_state: int = 20240331,
    ) -> None:
        self.ref_period = ref_period
        self.post_from = post_from
        self.alpha = alpha
        # The design has a month effect per covariate, so its size grows with
        # customer-months × months × covariates; a random subsample of the
        # comparison customers, reweighted to stand for the whole pool, keeps
        # a 50,000-customer branch as cheap as a 5,000 one. The ATT itself
        # (analysis.stats.causal) always uses the whole pool.
        self.max_comparison = max_comparison
        self.random_state = random_state

    def fit(
        self,
        panel: pd.DataFrame,
        treated: pd.Series,
        weights: pd.Series | None = None,
        covariates: pd.DataFrame | None = None,
    ) -> EventStudy:
        """`panel` as from `balance_panel`; `treated`: bool per customer_id;
        `weights`: per customer_id (None = 1; rows with weight 0 are dropped);
        `covariates`: customer features measured before start, indexed by
        customer_id — each gets its own month effects (γ_t · x_i), so trends
        need only be parallel among customers alike on them (conditional
        parallel trends)."""
        d = panel.copy()
        d["treated"] = d["customer_id"].map(treated)
        if d["treated"].isna().any():
            raise ValueError("every customer of the panel needs a treated flag")
        d["treated"] = d["treated"].astype(bool)
        d["w"] = 1.0 if weights is None else d["customer_id"].map(weights).fillna(0.0).astype(float)
        d = d[d["w"] > 0]
        d = self._subsample_comparison(d)
        if self.ref_period not in set(d["rel_month"]):
            raise ValueError(f"no snapshots in the reference month ({self.ref_period} relative to start)")
        n1 = d.loc[d["treated"], "customer_id"].nunique()
        n0 = d.loc[~d["treated"], "customer_id"].nunique()
        if n1 < 2 or n0 < 2:
            raise ValueError(f"need at least 2 treated and 2 comparison customers (got {n1} and {n0})")
        self.n_treated_, self.n_comparison_, self.n_obs_ = int(n1), int(n0), len(d)

        # event months with participants observed in them (others carry no β)
        periods = sorted(set(d.loc[d["treated"], "rel_month"]) - {self.ref_period})
        month_dummies = self._month_effects(d, covariates)
        event = pd.DataFrame(
            {f"k{p}": ((d["rel_month"] == p) & d["treated"]).astype(float) for p in periods}, index=d.index
        )
        res = self._fit_within(d, pd.concat([event, month_dummies], axis=1))
        z = stats.norm.ppf(1 - self.alpha / 2)
        with np.errstate(invalid="ignore"):
            # nuisance month × feature terms may get a ~0 negative variance
            # from rounding; only the event terms are read
            ci = res.conf_int(alpha=self.alpha)
            pvalues = res.pvalues
        periods = [p for p in periods if f"k{p}" in res.params.index]
        rows = {p: (res.params[f"k{p}"], ci.loc[f"k{p}", 0], ci.loc[f"k{p}", 1], pvalues[f"k{p}"]) for p in periods}
        rows[self.ref_period] = (0.0, np.nan, np.nan, np.nan)
        self.coefs_ = pd.DataFrame.from_dict(
            rows, orient="index", columns=["estimate", "ci_low", "ci_high", "p_value"]
        ).sort_index()
        self.coefs_.index.name = "rel_month"
        pre = [f"k{p}" for p in periods if p < self.ref_period]
        if pre:
            statistic, df, p_value = res.wald(pre)
            self.pretrend_ = {"statistic": statistic, "df": df, "p_value": p_value}
        else:
            self.pretrend_ = {"statistic": np.nan, "df": 0, "p_value": np.nan}

        # pooled: the mean of the after-month coefficients (months from
        # post_from on), with its variance from their clustered covariance
        post = [f"k{p}" for p in periods if p >= self.post_from]
        if post:
            c = pd.Series(0.0, index=res.params.index)
            c[post] = 1.0 / len(post)
            # pandas-stubs type Series @ Series as any scalar; here both are floats
            est = float(c @ res.params)  # type: ignore[arg-type]
            se = float(np.sqrt(c @ res.cov_params() @ c))  # type: ignore[arg-type]
            p_value = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else float("nan")
            self.did_ = {"estimate": est, "ci_low": est - z * se, "ci_high": est + z * se, "p_value": p_value}
        else:
            self.did_ = {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan}
        self.result_ = res
        return self

    def _subsample_comparison(self, d: pd.DataFrame) -> pd.DataFrame:
        """At most `max_comparison` comparison customers (fixed seed), their
        weights scaled by pool ÷ sample so they stand for the whole pool."""
        pool = pd.Index(d.loc[~d["treated"], "customer_id"].unique())
        self.comparison_sampled_ = None
        if self.max_comparison is None or len(pool) <= self.max_comparison:
            return d
        rng = np.random.default_rng(self.random_state)
        keep = pd.Index(rng.choice(pool.sort_values().to_numpy(), size=self.max_comparison, replace=False))
        d = d[d["treated"] | d["customer_id"].isin(keep)].copy()
        d.loc[~d["treated"], "w"] *= len(pool) / self.max_comparison
        self.comparison_sampled_ = (int(self.max_comparison), int(len(pool)))
        return d

    @staticmethod
    def _month_effects(d: pd.DataFrame, covariates: pd.DataFrame | None) -> pd.DataFrame:
        """Month dummies (first month the reference), and with covariates
        their products with each standardised covariate."""
        md = pd.get_dummies(d["rel_month"], prefix="m", dtype=float).iloc[:, 1:]
        if covariates is None or covariates.empty:
            return md
        x = covariates.astype(float)
        x = x.loc[:, x.std() > 0]
        z = ((x - x.mean()) / x.std()).reindex(d["customer_id"].to_numpy()).fillna(0.0).to_numpy()
        m = md.to_numpy()
        inter = (m[:, :, None] * z[:, None, :]).reshape(len(d), -1)
        names = [f"{a}:{b}" for a in md.columns for b in covariates.columns[covariates.std() > 0]]
        return pd.concat([md, pd.DataFrame(inter, index=d.index, columns=names)], axis=1)

    @staticmethod
    def _fit_within(d: pd.DataFrame, X: pd.DataFrame) -> ClusteredWLS:
        """WLS of balance on X after demeaning both within customer (absorbs α_i)."""
        groups = pd.factorize(d["customer_id"])[0]
        yd = demean_within(d["balance"].to_numpy(dtype=float), groups)
        Xd = pd.DataFrame(demean_within(X.to_numpy(dtype=float), groups), columns=X.columns)
        Xd = Xd.loc[:, np.abs(Xd.to_numpy()).sum(axis=0) > 0]
        return fit_clustered_wls(yd, Xd, d["w"].to_numpy(dtype=float), groups)
