"""Relations back to pandas: Arrow tables as DataFrames of the contract's dtypes.

What `analysis.scan.Engine.to_pandas` and a prepared bank (`Bank.open`)
read through: without per-value Python work, one Python string per distinct
text value, each Arrow column let go as soon as it is converted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.data import io
from analysis.data.contract import Column, Table


def read_frame(path: str | Path, table: Table) -> pd.DataFrame:
    """A validated table saved as Parquet (`Bank.save`), read with its final dtypes.

    What `dtypes.restore_dtypes(pd.read_parquet(path))` gives, in about
    half the memory and time: repeated strings come as the file's
    dictionaries and are decoded once, and each Arrow column is let go as
    soon as it is converted. Extra columns are read as pandas would.
    """
    names = [c for c in pq.read_schema(path).names if not c.startswith("__index_level_")]
    cols = [c for c in names if c in table.column_names]  # in the file's order
    dictionary = [c for c in cols if table.column(c).kind in ("str", "category") and not table.column(c).unique]
    df = arrow_frame(table, pq.read_table(path, columns=cols, read_dictionary=dictionary), final=True)
    extra = [c for c in names if c not in table.column_names]
    if not extra:
        return df
    rest = pd.read_parquet(path, columns=extra)
    return pd.DataFrame({c: df[c] if c in df else rest[c] for c in names}, copy=False)


def arrow_frame(table: Table, t: pa.Table, final: bool) -> pd.DataFrame:
    """An Arrow table of a relation's columns as a DataFrame, without per-value Python work
    (but one Python string per distinct text value); each Arrow column is let go once converted."""
    n = t.num_rows
    columns = {name: t.column(name) for name in t.column_names}
    del t
    out: dict[str, object] = {}
    for name in list(columns):
        a = columns.pop(name)
        if name in table.column_names:
            out[name] = column_to_pandas(table.column(name), a, final)
        elif name.startswith(io.UNREADABLE):
            if pc.any(a).as_py():
                out[name] = a.to_numpy(zero_copy_only=False)
        elif name == "_source_file":
            out[io.SOURCE_FILE] = pd.Categorical(_text(a)) if len(a) else pd.Categorical([])
        elif name == "_source_row":
            out[io.SOURCE_ROW] = a.to_numpy().astype(np.int64)
        del a
    return pd.DataFrame(out, index=pd.RangeIndex(n), copy=False)


def _text(a: pa.ChunkedArray) -> np.ndarray:
    """Strings as an object array; the values of a dictionary column are made once each."""
    if pa.types.is_dictionary(a.type):
        a = a.unify_dictionaries() if isinstance(a, pa.ChunkedArray) and a.num_chunks > 1 else a
        chunks = a.chunks if isinstance(a, pa.ChunkedArray) else [a]
        if not chunks:
            return np.array([], dtype=object)
        words = np.empty(len(chunks[0].dictionary) + 1, dtype=object)
        words[:-1] = chunks[0].dictionary.to_pylist()
        words[-1] = None
        idx = np.concatenate(
            [c.indices.fill_null(len(words) - 1).to_numpy(zero_copy_only=False).astype(np.int64) for c in chunks]
        )
        text: np.ndarray = words[idx]
        return text
    values: np.ndarray = a.to_numpy(zero_copy_only=False)  # pyarrow has no type information
    return values.astype(object, copy=False)


def column_to_pandas(col: Column, a: pa.ChunkedArray, final: bool) -> pd.Series | np.ndarray | pd.Categorical:
    """One Arrow column as the contract's pandas dtype (`final`: validation has passed)."""
    # pyarrow has no type information: its arrays are named here as what they are
    v: np.ndarray
    if col.kind in ("date", "month", "datetime"):
        v = pc.cast(a, pa.timestamp("ns")).to_numpy(zero_copy_only=False)
        return v.astype("datetime64[ns]")
    if col.kind in ("float", "int"):
        if final and col.kind == "int" and not col.nullable and pa.types.is_integer(a.type):
            v = a.to_numpy(zero_copy_only=False)
            return v.astype(np.int64)
        v = pc.cast(a, pa.float64()).to_numpy(zero_copy_only=False)
        return v.astype(np.int64) if final and col.kind == "int" and not col.nullable else v
    if col.kind == "bool":
        if final:
            v = a.to_numpy(zero_copy_only=False)
            return v.astype(bool)
        return io.nulls_as_none(pd.Series(a.to_pandas())).to_numpy()
    if col.kind == "category" and final:
        if len(a) == 0:
            return pd.Categorical([], categories=list(col.values or ()))
        enc = a if pa.types.is_dictionary(a.type) else pc.dictionary_encode(a)
        enc = enc.unify_dictionaries() if isinstance(enc, pa.ChunkedArray) and enc.num_chunks > 1 else enc
        chunks = enc.chunks if isinstance(enc, pa.ChunkedArray) else [enc]
        words = chunks[0].dictionary.to_pylist()
        # codes of the contract's vocabulary (validation has passed: every word is in it)
        vocabulary = list(col.vocabulary)
        recode = np.array([vocabulary.index(w) if w in vocabulary else -1 for w in words] + [-1], dtype=np.int64)
        idx = np.concatenate(
            [c.indices.fill_null(len(words)).to_numpy(zero_copy_only=False).astype(np.int64) for c in chunks]
        )
        return pd.Categorical.from_codes(recode[idx], categories=pd.Index(vocabulary))
    if not final or col.unique or pa.types.is_dictionary(a.type):
        return _text(a)
    # Repeated strings (customer_id in transactions): one Python string per distinct value.
    return _text(pc.dictionary_encode(a))
