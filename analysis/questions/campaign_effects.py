"""One campaign's effects: its measurement window, the balance change of
each customer, and the estimates of a randomized or a targeted campaign
(the branch's campaigns together: `analysis.questions.campaigns`).

**Balance change** of a customer (CNY): (deposit_balance + wealth_aum) in the
month `campaign_post_months` (3) after the month of end_date minus the same
`campaign_pre_months` (1) before the month of start_date; customers lacking
either snapshot are left out.

**Small samples.** An effect is estimated only from at least `MIN_ARM`
customers in each group compared (randomized: contacts per group for the
response and the business volume, customers with a balance change per group
for the balance effect; targeted: participants and comparison customers with
a balance change). Below that the figure is null and the campaign's `reason`
says why: two treated against one control give an interval, but not one that
can carry a decision.

**Persistence** (how long a targeted campaign's balance effect lasts, the
optional `persistence` of its figures): the event study against the
weighted comparison (`analysis.stats.did`) gives the effect month by month;
a straight line through the months after the campaign ended
(`analysis.stats.decay`) gives its change per month. The decision is made
once, here (`persistence_of`): only a slope significantly below 0 at
`alpha` counts as a fade, and then the effect is counted for the months
until that line reaches 0 (at most 12; `source` "event_study"); otherwise
there is no evidence of decay and the effect is counted for
`effect_persistence_months` (`source` "assumption"). It never changes
`balance_effect` or `profit_12m` (a year, by the contract); the plan's
margins use it (`analysis.questions.plan_campaigns.margin_factor`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.contract import VIP_TIERS
from analysis.data.features import driver_features
from analysis.data.timeframe import month_start
from analysis.errors import UsageError
from analysis.sections import to_jsonable
from analysis.stats.causal import ATTEstimator
from analysis.stats.decay import Decay, effect_decay
from analysis.stats.did import EventStudy, balance_panel, months_between
from analysis.stats.experiments import complier_effect, diff_in_means, diff_in_proportions

#: Fewest customers per group compared for any effect (see module notes).
MIN_ARM = 10
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


def customer_groups(bank: Bank, by: str) -> pd.Series:
    """Each customer's segment or (current) VIP tier, by customer_id."""
    if by == "vip_tier":
        return _vip_tier(bank)
    return bank.customers.set_index("customer_id")[by].astype(object)


def not_measurable_reason(window: CampaignWindow, M: pd.Timestamp, post_months: int) -> str | None:
    """Why the campaign's balance change cannot be measured yet (its post month
    lies after month M), or None."""
    if window.post <= M:
        return None
    return (
        f"not measurable yet: the balance change needs the snapshot of {window.post:%Y-%m}, {post_months} months "
        f"after the campaign ended, and the data end in {M:%Y-%m}"
    )


def _too_few(what: str, n1: int, n0: int, words: tuple[str, str]) -> str | None:
    if n1 >= MIN_ARM and n0 >= MIN_ARM:
        return None
    return f"too few {what} to estimate an effect: {n1} {words[0]}, {n0} {words[1]} (at least {MIN_ARM} in each group)"


def response_rates(contacts: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Share responded per campaign and group of contacts, with Wilson intervals
    (they stay within [0, 1] and exist when nobody responded). Columns
    campaign_id, group, contacts, responded, rate, ci_low, ci_high."""
    g = contacts.groupby(["campaign_id", "group"], sort=False, observed=True)["responded"]
    out = pd.DataFrame({"contacts": g.size(), "responded": g.sum().astype(int)}).reset_index()
    out["rate"] = out["responded"] / out["contacts"]
    lo, hi = proportion_confint(out["responded"], out["contacts"], alpha=alpha, method="wilson")
    out["ci_low"], out["ci_high"] = lo, hi
    return out


# ---------------------------------------------------------------------------
# A campaign's figures in results.json (typed)


@dataclass(frozen=True)
class RandomizedFigures:
    """A randomized campaign's figures in results.json (RESULTS.md "campaigns")."""

    n_treatment: int
    n_control: int
    response_ate: dict | None  # share responded, treatment − control (0–1)
    balance_effect: dict | None  # ITT, CNY per treated contact
    business_roi: float | None  # new business volume per CNY spent − 1: volume, not a return
    profit_12m: dict | None  # yearly net contribution, CNY
    profit_roi: float | None  # (profit_12m − cost) ÷ cost: the return
    verdict: str | None
    reason: str | None = None  # why a figure is null (kept out of results.json when None)
    design: ClassVar[str] = "randomized"

    def to_dict(self) -> dict:
        out = {
            "design": self.design,
            "n_treatment": self.n_treatment,
            "n_control": self.n_control,
            "response_ate": to_jsonable(self.response_ate),
            "balance_effect": to_jsonable(self.balance_effect),
            "business_roi": to_jsonable(self.business_roi),
            "profit_12m": to_jsonable(self.profit_12m),
            "profit_roi": to_jsonable(self.profit_roi),
            "verdict": self.verdict,
        }
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class TargetedFigures:
    """A targeted campaign's figures in results.json (RESULTS.md "campaigns")."""

    n_participants: int
    n_comparison: int
    balance_effect: dict | None  # adjusted ATT, CNY per participant, with "method"
    naive_balance_difference: float | None  # CNY per participant
    profit_12m: dict | None
    profit_roi: float | None
    verdict: str | None
    reason: str | None = None
    persistence: dict | None = None  # `persistence_of` (kept out of results.json when None)
    design: ClassVar[str] = "targeted"

    def to_dict(self) -> dict:
        out = {
            "design": self.design,
            "n_participants": self.n_participants,
            "n_comparison": self.n_comparison,
            "balance_effect": to_jsonable(self.balance_effect),
            "naive_balance_difference": to_jsonable(self.naive_balance_difference),
            "profit_12m": to_jsonable(self.profit_12m),
            "profit_roi": to_jsonable(self.profit_roi),
            "verdict": self.verdict,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.persistence is not None:
            out["persistence"] = to_jsonable(self.persistence)
        return out


def persistence_of(decay: Decay | None, assumed_months: int) -> dict:
    """How long the campaign's balance effect is counted (module notes):
    `slope_per_month` (CNY per month, the event study's line; None when it
    has too few months after the campaign), `months` (months of the
    full-size effect counted within a year: the assumption, unless the slope
    is significantly negative, then the area under the fading line,
    `Decay.counted`), `zero_after_months` (a measured fade only: months from
    the campaign's end until the line reaches 0) and `source`
    ("event_study" or "assumption")."""
    measured = decay is not None and decay.decaying and decay.counted is not None
    out = {
        "slope_per_month": None if decay is None else dict(decay.slope),
        "months": decay.counted if measured else assumed_months,  # type: ignore[union-attr]
        "source": "event_study" if measured else "assumption",
    }
    if measured:
        out["zero_after_months"] = decay.months  # type: ignore[union-attr]
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
    business_roi: float | None
    incremental_value: float  # new business volume the campaign added (CNY)
    heterogeneity: pd.DataFrame = field(default_factory=pd.DataFrame)
    reason: str | None = None
    measurable: bool = True  # False: the post month is after M (no balance figures, no verdict)
    profit_12m: dict | None = None  # set by the branch's analysis (funds margin)
    profit_roi: float | None = None
    verdict: str | None = None
    design: str = "randomized"

    def figures(self) -> RandomizedFigures:
        return RandomizedFigures(
            self.n_treatment,
            self.n_control,
            self.response_ate,
            self.balance_effect,
            self.business_roi,
            self.profit_12m,
            self.profit_roi,
            self.verdict,
            self.reason,
        )

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
    reason: str | None = None
    measurable: bool = True
    profit_12m: dict | None = None
    profit_roi: float | None = None
    verdict: str | None = None
    decay: Decay | None = None  # the fade of `did`'s after-month coefficients
    persistence: dict | None = None  # `persistence_of`: None without the event study
    design: str = "targeted"

    @property
    def balance_effect(self) -> dict | None:
        return self.estimator.to_estimate() if self.estimator is not None else None

    def figures(self) -> TargetedFigures:
        naive = None if self.naive is None else self.naive["estimate"]
        return TargetedFigures(
            self.n_participants,
            self.n_comparison,
            self.balance_effect,
            naive,
            self.profit_12m,
            self.profit_roi,
            self.verdict,
            self.reason,
            self.persistence,
        )

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
    not_measurable: str | None = None,
) -> RandomizedResult:
    """ITT, complier effects and business volume of one randomized campaign;
    no balance figures when `not_measurable` (the reason) is given."""
    t = contacts[contacts["group"] == "treatment"]
    c = contacts[contacts["group"] == "control"]
    if not_measurable:
        change = change.iloc[:0]
    ct, cc = change.reindex(t["customer_id"]).dropna(), change.reindex(c["customer_id"]).dropna()
    cost = float(campaign["cost"])
    # business volume: incremental response value = (mean value per treated − per control) × n_treatment
    per_t = t["response_value"].fillna(0).mean() if len(t) else 0.0
    per_c = c["response_value"].fillna(0).mean() if len(c) else 0.0
    incremental = float((per_t - per_c) * len(t))
    few_contacts = _too_few("contacts", len(t), len(c), ("invited", "held out"))
    few_changes = _too_few("customers with a balance change", len(ct), len(cc), ("invited", "held out"))
    reason = not_measurable or few_contacts or few_changes
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
        response_ate=None if few_contacts else diff_in_proportions(t["responded"], c["responded"], alpha),
        balance_effect=None if reason else diff_in_means(ct, cc, alpha),
        complier_response=None
        if few_contacts
        else complier_effect(
            (contacts["group"] == "treatment").to_numpy(), contacts["participated"], contacts["responded"], alpha
        ),
        complier_balance=None
        if reason
        else complier_effect(
            (with_change["group"] == "treatment").to_numpy(),
            with_change["participated"],
            change.reindex(with_change["customer_id"]).to_numpy(),
            alpha,
        ),
        business_roi=(incremental - cost) / cost if cost > 0 and not few_contacts else None,
        incremental_value=incremental,
        reason=reason,
        measurable=not not_measurable,
    )
    if groups and not reason:
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
    not_measurable: str | None = None,
) -> TargetedResult:
    """Naive difference, adjusted ATT (with balance and overlap), the event
    study against the weighted comparison and the persistence it gives (see
    module notes) of one targeted campaign; `with_did` adds the event study
    against the plain pool (a diagnostic). No balance figures when
    `not_measurable` (the reason) is given."""
    bank, a = bank.assumed(assumptions)
    window = CampaignWindow.of(campaign, a.campaign_pre_months, a.campaign_post_months)
    participants = pd.Index(contacts.loc[contacts["participated"], "customer_id"])
    pool = comparison_pool(bank, window, contacts)
    if not_measurable:
        change = change.iloc[:0]
    cp, cpool = change.reindex(participants).dropna(), change.reindex(pool).dropna()
    reason = not_measurable or _too_few(
        "customers with a balance change", len(cp), len(cpool), ("participants", "in the comparison pool")
    )
    res = TargetedResult(
        campaign_id=campaign["campaign_id"],
        name=campaign["name"],
        kind=str(campaign["kind"]),
        cost=float(campaign["cost"]),
        n_participants=len(participants),
        n_comparison=len(pool),
        n_balance_participants=len(cp),
        n_balance_comparison=len(cpool),
        naive=None if reason else diff_in_means(cp, cpool, a.alpha),
        estimator=None,
        reason=reason,
        measurable=not not_measurable,
    )
    if reason:
        return res
    ids = cp.index.append(cpool.index)
    X = adjustment_features(bank, window, ids, a.campaign_covariates)
    treated = pd.Series(ids.isin(cp.index), index=ids)
    y = pd.concat([cp, cpool])
    try:
        res.estimator = ATTEstimator(method=a.campaign_estimator, alpha=a.alpha).fit(X, treated, y)
    except ValueError as err:
        res.reason = f"the adjusted effect could not be estimated: {err}"
        return res
    res.did, res.did_naive = _did(bank, window, res.estimator, X, a.alpha, naive=with_did)
    if res.did is not None:
        res.decay = effect_decay(res.did, a.alpha)
        res.persistence = persistence_of(res.decay, a.effect_persistence_months)
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
    bank: Bank, window: CampaignWindow, est: ATTEstimator, X: pd.DataFrame, alpha: float = 0.05, naive: bool = True
) -> tuple[EventStudy | None, EventStudy | None]:
    """Event studies of participants against (1) the comparison pool weighted
    like the ATT (odds weights, common support) with feature-specific month
    effects, and (2) with `naive`, the plain, unweighted pool — the naive
    comparison (None without)."""
    ids = est.treated_.index
    panel = balance_panel(bank.monthly_snapshots, ids, window.ref)
    post_from = months_between(window.end, window.ref)
    out: list[EventStudy | None] = []
    designs = [(est.weights_, did_covariates(bank, X))] + ([(None, None)] if naive else [])
    for weights, cov in designs:
        try:
            out.append(EventStudy(post_from=post_from, alpha=alpha).fit(panel, est.treated_, weights, cov))
        except ValueError:
            out.append(None)
    return out[0], (out[1] if naive else None)


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
