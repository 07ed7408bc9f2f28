"""Closures in the sample bank: a plain hazard before t0, then churn in the
window drawn from `planted.CHURN`'s logistic model on the features as
written. A mixin of the generator's branch (`generate._Branch`)."""

from __future__ import annotations

import numpy as np

from analysis.data.contract import (
    AREAS,
    SEGMENTS,
)
from analysis.sample import planted as P
from analysis.sample.draws import (
    FAR,
    _expit,
    _solve_intercept,
)


class Closures:
    """Closures before t0 and churn in the window of one branch."""

    # -- closures ---------------------------------------------------------
    def static_lp(self) -> np.ndarray:
        b = P.CHURN.log_odds
        lp = b["vip"] * (self.tier > 0) + b["has_rm"] * self.has_rm
        for s_i, s in enumerate(SEGMENTS[1:], start=1):
            lp = lp + b[f"segment[{s}]"] * (self.segment == s_i)
        for a_i, a in enumerate(AREAS[1:], start=1):
            lp = lp + b[f"area[{a}]"] * (self.area == a_i)
        return lp

    def close_before_t0(self) -> None:
        cal, rng = self.cal, self.rng
        cand = ~self.pre_closed & (self.open_d < cal.t0)
        start = np.maximum(self.open_d, cal.data_start)
        h = P.CHURN.pre_window_monthly_hazard * np.exp(0.5 * self.static_lp())
        wait = rng.exponential(30.44 / h)
        close = np.maximum(start + np.ceil(wait).astype(np.int64), self.open_d + 30)
        closed = cand & (close < cal.t0)
        self.close_d = np.where(closed, close, self.close_d)
        self.cut_interactions()

    def churn_features(self) -> tuple[np.ndarray, np.ndarray]:
        """The cohort (mask) and its feature matrix (CHURN_FEATURES order),
        computed on the values as written."""
        cal = self.cal
        cohort = (self.open_idx <= cal.m18) & ~self.pre_closed & (self.open_d <= cal.ms[cal.m18 + 1] - 1)
        cohort &= self.close_d >= cal.t0
        ltb12 = self.log_total_balance(cal.m12)
        ltb18 = self.log_total_balance(cal.m18)
        n_c, unres = self.complaint_features(cal.t0, int(cal.ms[cal.T - 24]))
        cols = {
            "age": cal.year_t0 - self.birth_year,
            "tenure_years": (cal.t0 - self.open_d) / 365.25,
            "products_held": self.products[:, cal.m12],
            "log_total_balance": ltb12,
            "balance_trend": ltb12 - ltb18,
            "digital_active": self.digital[:, cal.m12].astype(float),
            "complaints_12m": n_c,
            "unresolved_complaint": unres,
            "vip": (self.vip_since < cal.t0).astype(float),
            "has_rm": self.has_rm.astype(float),
        }
        for s_i, s in enumerate(SEGMENTS[1:], start=1):
            cols[f"segment[{s}]"] = (self.segment == s_i).astype(float)
        for a_i, a in enumerate(AREAS[1:], start=1):
            cols[f"area[{a}]"] = (self.area == a_i).astype(float)
        X = np.column_stack([np.asarray(cols[f], dtype=float) for f in P.CHURN_FEATURES])
        return cohort, X

    def churn_in_window(self) -> None:
        cal, rng = self.cal, self.rng
        cohort, X = self.churn_features()
        beta = np.array([P.CHURN.log_odds[f] for f in P.CHURN_FEATURES])
        lp = X[cohort] @ beta
        a = _solve_intercept(lp, P.CHURN.target_rate_12m) if lp.size else 0.0
        self.churn_intercept = a
        idx = np.flatnonzero(cohort)
        churn = rng.random(idx.size) < _expit(a + lp)
        span = cal.as_of - cal.t0 + 1
        days = cal.t0 + rng.integers(0, span, idx.size)
        self.close_d[idx[churn]] = days[churn]
        self.cohort = cohort
        # newer customers: a plain rate over the part of the window they are open
        newer = ~cohort & ~self.pre_closed & (self.close_d >= FAR)
        lo = np.maximum(self.open_d + 30, cal.t0)
        share = np.clip((cal.as_of - lo + 1) / span, 0, 1)
        p = P.CHURN.new_customer_rate_12m * share
        draw = newer & (rng.random(self.n) < p) & (lo <= cal.as_of)
        when = lo + (rng.random(self.n) * (cal.as_of - lo + 1)).astype(np.int64)
        self.close_d = np.where(draw, when, self.close_d)
        self.cut_interactions()
