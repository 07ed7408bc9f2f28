"""The profit at stake in a finding, CNY a year, from the branch's results.json.

Every candidate finding is ranked by what it is worth (`rulebase.Stake`):
customers affected × their yearly profit × the effect.

- **A churn driver** (odds ratio `OR` with its 95 % interval): the customers
  in the state the finding is about (`overview.exposure.<driver>` or a
  segment of `overview.segments`) and their profit over the window `R`; the
  effect is the extra share of them who leave in a year,
  `p1 − p0` with `p0` the branch's churn rate and `p1 = OR·p0 ÷ (1 − p0 +
  OR·p0)` (the odds multiplied by OR). Stake = R × (p1 − p0); its interval
  from the ends of OR's. A protective driver (OR < 1) is read for the
  customers who lack it, with 1 ÷ OR.
- **The book** (loans or deposits shrinking): the balances lost over the
  year (`overview`) × the branch's margin on them (`economics`): the yearly
  net contribution that went with them, the interval from the margin's.
- **A campaign**: its `profit_12m` (schema 2), else `balance_effect` × n ×
  `economics.funds_margin`; against its cost where the finding is about
  the cost (`profit_roi` gives it: cost = profit_12m ÷ (1 + profit_roi)).
- **Leavers** (why and where they went): their yearly profit before leaving
  (`overview.leavers`), a count of the book without sampling interval.

Figures the results lack give None (the finding is "not quantified" and
ranks after every quantified one).
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.report import paths
from analysis.report.rulebase import Stake


def _n(results: dict, path: str) -> float | None:
    return paths.number(results, path)


def excess_churn(p0: float, odds_ratio: float) -> float:
    """The extra yearly churn of a group whose odds are `odds_ratio` × the base's."""
    if not 0 < p0 < 1 or odds_ratio <= 0:
        return 0.0
    p1 = odds_ratio * p0 / (1 - p0 + odds_ratio * p0)
    return p1 - p0


def churn_stake(results: dict, driver: dict, revenue: float | None, how: str, protective: bool = False) -> Stake | None:
    """Stake of a churn driver on the customers (with yearly profit `revenue`) it is about."""
    p0 = _n(results, "churn.churn_rate_12m")
    if p0 is None or revenue is None or not isinstance(driver, dict):
        return None
    o, lo, hi = (driver.get(k) for k in ("odds_ratio", "ci_low", "ci_high"))
    if not isinstance(o, (int, float)) or o <= 0:
        return None

    def at(x):
        if not isinstance(x, (int, float)) or x <= 0:
            return None
        return revenue * excess_churn(p0, 1 / x if protective else x)

    ends = [v for v in (at(lo), at(hi)) if v is not None]
    return Stake(at(o), min(ends) if len(ends) == 2 else None, max(ends) if len(ends) == 2 else None, how)


def exposure(results: dict, driver: str) -> tuple[float | None, float | None]:
    """(customers, their profit over the window) in the state a driver's finding is about."""
    e = paths.get(results, f"overview.exposure.{driver}")
    if not isinstance(e, dict):
        return None, None
    return e.get("customers"), e.get("revenue_12m")


def segment(results: dict, name: str) -> dict | None:
    s = paths.get(results, f"overview.segments.{name}")
    return s if isinstance(s, dict) else None


def margin(results: dict, which: str) -> dict | None:
    """`economics.funds_margin` or `economics.loan_margin` (an estimate), when computed."""
    m = paths.get(paths.section(results, "economics") or {}, which)
    return m if isinstance(m, dict) and isinstance(m.get("estimate"), (int, float)) else None


def balance_stake(results: dict, lost: float, which: str, how: str) -> Stake | None:
    """Yearly net contribution of `lost` CNY of balances at the branch's margin."""
    m = margin(results, which)
    if m is None:
        return None
    lo, hi = m.get("ci_low"), m.get("ci_high")
    both = isinstance(lo, (int, float)) and isinstance(hi, (int, float))
    return Stake(lost * m["estimate"], lost * lo if both else None, lost * hi if both else None, how)


def campaign_n(c: dict) -> float | None:
    n = c.get("n_treatment") if c.get("design") == "randomized" else c.get("n_participants")
    return float(n) if isinstance(n, (int, float)) else None


def campaign_profit(results: dict, c: dict) -> dict | None:
    """The campaign's yearly profit {estimate, ci_low, ci_high}: `profit_12m`
    (schema 2), else balance_effect × n × funds margin (RESULTS.md's own
    definition of it), else None."""
    p = c.get("profit_12m")
    if isinstance(p, dict) and isinstance(p.get("estimate"), (int, float)):
        return p
    be, n, m = c.get("balance_effect"), campaign_n(c), margin(results, "funds_margin")
    if not isinstance(be, dict) or n is None or m is None or not isinstance(be.get("estimate"), (int, float)):
        return None
    f = m["estimate"] * n
    return {k: be[k] * f for k in ("estimate", "ci_low", "ci_high") if isinstance(be.get(k), (int, float))}


def campaign_cost(c: dict, profit: dict | None) -> float | None:
    """cost = profit_12m ÷ (1 + profit_roi), when both are given."""
    r = c.get("profit_roi")
    if profit is None or not isinstance(r, (int, float)) or r == -1:
        return None
    return profit["estimate"] / (1 + r)


def from_estimate(e: dict | None, how: str, shift: float = 0.0, sign: float = 1.0) -> Stake | None:
    """A stake from an estimate dict: sign × (e − shift), interval kept in order."""
    if not isinstance(e, dict) or not isinstance(e.get("estimate"), (int, float)):
        return None
    f: Callable[[float], float] = lambda v: sign * (v - shift)  # noqa: E731
    lo, hi = e.get("ci_low"), e.get("ci_high")
    if isinstance(lo, (int, float)) and isinstance(hi, (int, float)):
        a, b = sorted((f(lo), f(hi)))
        return Stake(f(e["estimate"]), a, b, how)
    return Stake(f(e["estimate"]), None, None, how)


def leavers(results: dict, reasons: tuple[str, ...]) -> tuple[int, float] | None:
    """(customers, their yearly profit) of the window's leavers with one of `reasons`."""
    by = paths.get(results, "overview.leavers.by_reason")
    if not isinstance(by, dict):
        return None
    got = [by[r] for r in reasons if isinstance(by.get(r), dict)]
    return sum(int(g["customers"]) for g in got), sum(float(g["revenue_year"]) for g in got)


def profit_per_customer(results: dict) -> float | None:
    """The branch's yearly profit per active customer."""
    rev, n = _n(results, "overview.revenue_12m"), _n(results, "active_customers")
    return rev / n if rev is not None and n else None
