"""Canonical per-customer features, measured at a reference date.

The churn drivers of RESULTS.md, at reference month `ref` (t0 for churn; the
month of a campaign's start for campaigns): "snapshot" is the row of month
ref−1 (M−12 when ref = t0), the balance trend compares it with month ref−7
(M−18), complaints are those dated in [ref − 12 months, ref). Nothing dated
on or after `ref` enters a feature: no leakage from the outcome window.
The 12 months are `Assumptions.window_months`, the 6 between the snapshots
`Assumptions.churn_history_months`; what counts as unresolved,
`Assumptions.unresolved_days`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.contract import AREAS, SEGMENTS

if TYPE_CHECKING:  # bank.py imports this module: Bank is needed for the hints only
    from analysis.data.bank import Bank

NUMERIC_DRIVERS = [
    "age",
    "tenure_years",
    "products_held",
    "log_total_balance",
    "balance_trend",
    "digital_active",
    "complaints_12m",
    "unresolved_complaint",
    "vip",
    "has_rm",
]
COMPLAINT_DRIVERS = ["complaints_12m", "unresolved_complaint"]
SEGMENT_DUMMIES = [f"segment[{s}]" for s in SEGMENTS[1:]]  # mass is the reference
AREA_DUMMIES = [f"area[{a}]" for a in AREAS[1:]]  # urban is the reference
DRIVER_ORDER = NUMERIC_DRIVERS + SEGMENT_DUMMIES + AREA_DUMMIES


def _log_total_balance(snap: pd.DataFrame) -> pd.Series:
    """ln(1 + deposit + wealth), balances in CNY."""
    # pandas-stubs: a numpy ufunc of a Series is typed as an ndarray; pandas gives a Series
    return np.log1p(snap["deposit_balance"] + snap["wealth_aum"])  # type: ignore[return-value]


def _snapshot(bank: Bank, month: pd.Timestamp) -> pd.DataFrame:
    s = bank.monthly_snapshots
    return s[s["month"] == month].set_index("customer_id")


def complaint_features(
    interactions: pd.DataFrame, ref: pd.Timestamp, customer_ids: pd.Index, assumptions: Assumptions | None = None
) -> pd.DataFrame:
    """complaints_12m and unresolved_complaint at `ref`.

    complaints_12m: complaints dated in [ref − 12 months, ref) (the window's
    length: `assumptions.window_months`).
    unresolved_complaint: 1 when one of those has no resolved_date or was
    resolved more than `assumptions.unresolved_days` (default 30) days after its date.
    """
    a = assumptions if assumptions is not None else Assumptions()
    days = a.unresolved_days
    start = ref - pd.DateOffset(months=a.window_months)
    i = interactions
    c = i[(i["type"] == "complaint") & (i["date"] >= start) & (i["date"] < ref)]
    late = c["resolved_date"].isna() | ((c["resolved_date"] - c["date"]).dt.days > days)
    g = pd.DataFrame({"customer_id": c["customer_id"], "late": late}).groupby("customer_id")
    out = pd.DataFrame({"complaints_12m": g.size(), "unresolved_complaint": g["late"].any().astype(int)}).reindex(
        customer_ids
    )
    return out.fillna(0).astype(int)


def driver_features(
    bank: Bank,
    ref: pd.Timestamp,
    customer_ids: pd.Index | None = None,
    with_complaints: bool | None = None,
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """The churn driver features at reference month `ref`, one row per customer.

    Columns (DRIVER_ORDER): age (years, year(ref) − birth_year); tenure_years
    ((ref − open_date) days ÷ 365.25); products_held, log_total_balance
    (ln(1 + deposit + wealth), CNY) and digital_active (0/1) of the ref−1
    snapshot; balance_trend (log_total_balance at ref−1 minus at ref−7,
    NaN without that snapshot); complaints_12m and unresolved_complaint
    (left out when `with_complaints` is False; by default, when the bank has
    interactions); vip (vip_since before ref); has_rm (rm_id set); dummies
    for segment (mass the reference) and area (urban the reference).

    Customers default to those with a ref−1 snapshot. The months: ref−7 is
    ref−1−`churn_history_months`; the complaints' look-back and unresolved
    days come from `assumptions` (None: the bank's).
    """
    a = assumptions if assumptions is not None else bank.assumptions
    ref = pd.Timestamp(ref)
    snap = _snapshot(bank, ref - pd.DateOffset(months=1))
    prev = _snapshot(bank, ref - pd.DateOffset(months=1 + a.churn_history_months))
    if customer_ids is None:
        customer_ids = snap.index
    ids = pd.Index(customer_ids, name="customer_id")
    c = bank.customers.set_index("customer_id").reindex(ids)
    s = snap.reindex(ids)
    f = pd.DataFrame(index=ids)
    f["age"] = ref.year - c["birth_year"].astype(float)
    f["tenure_years"] = (ref - c["open_date"]).dt.days / 365.25
    f["products_held"] = s["products_held"].astype(float)
    f["log_total_balance"] = _log_total_balance(s)
    f["balance_trend"] = f["log_total_balance"] - _log_total_balance(prev.reindex(ids))
    f["digital_active"] = s["digital_active"].astype(float)
    interactions = bank.interactions
    if with_complaints is None:
        with_complaints = interactions is not None
    if with_complaints:
        if interactions is None:
            raise ValueError("complaint features need the interactions table, which the branch does not have")
        comp = complaint_features(interactions, ref, ids, a)
        f["complaints_12m"] = comp["complaints_12m"].astype(float)
        f["unresolved_complaint"] = comp["unresolved_complaint"].astype(float)
    f["vip"] = (c["vip_since"] < ref).astype(float)
    f["has_rm"] = c["rm_id"].notna().astype(float)
    for seg in SEGMENTS[1:]:
        f[f"segment[{seg}]"] = (c["segment"] == seg).astype(float)
    for area in AREAS[1:]:
        f[f"area[{area}]"] = (c["area"] == area).astype(float)
    return f


def customer_features(bank: Bank) -> pd.DataFrame:
    """Driver features of the churn cohort's reference date (t0) for every
    customer with a snapshot in month M−12: the canonical feature table
    (under the bank's assumptions)."""
    return driver_features(bank, bank.timeframe.t0, assumptions=bank.assumptions)
