"""What to do with a campaign next time, from its measured effect: the one
rule the campaigns notebook, the branch plan and the briefing all read, so
that they cannot disagree (no heavy imports: the briefing uses it too).
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
    """proven / promising / no_effect / unmeasured, from an effect with a 95 % interval."""
    est = None if not effect else effect.get("estimate")
    if est is None or (isinstance(est, float) and math.isnan(est)):
        return "unmeasured"
    if est <= 0:
        return "no_effect"
    return "proven" if effect["ci_low"] > 0 else "promising"


def verdict(design: str, evidence: str, roi: float | None) -> str:
    """What to do with a campaign next time, from its measured effect.

    grow: a randomized campaign whose balance effect is proven (95 % interval
    above 0) and whose response value pays back its cost (ROI > 0). keep: the
    effect is proven but it does not pay back in new business (ROI ≤ 0), or
    it was measured only without a holdout (targeted: adjusted, so run it
    again with a holdout before growing it). test: the effect is positive but
    not proven, or could not be measured: run it again only with a random
    holdout. stop: no positive effect.
    """
    if evidence == "no_effect":
        return "stop"
    if evidence in ("promising", "unmeasured"):
        return "test"
    if design == "randomized" and roi is not None and not math.isnan(roi) and roi > 0:
        return "grow"
    return "keep"


def campaign_verdict(figures: Mapping) -> str:
    """The verdict of one campaign from its figures in results.json
    (`campaigns.<id>`: design, balance_effect, roi)."""
    roi = figures.get("roi")
    return verdict(
        figures.get("design", ""),
        evidence_of(figures.get("balance_effect")),
        roi if isinstance(roi, (int, float)) else None,
    )
