"""Reading a value as its kind in SQL, where the cast agrees with `io.convert`.

A relation (`analysis.scan`) has the contract columns typed for validation:
text VARCHAR, numbers DOUBLE, bool BOOLEAN, dates TIMESTAMP. Over files, a
value is cast in SQL only where the cast provably agrees with `io.convert`
and breaks no rule (a native Parquet type, or a string of a strict ISO or
decimal form: `cast_rules`); every other distinct value is read by
`io.convert` itself. A timestamp with a time zone is first made the
wall-clock time of its zone (`wall_clock_sql`), as `io.convert` reads one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.data import io

# SQL type of each kind in a relation.
SQL_TYPE = {
    "str": "VARCHAR",
    "category": "VARCHAR",
    "float": "DOUBLE",
    "int": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "TIMESTAMP",
    "month": "TIMESTAMP",
    "datetime": "TIMESTAMP",
}
ARROW_TYPE = {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(), "TIMESTAMP": pa.timestamp("us")}


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: object) -> str:
    """A SQL literal of a str or number."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return repr(float(value)) if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------
# reading a value as its kind, in SQL where that is safe


_NULLS = "(" + ", ".join(lit(t) for t in io.NULL_TOKENS) + ")"
NUMERIC = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
)
# Strings whose SQL cast equals io.convert's reading and breaks no rule. Years
# 1900–2099 only (pandas' datetime64[ns] ends in 2262); anything else is read
# by io.convert.
_YEAR = "(19|20)[0-9]{2}"
_ISO_DATE = _YEAR + "-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_ISO_MONTH = _YEAR + "-(0[1-9]|1[0-2])-01"
_ISO_TIME = "[ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?"
_OFFSET = " ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)"
_OFFSET_AFTER_TIME = "([0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?)" + _OFFSET + "$"
_DECIMAL = "-?[0-9]{1,15}(\\.[0-9]{1,15})?"
_GROUPED = "-?[0-9]{1,3}(,[0-9]{3}){1,4}(\\.[0-9]{1,15})?"
_WHOLE = "-?[0-9]{1,15}(\\.0{1,15})?"
_WHOLE_GROUPED = "-?[0-9]{1,3}(,[0-9]{3}){1,4}(\\.0{1,15})?"


def _match(x: str, pattern: str) -> str:
    return f"regexp_full_match({x}, {lit(pattern)})"


def cast_rules(kind: str, src: str, x: str) -> tuple[str, str | None, str | None]:
    """(null, fast, value) SQL for reading column `x` of DuckDB type `src` as `kind`.

    `null`: the value is missing. `fast`: the value is read by `value` and
    breaks no rule; None when no value is (every value goes to io.convert).
    """
    src = src.upper()
    if src == "VARCHAR":
        null = f"({x} IS NULL OR {x} IN {_NULLS})"
        if kind in ("str", "category"):
            return null, "TRUE", x
        if kind in ("float", "int"):
            plain, grouped = (_WHOLE, _WHOLE_GROUPED) if kind == "int" else (_DECIMAL, _GROUPED)
            # At most 15 digits: pandas' to_numeric is not correctly rounded beyond (SQL is).
            fast = (
                f"(({_match(x, plain)} OR {_match(x, grouped)}) "
                f"AND strlen(regexp_replace({x}, '[-.,]', '', 'g')) <= 15)"
            )
            return null, fast, f"CAST(replace({x}, ',', '') AS DOUBLE)"
        if kind == "bool":
            return null, f"{x} IN ('True', 'False', 'true', 'false', '1', '0')", f"{x} IN ('True', 'true', '1')"
        if kind == "date":
            return (
                null,
                f"({_match(x, _ISO_DATE)} AND TRY_CAST({x} AS DATE) IS NOT NULL)",
                f"CAST(TRY_CAST({x} AS DATE) AS TIMESTAMP)",
            )
        if kind == "month":
            return (
                null,
                f"({_match(x, _ISO_MONTH)} AND TRY_CAST({x} AS DATE) IS NOT NULL)",
                f"CAST(TRY_CAST({x} AS DATE) AS TIMESTAMP)",
            )
        if kind == "datetime":
            # An offset after the time is dropped (io.convert: the wall-clock time as written).
            pattern = _ISO_DATE + "(" + _ISO_TIME + "(" + _OFFSET + ")?)?"
            wall = f"CASE WHEN strlen({x}) > 16 THEN regexp_replace({x}, {lit(_OFFSET_AFTER_TIME)}, '\\1') ELSE {x} END"
            return (
                null,
                f"({_match(x, pattern)} AND TRY_CAST({wall} AS TIMESTAMP) IS NOT NULL)",
                f"TRY_CAST({wall} AS TIMESTAMP)",
            )
    if src in ("DOUBLE", "FLOAT"):
        null = f"({x} IS NULL OR isnan({x}))"
        if kind == "float":
            return null, f"NOT isinf({x})", f"CAST({x} AS DOUBLE)"
        if kind == "int":
            return null, f"(NOT isinf({x}) AND {x} = floor({x}))", f"CAST({x} AS DOUBLE)"
        return null, None, None
    null = f"({x} IS NULL)"
    if src in NUMERIC or src.startswith("DECIMAL"):
        if kind == "float" or (kind == "int" and not src.startswith("DECIMAL")):
            return null, "TRUE", f"CAST({x} AS DOUBLE)"
        if kind == "int":
            return null, f"{x} = floor({x})", f"CAST({x} AS DOUBLE)"
        return null, None, None
    if src == "BOOLEAN":
        return null, ("TRUE" if kind == "bool" else None), (x if kind == "bool" else None)
    in_range = f"year({x}) BETWEEN 1678 AND 2261"
    if src == "DATE":
        if kind in ("date", "datetime"):
            return null, in_range, f"CAST({x} AS TIMESTAMP)"
        if kind == "month":
            return null, f"({in_range} AND day({x}) = 1)", f"CAST({x} AS TIMESTAMP)"
        return null, None, None
    if src.startswith("TIMESTAMP") and not zoned(src):
        if kind == "datetime":
            return null, in_range, f"CAST({x} AS TIMESTAMP)"
        if kind == "date":
            return null, f"({in_range} AND {x} = date_trunc('day', {x}))", f"CAST({x} AS TIMESTAMP)"
        if kind == "month":
            return null, f"({in_range} AND {x} = date_trunc('month', {x}))", f"CAST({x} AS TIMESTAMP)"
    return null, None, None


def zoned(src: str) -> bool:
    """Whether DuckDB type `src` is a timestamp with a time zone (TIMESTAMPTZ, TIMESTAMPTZ_NS …)."""
    src = src.upper()
    return "TIME ZONE" in src or src.startswith("TIMESTAMPTZ")


def arrow_tz(path: Path, column: str) -> str | None:
    """The time zone a Parquet file records for a timestamp column (None: naive or unknown)."""
    try:
        field = pq.read_schema(path).field(column)
    except (KeyError, pa.ArrowException, OSError):
        return None
    return getattr(field.type, "tz", None)


def wall_clock_sql(x: str, zones: Sequence[str | None]) -> str:
    """SQL: the TIMESTAMPTZ `x` as the wall-clock TIMESTAMP of its file's zone (`_fi` indexes `zones`).

    The session's zone is UTC, so a plain cast gives UTC; a fixed offset
    (`+08:00`) is added to it, a named zone (`Asia/Shanghai`) converted by
    DuckDB. A file without a zone is read as UTC, as pyarrow reads it.
    """

    def one(tz: str | None) -> str:
        utc = f"CAST({x} AS TIMESTAMP)"
        if tz is None or tz.upper() in ("UTC", "Z", "+00:00", "ETC/UTC"):
            return utc
        m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", tz)
        if m:
            minutes = (int(m.group(2)) * 60 + int(m.group(3))) * (1 if m.group(1) == "+" else -1)
            return f"({utc} + INTERVAL ({minutes}) MINUTE)"
        return f"timezone({lit(tz)}, {x})"

    distinct = list(dict.fromkeys(zones))
    if len(distinct) == 1:
        return one(distinct[0])
    cases = " ".join(f"WHEN {i} THEN {one(tz)}" for i, tz in enumerate(zones))
    return f"(CASE CAST(file_index AS BIGINT) {cases} END)"


def native(kind: str, src: str) -> bool:
    """Whether values of DuckDB type `src` are already of `kind` (checks may compare them as they are)."""
    src = src.upper()
    if kind in ("str", "category"):
        return src == "VARCHAR"
    if kind in ("float", "int"):
        return src in ("DOUBLE", "FLOAT") or src in NUMERIC
    if kind == "bool":
        return src == "BOOLEAN"
    return src == "DATE" or (src.startswith("TIMESTAMP") and not zoned(src))


def to_arrow(values: pd.Series, sql_type: str) -> pa.Array:
    """A column of io's typed values as Arrow of the relation's SQL type."""
    t = ARROW_TYPE[sql_type]
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    if sql_type == "VARCHAR":
        values = io.nulls_as_none(values)
        return pa.array(values.to_numpy(dtype=object), type=t, from_pandas=True)
    if sql_type == "BOOLEAN":
        obj = io.nulls_as_none(values).to_numpy(dtype=object)
        return pa.array(obj, type=t, from_pandas=True)
    if sql_type == "TIMESTAMP":
        return pa.array(pd.to_datetime(values).astype("datetime64[us]").to_numpy(), type=t, from_pandas=True)
    return pa.array(pd.to_numeric(values, errors="coerce").astype(float).to_numpy(), type=t, from_pandas=True)
