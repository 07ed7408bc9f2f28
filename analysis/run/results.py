"""How notebooks hand their sections of `results.json` to the runner.

Each notebook computes its section through the package and calls
`write_section(out_dir, name, section)`; the runner then assembles every
section into `results.json` (`assemble`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.sections import SCHEMA_VERSION, dumps, estimate, ok, skipped, to_jsonable

__all__ = [
    "SCHEMA_VERSION",
    "SECTIONS_DIR",
    "assemble",
    "dumps",
    "estimate",
    "ok",
    "read_sections",
    "skipped",
    "to_jsonable",
    "write_section",
]

SECTIONS_DIR = "sections"


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
