"""Files a run writes beside results.json: `tables/<name>.csv` for the briefing
and analysts, `plan.csv` for the branch to work from, and `private/<name>` for
lists with real customer ids (never shared, never shown in the briefing).

    write_table(loss, out_dir, "churn_loss_factors.csv")
    write_private(proposal.private_table(), out_dir, "proposed_assignments.csv")
    write_plan(out_dir, result)     # plan.csv and private/plan_assignments.csv
    read_plan(out_dir / "plan.csv") # back as a typed frame

CSV is UTF-8 with a BOM so that Excel opens it with its Chinese intact.
`write_table` and `write_private` are no-ops without an out_dir (a
consultant's own session); tables carry numbers to six significant figures (a
shared table never carries a long digit string that could read as an
identifier). plan.csv is written whole or not at all (a temporary file, then
a rename).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.pseudonym import write_private_table

TABLES_DIR = "tables"


def write_table(
    df: pd.DataFrame, out_dir: str | Path | None, filename: str, index: bool = True, index_label: str | None = None
) -> Path | None:
    """Write `df` to `out_dir/tables/filename` (CSV, UTF-8 with BOM for Excel); the path, or None without out_dir."""
    if not out_dir:
        return None
    folder = Path(out_dir) / TABLES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    df.to_csv(path, index=index, index_label=index_label, encoding="utf-8-sig", float_format="%.6g")
    return path


def write_private(df: pd.DataFrame, out_dir: str | Path | None, filename: str) -> Path | None:
    """Write a table with real identifiers to `out_dir/private/filename`; None without out_dir."""
    if not out_dir:
        return None
    return write_private_table(df, out_dir, filename)


PLAN_FILE = "plan.csv"
PRIVATE_DIR = "private"
ASSIGNMENTS_FILE = "plan_assignments.csv"


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """`df` as CSV, UTF-8 with BOM, written atomically; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    df.to_csv(tmp, index=False, encoding="utf-8-sig")
    tmp.replace(path)
    return path


def write_plan(out_dir: str | Path, result) -> tuple[Path, Path]:
    """The plan's rows as out_dir/plan.csv and who each row reaches (customer
    ids, arm, channel, manager) as out_dir/private/plan_assignments.csv."""
    out_dir = Path(out_dir)
    plan = write_csv(result.table(), out_dir / PLAN_FILE)
    lists = write_csv(result.assignments, out_dir / PRIVATE_DIR / ASSIGNMENTS_FILE)
    return plan, lists


def read_plan(path: str | Path) -> pd.DataFrame:
    """plan.csv as written: text columns as text, numbers as numbers (empty: NaN)."""
    text = {c: str for c in ("action_id", "topic", "action", "owner_role", "start", "end", "kpi", "evidence")}
    return pd.read_csv(path, encoding="utf-8-sig", dtype=text, keep_default_na=False, na_values=[""])
