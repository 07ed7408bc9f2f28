"""Which rows belong to a branch: one definition for every route.

A row belongs to a branch by its branch key (`Table.branch_key`: its own
`branch_id`, or its customer's), a contact by its campaign, a market row by
its city. Three places select by it, all the same way:

- `BranchRows`: a branch run's rows, chosen on the values as found before
  they are typed (rows of other branches are neither typed nor checked);
- `select_views`: the branch's rows of relations that passed validation
  (`--all-branches` validates the folder once, then prepares each branch);
- `select_branch`: the same over final DataFrames.

Keys are compared as the contract types them, as text: an integer
`customer_id` of a Parquet file is the text `123` (as `io.convert` reads
it), so it matches `123` in a CSV, and a text id keeps its leading zeros
(`000123` is not `123`). Cities are compared without a trailing 市, 县, 区
or 州 (`眉山市` in the market tables is the branch's `眉山`); a market table
with rows but none of the branch's city is recorded as unmatched, with the
cities it does have, so that a skip can name the mismatch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.data import io
from analysis.data.casts import NUMERIC, lit, q
from analysis.data.contract import TABLES

if TYPE_CHECKING:
    from analysis.data.scan import Engine, View

MARKET_TABLES = ("market_survey", "market_share")
#: An administrative suffix dropped from a city's name before comparing (at least two characters stay).
CITY_SUFFIXES = "市县区州"
_CITY = re.compile(rf"^(.{{2,}}?)[{CITY_SUFFIXES}]$")
_CITY_SQL = f"^(.{{2,}}?)[{CITY_SUFFIXES}]$"
#: Cities named in an unmatched market table's note.
CITIES_SHOWN = 8


def city_key(city: object) -> str | None:
    """A city's name as compared: stripped, without a trailing 市/县/区/州 (`眉山市` → `眉山`)."""
    if city is None or (isinstance(city, float) and city != city):
        return None
    s = str(city).strip()
    return _CITY.sub(r"\1", s)


def city_sql(x: str) -> str:
    """SQL of `city_key`."""
    return f"regexp_replace(trim({x}), {lit(_CITY_SQL)}, '\\1')"


def text_sql(x: str, src: str) -> str | None:
    """SQL: the value `x` of DuckDB type `src` as the text `io.convert` reads it as; None: no such text.

    Integers are written without `.0`, a whole float as an integer, a
    decimal with its scale (`123.00`), as `io._as_text` writes them.
    """
    src = src.upper()
    if src == "VARCHAR":
        return x
    if src in NUMERIC or src.startswith("DECIMAL"):
        return f"CAST({x} AS VARCHAR)"
    if src in ("DOUBLE", "FLOAT"):
        return (
            f"(CASE WHEN isnan({x}) THEN NULL WHEN {x} = trunc({x}) AND abs({x}) < 1e37 "
            f"THEN CAST(CAST({x} AS HUGEINT) AS VARCHAR) ELSE CAST({x} AS VARCHAR) END)"
        )
    return None


def _text_array(s: pd.Series) -> pa.Array:
    return pa.array(io._as_text(s).to_numpy(dtype=object), type=pa.string(), from_pandas=True)


class BranchRows:
    """Which rows a branch run reads and checks: its own, and those of no branch.

    A row whose key names nothing known (no branch, no customer, no
    campaign, or none at all) belongs to no branch: it is kept, so that its
    broken key is reported. Rows of other branches are neither typed nor
    checked: a branch run checks the data it analyses (`validate` checks
    every row of the folder).

    The selection is made on the values as found, before they are typed,
    in one SQL predicate for every route (`where`, `mask`); keys are
    compared as text (`text_sql`), whatever type the file stores them in.
    """

    def __init__(self, branch: str, city: str | None, branch_ids: Iterable[str]) -> None:
        self.branch, self.city = branch, city
        self.branch_ids = sorted(set(branch_ids))
        self.keys: dict[str, str] = {}  # "customers"/"campaigns" → relation of (key, branch_id) as text
        self.cities: dict[str, list[str]] = {}  # market table → its cities, as found

    def note_all_keys(self, engine: Engine, name: str, raw: str, src_types: dict[str, str]) -> None:
        """Remember every key of customers/campaigns and the cities of a market
        table (before selection): how an orphan is told apart, and what a
        market table has when the branch's city is not among them."""
        if name in MARKET_TABLES and "city" in src_types:
            city = text_sql("r.city", src_types["city"])
            if city is not None:
                found = engine.sql(f"SELECT DISTINCT {city} FROM {raw} AS r WHERE {city} IS NOT NULL")
                self.cities[name] = sorted(str(c[0]) for c in found)
        key = {"customers": "customer_id", "campaigns": "campaign_id"}.get(name)
        if not key or key not in src_types or "branch_id" not in src_types:
            return
        k, b = text_sql(f"r.{q(key)}", src_types[key]), text_sql("r.branch_id", src_types["branch_id"])
        if k is not None and b is not None:
            rel = engine._name("keys")
            engine.con.execute(f"CREATE TEMP TABLE {rel} AS SELECT {k} AS k, {b} AS b FROM {raw} AS r")
            self.keys[name] = rel

    def note_frame_keys(self, engine: Engine, name: str, df: pd.DataFrame) -> None:
        """`note_all_keys` for a DataFrame as found (io's raw frame)."""
        if name in MARKET_TABLES and "city" in df:
            self.cities[name] = sorted({str(c) for c in io._as_text(df["city"]).dropna()})
        key = {"customers": "customer_id", "campaigns": "campaign_id"}.get(name)
        if key and key in df and "branch_id" in df:
            self.keys[name] = engine.register(
                "keys", pa.table({"k": _text_array(df[key]), "b": _text_array(df["branch_id"])})
            )

    def _of(self, x: str, name: str) -> str:
        """`x` is the key of a row of `name` (customers, campaigns) of the branch, or of none."""
        if name not in self.keys:
            return "TRUE"  # no keys to select by: every row is read (as select_branch would drop them all)
        rel = self.keys[name]
        return (
            f"({x} IN (SELECT k FROM {rel} WHERE b = {lit(self.branch)}) OR {x} IS NULL "
            f"OR {x} NOT IN (SELECT k FROM {rel} WHERE k IS NOT NULL))"
        )

    def where(self, name: str, src_types: dict[str, str]) -> str | None:
        """SQL over the row's values as found (`r.<col>`); None: every row."""

        def text(col: str) -> str | None:
            return text_sql(f"r.{q(col)}", src_types[col]) if col in src_types else None

        key = TABLES[name].branch_key
        if name in MARKET_TABLES:
            city = text("city")
            if city is None or self.city is None:
                return None
            return f"{city_sql(city)} = {lit(city_key(self.city))}"
        if name == "branches":
            return None
        if name == "campaign_contacts":
            x = text("campaign_id")
            return self._of(x, "campaigns") if x is not None and "campaigns" in self.keys else None
        if key == "branch_id" and (x := text("branch_id")) is not None:
            known = ", ".join(lit(b) for b in self.branch_ids) or "NULL"
            return f"({x} = {lit(self.branch)} OR {x} IS NULL OR {x} NOT IN ({known}))"
        if key == "customer_id" and (x := text("customer_id")) is not None and "customers" in self.keys:
            return self._of(x, "customers")
        return None

    def mask(self, engine: Engine, name: str, df: pd.DataFrame) -> np.ndarray | None:
        """`where` on a DataFrame as found (io's raw frame); None: every row."""
        keys = ("branch_id", "customer_id", "campaign_id", "city")
        cols = [c for c in keys if c in df.columns and c in TABLES[name].column_names]
        where = self.where(name, {c: "VARCHAR" for c in cols})
        if where is None:
            return None
        raw = engine.register(
            "rawkeys",
            pa.table({**{c: _text_array(df[c]) for c in cols}, "_i": pa.array(np.arange(len(df), dtype=np.int64))}),
        )
        try:
            return np.asarray(
                engine.arrow(f"SELECT coalesce(({where}), FALSE) AS keep FROM {raw} AS r ORDER BY r._i")
                .column(0)
                .to_numpy(zero_copy_only=False),
                dtype=bool,
            )
        finally:
            engine._unregister(raw)

    def unmatched(self, views: Mapping[str, View]) -> dict[str, dict[str, Any]]:
        """Market tables with rows, but none of the branch's city (`views`: the branch's)."""
        out: dict[str, dict[str, Any]] = {}
        for name in MARKET_TABLES:
            if name in views and views[name].rows == 0 and self.cities.get(name):
                out[name] = unmatched_note(self.city, self.cities[name])
        return out


def unmatched_note(city: str | None, cities: list[str]) -> dict[str, Any]:
    """What a market table has when none of its rows is the branch's city."""
    return {"city": city, "cities": cities[:CITIES_SHOWN], "more": max(0, len(cities) - CITIES_SHOWN)}


def branch_city(eng: Engine, branches: View, branch: str) -> str | None:
    """The branch's city (its first row in `branches`)."""
    if not branches.has("city"):
        return None
    found = eng.sql(f"SELECT city FROM {branches.name} WHERE branch_id = ? ORDER BY _pos LIMIT 1", [branch])
    return None if not found or found[0][0] is None else str(found[0][0])


def select_views(
    eng: Engine, views: Mapping[str, View], branch: str, unmatched: dict[str, dict[str, Any]] | None = None
) -> dict[str, View]:
    """`select_branch` as SQL views: the rows of every table that belong to `branch`.

    `unmatched`, when given, receives the market tables with rows but none
    of the branch's city (`unmatched_note`).
    """
    city = branch_city(eng, views["branches"], branch)
    city_value = lit(city_key(city)) if city is not None else "NULL"
    br = lit(branch)

    def ids(name: str, key: str) -> str:
        v = views.get(name)
        if v is None or not v.has(key, "branch_id"):
            return "(SELECT NULL WHERE FALSE)"
        return f"(SELECT {q(key)} FROM {v.name} WHERE branch_id = {br})"

    out: dict[str, View] = {}
    for name, view in views.items():
        key = TABLES[name].branch_key
        where = None
        if name in MARKET_TABLES:
            where = f"{city_sql('city')} = {city_value}" if view.has("city") else None
        elif name == "campaign_contacts":
            where = f"campaign_id IN {ids('campaigns', 'campaign_id')}"
        elif name == "branches":
            where = None  # kept whole: foreign keys and the branch list refer to it
        elif key == "branch_id" and view.has("branch_id"):
            where = f"branch_id = {br}"
        elif key == "customer_id" and view.has("customer_id"):
            where = f"customer_id IN {ids('customers', 'customer_id')}"
        if where is None:
            out[name] = view
            continue
        rows = int(eng.sql(f"SELECT count(*) FROM {view.name} WHERE {where}")[0][0])
        if rows == 0 and view.rows > 0 and name in MARKET_TABLES and unmatched is not None:
            cities = [
                str(c[0]) for c in eng.sql(f"SELECT DISTINCT city FROM {view.name} WHERE city IS NOT NULL ORDER BY 1")
            ]
            unmatched[name] = unmatched_note(city, cities)
        if rows == view.rows:
            out[name] = view  # all the branch's (its own partition): read as it lies
            continue
        sel = eng._name("sel")
        eng.con.execute(f"CREATE TEMP VIEW {sel} AS SELECT * FROM {view.name} WHERE {where}")
        out[name] = replace(view, name=sel, rows=rows, type_problems=[], parquet=())
    return out


def select_branch(tables: Mapping[str, pd.DataFrame], branch: str) -> dict[str, pd.DataFrame]:
    """The rows of every table that belong to `branch` (and its city), over final DataFrames."""
    out: dict[str, pd.DataFrame] = {}
    branches = tables["branches"]
    row = branches[branches["branch_id"] == branch]
    city = city_key(row["city"].iloc[0]) if len(row) else None
    customers = tables.get("customers")
    ids = set(customers.loc[customers["branch_id"] == branch, "customer_id"]) if customers is not None else set()
    campaigns = tables.get("campaigns")
    campaign_ids = (
        set(campaigns.loc[campaigns["branch_id"] == branch, "campaign_id"]) if campaigns is not None else set()
    )

    def rows(df: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
        # A table that is all the branch's (its own partition) is kept, not copied.
        return df if bool(mask.all()) else df[mask].reset_index(drop=True)

    for name, df in tables.items():
        if name in MARKET_TABLES:
            out[name] = rows(df, df["city"].map(city_key) == city)
        elif name == "campaign_contacts":
            out[name] = rows(df, df["campaign_id"].isin(campaign_ids))
        elif name == "branches":
            out[name] = df  # kept whole: foreign keys and the branch list refer to it
        elif TABLES[name].branch_key == "branch_id" and "branch_id" in df:
            out[name] = rows(df, df["branch_id"] == branch)
        elif TABLES[name].branch_key == "customer_id" and "customer_id" in df:
            out[name] = rows(df, df["customer_id"].isin(ids))
        else:
            out[name] = df
    return out
