"""The plan's rows that come from the branch's own evidence rather than from a
campaign: retention of at-risk high-value customers, complaint closure,
digital onboarding, a pricing review, relationship-manager coverage of the
top 20 %. The rules are written out in `analysis.questions.plan`'s notes.

No row here claims a profit: the churn model's odds ratios say who leaves
more often, not how much a visit, a call or a login would change that; the
row's KPI measures it. `value_at_stake` (the customers' own 12-month profit)
ranks them, and is never called the action's profit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.features import driver_features
from analysis.questions.plan_campaigns import Action, people_frame

#: CNY per contacted customer, by channel: an hour of a relationship
#: manager's time (about 150,000 CNY a year ÷ 1,900 hours), ten minutes of a
#: service agent's call, a quarter of an hour of outlet staff at the counter
#: with a small welcome gift; a pricing review is internal work (no cost
#: beyond the staff's time, counted as 0).
UNIT_COSTS: dict[str, float] = {"rm": 80.0, "phone": 10.0, "outlet": 30.0, "digital": 2.0, "review": 0.0}
TARGET_IMPROVEMENT = 0.25
"""A target: a share that should rise closes this part of its gap to 100 %;
a rate that should fall drops by this part of itself."""
PRICE_REASONS = ("fees", "competitor_offer")
"""Close reasons that are about price: our fees, a rival's better rate."""
#: Churn drivers whose risky state names customers a visit can address:
#: driver → direction of the odds ratio that makes the state risky (+1: above
#: 1, -1: below 1) and the state.
RISK_STATES: dict[str, int] = {
    "unresolved_complaint": +1,
    "complaints_12m": +1,
    "digital_active": -1,
    "products_held": -1,
    "balance_trend": -1,
    "has_rm": -1,
    "segment[affluent]": +1,
    "segment[high_net_worth]": +1,
    "segment[sme]": +1,
}
BALANCE_DROP = math.log(0.8)
"""balance_trend at or below this: balances fell by a fifth or more in six months."""


def significant_drivers(churn: Mapping | None, alpha: float) -> dict[str, Mapping]:
    """Drivers of the churn section with p < alpha."""
    if not isinstance(churn, Mapping) or churn.get("status") != "ok":
        return {}
    out = {}
    for k, d in (churn.get("drivers") or {}).items():
        p = d.get("p_value") if isinstance(d, Mapping) else None
        if isinstance(p, (int, float)) and p < alpha and isinstance(d.get("odds_ratio"), (int, float)):
            out[k] = d
    return out


def risky(key: str, x: pd.Series) -> pd.Series:
    """Customers in the risky state of driver `key` (bool), for a driver of RISK_STATES."""
    if key in ("digital_active", "has_rm"):
        return x < 0.5
    if key == "unresolved_complaint" or key.startswith("segment["):
        return x >= 0.5
    if key == "complaints_12m":
        return x >= 1
    if key == "products_held":
        return x < x.median()
    if key == "balance_trend":
        return x <= BALANCE_DROP
    raise KeyError(key)


def _improve(baseline: float | None, up: bool) -> float | None:
    if baseline is None or not math.isfinite(baseline):
        return None
    return baseline + TARGET_IMPROVEMENT * (1 - baseline) if up else baseline * (1 - TARGET_IMPROVEMENT)


def plan_basis(bank: Bank, people: pd.DataFrame, base: pd.DataFrame, a: Assumptions) -> dict:
    """The branch's own current figures the plan's KPIs start from (shares 0–1,
    CNY), kept in the plan section as `plan.basis` so that a row can cite them.

    leaver_reasons: share of each close_reason among customers closed in the
    window; complaints_resolved_share: the window's complaints resolved
    within `unresolved_days`; digital_active_share: active customers
    digital-active in month M; top20_churn_rate: the top ⌈top_share n⌉ of the
    value base by revenue_12m that closed in the window; yearly_profit:
    Σ revenue_12m of the value base.
    """
    tf = bank.timeframe
    c = bank.customers
    out: dict = {"yearly_profit": float(base["revenue_12m"].sum())}
    left = c[tf.in_window(c["close_date"]).fillna(False).astype(bool)]
    if len(left):
        out["leaver_reasons"] = {
            str(k): float(v) for k, v in left["close_reason"].astype(object).value_counts(normalize=True).items()
        }
        out["leavers"] = int(len(left))
    if bank.interactions is not None:
        i = bank.interactions
        comp = i[(i["type"] == "complaint") & tf.in_window(i["date"])]
        if len(comp):
            late = comp["resolved_date"].isna() | ((comp["resolved_date"] - comp["date"]).dt.days > a.unresolved_days)
            out["complaints_resolved_share"] = float(1 - late.mean())
    s = bank.monthly_snapshots
    now = s[(s["month"] == tf.M) & s["customer_id"].isin(people.index)]
    if len(now):
        out["digital_active_share"] = float(now["digital_active"].astype(float).mean())
    n_top = math.ceil(a.top_share * len(base))
    if n_top:
        top = base.sort_values(["revenue_12m", "customer_id"], ascending=[False, True]).head(n_top)["customer_id"]
        closed = c.set_index("customer_id")["close_date"].reindex(top)
        out["top20_churn_rate"] = float(tf.in_window(closed).fillna(False).mean())
    return out


def late_complainers(bank: Bank, ids: pd.Index, days: int) -> pd.Index:
    """Customers of `ids` with a complaint in the 12 months to as_of that is
    unresolved or was resolved more than `days` days after it was made."""
    tf = bank.timeframe
    i = bank.interactions
    start = tf.month(-1) - pd.DateOffset(months=tf.window_months)
    c = i[(i["type"] == "complaint") & (i["date"] >= start) & (i["date"] <= tf.as_of)]
    late = c["resolved_date"].isna() | ((c["resolved_date"] - c["date"]).dt.days > days)
    return pd.Index(sorted(set(c.loc[late, "customer_id"]) & set(ids)), name="customer_id")


def evidence_actions(
    bank: Bank,
    people: pd.DataFrame,
    top: pd.Index,
    sections: Mapping[str, Mapping],
    basis: dict,
    a: Assumptions,
    quarter: tuple[pd.Timestamp, pd.Timestamp],
) -> list[Action]:
    """The non-campaign rows (module notes). `people`: active customers
    (index customer_id; tier, segment, rm_id, revenue_12m); `top`: the
    active customers of the top share by revenue_12m."""
    q0 = quarter[0]
    month = [
        q0 + pd.DateOffset(months=k) + pd.offsets.MonthEnd(0) for k in (0, 1, 2)
    ]  # last days of the quarter's months
    churn = sections.get("churn")
    sig = significant_drivers(churn, a.alpha)
    rows: list[Action] = []
    feats = None
    if sig:
        ref = bank.timeframe.month(-1)  # features as of today: snapshot of month M
        feats = driver_features(bank, ref, people.index, with_complaints=bank.interactions is not None)

    def row(action_id, topic, action, owner, end, ids, channel, kpi, baseline, up, evidence, **kw) -> Action:
        ids = list(ids)
        return Action(
            action_id=action_id,
            topic=topic,
            action=action,
            owner_role=owner,
            start=q0,
            end=end,
            people=people_frame(ids, channel),
            unit_cost=UNIT_COSTS,
            kpi=kpi,
            baseline=baseline,
            target=_improve(baseline, up),
            evidence=evidence,
            value_at_stake=float(people["revenue_12m"].reindex(ids).fillna(0).sum()),
            **kw,
        )

    # relationship-manager coverage of the top 20 %: before the retention visits (an introduction covers both)
    rm = sections.get("relationship_managers")
    covered: set = set()
    if isinstance(rm, Mapping) and rm.get("status") == "ok" and (rm.get("proposed_assignments") or 0) > 0:
        uncovered = people.loc[people.index.isin(top) & people["rm_id"].isna()]
        ids = list(uncovered.sort_values("revenue_12m", ascending=False).index[: int(rm["proposed_assignments"])])
        d = (churn or {}).get("drivers", {}).get("has_rm") if isinstance(churn, Mapping) else None
        why = "churn_effect" if "has_rm" in sig and sig["has_rm"]["odds_ratio"] < 1 else "value_protected"
        ev = ["relationship_managers.coverage_top20", "relationship_managers.proposed_assignments"]
        ev += ["churn.drivers.has_rm"] if isinstance(d, Mapping) else []
        if ids:
            base, after = rm.get("coverage_top20"), rm.get("coverage_top20_after")
            r = row(
                "rm-coverage",
                "relationship",
                "rm_coverage",
                "rm_team_lead",
                month[0],
                ids,
                "rm",
                "coverage_top20",
                base,
                True,
                ev,
                details={"why": why},
            )
            if isinstance(after, (int, float)):
                r.target = float(after)
            elif isinstance(base, (int, float)) and rm.get("top20_customers"):
                r.target = min(1.0, base + len(ids) / rm["top20_customers"])
            rows.append(r)
            covered = set(ids)

    # retention visits to at-risk high-value customers, on the significant drivers only
    used = {k: d for k, d in sig.items() if k in RISK_STATES and np.sign(math.log(d["odds_ratio"])) == RISK_STATES[k]}
    if feats is not None and used:
        f = feats.reindex(top)
        flags = pd.DataFrame({k: risky(k, f[k].astype(float)) for k in used if k in f.columns}, index=f.index)
        at_risk = flags.index[flags.any(axis=1)].difference(pd.Index(list(covered)))
        if len(at_risk):
            ev = [f"churn.drivers.{k}" for k in flags.columns] + ["plan.basis.top20_churn_rate"]
            counts = {k: int(flags.loc[at_risk, k].sum()) for k in flags.columns}
            rows.append(
                row(
                    "retention-top20",
                    "churn",
                    "retention_visit",
                    "rm_team_lead",
                    month[1],
                    at_risk,
                    "rm",
                    "top20_churn_rate",
                    basis.get("top20_churn_rate"),
                    False,
                    ev,
                    details={"drivers": counts},
                )
            )

    # complaint closure: complaints drive leaving here
    comp = [k for k in ("unresolved_complaint", "complaints_12m") if k in used]
    if comp and bank.interactions is not None:
        ids = late_complainers(bank, people.index, a.unresolved_days)
        if len(ids):
            ev = [f"churn.drivers.{k}" for k in comp] + ["plan.basis.complaints_resolved_share"]
            rows.append(
                row(
                    "complaint-closure",
                    "satisfaction",
                    "complaint_closure",
                    "operations_lead",
                    month[2],
                    ids,
                    "phone",
                    "complaints_resolved_share",
                    basis.get("complaints_resolved_share"),
                    True,
                    ev,
                    details={"unresolved_days": a.unresolved_days},
                )
            )

    # digital onboarding: digital activity keeps customers here
    if "digital_active" in used and feats is not None:
        ids = feats.index[feats["digital_active"] < 0.5]
        if len(ids):
            ev = ["churn.drivers.digital_active", "plan.basis.digital_active_share"]
            rows.append(
                row(
                    "digital-onboarding",
                    "churn",
                    "digital_onboarding",
                    "outlet_manager",
                    month[2],
                    ids,
                    "outlet",
                    "digital_active_share",
                    basis.get("digital_active_share"),
                    True,
                    ev,
                )
            )

    # pricing review: price is the first reason for leaving
    reasons = basis.get("leaver_reasons") or {}
    if reasons and max(reasons, key=lambda r: (reasons[r], r)) in PRICE_REASONS:
        top_reason = max(reasons, key=lambda r: (reasons[r], r))
        share = float(sum(reasons.get(r, 0.0) for r in PRICE_REASONS))
        ev = [f"plan.basis.leaver_reasons.{top_reason}"]
        sat = sections.get("satisfaction")
        if isinstance(sat, Mapping) and isinstance((sat.get("cs_gap") or {}).get("fees_value"), (int, float)):
            ev.append("satisfaction.cs_gap.fees_value")
        r = row(
            "pricing-review",
            "churn",
            "pricing_review",
            "head_of_retail",
            month[1],
            [],
            "review",
            "leavers_price_share",
            share,
            False,
            ev,
            details={"top_reason": top_reason},
        )
        tf = bank.timeframe
        c = bank.customers
        gone = c[tf.in_window(c["close_date"]).fillna(False).astype(bool) & c["close_reason"].isin(PRICE_REASONS)]
        base = bank.monthly_snapshots
        rev = base[tf.in_window(base["month"]) & base["customer_id"].isin(gone["customer_id"])]["revenue"].sum()
        r.value_at_stake = float(rev)
        rows.append(r)
    return rows
