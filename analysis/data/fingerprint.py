"""A fingerprint of the data a branch run read: equal data, equal hash.

The hash covers the contract columns of every table of the branch, as typed
values, independent of row order, file format and extra columns: the same
rows exported as GBK CSV or as Parquet give the same fingerprint; one
changed value gives another.

It is defined on values, not on how a value is stored: −0.0 is 0.0, every
missing number is the same NaN, and a number stored as a decimal
(`decimal.Decimal`, Parquet DECIMAL) is hashed as the float it reads as, so
the same figures re-exported as DECIMAL, or written `-0.00` by one system
and `0.00` by another, keep the fingerprint. (Data without a −0.0 or an
odd NaN hash as they always did.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analysis.data.contract import TABLES


def table_digest(name: str, frames: pd.DataFrame | Iterable[pd.DataFrame]) -> str:
    """The digest of one table, given whole or in pieces (the same either way)."""
    frames = [frames] if isinstance(frames, pd.DataFrame) else frames
    cols, parts = None, []
    for df in frames:
        if cols is None:
            cols = [c for c in TABLES[name].column_names if c in df.columns] if name in TABLES else sorted(df.columns)
        # Same hashes either way; pandas' default first factorizes string columns,
        # which costs 7 s on 5 million unique txn_ids, for nothing. Categoricals
        # hash through their categories to the values their strings would give.
        values = _by_value(df[cols], name)
        parts.append(pd.util.hash_pandas_object(values, index=False, categorize=False).to_numpy(dtype=np.uint64))
    rows = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
    rows.sort()  # row order is not data
    h = hashlib.sha256()
    h.update(name.encode())
    h.update(",".join(cols or []).encode())
    h.update(rows.tobytes())
    return h.hexdigest()


_NAN = np.array([np.nan]).view(np.uint64)[0]  # the NaN every missing number is hashed as


def _by_value(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """The columns to hash, each number by its value: floats without −0.0 or
    NaN payloads, decimals as the floats they read as (contract number
    columns only; a frame already so is returned as it is, not copied)."""
    kinds = {c.name: c.kind for c in TABLES[name].columns} if name in TABLES else {}
    fixed: dict[str, pd.Series] = {}
    for c in df.columns:
        s = df[c]
        if s.dtype == object and kinds.get(c) in ("float", "int"):
            s = pd.to_numeric(s, errors="coerce").astype(np.float64)  # Decimal('1.50') is 1.5
        if pd.api.types.is_float_dtype(s.dtype):
            v = s.to_numpy(dtype=np.float64)
            zero, nan = v == 0, np.isnan(v)
            if (zero & np.signbit(v)).any() or (nan.any() and (v[nan].view(np.uint64) != _NAN).any()):
                v = np.where(zero, 0.0, v)  # −0.0 → 0.0
                v[nan] = np.nan  # one NaN
                s = pd.Series(v, index=s.index, name=c)
        if s is not df[c]:
            fixed[c] = s
    return df.assign(**fixed) if fixed else df


def data_fingerprint(tables: Mapping[str, pd.DataFrame | Iterable[pd.DataFrame]]) -> str:
    """sha256 over the digests of every table present, by table name."""
    h = hashlib.sha256()
    for name in sorted(tables):
        h.update(table_digest(name, tables[name]).encode())
    return "sha256:" + h.hexdigest()[:32]
