"""Competitor positioning in the branch's city (RESULTS.md `competitors`).

- Market share of deposits and loans per bank and quarter (`market_share`),
  and the home bank's gains or losses against each competitor.
- How the city's residents rate each bank on the eight attributes
  (`market_survey`): means, a perceptual map, the home bank's gap to each
  competitor.
- What makes a resident choose a bank as primary bank: a conditional
  (McFadden) logit of primary_bank on the eight ratings within each
  respondent's rated banks (`analysis.stats.choice`).
- Where the branch's leavers went (`customers.destination_bank`).

The section is skipped only when neither market table is given. With one of
them, the figures of the other are null. `switching_destinations` needs only
`customers` and is computed whenever the section is; the notebook shows the
switching flows even when the section is skipped. `analyze(bank)` gives it
all as a `CompetitorsResult`. The decisions that words rest on (where the
home bank gained or lost ground, where it is weak on what moves choice) are
functions of the section's figures, so the notebook and the briefing, which
has only results.json, decide them alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.contract import ATTRIBUTES, SEGMENTS
from analysis.sections import Estimate, Section, Skipped
from analysis.stats.choice import ConditionalLogitFitter

RATINGS = [f"rating_{a}" for a in ATTRIBUTES]
QUARTERS_BACK = 4
UNKNOWN = "unknown"


# ---------------------------------------------------------------------------
# Market share


def share_history(market_share: pd.DataFrame) -> pd.DataFrame:
    """Per period and bank: deposits, loans (CNY) and each bank's share of the
    city's total in that period (deposit_share, loan_share)."""
    m = market_share[["period", "bank", "deposits", "loans"]].copy()
    tot = m.groupby("period")[["deposits", "loans"]].transform("sum")
    m["deposit_share"] = m["deposits"] / tot["deposits"]
    m["loan_share"] = m["loans"] / tot["loans"]
    return m.sort_values(["period", "bank"]).reset_index(drop=True)


def quarters_before(period: pd.Timestamp, quarters: int) -> pd.Timestamp:
    """The quarter end `quarters` quarters before `period` (a quarter end)."""
    return pd.Timestamp(period) - pd.DateOffset(months=3 * quarters) + pd.offsets.MonthEnd(0)


def shares_at(history: pd.DataFrame, period: pd.Timestamp, kind: str = "deposit") -> pd.Series:
    """Per bank: its `kind` ("deposit"/"loan") share in `period` (empty if absent)."""
    h = history[history["period"] == period]
    return h.set_index("bank")[f"{kind}_share"].sort_values(ascending=False)


def share_change(history: pd.DataFrame, quarters: int = QUARTERS_BACK, kind: str = "deposit") -> pd.Series | None:
    """Per bank: share in the latest period minus its share `quarters`
    quarters earlier (share points as a fraction); banks present in both
    periods only; None when that earlier period is not in the data."""
    latest = history["period"].max()
    earlier = quarters_before(latest, quarters)
    if not (history["period"] == earlier).any():
        return None
    now, before = shares_at(history, latest, kind), shares_at(history, earlier, kind)
    both = now.index.intersection(before.index)
    return (now[both] - before[both]).reindex(now.index.intersection(both))


def head_to_head(history: pd.DataFrame, home_bank: str, quarters: int = QUARTERS_BACK) -> pd.DataFrame | None:
    """Per competitor: its deposit/loan share change over `quarters` quarters
    and the home bank's net gain against it (home change − competitor
    change, share points as a fraction; > 0: the home bank gained ground).
    None without the earlier period or without the home bank in it."""
    dep, loan = share_change(history, quarters, "deposit"), share_change(history, quarters, "loan")
    if dep is None or home_bank not in dep.index:
        return None
    comp = [b for b in dep.index if b != home_bank]
    out = pd.DataFrame(
        {
            "deposit_share_change": dep[comp],
            "home_net_deposit": dep[home_bank] - dep[comp],
            "loan_share_change": loan[comp],
            "home_net_loan": loan[home_bank] - loan[comp],
        }
    ).rename_axis("competitor")
    out.attrs.update(home_deposit_change=float(dep[home_bank]), home_loan_change=float(loan[home_bank]))
    return out.sort_values("home_net_deposit")


# ---------------------------------------------------------------------------
# Survey: ratings


def attribute_means(market_survey: pd.DataFrame) -> pd.DataFrame:
    """Per bank (rows) and attribute (columns): mean rating (1–7) over the
    respondents who rated it."""
    m = market_survey.groupby("bank")[RATINGS].mean()
    m.columns = list(ATTRIBUTES)
    return m


def gap_to_competitors(market_survey: pd.DataFrame, home_bank: str, alpha: float = 0.05) -> pd.DataFrame:
    """Per competitor and attribute: home mean − competitor mean (rating
    points) with a Welch interval (the two sets of ratings treated as
    independent samples) and n of each. Long form."""
    ms = market_survey
    home = ms[ms["bank"] == home_bank]
    rows = []
    for bank, grp in ms[ms["bank"] != home_bank].groupby("bank"):
        for a, col in zip(ATTRIBUTES, RATINGS):
            x, y = home[col].dropna().astype(float), grp[col].dropna().astype(float)
            gap = x.mean() - y.mean() if len(x) and len(y) else np.nan
            lo = hi = np.nan
            if len(x) > 1 and len(y) > 1 and (x.var() > 0 or y.var() > 0):
                ci = stats.ttest_ind(x, y, equal_var=False).confidence_interval(1 - alpha)
                lo, hi = float(ci.low), float(ci.high)
            rows.append(
                {
                    "competitor": bank,
                    "attribute": a,
                    "gap": gap,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n_home": len(x),
                    "n_competitor": len(y),
                }
            )
    return pd.DataFrame(rows, columns=["competitor", "attribute", "gap", "ci_low", "ci_high", "n_home", "n_competitor"])


def perceptual_map(means: pd.DataFrame) -> dict:
    """PCA biplot of the banks' attribute means.

    The means are centred per attribute (not scaled: all are on the same 1–7
    scale, so an attribute on which banks barely differ should not be blown
    up). Returns `banks` (DataFrame pc1, pc2: bank coordinates), `attributes`
    (pc1, pc2: the attribute directions, scaled to the banks' spread for
    drawing) and `explained` (share of the between-bank variance on each
    axis). Needs at least three banks.
    """
    m = means.dropna(axis=1, how="any")
    if len(m) < 3 or m.shape[1] < 2:
        raise ValueError("a perceptual map needs at least three banks rated on two or more attributes")
    X = m.to_numpy() - m.to_numpy().mean(axis=0)
    U, S, Vt = np.linalg.svd(X, full_matrices=False)
    # orient each axis so that most attributes point to its positive side: stable pictures across runs
    signs = np.sign(Vt[:2].sum(axis=1))
    signs[signs == 0] = 1
    scores = U[:, :2] * S[:2] * signs
    load = Vt[:2].T * signs
    scale = np.abs(scores).max() / max(np.abs(load).max(), 1e-12)
    return {
        "banks": pd.DataFrame(scores, index=m.index, columns=["pc1", "pc2"]),
        "attributes": pd.DataFrame(load * scale, index=m.columns, columns=["pc1", "pc2"]),
        "explained": (S**2 / (S**2).sum())[:2],
    }


# ---------------------------------------------------------------------------
# Survey: choice


def choice_failure(market_survey: pd.DataFrame) -> str | None:
    """Why `choice_model` cannot fit `market_survey` (the fitter's words), or None when it can."""
    try:
        ConditionalLogitFitter().fit(market_survey, "primary_bank", "respondent_id", RATINGS)
    except ValueError as exc:
        return str(exc)
    return None


def choice_model(market_survey: pd.DataFrame, alpha: float = 0.05) -> ConditionalLogitFitter | None:
    """The conditional logit of primary_bank on the eight ratings (complete
    cases, no bank constants); None when it cannot be fitted."""
    try:
        return ConditionalLogitFitter(alpha=alpha).fit(market_survey, "primary_bank", "respondent_id", RATINGS)
    except ValueError:
        return None


def choice_estimates(fitter: ConditionalLogitFitter) -> dict[str, Estimate]:
    """Per attribute: the coefficient (log-odds of being chosen per rating point) with interval and p."""
    ci = fitter.confidence_intervals_
    return {
        a: Estimate(
            float(fitter.params_[r]),
            float(ci.loc[r, "ci_low"]),
            float(ci.loc[r, "ci_high"]),
            float(fitter.p_values_[r]),
        )
        for a, r in zip(ATTRIBUTES, RATINGS)
    }


def choice_priorities(
    drivers: Mapping[str, Estimate], means: pd.DataFrame, home_bank: str, alpha: float = 0.05
) -> pd.DataFrame:
    """Per attribute: what moves primary-bank choice and where the home bank stands.

    coef (log-odds of being chosen per rating point), ci_low, ci_high,
    p_value, odds_multiplier (exp(coef): how the odds of being chosen
    multiply for one more point), home (home bank's mean rating),
    competitors (mean of the competitors' means), gap (home − competitors),
    best_competitor and best (its mean), and weak_on_what_matters: the
    attribute clearly moves choice (p < alpha, coef > 0) and the home bank
    rates below the competitors' average. Sorted by coef, largest first.
    """
    attrs = [a for a in ATTRIBUTES if a in drivers]
    coef = np.array([drivers[a].estimate for a in attrs], dtype=float)
    comp = means.drop(index=home_bank, errors="ignore")
    out = pd.DataFrame(
        {
            "coef": coef,
            "ci_low": [drivers[a].ci_low for a in attrs],
            "ci_high": [drivers[a].ci_high for a in attrs],
            "p_value": [drivers[a].p_value for a in attrs],
            "odds_multiplier": np.exp(coef),
        },
        index=pd.Index(attrs, name="attribute"),
    )
    out["home"] = means.loc[home_bank] if home_bank in means.index else np.nan
    out["competitors"] = comp.mean()
    out["gap"] = out["home"] - out["competitors"]
    out["best_competitor"] = comp.idxmax() if len(comp) else None
    out["best"] = comp.max()
    out["weak_on_what_matters"] = (out["p_value"] < alpha) & (out["coef"] > 0) & (out["gap"] < 0)
    return out.sort_values("coef", ascending=False)


# ---------------------------------------------------------------------------
# Switching


def window_leavers(bank: Bank) -> pd.DataFrame:
    """Customers of the branch closed in the window (close_date in t0 … as_of)."""
    c = bank.customers
    return c[bank.timeframe.in_window(c["close_date"])].reset_index(drop=True)


def switching_destinations(bank: Bank) -> pd.Series:
    """Per destination_bank: leavers of the window who went there (known destinations), most first."""
    d = window_leavers(bank)["destination_bank"].dropna()
    return d.value_counts().rename("customers").rename_axis("destination_bank")


def switching_by_segment(bank: Bank) -> pd.DataFrame:
    """Leavers of the window by segment (rows, contract order) and
    destination (columns, most frequent first; `unknown` when not recorded)."""
    d = window_leavers(bank)
    dest = d["destination_bank"].fillna(UNKNOWN)
    t = pd.crosstab(d["segment"].astype(str), dest)
    cols = [c for c in t.sum().sort_values(ascending=False).index if c != UNKNOWN]
    if UNKNOWN in t.columns:
        cols.append(UNKNOWN)
    return t.reindex(index=[s for s in SEGMENTS if s in t.index], columns=cols)


# ---------------------------------------------------------------------------
# Decisions on the section's figures


def ground(changes: Mapping[str, float], home_bank: str) -> tuple[list[str], list[str]] | None:
    """(competitors the home bank lost deposit share to, those it gained on) over
    the four quarters: its own change in share points against theirs, most
    lost first; None when the home bank has no change."""
    if home_bank not in changes:
        return None
    net = {b: changes[home_bank] - v for b, v in changes.items() if b != home_bank}
    order = sorted(net, key=lambda b: net[b])
    return [b for b in order if net[b] < 0], [b for b in order if net[b] > 0]


def rating_gaps(means: pd.DataFrame, home_bank: str) -> pd.DataFrame | None:
    """Per attribute: gap (home mean − the competitors' average), rank (of
    the home bank among all banks, 1 = best); None without home ratings."""
    if home_bank not in means.index:
        return None
    gap = means.loc[home_bank] - means.drop(index=home_bank).mean()
    rank = means.rank(ascending=False).loc[home_bank]
    return pd.DataFrame({"gap": gap, "rank": rank})


def means_frame(attribute_means: Mapping[str, Mapping[str, float | None]]) -> pd.DataFrame:
    """The section's attribute_means (bank → attribute → mean) as a frame: banks × attributes."""
    m = pd.DataFrame.from_dict(
        {b: {a: (np.nan if v is None else v) for a, v in row.items()} for b, row in attribute_means.items()},
        orient="index",
    )
    return m.reindex(columns=[a for a in ATTRIBUTES if a in m.columns]).astype(float)


# ---------------------------------------------------------------------------
# The section


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


@dataclass(frozen=True)
class CompetitorsSection(Section):
    """Section `competitors` of results.json (a figure whose table is missing is None)."""

    period: str | None
    deposit_share: dict[str, float] | None
    loan_share: dict[str, float] | None
    deposit_share_change_4q: dict[str, float] | None
    attribute_means: dict[str, dict[str, float | None]] | None
    choice_drivers: dict[str, Estimate] | None
    switching_destinations: dict[str, int]
    choice_reason: str | None = None  # why choice_drivers is null with a market survey (`choice_failure`)

    omit_when_none: ClassVar[tuple[str, ...]] = ("choice_reason",)

    @classmethod
    def from_dict(cls, d: Mapping | None) -> CompetitorsSection | Skipped | None:
        """The typed section back from results.json; None when absent."""
        if not isinstance(d, Mapping):
            return None
        if d.get("status", "ok") != "ok":
            return Skipped(str(d.get("reason") or ""))

        def shares(key: str) -> dict | None:
            v = d.get(key)
            return {b: float(x) for b, x in v.items() if _number(x) is not None} if isinstance(v, Mapping) else None

        means = d.get("attribute_means")
        drivers = d.get("choice_drivers")
        return cls(
            period=d.get("period"),
            deposit_share=shares("deposit_share"),
            loan_share=shares("loan_share"),
            deposit_share_change_4q=shares("deposit_share_change_4q"),
            attribute_means={b: {a: _number(v) for a, v in row.items()} for b, row in means.items()}
            if isinstance(means, Mapping)
            else None,
            choice_drivers={
                a: Estimate(e["estimate"], e.get("ci_low"), e.get("ci_high"), e.get("p_value"))
                for a, e in drivers.items()
                if isinstance(e, Mapping) and _number(e.get("estimate")) is not None
            }
            if isinstance(drivers, Mapping)
            else None,
            switching_destinations={
                b: int(v) for b, v in (d.get("switching_destinations") or {}).items() if _number(v) is not None
            },
            choice_reason=str(d["choice_reason"]) if d.get("choice_reason") else None,
        )


def unmatched_reason(table: str, note: Mapping[str, Any]) -> str:
    """Why a market table with rows has none of the branch: the cities it has
    and the branch's (`Bank.unmatched_cities`), "market_share has cities
    乐山市, 眉山市 but not 眉山"."""
    cities = ", ".join(str(c) for c in note.get("cities") or [])
    more = int(note.get("more") or 0)
    others = f"{cities} and {more} more" if more else cities
    return f"{table} has cities {others} but not {note.get('city')}"


def no_market_reason(bank: Bank) -> str:
    """The skip reason of a branch without market rows: the city mismatch
    when a market table has rows of other cities only, else that neither
    table was provided."""
    city = bank.branch["city"]
    unmatched = bank.unmatched_cities
    if unmatched:
        notes = "; ".join(unmatched_reason(t, unmatched[t]) for t in sorted(unmatched))
        return f"no market data for {city}: {notes}"
    return f"no market data for {city}: neither market_share nor market_survey was provided"


def section_of(
    bank: Bank, fit: ConditionalLogitFitter | None, means: pd.DataFrame | None
) -> CompetitorsSection | Skipped:
    """The contract's `competitors` section from the bank, the choice model
    and the attribute means (see the module docstring for what is null when
    one market table is missing)."""
    has_share, has_survey = bank.has("market_share"), bank.has("market_survey")
    if not (has_share or has_survey):
        return Skipped(no_market_reason(bank))
    period = deposit = loan = change = None
    if has_share:
        h = share_history(bank.market_share)
        latest = h["period"].max()
        period = latest.strftime("%Y-%m-%d")
        deposit = shares_at(h, latest, "deposit").to_dict()
        loan = shares_at(h, latest, "loan").to_dict()
        ch = share_change(h, QUARTERS_BACK, "deposit")
        change = None if ch is None else ch.to_dict()
    attribute_means = None
    if means is not None:
        attribute_means = {
            b: {a: (None if pd.isna(v) else float(v)) for a, v in row.items()} for b, row in means.iterrows()
        }
    return CompetitorsSection(
        period=period,
        deposit_share=deposit,
        loan_share=loan,
        deposit_share_change_4q=change,
        attribute_means=attribute_means,
        choice_drivers=choice_estimates(fit) if fit is not None else None,
        switching_destinations={k: int(v) for k, v in switching_destinations(bank).items()},
        choice_reason=choice_failure(bank.market_survey) if has_survey and fit is None else None,
    )


# ---------------------------------------------------------------------------
# The question


@dataclass
class CompetitorsResult:
    """The competitor question for one branch (see `analyze`); a part whose
    table is missing is None."""

    contract: CompetitorsSection | Skipped
    home_bank: str
    history: pd.DataFrame | None  # `share_history`
    h2h: pd.DataFrame | None  # `head_to_head`
    means: pd.DataFrame | None  # `attribute_means`
    gaps: pd.DataFrame | None  # `gap_to_competitors`
    pmap: dict | None  # `perceptual_map` (three banks or more)
    fit: ConditionalLogitFitter | None  # `choice_model`
    priorities: pd.DataFrame | None  # `choice_priorities`
    by_segment: pd.DataFrame  # `switching_by_segment`
    respondents: int  # market-survey respondents
    assumptions: Assumptions

    def section(self) -> CompetitorsSection | Skipped:
        return self.contract

    @property
    def n_banks(self) -> int:
        return 0 if self.history is None else int(self.history["bank"].nunique())

    @property
    def leavers(self) -> int:
        return int(self.by_segment.to_numpy().sum()) if self.by_segment.size else 0


def analyze(bank: Bank, assumptions: Assumptions | None = None) -> CompetitorsResult:
    """Everything the competitor question computes for `bank` (see CompetitorsResult)."""
    bank, a = bank.assumed(assumptions)
    home = bank.branch["home_bank"]
    history = h2h = means = gaps = pmap = fit = priorities = None
    respondents = 0
    if bank.has("market_share"):
        history = share_history(bank.market_share)
        h2h = head_to_head(history, home)
    if bank.has("market_survey"):
        survey = bank.market_survey
        respondents = int(survey["respondent_id"].nunique())
        means = attribute_means(survey)
        gaps = gap_to_competitors(survey, home, a.alpha)
        pmap = perceptual_map(means) if len(means) >= 3 else None
        fit = choice_model(survey, a.alpha)
        priorities = choice_priorities(choice_estimates(fit), means, home, a.alpha) if fit is not None else None
    return CompetitorsResult(
        contract=section_of(bank, fit, means),
        home_bank=home,
        history=history,
        h2h=h2h,
        means=means,
        gaps=gaps,
        pmap=pmap,
        fit=fit,
        priorities=priorities,
        by_segment=switching_by_segment(bank),
        respondents=respondents,
        assumptions=a,
    )
