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


def test_digest_is_defined_on_values_not_on_how_they_are_stored():
    """−0.0 is 0.0, every NaN the same, and a decimal the float it reads as (issue 17)."""
    import decimal

    df = pd.DataFrame(
        {
            "customer_id": ["c1", "c2", "c3"],
            "month": pd.to_datetime(["2026-01-01"] * 3),
            "deposit_balance": [0.0, 12.5, 0.1],
            "loan_balance": [0.0, 0.0, 0.0],
            "wealth_aum": [1.0, 2.0, 3.0],
            "products_held": np.array([1, 2, 3], dtype=np.int64),
            "txn_count": np.array([0, 5, 9], dtype=np.int64),
            "digital_active": [True, False, True],
            "revenue": [-0.0 + 0.0, 3.25, np.nan],
        }
    )
    d = table_digest("monthly_snapshots", df)
    negative_zero = df.assign(revenue=[-0.0, 3.25, np.nan], loan_balance=[-0.0, 0.0, -0.0])
    assert np.signbit(negative_zero["revenue"].iloc[0])
    assert table_digest("monthly_snapshots", negative_zero) == d
    other_nan = df.copy()
    other_nan["revenue"] = np.array([0.0, 3.25, np.array([0x7FF8DEADBEEF0001], dtype=np.uint64).view(np.float64)[0]])
    assert np.isnan(other_nan["revenue"].iloc[2])
    assert table_digest("monthly_snapshots", other_nan) == d
    as_decimal = df.assign(deposit_balance=[decimal.Decimal("-0.00"), decimal.Decimal("12.50"), decimal.Decimal("0.1")])
    assert table_digest("monthly_snapshots", as_decimal) == d
    # and a changed value is still another digest
    assert table_digest("monthly_snapshots", df.assign(revenue=[0.0, 3.26, np.nan])) != d


def test_the_digest_of_data_without_negative_zeros_is_unchanged():
    """The values' definition changes no digest of data that has no −0.0 or odd NaN."""
    df = pd.DataFrame(
        {"campaign_id": ["a", "b"], "cost": [0.0, np.nan], "start_date": pd.to_datetime(["2026-01-01"] * 2)}
    )
    assert table_digest("campaigns", df) == _digest_as_strings("campaigns", df)
