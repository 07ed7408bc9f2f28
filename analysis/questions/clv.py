"""How long do customers stay, and what is a customer worth? Contractual CLV.

The model is `analysis.stats.sbg.ShiftedBetaGeometric` (Fader & Hardie 2007,
2010): each customer has a constant yearly churn probability, which differs
between customers as a Beta distribution, so retention rises with tenure.
This module turns a bank's customers and snapshots into annual lifetimes
that are observed only from the first month of the data (left truncation)
up to as_of (right censoring), fits one sBG per segment and values each
segment's active customers (`analyze`). The discount rate is the analyst's
assumption (`Assumptions.discount_rate`).

CLV has no section of results.json: the value notebook shows it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, value_base
from analysis.data.contract import AREAS, SEGMENTS, VIP_TIERS
from analysis.stats.sbg import ShiftedBetaGeometric, derl_values

DAYS_PER_YEAR = 365.25  # tenure in years as RESULTS.md measures it (days ÷ 365.25)
MONTHS_PER_YEAR = 12  # a margin is a full year's revenue: a customer present all 12 months of the window
GROUPS = {"segment": SEGMENTS, "area": AREAS, "vip_tier": VIP_TIERS}


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
class ClvResult:
    """sBG fits and customer lifetime value per group (see `analyze`).

    `table` has one row per group (index: the group's value) with the
    figures `analyze` lists; groups not modelled carry status "skipped", the
    reason in words (`reason`), its kind (`reason_kind`: few_customers,
    few_churns, no_margin, fit_failed) and the minimums it was held to.
    """

    by: str
    discount_rate: float
    horizon_years: int
    table: pd.DataFrame  # one row per group, figures below
    fits: dict[str, ShiftedBetaGeometric]
    life_tables: pd.DataFrame
    lifetimes: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def modelled(self) -> pd.DataFrame:
        """The rows of the groups the sBG was fitted to."""
        return self.table[self.table["status"] == "ok"]

    @property
    def most_valuable(self) -> str | None:
        """The group whose current customer is worth most (None when none is modelled)."""
        ok = self.modelled
        return None if ok.empty else ok["clv"].idxmax()

    @property
    def least_valuable(self) -> str | None:
        ok = self.modelled
        return None if ok.empty else ok["clv"].idxmin()

    @property
    def best_retention(self) -> str | None:
        """The group expected to keep most of its customers next year."""
        ok = self.modelled
        return None if ok.empty else ok["retention_next_year"].idxmax()


def analyze(
    bank: Bank,
    assumptions: Assumptions | None = None,
    by: str = "segment",
    horizon_years: int = 30,
    min_customers: int = 50,
    min_churned: int = 10,
    n_draws: int = 1000,
    seed: int = 0,
) -> ClvResult:
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
    The discount rate is `assumptions.discount_rate` (default 10 % a year).
    """
    bank, a = bank.assumed(assumptions)
    discount_rate = a.discount_rate
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
    full_year = months.index[months == tf.window_months]  # present every month of the window
    if tf.window_months != MONTHS_PER_YEAR:  # a shorter (longer) window's revenue made a year's
        rev = rev * (MONTHS_PER_YEAR / tf.window_months)
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
            reason = f"no active customer with a full {tf.window_months} months of revenue to measure the annual margin"
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
                "expected_years": _mean_over_tenures(
                    lambda k, m=m: m.expected_remaining_lifetime(k, horizon_years), n1
                ),
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
    return ClvResult(by, discount_rate, horizon_years, table, fits, tables, lifetimes, skipped)


def _mean_over_tenures(f, n1: np.ndarray) -> float:
    """Mean of f(tenure) over customers, evaluating f once per distinct tenure."""
    if len(n1) == 0:
        return float("nan")
    ten, counts = np.unique(n1, return_counts=True)
    return float(np.dot([f(int(k)) for k in ten], counts) / counts.sum())


def _group_order(by: str, present: Iterable) -> list:
    vocab = GROUPS.get(by)
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
    derl = derl_values(draws[:, [0]], draws[:, [1]], d, ten[None, :].astype(float), "sum")
    mean_derl = (derl * counts).sum(axis=1) / counts.sum()
    value = rng.normal(margin, margin_se, size=n_draws) * mean_derl
    lo, hi = np.percentile(value, [2.5, 97.5])
    return float(lo), float(hi)
