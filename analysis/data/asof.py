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
"""

from __future__ import annotations

from typing import Mapping

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


def as_known_at(tables: Mapping[str, pd.DataFrame], tf: Timeframe) -> dict[str, pd.DataFrame]:
    """The tables as they stood at `tf.as_of` (end of day)."""
    end = tf.as_of + pd.Timedelta(days=1)  # exclusive: every time on as_of counts
    out = dict(tables)

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
    return out
