"""Who looks after the valuable customers: relationship-manager coverage,
each manager's book, and a proposal to assign the uncovered (RESULTS.md
`relationship_managers`; the seed's 客户经理一对一责任制 and 自动分配客户至业务经理).

    risk = churn.churn_risk(bank, churn_fit)     # p_churn of active customers (analysis.questions.churn)
    fit = analyze(bank, risk=risk)               # coverage, the proposal, each manager's book
    fit.section()                                # ManagersSection: results.json's `relationship_managers`
    fit.coverage, fit.proposal, fit.book, fit.flags

Definitions (over the customers of the `value` section: any snapshot in the
window, revenue_12m summed over it):

* ranking: revenue_12m descending, ties broken by customer_id ascending;
  the top ⌈0.2 n⌉ are "the top 20 %" (`Assumptions.top_share`; the
  counting is `analysis.questions.value.count_of`).
* `coverage_top20`: share of the top 20 % with an rm_id; `uncovered_top20`
  how many have none (closed customers included, as the contract says).
* `per_rm`: per rm_id, `customers` = active customers assigned and
  `revenue_12m` = the revenue_12m of those active customers (this is what the
  conformance figures sum). Every manager of the branch is listed: those of
  the `relationship_managers` table and every rm_id found in customers; a
  manager without an active customer is listed with 0 and 0.0.

The proposal (`assign`) is the suite's own method, deterministic:

1. Candidates: uncovered top-20 % customers who are still active (a closed
   customer cannot be served; they are counted apart as `closed`).
2. Order: customers at risk of leaving first (p_churn from the churn model
   ≥ the branch's mean p_churn), largest revenue at risk (p × revenue)
   first; then the rest by revenue_12m; ties by customer_id.
3. Capacity: a manager's book (active customers) may not exceed the stated
   capacity (`CapacityRule`: by grade when the table gives grades, else one
   number). Managers already at or above capacity get nobody.
4. Choice of manager: the manager who already serves most of the
   customer's household, when the data carry a household column
   (`HOUSEHOLD_COLUMNS`; an extra column the loader keeps) and that manager
   has room; otherwise, among managers with room whose utilisation (book ÷
   capacity) is within `slack` of the least utilised one (load balance), the
   one whose book has the largest share of the customer's segment, then of
   the customer's area (affinity the data show), then the least utilised,
   then rm_id.

The sentences are in `analysis.words.managers`, the figures in
`analysis.figures.managers`; the lists are written by `analysis.run.tables`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, churn_cohort, value_base
from analysis.data.contract import RM_GRADES
from analysis.data.timeframe import window_coverage
from analysis.questions.churn import RiskScores
from analysis.questions.value import count_of, rank_by_revenue
from analysis.sections import Section, Skipped
from analysis.stats.rates import fisher_p, holm, poisson_p, wilson_interval

#: Extra customer columns read as a household key, first found wins.
HOUSEHOLD_COLUMNS = ("household_id", "household", "family_id")
#: utilisation points (book ÷ capacity) within which managers count as equally loaded
DEFAULT_SLACK = 0.05
REASONS = ("household", "segment", "load")
PORTFOLIO_METRICS = ("churn_rate", "complaints_per_100", "digital_share")
NO_RM_ID = "no customer has an rm_id: relationship-manager coverage cannot be measured"


# ---------------------------------------------------------------------------
# Capacity


@dataclass(frozen=True)
class CapacityRule:
    """The most active customers a manager may carry in their book.

    `by_grade` applies when the `relationship_managers` table gives the
    manager's grade; `default` to managers without a known grade; `per_rm`
    overrides both for named managers. Defaults: junior 200, senior 250,
    principal 300, otherwise 250 — a starting point for the branch to set.
    """

    by_grade: Mapping[str, int] = field(default_factory=lambda: {"junior": 200, "senior": 250, "principal": 300})
    default: int = 250
    per_rm: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.by_grade) - set(RM_GRADES)
        if unknown:
            raise ValueError(f"unknown grades in the capacity rule: {sorted(unknown)}; grades are {RM_GRADES}")
        for k, v in [*self.by_grade.items(), ("default", self.default), *self.per_rm.items()]:
            if int(v) != v or v < 0:
                raise ValueError(f"capacity of {k} must be a whole number ≥ 0, not {v!r}")

    def capacity(self, rm_id: str, grade: object = None) -> int:
        if rm_id in self.per_rm:
            return int(self.per_rm[rm_id])
        if isinstance(grade, str) and grade in self.by_grade:
            return int(self.by_grade[grade])
        return int(self.default)

    def as_dict(self, graded: bool) -> dict:
        """The rule for the section: unit, per grade (when grades are known), default, overrides."""
        out = {"unit": "active customers in a manager's book", "graded": graded, "default": int(self.default)}
        if graded:
            out["by_grade"] = {g: int(v) for g, v in self.by_grade.items()}
        if self.per_rm:
            out["per_rm"] = {k: int(v) for k, v in self.per_rm.items()}
        return out


# ---------------------------------------------------------------------------
# Coverage (the contract's figures)


def household_column(customers: pd.DataFrame) -> str | None:
    """The household key column of customers, if the data carry one."""
    for c in HOUSEHOLD_COLUMNS:
        if c in customers.columns and customers[c].notna().any():
            return c
    return None


def manager_roster(bank: Bank) -> pd.DataFrame:
    """Every manager of the branch: rm_id, grade (None when unknown), hire_date.

    The `relationship_managers` table's rows of the branch, plus any rm_id
    found in customers but missing from the table (no grade), sorted by rm_id.
    """
    ids = set(bank.customers["rm_id"].dropna().astype(str))
    rows = []
    t = bank.relationship_managers
    if t is not None and len(t):
        for _, r in t.iterrows():
            rows.append(
                {
                    "rm_id": str(r["rm_id"]),
                    "grade": None if pd.isna(r["grade"]) else str(r["grade"]),
                    "hire_date": r["hire_date"],
                }
            )
    listed = {r["rm_id"] for r in rows}
    rows += [{"rm_id": i, "grade": None, "hire_date": pd.NaT} for i in sorted(ids - listed)]
    out = pd.DataFrame(rows, columns=["rm_id", "grade", "hire_date"])
    return out.sort_values("rm_id", kind="mergesort").reset_index(drop=True)


@dataclass
class Coverage:
    """Relationship-manager coverage of a branch's valuable customers.

    `ranked`: the value base ranked (customer_id, revenue_12m, rank, rm_id,
    active, segment, area, vip_tier[, household]); `top`: its first ⌈0.2 n⌉
    rows; `book`: active customers with an rm_id (customer_id, rm_id,
    segment, area, revenue_12m[, household]); `roster`: managers (rm_id,
    grade, hire_date); `household`: the household column used, or None.
    """

    ranked: pd.DataFrame
    top: pd.DataFrame
    book: pd.DataFrame
    roster: pd.DataFrame
    household: str | None

    @property
    def n_base(self) -> int:
        return len(self.ranked)

    @property
    def coverage_top20(self) -> float | None:
        """Share of the top 20 % with an rm_id (None for an empty base)."""
        return float(self.top["rm_id"].notna().mean()) if len(self.top) else None

    @property
    def uncovered_top20(self) -> int:
        return int(self.top["rm_id"].isna().sum())

    @property
    def graded(self) -> bool:
        return bool(self.roster["grade"].notna().any())

    def per_rm(self) -> pd.DataFrame:
        """Per manager (index rm_id): grade, customers (active, assigned) and
        revenue_12m (CNY, those active customers' revenue over the window)."""
        g = self.book.groupby("rm_id")
        out = self.roster.set_index("rm_id")[["grade"]].copy()
        out["customers"] = g.size().reindex(out.index).fillna(0).astype(int)
        out["revenue_12m"] = g["revenue_12m"].sum().reindex(out.index).fillna(0.0).astype(float)
        return out

    def per_rm_dict(self) -> dict:
        """`per_rm` of the section: rm_id → {customers, revenue_12m}."""
        t = self.per_rm()
        return {
            rm: {"customers": int(r["customers"]), "revenue_12m": float(r["revenue_12m"])} for rm, r in t.iterrows()
        }


def rm_coverage(bank: Bank, assumptions: Assumptions | None = None) -> Coverage:
    """Coverage of the top 20 % (`assumptions.top_share`) by relationship managers and every manager's book."""
    bank, a = bank.assumed(assumptions)
    c = bank.customers.set_index("customer_id")
    hh = household_column(bank.customers)
    active = set(active_customer_ids(bank))
    ranked = rank_by_revenue(value_base(bank))
    ids = ranked["customer_id"]
    ranked["rm_id"] = c["rm_id"].reindex(ids).to_numpy()
    ranked["active"] = ids.isin(active).to_numpy()
    for col in ("segment", "area"):
        ranked[col] = c[col].astype(object).reindex(ids).to_numpy()
    ranked["vip_tier"] = c["vip_tier"].astype(object).reindex(ids).fillna("none").to_numpy()
    if hh:
        ranked["household"] = c[hh].reindex(ids).to_numpy()
    top = ranked.head(count_of(len(ranked), a.top_share)).copy()

    a = bank.customers[bank.customers["customer_id"].isin(active) & bank.customers["rm_id"].notna()]
    book = pd.DataFrame(
        {
            "customer_id": a["customer_id"].to_numpy(),
            "rm_id": a["rm_id"].astype(str).to_numpy(),
            "segment": a["segment"].astype(object).to_numpy(),
            "area": a["area"].astype(object).to_numpy(),
        }
    )
    rev = ranked.set_index("customer_id")["revenue_12m"]
    book["revenue_12m"] = rev.reindex(book["customer_id"]).fillna(0.0).to_numpy()
    if hh:
        book["household"] = a[hh].to_numpy()
    return Coverage(ranked, top, book, manager_roster(bank), hh)


# ---------------------------------------------------------------------------
# The assignment


def priority_order(candidates: pd.DataFrame) -> pd.DataFrame:
    """Candidates in the order they are served: at risk first (by revenue at
    risk p_churn × revenue_12m, largest first), then the rest by revenue_12m;
    ties by customer_id. Needs customer_id, revenue_12m, at_risk, p_churn."""
    c = candidates.copy()
    p = c["p_churn"].astype(float).fillna(0.0)
    c["_key"] = np.where(c["at_risk"], p * c["revenue_12m"], c["revenue_12m"])
    c["_not_risk"] = ~c["at_risk"].astype(bool)
    c = c.sort_values(["_not_risk", "_key", "customer_id"], ascending=[True, False, True], kind="mergesort")
    return c.drop(columns=["_key", "_not_risk"]).reset_index(drop=True)


def _shares(book: pd.DataFrame, col: str) -> dict[tuple, float]:
    if book.empty or col not in book:
        return {}
    counts = book.groupby(["rm_id", col], observed=True).size()
    totals = book.groupby("rm_id").size()
    return {(rm, v): n / totals[rm] for (rm, v), n in counts.items()}


def _household_rm(book: pd.DataFrame) -> dict:
    """household → the manager serving most of its active members (ties: rm_id)."""
    if "household" not in book or book["household"].isna().all():
        return {}
    b = book.dropna(subset=["household"])
    n = b.groupby(["household", "rm_id"]).size().rename("n").reset_index()
    n = n.sort_values(["household", "n", "rm_id"], ascending=[True, False, True], kind="mergesort")
    return dict(n.drop_duplicates("household")[["household", "rm_id"]].itertuples(index=False))


def assign(
    candidates: pd.DataFrame,
    managers: pd.DataFrame,
    book: pd.DataFrame,
    slack: float = DEFAULT_SLACK,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Assign candidates to managers within capacity (the module's rule, steps 2–4).

    `candidates`: customer_id, revenue_12m, segment, area, at_risk (bool),
    p_churn (NaN when unscored)[, household]. `managers`: rm_id, capacity,
    load (active customers now in the book). `book`: the current books
    (customer_id, rm_id, segment, area[, household]).

    Returns (assignments, left): assignments in priority order with columns
    order (1 …), customer_id, rm_id, reason (household / segment / load);
    left: the candidates not assigned (no manager had room), reason "no_capacity".
    """
    if slack < 0:
        raise ValueError("slack must be ≥ 0")
    order = priority_order(candidates)
    m = managers.sort_values("rm_id", kind="mergesort")
    rms = m["rm_id"].astype(str).tolist()
    cap = dict(zip(rms, m["capacity"].astype(int)))
    load = dict(zip(rms, m["load"].astype(int)))
    seg_share, area_share = _shares(book, "segment"), _shares(book, "area")
    home = _household_rm(book)
    done, left = [], []
    for row in order.itertuples(index=False):
        room = [r for r in rms if load[r] < cap[r]]
        if not room:
            left.append({"customer_id": row.customer_id, "reason": "no_capacity"})
            continue
        hh = getattr(row, "household", None)
        chosen, reason = None, None
        if hh is not None and not pd.isna(hh) and home.get(hh) in room:
            chosen, reason = home[hh], "household"
        else:
            util = {r: load[r] / cap[r] for r in room}
            floor = min(util.values())
            near = [r for r in room if util[r] <= floor + slack + 1e-12]
            key = {
                r: (seg_share.get((r, row.segment), 0.0), area_share.get((r, row.area), 0.0), -util[r]) for r in near
            }
            chosen = min(near, key=lambda r: (-key[r][0], -key[r][1], -key[r][2], r))
            lowest_seg = min(k[0] for k in key.values())
            reason = "segment" if key[chosen][0] > lowest_seg else "load"
        load[chosen] += 1
        done.append({"order": len(done) + 1, "customer_id": row.customer_id, "rm_id": chosen, "reason": reason})
    assignments = pd.DataFrame(done, columns=["order", "customer_id", "rm_id", "reason"])
    return assignments, pd.DataFrame(left, columns=["customer_id", "reason"])


@dataclass
class Proposal:
    """The proposal to give the uncovered top-20 % customers a manager.

    `assignments` (priority order): order, customer_id (real: keep out of
    reports), rm_id, reason, at_risk, p_churn, revenue_12m (CNY), segment,
    area, vip_tier. `unassigned`: uncovered top customers not assigned, with
    reason ("closed": no longer a customer; "no_capacity"). `managers`: per
    manager grade, capacity, load_before, load_after (active customers).
    """

    assignments: pd.DataFrame
    unassigned: pd.DataFrame
    managers: pd.DataFrame
    coverage_before: float | None
    coverage_after: float | None
    rule: CapacityRule
    graded: bool
    risk_threshold: float | None
    risk_reason: str | None = None
    slack: float = DEFAULT_SLACK

    @property
    def n(self) -> int:
        """proposed_assignments: uncovered top-20 % customers the proposal assigns."""
        return len(self.assignments)

    def count(self, reason: str) -> int:
        return int((self.unassigned["reason"] == reason).sum())

    def private_table(self) -> pd.DataFrame:
        """The full list with real customer ids (for the run's private/ folder only)."""
        cols = ["order", "customer_id", "rm_id", "reason", "at_risk", "p_churn", "revenue_12m", "segment", "area"]
        return self.assignments[cols + ["vip_tier"]].copy()


def propose_assignments(
    bank: Bank,
    coverage: Coverage | None = None,
    risk: RiskScores | None = None,
    rule: CapacityRule | None = None,
    slack: float = DEFAULT_SLACK,
    assumptions: Assumptions | None = None,
) -> Proposal:
    """Assign the uncovered, still active top-20 % customers to managers (module rule)."""
    cov = coverage if coverage is not None else rm_coverage(bank, assumptions)
    rule = rule or CapacityRule()
    per = cov.per_rm()
    managers = pd.DataFrame(
        {
            "rm_id": per.index.astype(str),
            "grade": per["grade"].to_numpy(),
            "capacity": [rule.capacity(rm, g) for rm, g in zip(per.index, per["grade"])],
            "load": per["customers"].to_numpy(),
        }
    )
    uncovered = cov.top[cov.top["rm_id"].isna()]
    closed = uncovered[~uncovered["active"]]
    cand = uncovered[uncovered["active"]].copy()
    p = risk.p_churn if risk is not None else pd.Series(dtype=float)
    cand["p_churn"] = p.reindex(cand["customer_id"]).to_numpy()
    cand["at_risk"] = (
        risk.at_risk(cand["customer_id"]).to_numpy() if risk is not None else np.zeros(len(cand), dtype=bool)
    )
    if len(managers):
        done, left = assign(cand, managers, cov.book, slack)
    else:
        done = pd.DataFrame(columns=["order", "customer_id", "rm_id", "reason"])
        left = pd.DataFrame({"customer_id": cand["customer_id"], "reason": "no_capacity"})
    info = cand.set_index("customer_id")[["at_risk", "p_churn", "revenue_12m", "segment", "area", "vip_tier"]]
    done = done.join(info, on="customer_id")
    unassigned = pd.concat(
        [pd.DataFrame({"customer_id": closed["customer_id"], "reason": "closed"}), left], ignore_index=True
    )
    gained = done["rm_id"].value_counts()
    managers = managers.rename(columns={"load": "load_before"})
    managers["load_after"] = managers["load_before"] + managers["rm_id"].map(gained).fillna(0).astype(int)
    k = len(cov.top)
    after = (int(cov.top["rm_id"].notna().sum()) + len(done)) / k if k else None
    return Proposal(
        done.reset_index(drop=True),
        unassigned,
        managers.set_index("rm_id"),
        cov.coverage_top20,
        after,
        rule,
        cov.graded,
        risk.threshold if risk is not None else None,
        risk.reason if risk is not None else "no churn scores given",
        slack,
    )


# ---------------------------------------------------------------------------
# Portfolio view


def portfolio(
    bank: Bank,
    coverage: Coverage | None = None,
    rule: CapacityRule | None = None,
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """Each manager's book beside the branch (index rm_id, last row "branch").

    Columns: grade, customers (active), revenue_12m (CNY, of those),
    capacity, utilisation (customers ÷ capacity); cohort, churned,
    churn_rate (12 months, RESULTS.md churn cohort, by current rm_id) with
    churn_low/churn_high (Wilson, 1 − alpha); complaints (dated in the window, by
    the manager's customers of the value base), complaints_per_100 (per 100
    of those customers; NaN without interactions); digital_share (active
    customers digitally active in month M); and for each of the three
    metrics `<metric>_p`: Holm-adjusted p-value of the manager's book against
    the other managers' books pooled (Fisher exact for shares, Poisson score
    test for complaints). The branch row covers every customer.
    """
    bank, a = bank.assumed(assumptions)
    cov = coverage if coverage is not None else rm_coverage(bank, a)
    rule = rule or CapacityRule()
    tf = bank.timeframe
    per = cov.per_rm()
    rm_of = bank.customers.set_index("customer_id")["rm_id"]
    rows = {}
    # churn
    coh = churn_cohort(bank)
    coh["rm_id"] = rm_of.reindex(coh["customer_id"]).to_numpy()
    # complaints over the value base
    base = cov.ranked[["customer_id", "rm_id"]]
    comp = pd.Series(0, index=base["customer_id"])
    has_inter = bank.interactions is not None
    if has_inter:
        i = bank.interactions
        i = i[(i["type"] == "complaint") & tf.in_window(i["date"])]
        comp = i.groupby("customer_id").size().reindex(base["customer_id"]).fillna(0).astype(int)
    base = base.assign(complaints=comp.to_numpy())
    # digital, month M
    s = bank.monthly_snapshots
    s = s[s["month"] == tf.M].set_index("customer_id")["digital_active"]
    active = active_customer_ids(bank)
    dig = s.reindex(active).fillna(False).astype(bool)
    act = pd.DataFrame({"rm_id": rm_of.reindex(active).to_numpy(), "digital": dig.to_numpy()})

    def row(mask_coh, mask_base, mask_act) -> dict:
        n, k = int(mask_coh.sum()), int(coh.loc[mask_coh, "churned"].sum())
        lo, hi = wilson_interval(k, n, a.alpha)
        nb, kc = int(mask_base.sum()), int(base.loc[mask_base, "complaints"].sum())
        na, kd = int(mask_act.sum()), int(act.loc[mask_act, "digital"].sum())
        return {
            "cohort": n,
            "churned": k,
            "churn_rate": k / n if n else np.nan,
            "churn_low": lo,
            "churn_high": hi,
            "served_12m": nb,
            "complaints": kc if has_inter else np.nan,
            "complaints_per_100": 100 * kc / nb if nb and has_inter else np.nan,
            "digital_active": kd,
            "digital_share": kd / na if na else np.nan,
        }

    for rm in per.index:
        rows[rm] = row(coh["rm_id"] == rm, base["rm_id"] == rm, act["rm_id"] == rm)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out = per.join(out)
    out["capacity"] = [rule.capacity(rm, g) for rm, g in zip(out.index, out["grade"])]
    out["utilisation"] = out["customers"] / out["capacity"].replace(0, np.nan)
    # each book against the other managers' books pooled
    p_churn, p_comp, p_dig = {}, {}, {}
    managed_coh, managed_base, managed_act = coh["rm_id"].notna(), base["rm_id"].notna(), act["rm_id"].notna()
    for rm in out.index:
        r = out.loc[rm]
        others_coh = managed_coh & (coh["rm_id"] != rm)
        p_churn[rm] = fisher_p(
            int(r["churned"]), int(r["cohort"]), int(coh.loc[others_coh, "churned"].sum()), int(others_coh.sum())
        )
        others_base = managed_base & (base["rm_id"] != rm)
        p_comp[rm] = (
            poisson_p(
                int(r["complaints"]),
                float(r["served_12m"]),
                int(base.loc[others_base, "complaints"].sum()),
                float(others_base.sum()),
            )
            if has_inter
            else np.nan
        )
        others_act = managed_act & (act["rm_id"] != rm)
        p_dig[rm] = fisher_p(
            int(r["digital_active"]),
            int(r["customers"]),
            int(act.loc[others_act, "digital"].sum()),
            int(others_act.sum()),
        )
    out["churn_rate_p"] = holm(pd.Series(p_churn), a.alpha)
    out["complaints_per_100_p"] = holm(pd.Series(p_comp), a.alpha)
    out["digital_share_p"] = holm(pd.Series(p_dig), a.alpha)
    everyone = row(
        pd.Series(True, index=coh.index), pd.Series(True, index=base.index), pd.Series(True, index=act.index)
    )
    branch = pd.DataFrame(
        [
            {
                "grade": None,
                "customers": len(active),
                "revenue_12m": float(cov.ranked.loc[cov.ranked["active"], "revenue_12m"].sum()),
                **everyone,
            }
        ],
        index=["branch"],
    )
    out = pd.concat([out, branch])
    out.index.name = "rm_id"
    return out


def peer_rates(book: pd.DataFrame, rm: str, metric: str) -> float:
    """The metric over the other managers' books pooled (what an outlier is measured against)."""
    o = book.drop(index=[rm, "branch"], errors="ignore")
    if metric == "churn_rate":
        return float(o["churned"].sum() / o["cohort"].sum()) if o["cohort"].sum() else float("nan")
    if metric == "complaints_per_100":
        return float(100 * o["complaints"].sum() / o["served_12m"].sum()) if o["served_12m"].sum() else float("nan")
    return float(o["digital_active"].sum() / o["customers"].sum()) if o["customers"].sum() else float("nan")


def outliers(book: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Managers whose book differs reliably from their peers' (Holm-adjusted
    p < alpha), and books above capacity: rm_id, metric, value, peers, p_value,
    direction ("higher"/"lower"); metric "utilisation" for over capacity."""
    rows = []
    b = book.drop(index="branch", errors="ignore")
    for rm, r in b.iterrows():
        for m in PORTFOLIO_METRICS:
            p = r.get(f"{m}_p")
            if p is not None and not pd.isna(p) and p < alpha:
                peers = peer_rates(book, rm, m)
                rows.append(
                    {
                        "rm_id": rm,
                        "metric": m,
                        "value": r[m],
                        "peers": peers,
                        "p_value": p,
                        "direction": "higher" if r[m] > peers else "lower",
                    }
                )
        if r["utilisation"] > 1:
            rows.append(
                {
                    "rm_id": rm,
                    "metric": "utilisation",
                    "value": r["utilisation"],
                    "peers": np.nan,
                    "p_value": np.nan,
                    "direction": "higher",
                }
            )
    return pd.DataFrame(rows, columns=["rm_id", "metric", "value", "peers", "p_value", "direction"])


# ---------------------------------------------------------------------------
# The section and the question in one call


@dataclass(frozen=True)
class ManagersSection(Section):
    """results.json's `relationship_managers` (RESULTS.md): coverage of the
    top 20 %, the uncovered, every manager's book and how many the proposal
    assigns. Beyond the contract: `top20_customers`, `capacity_rule`,
    `coverage_top20_after` (coverage once the proposal is carried out),
    `uncovered_closed` and `left_unassigned` (no manager had room); the
    proposal's figures are absent when no proposal was made."""

    coverage_top20: float | None
    uncovered_top20: int
    per_rm: dict
    top20_customers: int
    proposed_assignments: int | None = None
    capacity_rule: dict | None = None
    coverage_top20_after: float | None = None
    uncovered_closed: int | None = None
    left_unassigned: int | None = None
    window_months: int | None = None  # months of the window the data hold, only when short: books of those months

    omit_when_none = (
        "proposed_assignments",
        "capacity_rule",
        "coverage_top20_after",
        "uncovered_closed",
        "left_unassigned",
        "window_months",
    )

    @classmethod
    def of(
        cls, coverage: Coverage, proposal: Proposal | None = None, window_months: int | None = None
    ) -> ManagersSection:
        extra: dict = {"window_months": window_months}
        if proposal is not None:
            extra |= {
                "proposed_assignments": proposal.n,
                "capacity_rule": proposal.rule.as_dict(proposal.graded),
                "coverage_top20_after": proposal.coverage_after,
                "uncovered_closed": proposal.count("closed"),
                "left_unassigned": proposal.count("no_capacity"),
            }
        return cls(
            coverage_top20=coverage.coverage_top20,
            uncovered_top20=coverage.uncovered_top20,
            per_rm=coverage.per_rm_dict(),
            top20_customers=len(coverage.top),
            **extra,
        )


def skip_reason(coverage: Coverage) -> str | None:
    """Why the section cannot be computed, or None."""
    if coverage.n_base == 0:
        return "no customer has a snapshot in the 12-month window"
    if coverage.roster.empty:
        return NO_RM_ID
    return None


@dataclass
class ManagersResult:
    """A branch's relationship managers: `coverage`, the assignment `proposal`,
    each manager's `book` (`portfolio`) and the `flags` on it (`outliers`);
    all None, with `reason`, when the section cannot be computed."""

    coverage: Coverage | None
    proposal: Proposal | None
    book: pd.DataFrame | None
    flags: pd.DataFrame | None
    assumptions: Assumptions
    reason: str | None = None
    window_months: int | None = None  # `ManagersSection.window_months`: set only when the window is short

    def section(self) -> ManagersSection | Skipped:
        """The `relationship_managers` section of results.json, computed or skipped."""
        if self.coverage is None:
            return Skipped(self.reason or NO_RM_ID)
        return ManagersSection.of(self.coverage, self.proposal, self.window_months)


def analyze(
    bank: Bank,
    assumptions: Assumptions | None = None,
    risk: RiskScores | None = None,
    rule: CapacityRule | None = None,
) -> ManagersResult:
    """Coverage, the assignment proposal (customers at risk first when `risk`,
    from `analysis.questions.churn.churn_risk`, is given) and each manager's book.

    Skipped when no customer has an rm_id, or the value base is empty.
    """
    bank, a = bank.assumed(assumptions)
    if bank.customers["rm_id"].isna().all():
        return ManagersResult(None, None, None, None, a, NO_RM_ID)
    cov = rm_coverage(bank, a)
    reason = skip_reason(cov)
    if reason:
        return ManagersResult(None, None, None, None, a, reason)
    prop = propose_assignments(bank, cov, risk, rule, assumptions=a)
    book = portfolio(bank, cov, rule, a)
    held = window_coverage(bank, a.window_months)[0]
    book.attrs["window_months"] = held  # the books' revenue_12m is of these months (words label it so)
    short = held if held < a.window_months else None
    return ManagersResult(cov, prop, book, outliers(book, a.alpha), a, window_months=short)
