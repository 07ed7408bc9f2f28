"""The sample bank: a data folder in the contract's shape, with planted effects.

    from analysis.sample import generate
    summary = generate(Path("data/sample"), branches=3, customers=3000, seed=0)

writes, for the first `branches` branches of `BRANCH_CATALOG` (建行眉山分行
first), every table of shared/contract/DATA.md:

* `monthly_snapshots/` and `transactions/`: Parquet folders Hive-partitioned
  by branch (`monthly_snapshots/branch_id=meishan/part-0.parquet`), dates
  and timestamps as Parquet date/timestamp types;
* every other table as one UTF-8 CSV, dates as ISO strings.

Everything is drawn from one `numpy.random.Generator` per branch (and per
city for the market tables), seeded from `seed` and the branch's position,
so the output is a function of the arguments only, and branch k's data do
not depend on how many branches are generated.

The effects an analysis must find are planted by the models of
`analysis.planted` and by nothing else; see that module for their values.
How the generator keeps them recoverable:

* Churn: the customer base and its history are simulated up to t0 first
  (balances, products, digital activity, complaints, campaigns that end
  before t0, closures before t0 by a plain hazard), the churn drivers are
  computed on exactly the values that are written (rounded balances of the
  M−12 and M−18 snapshots, complaints of the written interactions), and
  churn in the window is drawn from `planted.CHURN`'s logistic model.
  Nothing written later changes a feature at t0.
* Campaigns: eight per branch at months relative to M: four randomized at
  fixed months, four targeted one- or two-day events placed within allowed
  months (on a year-end month for the gala and a festival month for a theme
  day when the calendar allows). A campaign's balance effect is added to its
  participants' balances from the month of end_date on, for good. The
  months are placed so that no campaign's end month falls between the
  month before start and the month end+3 of a targeted campaign (whose ATT
  would otherwise absorb another campaign's effect), campaigns that start
  before t0 measure their outcome no later than M−12 (before any churn in
  the window), and campaigns in the window start in month M−11 or later (so
  that their effects never touch a churn feature, and their selection can
  see who has churned). Churn never depends on taking part in a campaign.
* Surveys and the market survey: outcomes are computed from the integer
  ratings as written.

Balances (deposits + wealth) follow, per customer, a lognormal level by
segment, a monthly growth rate, occasional episodes of money moving out (or
in) over several months, monthly noise, and for VIPs a steady inflow in CNY
per month that grows with the tier. Rich customers' deviations are damped
(large balances sit in term deposits), so that balance changes in CNY are
not dominated by a few very large accounts; VIPs' growth is what makes a
targeted campaign's naive comparison several times its true effect.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.sample import planted as P
from analysis.data.contract import (
    AREAS,
    ATTRIBUTES,
    GENDERS,
    INTERACTION_CATEGORIES,
    INTERACTION_CHANNELS,
    INTERACTION_TYPES,
    RM_GRADES,
    SEGMENTS,
    TABLES,
    TXN_CATEGORIES,
    TXN_CHANNELS,
    TXN_DIRECTIONS,
    VIP_TIERS,
)

HOME_BANK = "中国建设银行"
MIN_MONTHS = 24
FAR = 10**7  # a day number far in the future: "no date" for close_date, vip_since, resolved_date
PARTITIONED = ("monthly_snapshots", "transactions")

# ---------------------------------------------------------------------------
# Branches, cities and their banks


@dataclass(frozen=True)
class BranchInfo:
    branch_id: str
    branch_name: str
    city: str
    prefix: str  # of customer_id and every other id of the branch


BRANCH_CATALOG: tuple[BranchInfo, ...] = (
    BranchInfo("meishan", "建行眉山分行", "眉山", "MS"),
    BranchInfo("leshan", "建行乐山分行", "乐山", "LS"),
    BranchInfo("deyang", "建行德阳分行", "德阳", "DY"),
    BranchInfo("ziyang", "建行资阳分行", "资阳", "ZY"),
    BranchInfo("neijiang", "建行内江分行", "内江", "NJ"),
    BranchInfo("suining", "建行遂宁分行", "遂宁", "SN"),
    BranchInfo("nanchong", "建行南充分行", "南充", "NC"),
    BranchInfo("mianyang", "建行绵阳分行", "绵阳", "MY"),
    BranchInfo("yibin", "建行宜宾分行", "宜宾", "YB"),
    BranchInfo("zigong", "建行自贡分行", "自贡", "ZG"),
    BranchInfo("luzhou", "建行泸州分行", "泸州", "LZ"),
    BranchInfo("guangan", "建行广安分行", "广安", "GA"),
)

# kind of each bank: big (state-owned), postal, rural (农信), city (city commercial banks)
BANK_KIND: dict[str, str] = {
    "中国建设银行": "big",
    "中国工商银行": "big",
    "中国农业银行": "big",
    "中国银行": "big",
    "中国邮政储蓄银行": "postal",
    "四川农信": "rural",
    "成都银行": "city",
    "德阳银行": "city",
    "乐山商业银行": "city",
    "四川银行": "city",
    "自贡银行": "city",
    "遂宁银行": "city",
    "南充市商业银行": "city",
    "绵阳市商业银行": "city",
    "宜宾市商业银行": "city",
    "泸州银行": "city",
}
NATIONAL_BANKS = ("中国建设银行", "中国工商银行", "中国农业银行", "中国银行", "中国邮政储蓄银行", "四川农信")
CITY_BANKS: dict[str, tuple[str, ...]] = {
    "眉山": ("成都银行", "德阳银行", "乐山商业银行", "四川银行"),
    "乐山": ("乐山商业银行", "成都银行", "四川银行"),
    "德阳": ("德阳银行", "成都银行", "四川银行"),
    "资阳": ("成都银行", "四川银行"),
    "内江": ("成都银行", "自贡银行", "四川银行"),
    "遂宁": ("遂宁银行", "成都银行", "四川银行"),
    "南充": ("南充市商业银行", "成都银行", "四川银行"),
    "绵阳": ("绵阳市商业银行", "成都银行", "四川银行"),
    "宜宾": ("宜宾市商业银行", "成都银行", "四川银行"),
    "自贡": ("自贡银行", "成都银行", "四川银行"),
    "泸州": ("泸州银行", "成都银行", "四川银行"),
    "广安": ("成都银行", "四川银行"),
}
# deposit-market base shares by bank (before renormalising over the city's banks)
BASE_DEPOSIT_SHARE = {
    "中国建设银行": 0.13,
    "中国工商银行": 0.12,
    "中国农业银行": 0.14,
    "中国银行": 0.07,
    "中国邮政储蓄银行": 0.10,
    "四川农信": 0.22,
    "成都银行": 0.07,
    "四川银行": 0.03,
}
BASE_LOAN_SHARE = {
    "中国建设银行": 0.16,
    "中国工商银行": 0.13,
    "中国农业银行": 0.13,
    "中国银行": 0.08,
    "中国邮政储蓄银行": 0.06,
    "四川农信": 0.20,
    "成都银行": 0.08,
    "四川银行": 0.03,
}
BASE_OUTLETS = {"big": 22, "postal": 30, "rural": 110, "city": 8}
# the city's market size, CNY of deposits at the first period
CITY_DEPOSITS = {
    "眉山": 2.4e11,
    "乐山": 3.2e11,
    "德阳": 4.1e11,
    "资阳": 1.9e11,
    "内江": 2.2e11,
    "遂宁": 2.3e11,
    "南充": 4.4e11,
    "绵阳": 5.6e11,
    "宜宾": 4.6e11,
    "自贡": 2.2e11,
    "泸州": 3.9e11,
    "广安": 2.1e11,
}
# mean ratings (1–7) by kind of bank, per attribute (ATTRIBUTES order)
BANK_PROFILE = {
    "big": (5.0, 4.3, 4.4, 3.8, 5.3, 4.0, 5.6, 5.1),
    "postal": (4.4, 4.6, 5.2, 4.2, 4.2, 4.8, 4.5, 4.2),
    "rural": (4.2, 4.9, 5.5, 4.6, 3.9, 5.0, 4.0, 3.8),
    "city": (4.8, 5.3, 4.7, 5.0, 4.6, 4.7, 4.3, 4.6),
}
HOME_PROFILE_SHIFT = (-0.1, -0.3, 0.0, -0.3, 0.2, -0.1, 0.2, 0.1)  # the seed: low service perception
AWARENESS = {"big": 1.0, "postal": 0.8, "rural": 0.9, "city": 0.6}


def branch_catalog(k: int) -> list[BranchInfo]:
    """The first k branches; beyond the catalogue, more branches in its cities
    (`meishan-2`, 建行眉山分行第2支行 …)."""
    out = list(BRANCH_CATALOG[:k])
    extra = k - len(out)
    r = 2
    while extra > 0:
        for b in BRANCH_CATALOG:
            if extra == 0:
                break
            letter = chr(ord("A") + r - 1)
            out.append(BranchInfo(f"{b.branch_id}-{r}", f"{b.branch_name}第{r}支行", b.city, b.prefix + letter))
            extra -= 1
        r += 1
    return out


# deposits + wealth at the start (CNY): lognormal by segment (SEGMENTS order)
BALANCE_MEDIAN = (30_000.0, 300_000.0, 2_000_000.0, 300_000.0)
BALANCE_SIGMA = (1.0, 0.6, 0.5, 0.8)

# ---------------------------------------------------------------------------
# Campaign schedule, in months counted back from M (k = month M−k).
#
# A campaign's balance change runs from month start−1 to month end+3, and its
# effect enters from month `end` on. Rules (see the module docstring):
# no campaign's end month falls in months start … end+3 of a targeted
# campaign; campaigns that start before t0 (M−11) have end+3 ≤ M−12; the
# others start in M−11 or later and have end+3 ≤ M.

#: randomized campaigns: (start k, end k), fixed
RANDOMIZED_SLOTS: tuple[tuple[int, int], ...] = ((22, 18), (20, 18), (11, 10), (10, 10))
#: targeted one- or two-day events: the months each may fall on (k), defaults first
TARGETED_SLOTS: tuple[tuple[int, ...], ...] = (
    (22, 23, 24, 25, 26, 27, 28),
    (17, 16, 15),
    (9, 8, 7, 6),
    (4, 3, 5, 6, 7, 8, 9),
)
#: the festival theme days of kind `other`, by calendar month
FESTIVAL_DAYS = {8: "七夕主题日", 9: "中秋主题日", 10: "重阳敬老主题日", 6: "端午主题日", 2: "新春客户联谊会"}
FESTIVAL_PREFERENCE = {8: 1.5}  # the seed's 七夕 first; other festivals score 1
RANDOMIZED_ROTATION = ("health_check", "salon", "green_channel", "magazine", "parenting_lecture")
TARGETED_ROTATION = ("wine_tasting", "art_appreciation", "wellness", "study_tour")


# ---------------------------------------------------------------------------
# small helpers


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _day(s: str) -> int:
    return int(np.datetime64(s, "D").astype(np.int64))


def _iso(days: np.ndarray) -> np.ndarray:
    """Day numbers → ISO strings; FAR (no date) → '' (an empty CSV cell)."""
    days = np.asarray(days, dtype=np.int64)
    out = np.datetime_as_string(np.where(days >= FAR, 0, days).astype("datetime64[D]"), unit="D").astype(object)
    out[days >= FAR] = ""
    return out


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """`prefix` + zero-padded 0 … n−1 (+1), as a numpy array of str."""
    nums = pa.array(np.arange(1, n + 1, dtype=np.int64))
    padded = pc.utf8_lpad(pc.cast(nums, pa.string()), width=width, padding="0")
    return np.asarray(
        pc.binary_join_element_wise(pa.scalar(prefix), padded, pa.scalar("")).to_numpy(zero_copy_only=False)
    )


def _arrow_ids(prefix: str, n: int, width: int) -> pa.Array:
    nums = pa.array(np.arange(1, n + 1, dtype=np.int64))
    padded = pc.utf8_lpad(pc.cast(nums, pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), padded, pa.scalar(""))


def _choice(rng: np.random.Generator, n: int, probs) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _solve_intercept(lp: np.ndarray, target: float) -> float:
    """a such that mean(expit(a + lp)) == target (bisection)."""
    lo, hi = -30.0, 30.0
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if _expit(mid + lp).mean() < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


class _Calendar:
    """Months of the data as day numbers: ms[t] is the first day of month t
    (t = 0 … T−1), ms[T] the first day after the data."""

    def __init__(self, months: int, end_month: str):
        if months < MIN_MONTHS:
            raise ValueError(f"months must be at least {MIN_MONTHS} (the churn cohort needs M−23 … M), got {months}")
        last = np.datetime64(end_month, "M")
        first = last - (months - 1)
        self.T = months
        self.first_month = first
        self.ms = (first + np.arange(months + 1)).astype("datetime64[D]").astype(np.int64)
        self.as_of = int(self.ms[-1] - 1)
        self.data_start = int(self.ms[0])
        self.t0_idx = months - 12
        self.t0 = int(self.ms[self.t0_idx])
        self.m12 = months - 13
        self.m18 = months - 19
        months_arr = (first + np.arange(months)).astype(object)
        self.cal_month = np.array([m.month for m in months_arr])
        self.cal_year = np.array([m.year for m in months_arr])
        self.year_t0 = int(self.cal_year[self.t0_idx])
        self.as_of_year = int(self.cal_year[-1])

    def idx(self, k: int) -> int:
        """Index of month M−k."""
        return self.T - 1 - k

    def month_idx(self, days: np.ndarray) -> np.ndarray:
        m = np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]")
        return (m - self.first_month).astype(np.int64)


def _year_of(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


# ---------------------------------------------------------------------------
# one branch


class _Branch:
    """Simulates one branch; every array is indexed by customer (n) and month (T)."""

    def __init__(self, info: BranchInfo, n: int, cal: _Calendar, seed_seq: np.random.SeedSequence):
        # one stream for the simulation and one per table written after it,
        # so that a change in how one table is drawn leaves the others alone
        sim, snap, txn, tables = (np.random.default_rng(s) for s in seed_seq.spawn(4))
        self.info, self.n, self.cal, self.rng = info, n, cal, sim
        self.rng_snap, self.rng_txn, self.rng_tables = snap, txn, tables
        self.city_banks = NATIONAL_BANKS + CITY_BANKS[info.city]
        self.campaigns: list[dict] = []
        self.contacts: list[pd.DataFrame] = []

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

    # -- campaigns --------------------------------------------------------
    def plan_campaigns(self, bidx: int) -> list[tuple[str, int, int, str, str]]:
        """(design, start index, end index, kind, name) of the branch's campaigns,
        in order of start. Targeted events are placed, within their allowed
        months, on a year-end month (the gala) and a festival month (a theme
        day of kind `other`) when the calendar allows."""
        cal = self.cal
        ends = [e for _, e in RANDOMIZED_SLOTS]
        # every month must exist from start−7 (the balance_trend of the
        # driver features at start) when it can; else from start−1
        cands = []
        for ks in TARGETED_SLOTS:
            full = tuple(k for k in ks if k + 7 <= cal.T - 1)
            cands.append(full or tuple(k for k in ks if k + 1 <= cal.T - 1)[:1])

        def month(k: int) -> int:
            return int(cal.cal_month[cal.idx(k)])

        def assign(ks: tuple[int, ...]) -> tuple[float, list[str]]:
            kinds = [""] * len(ks)
            score = 0.0
            gala = [j for j, k in enumerate(ks) if month(k) in (12, 1)]
            if gala:
                kinds[gala[0]] = "year_end_gala"
                score += 2.0
            fest = [j for j, k in enumerate(ks) if not kinds[j] and month(k) in FESTIVAL_DAYS]
            if fest:
                best = max(fest, key=lambda j: FESTIVAL_PREFERENCE.get(month(ks[j]), 1.0))
                kinds[best] = "other"
                score += FESTIVAL_PREFERENCE.get(month(ks[best]), 1.0)
            return score, kinds

        best: tuple[float, tuple[int, ...], list[str]] | None = None
        for ks in itertools.product(*cands):
            ok = all(
                not (k - 3 <= e <= k)
                for j, k in enumerate(ks)
                for e in ends + [k2 for j2, k2 in enumerate(ks) if j2 != j]
            )
            if not ok:
                continue
            score, kinds = assign(ks)
            score -= 0.01 * sum(c.index(k) for c, k in zip(cands, ks))  # nearer the defaults
            if best is None or score > best[0]:
                best = (score, ks, kinds)
        assert best is not None, "no campaign schedule satisfies the rules"
        _, t_ks, t_kinds = best

        slots = [("randomized", s, e) for s, e in RANDOMIZED_SLOTS] + [("targeted", k, k) for k in t_ks]
        slots.sort(key=lambda x: (-x[1], -x[2]))
        out = []
        r_ptr, t_ptr = bidx, bidx
        t_kind_of = dict(zip(t_ks, t_kinds))
        for design, ks, ke in slots:
            s_idx, e_idx = cal.idx(ks), cal.idx(ke)
            if design == "randomized":
                if ks - ke >= 4:
                    kind = "birthday_greeting"
                else:
                    kind = RANDOMIZED_ROTATION[r_ptr % len(RANDOMIZED_ROTATION)]
                    r_ptr += 1
            else:
                kind = t_kind_of[ks] or TARGETED_ROTATION[t_ptr % len(TARGETED_ROTATION)]
                if not t_kind_of[ks]:
                    t_ptr += 1
            name = FESTIVAL_DAYS[month(ke)] if kind == "other" else P.campaign_effect(kind).name
            out.append((design, s_idx, e_idx, kind, name))
        return out

    def run_campaign(self, j: int, design: str, s_idx: int, e_idx: int, kind: str, name: str) -> None:
        cal, rng, n = self.cal, self.rng, self.n
        eff = P.campaign_effect(kind)
        assert eff.design == design, (kind, design)
        ms = cal.ms
        if design == "targeted":  # a one- or two-day event
            start = int(ms[s_idx]) + int(rng.integers(7, 24))
            end = start + int(rng.integers(0, 2))
        else:
            start = int(ms[s_idx]) + int(rng.integers(0, 10))
            end = int(ms[e_idx]) + int(rng.integers(14, 27))
        pre = s_idx - 1
        ref = int(ms[s_idx])
        active = (~self.pre_closed) & (self.open_idx <= pre) & (self.open_d < ms[pre + 1]) & (self.close_d >= start)
        age = int(cal.cal_year[s_idx]) - self.birth_year
        vip_now = self.vip_since < start
        rule = eff.eligibility
        if design == "randomized":
            if rule == "vip":
                elig = vip_now
            elif rule == "affluent_35plus":
                elig = ((self.segment == 1) | (self.segment == 2) | vip_now) & (age >= 35)
            elif rule == "affluent":
                elig = self.segment > 0
            elif rule == "parents":
                elig = (age >= 25) & (age <= 45)
            else:
                elig = np.ones(n, dtype=bool)
            pool = np.flatnonzero(active & elig)
            cap = max(300, int(0.25 * n))
            if pool.size > cap:
                pool = np.sort(rng.choice(pool, cap, replace=False))
            if pool.size < 10:
                return
            control = rng.random(pool.size) < eff.control_share
            participated = ~control & (rng.random(pool.size) < eff.participation_rate)
            group = np.where(control, "control", "treatment")
            n_paid = int((~control).sum())
        else:
            pool_all = np.flatnonzero(active)
            if pool_all.size < 30:
                return
            sel = eff.selection
            d, w = self.balances_at(pre)
            ltb = np.log1p(d + w)[pool_all]
            z = (ltb - ltb.mean()) / (ltb.std() or 1.0)
            prod = self.products[pool_all, pre].astype(float)
            lp = (
                sel.balance * z
                + sel.vip * (self.vip_since[pool_all] < ref)
                + sel.products * (prod - prod.mean())
                + sel.digital * self.digital[pool_all, pre]
            )
            for s_i, s in enumerate(SEGMENTS[1:], start=1):
                lp = lp + sel.segment.get(s, 0.0) * (self.segment[pool_all] == s_i)
            a = _solve_intercept(lp, sel.invite_share)
            invited = rng.random(pool_all.size) < _expit(a + lp)
            pool = pool_all[invited]
            if pool.size < 5:
                return
            participated = rng.random(pool.size) < sel.take_up
            group = np.full(pool.size, "treatment")
            n_paid = int(participated.sum())
        # balance effect from the month of end_date on
        part = pool[participated]
        if eff.balance_effect:
            target = self.wealth_add if eff.to_wealth else self.dep_add
            target[part, e_idx:] += eff.balance_effect
        # responses
        p_resp = eff.response_base + eff.response_uplift * participated
        responded = rng.random(pool.size) < p_resp
        d, w = self.balances_at(pre)
        scale = np.clip(((d + w)[pool] / 100_000.0) ** 0.3, 0.3, 5.0)
        value = np.round(np.exp(np.log(eff.response_value_median * scale) + 0.8 * rng.standard_normal(pool.size)), 2)
        cid = f"{self.info.prefix}-C{j + 1:02d}"
        cost = eff.fixed_cost + eff.cost_per_contact * n_paid
        cost = float(np.round(cost * rng.uniform(0.9, 1.1), -2))
        year = int(cal.cal_year[s_idx])
        self.campaigns.append(
            {
                "campaign_id": cid,
                "branch_id": self.info.branch_id,
                "name": f"{year}年{name}",
                "kind": kind,
                "start_date": start,
                "end_date": end,
                "cost": cost,
                "design": design,
            }
        )
        self.contacts.append(
            pd.DataFrame(
                {
                    "campaign_id": cid,
                    "customer_id": self.cust_ids[pool],
                    "group": group,
                    "participated": participated,
                    "responded": responded,
                    "response_value": np.where(responded, value, np.nan),
                }
            )
        )

    # -- the whole branch -------------------------------------------------
    def simulate(self, bidx: int) -> None:
        cal = self.cal
        self.customers()
        self.cust_ids = _ids(self.info.prefix, self.n, max(6, len(str(self.n))))
        self.paths()
        self.interactions()
        self.close_before_t0()
        plan = self.plan_campaigns(bidx)
        for j, (design, s_idx, e_idx, kind, name) in enumerate(plan):
            if s_idx < cal.t0_idx:
                self.run_campaign(j, design, s_idx, e_idx, kind, name)
        self.churn_in_window()
        for j, (design, s_idx, e_idx, kind, name) in enumerate(plan):
            if s_idx >= cal.t0_idx:
                self.run_campaign(j, design, s_idx, e_idx, kind, name)
        # a VIP who left: vip_since no later than the close (changes no feature:
        # such a vip_since stays on or after t0 and after every start it was
        # compared with)
        self.vip_since = np.where(self.tier > 0, np.minimum(self.vip_since, self.close_d), FAR)

    # -- tables -----------------------------------------------------------
    def customers_table(self) -> pd.DataFrame:
        rng, n = self.rng_tables, self.n
        closed = self.close_d < FAR
        reasons = _choice(rng, n, list(P.CLOSE_REASON_WEIGHTS.values()))
        names = list(P.CLOSE_REASON_WEIGHTS)
        ix = self.ix
        comp = ix["type"] == 0
        late = comp & ((ix["resolved"] >= FAR) | (ix["resolved"] - ix["day"] > 30))
        any_late = np.bincount(ix["cust"][late], minlength=n) > 0
        any_fee = np.bincount(ix["cust"][comp & (ix["cat"] == 2)], minlength=n) > 0
        age = self.cal.as_of_year - self.birth_year
        u = rng.random(n)
        reasons = np.where(any_late & (u < 0.5), names.index("service_quality"), reasons)
        reasons = np.where(~any_late & any_fee & (u < 0.4), names.index("fees"), reasons)
        reasons = np.where((age >= 75) & (u > 0.75), names.index("deceased"), reasons)
        reasons = np.where((self.area == 2) & (reasons == names.index("other")), names.index("convenience"), reasons)
        reason = np.array(names, dtype=object)[reasons]
        reason[~closed] = None
        comp_banks = [b for b in self.city_banks if b != HOME_BANK]
        wts = np.array([P.DESTINATION_WEIGHTS[BANK_KIND[b]] for b in comp_banks])
        dest = np.array(comp_banks, dtype=object)[_choice(rng, n, wts)]
        unknown = (~closed) | np.isin(reason, ["relocation", "deceased"]) | (rng.random(n) < 0.15)
        dest[unknown] = None
        rm_ids = np.array([f"{self.info.branch_id}-rm{k + 1:02d}" for k in range(self.n_rm)], dtype=object)
        rm = np.where(self.rm_idx >= 0, rm_ids[np.clip(self.rm_idx, 0, None)], None)
        return pd.DataFrame(
            {
                "customer_id": self.cust_ids,
                "branch_id": self.info.branch_id,
                "open_date": _iso(self.open_d),
                "close_date": _iso(self.close_d),
                "close_reason": reason,
                "destination_bank": dest,
                "birth_year": self.birth_year,
                "gender": np.array(GENDERS, dtype=object)[self.gender],
                "area": np.array(AREAS, dtype=object)[self.area],
                "segment": np.array(SEGMENTS, dtype=object)[self.segment],
                "vip_tier": np.array(VIP_TIERS, dtype=object)[self.tier],
                "vip_since": _iso(self.vip_since),
                "rm_id": rm,
            }
        )

    def rm_table(self) -> pd.DataFrame:
        rng, k = self.rng_tables, self.n_rm
        grade = np.where(np.arange(k) < max(1, k // 5), 2, np.where(np.arange(k) < max(2, k // 2), 1, 0))
        hire = _day("2006-01-01") + (rng.random(k) * (self.cal.as_of - 180 - _day("2006-01-01"))).astype(np.int64)
        hire = np.sort(hire)  # the principals are the longest-serving
        return pd.DataFrame(
            {
                "rm_id": [f"{self.info.branch_id}-rm{i + 1:02d}" for i in range(k)],
                "branch_id": self.info.branch_id,
                "hire_date": _iso(hire),
                "grade": np.array(RM_GRADES, dtype=object)[grade],
            }
        )

    def snapshot_arrays(self) -> dict:
        """The written monthly values and the relationship's coverage."""
        cal, rng, n, T = self.cal, self.rng_snap, self.n, self.cal.T
        ms = cal.ms
        close_idx = np.where(self.close_d < FAR, cal.month_idx(np.minimum(self.close_d, cal.as_of)), T - 1)
        t = np.arange(T)
        covered = (
            (~self.pre_closed)[:, None] & (t[None, :] >= self.open_idx[:, None]) & (t[None, :] <= close_idx[:, None])
        )
        # days of each month inside [open_date, close_date): transactions fall there
        s0 = np.maximum(ms[None, :T], self.open_d[:, None])
        s1 = np.minimum(ms[None, 1:], self.close_d[:, None])
        ndays = np.where(covered, (s1 - s0).clip(0), 0)
        frac = ndays / (ms[1:] - ms[:T])[None, :]
        lam = self.txn_rate[:, None] * (1.0 + 0.4 * self.digital) * frac
        txn = rng.poisson(lam)
        dep = np.round(self.dep_base + self.dep_add, 2)
        wealth = np.round(self.wealth_base + self.wealth_add, 2)
        R = P.REVENUE
        unit = np.where(self.digital, R.digital_txn_cost, R.counter_txn_cost)
        revenue = (
            dep * R.deposit_margin / 12
            + wealth * R.wealth_fee / 12
            + self.loan * R.loan_margin / 12
            + R.fee_per_product * self.products
            - R.base_cost
            - txn * unit
            - R.heavy_cost * self.heavy[:, None] * rng.uniform(0.6, 1.4, (n, T))
            - self.loan * R.provision_rate / 12 * self.arrears[:, None]
            + R.noise_sd * rng.standard_normal((n, T))
        )
        return {
            "covered": covered,
            "s0": s0,
            "ndays": ndays,
            "txn": txn,
            "dep": dep,
            "wealth": wealth,
            "revenue": np.round(revenue, 2),
        }

    def snapshots_table(self, arr: dict) -> pa.Table:
        covered = arr["covered"]
        i, t = np.nonzero(covered)
        ids = pa.array(self.cust_ids)
        months = self.cal.ms[t].astype("datetime64[D]")
        return pa.table(
            {
                "customer_id": ids.take(pa.array(i)),
                "month": pa.array(months, type=pa.date32()),
                "deposit_balance": pa.array(arr["dep"][i, t]),
                "loan_balance": pa.array(self.loan[i, t]),
                "wealth_aum": pa.array(arr["wealth"][i, t]),
                "products_held": pa.array(self.products[i, t], type=pa.int64()),
                "txn_count": pa.array(arr["txn"][i, t], type=pa.int64()),
                "digital_active": pa.array(self.digital[i, t]),
                "revenue": pa.array(arr["revenue"][i, t]),
            }
        )

    def transactions_table(self, arr: dict) -> pa.Table:
        rng, T = self.rng_txn, self.cal.T
        txn = arr["txn"]
        flat = np.flatnonzero(txn)
        cnt = txn.ravel()[flat]
        cell = np.repeat(flat, cnt)
        m = cell.size
        i, t = cell // T, cell % T
        # a day inside the relationship's part of the month, 07:00–22:00;
        # rows in time order within each customer
        day = (rng.random(m) * arr["ndays"][i, t]).astype(np.int64)
        offset = day * 86_400 + 25_200 + (rng.random(m) * 54_000).astype(np.int64)
        order = np.argsort(cell.astype(np.int64) * (1 << 32) + offset)
        cell, i, t, offset = cell[order], i[order], t[order], offset[order]
        ts = (arr["s0"][i, t] * 86_400 + offset) * 1_000_000
        dig = self.digital[i, t]
        cat = _choice(rng, m, (0.25, 0.32, 0.14, 0.04, 0.04, 0.06, 0.15))
        C = {c: k for k, c in enumerate(TXN_CATEGORIES)}
        cat = np.where((cat == C["loan_repayment"]) & ~self.loan_holder[i], C["payment"], cat)
        cat = np.where((cat == C["wealth_purchase"]) & ~self.wealth_holder[i], C["transfer"], cat)
        # channel probabilities (counter, atm, mobile, online, pos) by category, digital vs not
        ch_dig = {
            "transfer": (0.15, 0.10, 0.60, 0.15, 0.0),
            "payment": (0.0, 0.0, 0.50, 0.05, 0.45),
            "cash": (0.25, 0.75, 0.0, 0.0, 0.0),
            "wealth_purchase": (0.20, 0.0, 0.60, 0.20, 0.0),
            "loan_repayment": (0.20, 0.0, 0.30, 0.50, 0.0),
            "fee": (0.30, 0.0, 0.30, 0.40, 0.0),
            "salary": (0.0, 0.0, 0.0, 1.0, 0.0),
        }
        ch_off = {
            "transfer": (0.60, 0.40, 0.0, 0.0, 0.0),
            "payment": (0.15, 0.0, 0.0, 0.0, 0.85),
            "cash": (0.40, 0.60, 0.0, 0.0, 0.0),
            "wealth_purchase": (1.0, 0.0, 0.0, 0.0, 0.0),
            "loan_repayment": (1.0, 0.0, 0.0, 0.0, 0.0),
            "fee": (0.70, 0.0, 0.0, 0.0, 0.30),
            "salary": (0.0, 0.0, 0.0, 1.0, 0.0),
        }
        # cumulative channel probabilities per (category, digital): draw by inverse CDF
        cum = np.array([[np.cumsum(ch_off[c]), np.cumsum(ch_dig[c])] for c in TXN_CATEGORIES])
        cum /= cum[:, :, -1:]
        key = cat * 2 + dig
        flat_cum = cum.reshape(-1, len(TXN_CHANNELS))
        u = rng.random(m)
        chan = np.zeros(m, dtype=np.int64)
        for k in range(len(TXN_CHANNELS) - 1):
            chan += u >= flat_cum[key, k]
        credit = np.where(
            cat == C["salary"],
            True,
            np.where(cat == C["transfer"], rng.random(m) < 0.5, np.where(cat == C["cash"], rng.random(m) < 0.3, False)),
        )
        median = np.array([2_000.0, 300.0, 1_000.0, 50_000.0, 3_000.0, 15.0, 6_000.0])[cat]
        level = (self.dep_base[i, t] + self.wealth_base[i, t]) / 50_000.0
        scale = np.where(cat == C["fee"], 1.0, np.clip(level, 1e-6, None) ** 0.3).clip(0.3, 6.0)
        sd = np.where(cat == C["fee"], 0.5, 0.9)
        amount = np.maximum(np.round(median * scale * np.exp(sd * rng.standard_normal(m)), 2), 0.01)
        width = max(9, len(str(m)))
        return pa.table(
            {
                "txn_id": _arrow_ids(f"{self.info.prefix}T", m, width),
                "customer_id": pa.array(self.cust_ids).take(pa.array(i)),
                "ts": pa.array(ts, type=pa.timestamp("us")),
                "amount": pa.array(amount),
                "direction": pa.array(list(TXN_DIRECTIONS)).take(pa.array(np.where(credit, 0, 1))),
                "channel": pa.array(list(TXN_CHANNELS)).take(pa.array(chan)),
                "category": pa.array(list(TXN_CATEGORIES)).take(pa.array(cat)),
            }
        )

    def interactions_table(self) -> pd.DataFrame:
        ix = self.ix
        order = np.lexsort((ix["day"], ix["cust"]))
        ix = {k: v[order] for k, v in ix.items()}
        m = ix["cust"].size
        score = pd.array(np.where(ix["score"] > 0, ix["score"], 0), dtype="Int64")
        score[ix["score"] == 0] = pd.NA
        return pd.DataFrame(
            {
                "interaction_id": _ids(f"{self.info.prefix}I", m, max(8, len(str(m)))),
                "customer_id": self.cust_ids[ix["cust"]],
                "date": _iso(ix["day"]),
                "type": np.array(INTERACTION_TYPES, dtype=object)[ix["type"]],
                "category": np.array(INTERACTION_CATEGORIES, dtype=object)[ix["cat"]],
                "channel": np.array(INTERACTION_CHANNELS, dtype=object)[ix["chan"]],
                "resolved_date": _iso(ix["resolved"]),
                "resolution_score": score,
            }
        )

    def surveys_table(self) -> pd.DataFrame:
        cal, rng, n = self.cal, self.rng_tables, self.n
        S = P.SATISFACTION
        ix = self.ix
        n_comp = np.bincount(ix["cust"][ix["type"] == 0], minlength=n)
        frames = []
        shift = np.array([S.cs_gap_shift[a] for a in ATTRIBUTES])
        w = np.array([S.weights[a] for a in ATTRIBUTES])
        for t in range(cal.T):
            if cal.cal_month[t] not in (2, 5, 8, 11):
                continue
            day = int(cal.ms[t]) + int(rng.integers(4, 25))
            active = np.flatnonzero(~self.pre_closed & (self.open_d <= day) & (self.close_d >= day))
            k = int(np.clip(round(0.04 * active.size), 30, 600))
            if active.size < k:
                continue
            who = np.sort(rng.choice(active, k, replace=False))
            person = 0.5 * rng.standard_normal(k)
            exp_lat = 5.2 + person[:, None] + 0.7 * rng.standard_normal((k, len(ATTRIBUTES)))
            tilt = 0.4 * rng.standard_normal(k) - 0.3 * np.minimum(n_comp[who], 3)
            perc_lat = exp_lat + shift[None, :] + tilt[:, None] + 0.9 * rng.standard_normal((k, len(ATTRIBUTES)))
            exp_ = np.clip(np.round(exp_lat), 1, 7).astype(np.int64)
            perc = np.clip(np.round(perc_lat), 1, 7).astype(np.int64)
            overall = np.clip(np.round(S.intercept + perc @ w + S.noise_sd * rng.standard_normal(k)), 1, 10).astype(
                np.int64
            )
            rec = np.clip(
                np.round(S.recommend_intercept + S.recommend_slope * overall + S.recommend_sd * rng.standard_normal(k)),
                0,
                10,
            ).astype(np.int64)
            f = pd.DataFrame({"customer_id": self.cust_ids[who].astype(object), "survey_date": _iso(np.full(k, day))})
            for j, a in enumerate(ATTRIBUTES):
                f[f"exp_{a}"] = pd.array(exp_[:, j], dtype="Int64")
            for j, a in enumerate(ATTRIBUTES):
                f[f"perc_{a}"] = pd.array(perc[:, j], dtype="Int64")
            for col in [f"exp_{a}" for a in ATTRIBUTES] + [f"perc_{a}" for a in ATTRIBUTES]:
                f.loc[rng.random(k) < S.null_share, col] = pd.NA
            f["overall_satisfaction"] = overall
            f["recommend"] = rec
            f.loc[rng.random(k) < S.anonymous_share, "customer_id"] = None
            frames.append(f)
        out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TABLES["surveys"].column_names)
        out.insert(0, "response_id", _ids(f"{self.info.prefix}S", len(out), 6))
        out.insert(2, "branch_id", self.info.branch_id)
        return out[list(TABLES["surveys"].column_names)]

    def campaigns_tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        cols = TABLES["campaigns"].column_names
        if not self.campaigns:
            return pd.DataFrame(columns=cols), pd.DataFrame(columns=TABLES["campaign_contacts"].column_names)
        camp = pd.DataFrame(self.campaigns).sort_values("campaign_id").reset_index(drop=True)
        camp["start_date"] = _iso(camp["start_date"].to_numpy())
        camp["end_date"] = _iso(camp["end_date"].to_numpy())
        contacts = pd.concat(self.contacts, ignore_index=True)
        contacts = contacts.sort_values(["campaign_id", "customer_id"], kind="stable").reset_index(drop=True)
        return camp[list(cols)], contacts


# ---------------------------------------------------------------------------
# the city's market


def _market_tables(city: str, city_idx: int, cal: _Calendar, seed: int, respondents: int, prefix: str):
    rng = np.random.default_rng([seed, 10_000 + city_idx])
    banks = list(NATIONAL_BANKS + CITY_BANKS[city])
    B = len(banks)
    kinds = [BANK_KIND[b] for b in banks]

    # market_share: quarter ends, ≥ 8 of them, the last one ≤ as_of
    as_of = np.datetime64(int(cal.as_of), "D")
    last_q_month = as_of.astype("datetime64[M]")
    while (last_q_month.astype(int) % 12 + 1) % 3 != 0 or (last_q_month + 1).astype("datetime64[D]") - 1 > as_of:
        last_q_month -= 1
    nq = max(8, cal.T // 3)
    q_months = last_q_month - 3 * np.arange(nq)[::-1]
    periods = ((q_months + 1).astype("datetime64[D]") - 1).astype(np.int64)
    M = P.MARKET_SHARE
    q = np.arange(nq)[:, None]
    rows = []
    for base, drift_home in (
        (BASE_DEPOSIT_SHARE, M.home_deposit_share_drift),
        (BASE_LOAN_SHARE, 0.7 * M.home_deposit_share_drift),
    ):
        s0 = np.array([base.get(b, 0.06) for b in banks]) * np.exp(0.15 * rng.standard_normal(B))
        s0 = s0 / s0.sum()
        drift = np.array(
            [
                drift_home if b == HOME_BANK else (M.challenger_share_drift if k in ("city", "rural") else -0.0005)
                for b, k in zip(banks, kinds)
            ]
        )
        s = np.clip(s0[None, :] + drift[None, :] * q + 0.002 * rng.standard_normal((nq, B)), 0.002, None)
        rows.append(s / s.sum(axis=1, keepdims=True))
    dep_total = CITY_DEPOSITS.get(city, 2.5e11) * (1 + M.market_growth_q) ** np.arange(nq)
    loan_total = 0.78 * dep_total * (1 + 0.004 * np.arange(nq))
    outlets0 = np.array([BASE_OUTLETS[k] for k in kinds]) * np.exp(0.2 * rng.standard_normal(B))
    share_rows = []
    for qi in range(nq):
        for bi, b in enumerate(banks):
            out_n = (
                None
                if b == "四川银行"
                else int(round(outlets0[bi] * (1 + (0.01 if kinds[bi] in ("city", "rural") else -0.01) * qi)))
            )
            share_rows.append(
                {
                    "city": city,
                    "bank": b,
                    "period": periods[qi],
                    "deposits": round(float(rows[0][qi, bi] * dep_total[qi]), -4),
                    "loans": round(float(rows[1][qi, bi] * loan_total[qi]), -4),
                    "outlets": out_n,
                }
            )
    share = pd.DataFrame(share_rows)
    share["period"] = _iso(share["period"].to_numpy())
    share["outlets"] = pd.array(share["outlets"], dtype="Int64")

    # market_survey: respondents rate the 3–5 banks they know
    R = respondents
    aw = np.log(np.array([AWARENESS[k] for k in kinds]))
    keys = aw[None, :] + rng.gumbel(size=(R, B))
    k_known = rng.integers(3, 6, R).clip(max=B)
    rank = np.argsort(-keys, axis=1)
    known = np.zeros((R, B), dtype=bool)
    for r_k in range(5):
        m = k_known > r_k
        known[np.flatnonzero(m), rank[m, r_k]] = True
    prof = np.array([BANK_PROFILE[k] for k in kinds], dtype=float)
    home = banks.index(HOME_BANK)
    prof[home] += np.array(HOME_PROFILE_SHIFT)
    prof += 0.25 * rng.standard_normal(prof.shape)
    A = len(ATTRIBUTES)
    lat = (
        prof[None, :, :]
        + 0.5 * rng.standard_normal((R, 1, 1))
        + 0.4 * rng.standard_normal((R, B, 1))
        + 0.8 * rng.standard_normal((R, B, A))
    )
    ratings = np.clip(np.round(lat), 1, 7).astype(np.int64)
    beta = np.array([P.CHOICE.coefficients[a] for a in ATTRIBUTES])
    util = ratings @ beta + rng.gumbel(size=(R, B))
    util = np.where(known, util, -np.inf)
    primary = np.argmax(util, axis=1)
    r_idx, b_idx = np.nonzero(known)
    waves = np.array([cal.idx(14), cal.idx(2)])
    wave = rng.integers(0, 2, R)
    day = cal.ms[waves[wave]] + rng.integers(0, 25, R)
    survey = pd.DataFrame(
        {
            "respondent_id": _ids(f"{prefix}R", R, 5)[r_idx],
            "city": city,
            "survey_date": _iso(day[r_idx]),
            "bank": np.array(banks, dtype=object)[b_idx],
            "primary_bank": primary[r_idx] == b_idx,
        }
    )
    for j, a in enumerate(ATTRIBUTES):
        col = pd.array(ratings[r_idx, b_idx, j], dtype="Int64")
        col[rng.random(r_idx.size) < P.CHOICE.null_share] = pd.NA
        survey[f"rating_{a}"] = col
    return share, survey


# ---------------------------------------------------------------------------
# writing


def _write_parquet(table: pa.Table, folder: Path, branch_id: str) -> Path:
    part = folder / f"branch_id={branch_id}"
    part.mkdir(parents=True, exist_ok=True)
    path = part / "part-0.parquet"
    pq.write_table(table, path, compression="snappy")
    return path


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, encoding="utf-8")


def _branch_job(
    out_dir: Path, info: BranchInfo, bidx: int, customers: int, seed: int, months: int, end_month: str
) -> dict:
    """Simulate one branch, write its Parquet partitions and return its CSV rows.

    A function of its arguments only (the branch's own random streams), so
    branches can run in any process and in any order.
    """
    cal = _Calendar(months, end_month)
    br = _Branch(info, customers, cal, np.random.SeedSequence([seed, bidx]))
    br.simulate(bidx)
    rows = {}
    arr = br.snapshot_arrays()
    snap = br.snapshots_table(arr)
    _write_parquet(snap, out_dir / "monthly_snapshots", info.branch_id)
    rows["monthly_snapshots"] = snap.num_rows
    del snap
    txn = br.transactions_table(arr)
    _write_parquet(txn, out_dir / "transactions", info.branch_id)
    rows["transactions"] = txn.num_rows
    del arr, txn
    camp, contacts = br.campaigns_tables()
    parts = {
        "customers": br.customers_table(),
        "relationship_managers": br.rm_table(),
        "interactions": br.interactions_table(),
        "surveys": br.surveys_table(),
        "campaigns": camp,
        "campaign_contacts": contacts,
        "branches": pd.DataFrame(
            [{"branch_id": info.branch_id, "branch_name": info.branch_name, "city": info.city, "home_bank": HOME_BANK}]
        ),
    }
    # CSV text is made here, in the branch's process: the parent only joins it.
    csv = {name: df[list(TABLES[name].column_names)].to_csv(index=False, header=False) for name, df in parts.items()}
    campaigns = []
    for c in camp.itertuples(index=False):
        e = P.campaign_effect(c.kind)
        campaigns.append(
            {
                "campaign_id": c.campaign_id,
                "branch_id": c.branch_id,
                "kind": c.kind,
                "design": c.design,
                "start_date": c.start_date,
                "end_date": c.end_date,
                "balance_effect_per_participant": e.balance_effect,
                "itt_balance": e.itt_balance if c.design == "randomized" else None,
                "response_ate": e.response_ate if c.design == "randomized" else None,
                "att_balance": e.att_balance,
            }
        )
    return {
        "csv": csv,
        "csv_rows": {name: len(df) for name, df in parts.items()},
        "rows": rows,
        "campaigns": campaigns,
        "intercept": float(br.churn_intercept),
    }


def _market_job(
    city: str, city_idx: int, months: int, end_month: str, seed: int, respondents: int, prefix: str
) -> dict:
    share, survey = _market_tables(city, city_idx, _Calendar(months, end_month), seed, respondents, prefix)
    parts = {"market_share": share, "market_survey": survey}
    return {
        "csv": {n: df[list(TABLES[n].column_names)].to_csv(index=False, header=False) for n, df in parts.items()},
        "csv_rows": {n: len(df) for n, df in parts.items()},
    }


def generate(
    out_dir: Path,
    branches: int = 3,
    customers: int = 3000,
    seed: int = 0,
    months: int = 30,
    end_month: str = "2026-09",
    jobs: int = 1,
) -> dict:
    """Write a sample bank folder in the contract's shape; return a summary.

    `branches`: the first K of `BRANCH_CATALOG` (建行眉山分行 first);
    `customers`: rows of `customers` per branch (including those who closed
    before the data begin and those who open during the data period);
    `months`: months of monthly_snapshots (≥ 24), the last being `end_month`;
    `jobs`: branches simulated at once in separate processes (the files
    are the same, byte for byte, for any number of jobs).

    The summary: out_dir, branches, first_month, last_month, each table's
    path and rows (`tables`: {name: {"path", "rows"}}; `rows`: {name: rows}),
    `campaigns` (per campaign: id,
    branch, kind, design and its planted effects) and the churn logit's
    intercept per branch (`churn_intercepts`).

    Tables are replaced whole: a table's existing file or folder in
    `out_dir` is removed before it is written.
    """
    if branches < 1:
        raise ValueError("branches must be at least 1")
    if customers < 100:
        raise ValueError("customers must be at least 100 per branch")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cal = _Calendar(months, end_month)
    infos = branch_catalog(branches)
    for name in TABLES:
        for p in (out_dir / f"{name}.csv", out_dir / f"{name}.parquet", out_dir / f"{name}.xlsx"):
            if p.is_file():
                p.unlink()
        if (out_dir / name).is_dir():
            shutil.rmtree(out_dir / name)

    respondents = int(np.clip(customers // 6, 300, 1500))
    # Each city's market is drawn once, with the first of its branches.
    cities: dict[str, BranchInfo] = {}
    for info in infos:
        cities.setdefault(info.city, info)
    catalog_cities = [b.city for b in BRANCH_CATALOG]
    branch_args = [(out_dir, info, bidx, customers, seed, months, end_month) for bidx, info in enumerate(infos)]
    market_args = [
        (city, catalog_cities.index(city), months, end_month, seed, respondents, info.prefix)
        for city, info in cities.items()
    ]
    if jobs > 1 and len(infos) > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        # A fresh interpreter per worker: no fork of a parent's threads (BLAS, Arrow).
        with ProcessPoolExecutor(max_workers=min(jobs, len(infos)), mp_context=mp.get_context("spawn")) as pool:
            done = list(pool.map(_branch_job, *zip(*branch_args)))
            markets = list(pool.map(_market_job, *zip(*market_args)))
    else:
        done = [_branch_job(*a) for a in branch_args]
        markets = [_market_job(*a) for a in market_args]

    rows = {n: 0 for n in TABLES}
    for d in done:
        for n, k in d["rows"].items():
            rows[n] += k
    tables: dict[str, dict] = {}
    for name in TABLES:
        if name in PARTITIONED:
            continue
        source = markets if name in ("market_share", "market_survey") else done
        path = out_dir / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write(",".join(TABLES[name].column_names) + "\n")
            for d in source:
                f.write(d["csv"][name])
        rows[name] = sum(d["csv_rows"][name] for d in source)
        tables[name] = {"path": str(path), "rows": rows[name]}
    for name in PARTITIONED:
        tables[name] = {"path": str(out_dir / name), "rows": rows[name]}
    return {
        "out_dir": str(out_dir),
        "branches": [b.branch_id for b in infos],
        "seed": seed,
        "first_month": str(cal.first_month),
        "last_month": str(cal.first_month + (cal.T - 1)),
        "tables": {n: tables[n] for n in TABLES},
        "rows": {n: tables[n]["rows"] for n in TABLES},
        "campaigns": [c for d in done for c in d["campaigns"]],
        "churn_intercepts": {info.branch_id: d["intercept"] for info, d in zip(infos, done)},
    }
