"""Files a run writes beside results.json for the branch to work from.

    write_plan(out_dir, result)     # plan.csv and private/plan_assignments.csv
    read_plan(out_dir / "plan.csv") # back as a typed frame

`plan.csv` (RESULTS.md "plan") is UTF-8 with a BOM so that Excel opens it
with its Chinese intact; the lists behind it name real customers and go
only into `private/`, which is never shown in the briefing. Files are
written whole or not at all (a temporary file, then a rename).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

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
