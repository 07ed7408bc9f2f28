"""Who counts: the customer sets that RESULTS.md defines once and every
section reuses (churn cohort, active customers, the value base).
"""

from __future__ import annotations

import pandas as pd

from analysis.data.bank import Bank


def customers_with_snapshot(bank: Bank, month: pd.Timestamp) -> pd.Index:
    """customer_ids with a snapshot row in `month` (first of month)."""
    s = bank.monthly_snapshots
    return pd.Index(s.loc[s["month"] == month, "customer_id"].unique())


def churn_cohort(bank: Bank) -> pd.DataFrame:
    """The churn cohort at t0 and who of it churned in the window.

    Cohort: customers with a snapshot in month M−12 and in month M−18, and
    no close_date before t0. Churned: close_date within the window (t0 …
    as_of). Columns: customer_id, close_date, churned (bool). With other
    assumptions: M−window_months and M−window_months−churn_history_months.
    """
    tf = bank.timeframe
    both = customers_with_snapshot(bank, tf.before).intersection(customers_with_snapshot(bank, history_month(bank)))
    c = bank.customers
    c = c[c["customer_id"].isin(both)]
    c = c[~(c["close_date"] < tf.t0)]
    out = c[["customer_id", "close_date"]].copy()
    out["churned"] = tf.in_window(out["close_date"]).fillna(False).astype(bool)
    return out.reset_index(drop=True)


def history_month(bank: Bank) -> pd.Timestamp:
    """The month a churn-cohort customer must also have a snapshot in: M−18
    (M−window_months−churn_history_months)."""
    return bank.timeframe.month(bank.timeframe.window_months + bank.assumptions.churn_history_months)


def active_customer_ids(bank: Bank) -> pd.Index:
    """Customers with a snapshot in month M and no close_date ≤ as_of."""
    tf = bank.timeframe
    ids = customers_with_snapshot(bank, tf.M)
    c = bank.customers
    closed = set(c.loc[c["close_date"] <= tf.as_of, "customer_id"])
    active: pd.Index = pd.Index([i for i in ids if i not in closed], name="customer_id")
    return active


def customers_active_at_t0(bank: Bank) -> pd.Index:
    """Customers with a snapshot in month M−12 (M−window_months) and no close_date before t0."""
    tf = bank.timeframe
    ids = customers_with_snapshot(bank, tf.before)
    c = bank.customers
    closed = set(c.loc[c["close_date"] < tf.t0, "customer_id"])
    active: pd.Index = pd.Index([i for i in ids if i not in closed], name="customer_id")
    return active


def window_revenue(bank: Bank, first: pd.Timestamp, last: pd.Timestamp) -> pd.Series:
    """Revenue per customer summed over months first … last (inclusive), CNY.

    Only customers with at least one snapshot in those months appear.
    """
    s = bank.monthly_snapshots
    s = s[(s["month"] >= first) & (s["month"] <= last)]
    return s.groupby("customer_id", sort=False)["revenue"].sum()


def value_base(bank: Bank) -> pd.DataFrame:
    """Customers of the branch with any snapshot in the window, and their
    revenue_12m: revenue summed over months M−11 … M (the window), in CNY."""
    tf = bank.timeframe
    rev = window_revenue(bank, tf.t0, tf.M)
    return rev.rename("revenue_12m").rename_axis("customer_id").reset_index()
