"""The sections of `results.json` as values (RESULTS.md "Figures").

A section is either computed, `{"status": "ok", ...}`, or `{"status":
"skipped", "reason": "…"}`; an estimate with uncertainty is `{"estimate",
"ci_low", "ci_high"}` at 95 % (with `p_value` where a test exists). Each
question's result gives its section as a typed object (a dataclass deriving
from `Section`, fields named as in RESULTS.md) whose `to_dict()` is the
section exactly as results.json holds it; `Skipped(reason)` stands for a
section that could not be computed. `analysis.run.results` writes and
assembles them; `analysis/schema/results.schema.json` is RESULTS.md as a
JSON Schema, published beside every results.json.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from typing import Any, ClassVar

import numpy as np
import pandas as pd

SCHEMA_VERSION = 2


def ok(**figures: Any) -> dict[str, Any]:
    """A computed section."""
    return {"status": "ok", **figures}


def skipped(reason: str) -> dict[str, Any]:
    """A section that could not be computed, with the reason in words."""
    return {"status": "skipped", "reason": reason}


def computed(results: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """The section `name` of a results.json when it was computed (`status` ok, or no
    status at all), else None (absent, skipped, or not a section)."""
    s = results.get(name)
    if isinstance(s, dict) and s.get("status", "ok") == "ok":
        return s
    return None


_MISSING = object()


def _resolve(node: Any, parts: list[str]) -> Any:
    if not parts:
        return node
    if not isinstance(node, Mapping):
        return _MISSING
    # try the longest key first so that "a.b" as one key wins over a → b
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in node:
            found = _resolve(node[key], parts[n:])
            if found is not _MISSING:
                return found
    return _MISSING


def value_at(results: Mapping[str, Any], path: str, default: Any = None) -> Any:
    """The value at a dotted path of results.json (`churn.drivers.vip.odds_ratio`),
    or `default` when any step is missing. Keys may hold dots themselves (a
    campaign id "2025.Q3"): the longest key that exists is taken first."""
    found = _resolve(results, path.split("."))
    return default if found is _MISSING else found


def resolves(results: Mapping[str, Any], path: str) -> bool:
    """Whether a dotted path names a value in `results` (null values count)."""
    return _resolve(results, path.split(".")) is not _MISSING


def estimate(value: float, ci_low: float, ci_high: float, p_value: float | None = None, **extra: Any) -> dict[str, Any]:
    """An estimate with its 95 % interval (and p-value where a test exists)."""
    out = {"estimate": value, "ci_low": ci_low, "ci_high": ci_high}
    if p_value is not None:
        out["p_value"] = p_value
    out.update(extra)
    return out


class Section:
    """Base of a typed results.json section: a dataclass whose fields are the
    section's figures, in RESULTS.md's names and order.

    `to_dict()` gives `{"status": "ok", <field>: <value>, …}` with nested
    values made plain (`to_jsonable`); a field whose value is `None` is kept
    as null unless the subclass lists it in `omit_when_none`. Subclasses
    override `to_dict` only where the section's shape is not one field per key.
    """

    omit_when_none: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        assert is_dataclass(self), f"{type(self).__name__} must be a dataclass"
        out: dict[str, Any] = {"status": "ok"}
        for f in fields(self):
            v = getattr(self, f.name)
            if v is None and f.name in self.omit_when_none:
                continue
            out[f.name] = to_jsonable(v)
        return out


@dataclass(frozen=True)
class Skipped(Section):
    """A section that could not be computed, with the reason in words."""

    reason: str

    def to_dict(self) -> dict[str, Any]:
        return skipped(self.reason)


@dataclass(frozen=True)
class Estimate:
    """An estimate with its 95 % interval (and p-value where a test exists), in the estimate's own unit."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return estimate(self.estimate, self.ci_low, self.ci_high, self.p_value)


def to_jsonable(obj: Any) -> Any:
    """Plain JSON values: typed sections and estimates → dicts, numpy scalars →
    numbers, NaN/inf → null, dates → ISO."""
    if hasattr(obj, "to_dict") and not isinstance(obj, (pd.Series, pd.DataFrame)):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, pd.Series):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(obj, (pd.Timestamp, datetime, date)):
        return pd.Timestamp(obj).strftime("%Y-%m-%d")
    if obj is pd.NaT or obj is None:
        return None
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    return obj


def dumps(obj: Any) -> str:
    return json.dumps(to_jsonable(obj), ensure_ascii=False, indent=1, allow_nan=False)
