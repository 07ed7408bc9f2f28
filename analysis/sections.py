"""The sections of `results.json` as values (RESULTS.md "Figures").

A section is either computed, `{"status": "ok", ...}`, or `{"status":
"skipped", "reason": "…"}`; an estimate with uncertainty is `{"estimate",
"ci_low", "ci_high"}` at 95 % (with `p_value` where a test exists). The
questions build their sections with these; `analysis.run.results` writes and
assembles them.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

SCHEMA_VERSION = 1


def ok(**figures: Any) -> dict:
    """A computed section."""
    return {"status": "ok", **figures}


def skipped(reason: str) -> dict:
    """A section that could not be computed, with the reason in words."""
    return {"status": "skipped", "reason": reason}


def estimate(value: float, ci_low: float, ci_high: float, p_value: float | None = None, **extra: Any) -> dict:
    """An estimate with its 95 % interval (and p-value where a test exists)."""
    out = {"estimate": value, "ci_low": ci_low, "ci_high": ci_high}
    if p_value is not None:
        out["p_value"] = p_value
    out.update(extra)
    return out


def to_jsonable(obj: Any) -> Any:
    """Plain JSON values: numpy scalars → numbers, NaN/inf → null, dates → ISO."""
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
