"""The bank as it stood at the end of an earlier month (`--as-of`).

Rerunning "as of last quarter" on this quarter's extract must give last
quarter's figures, so every row dated after as_of is set aside and every
state that changed after it is undone, as far as the tables record it:

- monthly_snapshots after M, transactions, interactions, surveys and the
  market tables dated after as_of, and campaigns starting after it (with
  their contacts) are dropped;
- customers who opened after as_of are dropped (with their rows);
- a close_date after as_of was still in the future: the customer is active
  (close_date, close_reason and destination_bank cleared);
- a vip_since after as_of: the customer was not yet VIP (tier `none`);
- a resolved_date after as_of: the case was still open.

Not undone, because the tables keep no date or history for them: a campaign
response that came after as_of (within 90 days of the campaign's end), and a
customer's segment, area, relationship manager or VIP tier that changed
before as_of. Without `--as-of` nothing is changed.

A table that had rows and lost every one of them to the cut is recorded in
`KnownTables.set_aside` (table → why): it was supplied, but nothing of it
existed yet at as_of ("all campaigns start after 2024-03"), which is not
the same as not being supplied. A branch load keeps the record in
`Bank.options["set_aside"]` (`Bank.set_aside`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.data.timeframe import Timeframe

# table → its date column: rows after as_of are dropped
DATED = {
    "transactions": "ts",
    "interactions": "date",
    "surveys": "survey_date",
    "market_survey": "survey_date",
    "market_share": "period",
    "campaigns": "start_date",
}


# What each table's rows are, in the words of a reason (`SetAside.reason`).
_ROWS = {
    "customers": "customers opened",
    "monthly_snapshots": "snapshot months are",
    "transactions": "transactions are dated",
    "interactions": "interactions are dated",
    "surveys": "survey responses are dated",
    "market_survey": "market survey answers are dated",
    "market_share": "market share periods end",
    "campaigns": "campaigns start",
}


class KnownTables(dict):  # type: ignore[type-arg]
    """The tables as they stood at as_of (a dict, table → DataFrame), and
    `set_aside`: table → {"reason", "column", "after", "rows"} for every
    table that had rows and lost them all to the cut."""

    set_aside: dict[str, dict[str, Any]]


def _set_aside(name: str, before: int, tf: Timeframe, out: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    month = f"{tf.M:%Y-%m}"
    column = DATED.get(name, {"customers": "open_date", "monthly_snapshots": "month"}.get(name))
    if name in _ROWS:
        reason = f"all {_ROWS[name]} after {month}"
    elif name == "campaign_contacts" and out.get("campaigns") is not None and len(out["campaigns"]) == 0:
        reason, column = f"all {_ROWS['campaigns']} after {month}", "campaign_id"
    else:
        reason = f"all its rows are of customers or campaigns that came after {month}"
    return {"reason": reason, "column": column, "after": f"{tf.as_of:%Y-%m-%d}", "rows": before}


def as_known_at(tables: Mapping[str, pd.DataFrame], tf: Timeframe) -> KnownTables:
    """The tables as they stood at `tf.as_of` (end of day); `.set_aside`
    names the tables that had rows and have none left."""
    end = tf.as_of + pd.Timedelta(days=1)  # exclusive: every time on as_of counts
    out = dict(tables)
    before = {name: len(df) for name, df in out.items() if df is not None}

    def keep(name: str, mask: pd.Series) -> None:
        out[name] = out[name] if bool(mask.all()) else out[name][mask].reset_index(drop=True)

    if out.get("customers") is not None:
        c = out["customers"]
        keep("customers", c["open_date"] < end)
        c = out["customers"].copy()
        later = c["close_date"] >= end
        if later.any():
            c.loc[later, "close_date"] = pd.NaT
            for col in ("close_reason", "destination_bank"):
                if col in c:
                    c.loc[later, col] = None
        if "vip_since" in c:
            not_yet = c["vip_since"] >= end
            if not_yet.any():
                c.loc[not_yet, "vip_tier"] = "none"
                c.loc[not_yet, "vip_since"] = pd.NaT
        out["customers"] = c
    if out.get("monthly_snapshots") is not None:
        keep("monthly_snapshots", out["monthly_snapshots"]["month"] <= tf.M)
    for name, col in DATED.items():
        if out.get(name) is not None and col in out[name]:
            keep(name, out[name][col] < end)
    if out.get("interactions") is not None and "resolved_date" in out["interactions"]:
        i = out["interactions"]
        later = i["resolved_date"] >= end
        if later.any():
            i = i.copy()
            i.loc[later, "resolved_date"] = pd.NaT
            if "resolution_score" in i:
                i.loc[later, "resolution_score"] = float("nan")
            out["interactions"] = i
    # rows of customers or campaigns that did not exist yet
    ids = out["customers"]["customer_id"] if out.get("customers") is not None else None
    for name in ("monthly_snapshots", "transactions", "interactions", "surveys", "campaign_contacts"):
        if ids is not None and out.get(name) is not None and "customer_id" in out[name]:
            cid = out[name]["customer_id"]
            keep(name, cid.isin(ids) | cid.isna())  # anonymous survey answers stay
    if out.get("campaign_contacts") is not None and out.get("campaigns") is not None:
        keep("campaign_contacts", out["campaign_contacts"]["campaign_id"].isin(out["campaigns"]["campaign_id"]))
    known = KnownTables(out)
    known.set_aside = {
        name: _set_aside(name, n, tf, out)
        for name, n in before.items()
        if n > 0 and out.get(name) is not None and len(out[name]) == 0
    }
    return known
