"""What to do with a campaign next time: the one rule the campaigns
notebook, the branch plan and the briefing all read, so that they cannot
disagree (no heavy imports: the briefing uses it too).

**The rule** (`verdict`; the briefing's method notes word it,
`analysis.words.campaigns.method_note`). From the campaign's design, its
balance effect per person with the 95 % interval, its profit_12m (that
effect × the people it reached × the funds margin, interval alike) and its
cost:

1. balance change not measurable yet (the post month is after M): no verdict;
2. no balance effect (too few customers to estimate it, or no adjustment
   possible): **test** — run it as a randomized test;
3. **stop** only when the evidence excludes a worthwhile effect: the
   interval lies wholly below 0 (significantly harmful), or even its upper
   end does not pay back the cost (profit_12m.ci_high < cost: the upper end
   of the balance effect is below the smallest effect that pays back,
   cost ÷ (people × funds margin));
4. **grow**: a randomized campaign whose balance effect is significant
   (interval above 0) and whose profit_roi = (profit_12m − cost) ÷ cost > 0;
5. **keep**: a significant effect that must be repeated with a holdout
   before it grows — targeted (adjusted, no holdout), or not paying back on
   its estimate (profit_roi ≤ 0, or no funds margin to tell);
6. **test**: anything else — positive but not significant, or an estimate
   ≤ 0 whose interval still holds an effect that would pay back. A point
   estimate ≤ 0 with a wide interval is never a reason to stop.

`evidence_of` is the plan's coarser reading of an effect (sign and
significance only; the plan of `analysis.questions.plans` uses it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

VERDICTS = ("grow", "keep", "test", "stop")


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def significant(effect: Mapping | None) -> bool:
    """Whether an effect's 95 % interval excludes 0 (either way)."""
    if not effect or not (_number(effect.get("ci_low")) and _number(effect.get("ci_high"))):
        return False
    return effect["ci_low"] > 0 or effect["ci_high"] < 0


def evidence_of(effect: Mapping | None) -> str:
    """proven / promising / no_effect / unmeasured, from an effect with a 95 %
    interval (sign and significance only: not a verdict)."""
    est = None if not effect else effect.get("estimate")
    if est is None or (isinstance(est, float) and math.isnan(est)):
        return "unmeasured"
    if est <= 0:
        return "no_effect"
    return "proven" if effect["ci_low"] > 0 else "promising"


def profit_roi(profit_12m: Mapping | None, cost: float | None) -> float | None:
    """(profit_12m − cost) ÷ cost: the campaign's return; None without a profit or a positive cost."""
    if not profit_12m or not _number(profit_12m.get("estimate")) or not _number(cost) or cost <= 0:
        return None
    return (profit_12m["estimate"] - cost) / cost


def verdict(
    design: str,
    effect: Mapping | None,
    profit_12m: Mapping | None = None,
    cost: float | None = None,
    measurable: bool = True,
) -> str | None:
    """grow / keep / test / stop by the rule of the module notes (None: not measurable yet)."""
    if not measurable:
        return None
    if not effect or not all(_number(effect.get(k)) for k in ("estimate", "ci_low", "ci_high")):
        return "test"
    has_profit = bool(profit_12m) and _number(profit_12m.get("ci_high")) and _number(cost)
    if effect["ci_high"] < 0 or (has_profit and profit_12m["ci_high"] < cost):
        return "stop"
    if effect["ci_low"] > 0:
        r = profit_roi(profit_12m, cost)
        return "grow" if design == "randomized" and r is not None and r > 0 else "keep"
    return "test"


def campaign_verdict(figures: Mapping) -> str | None:
    """The verdict of one campaign from its figures in results.json: its
    `verdict` (decided by `verdict` when the section was made); for figures
    without one (the contract's conformance figures leave it open) the same
    rule, with the cost read back from profit_12m and profit_roi."""
    if "verdict" in figures:
        return figures["verdict"]
    profit, r = figures.get("profit_12m"), figures.get("profit_roi")
    cost = None
    if profit and _number(profit.get("estimate")) and _number(r) and r != -1:
        cost = profit["estimate"] / (1 + r)
    return verdict(figures.get("design", ""), figures.get("balance_effect"), profit, cost)
