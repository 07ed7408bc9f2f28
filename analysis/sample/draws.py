"""Small helpers of the sample generator: random draws, day numbers and
ISO dates, ids, and the calendar of the data's months."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MIN_MONTHS = 24
FAR = 10**7  # a day number far in the future: "no date" for close_date, vip_since, resolved_date


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
