"""The time frame of a branch run (RESULTS.md "Time frame").

**M** is the last month present in `monthly_snapshots` (or the `--as-of`
month); **as_of** is the last day of M; **the window** is months
M−(n−1) … M and **t0** is the first day of month M−(n−1), with n =
`window_months` (`Assumptions.window_months`, 12 by RESULTS.md: M−11 … M).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from analysis.errors import UsageError


def month_start(value: str | pd.Timestamp) -> pd.Timestamp:
    """First day of the month of `value` (a date or `YYYY-MM`)."""
    ts = pd.Timestamp(value)
    return pd.Timestamp(year=ts.year, month=ts.month, day=1)


@dataclass(frozen=True)
class Timeframe:
    """Months of a run, all as first-of-month timestamps.

    `first`: the first month of the branch's `monthly_snapshots` (None when
    not known, as for a time frame built by hand): how many months of a
    window the data hold (`window_coverage`). `window_months`: the length
    of the window (`Assumptions.window_months`); every figure "of the last
    12 months" follows it.
    """

    M: pd.Timestamp
    first: pd.Timestamp | None = None
    window_months: int = 12

    def __post_init__(self) -> None:
        object.__setattr__(self, "M", month_start(self.M))
        if self.first is not None:
            object.__setattr__(self, "first", month_start(self.first))
        if not (isinstance(self.window_months, int) and self.window_months >= 1):
            raise UsageError(f"window_months must be a whole number of months ≥ 1, not {self.window_months!r}")

    @classmethod
    def from_snapshots(cls, months: pd.Series, as_of: str | None = None, window_months: int = 12) -> Timeframe:
        first = month_start(months.min()) if len(months) and pd.notna(months.min()) else None
        if as_of is not None:
            return cls(month_start(as_of), first, window_months)
        return cls(month_start(months.max()), first, window_months)

    def with_window(self, window_months: int) -> Timeframe:
        """The same months with a window of `window_months` months."""
        if window_months == self.window_months:
            return self
        return Timeframe(self.M, self.first, window_months)

    def shifted(self, months: int) -> Timeframe:
        """The time frame `months` months earlier (same first month and window)."""
        return Timeframe(self.month(months), self.first, self.window_months)

    def month(self, k: int) -> pd.Timestamp:
        """First day of month M−k (k may be negative: months after M)."""
        return self.M - pd.DateOffset(months=k)

    @property
    def as_of(self) -> pd.Timestamp:
        """Last day of month M."""
        return self.M + pd.offsets.MonthEnd(0)

    @property
    def t0(self) -> pd.Timestamp:
        """First day of month M−(window_months−1): the start of the window (M−11 for 12 months)."""
        return self.month(self.window_months - 1)

    @property
    def before(self) -> pd.Timestamp:
        """First day of month M−window_months: the month before the window (M−12),
        the churn cohort's reference snapshot."""
        return self.month(self.window_months)

    @property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """(t0, as_of): the window's first and last day, both inclusive."""
        return self.t0, self.as_of

    def in_window(self, dates: pd.Series) -> pd.Series:
        """True for dates within the window's months (M−11 … M for 12 months)."""
        return (dates >= self.t0) & (dates <= self.as_of)

    def months_held(self, months: int) -> int:
        """How many of the `months` months M−(months−1) … M the snapshots hold
        (all of them when `first` is not known)."""
        if months <= 0:
            return 0
        if self.first is None:
            return months
        start = self.month(months - 1)
        if self.first <= start:
            return months
        if self.first > self.M:
            return 0
        return (self.M.year - self.first.year) * 12 + self.M.month - self.first.month + 1


def window_coverage(tf: Timeframe | HasTimeframe, months: int | None = None) -> tuple[int, bool]:
    """(months available, full) of the `months`-month window ending in M.

    A figure named for a window ("12-month profit", "churn over the last
    12 months") is labelled by the months it really covers, or skipped,
    when `full` is False: 6 months of data, or `--as-of` 3 months after
    the first snapshot, do not make a 12-month window. Takes a Timeframe
    or anything with one (a Bank).
    """
    frame = tf if isinstance(tf, Timeframe) else tf.timeframe
    held = frame.months_held(frame.window_months if months is None else months)
    return held, held >= (frame.window_months if months is None else months)


class HasTimeframe(Protocol):
    @property
    def timeframe(self) -> Timeframe: ...


def check_as_of(months: pd.Series, as_of: str | None, branch: str) -> None:
    """`UsageError` unless month `as_of` lies within the branch's snapshot months."""
    if as_of is None:
        return
    m = month_start(as_of)
    first, last = months.min(), months.max()
    if months.empty or not (first <= m <= last):
        span = "none" if months.empty else f"{first:%Y-%m} … {last:%Y-%m}"
        raise UsageError(f"--as-of {as_of} is outside branch {branch}'s snapshots ({span})")
