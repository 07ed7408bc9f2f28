"""What a CNY of balances earns the branch in a year (RESULTS.md "economics").

    result = analyze(bank)
    result.section()              # EconomicsSection: customers, funds_margin, loan_margin
    result.funds_margin           # {"estimate", "ci_low", "ci_high", "p_value"} or None

So that every return the suite states is profit, not volume: a campaign's
balance effect (CNY of deposits + wealth) becomes a yearly net contribution
by the funds margin (`analysis.questions.campaigns`: profit_12m).

Over the customers of the `value` section (a snapshot in the window): per
customer, `revenue_year` = revenue over the window × 12 ÷ the customer's
snapshots in the window (a yearly rate, whatever the months held), `funds` =
mean of (deposit_balance + wealth_aum) over those snapshots, `loans` = mean
loan_balance. OLS of revenue_year on funds and loans with an intercept,
classical standard errors (statsmodels), t intervals: the coefficient of
funds is the yearly net contribution per CNY of deposits and wealth held,
the coefficient of loans the same per CNY of loans. Sentences are in
`analysis.words.economics`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.sections import Estimate, Section, Skipped

#: Fewest customers for the fit (three coefficients need many more rows than three).
MIN_CUSTOMERS = 30


@dataclass(frozen=True)
class EconomicsSection(Section):
    """The `economics` section of results.json."""

    customers: int
    funds_margin: Estimate
    loan_margin: Estimate


def customer_economics(bank: Bank, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Per customer of the value section (index customer_id): revenue_12m,
    snapshots (in the window), revenue_year, funds and loans (CNY)."""
    bank, a = bank.assumed(assumptions)
    tf = bank.timeframe
    s = bank.monthly_snapshots
    s = s[(s["month"] >= tf.month(a.window_months - 1)) & (s["month"] <= tf.M)]
    d = pd.DataFrame(
        {
            "customer_id": s["customer_id"].to_numpy(),
            "revenue": s["revenue"].to_numpy(dtype=float),
            "funds": (s["deposit_balance"] + s["wealth_aum"]).to_numpy(dtype=float),
            "loans": s["loan_balance"].to_numpy(dtype=float),
        }
    )
    g = d.groupby("customer_id", sort=False)
    out = pd.DataFrame(
        {
            "revenue_12m": g["revenue"].sum(),
            "snapshots": g.size(),
            "funds": g["funds"].mean(),
            "loans": g["loans"].mean(),
        }
    )
    out.insert(2, "revenue_year", out["revenue_12m"] * 12 / out["snapshots"])
    return out


@dataclass
class EconomicsResult:
    """The margins fit (`fit` is statsmodels' OLS result), or why it could not be made (`reason`)."""

    customers: pd.DataFrame
    fit: object | None = None
    reason: str | None = None
    branch_name: str = ""
    as_of: pd.Timestamp | None = None
    assumptions: Assumptions = field(default_factory=Assumptions)

    @property
    def ok(self) -> bool:
        return self.reason is None

    def _estimate(self, name: str) -> Estimate | None:
        if self.fit is None:
            return None
        lo, hi = self.fit.conf_int(alpha=self.assumptions.alpha).loc[name]
        return Estimate(float(self.fit.params[name]), float(lo), float(hi), float(self.fit.pvalues[name]))

    @property
    def funds_margin(self) -> dict | None:
        """Yearly net contribution per CNY of deposits and wealth, with its interval."""
        e = self._estimate("funds")
        return None if e is None else e.to_dict()

    @property
    def loan_margin(self) -> dict | None:
        """Yearly net contribution per CNY of loans, with its interval."""
        e = self._estimate("loans")
        return None if e is None else e.to_dict()

    def section(self) -> EconomicsSection | Skipped:
        if self.reason is not None:
            return Skipped(self.reason)
        return EconomicsSection(int(self.fit.nobs), self._estimate("funds"), self._estimate("loans"))


def analyze(bank: Bank, assumptions: Assumptions | None = None) -> EconomicsResult:
    """Fit the branch's funds and loan margins (see module notes); the result
    carries the reason when the fit cannot be made."""
    bank, a = bank.assumed(assumptions)
    meta = {"branch_name": bank.branch.get("branch_name", ""), "as_of": bank.timeframe.as_of, "assumptions": a}
    d = customer_economics(bank, a)
    reason = None
    if len(d) < MIN_CUSTOMERS:
        reason = f"{len(d)} customers with a snapshot in the window: the margins need at least {MIN_CUSTOMERS}"
    else:
        X = add_constant(d[["funds", "loans"]], has_constant="add")
        if np.linalg.matrix_rank(X.to_numpy()) < X.shape[1]:
            reason = (
                "funds and loans do not vary independently across customers (for instance, no customer has a loan): "
                "their margins cannot be told apart"
            )
    if reason:
        return EconomicsResult(d, reason=reason, **meta)
    fit = OLS(d["revenue_year"], X).fit()
    return EconomicsResult(d, fit=fit, **meta)
