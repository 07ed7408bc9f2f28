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

from jsonschema import Draft202012Validator

from analysis.sections import SCHEMA_VERSION, dumps, estimate, ok, skipped, to_jsonable

__all__ = [
    "SCHEMA_VERSION",
    "SECTIONS_DIR",
    "assemble",
    "combine",
    "dumps",
    "estimate",
    "ok",
    "read_sections",
    "skipped",
    "to_jsonable",
    "write_section",
]

SECTIONS_DIR = "sections"
#: RESULTS.md as a JSON Schema; a copy is published beside every results.json.
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "results.schema.json"


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


def combine(top: Mapping[str, Any], sections: Mapping[str, Mapping[str, Any]]) -> dict:
    """results.json from the top-level figures and the sections by name (in
    name order, as `read_sections` gives them).

    A section may carry top-level figures under the key "_top" (the value
    notebook writes `customers`, `active_customers`) or "_merge" (the
    campaigns' `campaigns_ranked`); they are lifted. Sections whose name
    starts with "_" give only what they lift.
    """
    result: dict[str, Any] = {"schema_version": SCHEMA_VERSION, **top}
    for name in sorted(sections):
        section = dict(sections[name])
        lifted = section.pop("_top", None)
        if lifted:
            result.update(lifted)
        if name.startswith("_"):
            continue
        if isinstance(section.get("_merge"), dict):
            result.update(section.pop("_merge"))
        result[name] = section
    return result


def assemble(out_dir: str | Path, top: Mapping[str, Any]) -> dict:
    """results.json: the top-level figures, then every section written (`combine`)."""
    result = combine(top, read_sections(out_dir))
    path = Path(out_dir) / "results.json"
    path.write_text(dumps(result), encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


def schema() -> dict:
    """RESULTS.md as a JSON Schema (draft 2020-12)."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def schema_problems(results: Mapping[str, Any]) -> list[str]:
    """Where `results` departs from RESULTS.md: one line per violation (path: message), none when it conforms."""
    validator = Draft202012Validator(schema())
    out = []
    for err in sorted(validator.iter_errors(results), key=lambda e: list(map(str, e.absolute_path))):
        where = ".".join(str(p) for p in err.absolute_path) or "(top level)"
        message = err.message if len(err.message) <= 200 else err.message[:197] + "…"
        out.append(f"{where}: {message}")
    return out


def publish_schema(out_dir: str | Path) -> Path:
    """Copy the schema beside the run's results.json (results.schema.json)."""
    path = Path(out_dir) / SCHEMA_FILE.name
    path.write_bytes(SCHEMA_FILE.read_bytes())
    return path
