"""The sample bank's customers and their history before churn: who they are,
their monthly balances, products and digital activity, and their
interactions (complaints among them). A mixin of the generator's branch
(`generate._Branch`); every array is indexed by customer (n) and month (T)."""

from __future__ import annotations

import numpy as np

from analysis.data.contract import INTERACTION_TYPES
from analysis.sample import planted as P
from analysis.sample.catalog import (
    BALANCE_MEDIAN,
    BALANCE_SIGMA,
)
from analysis.sample.draws import (
    FAR,
    _choice,
    _day,
    _expit,
    _year_of,
)


class People:
    """Customers, monthly paths and interactions of one branch."""

    # -- customers ---------------------------------------------------------
    def customers(self) -> None:
        n, cal, rng = self.n, self.cal, self.rng
        u = rng.random(n)
        pre_closed = u < 0.025
        new = (u >= 0.025) & (u < 0.205)
        existing = ~pre_closed & ~new
        open_d = np.empty(n, dtype=np.int64)
        close_d = np.full(n, FAR, dtype=np.int64)
        tenure = np.clip(rng.exponential(7.5 * 365.25, n), 20, 28 * 365).astype(np.int64)
        open_d[existing] = cal.data_start - tenure[existing]
        span_new = cal.as_of - 20 - cal.data_start
        open_d[new] = cal.data_start + rng.integers(0, span_new, new.sum())
        pc_open = cal.data_start - (400 + tenure[pre_closed] * 1.3).astype(np.int64)
        open_d[pre_closed] = pc_open
        gap = cal.data_start - 1 - pc_open - 60
        close_d[pre_closed] = pc_open + 60 + (rng.random(pre_closed.sum()) * gap).astype(np.int64)
        order = np.argsort(open_d, kind="stable")
        self.open_d = open_d[order]
        self.close_d = close_d[order]
        self.pre_closed = pre_closed[order]
        self.open_idx = np.clip(cal.month_idx(self.open_d), 0, None)

        self.segment = _choice(rng, n, (0.70, 0.18, 0.04, 0.08))
        self.area = _choice(rng, n, (0.50, 0.33, 0.17))
        self.gender = _choice(rng, n, (0.485, 0.485, 0.03))
        age_mean = np.array([44.0, 48.0, 52.0, 44.0])[self.segment]
        age_sd = np.array([15.0, 12.0, 10.0, 9.0])[self.segment]
        age = np.clip(rng.normal(age_mean, age_sd), 18, 90).round().astype(np.int64)
        self.birth_year = np.minimum(cal.as_of_year - age, _year_of(self.open_d) - 16)

        med = np.log(np.array(BALANCE_MEDIAN))
        sig = np.array(BALANCE_SIGMA)
        self.log_base = med[self.segment] + sig[self.segment] * rng.standard_normal(n)
        score = self.log_base + 0.35 * rng.standard_normal(n)
        tier = np.zeros(n, dtype=np.int64)
        tier[score >= np.log(2.5e5)] = 1
        tier[score >= np.log(1.5e6)] = 2
        tier[score >= np.log(8e6)] = 3
        self.tier = tier
        lo = np.maximum(self.open_d, _day("2008-01-01"))
        hi = np.minimum(self.close_d, cal.as_of)
        vs = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
        self.vip_since = np.where(tier > 0, np.minimum(vs, hi), FAR)

        n_rm = int(np.clip(round(n / 350), 4, 12))
        self.n_rm = n_rm
        p_rm = np.array([0.06, 0.55, 0.92, 0.65])[self.segment]
        p_rm = np.where(tier == 3, 1.0, p_rm)
        self.has_rm = rng.random(n) < p_rm
        self.rm_idx = np.where(self.has_rm, rng.integers(0, n_rm, n), -1)

        # digital propensity (logit) and wealth / loans
        self.dig_logit = (
            1.2
            - 0.06 * (age - 40)
            + np.array([0.0, 0.4, 0.4, 0.2])[self.segment]
            - np.array([0.0, 0.3, 0.8])[self.area]
            + 0.8 * rng.standard_normal(n)
        )
        p_w = np.array([0.10, 0.45, 0.75, 0.25])[self.segment]
        self.wealth_holder = rng.random(n) < p_w
        self.wealth_share = np.where(self.wealth_holder, rng.beta(2.0, 3.0, n), 0.0)
        p_l = np.array([0.15, 0.25, 0.20, 0.70])[self.segment]
        self.loan_holder = rng.random(n) < p_l
        lmed = np.log(np.array([250_000.0, 500_000.0, 1_500_000.0, 800_000.0]))[self.segment]
        self.loan0 = np.where(self.loan_holder, np.exp(lmed + 0.7 * rng.standard_normal(n)), 0.0)
        term = np.where(self.segment == 3, rng.integers(36, 121, n), rng.integers(60, 361, n))
        self.loan_term = term
        self.loan_offset = (rng.random(n) * term).astype(np.int64)
        # counter-heavy: among the mass customers below the median balance, so
        # that `heavy_share` of all mass customers are
        heavy_p = P.REVENUE.heavy_share * 2 * (self.segment == 0) * (self.log_base < np.log(BALANCE_MEDIAN[0]))
        self.heavy = rng.random(n) < heavy_p
        p_arrears = P.REVENUE.arrears_share * np.where(self.segment == 3, 2.0, 1.0)
        self.arrears = self.loan_holder & (rng.random(n) < p_arrears)
        self.txn_rate = np.array([2.5, 4.0, 5.0, 8.0])[self.segment] * rng.gamma(4.0, 0.25, n)

    # -- monthly paths (before closures) -----------------------------------
    def paths(self) -> None:
        n, T, rng = self.n, self.cal.T, self.rng
        t = np.arange(T, dtype=float)
        seg = self.segment
        # Rich customers' balances grow faster and fluctuate less, relatively:
        # large balances sit in term deposits and wealth products. `damp`
        # shrinks every customer-specific deviation (drift, episodes, noise)
        # above 300,000 CNY so that a balance change in CNY is not dominated
        # by a few very large accounts.
        damp = np.minimum(1.0, np.sqrt(300_000.0 / np.exp(self.log_base)))
        drift = np.array([0.002, 0.003, 0.003, 0.002])[seg] + damp * np.array([0.004, 0.002, 0.002, 0.003])[
            seg
        ] * rng.standard_normal(n)
        # episodes of moving money out (or in) over several months: mostly mass customers
        u = rng.random(n)
        p_out = np.array([0.30, 0.12, 0.06, 0.18])[seg]
        p_in = np.array([0.12, 0.06, 0.04, 0.08])[seg]
        mag = np.array([1.0, 0.5, 0.3, 0.6])[seg]
        slope = (
            damp
            * mag
            * np.where(
                u < p_out, -rng.uniform(0.04, 0.22, n), np.where(u < p_out + p_in, rng.uniform(0.03, 0.12, n), 0.0)
            )
        )
        start = rng.integers(0, T, n)
        length = rng.integers(3, 13, n)
        episode = slope[:, None] * np.clip(t[None, :] - start[:, None], 0, length[:, None])
        noise_sd = damp * np.array([0.03, 0.012, 0.008, 0.02])[seg]
        log_total = (
            self.log_base[:, None]
            + drift[:, None] * t[None, :]
            + episode
            + noise_sd[:, None] * rng.standard_normal((n, T))
        )
        # VIPs keep bringing money in: a steady net inflow in CNY per month
        # (not proportional to the balance, so it does not make the few
        # largest accounts dominate every balance change)
        inflow = np.array([0.0, 9_000.0, 25_000.0, 50_000.0])[self.tier] * np.exp(0.3 * rng.standard_normal(n))
        total = np.exp(log_total) + inflow[:, None] * t[None, :]
        self.dep_base = total * (1.0 - self.wealth_share[:, None])
        self.wealth_base = total * self.wealth_share[:, None]
        self.dep_add = np.zeros((n, T))
        self.wealth_add = np.zeros((n, T))
        frac_paid = (self.loan_offset[:, None] + t[None, :]) / self.loan_term[:, None]
        self.loan = np.round(self.loan0[:, None] * np.clip(1.0 - frac_paid, 0.0, 1.0), 2)

        base = 1 + rng.poisson(np.array([0.9, 2.0, 3.0, 2.5])[self.segment]) + self.loan_holder + self.wealth_holder
        ev = rng.random((n, T)) < 0.04
        step = np.where(rng.random((n, T)) < 0.55, 1, -1) * ev
        step[:, 0] = 0
        self.products = np.clip(base[:, None] + np.cumsum(step, axis=1), 1, 20).astype(np.int64)

        dig = np.empty((n, T), dtype=bool)
        dig[:, 0] = rng.random(n) < _expit(self.dig_logit)
        for k in range(1, T):
            redraw = rng.random(n) < 0.15
            fresh = rng.random(n) < _expit(self.dig_logit + 0.03 * k)
            dig[:, k] = np.where(redraw, fresh, dig[:, k - 1])
        self.digital = dig

    def balances_at(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """deposit_balance and wealth_aum of month t, as written (rounded)."""
        return (
            np.round(self.dep_base[:, t] + self.dep_add[:, t], 2),
            np.round(self.wealth_base[:, t] + self.wealth_add[:, t], 2),
        )

    def log_total_balance(self, t: int) -> np.ndarray:
        d, w = self.balances_at(t)
        return np.log1p(d + w)

    # -- interactions (over the potential relationship; cut at close later) --
    def interactions(self) -> None:
        n, cal, rng = self.n, self.cal, self.rng
        T = cal.T
        ms = cal.ms
        alive = ~self.pre_closed
        s0 = np.maximum(ms[None, :T], self.open_d[:, None])
        s1 = np.broadcast_to(ms[None, 1:], (n, T))
        ndays = np.where(alive[:, None], s1 - s0, 0).clip(0)
        frac = ndays / (ms[1:] - ms[:T])[None, :]
        low_dig = 1.0 - _expit(self.dig_logit)
        complaint_rate = rng.gamma(0.6, 0.04 / 0.6, n) * (0.7 + 0.6 * low_dig)
        rates = {
            "complaint": complaint_rate,
            "service_request": np.full(n, 0.04),
            "inquiry": np.full(n, 0.05),
            "greeting": np.where(self.tier > 0, 0.10, 0.01),
            "visit": np.where(self.has_rm, 0.20, 0.01),
        }
        cust, day, typ = [], [], []
        for ti, name in enumerate(INTERACTION_TYPES):
            cnt = rng.poisson(rates[name][:, None] * frac)
            flat = np.flatnonzero(cnt)
            c = cnt.ravel()[flat]
            cell = np.repeat(flat, c)
            i, tt = cell // T, cell % T
            d = s0[i, tt] + (rng.random(cell.size) * ndays[i, tt]).astype(np.int64)
            cust.append(i)
            day.append(d)
            typ.append(np.full(cell.size, ti))
        cust = np.concatenate(cust)
        day = np.concatenate(day)
        typ = np.concatenate(typ)
        m = cust.size
        cat_p = {
            "complaint": (0.30, 0.20, 0.15, 0.10, 0.10, 0.10, 0.05),
            "service_request": (0.0, 0.0, 0.10, 0.30, 0.20, 0.10, 0.30),
            "inquiry": (0.0, 0.0, 0.30, 0.50, 0.0, 0.0, 0.20),
            "greeting": (0, 0, 0, 0, 0, 0, 1.0),
            "visit": (0, 0, 0, 0.6, 0, 0, 0.4),
        }
        chan_p = {
            "complaint": (0.45, 0.30, 0.10, 0.05, 0.10),
            "service_request": (0.40, 0.20, 0.25, 0.15, 0.0),
            "inquiry": (0.30, 0.40, 0.20, 0.10, 0.0),
            "greeting": (0.0, 0.20, 0.30, 0.0, 0.50),
            "visit": (0.20, 0.0, 0.0, 0.0, 0.80),
        }
        cat = np.zeros(m, dtype=np.int64)
        chan = np.zeros(m, dtype=np.int64)
        resolved = np.full(m, FAR, dtype=np.int64)
        score = np.zeros(m, dtype=np.int64)  # 0 = null
        for ti, name in enumerate(INTERACTION_TYPES):
            sel = np.flatnonzero(typ == ti)
            k = sel.size
            cat[sel] = _choice(rng, k, cat_p[name])
            chan[sel] = _choice(rng, k, chan_p[name])
            if name == "complaint":
                r = rng.random(k)
                delay = np.where(
                    r < 0.70,
                    rng.integers(0, 15, k),
                    np.where(r < 0.80, rng.integers(15, 31, k), rng.integers(31, 151, k)),
                )
                delay = np.where(r >= 0.92, FAR, delay)
                sc = np.where(delay <= 14, rng.integers(3, 6, k), rng.integers(1, 4, k))
            elif name == "service_request":
                r = rng.random(k)
                delay = np.where(r < 0.90, rng.integers(0, 11, k), rng.integers(11, 41, k))
                delay = np.where(r >= 0.96, FAR, delay)
                sc = rng.integers(3, 6, k)
            else:
                continue
            res = np.where(delay >= FAR, FAR, day[sel] + delay)
            res = np.where(res > cal.as_of, FAR, res)  # not resolved by the extract date
            resolved[sel] = res
            score[sel] = np.where(res >= FAR, 0, sc)
        self.ix = {
            "cust": cust,
            "day": day,
            "type": typ,
            "cat": cat,
            "chan": chan,
            "resolved": resolved,
            "score": score,
        }

    def complaint_features(self, ref_day: int, ref_minus_12m: int) -> tuple[np.ndarray, np.ndarray]:
        """complaints_12m and unresolved_complaint at ref, on the interactions as they stand."""
        ix = self.ix
        sel = (ix["type"] == 0) & (ix["day"] >= ref_minus_12m) & (ix["day"] < ref_day)
        cust = ix["cust"][sel]
        late = (ix["resolved"][sel] >= FAR) | (ix["resolved"][sel] - ix["day"][sel] > 30)
        count = np.bincount(cust, minlength=self.n)
        unresolved = np.bincount(cust[late], minlength=self.n) > 0
        return count, unresolved.astype(np.int64)

    def cut_interactions(self) -> None:
        keep = self.ix["day"] <= self.close_d[self.ix["cust"]]
        self.ix = {k: v[keep] for k, v in self.ix.items()}
