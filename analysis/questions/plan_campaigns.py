"""The campaign rows of next quarter's plan: what each campaign's verdict
lets the branch do with it, for whom, when, how big and with what holdout.

The rules are written out once, in `analysis.questions.plan`'s notes; this
module carries them out for the campaigns (the non-campaign actions and the
plan as a whole live in `plan_evidence` and `plan`). It reads only the bank's
tables, the campaigns section (per campaign `design`, `balance_effect`,
`profit_12m`, `verdict`, targeted `persistence`), `economics.funds_margin`
and the assumptions.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.features import driver_features
from analysis.data.timeframe import month_start
from analysis.stats import power
from analysis.stats.causal import METHODS, ATTEstimator

VERDICTS = ("grow", "keep", "test", "stop")
#: The seed's VIP service system: the services a tier already has, standing
#: (not campaigns to test on it). Keys are campaign kinds.
VIP_SERVICES: dict[str, tuple[str, ...]] = {
    "diamond": ("green_channel", "birthday_greeting", "health_check", "hospital_visit", "magazine"),
    "platinum": ("green_channel", "birthday_greeting", "health_check", "magazine"),
    "gold": ("birthday_greeting", "magazine"),
}
#: Seasonal events: season → words in a campaign's name (zh and en, lower
#: case), campaign kinds that are seasonal by themselves, and the calendar
#: months the festival falls in over the years (lunar festivals drift by a
#: few weeks).
SEASONS: dict[str, dict] = {
    "spring_festival": {"names": ("春节", "新春", "spring festival", "chinese new year"), "months": (1, 2)},
    "lantern": {"names": ("元宵", "lantern festival"), "months": (2, 3)},
    "dragon_boat": {"names": ("端午", "dragon boat"), "months": (5, 6)},
    "qixi": {"names": ("七夕", "qixi"), "months": (8,)},
    "mid_autumn": {"names": ("中秋", "mid-autumn", "mid autumn"), "months": (9, 10)},
    "national_day": {"names": ("国庆", "national day"), "months": (10,)},
    "double_ninth": {"names": ("重阳", "double ninth"), "months": (10, 11)},
    "year_end": {
        "names": ("年终", "答谢会", "新年", "year-end", "year end"),
        "kinds": ("year_end_gala",),
        "months": (12, 1),
    },
    "womens_day": {"names": ("妇女节", "三八", "women's day"), "months": (3,)},
    "qingming": {"names": ("清明", "qingming"), "months": (4,)},
    "labour_day": {"names": ("劳动节", "五一", "labour day", "labor day"), "months": (5,)},
    "mothers_day": {"names": ("母亲节", "mother's day"), "months": (5,)},
    "childrens_day": {"names": ("儿童节", "children's day"), "months": (6,)},
    "fathers_day": {"names": ("父亲节", "father's day"), "months": (6,)},
    "summer": {"names": ("暑期", "暑假", "summer holiday"), "months": (7, 8)},
    "christmas": {"names": ("圣诞", "christmas"), "months": (12,)},
}
#: How a campaign's invitation reaches a customer, by kind (the rest: a relationship manager).
CHANNEL_BY_KIND = {"birthday_greeting": "phone", "magazine": "digital", "green_channel": "outlet"}
KEEP_HOLDOUT_SHARE = 0.2
"""Share held out at random when a `keep` campaign is repeated."""
MIN_HOLDOUT_SHARE = 0.1
"""A designed test never holds out less than this (a holdout too small to check anything by eye)."""
MIN_TEST_POPULATION = 40
"""Fewer eligible customers than this: no test is scheduled (nothing could be learnt)."""
MIN_REACHED = 30
"""A tier or segment counts as reached by a campaign with this many contacts (treatment + control) in it."""
MIN_SUB_TREATED, MIN_SUB_CONTROL, MIN_SUB_POOL = 20, 10, 30
"""Fewest treated, control (randomized) and comparison-pool (targeted) customers with a balance change
for a subgroup estimate."""
FAR_BELOW = 0.25
"""A subgroup estimate below this share of the pooled one is "far below" it."""
MIN_SD_VALUES = 30
"""Fewest balance changes for a campaign's own standard deviation (else the branch's)."""


# ---------------------------------------------------------------------------
# the bits


@dataclass
class Action:
    """One row of the plan while it is being made (CNY; shares 0–1).

    `people`: customer_id, arm ("contact" or "holdout"), channel ("rm",
    "phone", "outlet", "digital"), rm (the manager who makes an "rm"
    contact, filled by the capacity rule). `unit_cost`: CNY per contacted
    customer by channel. `profit_per_contact`: yearly net contribution per
    contacted customer (estimate, low, high) or None when none is claimed.
    """

    action_id: str
    topic: str
    action: str
    owner_role: str
    start: pd.Timestamp
    end: pd.Timestamp
    people: pd.DataFrame
    unit_cost: Mapping[str, float]
    kpi: str
    baseline: float | None
    target: float | None
    evidence: list[str]
    holdout_share: float = 0.0
    profit_per_contact: tuple[float, float, float] | None = None
    fixed_cost: float = 0.0
    value_at_stake: float = 0.0
    kind_key: str | None = None
    details: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def customers(self) -> int:
        return int(len(self.people))

    @property
    def contacted(self) -> int:
        return int((self.people["arm"] == "contact").sum()) if len(self.people) else 0

    @property
    def cost(self) -> float:
        if not len(self.people):
            return float(self.fixed_cost)
        c = self.people.loc[self.people["arm"] == "contact", "channel"]
        return float(self.fixed_cost + sum(self.unit_cost.get(ch, 0.0) for ch in c))

    @property
    def profit(self) -> tuple[float, float, float] | None:
        if self.profit_per_contact is None:
            return None
        n = self.contacted
        est, lo, hi = (v * n for v in self.profit_per_contact)
        return est, min(lo, est), max(hi, est)


def people_frame(ids, channel: str, arm: str = "contact") -> pd.DataFrame:
    ids = list(ids)
    return pd.DataFrame(
        {"customer_id": ids, "arm": [arm] * len(ids), "channel": [channel] * len(ids), "rm": [None] * len(ids)}
    )


def stable_seed(*parts: str) -> int:
    """A seed from text (the same branch, campaign and as-of give the same draw on every machine)."""
    return int.from_bytes(hashlib.sha256("|".join(parts).encode("utf-8")).digest()[:8], "little")


def tier_at(customers: pd.DataFrame, when: pd.Timestamp) -> pd.Series:
    """Each customer's VIP tier at `when` (index customer_id): `none` when
    vip_since is after `when`, else today's tier. The tables keep no tier
    history, so a customer upgraded before `when` and changed again since is
    shown at today's tier."""
    c = customers.set_index("customer_id")
    tier = c["vip_tier"].astype(object).where(c["vip_tier"].notna(), "none")
    later = c["vip_since"].notna() & (c["vip_since"] > when)
    return tier.where(~later, "none")


def season_of(name: str, kind: str) -> tuple[str | None, tuple[int, ...]]:
    """(season, its months) of a seasonal event, recognised by its name or its
    kind; (None, ()) when it is not seasonal. When it last ran does not move
    its season: a 端午 event once held in July still belongs in May or June."""
    text = str(name).lower()
    for season, s in SEASONS.items():
        if kind in s.get("kinds", ()) or any(w in text for w in s["names"]):
            return season, tuple(s["months"])
    return None, ()


def season_window(months: tuple[int, ...], start: pd.Timestamp, end: pd.Timestamp):
    """(first, last day) of the quarter's months that fall in the season, or None."""
    inside = [m for m in pd.date_range(start, end, freq="MS") if m.month in months]
    if not inside:
        return None
    return inside[0], inside[-1] + pd.offsets.MonthEnd(0)


def balance_change(snapshots: pd.DataFrame, pre: pd.Timestamp, post: pd.Timestamp) -> pd.Series:
    """(deposit_balance + wealth_aum) in month `post` minus in month `pre`, per customer with both."""
    s = snapshots[snapshots["month"].isin([pre, post])]
    total = pd.Series((s["deposit_balance"] + s["wealth_aum"]).to_numpy(), index=[s["customer_id"], s["month"]])
    wide = total.unstack()
    if pre not in wide or post not in wide:
        return pd.Series(dtype=float)
    return (wide[post] - wide[pre]).dropna()


def _num(x) -> float | None:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) else None


def _estimate(e) -> tuple[float, float, float] | None:
    if not isinstance(e, Mapping):
        return None
    v = [_num(e.get(k)) for k in ("estimate", "ci_low", "ci_high")]
    return None if None in v else (v[0], v[1], v[2])


# ---------------------------------------------------------------------------
# one campaign's facts


@dataclass
class CampaignFacts:
    """A campaign as the plan needs it: its row, its contacts and balance changes."""

    campaign_id: str
    name: str
    kind: str
    design: str
    start: pd.Timestamp
    end: pd.Timestamp
    cost: float
    figures: Mapping
    contacts: pd.DataFrame
    change: pd.Series
    pre: pd.Timestamp

    @property
    def kind_key(self) -> str:
        """Campaigns of one kind are one offer to a customer ("other" events each their own)."""
        return self.campaign_id if self.kind == "other" else self.kind

    @property
    def treated(self) -> pd.DataFrame:
        return self.contacts[self.contacts["group"] == "treatment"]

    @property
    def cost_per_contact(self) -> float:
        n = len(self.treated)
        return self.cost / n if n else 0.0

    @property
    def participation(self) -> float:
        t = self.treated
        return float(t["participated"].mean()) if len(t) else 0.0

    def effect_per_contact(self) -> tuple[float, float, float] | None:
        """The balance effect per invited customer: the ITT (randomized) or
        the ATT × the share of invited who took part (targeted)."""
        e = _estimate(self.figures.get("balance_effect"))
        if e is None:
            return None
        f = 1.0 if self.design == "randomized" else self.participation
        return e[0] * f, e[1] * f, e[2] * f


def campaign_facts(bank: Bank, section: Mapping, a: Assumptions) -> list[CampaignFacts]:
    """The campaigns of the section that the bank lists with contacts, latest start first."""
    if not bank.has("campaigns") or not bank.has("campaign_contacts"):
        return []
    camps = bank.campaigns.set_index("campaign_id")
    cc = bank.campaign_contacts
    out = []
    for cid, f in section.items():
        if not (isinstance(f, Mapping) and "design" in f) or cid not in camps.index:
            continue
        row = camps.loc[cid]
        contacts = cc[cc["campaign_id"] == cid]
        if contacts.empty:
            continue
        start, end = pd.Timestamp(row["start_date"]), pd.Timestamp(row["end_date"])
        pre = month_start(start) - pd.DateOffset(months=a.campaign_pre_months)
        post = month_start(end) + pd.DateOffset(months=a.campaign_post_months)
        out.append(
            CampaignFacts(
                campaign_id=str(cid),
                name=str(row["name"]),
                kind=str(row["kind"]),
                design=str(f["design"]),
                start=start,
                end=end,
                cost=float(row["cost"]),
                figures=f,
                contacts=contacts,
                change=balance_change(bank.monthly_snapshots, pre, post),
                pre=pre,
            )
        )
    return sorted(out, key=lambda c: (c.start, c.campaign_id), reverse=True)


# ---------------------------------------------------------------------------
# subgroups


def subgroup_estimates(bank: Bank, facts: CampaignFacts, by: str, a: Assumptions) -> pd.DataFrame:
    """The campaign's own balance effect in each tier (at start) or segment it
    reached: randomized, treatment − control (Welch); targeted, the adjusted
    ATT of the participants of that subgroup against the pool's (the
    campaigns section's estimator). Columns group, contacts, n_treated,
    n_comparison, estimate, ci_low, ci_high, p_value (NaN where too few)."""
    c = bank.customers
    label = tier_at(c, facts.start) if by == "vip_tier" else c.set_index("customer_id")[by].astype(object)
    contacts = facts.contacts
    reached = label.reindex(contacts["customer_id"]).value_counts()
    groups = [g for g, n in reached.items() if n >= MIN_REACHED]
    z = float(stats.norm.ppf(1 - a.alpha / 2))
    ch = facts.change
    rows = []
    if facts.design == "randomized":
        t = ch.reindex(contacts.loc[contacts["group"] == "treatment", "customer_id"]).dropna()
        k = ch.reindex(contacts.loc[contacts["group"] == "control", "customer_id"]).dropna()
        for g in groups:
            a1, a0 = t[label.reindex(t.index).to_numpy() == g], k[label.reindex(k.index).to_numpy() == g]
            row = {"group": g, "contacts": int(reached[g]), "n_treated": len(a1), "n_comparison": len(a0)}
            if len(a1) >= MIN_SUB_TREATED and len(a0) >= MIN_SUB_CONTROL:
                est = a1.mean() - a0.mean()
                se = math.sqrt(a1.var(ddof=1) / len(a1) + a0.var(ddof=1) / len(a0))
                p = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else np.nan
                row.update(estimate=est, ci_low=est - z * se, ci_high=est + z * se, p_value=p)
            rows.append(row)
    else:
        part = pd.Index(contacts.loc[contacts["participated"].astype(bool), "customer_id"])
        s = bank.monthly_snapshots
        pool = pd.Index(s.loc[s["month"] == facts.pre, "customer_id"].unique()).difference(contacts["customer_id"])
        y = pd.concat([ch.reindex(part).dropna(), ch.reindex(pool).dropna()])
        treated = pd.Series(y.index.isin(part), index=y.index)
        X = None
        for g in groups:
            m = (label.reindex(y.index) == g).to_numpy()
            n1, n0 = int(treated[m].sum()), int((~treated[m]).sum())
            row = {"group": g, "contacts": int(reached[g]), "n_treated": n1, "n_comparison": n0}
            if n1 >= MIN_SUB_TREATED and n0 >= MIN_SUB_POOL:
                if X is None:
                    X = driver_features(bank, month_start(facts.start), customer_ids=y.index)
                    missing = X["balance_trend"].isna()
                    X["balance_trend"] = X["balance_trend"].fillna(0.0)
                    X["balance_trend_missing"] = missing.astype(float)
                method = a.campaign_estimator if a.campaign_estimator in METHODS else "aipw"
                try:
                    e = ATTEstimator(method=method, alpha=a.alpha).fit(X[m], treated[m], y[m])
                    row.update(estimate=e.att_, ci_low=e.ci_[0], ci_high=e.ci_[1], p_value=e.p_value_)
                except ValueError:
                    pass
            rows.append(row)
    cols = ["group", "contacts", "n_treated", "n_comparison", "estimate", "ci_low", "ci_high", "p_value"]
    return pd.DataFrame(rows, columns=cols)


def judge_subgroups(table: pd.DataFrame, pooled: tuple[float, float, float] | None) -> pd.DataFrame:
    """`status` per subgroup against the pooled estimate: `contradicts` (its
    interval excludes the pooled estimate's sign), `far_below` (its estimate
    is below FAR_BELOW × a positive pooled estimate), `consistent`, or
    `unmeasured` (too few customers: nothing contradicts it)."""
    out = table.copy()
    status = []
    for r in out.itertuples(index=False):
        if pooled is None or pd.isna(r.estimate):
            status.append("unmeasured")
        elif (pooled[0] > 0 and r.ci_high < 0) or (pooled[0] < 0 and r.ci_low > 0):
            status.append("contradicts")
        elif pooled[0] > 0 and r.estimate < FAR_BELOW * pooled[0]:
            status.append("far_below")
        else:
            status.append("consistent")
    out["status"] = status
    return out


# ---------------------------------------------------------------------------
# the test design


def balance_sd(facts: CampaignFacts, ids: pd.Index | None = None) -> tuple[float, str]:
    """SD of the balance change (CNY) from the campaign's own contacts (those
    in `ids` when enough), else from every customer of the branch over the
    campaign's months; and which ("campaign" or "branch")."""
    own = facts.change.reindex(facts.contacts["customer_id"]).dropna()
    if ids is not None:
        sub = own[own.index.isin(ids)]
        if len(sub) >= MIN_SD_VALUES:
            own = sub
    if len(own) >= MIN_SD_VALUES and own.std(ddof=1) > 0:
        return float(own.std(ddof=1)), "campaign"
    return float(facts.change.std(ddof=1)) if len(facts.change) > 1 else float("nan"), "branch"


def design_test(
    cost_per_contact: float,
    margin_factor: float | None,
    measured: tuple[float, float, float] | None,
    sigma: float,
    eligible: int,
    last_size: int,
    a: Assumptions,
) -> dict:
    """The randomized test of a campaign: the effect it must detect, the
    customers per arm for 80 % power at α, the population and holdout share.

    The effect to detect is the smallest balance effect per contacted
    customer that pays back its cost (cost per contact ÷ yearly margin per
    CNY of balance, `margin_factor`); without a margin, the effect measured
    last time (when positive); else the test is not sized and holds out
    KEEP_HOLDOUT_SHARE. The population is the eligible customers, at most
    max(last run's size, 2 n); the holdout share the smallest (≥
    MIN_HOLDOUT_SHARE, ≤ ½) that gives the power.
    """
    out: dict = {"alpha": a.alpha, "power": power.POWER, "sigma": sigma, "n_per_arm": None, "underpowered": False}
    if margin_factor and margin_factor > 0 and cost_per_contact > 0:
        delta, basis = cost_per_contact / margin_factor, "break_even"
    elif measured is not None and measured[0] > 0:
        delta, basis = measured[0], "measured_effect"
    else:
        delta, basis = None, "unsized"
    out.update(delta=delta, basis=basis)
    if delta is None or not (sigma > 0):
        population = min(eligible, last_size)
        share = KEEP_HOLDOUT_SHARE
        out["basis"] = "unsized"
    else:
        n = power.sample_size_per_arm(delta, sigma, a.alpha)
        population = min(eligible, max(last_size, 2 * n))
        h = power.holdout_share_for(population, delta, sigma, a.alpha) if population > 0 else None
        out["n_per_arm"] = n
        out["underpowered"] = h is None
        share = 0.5 if h is None else min(0.5, max(MIN_HOLDOUT_SHARE, h))
    n_hold = int(math.ceil(share * population - 1e-9))
    out.update(population=int(population), n_holdout=n_hold, n_treated=int(population - n_hold))
    out["holdout_share"] = n_hold / population if population else share
    if sigma > 0 and population:
        out["detectable"] = power.detectable_effect(out["n_treated"], n_hold, sigma, a.alpha)
        if delta:
            out["achieved_power"] = power.achieved_power(out["n_treated"], n_hold, delta, sigma, a.alpha)
    return out


def randomize(ids: list[str], share: float, seed: int) -> pd.Series:
    """arm per customer ("holdout" for ⌈share × n⌉ drawn at random, else "contact"), seeded."""
    ids = sorted(ids)
    n_hold = int(math.ceil(share * len(ids) - 1e-9))
    order = np.random.default_rng(seed).permutation(len(ids))
    arm = np.array(["contact"] * len(ids), dtype=object)
    arm[order[:n_hold]] = "holdout"
    return pd.Series(arm, index=ids)


# ---------------------------------------------------------------------------
# the campaign rows

ACTION_BY_VERDICT = {
    "grow": "campaign_grow",
    "keep": "campaign_repeat",
    "test": "campaign_test",
    "stop": "campaign_stop",
}


def persistence_months(figures: Mapping) -> float | None:
    """The months a campaign's balance effect lasts by its own event study
    (the campaigns section's `persistence` with source "event_study"), or
    None: the assumption then holds."""
    p = figures.get("persistence")
    if not isinstance(p, Mapping) or p.get("source") != "event_study":
        return None
    return _num(p.get("months"))


def margin_factor(economics: Mapping | None, a: Assumptions, months: float | None = None) -> float | None:
    """Yearly net contribution per CNY of extra balance in the next 12 months:
    economics.funds_margin × (months the effect lasts, at most 12) ÷ 12, the
    months from the campaign's event study when given (`persistence_months`),
    else `effect_persistence_months`; None without the economics section."""
    if not isinstance(economics, Mapping) or economics.get("status", "ok") != "ok":
        return None
    fm = (
        _num((economics.get("funds_margin") or {}).get("estimate"))
        if isinstance(economics.get("funds_margin"), Mapping)
        else None
    )
    if fm is None:
        return None
    m = a.effect_persistence_months if months is None else months
    return fm * min(m, 12) / 12


def _named(details: Mapping) -> dict:
    """The campaign's id, name, kind and start (for a row that is not scheduled)."""
    return {k: details.get(k) for k in ("campaign_id", "name", "kind", "start_date")}


def _top_by_value(people: pd.DataFrame, n: int) -> list[str]:
    p = people.sort_values(["revenue_12m"], ascending=False, kind="mergesort")
    return list(p.index[: max(0, int(n))])


def _campaign_row(
    facts: CampaignFacts,
    key: str,
    ids: list[str],
    holdout: float,
    seed: int,
    window: tuple[pd.Timestamp, pd.Timestamp],
    evidence: list[str],
    kpi: tuple[str, float | None, float | None],
    profit: tuple[float, float, float] | None,
    details: dict,
    suffix: str = "",
) -> Action:
    channel = CHANNEL_BY_KIND.get(facts.kind, "rm")
    arms = randomize(ids, holdout, seed) if holdout > 0 else pd.Series("contact", index=sorted(ids), dtype=object)
    people = pd.DataFrame({"customer_id": arms.index, "arm": arms.to_numpy(), "channel": channel, "rm": None})
    people.loc[people["arm"] == "holdout", "channel"] = "none"
    cpc = facts.cost_per_contact
    return Action(
        action_id=f"{facts.campaign_id}-{key.removeprefix('campaign_')}{suffix}",
        topic="campaigns",
        action=key,
        owner_role="head_of_retail",
        start=window[0],
        end=window[1],
        people=people,
        unit_cost={ch: cpc for ch in ("rm", "phone", "outlet", "digital")},
        kpi=kpi[0],
        baseline=kpi[1],
        target=kpi[2],
        evidence=evidence,
        holdout_share=float((people["arm"] == "holdout").mean()) if len(people) else 0.0,
        profit_per_contact=profit,
        kind_key=facts.kind_key,
        details=details,
    )


def campaign_actions(
    bank: Bank,
    people: pd.DataFrame,
    section: Mapping | None,
    economics: Mapping | None,
    a: Assumptions,
    quarter: tuple[pd.Timestamp, pd.Timestamp],
) -> tuple[list[Action], list[dict], dict]:
    """(rows, campaigns not scheduled with the reason, subgroup estimates per
    campaign) for every campaign of the section, by the rules of
    `analysis.questions.plan`. `people`: the active customers (index
    customer_id; tier, segment, rm_id, revenue_12m)."""
    if not isinstance(section, Mapping) or section.get("status") != "ok":
        return [], [], {}
    taken: dict[str, set] = {}
    rows: list[Action] = []
    skipped: list[dict] = []
    subgroups: dict[str, dict] = {}
    for f in campaign_facts(bank, section, a):
        cid, fig = f.campaign_id, f.figures
        given = fig.get("verdict") if fig.get("verdict") in VERDICTS else None
        verdict = given or "test"
        key = ACTION_BY_VERDICT[verdict]
        evidence = [f"campaigns.{cid}.design"]
        if given:
            evidence.append(f"campaigns.{cid}.verdict")
        if isinstance(fig.get("balance_effect"), Mapping):
            evidence.append(f"campaigns.{cid}.balance_effect")
        eff = f.effect_per_contact()
        # a campaign whose event study shows its effect fading is counted for
        # the months it lasts; the others for the assumed persistence
        measured = persistence_months(fig)
        factor = margin_factor(economics, a, measured)
        margin_evidence = ["economics.funds_margin"]
        if measured is not None:
            margin_evidence.append(f"campaigns.{cid}.persistence.months")
        # the event study's slope is kept for the words even when it shows no fade
        pers = fig.get("persistence") if isinstance(fig.get("persistence"), Mapping) else {}
        slope = pers.get("slope_per_month") if isinstance(pers.get("slope_per_month"), Mapping) else {}
        details = {
            "campaign_id": cid,
            "name": f.name,
            "kind": f.kind,
            "design": f.design,
            "start_date": f.start.strftime("%Y-%m-%d"),
            "verdict": given,
            "verdict_used": verdict,
            "cost_per_contact": f.cost_per_contact,
            "last_contacts": int(len(f.treated)),
            "last_cost": f.cost,
            "effect_per_contact": None if eff is None else list(eff),
            "persistence": {
                "months": a.effect_persistence_months if measured is None else measured,
                "source": "assumption" if measured is None else "event_study",
                "slope_per_month": _num(slope.get("estimate")),
                **({"zero_after_months": pers["zero_after_months"]} if "zero_after_months" in pers else {}),
            },
        }
        seed = stable_seed(bank.branch_id, cid, str(bank.timeframe.as_of.date()))
        if verdict == "stop":
            details["frees"] = f.cost
            rows.append(
                _campaign_row(f, key, [], 0.0, seed, quarter, evidence, ("campaign_spend", f.cost, 0.0), None, details)
            )
            continue
        season, months = season_of(f.name, f.kind)
        window = season_window(months, *quarter) if season else quarter
        details["season"] = season
        if window is None:
            skipped.append(
                {**_named(details), "action": key, "reason": "out_of_season", "season": season, "months": list(months)}
            )
            continue
        pooled = _estimate(fig.get("balance_effect"))
        tiers = judge_subgroups(subgroup_estimates(bank, f, "vip_tier", a), pooled)
        segs = judge_subgroups(subgroup_estimates(bank, f, "segment", a), pooled)
        subgroups[cid] = {"vip_tier": tiers.to_dict("records"), "segment": segs.to_dict("records")}
        standing = sorted(t for t, kinds in VIP_SERVICES.items() if f.kind in kinds)
        bad_tiers = set(tiers.loc[tiers["status"].isin(["contradicts", "far_below"]), "group"])
        bad_segs = set(segs.loc[segs["status"].isin(["contradicts", "far_below"]), "group"])
        left_out = {t: "standing_service" for t in standing if t in set(tiers["group"]) or t in set(people["tier"])}
        pool = people[
            people["tier"].isin(set(tiers["group"]) - set(standing))
            & people["segment"].isin(set(segs["group"]))
            & ~people.index.isin(list(taken.get(f.kind_key, ())))
        ]
        bad = pool["tier"].isin(bad_tiers) | pool["segment"].isin(bad_segs)
        details.update(standing_service_tiers=standing, subgroups_against=sorted(bad_tiers | bad_segs))
        plans: list[tuple[str, pd.DataFrame, str]] = []  # (key, eligible, suffix)
        if verdict == "test":
            plans.append(("campaign_test", pool, ""))
        else:
            plans.append((key, pool[~bad], ""))
            if verdict == "grow" and bad.any():
                plans.append(("campaign_test", pool[bad], "-subgroups"))  # test it where the subgroup disagrees
            for g in sorted(bad_tiers | bad_segs):
                left_out.setdefault(g, "subgroup_" + ("test" if verdict == "grow" else "left_out"))
        details["left_out"] = left_out
        for k, eligible, suffix in plans:
            d = dict(details)
            ev = list(evidence)
            profit = None
            if eligible.empty:
                skipped.append({**_named(details), "action": k, "reason": "no_eligible", "left_out": dict(left_out)})
                continue
            if k == "campaign_grow":
                ids = list(eligible.index)
                holdout, kpi = 0.0, ("customers_reached", float(len(f.treated)), float(len(ids)))
            elif k == "campaign_repeat":
                ids = _top_by_value(eligible, len(f.contacts))
                holdout = KEEP_HOLDOUT_SHARE
                target = f.cost_per_contact / factor if factor else (eff[0] if eff else None)
                kpi = ("balance_effect_per_contact", eff[0] if eff else None, target)
            else:
                sigma, source = balance_sd(f, pd.Index(eligible.index))
                design = design_test(f.cost_per_contact, factor, eff, sigma, len(eligible), len(f.contacts), a)
                design["sigma_source"] = source
                if design["population"] < MIN_TEST_POPULATION:
                    skipped.append(
                        {**_named(details), "action": k, "reason": "too_few_eligible", "eligible": len(eligible)}
                    )
                    continue
                ids = _top_by_value(eligible, design["population"])
                holdout = design["holdout_share"]
                kpi = ("balance_effect_per_contact", eff[0] if eff else None, design["delta"])
                d["test"] = design
                if design["basis"] == "break_even":
                    ev += margin_evidence
            if k in ("campaign_grow", "campaign_repeat") and eff is not None and factor is not None:
                profit = tuple(v * factor for v in eff)
                ev += [p for p in (f"campaigns.{cid}.profit_12m",) if isinstance(fig.get("profit_12m"), Mapping)]
                ev += margin_evidence
            d["tiers"] = sorted(set(people.loc[ids, "tier"]))
            rows.append(_campaign_row(f, k, ids, holdout, seed + len(suffix), window, ev, kpi, profit, d, suffix))
            taken.setdefault(f.kind_key, set()).update(ids)
    return rows, skipped, subgroups
