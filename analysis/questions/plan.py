"""Next quarter's action plan (RESULTS.md "plan"): one plan that obeys the
branch's own evidence, a row per action in `plan.csv`.

    result = analyze(bank, sections, assumptions)     # sections: results.json-shaped dicts
    result.section()            # PlanSection: the `plan` of results.json
    result.table()              # plan.csv, RESULTS.md's columns in order
    result.assignments          # who gets what (customer ids: written to private/ only)
    plan_invariant_problems(result.table(), results)   # [] when RESULTS.md's invariants hold

It reads the bank's tables, the sections of the earlier notebooks (`churn`,
`campaigns` with per campaign `design`, `balance_effect`, `profit_12m`,
`verdict`, `persistence`, `economics.funds_margin`, `relationship_managers`,
`satisfaction`) and the assumptions (`plan_budget_share`,
`rm_contacts_per_quarter`, `effect_persistence_months`, `alpha`). A figure
that is missing from the sections is never computed here: the plan says it
is missing, claims no profit on it, and a campaign without a `verdict` is
treated as `test`.

**The quarter**: the calendar quarter after the one containing as_of (for an
as_of at a quarter's end, the next three months). Every row starts and ends
inside it.

**Campaigns, by verdict** (`plan_campaigns`; campaigns latest first):

* `grow` → extended, without a holdout, to every eligible active customer:
  the only campaign row with holdout_share 0 that contacts customers.
* `keep` → repeated at last time's size (the most valuable eligible
  customers) with a random holdout of KEEP_HOLDOUT_SHARE (20 %).
* `test` → a designed randomized test: the smallest balance effect per
  contacted customer that pays back its cost at the branch's funds margin
  (cost per contact ÷ (funds_margin × persistence ÷ 12)); customers per arm
  n = 2 (z_{1−α/2} + z_{0.8})² σ² ÷ δ² (two-sided α = assumptions.alpha,
  power 80 %, `analysis.stats.power`), σ the SD of the balance change among
  the campaign's own contacts (the branch's when fewer than 30); the
  population is the eligible customers, at most max(last size, 2 n); the
  holdout share the smallest (10 %–50 %) that keeps the power (a test that
  cannot reach it says so). Without a funds margin the test is sized on the
  effect measured last time. Fewer than 40 eligible: not scheduled.
* `stop` → not run again: a row with no customers and cost 0 that names the
  budget it frees.

The arms are drawn at random, seeded by branch, campaign and as-of
(`assignments`; the run layer writes them to `private/`). Profit of a
`grow` or `keep` row = balance effect per contacted customer (the ITT; for a
targeted campaign the ATT × the share of invited who took part) × customers
contacted × funds_margin × min(persistence, 12) ÷ 12, with the effect's
interval; a test claims none (its effect is what it measures).

**Persistence** (months a balance effect lasts, in every margin above):
`effect_persistence_months`, except for a campaign whose own event study
shows its effect fading (its `persistence` with source "event_study", decided
in `analysis.questions.campaign_effects`): then the months until that fade
reaches 0 (at most 12), and the row's evidence names
`campaigns.<id>.persistence.months`.

**Subgroups**: a campaign is applied only to the VIP tiers and segments it
reached (≥ 30 contacts), measured before it: the tier at start is `none` when
vip_since is after start_date, else today's tier (the tables keep no tier
history). Where a tier's or segment's own estimate (randomized: treatment −
control; targeted: the adjusted ATT within it) has an interval that excludes
the pooled estimate's sign, or lies below a quarter of it, `keep` leaves it
out and `grow` tests it there instead (a separate test row); `test` keeps it.

**Services and seasons**: a tier's standing VIP services
(`plan_campaigns.VIP_SERVICES`, the seed's VIP service system) are never
offered to that tier again as a campaign or test. A seasonal event (春节, 元宵, 端午,
七夕, 中秋, 国庆, 重阳, year-end gala …: by its name or kind; the month it last
ran does not move its festival) is scheduled inside its season within the
quarter, or not scheduled ("out of season"). One customer gets at most one row of a campaign kind: a holdout
customer is never contacted by another row of that kind.

**Evidence rows** (`plan_evidence`), from the churn model's significant
drivers (p < alpha) only: retention visits to the at-risk customers of the
top 20 % (in a risky state of a significant driver), complaint closure,
digital onboarding; a pricing review when price (fees or a rival's offer)
is the first reason for leaving; relationship-manager coverage of the
uncovered top 20 % (the managers section's proposal) — for the churn it
prevents only when has_rm's odds ratio is significant and below 1, else for
the value it looks after, and the plan says which. These claim no profit.

**Capacity**: contacts a relationship manager makes in the quarter ≤
rm_contacts_per_quarter (own customers first, customers without a manager
shared out to the managers with room), the most valuable contacts first; the
rest go by phone (a coverage introduction is dropped instead). **Budget**: the
plan's cost ≤ plan_budget_share × the branch's yearly profit (Σ revenue_12m
of the value base); over it, rows are cut by lowest profit per CNY first (a row
that claims no profit counts as breaking even, 1 CNY per CNY; the dearest
first among equals), then the best of the cut rows that still fit are put
back. Total profit
is the sum of the rows', its interval the rows' half-widths in quadrature
(independent actions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, value_base
from analysis.questions.plan_campaigns import VERDICTS, Action, campaign_actions
from analysis.questions.plan_evidence import UNIT_COSTS, evidence_actions, plan_basis
from analysis.sections import Section, Skipped, resolves, to_jsonable

PLAN_COLUMNS = (
    "action_id",
    "topic",
    "action",
    "owner_role",
    "start",
    "end",
    "customers",
    "cost",
    "profit_12m",
    "profit_ci_low",
    "profit_ci_high",
    "kpi",
    "baseline",
    "target",
    "holdout_share",
    "evidence",
)
TOPICS = ("value", "churn", "satisfaction", "competitors", "campaigns", "relationship")
OWNER_ROLES = ("head_of_retail", "rm_team_lead", "outlet_manager", "operations_lead")
PHONE_INSTEAD = {"rm_coverage": False}
"""Actions whose contacts over a manager's capacity are dropped, not phoned (the rest: phoned)."""
DECISIONS = 5
"""Decisions on the briefing's first page: at most this many."""


def next_quarter(as_of) -> tuple[pd.Timestamp, pd.Timestamp]:
    """(first, last day) of the calendar quarter after the one containing `as_of`."""
    q = pd.Timestamp(as_of).to_period("Q") + 1
    return q.start_time.normalize(), q.end_time.normalize()


@dataclass(frozen=True)
class PlanSection(Section):
    """The `plan` section: RESULTS.md's actions, cost and profit_12m, then
    what the words need (CNY; shares 0–1)."""

    actions: list
    cost: float
    profit_12m: float
    profit_ci_low: float | None
    profit_ci_high: float | None
    period: dict
    budget: dict
    capacity: dict
    details: dict
    not_scheduled: list
    basis: dict
    missing: list
    assumptions: dict


@dataclass
class PlanResult:
    """The plan: its rows (`actions`), who each reaches (`assignments`), the budget and capacity applied."""

    actions: list[Action]
    period: tuple[pd.Timestamp, pd.Timestamp]
    budget: dict
    capacity: dict
    not_scheduled: list[dict]
    basis: dict
    missing: list[str]
    assumptions: Assumptions
    subgroups: dict = field(default_factory=dict)
    skipped: str | None = None
    """Why there is no plan (its section is then `Skipped`), or None."""

    def table(self) -> pd.DataFrame:
        """plan.csv: one row per action, RESULTS.md's columns in order (numbers numeric)."""
        rows = []
        for a in self.actions:
            p = a.profit
            rows.append(
                {
                    "action_id": a.action_id,
                    "topic": a.topic,
                    "action": a.action,
                    "owner_role": a.owner_role,
                    "start": a.start.strftime("%Y-%m-%d"),
                    "end": a.end.strftime("%Y-%m-%d"),
                    "customers": a.customers,
                    "cost": round(a.cost, 2),
                    "profit_12m": None if p is None else p[0],
                    "profit_ci_low": None if p is None else p[1],
                    "profit_ci_high": None if p is None else p[2],
                    "kpi": a.kpi,
                    "baseline": a.baseline,
                    "target": a.target,
                    "holdout_share": round(a.holdout_share, 4),
                    "evidence": ";".join(a.evidence),
                }
            )
        df = pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
        for c in ("cost", "profit_12m", "profit_ci_low", "profit_ci_high", "baseline", "target", "holdout_share"):
            df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
        df["customers"] = df["customers"].astype(int)
        return df

    @property
    def assignments(self) -> pd.DataFrame:
        """action_id, customer_id, arm (contact / holdout), channel, rm: the lists behind the rows (private)."""
        frames = [a.people.assign(action_id=a.action_id) for a in self.actions if len(a.people)]
        cols = ["action_id", "customer_id", "arm", "channel", "rm"]
        return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)

    def totals(self) -> tuple[float, float, float | None, float | None]:
        """(cost, profit_12m, its interval): sums over the rows (no profit claimed counts 0),
        quadrature for the interval."""
        cost = sum(a.cost for a in self.actions)
        ps = [a.profit for a in self.actions if a.profit is not None]
        est = sum(p[0] for p in ps)
        if not ps:
            return cost, 0.0, None, None
        lo = est - math.sqrt(sum((p[0] - p[1]) ** 2 for p in ps))
        hi = est + math.sqrt(sum((p[2] - p[0]) ** 2 for p in ps))
        return cost, est, lo, hi

    def section(self) -> PlanSection | Skipped:
        if self.skipped:
            return Skipped(self.skipped)
        table = self.table()
        _, _, lo, hi = self.totals()
        actions = [to_jsonable(r) for r in table.astype(object).where(table.notna(), None).to_dict("records")]
        a = self.assumptions
        return PlanSection(
            actions=actions,
            cost=float(table["cost"].sum()),
            profit_12m=float(table["profit_12m"].fillna(0).sum()),
            profit_ci_low=lo,
            profit_ci_high=hi,
            period={"start": self.period[0].strftime("%Y-%m-%d"), "end": self.period[1].strftime("%Y-%m-%d")},
            budget=self.budget,
            capacity=self.capacity,
            details={
                x.action_id: {
                    **x.details,
                    "value_at_stake": x.value_at_stake,
                    "contacted": x.contacted,
                    "channels": x.people.loc[x.people["arm"] == "contact", "channel"].value_counts().to_dict(),
                    "notes": list(x.notes),
                }
                for x in self.actions
            },
            not_scheduled=self.not_scheduled,
            basis=self.basis,
            missing=self.missing,
            assumptions={
                "effect_persistence_months": a.effect_persistence_months,
                "alpha": a.alpha,
                "power": 0.8,
                "plan_budget_share": a.plan_budget_share,
                "rm_contacts_per_quarter": a.rm_contacts_per_quarter,
                "keep_holdout_share": 0.2,
                "unresolved_days": a.unresolved_days,
                "unit_costs": dict(UNIT_COSTS),
            },
        )


# ---------------------------------------------------------------------------
# capacity and budget


def managers_of(bank: Bank) -> list[str]:
    """The branch's relationship managers: the relationship_managers table, else customers.rm_id."""
    if bank.has("relationship_managers"):
        rm = bank.relationship_managers
        return sorted(str(x) for x in rm.loc[rm["branch_id"] == bank.branch_id, "rm_id"].dropna().unique())
    return sorted(str(x) for x in bank.customers["rm_id"].dropna().unique())


def apply_capacity(actions: list[Action], people: pd.DataFrame, managers: list[str], per_manager: int) -> dict:
    """Give every "rm" contact a manager within `per_manager` contacts each,
    the most valuable contacts first (a customer's own manager, else the one
    with the most room); the rest by phone (or dropped); returns the
    capacity figures."""
    load = {m: 0 for m in managers}
    rev = people["revenue_12m"]
    own_rm = people["rm_id"]
    cols = []  # per action: (rm, channel, keep) arrays
    contacts = []
    for i, a in enumerate(actions):
        p = a.people
        ids = p["customer_id"].to_numpy(dtype=object)
        cols.append(
            (p["rm"].to_numpy(dtype=object).copy(), p["channel"].to_numpy(dtype=object).copy(), np.ones(len(p), bool))
        )
        value = rev.reindex(ids).fillna(0.0).to_numpy()
        owner = own_rm.reindex(ids).to_numpy(dtype=object)
        for j in np.flatnonzero(((p["arm"] == "contact") & (p["channel"] == "rm")).to_numpy()):
            contacts.append((-float(value[j]), str(ids[j]), i, int(j), owner[j]))
    moved, dropped = 0, 0
    for _, _, i, j, own in sorted(contacts, key=lambda c: c[:4]):
        own = own if isinstance(own, str) and own in load else None
        if own is not None:
            who = own if load[own] < per_manager else None
        else:
            spare = [m for m in load if load[m] < per_manager]
            who = min(spare, key=lambda m: (load[m], m)) if spare else None
        a, (rm, channel, keep) = actions[i], cols[i]
        if who is not None:
            load[who] += 1
            rm[j] = who
        elif PHONE_INSTEAD.get(a.action, True):
            channel[j] = "phone"
            moved += 1
            a.details["moved_to_phone"] = a.details.get("moved_to_phone", 0) + 1
        else:
            keep[j] = False
            dropped += 1
            a.details["dropped_for_capacity"] = a.details.get("dropped_for_capacity", 0) + 1
    for a, (rm, channel, keep) in zip(actions, cols):
        p = a.people.assign(rm=rm, channel=channel)
        a.people = p[keep].reset_index(drop=True)
    return {
        "managers": len(managers),
        "per_manager": per_manager,
        "rm_contacts": int(sum(load.values())),
        "max_per_manager": max(load.values()) if load else 0,
        "moved_to_phone": moved,
        "dropped": dropped,
        "by_manager": load,
    }


def apply_budget(actions: list[Action], limit: float) -> tuple[list[Action], list[dict]]:
    """Cut rows, lowest profit per CNY first, until cost ≤ limit; then put
    back, best first, the cut rows that still fit. A row that claims no
    profit counts as breaking even (1 CNY per CNY): cut after the rows known
    to return less than they cost, before those known to return more; the
    dearest first among equals. Rows keep their order."""

    def key(a: Action):
        p = a.profit
        return ((p[0] / a.cost) if p is not None else 1.0, -a.cost, a.action_id)

    total = sum(a.cost for a in actions)
    out: list[Action] = []
    for a in sorted([a for a in actions if a.cost > 0], key=key):
        if total <= limit:
            break
        out.append(a)
        total -= a.cost
    for a in reversed(list(out)):  # the best of the cut first
        if total + a.cost <= limit:
            out.remove(a)
            total += a.cost
    kept = [a for a in actions if a not in out]
    cut = [
        {
            "action_id": a.action_id,
            "action": a.action,
            "reason": "over_budget",
            "cost": a.cost,
            "customers": a.customers,
            **{k: a.details.get(k) for k in ("campaign_id", "name", "kind", "start_date", "drivers")},
        }
        for a in out
    ]
    return kept, cut


# ---------------------------------------------------------------------------
# the plan


def plan_people(bank: Bank) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(active customers: index customer_id, tier (today), segment, rm_id,
    revenue_12m; the value base: customer_id, revenue_12m)."""
    base = value_base(bank)
    ids = active_customer_ids(bank)
    c = bank.customers.set_index("customer_id").reindex(ids)
    out = pd.DataFrame(index=ids)
    out["tier"] = c["vip_tier"].astype(object).where(c["vip_tier"].notna(), "none")
    out["segment"] = c["segment"].astype(object)
    out["rm_id"] = c["rm_id"].astype(object).where(c["rm_id"].notna(), None)
    out["revenue_12m"] = base.set_index("customer_id")["revenue_12m"].reindex(ids).fillna(0.0)
    return out, base


def missing_figures(sections: Mapping[str, Mapping]) -> list[str]:
    """Schema-2 figures the plan would use that the sections lack (dotted paths)."""
    out = []
    econ = sections.get("economics")
    if not (
        isinstance(econ, Mapping) and econ.get("status", "ok") == "ok" and isinstance(econ.get("funds_margin"), Mapping)
    ):
        out.append("economics.funds_margin")
    camp = sections.get("campaigns")
    if isinstance(camp, Mapping) and camp.get("status") == "ok":
        for cid, f in camp.items():
            if isinstance(f, Mapping) and "design" in f:
                out += [f"campaigns.{cid}.{k}" for k in ("verdict", "profit_12m") if f.get(k) is None]
    return out


def analyze(bank: Bank, sections: Mapping[str, Mapping], assumptions: Assumptions | None = None) -> PlanResult:
    """Next quarter's plan by the module's rules (its section Skipped without active customers)."""
    bank, a = bank.assumed(assumptions)
    people, base = plan_people(bank)
    quarter = next_quarter(bank.timeframe.as_of)
    if people.empty:
        return PlanResult(
            [], quarter, {}, {}, [], {}, [], a, skipped="no active customer in month M: there is nobody to plan for"
        )
    basis = plan_basis(bank, people, base, a)
    n_top = math.ceil(a.top_share * len(base))
    top_ids = base.sort_values(["revenue_12m", "customer_id"], ascending=[False, True]).head(n_top)["customer_id"]
    top = pd.Index(top_ids).intersection(people.index)
    rows, not_scheduled, subgroups = campaign_actions(
        bank, people, sections.get("campaigns"), sections.get("economics"), a, quarter
    )
    rows += evidence_actions(bank, people, top, sections, basis, a, quarter)
    known = {**sections, "plan": {"basis": basis}}
    for r in rows:  # a path the sections lack is never cited (nothing is computed here in its place)
        r.evidence = [p for p in dict.fromkeys(r.evidence) if resolves(known, p)]
    limit = a.plan_budget_share * basis["yearly_profit"]
    rows, cut = apply_budget(rows, max(limit, 0.0))
    capacity = apply_capacity(rows, people, managers_of(bank), a.rm_contacts_per_quarter)
    rm = sections.get("relationship_managers") or {}
    for r in rows:  # a coverage row that lost customers to capacity aims lower
        if r.action == "rm_coverage" and r.details.get("dropped_for_capacity") and rm.get("top20_customers"):
            r.target = min(1.0, (r.baseline or 0.0) + r.customers / rm["top20_customers"])
    budget = {
        "limit": max(limit, 0.0),
        "share": a.plan_budget_share,
        "yearly_profit": basis["yearly_profit"],
        "planned": float(sum(r.cost for r in rows)),
    }
    return PlanResult(
        actions=rows,
        period=quarter,
        budget=budget,
        capacity=capacity,
        not_scheduled=not_scheduled + cut,
        basis=basis,
        missing=missing_figures(sections),
        assumptions=a,
        subgroups=subgroups,
    )


def top_actions(section: Mapping, n: int = DECISIONS) -> list[dict]:
    """The plan's decisions for the first page: rows with a profit by profit,
    then the rest by what they commit (cost), then by the profit of the
    customers concerned; at most `n`."""
    if not isinstance(section, Mapping) or section.get("status") != "ok":
        return []
    details = section.get("details") or {}

    def key(r):
        p = r.get("profit_12m")
        stake = (details.get(r["action_id"]) or {}).get("value_at_stake") or 0.0
        return (p is None, -(p or 0.0), -(r.get("cost") or 0.0), -stake, r["action_id"])

    return sorted(section.get("actions") or [], key=key)[:n]


# ---------------------------------------------------------------------------
# RESULTS.md's invariants


def _campaign_of(path: str, campaigns: Mapping) -> str | None:
    if not path.startswith("campaigns."):
        return None
    rest = path[len("campaigns.") :]
    for cid in sorted((k for k in campaigns if isinstance(campaigns.get(k), Mapping)), key=len, reverse=True):
        if rest == cid or rest.startswith(cid + "."):
            return cid
    return None


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == ""


def plan_invariant_problems(plan_table, results: Mapping) -> list[str]:
    """Every breach of RESULTS.md's plan invariants, in words ([] when none).

    `plan_table`: plan.csv as a DataFrame (or its rows as dicts); `results`:
    the branch's results.json. Checks the columns, that evidence paths
    resolve, dates inside the quarter after as_of, cost ≥ 0, profit interval
    order, holdout in [0, 1), that a campaign row contacting customers
    without a holdout rests on a `grow` campaign, that a `stop` campaign is
    not run, and that `plan` in results.json equals the sums of the rows.
    """
    df = plan_table if isinstance(plan_table, pd.DataFrame) else pd.DataFrame(list(plan_table))
    problems = []
    if list(df.columns) != list(PLAN_COLUMNS):
        problems.append(f"plan.csv columns are {list(df.columns)}, not {list(PLAN_COLUMNS)}")
        if not set(PLAN_COLUMNS) <= set(df.columns):
            return problems
    if df["action_id"].duplicated().any():
        problems.append(f"action_id repeated: {sorted(set(df.loc[df['action_id'].duplicated(), 'action_id']))}")
    q0, q1 = next_quarter(results.get("as_of")) if results.get("as_of") else (None, None)
    camps = results.get("campaigns") if isinstance(results.get("campaigns"), Mapping) else {}
    for r in df.to_dict("records"):
        aid = r["action_id"]
        if r["topic"] not in TOPICS:
            problems.append(f"{aid}: topic {r['topic']!r} is not one of {', '.join(TOPICS)}")
        paths = [] if _blank(r["evidence"]) else [p for p in str(r["evidence"]).split(";") if p]
        if not paths:
            problems.append(f"{aid}: no evidence path")
        for p in paths:
            if not resolves(results, p):
                problems.append(f"{aid}: evidence {p} does not resolve in results.json")
        try:
            start, end = pd.Timestamp(r["start"]), pd.Timestamp(r["end"])
        except (ValueError, TypeError):
            problems.append(f"{aid}: start {r['start']!r} or end {r['end']!r} is not a date")
        else:
            if start > end:
                problems.append(f"{aid}: starts {r['start']} after it ends {r['end']}")
            if q0 is not None and not (q0 <= start <= q1 and q0 <= end <= q1):
                problems.append(
                    f"{aid}: {r['start']} … {r['end']} is not inside the quarter {q0:%Y-%m-%d} … {q1:%Y-%m-%d}"
                )
        if _blank(r["cost"]) or float(r["cost"]) < 0:
            problems.append(f"{aid}: cost {r['cost']!r} is not ≥ 0")
        p, lo, hi = (None if _blank(r[k]) else float(r[k]) for k in ("profit_12m", "profit_ci_low", "profit_ci_high"))
        if p is None and (lo is not None or hi is not None):
            problems.append(f"{aid}: a profit interval without a profit")
        if p is not None and not ((lo is None or lo <= p) and (hi is None or p <= hi)):
            problems.append(f"{aid}: profit {p} is not inside its interval {lo} … {hi}")
        h = None if _blank(r["holdout_share"]) else float(r["holdout_share"])
        if h is None or not 0 <= h < 1:
            problems.append(f"{aid}: holdout_share {r['holdout_share']!r} is not in [0, 1)")
        customers = 0 if _blank(r["customers"]) else int(r["customers"])
        for cid in sorted({c for c in (_campaign_of(x, camps) for x in paths) if c}):
            verdict = (camps.get(cid) or {}).get("verdict")
            if customers > 0 and h == 0 and verdict != "grow":
                problems.append(
                    f"{aid}: contacts {customers} customers without a holdout, but {cid} is "
                    f"{verdict or 'without a verdict'}, not grow"
                )
            if verdict == "stop" and (customers > 0 or (not _blank(r["cost"]) and float(r["cost"]) > 0)):
                problems.append(f"{aid}: runs {cid} again, whose verdict is stop")
    plan = results.get("plan")
    if isinstance(plan, Mapping) and plan.get("status", "ok") == "ok":
        cost = float(pd.to_numeric(df["cost"], errors="coerce").fillna(0).sum())
        profit = float(pd.to_numeric(df["profit_12m"], errors="coerce").fillna(0).sum())
        if not math.isclose(float(plan.get("cost") or 0), cost, rel_tol=1e-9, abs_tol=0.01):
            problems.append(f"plan.cost {plan.get('cost')} is not the sum of plan.csv's cost {cost}")
        if not math.isclose(float(plan.get("profit_12m") or 0), profit, rel_tol=1e-9, abs_tol=0.01):
            problems.append(
                f"plan.profit_12m {plan.get('profit_12m')} is not the sum of plan.csv's profit_12m {profit}"
            )
        if len(plan.get("actions") or []) != len(df):
            problems.append(f"plan.actions has {len(plan.get('actions') or [])} rows, plan.csv {len(df)}")
    return problems


__all__ = [
    "PLAN_COLUMNS",
    "VERDICTS",
    "PlanResult",
    "PlanSection",
    "analyze",
    "next_quarter",
    "plan_invariant_problems",
    "top_actions",
]
