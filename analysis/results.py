"""Sections of `results.json` and how notebooks hand them to the runner.

Each notebook computes its section through the package and calls
`write_section(out_dir, name, section)`; the runner then assembles every
section into `results.json` (`assemble`). A section is either computed,
`{"status": "ok", ...}`, or `{"status": "skipped", "reason": "…"}`
(RESULTS.md "Figures").
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
SECTIONS_DIR = "sections"


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


def write_section(out_dir: str | Path, name: str, section: Mapping[str, Any]) -> Path:
    """Write one notebook's section of results.json into the run folder."""
    folder = Path(out_dir) / SECTIONS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(dumps(section), encoding="utf-8")
    tmp.replace(path)
    return path


def read_sections(out_dir: str | Path) -> dict[str, Any]:
    folder = Path(out_dir) / SECTIONS_DIR
    out: dict[str, Any] = {}
    for p in sorted(folder.glob("*.json")):
        out[p.stem] = json.loads(p.read_text(encoding="utf-8"))
    return out


def assemble(out_dir: str | Path, top: Mapping[str, Any]) -> dict:
    """results.json: the top-level figures, then every section written.

    A section may carry top-level figures under the key "_top" (the value
    notebook writes `customers`, `active_customers`); they are lifted.
    """
    result: dict[str, Any] = {"schema_version": SCHEMA_VERSION, **top}
    for name, section in read_sections(out_dir).items():
        section = dict(section)
        lifted = section.pop("_top", None)
        if lifted:
            result.update(lifted)
        if name.startswith("_"):
            continue
        if isinstance(section.get("_merge"), dict):
            result.update(section.pop("_merge"))
        result[name] = section
    path = Path(out_dir) / "results.json"
    path.write_text(dumps(result), encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))
