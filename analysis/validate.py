"""Every rule of the data contract, checked; and the final dtypes.

(Work in progress: `check_table` and `check_relations` are being completed.)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .contract import Table
from .errors import DataProblem
from .io import BOOKKEEPING


def check_table(table: Table, df: pd.DataFrame) -> list[DataProblem]:
    """Rules on one table alone: nulls, vocabularies, ranges, uniqueness, patterns, row rules."""
    return []


def check_relations(tables: dict[str, pd.DataFrame]) -> list[DataProblem]:
    """Rules across tables: foreign keys and cross-table rules."""
    return []


def restore_dtypes(table: Table, df: pd.DataFrame) -> pd.DataFrame:
    """Give contract columns their final dtypes (after validation passed).

    str → object of str; category → pandas Categorical over the contract's
    vocabulary; int → int64 (float64 when nullable, NaN for missing); float →
    float64; bool → bool; date/month/datetime → datetime64[ns].
    """
    out = df.copy()
    for col in table.columns:
        if col.name not in out:
            continue
        s = out[col.name]
        if col.kind == "category":
            out[col.name] = pd.Categorical(s.astype(object).where(s.notna(), None), categories=list(col.values))
        elif col.kind == "int":
            out[col.name] = s.astype(float) if col.nullable else s.astype(np.int64)
        elif col.kind == "float":
            out[col.name] = s.astype(float)
        elif col.kind == "bool":
            out[col.name] = s.astype(bool)
        elif col.kind in ("date", "month", "datetime"):
            out[col.name] = pd.to_datetime(s).astype("datetime64[ns]")
        else:
            out[col.name] = s.astype(object).where(s.notna(), None)
    return out


def finalize(table: Table, df: pd.DataFrame) -> pd.DataFrame:
    """The validated table with final dtypes and without row bookkeeping."""
    return restore_dtypes(table, df.drop(columns=[c for c in BOOKKEEPING if c in df.columns]))
