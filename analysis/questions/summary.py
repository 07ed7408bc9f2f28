"""What the briefing's first page says, chosen once: the situation, the decisions, the scorecard.

The executive summary of a branch is three blocks, each chosen here from
the run's results.json (and the scorecard table of the satisfaction
notebook) and worded by `analysis.words.summary`:

1. **The situation** (`situation`): the book (deposits, loans, wealth) with
   the lines that moved by `MATERIAL_CHANGE` or more in a year, largest
   relative move first (a loan book down 23 % leads), each with the yearly
   net contribution that went with the move at the branch's own margin
   (`economics`); the customers (attrition, the profit the leavers took,
   net customer growth, and the segment whose higher attrition holds the
   most profit); the profit (growth, concentration, money-losing customers).
2. **The decisions** (`decisions`): next quarter's plan rows that carry a
   yearly net contribution with an interval (grow, keep, test), and the
   campaigns the plan stops taken together (the spend they free against the
   contribution they forgo); ranked by the yearly profit after cost, at
   most `MAX_DECISIONS`. When fewer than `MIN_DECISIONS` carry a profit,
   the plan's costliest other rows fill the list with no profit claimed.
   The rest of the plan is summed (`Decisions.others`).
3. **The scorecard** (`scorecard`): every QVSRS figure now, a quarter
   earlier, the change with its 95 % band and whether it is beyond noise
   (`analysis.questions.qvsrs.scorecard_table`), and, where a target is
   given, the target and whether it is met.

Every profit here is a yearly net contribution (CNY), never a volume.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.questions.qvsrs import METRICS, PREVIOUS_MONTHS
from analysis.stats.change import se_of_interval, z

#: A book line moving less than this in a year (relative) is not a headline.
MATERIAL_CHANGE = 0.05
BOOK_LINES = ("loans", "deposits", "wealth_aum")
#: The margin a book line earns (economics): loans at the loan margin, the rest at the funds margin.
MARGIN_OF = {"loans": "loan_margin", "deposits": "funds_margin", "wealth_aum": "funds_margin"}
MIN_DECISIONS, MAX_DECISIONS = 3, 5
PROFIT_ACTIONS = ("campaign_grow", "campaign_repeat", "campaign_test")
ALPHA = 0.05


@dataclass(frozen=True)
class Range:
    """An estimate with its 95 % interval (CNY a year, or the figure's unit)."""

    estimate: float
    low: float | None = None
    high: float | None = None

    @property
    def known(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def spans_zero(self) -> bool:
        """The interval includes 0: the sign itself is not sure."""
        return self.known and self.low <= 0 <= self.high  # type: ignore[operator]

    def plus(self, shift: float) -> Range:
        return Range(
            self.estimate + shift,
            None if self.low is None else self.low + shift,
            None if self.high is None else self.high + shift,
        )


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    f = float(v)
    return None if math.isnan(f) or math.isinf(f) else f


def _section(results: Mapping, name: str) -> Mapping | None:
    s = results.get(name)
    return s if isinstance(s, Mapping) and s.get("status", "ok") == "ok" else None


def _range(d: Any) -> Range | None:
    if not isinstance(d, Mapping) or _num(d.get("estimate")) is None:
        return None
    return Range(float(d["estimate"]), _num(d.get("ci_low")), _num(d.get("ci_high")))


# ---------------------------------------------------------------------------
# 1 the situation


@dataclass(frozen=True)
class BookMove:
    """One line of the book over the year: CNY now, a year ago, the relative
    change and the yearly net contribution that went with the move (amount ×
    the branch's margin on it; None without `economics`)."""

    line: str
    now: float
    before: float
    change: float
    profit: Range | None

    @property
    def amount(self) -> float:
        return self.now - self.before


@dataclass(frozen=True)
class SegmentRisk:
    """A customer segment whose odds of leaving are significantly above the
    mass customers': its share of customers and of profit, the odds ratio."""

    segment: str
    customer_share: float
    profit_share: float
    odds_ratio: Range
    p_value: float | None


@dataclass(frozen=True)
class Situation:
    """The figures of the first page's three sentences (None: not in the results)."""

    month: str | None = None
    book: tuple[BookMove, ...] = ()  # material moves, largest relative move first
    steady: tuple[BookMove, ...] = ()  # the other lines, for completeness
    churn_rate: float | None = None
    cohort: int | None = None
    churned: int | None = None
    leavers: int | None = None
    leavers_profit: float | None = None  # their yearly profit before leaving, CNY
    net_customer_growth: float | None = None
    segment_risk: SegmentRisk | None = None
    revenue_12m: float | None = None
    revenue_growth: float | None = None
    top20_share: float | None = None
    unprofitable_share: float | None = None
    unprofitable_loss: float | None = None  # CNY over the window (negative)

    @property
    def empty(self) -> bool:
        return not self.book and self.churn_rate is None and self.revenue_12m is None and self.top20_share is None


def book_moves(results: Mapping) -> list[BookMove]:
    """Every book line with a known change, largest relative move first."""
    o = _section(results, "overview") or {}
    econ = _section(results, "economics") or {}
    out = []
    for line in BOOK_LINES:
        now, ch = _num(o.get(line)), _num(o.get(f"{'wealth' if line == 'wealth_aum' else line}_change_12m"))
        if now is None or ch is None or ch <= -1:
            continue
        before = now / (1 + ch)
        m = _range(econ.get(MARGIN_OF[line]))
        amount = now - before
        profit = None
        if m is not None:
            ends = [amount * x for x in (m.low, m.high) if x is not None]
            profit = Range(amount * m.estimate, *(sorted(ends) if len(ends) == 2 else (None, None)))
        out.append(BookMove(line, now, before, ch, profit))
    return sorted(out, key=lambda b: (-abs(b.change), BOOK_LINES.index(b.line)))


def segment_risk(results: Mapping) -> SegmentRisk | None:
    """The segment with significantly higher attrition (odds ratio > 1,
    p < ALPHA) that makes the largest share of the profit."""
    churn = _section(results, "churn") or {}
    segs = (_section(results, "overview") or {}).get("segments") or {}
    best = None
    for key, d in (churn.get("drivers") or {}).items():
        if not (isinstance(key, str) and key.startswith("segment[") and isinstance(d, Mapping)):
            continue
        seg = key[len("segment[") : -1]
        o, p = _num(d.get("odds_ratio")), _num(d.get("p_value"))
        g = segs.get(seg) if isinstance(segs, Mapping) else None
        if o is None or o <= 1 or p is None or p >= ALPHA or not isinstance(g, Mapping):
            continue
        share = _num(g.get("profit_share"))
        if share is None:
            continue
        risk = SegmentRisk(
            seg,
            float(_num(g.get("customer_share")) or 0.0),
            share,
            Range(o, _num(d.get("ci_low")), _num(d.get("ci_high"))),
            p,
        )
        if best is None or risk.profit_share > best.profit_share:
            best = risk
    return best


def situation(results: Mapping) -> Situation:
    """The situation of the branch in the figures its three sentences state."""
    o = _section(results, "overview") or {}
    churn = _section(results, "churn") or {}
    value = _section(results, "value") or {}
    q = _section(results, "qvsrs") or {}
    sus = q.get("sustainability") if isinstance(q.get("sustainability"), Mapping) else {}
    moves = book_moves(results)
    leavers = o.get("leavers") if isinstance(o.get("leavers"), Mapping) else {}
    unprof = o.get("unprofitable") if isinstance(o.get("unprofitable"), Mapping) else {}
    return Situation(
        month=o.get("month") if isinstance(o.get("month"), str) else None,
        book=tuple(b for b in moves if abs(b.change) >= MATERIAL_CHANGE),
        steady=tuple(b for b in moves if abs(b.change) < MATERIAL_CHANGE),
        churn_rate=_num(churn.get("churn_rate_12m")),
        cohort=_int(churn.get("cohort_size")),
        churned=_int(churn.get("churned")),
        leavers=_int(leavers.get("customers")),
        leavers_profit=_num(leavers.get("revenue_year")),
        net_customer_growth=_num(sus.get("net_customer_growth_12m")),
        segment_risk=segment_risk(results),
        revenue_12m=_num(o.get("revenue_12m")),
        revenue_growth=_num(sus.get("revenue_growth_12m")),
        top20_share=_num(value.get("top20_revenue_share")),
        unprofitable_share=_num(value.get("unprofitable_share")),
        unprofitable_loss=_num(unprof.get("loss_12m")),
    )


def _int(v: Any) -> int | None:
    n = _num(v)
    return int(n) if n is not None else None


# ---------------------------------------------------------------------------
# 2 the decisions


@dataclass(frozen=True)
class Decision:
    """One decision for next quarter.

    `cost`: what it spends next quarter (CNY); `contribution`: its yearly net
    contribution (CNY, 95 % interval; negative for stops: what they forgo;
    None when the plan claims none); `saved`: the spend a stop frees (last
    time's cost); `after_cost`: the yearly profit of deciding it against not
    (contribution − cost + saved)."""

    kind: str  # a plan action, or "campaign_stop" for the stops taken together
    rows: tuple[Mapping, ...]
    cost: float
    contribution: Range | None
    saved: float = 0.0
    details: tuple[Mapping, ...] = ()

    @property
    def after_cost(self) -> Range | None:
        if self.contribution is None:
            return None
        return self.contribution.plus(self.saved - self.cost)

    @property
    def action_ids(self) -> tuple[str, ...]:
        return tuple(str(r.get("action_id")) for r in self.rows)

    @property
    def customers(self) -> int:
        return int(sum(_num(r.get("customers")) or 0 for r in self.rows))

    @property
    def owner_role(self) -> str | None:
        roles = {r.get("owner_role") for r in self.rows}
        return next(iter(roles)) if len(roles) == 1 else None

    @property
    def start(self) -> str | None:
        return min((str(r["start"]) for r in self.rows if r.get("start")), default=None)

    @property
    def end(self) -> str | None:
        return max((str(r["end"]) for r in self.rows if r.get("end")), default=None)


@dataclass(frozen=True)
class Decisions:
    """The first page's decisions, the plan's totals and what the list leaves out."""

    chosen: tuple[Decision, ...] = ()
    period: Mapping = field(default_factory=dict)
    plan_cost: float | None = None
    plan_contribution: Range | None = None
    budget_limit: float | None = None
    budget_share: float | None = None
    others: tuple[Mapping, ...] = ()  # plan rows with a cost not among the decisions
    persistence_months: float | None = None  # assumed
    faded: tuple[Mapping, ...] = ()  # details of the chosen campaigns whose event study shows a fade

    @property
    def others_cost(self) -> float:
        return float(sum(_num(r.get("cost")) or 0.0 for r in self.others))


def _sum_ranges(ranges: list[Range]) -> Range:
    """The sum of independent estimates, intervals combined in quadrature."""
    est = sum(r.estimate for r in ranges)
    if not all(r.known for r in ranges):
        return Range(est)
    se = math.sqrt(sum(se_of_interval(r.low, r.high) ** 2 for r in ranges))  # type: ignore[arg-type]
    half = z(0.95) * se
    return Range(est, est - half, est + half)


def _stops(plan: Mapping, results: Mapping) -> Decision | None:
    """The campaigns the plan stops, together: the spend freed, the contribution forgone."""
    details = plan.get("details") or {}
    camps = _section(results, "campaigns") or {}
    rows = [r for r in plan.get("actions") or [] if r.get("action") == "campaign_stop"]
    if not rows:
        return None
    saved, forgone, info = 0.0, [], []
    for r in rows:
        d = details.get(r.get("action_id")) or {}
        info.append(d)
        saved += _num(d.get("frees")) or _num(r.get("baseline")) or 0.0
        p = _range((camps.get(d.get("campaign_id")) or {}).get("profit_12m"))
        if p is None:
            return Decision("campaign_stop", tuple(rows), 0.0, None, saved, tuple(info))
        forgone.append(p)
    total = _sum_ranges(forgone)
    minus = Range(
        -total.estimate, None if total.high is None else -total.high, None if total.low is None else -total.low
    )
    return Decision(
        "campaign_stop", tuple(rows), float(sum(_num(r.get("cost")) or 0.0 for r in rows)), minus, saved, tuple(info)
    )


def _row_profit(r: Mapping) -> Range | None:
    """A plan row's (or the plan's) yearly net contribution with its interval."""
    p = _num(r.get("profit_12m"))
    return None if p is None else Range(p, _num(r.get("profit_ci_low")), _num(r.get("profit_ci_high")))


def decisions(results: Mapping, n: int = MAX_DECISIONS) -> Decisions:
    """Next quarter's three to five decisions (module notes); empty without a plan."""
    plan = _section(results, "plan")
    if plan is None or not plan.get("actions"):
        return Decisions()
    details = plan.get("details") or {}
    chosen: list[Decision] = []
    for r in plan["actions"]:
        if r.get("action") not in PROFIT_ACTIONS:
            continue
        p = _row_profit(r)
        if p is None:
            continue
        chosen.append(
            Decision(r["action"], (r,), float(_num(r.get("cost")) or 0.0), p, 0.0, (details.get(r["action_id"]) or {},))
        )
    stop = _stops(plan, results)
    if stop is not None and stop.contribution is not None:
        chosen.append(stop)
    chosen.sort(key=lambda d: (-d.after_cost.estimate, -d.cost, d.action_ids))  # type: ignore[union-attr]
    chosen = chosen[:n]
    taken = {a for d in chosen for a in d.action_ids}
    rest = [r for r in plan["actions"] if r.get("action_id") not in taken and r.get("action") != "campaign_stop"]
    rest.sort(key=lambda r: (-(_num(r.get("cost")) or 0.0), str(r.get("action_id"))))
    while len(chosen) < MIN_DECISIONS and rest and (_num(rest[0].get("cost")) or 0.0) > 0:
        r = rest.pop(0)
        chosen.append(
            Decision(
                r["action"], (r,), float(_num(r.get("cost")) or 0.0), None, 0.0, (details.get(r["action_id"]) or {},)
            )
        )
    budget = plan.get("budget") or {}
    return Decisions(
        chosen=tuple(chosen),
        period=plan.get("period") or {},
        plan_cost=_num(plan.get("cost")),
        plan_contribution=_row_profit(plan),
        budget_limit=_num(budget.get("limit")),
        budget_share=_num(budget.get("share")),
        others=tuple(r for r in rest if (_num(r.get("cost")) or 0.0) > 0),
        persistence_months=_num((plan.get("assumptions") or {}).get("effect_persistence_months")),
        faded=_faded(chosen),
    )


def _faded(chosen: list[Decision]) -> tuple[Mapping, ...]:
    """The details of the chosen rows' campaigns (one each) whose persistence
    comes from their event study, not the assumption."""
    out: dict[str, Mapping] = {}
    for dec in chosen:
        if dec.kind == "campaign_stop":  # what a stop forgoes is the campaign's profit_12m: a year
            continue
        for d in dec.details:
            p = d.get("persistence") if isinstance(d, Mapping) else None
            if isinstance(p, Mapping) and p.get("source") == "event_study":
                out.setdefault(str(d.get("campaign_id")), d)
    return tuple(out.values())


# ---------------------------------------------------------------------------
# 3 the scorecard against last quarter


@dataclass(frozen=True)
class ScoreRow:
    """One QVSRS figure now, a quarter earlier, the change with its band, the target."""

    pillar: str
    metric: str
    current: float | None
    previous: float | None = None
    change: float | None = None
    band: tuple[float, float] | None = None  # the change's 95 % interval
    beyond_noise: bool | None = None  # None: the noise is unknown
    better: bool | None = None  # the change is an improvement
    target: float | None = None
    on_target: bool | None = None  # None without a target


def _cell(row: Mapping, key: str) -> Any:
    v = row.get(key)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, str):
        return {"true": True, "false": False}.get(v.strip().lower())
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def scorecard(
    results: Mapping, card: pd.DataFrame | None = None, targets: Mapping[str, float] | None = None
) -> list[ScoreRow]:
    """Every QVSRS figure (METRICS order): from `card` (the notebook's
    `qvsrs_scorecard` table: the previous quarter and the noise band) where
    given, else the current figures of results.json alone. `targets`: metric
    → target value (every QVSRS figure is better higher: met when ≥ it)."""
    q = _section(results, "qvsrs")
    if q is None:
        return []
    targets = targets or {}
    by_metric = {}
    if card is not None and "metric" in card.columns:
        by_metric = {str(r["metric"]): r for r in card.to_dict("records")}
    out = []
    for pillar, metric, higher in METRICS:
        if metric in ("quality", "value", "satisfaction"):
            cur = _num(q.get(metric))
        else:
            cur = _num((q.get(pillar) or {}).get(metric)) if isinstance(q.get(pillar), Mapping) else None
        r = by_metric.get(metric, {})
        prev, ch = _num(_cell(r, "previous")), _num(_cell(r, "change"))
        lo, hi = _num(_cell(r, "ci_low")), _num(_cell(r, "ci_high"))
        noise = _cell(r, "beyond_noise")
        better = _cell(r, "better")
        t = _num(targets.get(metric))
        met = None if t is None or cur is None else (cur >= t if higher else cur <= t)
        out.append(
            ScoreRow(
                pillar,
                metric,
                cur,
                prev,
                ch,
                (lo, hi) if lo is not None and hi is not None else None,
                noise if isinstance(noise, bool) else None,
                better if isinstance(better, bool) else None,
                t,
                met,
            )
        )
    return out


def previous_as_of(as_of: str | None, months: int = PREVIOUS_MONTHS) -> str | None:
    """The last day of the month `months` before `as_of`'s (the scorecard's last quarter).

    >>> previous_as_of("2026-09-30")
    '2026-06-30'
    """
    if not as_of:
        return None
    try:
        t = pd.Timestamp(str(as_of)[:10])
    except ValueError:
        return None
    return (t - pd.offsets.MonthEnd(0) - pd.DateOffset(months=months) + pd.offsets.MonthEnd(0)).strftime("%Y-%m-%d")
