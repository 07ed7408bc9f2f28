"""The final dtypes of a validated table (DATA.md's column kinds as pandas
holds them), and the table without the reader's row bookkeeping."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.contract import Table
from analysis.data.io import BOOKKEEPING, UNREADABLE, nulls_as_none


def restore_dtypes(table: Table, df: pd.DataFrame) -> pd.DataFrame:
    """Give contract columns their final dtypes (after validation passed).

    str → object of str; category → pandas Categorical over the contract's
    vocabulary; int → int64 (float64 when nullable, NaN for missing); float →
    float64; bool → bool; date/month/datetime → datetime64[ns]. A column that
    already has its dtype is kept as it is, not copied.
    """
    out = df.copy(deep=False)
    for col in table.columns:
        if col.name not in out:
            continue
        s = out[col.name]
        if col.kind == "category":
            if isinstance(s.dtype, pd.CategoricalDtype) and list(s.cat.categories) == list(col.vocabulary):
                continue
            out[col.name] = pd.Categorical(nulls_as_none(s), categories=list(col.vocabulary))
        elif col.kind in ("int", "float"):
            dtype = np.int64 if col.kind == "int" and not col.nullable else np.float64
            if s.dtype != dtype:
                out[col.name] = s.astype(dtype)
        elif col.kind == "bool":
            if s.dtype != bool:
                out[col.name] = s.astype(bool)
        elif col.kind in ("date", "month", "datetime"):
            if s.dtype != "datetime64[ns]":
                out[col.name] = pd.to_datetime(s).astype("datetime64[ns]")
        elif s.dtype != object:
            out[col.name] = nulls_as_none(s)
        else:
            missing = s.isna()
            if missing.any() and not s[missing].map(lambda v: v is None).all():
                out[col.name] = nulls_as_none(s, missing)
    return out


def finalize(table: Table, df: pd.DataFrame) -> pd.DataFrame:
    """The validated table with final dtypes and without row bookkeeping."""
    keep = [c for c in df.columns if c not in BOOKKEEPING and not str(c).startswith(UNREADABLE)]
    if len(keep) < len(df.columns):
        df = pd.DataFrame({c: df[c] for c in keep}, index=df.index, copy=False)
    return restore_dtypes(table, df)
