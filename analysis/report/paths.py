"""Figures of results.json addressed by dotted paths.

A recommendation cites the figure that triggered it as a path such as
`churn.drivers.unresolved_complaint.odds_ratio`; the same path finds the
figure again. Keys may themselves hold dots (a campaign id "2025.Q3"), so a
path is resolved greedily against the keys that exist.
"""

from __future__ import annotations

from typing import Any

from analysis.sections import computed

_MISSING = object()


def _resolve(node: Any, parts: list[str]) -> Any:
    if not parts:
        return node
    if not isinstance(node, dict):
        return _MISSING
    # try the longest key first so that "a.b" as one key wins over a → b
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in node:
            found = _resolve(node[key], parts[n:])
            if found is not _MISSING:
                return found
    return _MISSING


def get(results: dict, path: str, default: Any = None) -> Any:
    """The value at `path`, or `default` when any step is missing."""
    found = _resolve(results, path.split("."))
    return default if found is _MISSING else found


def exists(results: dict, path: str) -> bool:
    """Whether `path` names a value in `results` (null values count)."""
    return _resolve(results, path.split(".")) is not _MISSING


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
