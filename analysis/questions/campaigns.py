"""Which VIP services and events pay back (RESULTS.md "campaigns").

    result = analyze(bank)                    # everything the notebook shows
    section = result.section()                # CampaignsSection: the contract's figures
    section.to_dict()                         # as results.json holds it

One campaign's estimates are in `analysis.questions.campaign_effects`, the
verdict rule in `analysis.questions.verdicts`, the margins in
`analysis.questions.economics`; sentences in `analysis.words.campaigns`,
figures in `analysis.figures.campaigns`.

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

**Volume and profit.** `business_roi` (randomized only) is the new business
volume a CNY of cost brought, minus 1 — volume, never a return. A
campaign's return is profit: `profit_12m` = its balance effect × the people
it reached (treated contacts for an ITT, participants for an ATT) × the
branch's funds margin (`economics`), each end of the interval alike — the
yearly net contribution if the effect lasts a year — and `profit_roi` =
(profit_12m − cost) ÷ cost. A campaign whose post month lies after month M
is not measurable yet: no balance figures, no verdict, and its `reason`.

Cost-effectiveness: the balance a campaign added in total divided by its
cost — "CNY of balance per CNY spent" — ranked, with the uncertainty of the
ranking from drawing each effect from its interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.errors import UsageError
from analysis.questions import economics as economics_question
from analysis.questions.campaign_effects import (
    CampaignWindow,
    RandomizedFigures,
    RandomizedResult,
    TargetedFigures,
    TargetedResult,
    balance_change,
    customer_groups,
    not_measurable_reason,
    randomized_result,
    response_rates,
    targeted_result,
)
from analysis.questions.economics import EconomicsResult
from analysis.questions.verdicts import VERDICTS, profit_roi, verdict
from analysis.sections import Section, Skipped
from analysis.stats import causal


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


def profit_12m(effect: Mapping | None, people: int, funds_margin: float | None) -> dict | None:
    """effect × people × funds margin for each of estimate, ci_low and ci_high
    (CNY a year; the ends kept in order); None without an effect or a margin."""
    if not effect or funds_margin is None or not np.isfinite(funds_margin):
        return None
    est, lo, hi = (effect[k] * people * funds_margin for k in ("estimate", "ci_low", "ci_high"))
    return {"estimate": est, "ci_low": min(lo, hi), "ci_high": max(lo, hi)}


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
    economics: EconomicsResult | None = None
    responses: pd.DataFrame = field(default_factory=pd.DataFrame)  # response_rates: per campaign and group

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def funds_margin(self) -> float | None:
        """The branch's yearly net contribution per CNY of funds (economics), or None."""
        m = self.economics.funds_margin if self.economics is not None else None
        return None if m is None else m["estimate"]

    def section(self) -> CampaignsSection | Skipped:
        """The contract's `campaigns` section, with `campaigns_ranked` to lift."""
        if self.reason is not None:
            return Skipped(self.reason)
        figures = {cid: r.figures() for cid, r in self.results.items()}
        return CampaignsSection(figures, ranked_ids({cid: f.to_dict() for cid, f in figures.items()}))

    @property
    def table(self) -> pd.DataFrame:
        """One row per campaign: design, people, effects (CNY per person),
        business volume per CNY (business_roi), profit a year with its interval
        and its return (profit_roi), the verdict, balance added per CNY spent."""
        rows = []
        for cid, r in self.results.items():
            be, pr = r.balance_effect, r.profit_12m
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
                    business_roi=np.nan if r.business_roi is None else r.business_roi,
                    naive=np.nan,
                )
            else:
                row.update(
                    n_treated=r.n_participants,
                    n_comparison=r.n_comparison,
                    participation=np.nan,
                    complier_balance=np.nan,
                    response_ate=np.nan,
                    business_roi=np.nan,
                    naive=_est(r.naive),
                )
            row.update(
                profit_12m=np.nan if pr is None else pr["estimate"],
                profit_low=np.nan if pr is None else pr["ci_low"],
                profit_high=np.nan if pr is None else pr["ci_high"],
                profit_roi=np.nan if r.profit_roi is None else r.profit_roi,
                verdict=r.verdict,
                reason=r.reason,
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

    def clear_subgroups(self, by: str) -> pd.DataFrame:
        """The rows of `heterogeneity()` for `by` (segment or vip_tier) whose
        95 % interval excludes 0: the only subgroup effects a headline may
        name (the largest of many estimates is often the luckiest)."""
        h = self.heterogeneity()
        if h.empty:
            return h
        h = h[h["by"] == by]
        return h[(h["ci_low"] > 0) | (h["ci_high"] < 0)]

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
    aside = bank.set_aside
    if "campaigns" in aside:
        # supplied, but every campaign starts after as_of (`--as-of`)
        n = int(aside["campaigns"].get("rows") or 0)
        return f"all {n} campaigns start after {bank.timeframe.M:%Y-%m}: none to evaluate yet"
    for name in ("campaigns", "campaign_contacts"):
        if name in aside:
            return f"{name}: {aside[name]['reason']} (--as-of {bank.timeframe.M:%Y-%m}): none to evaluate yet"
        if not bank.has(name):
            return f"no {name} table: the branch's VIP services and events cannot be evaluated"
    listed = set(bank.campaign_contacts["campaign_id"])
    if not any(cid in listed for cid in bank.campaigns["campaign_id"]):
        return "no campaign of the branch has contacts"
    return None


def judge(r: RandomizedResult | TargetedResult, funds_margin: float | None) -> None:
    """Set the campaign's profit_12m, profit_roi and verdict (`verdicts.verdict`)."""
    r.profit_12m = profit_12m(r.balance_effect, r.reach, funds_margin)
    r.profit_roi = profit_roi(r.profit_12m, r.cost)
    r.verdict = verdict(r.design, r.balance_effect, r.profit_12m, r.cost, r.measurable)


def analyze(
    bank: Bank,
    assumptions: Assumptions | None = None,
    economics: EconomicsResult | None = None,
    *,
    with_did: bool = True,
    with_heterogeneity: bool = True,
) -> CampaignsResult:
    """Analyse every campaign of the branch that has contacts (see module notes).

    Months, covariates, estimator and alpha come from `assumptions` (None:
    the contract's defaults); the funds margin from `economics` (None: fitted
    here, `analysis.questions.economics.analyze`). Without campaigns or
    contacts the result carries the `reason` and its section is skipped.
    The targeted campaigns' event study against the weighted comparison is
    always fitted (their `persistence` rests on it); `with_did` adds the one
    against the plain pool and `with_heterogeneity` the effects by segment and
    VIP tier (diagnostics: the section is the same without them).
    """
    bank, a = bank.assumed(assumptions)
    if a.campaign_estimator not in causal.METHODS:
        raise UsageError(
            f"campaign_estimator {a.campaign_estimator!r} is not implemented for campaigns "
            f"(one of {', '.join(causal.METHODS)})"
        )
    meta = {"branch_name": bank.branch.get("branch_name", ""), "as_of": bank.timeframe.as_of, "assumptions": a}
    reason = skip_reason(bank)
    if reason:
        return CampaignsResult({}, reason=reason, economics=economics, **meta)
    if economics is None:
        economics = economics_question.analyze(bank, a)
    contacts = bank.campaign_contacts
    groups = None
    if with_heterogeneity:
        groups = {"segment": customer_groups(bank, "segment"), "vip_tier": customer_groups(bank, "vip_tier")}
    out: dict[str, RandomizedResult | TargetedResult] = {}
    for _, campaign in bank.campaigns.iterrows():
        cc = contacts[contacts["campaign_id"] == campaign["campaign_id"]]
        if cc.empty:
            continue
        window = CampaignWindow.of(campaign, a.campaign_pre_months, a.campaign_post_months)
        change = balance_change(bank.monthly_snapshots, window)
        later = not_measurable_reason(window, bank.timeframe.M, a.campaign_post_months)
        if campaign["design"] == "randomized":
            r = randomized_result(campaign, cc, change, groups, a.alpha, later)
        else:
            r = targeted_result(bank, campaign, cc, change, a, with_did, groups, later)
        out[campaign["campaign_id"]] = r
    result = CampaignsResult(out, economics=economics, **meta)
    for r in out.values():
        judge(r, result.funds_margin)
    listed = contacts[contacts["campaign_id"].isin(out)]
    result.responses = response_rates(listed, a.alpha)
    return result


# ---------------------------------------------------------------------------
# Ranking by cost-effectiveness, with its uncertainty


def contacts_frame(bank: Bank, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """For exploration: every campaign contact (campaign_contacts) with its
    campaign's name, kind and design and the customer's balance change over
    the campaign's window (`campaign_effects.balance_change`: month
    start − pre_months to end + post_months, CNY; NaN without both
    snapshots), plus segment, area and vip_tier. Empty without contacts."""
    bank, a = bank.assumed(assumptions)
    if not bank.has("campaign_contacts") or not bank.has("campaigns"):
        return pd.DataFrame()
    contacts = bank.campaign_contacts
    parts = []
    for _, camp in bank.campaigns.iterrows():
        window = CampaignWindow.of(camp, a.campaign_pre_months, a.campaign_post_months)
        rows = contacts[contacts["campaign_id"] == camp["campaign_id"]].copy()
        change = balance_change(bank.monthly_snapshots, window)
        rows["balance_change"] = rows["customer_id"].map(change)
        for col in ("name", "kind", "design"):
            if col in camp.index:
                rows[f"campaign_{col}"] = camp[col]
        parts.append(rows)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if out.empty:
        return out
    c = bank.customers.set_index("customer_id")
    for col in ("segment", "area", "vip_tier"):
        out[col] = out["customer_id"].map(c[col].astype(object))
    return out


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


VERDICT_COLUMNS = [
    "name",
    "kind",
    "design",
    "cost",
    "balance_effect",
    "ci_low",
    "ci_high",
    "business_roi",
    "profit_12m",
    "profit_low",
    "profit_high",
    "profit_roi",
    "verdict",
    "reason",
]


def verdict_table(table: pd.DataFrame) -> pd.DataFrame:
    """One row per campaign (from `CampaignsResult.table`), grow first, stop
    last, then campaigns not measurable yet (no verdict): the balance effect
    and interval (CNY per invited customer for randomized, per participant
    for targeted), business volume per CNY, profit a year with its interval,
    its return and the verdict decided by `analysis.questions.verdicts`."""
    if table.empty:
        return pd.DataFrame(columns=VERDICT_COLUMNS)
    out = table[VERDICT_COLUMNS].copy()
    order = {v: i for i, v in enumerate(VERDICTS)}
    return out.sort_values(
        ["verdict", "balance_effect"],
        key=lambda c: c.map(order).fillna(len(VERDICTS)) if c.name == "verdict" else -c,
    )
