"""The QVSRS scorecard of the seed (RESULTS.md `qvsrs`).

- **Q**uality: 100 × (mean perception of service quality, staff attitude and
  product strength − 1) ÷ 6: a 0–100 index of the 1–7 ratings.
- **V**alue = benefits ÷ costs: benefit = mean perception of product
  strength, digital experience, staff attitude and brand; cost = mean of
  (8 − perception) for fees, timeliness and convenience (a cost is low when
  its perception is high). Above 1, customers feel they get more than they
  give up.
- **S**atisfaction: `cs_overall` (perceived − expected, points of 7).
- **R**elationship: products per active customer, share of active customers
  with a relationship manager, median tenure (years).
- **S**ustainability: 12-month retention of the churn cohort, revenue
  growth over the previous 12 months, net customer growth.

Movement: the scorecard is also computed with M shifted back one quarter
(`PREVIOUS_MONTHS` = 3), the period the consultants rerun at; the survey is
quarterly, so the previous window differs by exactly one survey wave. (A
12-month shift would need 30 months of earlier snapshots for the retention
cohort and 36 for revenue growth, which a bank's extract rarely has.)
`analyze(bank)` gives both as a `QvsrsResult`; `scorecard_table` lays them
side by side with the change and whether it is an improvement.

Noise: each figure's standard error (`standard_errors`) — the survey
figures from their responses (quality and satisfaction as means of a
per-response score, value by the delta method for a ratio of means), the
shares from their counts (retention of the churn cohort, coverage of the
active customers), and 0 for the census figures of the whole book (products,
tenure, profit growth, net customer growth: every change is real, as in
`analysis.run.history`). The change's 95 % interval combines the two
quarters' errors as if independent (`analysis.stats.change`); the windows
share most of their customers and responses, so the band is conservative:
a change beyond it is beyond noise.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids, churn_cohort, customers_active_at_t0
from analysis.data.contract import ATTRIBUTES
from analysis.data.timeframe import Timeframe
from analysis.questions.satisfaction import cs_overall, window_responses
from analysis.sections import Section, Skipped
from analysis.stats.change import change as change_of
from analysis.stats.change import share_se

QUALITY_ATTRIBUTES = ("service_quality", "staff_attitude", "product_quality")
BENEFIT_ATTRIBUTES = ("product_quality", "digital_experience", "staff_attitude", "brand_image")
COST_ATTRIBUTES = ("fees_value", "timeliness", "convenience")
PREVIOUS_MONTHS = 3
PILLARS = ("quality", "value", "satisfaction", "relationship", "sustainability")
#: Figures of the whole book (no sampling): a change in them is real.
CENSUS_METRICS = ("products_per_customer", "median_tenure_years", "revenue_growth_12m", "net_customer_growth_12m")


def _mean_or_nan(values) -> float:
    v = [x for x in values if not pd.isna(x)]
    return float(np.mean(v)) if len(v) == len(values) and v else float("nan")


def quality_index(responses: pd.DataFrame) -> float:
    """Quality index 0–100 from the three service perceptions (column means, then averaged)."""
    m = _mean_or_nan([responses[f"perc_{a}"].mean() for a in QUALITY_ATTRIBUTES])
    return 100.0 * (m - 1.0) / 6.0


def value_index(responses: pd.DataFrame) -> float:
    """Customer value = benefit ÷ cost (column means over the responses, then combined)."""
    benefit = _mean_or_nan([responses[f"perc_{a}"].mean() for a in BENEFIT_ATTRIBUTES])
    cost = _mean_or_nan([8.0 - responses[f"perc_{a}"].mean() for a in COST_ATTRIBUTES])
    return benefit / cost if cost else float("nan")


def relationship(bank: Bank) -> dict:
    """products_per_customer, rm_coverage, median_tenure_years of active customers at M."""
    tf = bank.timeframe
    ids = active_customer_ids(bank)
    if len(ids) == 0:
        return {"products_per_customer": None, "rm_coverage": None, "median_tenure_years": None}
    s = bank.monthly_snapshots
    snap = s[(s["month"] == tf.M) & s["customer_id"].isin(ids)]
    c = bank.customers[bank.customers["customer_id"].isin(ids)]
    return {
        "products_per_customer": float(snap["products_held"].mean()),
        "rm_coverage": float(c["rm_id"].notna().mean()),
        "median_tenure_years": float(((tf.as_of - c["open_date"]).dt.days / 365.25).median()),
    }


def _se_of_mean(x: pd.Series) -> float | None:
    x = x.dropna().astype(float)
    return float(x.std(ddof=1) / np.sqrt(len(x))) if len(x) >= 2 else None


def survey_standard_errors(responses: pd.DataFrame) -> dict[str, float | None]:
    """Standard errors of quality, value and satisfaction from the window's responses.

    Each uses the responses that answered every item it needs: quality as the
    mean of a per-response score (100 × (mean of the three perceptions − 1) ÷ 6),
    satisfaction as the mean of a per-response gap (mean of the eight perc − exp),
    value (a ratio of two means, B ÷ C) by the delta method: sd(b − V·c) ÷ (C √n).
    """
    out: dict[str, float | None] = {"quality": None, "value": None, "satisfaction": None}
    if responses.empty:
        return out
    q = responses[[f"perc_{a}" for a in QUALITY_ATTRIBUTES]].dropna()
    if len(q) >= 2:
        out["quality"] = _se_of_mean(100.0 * (q.mean(axis=1) - 1.0) / 6.0)
    b = responses[[f"perc_{a}" for a in BENEFIT_ATTRIBUTES]]
    c = 8.0 - responses[[f"perc_{a}" for a in COST_ATTRIBUTES]]
    both = pd.concat([b.mean(axis=1, skipna=False), c.mean(axis=1, skipna=False)], axis=1).dropna()
    if len(both) >= 2 and both[1].mean() > 0:
        v = both[0].mean() / both[1].mean()
        se = _se_of_mean(both[0] - v * both[1])
        out["value"] = se / float(both[1].mean()) if se is not None else None
    gaps = pd.concat([responses[f"perc_{a}"] - responses[f"exp_{a}"] for a in ATTRIBUTES], axis=1).dropna()
    if len(gaps) >= 2:
        out["satisfaction"] = _se_of_mean(gaps.mean(axis=1))
    return out


def standard_errors(bank: Bank, section: QvsrsSection) -> dict[str, float | None]:
    """Each scorecard figure's standard error (module notes); None when unknown."""
    resp = window_responses(bank) if bank.has("surveys") else pd.DataFrame()
    out = survey_standard_errors(resp) if not resp.empty else {"quality": None, "value": None, "satisfaction": None}
    n_active = len(active_customer_ids(bank))
    cohort = len(churn_cohort(bank))
    cov, ret = section.figure("rm_coverage"), section.figure("retention_12m")
    out["rm_coverage"] = share_se(cov, n_active) if cov is not None and n_active else None
    out["retention_12m"] = share_se(ret, cohort) if ret is not None and cohort else None
    for metric in CENSUS_METRICS:
        out[metric] = 0.0 if section.figure(metric) is not None else None
    return out


def revenue_growth_12m(bank: Bank) -> float | None:
    """Branch revenue of months M−11 … M ÷ that of M−23 … M−12, minus 1; None
    when the snapshots do not reach back to M−23 (or that revenue is 0).
    With a window of n months: M−(n−1) … M against the n months before."""
    tf = bank.timeframe
    w = tf.window_months
    s = bank.monthly_snapshots
    if s.empty or s["month"].min() > tf.month(2 * w - 1):
        return None
    now = s.loc[(s["month"] >= tf.t0) & (s["month"] <= tf.M), "revenue"].sum()
    before = s.loc[(s["month"] >= tf.month(2 * w - 1)) & (s["month"] <= tf.before), "revenue"].sum()
    return float(now / before - 1.0) if before else None


def net_customer_growth_12m(bank: Bank) -> float | None:
    """(Customers opened − closed in the window) ÷ customers active at t0; None without any."""
    tf = bank.timeframe
    c = bank.customers
    opened = int(tf.in_window(c["open_date"]).sum())
    closed = int(tf.in_window(c["close_date"]).fillna(False).sum())
    base = len(customers_active_at_t0(bank))
    return (opened - closed) / base if base else None


def sustainability(bank: Bank) -> dict:
    """retention_12m, revenue_growth_12m and net_customer_growth_12m (RESULTS.md)."""
    cohort = churn_cohort(bank)
    retention = float(1.0 - cohort["churned"].mean()) if len(cohort) else None
    return {
        "retention_12m": retention,
        "revenue_growth_12m": revenue_growth_12m(bank),
        "net_customer_growth_12m": net_customer_growth_12m(bank),
    }


def _number(v: Any) -> float | None:
    return None if v is None or isinstance(v, bool) or pd.isna(v) else float(v)


@dataclass(frozen=True)
class QvsrsSection(Section):
    """Section `qvsrs` of results.json: the five pillars (a figure that cannot
    be computed is None)."""

    quality: float | None
    value: float | None
    satisfaction: float | None
    relationship: dict[str, float | None]  # products_per_customer, rm_coverage, median_tenure_years
    sustainability: dict[str, float | None]  # retention_12m, revenue_growth_12m, net_customer_growth_12m

    def figure(self, metric: str) -> float | None:
        """One figure of the scorecard by its name (METRICS)."""
        if metric in ("quality", "value", "satisfaction"):
            return getattr(self, metric)
        for part in (self.relationship, self.sustainability):
            if metric in part:
                return part[metric]
        return None

    @classmethod
    def from_dict(cls, d: Mapping | None) -> QvsrsSection | Skipped | None:
        """The typed section back from results.json; None when absent."""
        if not isinstance(d, Mapping):
            return None
        if d.get("status", "ok") != "ok":
            return Skipped(str(d.get("reason") or ""))

        def part(key: str) -> dict:
            v = d.get(key)
            return (
                {k: _number(x) if isinstance(x, (int, float)) else None for k, x in v.items()}
                if isinstance(v, Mapping)
                else {}
            )

        return cls(
            quality=_number(d.get("quality")) if isinstance(d.get("quality"), (int, float)) else None,
            value=_number(d.get("value")) if isinstance(d.get("value"), (int, float)) else None,
            satisfaction=_number(d.get("satisfaction")) if isinstance(d.get("satisfaction"), (int, float)) else None,
            relationship=part("relationship"),
            sustainability=part("sustainability"),
        )


def section_of(bank: Bank) -> QvsrsSection:
    """The contract's `qvsrs` section.

    Always computed (it needs only the required tables for R and S); without
    surveys, or without responses in the window, `quality`, `value` and
    `satisfaction` are None.
    """
    resp = window_responses(bank)
    has_resp = bank.has("surveys") and not resp.empty
    q = quality_index(resp) if has_resp else float("nan")
    v = value_index(resp) if has_resp else float("nan")
    s = cs_overall(resp) if has_resp else float("nan")
    return QvsrsSection(
        quality=_number(q),
        value=_number(v),
        satisfaction=_number(s),
        relationship=relationship(bank),
        sustainability=sustainability(bank),
    )


# ---------------------------------------------------------------------------
# The scorecard and its movement


def shifted(bank: Bank, months: int) -> Bank:
    """The same bank with month M moved back `months` months (the previous period)."""
    return dataclasses.replace(
        bank, timeframe=Timeframe(bank.timeframe.month(months), None, bank.timeframe.window_months)
    )


#: (pillar, figure, higher is better)
METRICS: tuple[tuple[str, str, bool], ...] = (
    ("quality", "quality", True),
    ("value", "value", True),
    ("satisfaction", "satisfaction", True),
    ("relationship", "products_per_customer", True),
    ("relationship", "rm_coverage", True),
    ("relationship", "median_tenure_years", True),
    ("sustainability", "retention_12m", True),
    ("sustainability", "revenue_growth_12m", True),
    ("sustainability", "net_customer_growth_12m", True),
)


def scorecard_table(
    current: QvsrsSection,
    previous: QvsrsSection,
    current_as_of=None,
    previous_as_of=None,
    se_current: Mapping[str, float | None] | None = None,
    se_previous: Mapping[str, float | None] | None = None,
) -> pd.DataFrame:
    """Every QVSRS figure now and one period earlier.

    Columns: pillar, metric, current, previous, change (current − previous),
    better (True when the change is an improvement; None without a change),
    se_current, se_previous (standard errors, NaN when unknown, 0 for census
    figures), ci_low, ci_high (the change's 95 % interval) and beyond_noise
    (True when that interval excludes 0; None when either error is unknown).
    attrs: current_as_of, previous_as_of.
    """
    se_current, se_previous = se_current or {}, se_previous or {}
    rows = []
    for pillar, metric, higher in METRICS:
        cur, prev = current.figure(metric), previous.figure(metric)
        change = None if cur is None or prev is None else cur - prev
        sa, sb = se_previous.get(metric), se_current.get(metric)
        moved = change_of(prev, cur, sa, sb) if change is not None else None
        rows.append(
            {
                "pillar": pillar,
                "metric": metric,
                "current": np.nan if cur is None else cur,
                "previous": np.nan if prev is None else prev,
                "change": np.nan if change is None else change,
                "better": None if change is None or change == 0 else (change > 0) == higher,
                "se_current": np.nan if sb is None else sb,
                "se_previous": np.nan if sa is None else sa,
                "ci_low": np.nan if moved is None or moved.ci_low is None else moved.ci_low,
                "ci_high": np.nan if moved is None or moved.ci_high is None else moved.ci_high,
                "beyond_noise": None if moved is None else moved.beyond_noise,
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(current_as_of=current_as_of, previous_as_of=previous_as_of)
    return out


@dataclass
class QvsrsResult:
    """The scorecard of one branch now and one period earlier (see `analyze`)."""

    current: QvsrsSection
    previous: QvsrsSection | None
    as_of: pd.Timestamp
    previous_as_of: pd.Timestamp | None
    previous_months: int
    active_customers: int
    current_se: dict = dataclasses.field(default_factory=dict)  # metric → standard error (None: unknown)
    previous_se: dict = dataclasses.field(default_factory=dict)

    def section(self) -> QvsrsSection:
        return self.current

    def scorecard_table(self) -> pd.DataFrame:
        """`scorecard_table` of now against the previous period, with the noise band."""
        if self.previous is None:
            raise ValueError("analyze(…, previous_months=None) computed no previous period")
        return scorecard_table(
            self.current, self.previous, self.as_of, self.previous_as_of, self.current_se, self.previous_se
        )

    @property
    def improved(self) -> list[str]:
        """Figures that improved since the previous period, in METRICS order."""
        card = self.scorecard_table()
        return card.loc[card["better"] == True, "metric"].tolist()  # noqa: E712 (None is neither)

    @property
    def slipped(self) -> list[str]:
        card = self.scorecard_table()
        return card.loc[card["better"] == False, "metric"].tolist()  # noqa: E712

    @property
    def missing(self) -> list[str]:
        """Figures that cannot be computed from the data now."""
        return [m for _, m, _ in METRICS if self.current.figure(m) is None]


def analyze(
    bank: Bank, assumptions: Assumptions | None = None, previous_months: int | None = PREVIOUS_MONTHS
) -> QvsrsResult:
    """The QVSRS figures of `bank` now and `previous_months` earlier (None: now only)."""
    bank, _ = bank.assumed(assumptions)
    before = shifted(bank, previous_months) if previous_months else None
    current = section_of(bank)
    previous = section_of(before) if before is not None else None
    return QvsrsResult(
        current=current,
        previous=previous,
        as_of=bank.timeframe.as_of,
        previous_as_of=before.timeframe.as_of if before is not None else None,
        previous_months=previous_months or 0,
        active_customers=int(len(active_customer_ids(bank))),
        current_se=standard_errors(bank, current),
        previous_se=standard_errors(before, previous) if before is not None and previous is not None else {},
    )
