"""The time frame of a branch run (RESULTS.md "Time frame").

**M** is the last month present in `monthly_snapshots` (or the `--as-of`
month); **as_of** is the last day of M; **the window** is months M−11 … M and
**t0** is the first day of month M−11.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


def month_start(value: str | pd.Timestamp) -> pd.Timestamp:
    """First day of the month of `value` (a date or `YYYY-MM`)."""
    ts = pd.Timestamp(value)
    return pd.Timestamp(year=ts.year, month=ts.month, day=1)


@dataclass(frozen=True)
class Timeframe:
    """Months of a run, all as first-of-month timestamps."""

    M: pd.Timestamp

    def __post_init__(self) -> None:
        object.__setattr__(self, "M", month_start(self.M))

    @classmethod
    def from_snapshots(cls, months: pd.Series, as_of: str | None = None) -> "Timeframe":
        if as_of is not None:
            return cls(month_start(as_of))
        return cls(month_start(months.max()))

    def month(self, k: int) -> pd.Timestamp:
        """First day of month M−k (k may be negative: months after M)."""
        return self.M - pd.DateOffset(months=k)

    @property
    def as_of(self) -> pd.Timestamp:
        """Last day of month M."""
        return self.M + pd.offsets.MonthEnd(0)

    @property
    def t0(self) -> pd.Timestamp:
        """First day of month M−11: the start of the 12-month window."""
        return self.month(11)

    @property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """(t0, as_of): the window's first and last day, both inclusive."""
        return self.t0, self.as_of

    def in_window(self, dates: pd.Series) -> pd.Series:
        """True for dates within months M−11 … M."""
        return (dates >= self.t0) & (dates <= self.as_of)


def check_as_of(months: pd.Series, as_of: str | None, branch: str) -> None:
    """`UsageError` unless month `as_of` lies within the branch's snapshot months."""
    from analysis.errors import UsageError

    if as_of is None:
        return
    m = month_start(as_of)
    first, last = months.min(), months.max()
    if months.empty or not (first <= m <= last):
        span = "none" if months.empty else f"{first:%Y-%m} … {last:%Y-%m}"
        raise UsageError(f"--as-of {as_of} is outside branch {branch}'s snapshots ({span})")
