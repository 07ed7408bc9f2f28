"""Which VIP services and events pay back (RESULTS.md "campaigns").

    analysis = analyze_campaigns(bank)        # everything the notebook shows
    section = analysis.section()              # the contract's figures
    describe_campaigns(section, "zh", analysis)

Two designs, two questions:

* **randomized** (a random holdout was not contacted): the difference
  treatment − control is the effect of *inviting* (intention to treat, ITT)
  on the share that responded and on the balance change; the effect of
  actually *taking part* (the complier effect) is the ITT divided by the
  share of the invited who took part — the Wald / instrumental-variable
  estimator with the random assignment as instrument (Bloom 1984; here no
  control can take part, so it is the effect on participants).
* **targeted** (no holdout; who took part was chosen or self-selected): the
  effect on the participants (ATT) comes from `analysis.causal.ATTEstimator`
  on the churn driver features measured in the month before start, beside
  the naive participants − pool difference it corrects, and a
  difference-in-differences on the monthly balances (`analysis.did`) whose
  event study shows whether the two groups moved in step before start.

**Balance change** of a customer (CNY): (deposit_balance + wealth_aum) in the
month 3 months after the month of end_date minus the same in the month before
the month of start_date; customers lacking either snapshot are left out.

Cost-effectiveness: the balance a campaign added in total (effect per person ×
people it reached: treated contacts for an ITT, participants for an ATT)
divided by its cost — "CNY of balance per CNY spent" — ranked, with the
uncertainty of the ranking from drawing each effect from its interval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from analysis.figures import style as plots
from analysis.words.format import money
from analysis import sections
from analysis.data.bank import Bank
from analysis.stats.causal import ATTEstimator
from analysis.stats.did import EventStudy, balance_panel, months_between
from analysis.data.contract import VIP_TIERS
from analysis.data.features import driver_features
from analysis.words.glossary import feature_term, is_term, term
from analysis.data.timeframe import month_start
from analysis.questions.verdicts import VERDICTS, evidence_of, verdict  # noqa: F401  (the one rule, re-exported)

#: The contract's 95 % normal quantile, as the reference implementation
#: (conformance/expected.json) rounds it.
Z95 = 1.959964
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
    pre: pd.Timestamp  # the month before the month of start_date
    end: pd.Timestamp  # month of end_date
    post: pd.Timestamp  # 3 months after the month of end_date

    @classmethod
    def of(cls, campaign: Mapping) -> "CampaignWindow":
        ref = month_start(campaign["start_date"])
        end = month_start(campaign["end_date"])
        return cls(ref, ref - pd.DateOffset(months=1), end, end + pd.DateOffset(months=3))


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


def diff_in_means(a: pd.Series | np.ndarray, b: pd.Series | np.ndarray, z: float = Z95) -> dict | None:
    """mean(a) − mean(b) with Welch's unequal-variance standard error and a
    normal interval (as the contract's reference computes it); two-sided
    p-value. None with fewer than 2 values in a group."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) < MIN_GROUP or len(b) < MIN_GROUP:
        return None
    est = a.mean() - b.mean()
    se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    p = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else None
    return sections.estimate(float(est), float(est - z * se), float(est + z * se), p)


def diff_in_proportions(x1: np.ndarray, x0: np.ndarray, z: float = Z95) -> dict | None:
    """Share true in x1 − in x0 with the unpooled Wald (normal) interval."""
    x1, x0 = np.asarray(x1, dtype=float), np.asarray(x0, dtype=float)
    if len(x1) == 0 or len(x0) == 0:
        return None
    p1, p0 = x1.mean(), x0.mean()
    se = np.sqrt(p1 * (1 - p1) / len(x1) + p0 * (1 - p0) / len(x0))
    est = p1 - p0
    p = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else None
    return sections.estimate(float(est), float(est - z * se), float(est + z * se), p)


def complier_effect(assigned: np.ndarray, took_part: np.ndarray, y: np.ndarray, z: float = Z95) -> dict | None:
    """Effect of taking part among those who take part when invited (Wald / IV).

    β = (ȳ_assigned − ȳ_holdout) ÷ (share took part, assigned − holdout): the
    just-identified instrumental-variable estimate with assignment as the
    instrument; heteroskedasticity-robust (HC0) standard error
    √(Σ (z − z̄)² u²) ÷ |Σ (z − z̄)(d − d̄)|, u = y − α − β d. None when the
    invitation did not change participation.
    """
    zz = np.asarray(assigned, dtype=float)
    d = np.asarray(took_part, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(y) < 2 * MIN_GROUP or zz.min() == zz.max():
        return None
    zc = zz - zz.mean()
    first_stage = zc @ (d - d.mean())
    if abs(first_stage) < 1e-12:
        return None
    beta = (zc @ (y - y.mean())) / first_stage
    u = y - (y.mean() - beta * d.mean()) - beta * d
    se = np.sqrt(np.sum(zc**2 * u**2)) / abs(first_stage)
    p = float(2 * stats.norm.sf(abs(beta / se))) if se > 0 else None
    return sections.estimate(float(beta), float(beta - z * se), float(beta + z * se), p)


def adjustment_features(bank: Bank, window: CampaignWindow, customer_ids: pd.Index) -> pd.DataFrame:
    """The churn driver features measured in the month before start, ready
    for the propensity model.

    `driver_features(bank, ref=start month)`; a missing balance_trend (no
    snapshot 7 months before start: a newer customer) is set to 0 and flagged
    in `balance_trend_missing` (1/0), so those customers stay in and are
    compared with customers equally new.
    """
    f = driver_features(bank, window.ref, customer_ids=customer_ids)
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

    def figures(self) -> dict:
        return {
            "design": self.design,
            "n_treatment": self.n_treatment,
            "n_control": self.n_control,
            "response_ate": self.response_ate,
            "balance_effect": self.balance_effect,
            "roi": self.roi,
        }

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

    def figures(self) -> dict:
        return {
            "design": self.design,
            "n_participants": self.n_participants,
            "n_comparison": self.n_comparison,
            "balance_effect": self.balance_effect,
            "naive_balance_difference": None if self.naive is None else self.naive["estimate"],
        }

    @property
    def reach(self) -> int:
        """People the balance effect applies to: the participants (ATT)."""
        return self.n_participants


def randomized_result(
    campaign: Mapping, contacts: pd.DataFrame, change: pd.Series, groups: Mapping[str, pd.Series] | None = None
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
        response_ate=diff_in_proportions(t["responded"], c["responded"]),
        balance_effect=diff_in_means(ct, cc),
        complier_response=complier_effect(assigned, contacts["participated"], contacts["responded"]),
        complier_balance=complier_effect(
            (with_change["group"] == "treatment").to_numpy(),
            with_change["participated"],
            change.reindex(with_change["customer_id"]).to_numpy(),
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
                    e = diff_in_means(a, b)
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
    method: str = "aipw",
    with_did: bool = True,
    groups: Mapping[str, pd.Series] | None = None,
) -> TargetedResult:
    """Naive difference, adjusted ATT (with balance and overlap) and DiD of
    one targeted campaign."""
    window = CampaignWindow.of(campaign)
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
        naive=diff_in_means(cp, cpool),
        estimator=None,
    )
    if len(cp) < MIN_GROUP or len(cpool) < MIN_GROUP:
        res.note = "balance change not measurable yet" if change.empty else "too few participants with a balance change"
        return res
    ids = cp.index.append(cpool.index)
    X = adjustment_features(bank, window, ids)
    treated = pd.Series(ids.isin(cp.index), index=ids)
    y = pd.concat([cp, cpool])
    try:
        res.estimator = ATTEstimator(method=method).fit(X, treated, y)
    except ValueError as err:
        res.note = str(err)
        return res
    if with_did:
        res.did, res.did_naive = _did(bank, window, res.estimator, X)
    if groups:
        res.heterogeneity = _targeted_heterogeneity(X, treated, y, groups, method)
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
    bank: Bank, window: CampaignWindow, est: ATTEstimator, X: pd.DataFrame
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
            out.append(EventStudy(post_from=post_from).fit(panel, est.treated_, weights, cov))
        except ValueError:
            out.append(None)
    return out[0], out[1]


def _targeted_heterogeneity(
    X: pd.DataFrame, treated: pd.Series, y: pd.Series, groups: Mapping[str, pd.Series], method: str
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
                e = ATTEstimator(method=method).fit(X[m], treated[m], y[m])
            except ValueError:
                continue
            est = e.to_estimate()
            est.pop("method")
            rows.append({"by": by, "group": level, "n_treated": n1, "n_comparison": n0, **est})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# The branch


@dataclass
class CampaignsAnalysis:
    """Every campaign of the branch with contacts, analysed."""

    results: dict[str, RandomizedResult | TargetedResult]
    branch_name: str = ""
    as_of: pd.Timestamp | None = None

    def section(self) -> dict:
        """The contract's `campaigns` section, with `campaigns_ranked` to lift."""
        figures = {cid: r.figures() for cid, r in self.results.items()}
        return sections.ok(**figures, _merge={"campaigns_ranked": ranked_ids(figures)})

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
        return pd.DataFrame(rows).set_index("campaign_id")

    def heterogeneity(self) -> pd.DataFrame:
        frames = [r.heterogeneity.assign(campaign_id=cid) for cid, r in self.results.items() if len(r.heterogeneity)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def label(self, cid: str, lang: str = "zh") -> str:
        return campaign_label(self.results[cid].name, self.results[cid].kind, cid, lang)


def _est(e: dict | None) -> float:
    return np.nan if e is None else e["estimate"]


def ranked_ids(figures: Mapping[str, Mapping]) -> list[str]:
    """campaign_ids by balance_effect estimate, largest first (campaigns
    without an estimate are left out)."""
    have = {cid: f["balance_effect"]["estimate"] for cid, f in figures.items() if f.get("balance_effect")}
    return sorted(have, key=lambda cid: -have[cid])


def campaign_label(name: str, kind: str, campaign_id: str, lang: str = "zh") -> str:
    """The campaign's name (zh) or the glossary term of its kind (en), with its id."""
    if lang == "zh":
        return f"{name}（{campaign_id}）"
    words = term(kind, "en") if is_term(kind) else name
    return f"{words} ({campaign_id})"


def analyze_campaigns(
    bank: Bank,
    method: str = "aipw",
    with_did: bool = True,
    with_heterogeneity: bool = True,
) -> CampaignsAnalysis:
    """Analyse every campaign of the branch that has contacts (see module notes).

    Raises ValueError when the branch has no campaigns or contacts (use
    `campaigns_section` for the skipped section).
    """
    reason = skip_reason(bank)
    if reason:
        raise ValueError(reason)
    contacts = bank.campaign_contacts
    groups = None
    if with_heterogeneity:
        groups = {"segment": _groups(bank, "segment"), "vip_tier": _groups(bank, "vip_tier")}
    out: dict[str, RandomizedResult | TargetedResult] = {}
    for _, campaign in bank.campaigns.iterrows():
        cc = contacts[contacts["campaign_id"] == campaign["campaign_id"]]
        if cc.empty:
            continue
        change = balance_change(bank.monthly_snapshots, CampaignWindow.of(campaign))
        if campaign["design"] == "randomized":
            out[campaign["campaign_id"]] = randomized_result(campaign, cc, change, groups)
        else:
            out[campaign["campaign_id"]] = targeted_result(bank, campaign, cc, change, method, with_did, groups)
    return CampaignsAnalysis(out, branch_name=bank.branch.get("branch_name", ""), as_of=bank.timeframe.as_of)


def skip_reason(bank: Bank) -> str | None:
    """Why the campaigns section cannot be computed, or None."""
    for name in ("campaigns", "campaign_contacts"):
        if not bank.has(name):
            return f"no {name} table: the branch's VIP services and events cannot be evaluated"
    listed = set(bank.campaign_contacts["campaign_id"])
    if not any(cid in listed for cid in bank.campaigns["campaign_id"]):
        return "no campaign of the branch has contacts"
    return None


def campaigns_section(bank: Bank, method: str = "aipw") -> dict:
    """The `campaigns` section of results.json (ok, or skipped with the reason)."""
    reason = skip_reason(bank)
    if reason:
        return sections.skipped(reason)
    return analyze_campaigns(bank, method, with_did=False, with_heterogeneity=False).section()


# ---------------------------------------------------------------------------
# Ranking by cost-effectiveness, with its uncertainty


def rank_uncertainty(table: pd.DataFrame, draws: int = 4000, seed: int = 0) -> pd.DataFrame:
    """How sure the ranking by balance added per CNY spent is.

    Each campaign's effect is drawn from a normal distribution matching its
    95 % interval (independently across campaigns), the campaigns are ranked
    by balance added per CNY in every draw, and per campaign we report the
    rank of the point estimates, the share of draws in which it ranks first,
    and the 5th–95th percentile of its rank. Also cost per 10,000 CNY of
    balance added (where the estimate is positive).
    """
    t = table.dropna(subset=["balance_per_cny"])
    t = t[t["cost"] > 0]
    if t.empty:
        return pd.DataFrame()
    rng = np.random.default_rng(seed)
    se = (t["balance_per_cny_high"] - t["balance_per_cny_low"]) / (2 * Z95)
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
# Prose


def _interval(e: Mapping, lang: str) -> str:
    lo, hi = money(e["ci_low"], lang), money(e["ci_high"], lang)
    return f"（95%区间 {lo} 至 {hi}）" if lang == "zh" else f" (95% interval {lo} to {hi})"


def verdicts(table: pd.DataFrame) -> pd.DataFrame:
    """One row per campaign (from `CampaignsAnalysis.table`): its balance
    effect and interval (CNY per invited customer for randomized, per
    participant for targeted), ROI, evidence class and verdict (VERDICTS)."""
    out = table[["name", "kind", "design", "cost", "balance_effect", "ci_low", "ci_high", "roi"]].copy()
    out["evidence"] = [
        evidence_of({"estimate": r.balance_effect, "ci_low": r.ci_low, "ci_high": r.ci_high}) for r in out.itertuples()
    ]
    out["verdict"] = [verdict(r.design, r.evidence, r.roi) for r in out.itertuples()]
    order = {v: i for i, v in enumerate(VERDICTS)}
    return out.sort_values(["verdict", "balance_effect"], key=lambda c: c.map(order) if c.name == "verdict" else -c)


def describe_verdicts(table: pd.DataFrame, lang: str = "zh") -> list[str]:
    """One sentence per verdict: which events to grow, keep, test or stop, and why."""
    out = []
    for v in VERDICTS:
        rows = table[table["verdict"] == v]
        if rows.empty:
            continue
        items = []
        for r in rows.itertuples():
            eff = (
                f"{money(r.balance_effect, lang)}（95%区间 {money(r.ci_low, lang)}–{money(r.ci_high, lang)}）"
                if lang == "zh"
                else f"{money(r.balance_effect, lang)} (95% interval {money(r.ci_low, lang)} to {money(r.ci_high, lang)})"
            )
            roi = "" if pd.isna(r.roi) else (f"，投资回报率{r.roi:.0%}" if lang == "zh" else f", ROI {r.roi:.0%}")
            items.append(f"{r.name}：{eff}{roi}" if lang == "zh" else f"{r.name}: {eff}{roi}")
        why = {
            "grow": ("效果经随机对照证实且回报为正", "effect proven against a random holdout and it pays back"),
            "keep": (
                "效果已证实，但未以新增业务收回成本，或仅有无对照组的调整估计",
                "effect proven, but it does not pay back in new business or was measured without a holdout",
            ),
            "test": (
                "效果为正但未被证实，下次须保留随机对照组再测",
                "positive but not proven: run again only with a random holdout",
            ),
            "stop": ("未见正面效果", "no positive effect"),
        }[v]
        if lang == "zh":
            out.append(f"**{term(v, lang)}**（{why[0]}）：" + "；".join(items) + "。")
        else:
            out.append(f"**{term(v, lang)}** ({why[1]}): " + "; ".join(items) + ".")
    return out


def describe_campaigns(section: Mapping, lang: str = "zh", analysis: CampaignsAnalysis | None = None) -> list[str]:
    """Sentences reading the branch's campaign figures (zh or en).

    `section` is what `campaigns_section`/`CampaignsAnalysis.section` return;
    with `analysis` the sentences add campaign names, complier effects, the
    difference-in-differences check and the cost-effectiveness ranking.
    """
    if section.get("status") != "ok":
        reason = section.get("reason", "")
        return [f"本节未计算：{reason}。" if lang == "zh" else f"This section was not computed: {reason}."]
    zh = lang == "zh"
    figures = {k: v for k, v in section.items() if isinstance(v, Mapping) and "design" in v}

    def label(cid: str) -> str:
        return analysis.label(cid, lang) if analysis is not None and cid in analysis.results else cid

    n_r = sum(f["design"] == "randomized" for f in figures.values())
    n_t = len(figures) - n_r
    out = [
        f"本网点共有{len(figures)}项有客户名单的活动：{term('randomized campaign', lang)}{n_r}项，{term('targeted campaign', lang)}{n_t}项。"
        if zh
        else f"The branch ran {len(figures)} campaigns with contact lists — {term('randomized campaign', lang)}: {n_r}; "
        f"{term('targeted campaign', lang)}: {n_t}."
    ]
    explained: set[str] = set()

    def explain(key: str, zh_text: str, en_text: str) -> str:
        if key in explained:
            return ""
        explained.add(key)
        return zh_text if zh else en_text

    for cid, f in figures.items():
        be = f.get("balance_effect")
        if f["design"] == "randomized":
            s = explain(
                "ITT",
                f"{term('ITT', lang)}：被邀请的客户与随机留出、未被邀请的对照客户之差，衡量“发出邀请”带来的平均效果。",
                f"{term('ITT', lang)}: invited customers minus a random holdout that was not invited — what sending the invitation did on average. ",
            )
            if be:
                s += (
                    f"{label(cid)}：被邀请客户的余额变化比对照组平均多{money(be['estimate'], lang)}{_interval(be, lang)}"
                    if zh
                    else f"{label(cid)}: invited customers' balances changed by {money(be['estimate'], lang)} more than the holdout's{_interval(be, lang)}"
                )
            else:
                s += (
                    f"{label(cid)}：余额变化尚无法衡量"
                    if zh
                    else f"{label(cid)}: the balance change cannot be measured yet"
                )
            ra = f.get("response_ate")
            if ra:
                s += (
                    f"，响应率高{ra['estimate'] * 100:.1f}个百分点（{ra['ci_low'] * 100:.1f}至{ra['ci_high'] * 100:.1f}）"
                    if zh
                    else f"; the response rate was {ra['estimate'] * 100:.1f} points higher ({ra['ci_low'] * 100:.1f} to {ra['ci_high'] * 100:.1f})"
                )
            if f.get("roi") is not None:
                s += (
                    f"，按新增业务额计的{term('ROI', lang)}为{f['roi']:.1f}（每投入1元回收{f['roi'] + 1:.1f}元新增业务）"
                    if zh
                    else f"; {term('ROI', lang).lower()} on new business was {f['roi']:.1f} (each CNY spent brought {f['roi'] + 1:.1f} CNY of new business)"
                )
            s += "。" if zh else "."
            if analysis is not None and cid in analysis.results:
                r = analysis.results[cid]
                cb = r.complier_balance
                if cb is not None and np.isfinite(r.participation):
                    s += explain(
                        "complier",
                        f"{term('complier effect', lang)}：效果除以被邀请者中实际参加的比例，估计的是真正参加对参加者的效果。",
                        f" {term('complier effect', lang)}: the ITT divided by the share of the invited who took part — what taking part did for those who took part. ",
                    )
                    s += (
                        f"被邀请者中{r.participation:.0%}实际参加；对参加者而言，余额效应约为{money(cb['estimate'], lang)}{_interval(cb, lang)}。"
                        if zh
                        else f" {r.participation:.0%} of the invited took part; for them the balance effect was about {money(cb['estimate'], lang)}{_interval(cb, lang)}."
                    )
            out.append(s)
        else:
            naive = f.get("naive_balance_difference")
            s = explain(
                "ATT",
                f"{term('ATT', lang)}：参加者与在活动前各项特征（余额、产品数、VIP、客群等）相近的未参加客户之差；"
                f"{term('naive difference', lang)}直接拿参加者与全部未参加客户相比，会把“本来就更富裕、更活跃”的差异算作活动效果。",
                f"{term('ATT', lang)}: participants compared with non-participants who looked like them before start (balance, products, VIP status, segment …); "
                f"the {term('naive difference', lang).lower()} compares them with all non-participants and counts their being richer and more engaged to begin with as an effect. ",
            )
            if naive is not None:
                s += (
                    f"{label(cid)}：{term('naive difference', lang)}为{money(naive, lang)}"
                    if zh
                    else f"{label(cid)}: the naive difference is {money(naive, lang)}"
                )
            else:
                s += f"{label(cid)}：没有可比较的余额变化" if zh else f"{label(cid)}: no balance change to compare"
            if be:
                s += (
                    f"，调整后参加者的余额效应为{money(be['estimate'], lang)}{_interval(be, lang)}。"
                    if zh
                    else f"; adjusted, the effect on participants is {money(be['estimate'], lang)}{_interval(be, lang)}."
                )
            else:
                s += "，无法给出调整后的效应。" if zh else "; no adjusted effect could be estimated."
            if analysis is not None and cid in analysis.results:
                s += _describe_checks(analysis.results[cid], lang, explain)
            out.append(s)
    ranked = section.get("_merge", {}).get("campaigns_ranked") or ranked_ids(figures)
    if ranked:
        names = "、".join(label(c) for c in ranked) if zh else ", ".join(label(c) for c in ranked)
        out.append(
            f"按每位客户的余额效应从大到小：{names}。"
            if zh
            else f"By balance effect per customer, largest first: {names}."
        )
    if analysis is not None:
        ru = rank_uncertainty(analysis.table)
        if len(ru):
            best = ru.index[0]
            row = ru.iloc[0]
            out.append(
                f"按{term('cost effectiveness', lang)}计，{label(best)}最划算：每投入1元带来约{row['balance_per_cny']:,.1f}元余额"
                f"（区间{row['ci_low']:,.1f}至{row['ci_high']:,.1f}）；在按各项效应区间模拟的排名中，它有{row['p_best']:.0%}的概率排第一"
                + ("，排名尚不确定，宜再做一次随机对照验证。" if row["p_best"] < 0.8 else "，排名较为可靠。")
                if zh
                else f"By balance added per CNY spent, {label(best)} pays back best: about {row['balance_per_cny']:,.1f} CNY of balance per CNY spent "
                f"(interval {row['ci_low']:,.1f} to {row['ci_high']:,.1f}); drawing each effect from its interval, it ranks first in {row['p_best']:.0%} of draws"
                + (
                    "; the ranking is uncertain, so test it again with a holdout."
                    if row["p_best"] < 0.8
                    else "; the ranking is fairly sure."
                )
            )
    return out


def _describe_checks(r: TargetedResult, lang: str, explain) -> str:
    zh = lang == "zh"
    s = ""
    est = r.estimator
    if est is not None:
        o = est.overlap_
        worst_before = est.balance_["smd_before"].abs().max()
        worst_after = est.balance_["smd_after"].abs().max()
        s += explain(
            "SMD",
            f"{term('SMD', lang)}衡量两组在某特征上的差距（以标准差计），低于0.1视为可比。",
            f" The {term('SMD', lang).lower()} measures the gap between two groups on a feature in standard deviations; below 0.1 counts as comparable.",
        )
        s += (
            f"调整前两组特征最大差距{worst_before:.2f}个标准差，调整后{worst_after:.2f}；"
            f"为保证可比，剔除了{o['treated_trimmed']}名无可比对象的参加者和{o['comparison_trimmed']}名对照客户。"
            if zh
            else f" Before adjustment the largest gap was {worst_before:.2f} standard deviations, after it {worst_after:.2f}; "
            f"{o['treated_trimmed']} participants without a comparable non-participant and {o['comparison_trimmed']} comparison customers were left out."
        )
    if r.did is not None:
        d, pt = r.did.did_, r.did.pretrend_
        s += explain(
            "DiD",
            f"{term('DiD', lang)}：比较两组活动前后余额走势的差别。",
            f" {term('DiD', lang)}: how much more the participants' balances moved than the comparison group's, from before to after.",
        )
        parallel = pt["p_value"] is not None and np.isfinite(pt["p_value"]) and pt["p_value"] >= 0.05
        s += (
            f"{term('DiD', lang)}估计为{money(d['estimate'], lang)}{_interval(d, lang)}；活动前两组走势"
            + ("基本平行（检验p=" if parallel else "并不平行（检验p=")
            + f"{pt['p_value']:.2f}）"
            + ("，结论可信。" if parallel else "，该估计需谨慎解读。")
            if zh
            else f" The difference-in-differences is {money(d['estimate'], lang)}{_interval(d, lang)}; before start the two groups "
            + ("moved in step (test p = " if parallel else "did not move in step (test p = ")
            + f"{pt['p_value']:.2f})"
            + ("." if parallel else ", so read it with care.")
        )
    return s


# ---------------------------------------------------------------------------
# Figures (each answers one question; titles read the branch's numbers)

SOURCES = "campaigns, campaign_contacts, monthly_snapshots"


def _finish(fig, analysis: CampaignsAnalysis, lang: str, n: int | None, extra: str | None = None) -> None:
    """Lay the figure out and write its source line (tables, branch, as-of, n)."""
    fig.tight_layout()
    plots.caption(fig, plots.caption_line(analysis.branch_name, analysis.as_of, SOURCES, n, lang, extra=extra))


def plot_randomized(analysis: CampaignsAnalysis, lang: str = "zh"):
    """Randomized campaigns: balance effect of inviting (ITT) and of taking
    part (complier effect), CNY per person, with 95 % intervals."""
    import matplotlib.pyplot as plt

    rs = [r for r in analysis.results.values() if isinstance(r, RandomizedResult) and r.balance_effect]
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.6 * max(len(rs), 1)))
    if not rs:
        return fig
    y = np.arange(len(rs))
    itt = [r.balance_effect for r in rs]
    cb = [r.complier_balance or {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan} for r in rs]
    plots.interval_dots(
        ax,
        y + 0.15,
        [e["estimate"] for e in itt],
        [e["ci_low"] for e in itt],
        [e["ci_high"] for e in itt],
        plots.HOME,
        term("ITT", lang),
    )
    plots.interval_dots(
        ax,
        y - 0.15,
        [e["estimate"] for e in cb],
        [e["ci_low"] for e in cb],
        [e["ci_high"] for e in cb],
        plots.PALETTE[1],
        term("complier effect", lang),
        "s",
    )
    ax.axvline(0, color=plots.NEUTRAL, lw=1)
    ax.set_yticks(y, [analysis.label(r.campaign_id, lang) for r in rs])
    plots.money_axis(ax, "x", lang, term("balance change", lang))
    best = max(rs, key=lambda r: r.balance_effect["estimate"])
    sure = best.balance_effect["ci_low"] > 0
    if lang == "zh":
        title = f"随机对照活动中，{best.name}带来的余额增量最大" + ("" if sure else "，但区间包含零")
    else:
        title = f"Of the randomized campaigns, {analysis.label(best.campaign_id, lang)} added most balance" + (
            "" if sure else ", but its interval includes zero"
        )
    ax.set_title(title)
    ax.legend(loc="lower right")
    n = sum(r.n_balance_treatment + r.n_balance_control for r in rs)
    _finish(fig, analysis, lang, n)
    return fig


def plot_targeted(analysis: CampaignsAnalysis, lang: str = "zh"):
    """Targeted campaigns: the naive difference beside the adjusted ATT (CNY per participant)."""
    import matplotlib.pyplot as plt

    rs = [r for r in analysis.results.values() if isinstance(r, TargetedResult) and r.naive and r.estimator]
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.6 * max(len(rs), 1)))
    if not rs:
        return fig
    y = np.arange(len(rs))
    nv = [r.naive for r in rs]
    att = [r.balance_effect for r in rs]
    plots.interval_dots(
        ax,
        y + 0.15,
        [e["estimate"] for e in nv],
        [e["ci_low"] for e in nv],
        [e["ci_high"] for e in nv],
        plots.ACCENT,
        term("naive difference", lang),
        "x",
    )
    plots.interval_dots(
        ax,
        y - 0.15,
        [e["estimate"] for e in att],
        [e["ci_low"] for e in att],
        [e["ci_high"] for e in att],
        plots.HOME,
        term("ATT", lang),
    )
    ax.axvline(0, color=plots.NEUTRAL, lw=1)
    ax.set_yticks(y, [analysis.label(r.campaign_id, lang) for r in rs])
    plots.money_axis(ax, "x", lang, term("balance change", lang))
    naive_sum, att_sum = sum(e["estimate"] for e in nv), sum(e["estimate"] for e in att)
    if att_sum > 0 and naive_sum > att_sum:
        ratio = naive_sum / att_sum
        title = (
            f"简单对比把定向活动的效果夸大了约{ratio:.1f}倍"
            if lang == "zh"
            else f"The naive comparison overstates targeted campaigns about {ratio:.1f}-fold"
        )
    else:
        title = (
            "定向活动：调整前后的效果对比" if lang == "zh" else "Targeted campaigns: effect before and after adjustment"
        )
    ax.set_title(title)
    ax.legend(loc="lower right")
    n = sum(r.n_balance_participants + r.n_balance_comparison for r in rs)
    _finish(fig, analysis, lang, n)
    return fig


def plot_balance(analysis: CampaignsAnalysis, campaign_id: str, lang: str = "zh"):
    """Love plot: standardized mean difference of each feature, before and
    after weighting; |SMD| < 0.1 is the usual mark of comparable groups."""
    import matplotlib.pyplot as plt

    r = analysis.results[campaign_id]
    b = r.estimator.balance_
    fig, ax = plt.subplots(figsize=(8, 1.0 + 0.3 * len(b)))
    y = np.arange(len(b))
    ax.scatter(b["smd_before"], y, color=plots.ACCENT, marker="x", label="调整前" if lang == "zh" else "Before")
    ax.scatter(b["smd_after"], y, color=plots.HOME, label="调整后" if lang == "zh" else "After weighting")
    for v in (-0.1, 0.1):
        ax.axvline(v, color=plots.NEUTRAL, ls="--", lw=1)
    ax.axvline(0, color=plots.NEUTRAL, lw=1)
    ax.set_yticks(y, [feature_term(c, lang) for c in b.index])
    ax.set_xlabel(term("SMD", lang))
    worst = b["smd_after"].abs().max()
    if lang == "zh":
        title = f"{r.name}：加权后参加者与对照客户" + (
            "在各项特征上可比" if worst < 0.1 else f"仍有差距（最大{worst:.2f}）"
        )
    else:
        title = f"{analysis.label(campaign_id, lang)}: after weighting the groups " + (
            "are comparable" if worst < 0.1 else f"still differ (up to {worst:.2f})"
        )
    ax.set_title(title)
    ax.legend(loc="lower right")
    _finish(fig, analysis, lang, r.n_balance_participants + r.n_balance_comparison)
    return fig


def plot_overlap(analysis: CampaignsAnalysis, campaign_id: str, lang: str = "zh"):
    """Overlap: propensity of participants and of the comparison pool; rows
    outside common support are trimmed (counted in the title)."""
    import matplotlib.pyplot as plt

    r = analysis.results[campaign_id]
    e, t, o = r.estimator.propensity_, r.estimator.treated_, r.estimator.overlap_
    fig, ax = plt.subplots()
    bins = np.linspace(0, 1, 41)
    ax.hist(
        e[~t],
        bins=bins,
        density=True,
        alpha=0.6,
        color=plots.NEUTRAL,
        label="对照池" if lang == "zh" else "Comparison pool",
    )
    ax.hist(
        e[t], bins=bins, density=True, alpha=0.6, color=plots.HOME, label="参加者" if lang == "zh" else "Participants"
    )
    ax.set_xlabel(term("propensity", lang))
    ax.set_ylabel("密度" if lang == "zh" else "Density")
    if lang == "zh":
        title = f"{r.name}：剔除{o['treated_trimmed']}名无可比对象的参加者、{o['comparison_trimmed']}名对照客户"
    else:
        title = f"{analysis.label(campaign_id, lang)}: {o['treated_trimmed']} participants and {o['comparison_trimmed']} comparison customers outside common support"
    ax.set_title(title)
    ax.legend()
    _finish(fig, analysis, lang, len(e))
    return fig


def plot_event_study(analysis: CampaignsAnalysis, campaign_id: str, lang: str = "zh"):
    """Event study: participants minus comparison, month by month relative to
    start (CNY), for the adjusted and the naive comparison, with 95 % intervals."""
    import matplotlib.pyplot as plt

    r = analysis.results[campaign_id]
    fig, ax = plt.subplots()
    for es, color, name in (
        (r.did_naive, plots.ACCENT, "未调整对比" if lang == "zh" else "Naive comparison"),
        (r.did, plots.HOME, "加权且按特征调整" if lang == "zh" else "Weighted, feature-specific trends"),
    ):
        if es is None:
            continue
        c = es.coefs_
        ax.plot(c.index, c["estimate"], marker="o", color=color, label=name)
        ax.fill_between(c.index, c["ci_low"], c["ci_high"], color=color, alpha=0.15)
    ax.axhline(0, color=plots.NEUTRAL, lw=1)
    ax.axvline(-0.5, color=plots.NEUTRAL, ls="--", lw=1)
    ax.set_xlabel("相对活动开始的月份" if lang == "zh" else "Months relative to start")
    plots.money_axis(ax, "y", lang, "参加者 − 对照" if lang == "zh" else "Participants − comparison")
    if r.did is not None:
        p = r.did.pretrend_["p_value"]
        parallel = np.isfinite(p) and p >= 0.05
        if lang == "zh":
            title = f"{r.name}：活动前两组走势" + (
                "平行，活动后参加者余额明显拉开"
                if parallel and r.did.did_["ci_low"] > 0
                else ("平行" if parallel else "不平行，需谨慎")
            )
        else:
            title = f"{analysis.label(campaign_id, lang)}: " + (
                "in step before, apart after"
                if parallel and r.did.did_["ci_low"] > 0
                else ("in step before start" if parallel else "not in step before start: read with care")
            )
        ax.set_title(title)
    ax.legend()
    n = 0 if r.did is None else r.did.n_treated_ + r.did.n_comparison_
    _finish(fig, analysis, lang, n)
    return fig


def plot_heterogeneity(analysis: CampaignsAnalysis, by: str, lang: str = "zh"):
    """Effects by segment or VIP tier (ITT for randomized, ATT for targeted), with 95 % intervals."""
    import matplotlib.pyplot as plt

    h = analysis.heterogeneity()
    h = h[h["by"] == by] if len(h) else h
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.35 * max(len(h), 1)))
    if h.empty:
        return fig
    y = np.arange(len(h))
    colors = [plots.HOME if analysis.results[c].design == "randomized" else plots.PALETTE[2] for c in h["campaign_id"]]
    plots.interval_dots(ax, y, h["estimate"], h["ci_low"], h["ci_high"], colors)
    ax.axvline(0, color=plots.NEUTRAL, lw=1)
    ax.set_yticks(
        y,
        [
            f"{analysis.label(c, lang)} · {term(str(g), lang)} (n={n})"
            for c, g, n in zip(h["campaign_id"], h["group"], h["n_treated"])
        ],
    )
    plots.money_axis(ax, "x", lang, term("balance change", lang))
    best = h.loc[h["estimate"].idxmax()]
    what = (
        "客群"
        if by == "segment" and lang == "zh"
        else ("VIP等级" if lang == "zh" else ("segment" if by == "segment" else "VIP tier"))
    )
    title = (
        f"按{what}看，{term(str(best['group']), lang)}的效果最大"
        if lang == "zh"
        else f"By {what}, {term(str(best['group']), lang)} customers gained most"
    )
    ax.set_title(title)
    _finish(fig, analysis, lang, int(h["n_treated"].sum() + h["n_comparison"].sum()))
    return fig


def plot_ranking(analysis: CampaignsAnalysis, lang: str = "zh"):
    """Balance added per CNY spent, per campaign, with 95 % intervals and the
    share of simulated rankings in which each ranks first."""
    import matplotlib.pyplot as plt

    ru = rank_uncertainty(analysis.table)
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.5 * max(len(ru), 1)))
    if ru.empty:
        return fig
    ru = ru.iloc[::-1]
    y = np.arange(len(ru))
    plots.interval_dots(ax, y, ru["balance_per_cny"], ru["ci_low"], ru["ci_high"], plots.HOME)
    for yi, (_, row) in zip(y, ru.iterrows()):
        ax.annotate(
            f"P(1) = {row['p_best']:.0%}",
            (row["ci_high"], yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.axvline(0, color=plots.NEUTRAL, lw=1)
    ax.set_yticks(y, [analysis.label(c, lang) for c in ru.index])
    ax.set_xlabel("每投入1元带来的余额增量（元）" if lang == "zh" else "Balance added per CNY spent (CNY)")
    top = ru.iloc[-1]
    if lang == "zh":
        title = f"{top['name']}每元投入带来的余额最多" + ("" if top["p_best"] >= 0.8 else "，但排名并不确定")
    else:
        title = f"{analysis.label(ru.index[-1], lang)} adds most balance per CNY" + (
            "" if top["p_best"] >= 0.8 else ", but the ranking is uncertain"
        )
    ax.set_title(title)
    _finish(
        fig,
        analysis,
        lang,
        len(ru),
        "P(1)：模拟中排名第一的概率" if lang == "zh" else "P(1): share of simulations ranked first",
    )
    return fig
