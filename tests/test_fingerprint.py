"""The data fingerprint: equal data, equal hash, however it is typed or ordered."""

import hashlib

import numpy as np
import pandas as pd

from analysis.data.contract import TABLES
from analysis.data.fingerprint import table_digest


def _digest_as_strings(name: str, df: pd.DataFrame) -> str:
    """The digest's definition, spelt out: categoricals as their strings, rows hashed, sorted."""
    cols = [c for c in TABLES[name].column_names if c in df.columns]
    part = df[cols].astype({c: object for c in cols if isinstance(df[c].dtype, pd.CategoricalDtype)})
    rows = np.sort(pd.util.hash_pandas_object(part, index=False).to_numpy(dtype=np.uint64))
    h = hashlib.sha256()
    h.update(name.encode())
    h.update(",".join(cols).encode())
    h.update(rows.tobytes())
    return h.hexdigest()


def test_digest_is_the_definition_and_ignores_row_order_and_extra_columns():
    df = pd.DataFrame(
        {
            "txn_id": [f"t{i:03d}" for i in range(50)],
            "customer_id": ["c1", "c2"] * 25,
            "ts": pd.date_range("2026-01-01", periods=50, freq="h"),
            "amount": np.arange(50) * 1.5 + 1,
            "direction": pd.Categorical(["credit", "debit"] * 25, categories=["credit", "debit"]),
            "channel": pd.Categorical(["atm"] * 50, categories=["counter", "atm", "mobile", "online", "pos"]),
            "category": pd.Categorical(["cash"] * 50),
            "extra": 1,
        }
    )
    d = table_digest("transactions", df)
    assert d == _digest_as_strings("transactions", df)
    assert table_digest("transactions", df.sample(frac=1, random_state=1).drop(columns="extra")) == d
    assert table_digest("transactions", [df.iloc[:17], df.iloc[17:0], df.iloc[17:]]) == d  # in pieces
    changed = df.copy()
    changed.loc[7, "amount"] += 0.01
    assert table_digest("transactions", changed) != d
