"""Figures of results.json addressed by dotted paths.

A recommendation cites the figure that triggered it as a path such as
`churn.drivers.unresolved_complaint.odds_ratio`; the same path finds the
figure again. Keys may themselves hold dots (a campaign id "2025.Q3"), so a
path is resolved greedily against the keys that exist.
"""

from __future__ import annotations

from typing import Any

from analysis.sections import computed, resolves, value_at


def get(results: dict, path: str, default: Any = None) -> Any:
    """The value at `path`, or `default` when any step is missing (`analysis.sections.value_at`)."""
    return value_at(results, path, default)


def exists(results: dict, path: str) -> bool:
    """Whether `path` names a value in `results` (null values count; `analysis.sections.resolves`)."""
    return resolves(results, path)


def join(*parts: str) -> str:
    """A path from its keys."""
    return ".".join(str(p) for p in parts)


def section(results: dict, name: str) -> dict | None:
    """A computed section (`status` ok), else None (`analysis.sections.computed`)."""
    return computed(results, name)


def number(results: dict, path: str) -> float | None:
    """A finite number at `path`, else None."""
    v = get(results, path)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    if v != v or v in (float("inf"), float("-inf")):
        return None
    return float(v)
