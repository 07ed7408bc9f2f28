"""What the branch does next quarter, per customer tier: the seed's 按类制定营销计划
and its VIP service system, made from this branch's own figures by stated rules.

    section = build_plans(bank, churn_section, campaign_section, risk, proposal)
    describe_plans(section, "zh")

**Tiers** (every active customer is in exactly one, so budgets add up): the
VIP tiers `diamond`, `platinum`, `gold` (current vip_tier: the VIP service
system is per tier), and the customers who are not VIP by value tier of
`analysis.value` (`top20`, `next30`, `middle20`, `bottom30`: rank by
revenue_12m over the value base, ties by customer_id).

**Rules** (all numbers from the branch's sections; the thresholds are module
constants):

* *Offers* — per campaign kind, the balance effect per invitation measured in
  the `campaigns` section (randomized: the ITT per treated contact; targeted:
  the adjusted ATT × the share of invited who took part; several campaigns of
  a kind pooled by inverse variance). Evidence: `proven` (95 % interval above
  0), `promising` (estimate > 0, interval includes 0), `no_effect` (estimate
  ≤ 0), `unmeasured` (no adjusted estimate). Campaigns to `stop` (their
  verdict) are not pooled with the others of their kind, and a seasonal
  campaign (`analysis.questions.seasons`) whose season misses next quarter is
  left out. A tier was *reached* by a kind
  when ≥ `MIN_TIER_INVITES` of its customers were invited. Then: proven,
  reached and every campaign of the kind `grow` → `offer` to the whole tier
  without a holdout (at most the largest number ever invited to that kind:
  what the branch has shown it can run); proven and reached but not `grow` →
  `keep`: repeated with a `HOLDOUT` random holdout; proven, not
  reached, and the cost per invitation ≤ the tier's median yearly profit →
  `pilot` on `PILOT_SIZE` customers with a `HOLDOUT` random holdout;
  promising or unmeasured and reached (and affordable) → `test` again with a
  holdout; no effect and reached → `stop` (the cost it would take is saved).
  A VIP tier's standing services (`VIP_SERVICES`) are never offered or
  tested on it again (only stopped, when they show no effect).
* *Contact rhythm* — the base rhythm of `RHYTHM` (contacts a quarter, channel,
  greetings), one more contact a quarter when the tier's mean predicted
  churn is ≥ `RISK_UP` × the branch's; at-risk customers (p_churn ≥ the
  branch mean) of every tier with contacts get a revisit (定期回访) within
  the quarter (a tier without contacts gets none: one instruction a group). The
  current rhythm (greetings and visits a customer a quarter, from
  interactions) is shown beside it. A measured `birthday_greeting` with no
  effect drops the birthday greeting from the plan.
* *Retention actions* — the churn drivers the branch can act on that are
  reliable (p < 0.05) and point the way the action assumes; per tier ranked
  by how much they push the tier's odds of leaving above the branch's
  average customer (ln OR × (tier mean − branch mean)); at most three with a
  positive push, else the strongest one to maintain; a VIP upgrade review
  only for the non-VIP top 20 % and next 30 %, a manager only for the VIP
  tiers and those two (`ACTION_SCOPE`). Each names the customers of the
  tier in the risky state.
* *Budget and expected return* — budget = cost per invitation (campaign cost
  ÷ invitations) × planned invitations of offers, tests and pilots (CNY);
  expected_return = planned invitations × measured effect per invitation:
  the extra deposits + wealth (CNY) three months after, with a 95 % interval
  (independent kinds combined in quadrature). It is volume (balances), not
  profit, and is worded so. The relationship managers'
  time is not costed (no data on it).

The measured effects are averages over the customers each campaign reached;
applying them to a tier assumes the tier responds alike — pilots and tests
exist to check exactly that.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np
import pandas as pd

from analysis.figures import style as plots
from analysis import sections
from analysis.words.format import money, money_unit
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, value_base
from analysis.data.features import driver_features
from analysis.words.glossary import term
from analysis.questions.seasons import in_season, season_of
from analysis.questions.verdicts import VERDICTS, campaign_verdict, evidence_of
from analysis.questions.value import rank_by_revenue, tier_of_rank

VIP_PLAN_TIERS = ("diamond", "platinum", "gold")
VALUE_PLAN_TIERS = ("top20", "next30", "middle20", "bottom30")
PLAN_TIERS = VIP_PLAN_TIERS + VALUE_PLAN_TIERS

MIN_TIER_INVITES = 30  # invitations from a tier before a campaign counts as tried on it
PILOT_SIZE = 100  # customers of a pilot (before holdout)
HOLDOUT = 0.2  # share held out at random in pilots and tests
RISK_UP = 1.25  # tier's mean p_churn ÷ branch mean at which the rhythm steps up
MAX_ACTIONS = 3
Z = 1.959964
BALANCE_DROP = math.log(0.8)  # balance_trend at or below: balances fell by ≥ 20 % in six months

#: Base contact rhythm per tier: contacts a quarter, channel, greetings.
RHYTHM: dict[str, dict] = {
    "diamond": {"contacts": 3, "channel": "rm_visit", "greetings": ("birthday", "festival")},
    "platinum": {"contacts": 2, "channel": "rm_visit", "greetings": ("birthday", "festival")},
    "gold": {"contacts": 1, "channel": "rm_visit", "greetings": ("birthday", "festival")},
    "top20": {"contacts": 1, "channel": "rm_call", "greetings": ("birthday", "festival")},
    "next30": {"contacts": 1, "channel": "phone", "greetings": ("festival",)},
    "middle20": {"contacts": 1, "channel": "digital", "greetings": ("festival",)},
    "bottom30": {"contacts": 0, "channel": "digital", "greetings": ()},
}
RM_CHANNELS = ("rm_visit", "rm_call")

#: The seed's VIP service system: standing services per tier (not campaigns with a holdout).
VIP_SERVICES: dict[str, tuple[str, ...]] = {
    "diamond": ("green_channel", "birthday_greeting", "health_check", "hospital_visit", "magazine"),
    "platinum": ("green_channel", "birthday_greeting", "health_check", "magazine"),
    "gold": ("birthday_greeting", "magazine"),
}

#: Actionable churn driver → (action, direction of the odds ratio the action assumes: -1 protective, +1 risk).
ACTIONS: dict[str, tuple[str, int]] = {
    "digital_active": ("digital_onboarding", -1),
    "unresolved_complaint": ("complaint_closure", +1),
    "complaints_12m": ("complaint_follow_up", +1),
    "products_held": ("cross_sell", -1),
    "balance_trend": ("balance_drop_alert", -1),
    "has_rm": ("assign_rm", -1),
    "vip": ("vip_upgrade_review", -1),
}
#: Actions that only make sense for some tiers (the rest: every tier). A VIP
#: upgrade or a manager for customers who earn the branch little is not a plan.
ACTION_SCOPE: dict[str, tuple[str, ...]] = {
    "vip_upgrade_review": ("top20", "next30"),
    "assign_rm": ("diamond", "platinum", "gold", "top20", "next30"),
}


# ---------------------------------------------------------------------------
# Tiers and their profiles


def plan_tiers(bank: Bank) -> pd.DataFrame:
    """Active customers with their plan tier (index customer_id).

    Columns: tier (PLAN_TIERS), value_tier (of `analysis.value`), vip_tier,
    revenue_12m (CNY), rm_id.
    """
    base = rank_by_revenue(value_base(bank))
    base["value_tier"] = tier_of_rank(base["rank"].to_numpy(), len(base))
    base = base.set_index("customer_id")
    active = active_customer_ids(bank)
    c = bank.customers.set_index("customer_id").reindex(active)
    out = pd.DataFrame(index=active)
    out["value_tier"] = base["value_tier"].reindex(active)
    out["vip_tier"] = c["vip_tier"].astype(object).fillna("none")
    out["revenue_12m"] = base["revenue_12m"].reindex(active).fillna(0.0)
    out["rm_id"] = c["rm_id"]
    out["tier"] = out["vip_tier"].where(out["vip_tier"].isin(VIP_PLAN_TIERS), out["value_tier"])
    return out[["tier", "value_tier", "vip_tier", "revenue_12m", "rm_id"]]


def tier_profiles(bank: Bank, tiers: pd.DataFrame, risk=None, proposal=None) -> pd.DataFrame:
    """Per plan tier (index PLAN_TIERS present): customers, revenue_12m (sum,
    CNY), median_revenue (CNY a customer a year), top20 (customers in the top
    20 %), rm_share (with a manager), p_churn (mean predicted 12-month churn;
    NaN without the model), at_risk (p_churn ≥ the branch mean),
    revenue_at_risk (Σ p × revenue, CNY), contacts_per_quarter (greetings and
    visits dated in the window ÷ customers ÷ 4; NaN without interactions),
    to_assign (customers the manager proposal assigns)."""
    t = tiers.copy()
    if risk is not None and len(risk.p_churn):
        t["p_churn"] = risk.p_churn.reindex(t.index)
        t["at_risk"] = risk.at_risk(t.index).to_numpy()
    else:
        t["p_churn"], t["at_risk"] = np.nan, False
    g = t.groupby("tier")
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "revenue_12m": g["revenue_12m"].sum(),
            "median_revenue": g["revenue_12m"].median(),
            "top20": g["value_tier"].apply(lambda v: int((v == "top20").sum())),
            "rm_share": g["rm_id"].apply(lambda v: float(v.notna().mean())),
            "p_churn": g["p_churn"].mean(),
            "at_risk": g["at_risk"].sum().astype(int),
            "revenue_at_risk": (t["p_churn"] * t["revenue_12m"]).groupby(t["tier"]).sum(min_count=1),
        }
    )
    if bank.interactions is not None:
        i = bank.interactions
        i = i[i["type"].isin(["greeting", "visit"]) & bank.timeframe.in_window(i["date"])]
        n = i[i["customer_id"].isin(t.index)].groupby("customer_id").size()
        per = n.reindex(t.index).fillna(0).groupby(t["tier"]).sum()
        out["contacts_per_quarter"] = per / out["customers"] / 4
    else:
        out["contacts_per_quarter"] = np.nan
    out["to_assign"] = 0
    if proposal is not None and proposal.n:
        got = t["tier"].reindex(proposal.assignments["customer_id"]).value_counts()
        out["to_assign"] = got.reindex(out.index).fillna(0).astype(int)
    return out.reindex([k for k in PLAN_TIERS if k in out.index])


# ---------------------------------------------------------------------------
# Campaign evidence


def _campaign_figures(section: Mapping | None) -> dict[str, Mapping]:
    """campaign_id → figures, from a campaigns section (ok) or {}."""
    if not section or section.get("status") != "ok":
        return {}
    return {k: v for k, v in section.items() if isinstance(v, Mapping) and "design" in v}


def _verdict(f: Mapping) -> str:
    v = f.get("verdict")
    return v if v in VERDICTS else campaign_verdict(f)


def campaign_evidence(
    section: Mapping | None,
    campaigns: pd.DataFrame | None,
    contacts: pd.DataFrame | None,
    tiers: pd.DataFrame,
    period: Mapping | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per kind, invitations per tier and kind).

    Per kind (index kind): campaigns (ids), designs, invited (treatment contacts),
    max_invited (largest single campaign), cost (CNY), cost_per_invite,
    participation, effect / ci_low / ci_high (CNY of balance per invitation,
    pooled), evidence, grow (every campaign of the kind has verdict grow).
    Invitations per tier: rows tier, columns kind (active customers invited,
    treatment group). Campaigns to stop are left out of a kind that has
    others; with `period` ({start, end}), so are seasonal campaigns whose
    season misses it.
    """
    figs = _campaign_figures(section)
    cols = [
        "campaigns",
        "designs",
        "invited",
        "max_invited",
        "cost",
        "cost_per_invite",
        "participation",
        "effect",
        "ci_low",
        "ci_high",
        "evidence",
        "grow",
    ]
    if not figs or campaigns is None or contacts is None:
        return pd.DataFrame(columns=cols), pd.DataFrame()
    camp = campaigns.set_index("campaign_id")
    rows = []
    treated = contacts[contacts["group"] == "treatment"]
    for cid, f in figs.items():
        if cid not in camp.index:
            continue
        name = camp.at[cid, "name"] if "name" in camp.columns else None
        if period and not in_season(season_of(name, camp.at[cid, "kind"]), period["start"], period["end"]):
            continue
        tc = treated[treated["campaign_id"] == cid]
        invited = len(tc)
        if invited == 0:
            continue
        took = float(tc["participated"].mean())
        e = f.get("balance_effect")
        if f["design"] == "targeted" and e:  # ATT per participant → per invitation
            e = {k: e[k] * took for k in ("estimate", "ci_low", "ci_high")}
        rows.append(
            {
                "campaign_id": cid,
                "kind": str(camp.at[cid, "kind"]),
                "design": str(f["design"]),
                "invited": invited,
                "cost": float(camp.at[cid, "cost"]),
                "participated": took * invited,
                "effect": None if not e else e["estimate"],
                "se": None if not e else (e["ci_high"] - e["ci_low"]) / (2 * Z),
                "verdict": _verdict(f),
            }
        )
    if not rows:
        return pd.DataFrame(columns=cols), pd.DataFrame()
    per = pd.DataFrame(rows)
    # a campaign to stop is not run again: it leaves the pool of a kind that has others
    keep = (per["verdict"] != "stop") | ~per.groupby("kind")["verdict"].transform(lambda v: (v != "stop").any())
    per = per[keep]
    kinds = {}
    for kind, g in per.groupby("kind", sort=True):
        m = g.dropna(subset=["effect"])
        m = m[m["se"] > 0]
        if len(m):
            w = 1 / m["se"] ** 2
            est, se = float((w * m["effect"]).sum() / w.sum()), float(np.sqrt(1 / w.sum()))
            eff = {"estimate": est, "ci_low": est - Z * se, "ci_high": est + Z * se}
        else:
            eff = None
        kinds[kind] = {
            "campaigns": sorted(g["campaign_id"]),
            "designs": sorted(set(g["design"])),
            "invited": int(g["invited"].sum()),
            "max_invited": int(g["invited"].max()),
            "cost": float(g["cost"].sum()),
            "cost_per_invite": float(g["cost"].sum() / g["invited"].sum()),
            "participation": float(g["participated"].sum() / g["invited"].sum()),
            "effect": None if eff is None else eff["estimate"],
            "ci_low": None if eff is None else eff["ci_low"],
            "ci_high": None if eff is None else eff["ci_high"],
            "evidence": evidence_of(eff),
            "grow": bool((g["verdict"] == "grow").all()),
        }
    by_kind = pd.DataFrame.from_dict(kinds, orient="index")[cols]
    tc = treated[treated["campaign_id"].isin(per["campaign_id"])].copy()
    tc["kind"] = tc["campaign_id"].map(per.set_index("campaign_id")["kind"])
    tc["tier"] = tiers["tier"].reindex(tc["customer_id"]).to_numpy()
    reach = pd.crosstab(tc["tier"], tc["kind"]) if tc["tier"].notna().any() else pd.DataFrame()
    return by_kind, reach


def _offer(kind: str, ev: Mapping, action: str, invites: int, tier_invited: int) -> dict:
    cost = ev["cost_per_invite"] * invites
    measured = ev["effect"] is not None and not pd.isna(ev["effect"])
    exp = None
    if measured and action != "stop":
        exp = sections.estimate(ev["effect"] * invites, ev["ci_low"] * invites, ev["ci_high"] * invites)
    return {
        "kind": kind,
        "action": action,
        "evidence": ev["evidence"],
        "campaigns": list(ev["campaigns"]),
        "designs": list(ev["designs"]),
        "invitations": int(invites),
        "holdout": HOLDOUT if action in ("pilot", "test", "keep") else 0.0,
        "cost_per_invite": float(ev["cost_per_invite"]),
        "budget": float(cost) if action != "stop" else 0.0,
        "saved": float(ev["cost_per_invite"] * tier_invited) if action == "stop" else 0.0,
        "effect_per_invite": sections.estimate(ev["effect"], ev["ci_low"], ev["ci_high"]) if measured else None,
        "expected_return": exp,
        "tier_invited_before": int(tier_invited),
    }


def offers_for_tier(
    tier: str, customers: int, median_revenue: float, by_kind: pd.DataFrame, reach: pd.DataFrame
) -> list[dict]:
    """The offers rule (module notes) for one tier."""
    out = []
    standing = VIP_SERVICES.get(tier, ())
    for kind, ev in by_kind.iterrows():
        tried = int(reach.at[tier, kind]) if (tier in reach.index and kind in reach.columns) else 0
        reached = tried >= MIN_TIER_INVITES
        affordable = median_revenue >= ev["cost_per_invite"]
        e = ev["evidence"]
        grow = bool(ev.get("grow", True))
        if kind in standing and e != "no_effect":
            continue  # the tier has it already: not offered or tested again
        if e == "proven" and reached and grow:
            n = min(customers, int(ev["max_invited"]))
            out.append(_offer(kind, ev, "offer", n, tried))
        elif e == "proven" and reached:
            n = int(round(min(customers, int(ev["max_invited"])) * (1 - HOLDOUT)))
            out.append(_offer(kind, ev, "keep", n, tried))
        elif e == "proven" and affordable and customers > 0:
            n = int(round(min(customers, PILOT_SIZE) * (1 - HOLDOUT)))
            out.append(_offer(kind, ev, "pilot", n, tried))
        elif e in ("promising", "unmeasured") and reached and affordable:
            n = int(round(min(customers, int(ev["max_invited"])) * (1 - HOLDOUT)))
            out.append(_offer(kind, ev, "test", n, tried))
        elif e == "no_effect" and reached:
            out.append(_offer(kind, ev, "stop", 0, tried))
    order = {"offer": 0, "keep": 1, "pilot": 2, "test": 3, "stop": 4}
    return sorted(
        out, key=lambda o: (order[o["action"]], -(o["expected_return"] or {}).get("estimate", 0.0), o["kind"])
    )


# ---------------------------------------------------------------------------
# Churn drivers per tier


def _drivers(section: Mapping | None) -> dict[str, Mapping]:
    if not section or section.get("status") != "ok":
        return {}
    return dict(section.get("drivers") or {})


def usable_drivers(churn_section: Mapping | None, alpha: float = 0.05) -> dict[str, Mapping]:
    """Actionable drivers with a reliable effect (p < alpha) in the direction the action assumes."""
    out = {}
    for k, d in _drivers(churn_section).items():
        if k not in ACTIONS or d.get("p_value") is None or d["p_value"] >= alpha:
            continue
        if np.sign(math.log(d["odds_ratio"])) == ACTIONS[k][1]:
            out[k] = d
    return out


def risky_state(key: str, x: pd.Series, branch: pd.Series) -> pd.Series:
    """Customers in the state the action addresses (bool)."""
    if key in ("digital_active", "has_rm", "vip"):
        return x < 0.5
    if key == "unresolved_complaint":
        return x >= 0.5
    if key == "complaints_12m":
        return x >= 1
    if key == "products_held":
        return x < branch.median()
    if key == "balance_trend":
        return x <= BALANCE_DROP
    raise KeyError(key)


def driver_pushes(drivers: Mapping[str, Mapping], features: pd.DataFrame, tiers: pd.Series) -> pd.DataFrame:
    """Per tier and driver: push (ln OR × (tier mean − branch mean): how much
    the driver raises the tier's log odds of leaving above the branch's
    average customer) and customers (in the risky state). Long format."""
    rows = []
    for k, d in drivers.items():
        if k not in features.columns:
            continue
        x = features[k].astype(float)
        b = math.log(d["odds_ratio"])
        mean = x.mean()
        bad = risky_state(k, x, x)
        for tier, idx in tiers.groupby(tiers).groups.items():
            xt = x.reindex(idx)
            rows.append(
                {
                    "tier": tier,
                    "driver": k,
                    "push": b * (xt.mean() - mean) if xt.notna().any() else np.nan,
                    "customers": int(bad.reindex(idx).fillna(False).sum()),
                    "strength": abs(b),
                }
            )
    return pd.DataFrame(rows, columns=["tier", "driver", "push", "customers", "strength"])


def actions_for_tier(tier: str, drivers: Mapping[str, Mapping], pushes: pd.DataFrame) -> list[dict]:
    """The retention-actions rule (module notes) for one tier."""
    p = pushes[(pushes["tier"] == tier) & (pushes["customers"] > 0)]
    allowed = [k for k in p["driver"] if tier in ACTION_SCOPE.get(ACTIONS[k][0], (tier,))]
    p = p[p["driver"].isin(allowed)]
    if p.empty:
        return []
    up = p[p["push"] > 0].sort_values(["push", "driver"], ascending=[False, True]).head(MAX_ACTIONS)
    mode = "reduce"
    if up.empty:
        up = p.sort_values(["strength", "driver"], ascending=[False, True]).head(1)
        mode = "maintain"
    out = []
    for r in up.itertuples(index=False):
        d = drivers[r.driver]
        out.append(
            {
                "driver": r.driver,
                "action": ACTIONS[r.driver][0],
                "mode": mode,
                "customers": int(r.customers),
                "push": float(r.push),
                "odds_ratio": sections.estimate(d["odds_ratio"], d["ci_low"], d["ci_high"], d.get("p_value")),
            }
        )
    return out


# ---------------------------------------------------------------------------
# Rhythm


def rhythm_for_tier(tier: str, profile: Mapping, branch_p: float | None, offers: list[dict]) -> dict:
    """The contact-rhythm rule (module notes) for one tier."""
    base = RHYTHM[tier]
    contacts = base["contacts"]
    stepped = False
    p = profile.get("p_churn")
    if branch_p and p is not None and not pd.isna(p) and p >= RISK_UP * branch_p and base["channel"] != "digital":
        contacts += 1
        stepped = True
    greetings = list(base["greetings"])
    if any(o["kind"] == "birthday_greeting" and o["action"] == "stop" for o in offers) and "birthday" in greetings:
        greetings.remove("birthday")
    now = profile.get("contacts_per_quarter")
    return {
        "contacts_per_quarter": contacts,
        "channel": base["channel"],
        "greetings": greetings,
        "stepped_up_for_risk": stepped,
        "revisits_at_risk": int(profile.get("at_risk") or 0) if contacts > 0 else 0,
        "current_contacts_per_quarter": None if now is None or pd.isna(now) else float(now),
    }


# ---------------------------------------------------------------------------
# The plans


def _sum_estimates(items: list[dict]) -> dict | None:
    """Sum of independent estimates; interval half-widths added in quadrature."""
    es = [i for i in items if i]
    if not es:
        return None
    est = sum(e["estimate"] for e in es)
    half = math.sqrt(sum(((e["ci_high"] - e["ci_low"]) / 2) ** 2 for e in es))
    return sections.estimate(est, est - half, est + half)


def _branch_total(plans: Mapping[str, dict]) -> dict:
    """Budget and expected return over all tiers: per kind first (the same
    measured effect in several tiers is one uncertainty), kinds then independent."""
    budget = sum(p["budget"] for p in plans.values())
    by_kind: dict[str, list] = {}
    for p in plans.values():
        for o in p["offers"]:
            if o["expected_return"]:
                by_kind.setdefault(o["kind"], []).append(o)
    per_kind = []
    for kind, os_ in by_kind.items():
        n = sum(o["invitations"] for o in os_)
        e = os_[0]["effect_per_invite"]
        per_kind.append(sections.estimate(e["estimate"] * n, e["ci_low"] * n, e["ci_high"] * n))
    return {"budget": float(budget), "expected_return": _sum_estimates(per_kind)}


def segment_plans(
    profiles: pd.DataFrame,
    by_kind: pd.DataFrame,
    reach: pd.DataFrame,
    churn_section: Mapping | None,
    pushes: pd.DataFrame,
    branch_p: float | None = None,
) -> dict[str, dict]:
    """The plan of every tier from its profile, the campaign evidence and the
    churn drivers (the module's rules). Pure: no bank, no files."""
    drivers = usable_drivers(churn_section)
    plans = {}
    for tier, prof in profiles.iterrows():
        prof = prof.to_dict()
        offers = offers_for_tier(tier, int(prof["customers"]), float(prof["median_revenue"]), by_kind, reach)
        actions = actions_for_tier(tier, drivers, pushes)
        services = [
            s for s in VIP_SERVICES.get(tier, ()) if not any(o["kind"] == s and o["action"] == "stop" for o in offers)
        ]
        budget = float(sum(o["budget"] for o in offers))
        ret = _sum_estimates([o["expected_return"] for o in offers])
        cites = sorted({f"campaigns.{c}.balance_effect" for o in offers for c in o["campaigns"]})
        cites += [f"churn.drivers.{a['driver']}" for a in actions]
        if prof.get("to_assign"):
            cites.append("relationship_managers.proposed_assignments")
        plans[tier] = {
            "tier_kind": "vip" if tier in VIP_PLAN_TIERS else "value",
            "customers": int(prof["customers"]),
            "revenue_12m": float(prof["revenue_12m"]),
            "median_revenue": float(prof["median_revenue"]),
            "top20": int(prof["top20"]),
            "rm_share": float(prof["rm_share"]),
            "p_churn": None if pd.isna(prof["p_churn"]) else float(prof["p_churn"]),
            "revenue_at_risk": None if pd.isna(prof["revenue_at_risk"]) else float(prof["revenue_at_risk"]),
            "to_assign": int(prof.get("to_assign") or 0),
            "services": services,
            "offers": offers,
            "contact_rhythm": rhythm_for_tier(tier, prof, branch_p, offers),
            "retention_actions": actions,
            "budget": budget,
            "expected_return": ret,
            "return_per_cny": (ret["estimate"] / budget) if ret and budget > 0 else None,
            "cites": cites,
        }
    return plans


def next_quarter(bank: Bank) -> dict:
    """The three months after M: start and end dates (ISO)."""
    start = bank.timeframe.month(-1)
    end = bank.timeframe.month(-3) + pd.offsets.MonthEnd(0)
    return {"start": start.strftime("%Y-%m-%d"), "end": end.strftime("%Y-%m-%d")}


def build_plans(
    bank: Bank, churn_section: Mapping | None, campaign_section: Mapping | None, risk=None, proposal=None
) -> dict:
    """The `plans` section: per tier offers, services, contact rhythm,
    retention actions, budget (CNY) and expected return (CNY of extra
    deposits + wealth, 95 % interval), cites; the branch total; the rules'
    constants; and what was missing. Skipped without active customers."""
    tiers = plan_tiers(bank)
    if tiers.empty:
        return sections.skipped("no active customer in month M: there is nobody to plan for")
    profiles = tier_profiles(bank, tiers, risk, proposal)
    period = next_quarter(bank)
    by_kind, reach = campaign_evidence(campaign_section, bank.campaigns, bank.campaign_contacts, tiers, period)
    drivers = usable_drivers(churn_section)
    pushes = pd.DataFrame(columns=["tier", "driver", "push", "customers", "strength"])
    if drivers:
        feats = driver_features(
            bank, bank.timeframe.month(-1), tiers.index, with_complaints=bank.interactions is not None
        )
        pushes = driver_pushes(drivers, feats, tiers["tier"])
    branch_p = risk.threshold if risk is not None else None
    plans = segment_plans(profiles, by_kind, reach, churn_section, pushes, branch_p)
    missing = {}
    for name, sec in (("campaigns", campaign_section), ("churn", churn_section)):
        if not sec:
            missing[name] = "not computed in this run"
        elif sec.get("status") != "ok":
            missing[name] = sec.get("reason", "skipped")
    section = sections.ok(
        period=period,
        order=list(plans),
        tiers=plans,
        total=_branch_total(plans),
        unit="CNY; expected_return = extra deposits + wealth three months after, 95 % interval",
        rules={
            "min_tier_invites": MIN_TIER_INVITES,
            "pilot_size": PILOT_SIZE,
            "holdout": HOLDOUT,
            "risk_up": RISK_UP,
            "risk_threshold": branch_p,
            "rm_keeps_customers": "has_rm" in drivers,
        },
        missing=missing,
    )
    section["text"] = {lang: describe_plans(section, lang) for lang in ("zh", "en")}
    return section


# ---------------------------------------------------------------------------
# Words


def label(key: str, lang: str = "zh") -> str:
    """Label of a plan tier (VIP tiers and value tiers of the customers who are
    not VIP: 非VIP · 利润前20%), or the glossary term of an action, channel,
    greeting, evidence class or campaign kind."""
    if key in VALUE_PLAN_TIERS:
        return f"{term('none', lang)} · {term(key, lang)}"
    return term(key, lang)


def _interval(e: Mapping, lang: str) -> str:
    return (
        f"{money(e['estimate'], lang)}（95%区间{money(e['ci_low'], lang)}至{money(e['ci_high'], lang)}）"
        if lang == "zh"
        else f"{money(e['estimate'], lang)} (95 % interval {money(e['ci_low'], lang)} to {money(e['ci_high'], lang)})"
    )


def describe_plan(tier: str, plan: Mapping, lang: str = "zh", rm_keeps_customers: bool = True) -> list[str]:
    """Sentences of one tier's plan, from its figures. `rm_keeps_customers`:
    whether the churn model shows a manager keeps customers (else the
    assignment says it is for their value)."""
    zh = lang == "zh"
    sep = "、" if zh else ", "
    name = label(tier, lang)
    head = (
        f"**{name}**（{plan['customers']:,}位活跃客户，近12个月利润{money(plan['revenue_12m'], lang)}"
        if zh
        else f"**{name}** ({plan['customers']:,} active customers, 12-month profit {money(plan['revenue_12m'], lang)}"
    )
    if plan.get("p_churn") is not None:
        head += (
            f"，预计一年内流失{plan['p_churn']:.0%}）"
            if zh
            else f", {plan['p_churn']:.0%} expected to leave within a year)"
        )
    else:
        head += "）" if zh else ")"
    out = [head]
    r = plan["contact_rhythm"]
    greet = sep.join(label(g, lang) for g in r["greetings"])
    now = r["current_contacts_per_quarter"]
    if r["contacts_per_quarter"] == 0:
        rh = (
            f"- 联系节奏：不安排人工联系，只用{label(r['channel'], lang)}"
            if zh
            else f"- Contact rhythm: no staff contact, {label(r['channel'], lang)} only"
        )
    else:
        rh = (
            f"- 联系节奏：每季度{r['contacts_per_quarter']:g}次（{label(r['channel'], lang)}）"
            if zh
            else f"- Contact rhythm: {r['contacts_per_quarter']:g} a quarter ({label(r['channel'], lang)})"
        )
    if greet:
        rh += f"，另加{greet}" if zh else f", plus {greet.lower()}"
    if now is not None:
        rh += f"；目前人均每季度{now:.1f}次" if zh else f"; now {now:.1f} a customer a quarter"
    if r["stepped_up_for_risk"]:
        rh += (
            "；因该层预计流失率明显高于全行，多加一次"
            if zh
            else "; one more because this tier's expected churn is well above the branch's"
        )
    if r["revisits_at_risk"]:
        rh += (
            f"；{r['revisits_at_risk']}位流失风险高于全行平均的客户本季度内定期回访"
            if zh
            else f"; revisit the {r['revisits_at_risk']} at above-average risk within the quarter"
        )
    out.append(rh + ("。" if zh else "."))
    if plan["services"]:
        out.append(
            (
                f"- VIP服务：{sep.join(label(s, lang) for s in plan['services'])}。"
                if zh
                else f"- VIP services: {sep.join(label(s, lang) for s in plan['services'])}."
            )
        )
    for o in plan["offers"]:
        k = label(o["kind"], lang)
        act = label(o["action"], lang)
        ev = label(o["evidence"], lang) if zh else label(o["evidence"], lang).lower()
        if o["designs"] == ["targeted"] and o["evidence"] != "unmeasured":
            ev += "，来自无对照组活动的调整估计" if zh else ", adjusted estimate from a campaign without holdout"
        if o["action"] == "stop":
            out.append(
                f"- {k}：{act}（{ev}），可省下约{money(o['saved'], lang)}。"
                if zh
                else f"- {k}: {act.lower()} ({ev}); saves about {money(o['saved'], lang)}."
            )
            continue
        line = (
            f"- {k}：{act}，邀请{o['invitations']:,}人，预算{money(o['budget'], lang)}（{ev}）"
            if zh
            else f"- {k}: {act.lower()}, invite {o['invitations']:,}, budget {money(o['budget'], lang)} ({ev})"
        )
        if o["expected_return"]:
            line += (
                f"，预计带来存款+理财增量（规模，非利润）{_interval(o['expected_return'], lang)}"
                if zh
                else f", expected extra deposits + wealth (volume, not profit) {_interval(o['expected_return'], lang)}"
            )
        out.append(line + ("。" if zh else "."))
    for a in plan["retention_actions"]:
        d = a["odds_ratio"]
        why = f"优势比{d['estimate']:.2f}" if zh else f"odds ratio {d['estimate']:.2f}"
        if zh:
            verb = "本层此项风险高于全行平均" if a["mode"] == "reduce" else "本层此项不高于全行，持续防范"
            out.append(f"- 挽留措施（{verb}；{why}）：{label(a['action'], lang)}，涉及{a['customers']:,}位客户。")
        else:
            verb = (
                "this driver runs above the branch average here"
                if a["mode"] == "reduce"
                else "not above the branch average here; keep watch"
            )
            out.append(f"- Retention ({verb}; {why}): {label(a['action'], lang)}, {a['customers']:,} customers.")
    if plan["to_assign"]:
        why = (
            ""
            if rm_keeps_customers
            else (
                "；流失模型未显示客户经理能降低流失，配备是为了守住这些客户的价值，而不是为了防止流失"
                if zh
                else "; the attrition model shows no effect of a manager on leaving: this is to protect their value, not to stop them leaving"
            )
        )
        out.append(
            f"- 为{plan['to_assign']}位尚无客户经理的客户配备客户经理（见分配名单{why}）。"
            if zh
            else f"- Give {plan['to_assign']} customers without a manager one (see the assignment list{why})."
        )
    if plan["budget"] > 0:
        ret = plan["expected_return"]
        out.append(
            (
                f"- 活动预算合计{money(plan['budget'], lang)}"
                + (f"，预计存款+理财增量（规模，非利润）{_interval(ret, lang)}。" if ret else "，效果尚无可靠测量。")
            )
            if zh
            else (
                f"- Event budget {money(plan['budget'], lang)}"
                + (
                    f", expected extra deposits + wealth (volume, not profit) {_interval(ret, lang)}."
                    if ret
                    else "; no measured effect yet."
                )
            )
        )
    return out


def describe_plans(section: Mapping, lang: str = "zh") -> list[str]:
    """The plan in words: how it was made, the total, and every tier."""
    zh = lang == "zh"
    if section.get("status") != "ok":
        return [f"未能制定分层计划：{section.get('reason')}。" if zh else f"No tier plans: {section.get('reason')}."]
    p = section["period"]
    out = [
        f"以下是{p['start']}至{p['end']}的分层行动计划，由本行自己的数字按固定规则生成：活动取舍看活动分析测得的效果"
        "（只有结论为“扩大”的活动才不留对照组全面推行；效果可靠但结论为“保持”的，带对照组重复；为正但不确定的留对照组再测；"
        "VIP客户已有的常设服务不再重复测试；不在季节内的节庆活动不排入），挽留措施针对流失模型中可靠且可改变的因素。"
        "预计增量 = 计划邀请人数 × 每邀请一人测得的存款+理财增量，是规模（余额），不是利润，并给出95%区间（区间越宽越不确定）。"
        "优势比表示某个因素让客户的流失几率变为原来的几倍（大于1风险升高，小于1风险降低）。"
        if zh
        else f"The plan for {p['start']} to {p['end']}, made from this branch's own figures by fixed rules: events are kept "
        "by their measured effect (offered widely without a holdout only when their verdict is grow; repeated with a "
        "holdout when the effect is proven but the verdict is keep; tested again with a holdout when positive but "
        "uncertain; a VIP tier's standing services are not tested on it again; festival events out of season are left "
        "out), and retention actions target the reliable churn drivers the branch can change. The expected increase = "
        "planned invitations × the measured extra deposits + wealth per invitation: volume (balances), not profit, "
        "with its 95 % interval (the wider, the less certain). An odds ratio says how many times a factor multiplies a "
        "customer's odds of leaving (above 1 raises the risk, below 1 lowers it)."
    ]
    for name, why in (section.get("missing") or {}).items():
        out.append(
            f"注意：{'活动效果' if name == 'campaigns' else '流失模型'}不可用（{why}），计划中缺少相应部分。"
            if zh
            else f"Note: the {'campaign effects' if name == 'campaigns' else 'churn model'} are not available ({why}); that part of the plan is missing."
        )
    t = section["total"]
    if t["budget"] > 0:
        out.append(
            (
                f"全部活动预算{money(t['budget'], lang)}"
                + (
                    f"，预计带来存款+理财增量（规模，非利润）{_interval(t['expected_return'], lang)}。"
                    if t["expected_return"]
                    else "。"
                )
            )
            if zh
            else (
                f"Total event budget {money(t['budget'], lang)}"
                + (
                    f", expected extra deposits + wealth (volume, not profit) {_interval(t['expected_return'], lang)}."
                    if t["expected_return"]
                    else "."
                )
            )
        )
    keeps = (section.get("rules") or {}).get("rm_keeps_customers", True)
    for tier in section["order"]:
        out += describe_plan(tier, section["tiers"][tier], lang, rm_keeps_customers=keeps)
    return out


_SHORT = {
    "offer": ("推行", "offer"),
    "keep": ("保持（带对照组）", "keep (with holdout)"),
    "pilot": ("试点", "pilot"),
    "test": ("再测", "test"),
    "stop": ("停办", "stop"),
}


def plans_table(section: Mapping, lang: str = "zh") -> pd.DataFrame:
    """One row per tier: customers, rhythm, offers, actions, budget and expected return (万元 / thousand CNY)."""
    zh = lang == "zh"
    div, unit = money_unit(lang)
    sep = "、" if zh else ", "
    rows = []
    for tier in section["order"]:
        p = section["tiers"][tier]
        r = p["contact_rhythm"]
        ret = p["expected_return"]
        rows.append(
            {
                ("客户层" if zh else "Tier"): label(tier, lang),
                ("活跃客户" if zh else "Customers"): p["customers"],
                (
                    "每季度联系" if zh else "Contacts a quarter"
                ): f"{r['contacts_per_quarter']:g} · {label(r['channel'], lang)}",
                ("活动" if zh else "Events"): sep.join(
                    f"{label(o['kind'], lang)}：{_SHORT[o['action']][0]}"
                    if zh
                    else f"{label(o['kind'], lang)}: {_SHORT[o['action']][1]}"
                    for o in p["offers"]
                )
                or "—",
                ("挽留措施" if zh else "Retention"): sep.join(label(a["action"], lang) for a in p["retention_actions"])
                or "—",
                (f"预算（{unit}）" if zh else f"Budget ({unit})"): f"{p['budget'] / div:,.1f}",
                (
                    f"预计存款+理财增量（规模，非利润，{unit}）"
                    if zh
                    else f"Expected extra balances (volume, not profit, {unit})"
                ): "—"
                if not ret
                else f"{ret['estimate'] / div:,.1f} [{ret['ci_low'] / div:,.1f}, {ret['ci_high'] / div:,.1f}]",
            }
        )
    return pd.DataFrame(rows)


def plot_plans(section: Mapping, lang: str = "zh"):
    """Where event money works hardest: expected extra deposits + wealth per
    CNY of budget, per tier, with its 95 % interval (tiers with a budget and
    a measured return; the budget in the tier's label)."""
    import matplotlib.pyplot as plt

    zh = lang == "zh"
    tiers = [t for t in section["order"] if section["tiers"][t]["return_per_cny"] is not None]
    fig, ax = plt.subplots(figsize=(8, 0.5 * max(len(tiers), 1) + 1.8))
    y = np.arange(len(tiers))[::-1]
    best, best_low = None, -np.inf
    for yi, t in zip(y, tiers):
        p = section["tiers"][t]
        ret, b = p["expected_return"], p["budget"]
        lo, mid, hi = ret["ci_low"] / b, ret["estimate"] / b, ret["ci_high"] / b
        col = plots.HOME if lo > 0 else plots.NEUTRAL
        ax.plot([lo, hi], [yi, yi], color=col, lw=2, solid_capstyle="round")
        ax.plot(mid, yi, "o", color=col, ms=7)
        if lo > best_low:
            best, best_low = t, lo
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels(
        [
            f"{label(t, lang)}（预算{money(section['tiers'][t]['budget'], lang)}）"
            if zh
            else f"{label(t, lang)} (budget {money(section['tiers'][t]['budget'], lang)})"
            for t in tiers
        ]
    )
    ax.set_xlabel(
        "每花1元预计带来的存款+理财增量（元，95%区间）"
        if zh
        else "Expected extra deposits + wealth per CNY spent (CNY, 95 % interval)"
    )
    ax.grid(axis="y", visible=False)
    if best is not None and best_low > 0:
        p = section["tiers"][best]
        r = p["return_per_cny"]
        title = (
            f"{label(best, lang)}的活动带来的余额最确定：每花1元预计带来{r:,.0f}元存款+理财（规模，非利润）"
            if zh
            else f"{label(best, lang)}: the surest increase, {r:,.0f} CNY of balances per CNY spent (volume, not profit)"
        )
    elif tiers:
        title = (
            "没有哪一层的活动效果已有把握：先做对照测试"
            if zh
            else "No tier's event effect is certain yet: test with holdouts first"
        )
    else:
        title = "下季度活动没有测得的效果" if zh else "No measured effect for next quarter's events"
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig


def write_plans_table(section: Mapping, out_dir, lang: str = "zh"):
    """`plans_table` as out_dir/tables/plans.csv (for the briefing); returns the path."""
    from pathlib import Path

    folder = Path(out_dir) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plans.csv"
    plans_table(section, lang).to_csv(path, index=False, encoding="utf-8-sig")
    return path
