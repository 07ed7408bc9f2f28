"""How much of a branch's figure is noise: its standard error from what a run
leaves (results.json and the scorecard's errors), and when two values of a
figure (two runs, two branches) differ beyond it.

A figure's standard error (`figure_se`):

- the survey figures: the net promoter score from its responses (an upper
  bound, `analysis.stats.change.nps_se`); the quality index, benefits ÷ costs
  and the satisfaction gap from the scorecard's own errors
  (`analysis.questions.qvsrs.survey_standard_errors`, written with the
  scorecard table: `scorecard_errors`);
- shares of counted customers: the 12-month attrition and retention of the
  churn cohort, the relationship-manager coverage of the active customers
  (binomial);
- figures of the whole book (counts, the value shares, products per customer,
  tenure, profit growth, the public market shares, the managers' coverage):
  0, exact;
- any other: unknown (None).

Two values differ beyond noise (`apart`) when the 95 % interval of their
difference, the two errors combined in quadrature, excludes 0
(`analysis.stats.change.change`); exact values differ whenever they differ;
with either error unknown, nothing is claimed (None). The index's league
table marks a best and a worst branch only when they are apart
(−25 and −24 from about 150 responses each, ±16, are not).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.questions.qvsrs import METRICS
from analysis.sections import value_at
from analysis.stats.change import change, nps_se, share_se

#: Figures that describe the whole book (every customer, public statistics):
#: no sampling noise, any change is real.
EXACT_PREFIXES = (
    "customers",
    "active_customers",
    "value.",
    "churn.cohort_size",
    "churn.churned",
    "satisfaction.responses",
    "qvsrs.relationship.products_per_customer",
    "qvsrs.relationship.median_tenure_years",
    "qvsrs.sustainability.revenue_growth_12m",
    "qvsrs.sustainability.net_customer_growth_12m",
    "competitors.period",
    "competitors.deposit_share",
    "competitors.loan_share",
    "competitors.deposit_share_change_4q",
    "competitors.switching_destinations",
    "relationship_managers.",
    "economics.customers",
    "plan.",
)
#: Counts inside a section (campaign group sizes …): exact.
EXACT_COUNTS = {"n_treatment", "n_control", "n_participants", "n_comparison", "customers", "cohort_size", "churned"}
#: Shares of counted customers: their path → the path of the count they are a share of.
COUNTED_SHARES = {
    "churn.churn_rate_12m": "churn.cohort_size",
    "qvsrs.sustainability.retention_12m": "churn.cohort_size",
    "qvsrs.relationship.rm_coverage": "active_customers",
}
#: The satisfaction gap appears twice in results.json: as the scorecard's S and in its own section.
SAME_FIGURE = {"satisfaction.cs_overall": "qvsrs.satisfaction"}


def _known(se: Any) -> float | None:
    if isinstance(se, bool) or not isinstance(se, (int, float)) or math.isnan(se):
        return None
    return float(se)


def scorecard_errors(table: pd.DataFrame | None) -> dict[str, float]:
    """The current standard errors of the scorecard table (`qvsrs.scorecard_table`:
    columns pillar, metric, se_current), keyed by the figure's path in results.json."""
    if table is None or not {"pillar", "metric", "se_current"} <= set(table.columns):
        return {}
    paths = {m: f"qvsrs.{pillar}" if pillar == m else f"qvsrs.{pillar}.{m}" for pillar, m, _ in METRICS}
    out = {}
    for metric, se in zip(table["metric"], pd.to_numeric(table["se_current"], errors="coerce")):
        if metric in paths and _known(se) is not None:
            out[paths[metric]] = float(se)
    return out


def figure_se(
    path: str, estimate: float | None, results: Mapping[str, Any], survey: Mapping[str, float] | None = None
) -> float | None:
    """The standard error of the figure at `path` (module notes): from its
    count, from the scorecard's errors (`survey`, see `scorecard_errors`), 0
    when exact, None when unknown."""
    if estimate is None:
        return None
    if path in COUNTED_SHARES:
        n = value_at(results, COUNTED_SHARES[path])
        return share_se(estimate, n) if n else None
    if path == "satisfaction.nps":
        n = value_at(results, "satisfaction.responses")
        return nps_se(estimate, n) if n else None
    if survey:
        se = _known(survey.get(SAME_FIGURE.get(path, path)))
        if se is not None:
            return se
    if path.startswith(EXACT_PREFIXES) or path.rsplit(".", 1)[-1] in EXACT_COUNTS:
        return 0.0
    return None


def apart(a: float, se_a: float | None, b: float, se_b: float | None) -> bool | None:
    """Whether two values of a figure differ beyond noise (95 %); None when either error is unknown."""
    return change(a, b, se_a, se_b).beyond_noise
