"""Who looks after the valuable customers: relationship-manager coverage,
each manager's book, and a proposal to assign the uncovered (RESULTS.md
`relationship_managers`; the seed's 客户经理一对一责任制 and 自动分配客户至业务经理).

    cov = rm_coverage(bank)                      # contract figures
    risk = churn_risk(bank)                      # p_churn of active customers
    prop = propose_assignments(bank, cov, risk)  # the list for the branch
    section = relationship_managers_section(cov, prop)
    book = portfolio(bank, cov)                  # per-manager view, outliers

Definitions (over the customers of the `value` section: any snapshot in the
window, revenue_12m summed over it):

* ranking: revenue_12m descending, ties broken by customer_id ascending;
  the top ⌈0.2 n⌉ are "the top 20 %" (`analysis.value.count_of`).
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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from analysis.figures import style as plots
from analysis import sections
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, churn_cohort, value_base
from analysis.data.contract import RM_GRADES
from analysis.words.glossary import term
from analysis.words.format import money, money_unit, pct
from analysis.questions.value import TOP_SHARE, count_of, rank_by_revenue

#: Extra customer columns read as a household key, first found wins.
HOUSEHOLD_COLUMNS = ("household_id", "household", "family_id")
ALPHA = 0.05
#: utilisation points (book ÷ capacity) within which managers count as equally loaded
DEFAULT_SLACK = 0.05

REASONS = ("household", "segment", "load")


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
        return int(len(self.ranked))

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


def rm_coverage(bank: Bank) -> Coverage:
    """Coverage of the top 20 % by relationship managers and every manager's book."""
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
    top = ranked.head(count_of(len(ranked), TOP_SHARE)).copy()

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
# Risk of leaving (from the churn model)


@dataclass
class RiskScores:
    """p_churn (12-month probability of leaving) of active customers, and the
    threshold above which a customer counts as at risk (the branch's mean
    p_churn). `p_churn` is empty and `reason` set when the model could not be fitted."""

    p_churn: pd.Series
    threshold: float | None
    reason: str | None = None

    def at_risk(self, ids) -> pd.Series:
        p = self.p_churn.reindex(pd.Index(ids))
        if self.threshold is None:
            return pd.Series(False, index=p.index)
        return (p >= self.threshold).fillna(False)


def churn_risk(bank: Bank, analysis=None) -> RiskScores:
    """Score the active customers with the branch's churn model (`analysis.churn`).

    Pass `analysis` (from `churn.analyze`) to reuse a fit.
    """
    from analysis.questions.churn import analyze, at_risk_list

    analysis = analysis if analysis is not None else analyze(bank)
    if analysis.model is None:
        return RiskScores(pd.Series(dtype=float, name="p_churn"), None, analysis.reason)
    t = at_risk_list(bank, analysis).table
    p = t.set_index("customer_id")["p_churn"].astype(float)
    return RiskScores(p, float(p.mean()) if len(p) else None)


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
        return int(len(self.assignments))

    def count(self, reason: str) -> int:
        return int((self.unassigned["reason"] == reason).sum())


def propose_assignments(
    bank: Bank,
    coverage: Coverage | None = None,
    risk: RiskScores | None = None,
    rule: CapacityRule | None = None,
    slack: float = DEFAULT_SLACK,
) -> Proposal:
    """Assign the uncovered, still active top-20 % customers to managers (module rule)."""
    cov = coverage if coverage is not None else rm_coverage(bank)
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
# The section


def relationship_managers_section(
    coverage: Coverage | None, proposal: Proposal | None = None, bank: Bank | None = None
) -> dict:
    """The `relationship_managers` section (RESULTS.md), or skipped.

    Skipped when no customer has an rm_id, or the value base is empty. Beyond
    the contract: `capacity_rule`, `top20_customers`, `coverage_top20_after`
    (coverage once the proposal is carried out), `uncovered_closed` and
    `left_unassigned` (no manager had room).
    """
    if coverage is None:
        if bank is None:
            raise TypeError("relationship_managers_section needs a coverage or a bank")
        if bank.customers["rm_id"].isna().all():
            return sections.skipped("no customer has an rm_id: relationship-manager coverage cannot be measured")
        coverage = rm_coverage(bank)
    reason = skip_reason(coverage)
    if reason:
        return sections.skipped(reason)
    out = {
        "coverage_top20": coverage.coverage_top20,
        "uncovered_top20": coverage.uncovered_top20,
        "per_rm": coverage.per_rm_dict(),
        "top20_customers": int(len(coverage.top)),
    }
    if proposal is not None:
        out.update(
            proposed_assignments=proposal.n,
            capacity_rule=proposal.rule.as_dict(proposal.graded),
            coverage_top20_after=proposal.coverage_after,
            uncovered_closed=proposal.count("closed"),
            left_unassigned=proposal.count("no_capacity"),
        )
    return sections.ok(**out)


def skip_reason(coverage: Coverage) -> str | None:
    """Why the section cannot be computed, or None."""
    if coverage.n_base == 0:
        return "no customer has a snapshot in the 12-month window"
    if coverage.roster.empty:
        return "no customer has an rm_id: relationship-manager coverage cannot be measured"
    return None


def rm_section(
    bank: Bank, risk: RiskScores | None = None, rule: CapacityRule | None = None
) -> tuple[dict, Coverage | None, Proposal | None]:
    """(section, coverage, proposal) for a branch in one call; coverage and
    proposal are None when the section is skipped."""
    if bank.customers["rm_id"].isna().all():
        return (
            sections.skipped("no customer has an rm_id: relationship-manager coverage cannot be measured"),
            None,
            None,
        )
    cov = rm_coverage(bank)
    if skip_reason(cov):
        return sections.skipped(skip_reason(cov)), None, None
    prop = propose_assignments(bank, cov, risk, rule)
    return relationship_managers_section(cov, prop), cov, prop


# ---------------------------------------------------------------------------
# Portfolio view


def _wilson(k: int, n: int) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    if n == 0:
        return float("nan"), float("nan")
    lo, hi = proportion_confint(k, n, alpha=ALPHA, method="wilson")
    return float(lo), float(hi)


def _fisher_p(k1: int, n1: int, k2: int, n2: int) -> float:
    from scipy.stats import fisher_exact

    if n1 == 0 or n2 == 0:
        return float("nan")
    return float(fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue)


def _poisson_p(k1: int, e1: float, k2: int, e2: float) -> float:
    from statsmodels.stats.rates import test_poisson_2indep

    if e1 <= 0 or e2 <= 0 or k1 + k2 == 0:
        return float("nan")
    return float(test_poisson_2indep(k1, e1, k2, e2, method="score").pvalue)


def _holm(p: pd.Series) -> pd.Series:
    from statsmodels.stats.multitest import multipletests

    ok = p.notna()
    out = pd.Series(np.nan, index=p.index)
    if ok.any():
        out[ok] = multipletests(p[ok].to_numpy(), alpha=ALPHA, method="holm")[1]
    return out


PORTFOLIO_METRICS = ("churn_rate", "complaints_per_100", "digital_share")


def portfolio(bank: Bank, coverage: Coverage | None = None, rule: CapacityRule | None = None) -> pd.DataFrame:
    """Each manager's book beside the branch (index rm_id, last row "branch").

    Columns: grade, customers (active), revenue_12m (CNY, of those),
    capacity, utilisation (customers ÷ capacity); cohort, churned,
    churn_rate (12 months, RESULTS.md churn cohort, by current rm_id) with
    churn_low/churn_high (Wilson 95 %); complaints (dated in the window, by
    the manager's customers of the value base), complaints_per_100 (per 100
    of those customers; NaN without interactions); digital_share (active
    customers digitally active in month M); and for each of the three
    metrics `<metric>_p`: Holm-adjusted p-value of the manager's book against
    the other managers' books pooled (Fisher exact for shares, Poisson score
    test for complaints). The branch row covers every customer.
    """
    cov = coverage if coverage is not None else rm_coverage(bank)
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
        lo, hi = _wilson(k, n)
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
        p_churn[rm] = _fisher_p(
            int(r["churned"]), int(r["cohort"]), int(coh.loc[others_coh, "churned"].sum()), int(others_coh.sum())
        )
        others_base = managed_base & (base["rm_id"] != rm)
        p_comp[rm] = (
            _poisson_p(
                int(r["complaints"]),
                float(r["served_12m"]),
                int(base.loc[others_base, "complaints"].sum()),
                float(others_base.sum()),
            )
            if has_inter
            else np.nan
        )
        others_act = managed_act & (act["rm_id"] != rm)
        p_dig[rm] = _fisher_p(
            int(r["digital_active"]),
            int(r["customers"]),
            int(act.loc[others_act, "digital"].sum()),
            int(others_act.sum()),
        )
    out["churn_rate_p"] = _holm(pd.Series(p_churn))
    out["complaints_per_100_p"] = _holm(pd.Series(p_comp))
    out["digital_share_p"] = _holm(pd.Series(p_dig))
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


def outliers(book: pd.DataFrame) -> pd.DataFrame:
    """Managers whose book differs reliably from their peers' (Holm-adjusted
    p < 0.05), and books above capacity: rm_id, metric, value, peers, p_value,
    direction ("higher"/"lower"); metric "utilisation" for over capacity."""
    rows = []
    b = book.drop(index="branch", errors="ignore")
    for rm, r in b.iterrows():
        for m in PORTFOLIO_METRICS:
            p = r.get(f"{m}_p")
            if p is not None and not pd.isna(p) and p < ALPHA:
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
# Words


def describe_coverage(section: Mapping, proposal: Proposal | None, lang: str = "zh") -> list[str]:
    """Sentences on coverage of the top 20 % and what the proposal changes."""
    zh = lang == "zh"
    rm = term("relationship manager", lang)
    if section.get("status") != "ok":
        return [
            f"{rm}分析未进行：{section.get('reason')}。"
            if zh
            else f"The relationship-manager analysis was not run: {section.get('reason')}."
        ]
    k, cov, unc = section["top20_customers"], section["coverage_top20"], section["uncovered_top20"]
    out = [
        f"按近12个月利润排名，前20%的{k:,}位客户中有{pct(cov, 1)}配有{rm}，{unc:,}位没有专人负责（与种子方案的“{rm}一对一责任制”相比的缺口）。"
        if zh
        else f"Of the top 20 % of customers by 12-month profit ({k:,}), {pct(cov, 1)} have a {rm.lower()}; {unc:,} have nobody "
        "answerable for them (the gap to the seed's one-manager-per-customer rule)."
    ]
    if proposal is None:
        return out
    closed, full = proposal.count("closed"), proposal.count("no_capacity")
    if closed:
        out.append(
            f"其中{closed}位已销户，无法再分配。"
            if zh
            else f"{closed} of them have already closed their relationship and cannot be assigned."
        )
    at_risk = int(proposal.assignments["at_risk"].sum()) if proposal.n else 0
    rule = proposal.rule
    cap = (
        (
            "、".join(f"{term(g, lang)}{v}人" for g, v in rule.by_grade.items())
            if proposal.graded
            else f"每人{rule.default}人"
        )
        if zh
        else (
            ", ".join(f"{term(g, lang).lower()} {v}" for g, v in rule.by_grade.items())
            if proposal.graded
            else f"{rule.default} each"
        )
    )
    if zh:
        first = f"其中{at_risk}位流失风险高于全行平均、排在最前；" if at_risk else ""
        out.append(
            f"建议将{proposal.n:,}位分配给现有{rm}（容量上限{'按职级' if proposal.graded else ''}：{cap}，以活跃客户数计），{first}"
            f"分配后前20%客户的覆盖率由{pct(proposal.coverage_before, 1)}升至{pct(proposal.coverage_after, 1)}。"
        )
    else:
        first = f", the {at_risk} whose risk of leaving is above the branch average first" if at_risk else ""
        out.append(
            f"We propose assigning {proposal.n:,} of them to the current managers (capacity{' by grade' if proposal.graded else ''}: "
            f"{cap}, active customers){first}; coverage of the top 20 % would rise from "
            f"{pct(proposal.coverage_before, 1)} to {pct(proposal.coverage_after, 1)}."
        )
    if full:
        out.append(
            f"另有{full}位因所有{rm}已满员而未能分配：需增配人手或调整容量。"
            if zh
            else f"{full} more could not be assigned because every manager is full: the branch needs more managers or a higher capacity."
        )
    if proposal.risk_threshold is None:
        out.append(
            "流失模型未能估计，排序仅按利润。"
            if zh
            else "The churn model could not be fitted, so the order is by profit alone."
        )
    reasons = proposal.assignments["reason"].value_counts() if proposal.n else pd.Series(dtype=int)
    if reasons.get("household", 0):
        out.append(
            f"{int(reasons['household'])}位交给了已服务其家庭成员的{rm}。"
            if zh
            else f"{int(reasons['household'])} go to the manager who already serves their household."
        )
    if reasons.get("segment", 0):
        out.append(
            f"{int(reasons['segment'])}位交给了名下同类客户占比最高的{rm}（在负荷相近的人中）。"
            if zh
            else f"{int(reasons['segment'])} go to the manager whose book has the most customers of their segment (among equally loaded managers)."
        )
    return out


#: The portfolio's own measures (zh, en); churn_rate is the glossary's churn_rate_12m.
_METRIC_WORDS = {
    "complaints_per_100": ("每百位客户投诉数", "Complaints per 100 customers"),
    "digital_share": ("手机银行/网银活跃客户占比", "Share active on mobile/online banking"),
    "utilisation": ("负荷（客户数÷容量）", "Load (customers ÷ capacity)"),
}


def metric_label(metric: str, lang: str = "zh") -> str:
    """Label of a portfolio measure (churn_rate, complaints_per_100, digital_share, utilisation)."""
    if metric == "churn_rate":
        return term("churn_rate_12m", lang)
    zh, en = _METRIC_WORDS[metric]
    return zh if lang == "zh" else en


def _fmt(metric: str, v: float) -> str:
    return f"{v:.1f}" if metric == "complaints_per_100" else pct(v, 1) if metric != "utilisation" else pct(v)


def describe_portfolio(book: pd.DataFrame, flags: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Sentences on the managers' books: spread of size and value, and every flagged outlier explained."""
    zh = lang == "zh"
    b = book.drop(index="branch", errors="ignore")
    br = book.loc["branch"] if "branch" in book.index else None
    if b.empty:
        return ["本网点没有客户经理。" if zh else "The branch has no relationship managers."]
    big, small = b["customers"].idxmax(), b["customers"].idxmin()
    out = [
        f"{len(b)}位客户经理名下共有{int(b['customers'].sum()):,}位活跃客户，"
        f"最多的{big}有{int(b.loc[big, 'customers'])}位（近12个月利润{money(b.loc[big, 'revenue_12m'], lang)}），"
        f"最少的{small}有{int(b.loc[small, 'customers'])}位。"
        if zh
        else f"{len(b)} managers look after {int(b['customers'].sum()):,} active customers; the largest book, {big}, has "
        f"{int(b.loc[big, 'customers'])} (12-month profit {money(b.loc[big, 'revenue_12m'], lang)}), the smallest, {small}, "
        f"{int(b.loc[small, 'customers'])}."
    ]
    if br is not None and not pd.isna(br["churn_rate"]):
        managed = b["churned"].sum() / b["cohort"].sum() if b["cohort"].sum() else float("nan")
        out.append(
            f"客户经理名下客户的流失率合计{pct(managed, 1)}，全行为{pct(br['churn_rate'], 1)}。"
            if zh
            else f"Customers with a manager churned at {pct(managed, 1)} over 12 months, the branch as a whole at {pct(br['churn_rate'], 1)}."
        )
    out.append(
        "以下把每位客户经理的客户与其他客户经理的客户合并比较；因为同时比较多位，p值按Holm方法校正（控制误判任何一位的机会不超过5%）。"
        if zh
        else "Each manager's book is compared with the other managers' books pooled; because several managers are compared at "
        "once, p-values are Holm-adjusted (the chance of wrongly flagging anyone stays below 5 %)."
    )
    if flags.empty:
        out.append(
            "没有哪位客户经理在流失、投诉或手机银行使用上与同事有可靠差异。"
            if zh
            else "No manager's book differs reliably from their peers' in churn, complaints or mobile-banking use."
        )
        return out
    for f in flags.itertuples(index=False):
        lab = metric_label(f.metric, lang)
        if f.metric == "utilisation":
            out.append(
                f"- {f.rm_id}：名下活跃客户已达容量的{pct(f.value)}，超出上限，新客户不应再分给他/她。"
                if zh
                else f"- {f.rm_id}: the book is at {pct(f.value)} of capacity, over the limit; no new customers should go there."
            )
            continue
        hi = f.direction == "higher"
        meaning = {
            ("churn_rate", True): (
                "需复盘其客户维护，优先安排回访。",
                "review how the book is looked after and schedule revisits first.",
            ),
            ("churn_rate", False): ("其做法值得同事借鉴。", "a practice worth sharing with peers."),
            ("complaints_per_100", True): (
                "需查明投诉来源并跟进处理。",
                "find where the complaints come from and follow them up.",
            ),
            ("complaints_per_100", False): ("", ""),
            ("digital_share", True): ("", ""),
            ("digital_share", False): (
                "应协助其客户开通并使用手机银行（手机银行活跃与较低流失相关）。",
                "help the book onto mobile banking (digital activity goes with lower churn).",
            ),
        }[(f.metric, hi)]
        word = ("高于" if hi else "低于") if zh else ("above" if hi else "below")
        m = meaning[0] if zh else meaning[1]
        out.append(
            f"- {f.rm_id}：{lab}{_fmt(f.metric, f.value)}，{word}其他客户经理的{_fmt(f.metric, f.peers)}（校正后p={f.p_value:.3f}）。{m}"
            if zh
            else f"- {f.rm_id}: {lab} {_fmt(f.metric, f.value)}, {word} the other managers' {_fmt(f.metric, f.peers)} "
            f"(adjusted p = {f.p_value:.3f}){'; ' + m if m else '.'}"
        )
    return out


def assignment_display(proposal: Proposal, pseud, lang: str = "zh", top: int | None = 30) -> pd.DataFrame:
    """The assignment list for a report: pseudonyms instead of customer ids, labelled columns, money in 万元 / thousand CNY."""
    from analysis.data.pseudonym import pseudonymise

    t = proposal.assignments if top is None else proposal.assignments.head(top)
    div, unit = money_unit(lang)
    zh = lang == "zh"
    out = pseudonymise(t[["customer_id"]], pseud)
    out = out.rename(columns={"pseudonym": "客户代号" if zh else "Customer (pseudonym)"})
    out[term("relationship manager", lang)] = t["rm_id"].to_numpy()
    out["客户类型" if zh else "Segment"] = [term(s, lang) for s in t["segment"]]
    out["VIP"] = [term(v, lang) for v in t["vip_tier"]]
    out[f"{term('revenue_12m', lang)}（{unit}）" if zh else f"{term('revenue_12m', lang)} ({unit})"] = [
        f"{v / div:,.1f}" for v in t["revenue_12m"]
    ]
    out["流失概率" if zh else "P(leave, 12 months)"] = [("—" if pd.isna(p) else f"{p:.0%}") for p in t["p_churn"]]
    why = {
        "household": ("已服务其家庭", "serves the household"),
        "segment": ("同类客户经验", "segment experience"),
        "load": ("负荷最低", "lightest load"),
    }
    out["分配依据" if zh else "Why this manager"] = [why[r][0 if zh else 1] for r in t["reason"]]
    out.index = t["order"].to_numpy()
    return out


def private_assignment_table(proposal: Proposal) -> pd.DataFrame:
    """The full list with real customer ids, for `pseudonym.write_private_table` only."""
    cols = [
        "order",
        "customer_id",
        "rm_id",
        "reason",
        "at_risk",
        "p_churn",
        "revenue_12m",
        "segment",
        "area",
        "vip_tier",
    ]
    return proposal.assignments[cols].copy()


# ---------------------------------------------------------------------------
# Figures


def plot_proposal(proposal: Proposal, lang: str = "zh"):
    """Before/after in one figure: coverage of the top 20 % (left) and each
    manager's load against capacity (right)."""
    import matplotlib.pyplot as plt

    zh = lang == "zh"
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4.5), gridspec_kw={"width_ratios": [1, 2.4]})
    before, after = proposal.coverage_before or 0.0, proposal.coverage_after or 0.0
    labels = ["现在", "分配后"] if zh else ["Now", "After"]
    a1.bar(labels, [before, after], color=[plots.NEUTRAL, plots.HOME])
    for x, v in enumerate([before, after]):
        a1.text(x, v + 0.02, pct(v), ha="center")
    a1.set_ylim(0, 1.1)
    plots.percent_axis(a1, "y")
    a1.set_ylabel("前20%客户中有客户经理的比例" if zh else "Top 20 % with a manager")
    m = proposal.managers
    x = np.arange(len(m))
    a2.bar(x - 0.2, m["load_before"], 0.4, color=plots.NEUTRAL, label=labels[0])
    a2.bar(x + 0.2, m["load_after"], 0.4, color=plots.HOME, label=labels[1])
    a2.scatter(
        x, m["capacity"], marker="_", s=600, color=plots.ACCENT, zorder=3, label="容量上限" if zh else "Capacity"
    )
    a2.set_xticks(x)
    a2.set_xticklabels(m.index, rotation=30, ha="right")
    a2.set_ylabel("名下活跃客户数" if zh else "Active customers in the book")
    a2.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3)
    a2.grid(axis="x", visible=False)
    a1.grid(axis="x", visible=False)
    fig.suptitle(
        f"再分配{proposal.n}位高价值客户，覆盖率由{pct(before)}升至{pct(after)}"
        if zh
        else f"Assigning {proposal.n} valuable customers lifts coverage from {pct(before)} to {pct(after)}",
        x=0.01,
        ha="left",
    )
    fig.tight_layout()
    return fig


def portfolio_title(book: pd.DataFrame, lang: str = "zh") -> str:
    """The churn figure's title: a reliably worse book if any, else how the books compare with the branch."""
    zh = lang == "zh"
    b = book.drop(index="branch", errors="ignore").dropna(subset=["churn_rate"])
    if b.empty:
        return "客户经理名下客户流失" if zh else "Churn by manager"
    worse = [
        rm
        for rm, r in b.iterrows()
        if r["churn_rate_p"] < ALPHA and r["churn_rate"] > peer_rates(book, rm, "churn_rate")
    ]
    if worse:
        rm = max(worse, key=lambda x: b.loc[x, "churn_rate"])
        return (
            f"{rm}名下客户流失率{pct(b.loc[rm, 'churn_rate'])}，明显高于其他客户经理"
            if zh
            else f"{rm}'s book churns at {pct(b.loc[rm, 'churn_rate'])}, reliably above the other managers'"
        )
    br = book.loc["branch", "churn_rate"] if "branch" in book.index else np.nan
    if not pd.isna(br) and (b["churn_rate"] < br).all():
        return (
            f"每位客户经理名下客户的流失率都低于全行的{pct(br)}"
            if zh
            else f"Every manager's book churns less than the branch's {pct(br)}"
        )
    return (
        "客户经理之间的流失率差异在随机波动范围内" if zh else "Managers' churn rates differ no more than chance would"
    )


def plot_portfolio(book: pd.DataFrame, lang: str = "zh"):
    """12-month churn of each manager's book with its 95 % interval, against the branch."""
    import matplotlib.pyplot as plt

    zh = lang == "zh"
    b = book.drop(index="branch", errors="ignore").dropna(subset=["churn_rate"])
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(b), 1) + 1.8))
    y = np.arange(len(b))[::-1]
    flagged = b["churn_rate_p"] < ALPHA
    for yi, (rm, r) in zip(y, b.iterrows()):
        col = plots.ACCENT if flagged[rm] and r["churn_rate"] > 0 else plots.HOME
        ax.plot([r["churn_low"], r["churn_high"]], [yi, yi], color=col, lw=2)
        ax.plot(r["churn_rate"], yi, "o", color=col)
    if "branch" in book.index and not pd.isna(book.loc["branch", "churn_rate"]):
        ax.axvline(
            book.loc["branch", "churn_rate"], color=plots.NEUTRAL, ls="--", lw=1, label="全行" if zh else "Branch"
        )
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0))
    ax.set_yticks(y)
    ax.set_yticklabels(b.index)
    plots.percent_axis(ax, "x")
    ax.set_xlabel("近12个月流失率（95%区间）" if zh else "12-month churn (95 % interval)")
    ax.grid(axis="y", visible=False)
    title = portfolio_title(book, lang)
    ax.set_title(title, loc="left", pad=24)
    fig.tight_layout()
    return fig


def portfolio_display(book: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The portfolio view for a report: per manager and the branch, labelled
    columns, money in 万元 / thousand CNY, shares as %; a flagged figure is marked ▲/▼."""
    zh = lang == "zh"
    div, unit = money_unit(lang)

    def mark(rm, m, text):
        p = book.at[rm, f"{m}_p"] if f"{m}_p" in book.columns else np.nan
        if rm == "branch" or pd.isna(p) or p >= ALPHA:
            return text
        return text + (" ▲" if book.at[rm, m] > peer_rates(book, rm, m) else " ▼")

    rows = []
    for rm, r in book.iterrows():
        rows.append(
            {
                (term("relationship manager", lang)): ("全行" if zh else "Branch") if rm == "branch" else rm,
                ("职级" if zh else "Grade"): "—" if not isinstance(r["grade"], str) else term(r["grade"], lang),
                ("活跃客户" if zh else "Active customers"): int(r["customers"]),
                metric_label("utilisation", lang): "—" if pd.isna(r.get("utilisation")) else pct(r["utilisation"]),
                (
                    f"{term('revenue_12m', lang)}（{unit}）" if zh else f"{term('revenue_12m', lang)} ({unit})"
                ): f"{r['revenue_12m'] / div:,.1f}",
                metric_label("churn_rate", lang): "—"
                if pd.isna(r["churn_rate"])
                else mark(rm, "churn_rate", pct(r["churn_rate"], 1)),
                metric_label("complaints_per_100", lang): "—"
                if pd.isna(r["complaints_per_100"])
                else mark(rm, "complaints_per_100", f"{r['complaints_per_100']:.1f}"),
                metric_label("digital_share", lang): "—"
                if pd.isna(r["digital_share"])
                else mark(rm, "digital_share", pct(r["digital_share"], 1)),
            }
        )
    return pd.DataFrame(rows).set_index(term("relationship manager", lang))


def write_assignment_lists(proposal: Proposal, pseud, out_dir, lang: str = "zh") -> tuple:
    """Write the assignment list twice: pseudonymised for the briefing
    (out_dir/tables/proposed_assignments.csv) and with real customer ids for
    the branch only (out_dir/private/proposed_assignments.csv). Returns both paths."""
    from pathlib import Path

    from analysis.data.pseudonym import write_private_table

    folder = Path(out_dir) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    public = folder / "proposed_assignments.csv"
    assignment_display(proposal, pseud, lang, top=None).to_csv(public, index_label="#", encoding="utf-8-sig")
    private = write_private_table(private_assignment_table(proposal), out_dir, "proposed_assignments.csv")
    return public, private
