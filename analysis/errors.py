"""One error type for problems in a user's data.

A `DataProblem` names what a consultant needs to find and fix the data: the
table, the file, the column, the rule it breaks, how many rows break it and
the first few of them as a person counts rows in that file (the header is
line 1 of a CSV or a sheet, so the first data row is row 2; Parquet rows count
from 1). A `DataError` carries every problem found, so one run of `validate`
lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

FIRST_ROWS_SHOWN = 5


@dataclass(frozen=True)
class DataProblem:
    table: str
    rule: str
    file: str | None = None
    column: str | None = None
    count: int = 0
    rows: tuple[str, ...] = ()  # e.g. ("row 7", "part-0.parquet row 3")
    examples: tuple[str, ...] = ()  # offending values, as found

    def __str__(self) -> str:
        where = self.table
        if self.file:
            where += f" ({self.file})"
        if self.column:
            where += f", column {self.column}"
        msg = f"{where}: {self.rule}"
        if self.count:
            msg += f" — {self.count} row{'s' if self.count != 1 else ''}"
            if self.rows:
                msg += ", first: " + ", ".join(self.rows[:FIRST_ROWS_SHOWN])
        if self.examples:
            msg += " (values: " + ", ".join(repr(v) for v in self.examples[:FIRST_ROWS_SHOWN]) + ")"
        return msg


@dataclass
class DataError(Exception):
    """Raised when data breaks the contract; holds every problem found."""

    problems: list[DataProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} data problem{'s' if n != 1 else ''}:"
        return "\n".join([head, *("  - " + str(p) for p in self.problems)])

    @classmethod
    def of(cls, problems: Iterable[DataProblem]) -> DataError:
        return cls(list(problems))


def raise_if_any(problems: Sequence[DataProblem]) -> None:
    if problems:
        raise DataError(list(problems))


class UsageError(Exception):
    """A bad command-line request (unknown branch, bad --as-of, missing folder)."""
