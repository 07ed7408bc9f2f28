"""Which VIP services and events pay back (RESULTS.md "campaigns").

    result = analyze(bank)                    # everything the notebook shows
    section = result.section()                # CampaignsSection: the contract's figures
    section.to_dict()                         # as results.json holds it

Sentences are in `analysis.words.campaigns`, figures in
`analysis.figures.campaigns`; the verdict rule in `analysis.questions.verdicts`.

Two designs, two questions:

* **randomized** (a random holdout was not contacted): the difference
  treatment − control is the effect of *inviting* (intention to treat, ITT)
  on the share that responded and on the balance change; the effect of
  actually *taking part* (the complier effect) is the ITT divided by the
  share of the invited who took part — the Wald / instrumental-variable
  estimator with the random assignment as instrument (Bloom 1984; here no
  control can take part, so it is the effect on participants).
* **targeted** (no holdout; who took part was chosen or self-selected): the
  effect on the participants (ATT) comes from
  `analysis.stats.causal.ATTEstimator` on the covariates measured in the
  month before start (`Assumptions.campaign_covariates`; None: the churn
  driver features), beside the naive participants − pool difference it
  corrects, and a difference-in-differences on the monthly balances
  (`analysis.stats.did`) whose event study shows whether the two groups
  moved in step before start.

**Balance change** of a customer (CNY): (deposit_balance + wealth_aum) in the
month `campaign_post_months` (3) after the month of end_date minus the same
`campaign_pre_months` (1) before the month of start_date; customers lacking
either snapshot are left out.

Cost-effectiveness: the balance a campaign added in total (effect per person ×
people it reached: treated contacts for an ITT, participants for an ATT)
divided by its cost — "CNY of balance per CNY spent" — ranked, with the
uncertainty of the ranking from drawing each effect from its interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.contract import VIP_TIERS
from analysis.data.features import driver_features
from analysis.data.timeframe import month_start
from analysis.errors import UsageError
from analysis.questions.verdicts import VERDICTS, evidence_of, verdict
from analysis.sections import Section, Skipped, to_jsonable
from analysis.stats import causal
from analysis.stats.causal import ATTEstimator
from analysis.stats.did import EventStudy, balance_panel, months_between
from analysis.stats.experiments import complier_effect, diff_in_means, diff_in_proportions

#: Fewest rows with a balance change for an estimate (per group).
MIN_GROUP = 2
#: Heterogeneity: fewest rows per subgroup (treated, comparison).
MIN_SUBGROUP_TREATED = 20
MIN_SUBGROUP_COMPARISON = 30
TREND_MISSING = "balance_trend_missing"
#: Pre-start features given their own month effects in the DiD (with VIP tier).
DID_TREND_FEATURES = [
    "log_total_balance",
    "products_held",
    "vip",
    "has_rm",
    "segment[affluent]",
    "segment[high_net_worth]",
    "segment[sme]",
]

# ---------------------------------------------------------------------------
# Building blocks


@dataclass(frozen=True)
class CampaignWindow:
    """The months a campaign's figures are measured in (first days of month)."""

    ref: pd.Timestamp  # month of start_date: features are measured at ref (snapshot of ref − 1)
    pre: pd.Timestamp  # `pre_months` before the month of start_date
    end: pd.Timestamp  # month of end_date
    post: pd.Timestamp  # `post_months` after the month of end_date

    @classmethod
    def of(cls, campaign: Mapping, pre_months: int = 1, post_months: int = 3) -> CampaignWindow:
        ref = month_start(campaign["start_date"])
        end = month_start(campaign["end_date"])
        return cls(ref, ref - pd.DateOffset(months=pre_months), end, end + pd.DateOffset(months=post_months))


def balance_change(snapshots: pd.DataFrame, window: CampaignWindow) -> pd.Series:
    """Balance change per customer_id (CNY): total balance in month `post`
    minus in month `pre`; only customers with both snapshots."""
    s = snapshots[snapshots["month"].isin([window.pre, window.post])]
    total = (s["deposit_balance"] + s["wealth_aum"]).to_numpy()
    wide = pd.DataFrame({"customer_id": s["customer_id"].to_numpy(), "month": s["month"].to_numpy(), "total": total})
    wide = wide.pivot(index="customer_id", columns="month", values="total")
    if window.pre not in wide or window.post not in wide:
        return pd.Series(dtype=float, name="balance_change")
    return (wide[window.post] - wide[window.pre]).dropna().rename("balance_change")


def adjustment_features(
    bank: Bank, window: CampaignWindow, customer_ids: pd.Index, covariates: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """The covariates a targeted campaign is adjusted for, measured in the
    month before start, ready for the propensity model.

    `driver_features(bank, ref=start month)`, all of them (`covariates`
    None: the churn drivers, RESULTS.md) or the named ones; a missing
    balance_trend (no snapshot 7 months before start: a newer customer) is
    set to 0 and flagged in `balance_trend_missing` (1/0), so those customers
    stay in and are compared with customers equally new.
    """
    f = driver_features(bank, window.ref, customer_ids=customer_ids)
    if covariates is not None:
        unknown = [c for c in covariates if c not in f.columns]
        if unknown:
            raise UsageError(
                f"campaign_covariates: {', '.join(unknown)} not among the features of this bank "
                f"({', '.join(f.columns)})"
            )
        f = f[list(covariates)]
    if "balance_trend" in f.columns:
        missing = f["balance_trend"].isna()
        f["balance_trend"] = f["balance_trend"].fillna(0.0)
        f[TREND_MISSING] = missing.astype(float)
    return f


def _vip_tier(bank: Bank) -> pd.Series:
    # a vip_tier of "none" can arrive as a null (it is also a null token in
    # CSV); it means not VIP either way
    c = bank.customers.set_index("customer_id")["vip_tier"]
    return c.astype(object).where(c.notna(), "none")


def _groups(bank: Bank, by: str) -> pd.Series:
    if by == "vip_tier":
        return _vip_tier(bank)
    return bank.customers.set_index("customer_id")[by].astype(object)


# ---------------------------------------------------------------------------
# A campaign's figures in results.json (typed)


@dataclass(frozen=True)
class RandomizedFigures:
    """A randomized campaign's figures in results.json (RESULTS.md "campaigns")."""

    n_treatment: int
    n_control: int
    response_ate: dict | None  # share responded, treatment − control (0–1)
    balance_effect: dict | None  # ITT, CNY per treated contact
    roi: float | None  # (incremental response value − cost) ÷ cost
    design: ClassVar[str] = "randomized"

    def to_dict(self) -> dict:
        return {
            "design": self.design,
            "n_treatment": self.n_treatment,
            "n_control": self.n_control,
            "response_ate": to_jsonable(self.response_ate),
            "balance_effect": to_jsonable(self.balance_effect),
            "roi": to_jsonable(self.roi),
        }


@dataclass(frozen=True)
class TargetedFigures:
    """A targeted campaign's figures in results.json (RESULTS.md "campaigns")."""

    n_participants: int
    n_comparison: int
    balance_effect: dict | None  # adjusted ATT, CNY per participant, with "method"
    naive_balance_difference: float | None  # CNY per participant
    design: ClassVar[str] = "targeted"

    def to_dict(self) -> dict:
        return {
            "design": self.design,
            "n_participants": self.n_participants,
            "n_comparison": self.n_comparison,
            "balance_effect": to_jsonable(self.balance_effect),
            "naive_balance_difference": to_jsonable(self.naive_balance_difference),
        }


@dataclass(frozen=True)
class CampaignsSection(Section):
    """The `campaigns` section: one entry per campaign with contacts, keyed by
    campaign_id, and `campaigns_ranked`, which results.json holds at its top
    level (lifted by `analysis.run.results.assemble` from `_merge`)."""

    campaigns: Mapping[str, RandomizedFigures | TargetedFigures]
    campaigns_ranked: list[str]

    def to_dict(self) -> dict:
        out: dict = {"status": "ok"}
        out.update({cid: f.to_dict() for cid, f in self.campaigns.items()})
        out["_merge"] = {"campaigns_ranked": list(self.campaigns_ranked)}
        return out


# ---------------------------------------------------------------------------
# Per campaign


@dataclass
class RandomizedResult:
    """A randomized campaign's figures (CNY; shares 0–1)."""

    campaign_id: str
    name: str
    kind: str
    cost: float
    n_treatment: int
    n_control: int
    n_balance_treatment: int
    n_balance_control: int
    participation: float  # share of treated contacts who took part
    response_ate: dict | None
    balance_effect: dict | None  # ITT, per treated contact
    complier_response: dict | None
    complier_balance: dict | None  # per participant
    roi: float | None
    incremental_value: float
    heterogeneity: pd.DataFrame = field(default_factory=pd.DataFrame)
    design: str = "randomized"

    def figures(self) -> RandomizedFigures:
        return RandomizedFigures(self.n_treatment, self.n_control, self.response_ate, self.balance_effect, self.roi)

    @property
    def reach(self) -> int:
        """People the balance effect applies to: every treated contact (ITT)."""
        return self.n_treatment


@dataclass
class TargetedResult:
    """A targeted campaign's figures (CNY)."""

    campaign_id: str
    name: str
    kind: str
    cost: float
    n_participants: int
    n_comparison: int
    n_balance_participants: int
    n_balance_comparison: int
    naive: dict | None  # participants − pool, Welch interval
    estimator: ATTEstimator | None
    did: EventStudy | None = None  # odds-weighted comparison, feature-specific trends
    did_naive: EventStudy | None = None  # unweighted comparison
    heterogeneity: pd.DataFrame = field(default_factory=pd.DataFrame)
    note: str | None = None
    design: str = "targeted"

    @property
    def balance_effect(self) -> dict | None:
        return self.estimator.to_estimate() if self.estimator is not None else None

    def figures(self) -> TargetedFigures:
        naive = None if self.naive is None else self.naive["estimate"]
        return TargetedFigures(self.n_participants, self.n_comparison, self.balance_effect, naive)

    @property
    def reach(self) -> int:
        """People the balance effect applies to: the participants (ATT)."""
        return self.n_participants


def randomized_result(
    campaign: Mapping,
    contacts: pd.DataFrame,
    change: pd.Series,
    groups: Mapping[str, pd.Series] | None = None,
    alpha: float = 0.05,
) -> RandomizedResult:
    """ITT, complier effects and ROI of one randomized campaign."""
    t = contacts[contacts["group"] == "treatment"]
    c = contacts[contacts["group"] == "control"]
    ct, cc = change.reindex(t["customer_id"]).dropna(), change.reindex(c["customer_id"]).dropna()
    cost = float(campaign["cost"])
    # ROI: incremental response value = (mean value per treated − per control) × n_treatment
    per_t = t["response_value"].fillna(0).mean() if len(t) else 0.0
    per_c = c["response_value"].fillna(0).mean() if len(c) else 0.0
    incremental = float((per_t - per_c) * len(t))
    roi = (incremental - cost) / cost if cost > 0 and len(c) else None

    assigned = (contacts["group"] == "treatment").to_numpy()
    with_change = contacts[contacts["customer_id"].isin(change.index)]
    res = RandomizedResult(
        campaign_id=campaign["campaign_id"],
        name=campaign["name"],
        kind=str(campaign["kind"]),
        cost=cost,
        n_treatment=len(t),
        n_control=len(c),
        n_balance_treatment=len(ct),
        n_balance_control=len(cc),
        participation=float(t["participated"].mean()) if len(t) else float("nan"),
        response_ate=diff_in_proportions(t["responded"], c["responded"], alpha),
        balance_effect=diff_in_means(ct, cc, alpha),
        complier_response=complier_effect(assigned, contacts["participated"], contacts["responded"], alpha),
        complier_balance=complier_effect(
            (with_change["group"] == "treatment").to_numpy(),
            with_change["participated"],
            change.reindex(with_change["customer_id"]).to_numpy(),
            alpha,
        ),
        roi=roi,
        incremental_value=incremental,
    )
    if groups:
        rows = []
        for by, g in groups.items():
            for level, ids in g.groupby(g).groups.items():
                a, b = ct[ct.index.isin(ids)], cc[cc.index.isin(ids)]
                if len(a) >= MIN_SUBGROUP_TREATED and len(b) >= MIN_SUBGROUP_COMPARISON // 3:
                    e = diff_in_means(a, b, alpha)
                    rows.append({"by": by, "group": level, "n_treated": len(a), "n_comparison": len(b), **e})
        res.heterogeneity = pd.DataFrame(rows)
    return res


def comparison_pool(bank: Bank, window: CampaignWindow, contacts: pd.DataFrame) -> pd.Index:
    """Customers of the branch with a snapshot in the month before start who
    are not listed in the campaign (RESULTS.md: the targeted comparison pool)."""
    s = bank.monthly_snapshots
    with_snapshot = pd.Index(s.loc[s["month"] == window.pre, "customer_id"].unique())
    return with_snapshot.difference(pd.Index(contacts["customer_id"]))


def targeted_result(
    bank: Bank,
    campaign: Mapping,
    contacts: pd.DataFrame,
    change: pd.Series,
    assumptions: Assumptions | None = None,
    with_did: bool = True,
    groups: Mapping[str, pd.Series] | None = None,
) -> TargetedResult:
    """Naive difference, adjusted ATT (with balance and overlap) and DiD of
    one targeted campaign."""
    a = assumptions or Assumptions()
    window = CampaignWindow.of(campaign, a.campaign_pre_months, a.campaign_post_months)
    participants = pd.Index(contacts.loc[contacts["participated"], "customer_id"])
    pool = comparison_pool(bank, window, contacts)
    cp, cpool = change.reindex(participants).dropna(), change.reindex(pool).dropna()
    res = TargetedResult(
        campaign_id=campaign["campaign_id"],
        name=campaign["name"],
        kind=str(campaign["kind"]),
        cost=float(campaign["cost"]),
        n_participants=len(participants),
        n_comparison=len(pool),
        n_balance_participants=len(cp),
        n_balance_comparison=len(cpool),
        naive=diff_in_means(cp, cpool, a.alpha),
        estimator=None,
    )
    if len(cp) < MIN_GROUP or len(cpool) < MIN_GROUP:
        res.note = "balance change not measurable yet" if change.empty else "too few participants with a balance change"
        return res
    ids = cp.index.append(cpool.index)
    X = adjustment_features(bank, window, ids, a.campaign_covariates)
    treated = pd.Series(ids.isin(cp.index), index=ids)
    y = pd.concat([cp, cpool])
    try:
        res.estimator = ATTEstimator(method=a.campaign_estimator, alpha=a.alpha).fit(X, treated, y)
    except ValueError as err:
        res.note = str(err)
        return res
    if with_did:
        res.did, res.did_naive = _did(bank, window, res.estimator, X, a.alpha)
    if groups:
        res.heterogeneity = _targeted_heterogeneity(X, treated, y, groups, a)
    return res


def did_covariates(bank: Bank, X: pd.DataFrame) -> pd.DataFrame:
    """Features whose customers may follow their own balance trend in the
    difference-in-differences: balance level, products, VIP, relationship
    manager and segment before start (from `adjustment_features`), and the
    VIP tier — VIPs bring money in steadily, more in higher tiers. The
    customers table holds only the *current* tier, so a campaign that
    upgraded its participants would be partly absorbed here (conservative).
    """
    out = X[[c for c in DID_TREND_FEATURES if c in X.columns]].copy()
    tier = _vip_tier(bank).reindex(X.index)
    for level in VIP_TIERS[1:]:
        out[f"vip_tier[{level}]"] = (tier == level).astype(float)
    return out


def _did(
    bank: Bank, window: CampaignWindow, est: ATTEstimator, X: pd.DataFrame, alpha: float = 0.05
) -> tuple[EventStudy | None, EventStudy | None]:
    """Event studies of participants against (1) the comparison pool weighted
    like the ATT (odds weights, common support) with feature-specific month
    effects, and (2) the plain, unweighted pool — the naive comparison."""
    ids = est.treated_.index
    panel = balance_panel(bank.monthly_snapshots, ids, window.ref)
    post_from = months_between(window.end, window.ref)
    out = []
    for weights, cov in ((est.weights_, did_covariates(bank, X)), (None, None)):
        try:
            out.append(EventStudy(post_from=post_from, alpha=alpha).fit(panel, est.treated_, weights, cov))
        except ValueError:
            out.append(None)
    return out[0], out[1]


def _targeted_heterogeneity(
    X: pd.DataFrame, treated: pd.Series, y: pd.Series, groups: Mapping[str, pd.Series], a: Assumptions
) -> pd.DataFrame:
    rows = []
    for by, g in groups.items():
        g = g.reindex(X.index)
        for level in pd.unique(g.dropna()):
            m = (g == level).to_numpy()
            n1, n0 = int(treated[m].sum()), int((~treated[m]).sum())
            if n1 < MIN_SUBGROUP_TREATED or n0 < MIN_SUBGROUP_COMPARISON:
                continue
            try:
                e = ATTEstimator(method=a.campaign_estimator, alpha=a.alpha).fit(X[m], treated[m], y[m])
            except ValueError:
                continue
            est = e.to_estimate()
            est.pop("method")
            rows.append({"by": by, "group": level, "n_treated": n1, "n_comparison": n0, **est})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# The branch


@dataclass
class CampaignsResult:
    """Every campaign of the branch with contacts, analysed (`reason`: why
    none could be, then `results` is empty)."""

    results: dict[str, RandomizedResult | TargetedResult]
    branch_name: str = ""
    as_of: pd.Timestamp | None = None
    assumptions: Assumptions = field(default_factory=Assumptions)
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None

    def section(self) -> CampaignsSection | Skipped:
        """The contract's `campaigns` section, with `campaigns_ranked` to lift."""
        if self.reason is not None:
            return Skipped(self.reason)
        figures = {cid: r.figures() for cid, r in self.results.items()}
        return CampaignsSection(figures, ranked_ids({cid: f.to_dict() for cid, f in figures.items()}))

    @property
    def table(self) -> pd.DataFrame:
        """One row per campaign: design, people, effects (CNY per person), ROI,
        balance added per CNY spent with its interval."""
        rows = []
        for cid, r in self.results.items():
            be = r.balance_effect
            row = {
                "campaign_id": cid,
                "name": r.name,
                "kind": r.kind,
                "design": r.design,
                "cost": r.cost,
                "reach": r.reach,
                "balance_effect": np.nan if be is None else be["estimate"],
                "ci_low": np.nan if be is None else be["ci_low"],
                "ci_high": np.nan if be is None else be["ci_high"],
            }
            if isinstance(r, RandomizedResult):
                row.update(
                    n_treated=r.n_treatment,
                    n_comparison=r.n_control,
                    participation=r.participation,
                    complier_balance=_est(r.complier_balance),
                    response_ate=_est(r.response_ate),
                    roi=r.roi,
                    naive=np.nan,
                )
            else:
                row.update(
                    n_treated=r.n_participants,
                    n_comparison=r.n_comparison,
                    participation=np.nan,
                    complier_balance=np.nan,
                    response_ate=np.nan,
                    roi=np.nan,
                    naive=_est(r.naive),
                )
            per_cny = r.reach / r.cost if r.cost > 0 else np.nan
            row["balance_per_cny"] = row["balance_effect"] * per_cny
            row["balance_per_cny_low"] = row["ci_low"] * per_cny
            row["balance_per_cny_high"] = row["ci_high"] * per_cny
            rows.append(row)
        return pd.DataFrame(rows).set_index("campaign_id") if rows else pd.DataFrame()

    def heterogeneity(self) -> pd.DataFrame:
        frames = [r.heterogeneity.assign(campaign_id=cid) for cid, r in self.results.items() if len(r.heterogeneity)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def ranking(self) -> pd.DataFrame:
        """`rank_uncertainty` of this branch's campaigns, at the assumptions' alpha."""
        return rank_uncertainty(self.table, alpha=self.assumptions.alpha)

    def targeted_with_estimate(self) -> list[str]:
        """campaign_ids of the targeted campaigns with an adjusted estimate (their diagnostics exist)."""
        return [cid for cid, r in self.results.items() if isinstance(r, TargetedResult) and r.estimator is not None]


def _est(e: dict | None) -> float:
    return np.nan if e is None else e["estimate"]


def ranked_ids(figures: Mapping[str, Mapping]) -> list[str]:
    """campaign_ids by balance_effect estimate, largest first (campaigns
    without an estimate are left out)."""
    have = {cid: f["balance_effect"]["estimate"] for cid, f in figures.items() if f.get("balance_effect")}
    return sorted(have, key=lambda cid: -have[cid])


def skip_reason(bank: Bank) -> str | None:
    """Why the campaigns section cannot be computed, or None."""
    for name in ("campaigns", "campaign_contacts"):
        if not bank.has(name):
            return f"no {name} table: the branch's VIP services and events cannot be evaluated"
    listed = set(bank.campaign_contacts["campaign_id"])
    if not any(cid in listed for cid in bank.campaigns["campaign_id"]):
        return "no campaign of the branch has contacts"
    return None


def analyze(
    bank: Bank,
    assumptions: Assumptions | None = None,
    *,
    with_did: bool = True,
    with_heterogeneity: bool = True,
) -> CampaignsResult:
    """Analyse every campaign of the branch that has contacts (see module notes).

    Months, covariates, estimator and alpha come from `assumptions` (None:
    the contract's defaults). Without campaigns or contacts the result
    carries the `reason` and its section is skipped. `with_did` and
    `with_heterogeneity` add the targeted campaigns' event studies and the
    effects by segment and VIP tier (diagnostics: the section is the same
    without them).
    """
    a = assumptions or Assumptions()
    if a.campaign_estimator not in causal.METHODS:
        raise UsageError(
            f"campaign_estimator {a.campaign_estimator!r} is not implemented for campaigns "
            f"(one of {', '.join(causal.METHODS)})"
        )
    meta = dict(branch_name=bank.branch.get("branch_name", ""), as_of=bank.timeframe.as_of, assumptions=a)
    reason = skip_reason(bank)
    if reason:
        return CampaignsResult({}, reason=reason, **meta)
    contacts = bank.campaign_contacts
    groups = None
    if with_heterogeneity:
        groups = {"segment": _groups(bank, "segment"), "vip_tier": _groups(bank, "vip_tier")}
    out: dict[str, RandomizedResult | TargetedResult] = {}
    for _, campaign in bank.campaigns.iterrows():
        cc = contacts[contacts["campaign_id"] == campaign["campaign_id"]]
        if cc.empty:
            continue
        window = CampaignWindow.of(campaign, a.campaign_pre_months, a.campaign_post_months)
        change = balance_change(bank.monthly_snapshots, window)
        if campaign["design"] == "randomized":
            out[campaign["campaign_id"]] = randomized_result(campaign, cc, change, groups, a.alpha)
        else:
            out[campaign["campaign_id"]] = targeted_result(bank, campaign, cc, change, a, with_did, groups)
    return CampaignsResult(out, **meta)


# ---------------------------------------------------------------------------
# Ranking by cost-effectiveness, with its uncertainty


def rank_uncertainty(table: pd.DataFrame, draws: int = 4000, seed: int = 0, alpha: float = 0.05) -> pd.DataFrame:
    """How sure the ranking by balance added per CNY spent is.

    Each campaign's effect is drawn from a normal distribution matching its
    interval (independently across campaigns), the campaigns are ranked
    by balance added per CNY in every draw, and per campaign we report the
    rank of the point estimates, the share of draws in which it ranks first,
    and the 5th–95th percentile of its rank. Also cost per 10,000 CNY of
    balance added (where the estimate is positive).
    """
    if table.empty or "balance_per_cny" not in table:
        return pd.DataFrame()
    t = table.dropna(subset=["balance_per_cny"])
    t = t[t["cost"] > 0]
    if t.empty:
        return pd.DataFrame()
    rng = np.random.default_rng(seed)
    se = (t["balance_per_cny_high"] - t["balance_per_cny_low"]) / (2 * stats.norm.ppf(1 - alpha / 2))
    sims = rng.normal(t["balance_per_cny"].to_numpy(), se.to_numpy(), size=(draws, len(t)))
    ranks = (-sims).argsort(axis=1).argsort(axis=1) + 1
    out = pd.DataFrame(
        {
            "name": t["name"],
            "design": t["design"],
            "balance_per_cny": t["balance_per_cny"],
            "ci_low": t["balance_per_cny_low"],
            "ci_high": t["balance_per_cny_high"],
            "cost_per_10k": np.where(t["balance_per_cny"] > 0, 1e4 / t["balance_per_cny"], np.nan),
            "rank": t["balance_per_cny"].rank(ascending=False, method="first").astype(int),
            "p_best": (ranks == 1).mean(axis=0),
            "rank_low": np.percentile(ranks, 5, axis=0),
            "rank_high": np.percentile(ranks, 95, axis=0),
        },
        index=t.index,
    )
    return out.sort_values("rank")


# ---------------------------------------------------------------------------
# What to do with each campaign (the rule: analysis.questions.verdicts)


def verdict_table(table: pd.DataFrame) -> pd.DataFrame:
    """One row per campaign (from `CampaignsResult.table`): its balance
    effect and interval (CNY per invited customer for randomized, per
    participant for targeted), ROI, evidence class and verdict (VERDICTS)."""
    if table.empty:
        return pd.DataFrame(columns=["name", "kind", "design", "cost", "balance_effect", "ci_low", "ci_high", "roi"])
    out = table[["name", "kind", "design", "cost", "balance_effect", "ci_low", "ci_high", "roi"]].copy()
    out["evidence"] = [
        evidence_of({"estimate": r.balance_effect, "ci_low": r.ci_low, "ci_high": r.ci_high}) for r in out.itertuples()
    ]
    out["verdict"] = [verdict(r.design, r.evidence, r.roi) for r in out.itertuples()]
    order = {v: i for i, v in enumerate(VERDICTS)}
    return out.sort_values(["verdict", "balance_effect"], key=lambda c: c.map(order) if c.name == "verdict" else -c)
