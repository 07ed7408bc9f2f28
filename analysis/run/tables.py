"""The run folder's tables: `tables/<name>.csv` for the briefing and analysts,
`private/<name>` for lists with real customer ids (never shared).

    write_table(loss, out_dir, "churn_loss_factors.csv")
    write_private(proposal.private_table(), out_dir, "proposed_assignments.csv")

Both are no-ops without an out_dir (a consultant's own session). Numbers are
written as numbers, to six significant figures (a shared table never carries
a long digit string that could read as an identifier).
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
