"""OUT/branches.csv and OUT/index.html: every branch of the output folder side by side.

The index draws each branch's headline figures over its runs (`trends`,
from the history store) as small lines under the figures.

Written after every run, of one branch or of all: the branches of this run
with their outcome, and the branches whose report an earlier run left in
the same folder (their latest report, status "ok"), so that running the
branches one at a time still gives one overview.

branches.csv has the same columns, in the same order, whatever the language
of the run and whichever branches it holds (`CSV_COLUMNS`: English names,
the keys of the headline figures); counts are written as integers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.report.headline import BY_KEY, HEADLINE, path_of, value
from analysis.report.index import build_index
from analysis.run import history

#: branches.csv's columns, in order (stable: scripts and spreadsheets read them by name)
CSV_COLUMNS: tuple[str, ...] = (
    "branch_id",
    "as_of",
    "customers",
    "active_customers",
    "top20_revenue_share",
    "unprofitable_share",
    "churn_rate_12m",
    "cs_overall",
    "nps",
    "qvsrs_quality",
    "qvsrs_value",
    "products_per_customer",
    "rm_coverage",
    "revenue_growth_12m",
    "home_deposit_share",
    "coverage_top20",
    "data_fingerprint",
    "status",
    "error",
)
COUNTS = ("customers", "active_customers")


def headline_figures(results: Mapping[str, Any]) -> dict:
    """The figures of branches.csv, one flat row per branch."""
    row: dict[str, Any] = {"branch_id": results.get("branch_id"), "as_of": results.get("as_of")}
    for key in CSV_COLUMNS[2:-3]:
        row[key] = value(BY_KEY[key], results)
    row["data_fingerprint"] = results.get("data_fingerprint")
    return row


def _get(o: Any, name: str, default: Any = None) -> Any:
    return o.get(name, default) if isinstance(o, Mapping) else getattr(o, name, default)


def earlier_reports(out_root: Path, skip: Iterable[str]) -> list[dict]:
    """The branches whose report an earlier run left in `out_root` (not in `skip`),
    as outcomes of the overview (`earlier`: True), by branch_id."""
    skip = set(skip)
    out = []
    if not Path(out_root).is_dir():
        return out
    for folder in sorted(Path(out_root).iterdir()):
        if not folder.is_dir() or folder.name.startswith(".") or folder.name in skip:
            continue
        try:
            res = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(res, dict) or res.get("branch_id") != folder.name:
            continue
        out.append(
            {
                "branch_id": folder.name,
                "ok": True,
                "seconds": 0.0,
                "folder": str(folder),
                "headline": headline_figures(res),
                "earlier": True,
            }
        )
    return out


def rows_of(outcomes: Iterable[Any]) -> pd.DataFrame:
    """branches.csv as a frame: one row per outcome, `CSV_COLUMNS`."""
    rows = []
    for o in outcomes:
        ok, no_data = _get(o, "ok"), _get(o, "no_data")
        row = dict(_get(o, "headline") or {}) if ok and not no_data else {"branch_id": _get(o, "branch_id")}
        row["branch_id"] = _get(o, "branch_id")
        row["status"] = "no data" if no_data else "ok" if ok else "failed"
        row["error"] = no_data if no_data else None if ok else _get(o, "error")
        rows.append({c: row.get(c) for c in CSV_COLUMNS})
    df = pd.DataFrame(rows, columns=list(CSV_COLUMNS))
    for col in COUNTS:
        # Counts stay integers where a branch has none (no data, failed): 1500, not 1500.0.
        df[col] = pd.array([None if v is None or v != v else int(v) for v in df[col]], dtype="Int64")
    return df


def trends(out_root: Path, outcomes: Iterable[Any]) -> dict[str, dict[str, list[tuple[str, float]]]]:
    """Each shown branch's headline figures over its recorded runs (the history
    store), oldest first: branch_id → headline key → [(as_of, value)]."""
    h = history.history(out_root)
    out: dict[str, dict[str, list[tuple[str, float]]]] = {}
    if h.empty:
        return out
    for o in outcomes:
        bid, folder = _get(o, "branch_id"), _get(o, "folder")
        rows = h[(h["branch_id"] == bid) & h["estimate"].notna()]
        if rows.empty or not folder:
            continue
        try:
            res = json.loads((Path(folder) / "results.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        by_path = {p: g.sort_values("as_of") for p, g in rows.groupby("path")}
        out[bid] = {
            hd.key: list(zip(g["as_of"], g["estimate"].astype(float)))
            for hd in HEADLINE
            if (g := by_path.get(path_of(hd, res))) is not None
        }
    return out


def write_overview(out_root: Path, outcomes: list, lang: str = "zh") -> list:
    """OUT/branches.csv and OUT/index.html: this run's branches, then those of
    earlier runs in the same folder. The outcomes shown, in that order."""
    out_root = Path(out_root)
    outcomes = list(outcomes)
    shown = outcomes + earlier_reports(out_root, [_get(o, "branch_id") for o in outcomes])
    out_root.mkdir(parents=True, exist_ok=True)
    path = out_root / "branches.csv"
    tmp = path.with_name(".branches.csv.tmp")
    rows_of(shown).to_csv(tmp, index=False, encoding="utf-8")
    tmp.replace(path)
    build_index(out_root, shown, lang=lang, trends=trends(out_root, shown))
    return shown
