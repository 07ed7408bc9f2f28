"""Read a bank's data folder into DataFrames typed as the contract says.

A folder holds one entry per table (DATA.md "Files"): `<table>.csv`,
`<table>.parquet`, `<table>.xlsx` (first sheet) or a folder `<table>/` of
Parquet files, optionally Hive-partitioned by `branch_id`. This module finds
each entry, reads it (detecting UTF-8, UTF-8 with BOM or GB18030/GBK in CSV),
and coerces every contract column to its kind. Values that cannot be read as
their kind become `DataProblem`s with their row numbers; the rules on values
(ranges, vocabularies, keys) are `analysis.validate`'s job.

Every frame returned keeps two bookkeeping columns, `SOURCE_FILE` and
`SOURCE_ROW`, so that a problem found later can name the row as a person
counts it in that file. `analysis.data.dtypes.finalize` drops them.

How a value is read as its kind is defined once, in `convert`; how a
problem names its rows, once, in `render_problem`. `analysis.scan` uses
both for the tables it checks where they lie.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pandas.api.typing import NaTType

from analysis.data.contract import TABLES, Column, Table
from analysis.data.layout import layout_hint, missing_column_problems
from analysis.errors import FIRST_ROWS_SHOWN as FIRST_ROWS
from analysis.errors import DataProblem

SOURCE_FILE = "_source_file"
SOURCE_ROW = "_source_row"
BOOKKEEPING = (SOURCE_FILE, SOURCE_ROW)
# `coerce` adds `UNREADABLE + column` (bool) for a column with values it could
# not read, so that validation does not report them again as missing.
UNREADABLE = "_unreadable:"
# The entry's label (file or folder) in `DataFrame.attrs`: names the file of
# a table that has no rows.
SOURCE_ATTR = "source_file"

# Spellings of "no value" that bank systems and Excel exports write. Not
# "none": that is a value of the vip_tier vocabulary.
NULL_TOKENS = ["", "NULL", "null", "Null", "NaN", "nan", "None", "\\N", "NaT"]
TRUE_TOKENS = {"true", "t", "1", "yes", "y", "是"}
FALSE_TOKENS = {"false", "f", "0", "no", "n", "否"}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig also reads plain UTF-8

Format = Literal["csv", "parquet", "xlsx", "folder"]


@dataclass(frozen=True)
class Source:
    """Where one table lives in a data folder."""

    table: str
    path: Path
    format: Format

    @property
    def partitioned_by_branch(self) -> bool:
        return self.format == "folder" and any(
            p.is_dir() and p.name.startswith("branch_id=") for p in self.path.iterdir()
        )

    def label(self, data_dir: Path | None = None) -> str:
        try:
            return str(self.path.relative_to(data_dir)) if data_dir else self.path.name
        except ValueError:
            return str(self.path)


def find_sources(data_dir: Path) -> tuple[dict[str, Source], list[DataProblem]]:
    """Find the entry of every contract table present in `data_dir`.

    Two entries for one table (say `customers.csv` and `customers.xlsx`) are
    a problem, not a guess: the consultant must say which one is current.
    """
    data_dir = Path(data_dir)
    sources: dict[str, Source] = {}
    problems: list[DataProblem] = []
    for name in TABLES:
        found: list[Source] = []
        for fmt, suffix in (("csv", ".csv"), ("parquet", ".parquet"), ("xlsx", ".xlsx")):
            p = data_dir / f"{name}{suffix}"
            if p.is_file():
                found.append(Source(name, p, fmt))  # type: ignore[arg-type]
        folder = data_dir / name
        if folder.is_dir():
            found.append(Source(name, folder, "folder"))
        if len(found) > 1:
            problems.append(
                DataProblem(
                    name,
                    "more than one file for this table: "
                    + ", ".join(s.path.name for s in found)
                    + "; keep exactly one",
                )
            )
        elif found:
            sources[name] = found[0]
    return sources, problems


# --------------------------------------------------------------------------
# reading raw files


def _read_csv(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    last: Exception | None = None
    for enc in CSV_ENCODINGS:
        try:
            df = pd.read_csv(
                path,
                dtype=str,
                encoding=enc,
                keep_default_na=False,
                na_values=NULL_TOKENS,
                usecols=(lambda c: c in columns) if columns else None,
                low_memory=False,
            )
            df.columns = [str(c).strip() for c in df.columns]
            df[SOURCE_ROW] = np.arange(2, len(df) + 2, dtype=np.int64)  # header is line 1
            return df
        except UnicodeDecodeError as exc:
            last = exc
    raise _Unreadable("cannot decode the file as UTF-8 or GB18030/GBK; save it in one of these encodings") from last


def _read_xlsx(path: Path) -> pd.DataFrame:
    df = pd.read_excel(path, sheet_name=0, dtype=str, na_values=NULL_TOKENS, keep_default_na=False)
    df.columns = [str(c).strip() for c in df.columns]
    df[SOURCE_ROW] = np.arange(2, len(df) + 2, dtype=np.int64)  # header is row 1 of the sheet
    return df


def _arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    # Dates and timestamps become datetime64 here rather than objects.
    df: pd.DataFrame = table.to_pandas(date_as_object=False, ignore_metadata=True)
    return df


def _read_parquet_file(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    schema = pq.read_schema(path)
    cols = [c for c in columns if c in schema.names] if columns else None
    df = _arrow_to_pandas(pq.read_table(path, columns=cols))
    df[SOURCE_ROW] = np.arange(1, len(df) + 1, dtype=np.int64)
    return df


def _parquet_files(folder: Path, branch_ids: Iterable[str] | None) -> list[tuple[Path, str | None]]:
    """Parquet files under `folder`, with the branch their partition names.

    With `branch_ids`, a Hive-partitioned folder yields only those branches'
    files: a branch run never opens another branch's partition.
    """
    wanted = set(branch_ids) if branch_ids is not None else None
    out: list[tuple[Path, str | None]] = []
    for f in sorted(folder.rglob("*.parquet")):
        branch = None
        for part in f.relative_to(folder).parts[:-1]:
            if part.startswith("branch_id="):
                branch = part.split("=", 1)[1]
        if wanted is not None and branch is not None and branch not in wanted:
            continue
        out.append((f, branch))
    return out


def read_raw(
    source: Source,
    data_dir: Path | None = None,
    branch_ids: Iterable[str] | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """Read one table's entry as found, with row bookkeeping; no coercion.

    Raises `_Unreadable` (turned into a DataProblem by `read_table`) when the
    file cannot be read at all.
    """
    try:
        if source.format == "csv":
            df = _read_csv(source.path, columns)
            df[SOURCE_FILE] = source.label(data_dir)
        elif source.format == "xlsx":
            df = _read_xlsx(source.path)
            df[SOURCE_FILE] = source.label(data_dir)
        elif source.format == "parquet":
            df = _read_parquet_file(source.path, columns)
            df[SOURCE_FILE] = source.label(data_dir)
        else:
            parts = []
            for f, branch in _parquet_files(source.path, branch_ids):
                label = str(f.relative_to(data_dir)) if data_dir else str(f)
                try:
                    part = _read_parquet_file(f, columns)
                except (pa.ArrowException, OSError, ValueError, KeyError) as exc:
                    # Name the part that failed, not only its folder.
                    raise _Unreadable(f"cannot read the file: {exc}", file=label) from exc
                if branch is not None and "branch_id" not in part.columns:
                    part["branch_id"] = branch
                part[SOURCE_FILE] = label
                parts.append(part)
            if not parts:
                # No file (or none of the branch's partitions): an empty table
                # with the contract's columns, not a table missing every column.
                df = pd.DataFrame({c: pd.Series(dtype=object) for c in TABLES[source.table].column_names})
                df[SOURCE_ROW] = pd.Series(dtype=np.int64)
                df[SOURCE_FILE] = pd.Series(dtype=object)
            else:
                df = pd.concat(parts, ignore_index=True)
    except _Unreadable:
        raise
    except (pa.ArrowException, OSError, ValueError, KeyError) as exc:
        raise _Unreadable(f"cannot read the file: {exc}") from exc
    except Exception as exc:  # openpyxl, csv parser: any failure to read is the file's
        raise _Unreadable(f"cannot read the file: {type(exc).__name__}: {exc}") from exc
    df[SOURCE_FILE] = df[SOURCE_FILE].astype("category")
    if df.empty:
        # Only an empty table needs it (rows name their files); pandas deep-copies
        # attrs on every operation, so a table with rows does not carry it.
        df.attrs[SOURCE_ATTR] = source.label(data_dir)
    return df


def file_label(df: pd.DataFrame) -> str | None:
    """The file (or folder) a table was read from, also when it has no rows."""
    if df.attrs.get(SOURCE_ATTR):
        return str(df.attrs[SOURCE_ATTR])
    if SOURCE_FILE in df and len(df):
        return str(df[SOURCE_FILE].iloc[0])
    return None


class _Unreadable(Exception):
    def __init__(self, message: str, file: str | None = None) -> None:
        super().__init__(message)
        self.file = file  # the failing file inside a folder entry, if known


# --------------------------------------------------------------------------
# coercion to the contract's kinds


def _null_mask(s: pd.Series) -> pd.Series:
    m = s.isna()
    if s.dtype == object:
        m |= s.isin(NULL_TOKENS)
    return m


def nulls_as_none(s: pd.Series, null: pd.Series | np.ndarray | None = None) -> pd.Series:
    """`s` as Python objects, None where it is null (`null`: which values are; by default `s.isna()`)."""
    keep = s.notna() if null is None else ~null
    # pandas-stubs: Series.where's `other` leaves out None, which pandas takes (and the point here)
    out: pd.Series = s.astype(object).where(keep, None)  # type: ignore[call-overload]
    return out


def _as_text(s: pd.Series) -> pd.Series:
    """Values as strings, nulls as None; integers written without '.0'."""
    if pd.api.types.is_integer_dtype(s):
        return nulls_as_none(s.astype("Int64")).map(lambda v: None if v is None else str(v))
    if pd.api.types.is_float_dtype(s):

        def fmt(v: float) -> str | None:
            if pd.isna(v):
                return None
            return str(int(v)) if float(v).is_integer() else repr(v)

        return s.map(fmt).astype(object)
    out = nulls_as_none(s, _null_mask(s))
    if pd.api.types.infer_dtype(out, skipna=True) in ("string", "empty"):
        return out  # already text (every CSV column): no per-value Python call on millions of rows
    return out.map(lambda v: v if v is None or isinstance(v, str) else str(v))


def _files_of(source: pd.Series, idx: np.ndarray) -> list[str]:
    """The distinct files of rows `idx`; cheap on millions of rows (categorical codes)."""
    if isinstance(source.dtype, pd.CategoricalDtype):
        codes = source.cat.codes.to_numpy()[idx]
        return [str(source.cat.categories[c]) for c in pd.unique(codes) if c >= 0]
    return [str(f) for f in pd.unique(source.iloc[idx].astype(str))]


def render_problem(
    table: str,
    rule: str,
    column: str | None,
    count: int,
    first_files: Sequence[str | None],
    first_rows: list[int],
    all_files: list[str],
    examples: tuple[str, ...] = (),
    fallback_file: str | None = None,
) -> DataProblem:
    """The one way a problem names its rows, whichever engine found them.

    `first_files`/`first_rows`: the file and row (as a person counts it) of
    the first broken rows; `all_files`: every file with a broken row. When
    the rows come from several files (a partitioned folder), each row names
    its file.
    """
    file: str | None
    if len(all_files) > 1:
        rows = tuple(f"{f} row {r}" for f, r in zip(first_files, first_rows))
        file = ", ".join(sorted(all_files)[:3]) + (" …" if len(all_files) > 3 else "")
    else:
        rows = tuple(f"row {r}" for r in first_rows)
        file = all_files[0] if len(all_files) else fallback_file
    return DataProblem(table, rule, file=file, column=column, count=count, rows=rows, examples=examples)


def problem_for_rows(
    table: str,
    df: pd.DataFrame,
    mask: pd.Series | np.ndarray,
    rule: str,
    column: str | None = None,
    values: pd.Series | None = None,
) -> DataProblem:
    """A DataProblem for the rows of `df` where `mask` is true.

    Rows are named as a person counts them in the file; when the rows come
    from several files (a partitioned folder), each row names its file.
    """
    mask = np.asarray(mask, dtype=bool)
    idx = np.flatnonzero(mask)
    count = int(idx.size)
    first = idx[:FIRST_ROWS]
    files = df[SOURCE_FILE].iloc[first].astype(str).tolist() if SOURCE_FILE in df else []
    lines = df[SOURCE_ROW].iloc[first].tolist() if SOURCE_ROW in df else (first + 1).tolist()
    all_files = _files_of(df[SOURCE_FILE], idx) if SOURCE_FILE in df and count else []
    examples: tuple[str, ...] = ()
    if values is not None:
        examples = tuple(str(v) for v in values.iloc[first].tolist())
    return render_problem(table, rule, column, count, files, lines, all_files, examples, file_label(df))


# The rules on reading a value as its kind, in the order they are reported.
# `convert` flags each value under at most one of its kind's rules.
_WHAT = {
    "date": "an ISO date (YYYY-MM-DD)",
    "month": "a month (YYYY-MM-01 or YYYY-MM)",
    "datetime": "an ISO date-time (YYYY-MM-DD HH:MM:SS)",
}
INCOMPLETE_DATE = "an incomplete date (a year, or a year and month, without the day); give the full date (YYYY-MM-DD)"
INCOMPLETE_MONTH = "a year without its month; give the month (YYYY-MM-01 or YYYY-MM)"
TYPE_RULES: dict[str, tuple[str, ...]] = {
    "str": (),
    "category": (),
    "date": (f"not {_WHAT['date']}", INCOMPLETE_DATE, "a date with a time of day; give the date only"),
    "month": (f"not {_WHAT['month']}", INCOMPLETE_MONTH, "month must be the first day of the month (YYYY-MM-01)"),
    "datetime": (f"not {_WHAT['datetime']}", INCOMPLETE_DATE),
    "float": ("not a number",),
    "int": ("not a number", "not a whole number"),
    "bool": ("not true/false",),
}

# ISO 8601's reduced precision: a year (`1996`) or a year and month (`1996-03`),
# which pandas would read as the first day of that year or month.
_YEAR_ONLY = r"\s*\d{4}\s*"
_YEAR_MONTH = r"\s*\d{4}-?\d{1,2}\s*"
# A UTC offset (`Z`, `+08:00`, `+0800`, `+08`) after a time of day.
_OFFSET = r"(\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"


def _wall_clock(txt: pd.Series) -> pd.Series:
    """Date-times written with a UTC offset, as the wall-clock time they state.

    `2024-03-31T10:00:00+08:00` is read as 2024-03-31 10:00:00: the bank's
    local time, the offset dropped, never shifted to UTC (the contract's
    times are the branch's own wall-clock times, so a file that spells out
    its offset means the same instant-free time as one that does not).
    """
    long = txt.str.len() > 16  # no offset fits in a shorter value: leave those untouched
    if not long.any():
        return txt
    out = txt.copy()
    out[long] = txt[long].str.replace(_OFFSET, r"\1", regex=True)
    return out


def _parse_datetimes(txt: pd.Series) -> pd.Series:
    """ISO 8601 text as naive datetime64[ns]; unreadable values NaT (never an exception)."""
    try:
        out = pd.to_datetime(_wall_clock(txt), format="ISO8601", errors="coerce")
    except (ValueError, TypeError, OverflowError):
        # A mix pandas refuses as a whole: value by value, each unreadable one NaT.
        out = pd.Series([_one_datetime(v) for v in txt], index=txt.index, dtype="datetime64[ns]")
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out.astype("datetime64[ns]")


def _one_datetime(v: object) -> pd.Timestamp | NaTType:
    if not isinstance(v, str):
        return pd.NaT
    try:
        ts = pd.Timestamp(pd.to_datetime(_wall_clock(pd.Series([v])).iloc[0], format="ISO8601"))
    except (ValueError, TypeError, OverflowError):
        return pd.NaT
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


def convert(kind: str, raw: pd.Series) -> tuple[pd.Series, list[np.ndarray]]:
    """Values of `raw` read as `kind`, and per rule of `TYPE_RULES[kind]` the
    mask of values broken under it (those values become null).

    The one definition of how a value is read: `coerce` applies it to a
    column, `analysis.scan` to the distinct values of a column it cannot
    cast in SQL outright. Integers stay float64 (nulls survive until
    validation); bools are objects (True/False/None).

    Dates and times (ISO 8601): a date is a full date (`1996` or `1996-03`
    is an incomplete date, not the first of January or March); a month is
    `YYYY-MM-01` or `YYYY-MM`. A date-time with a UTC offset
    (`2024-03-31T10:00:00+08:00`, `…Z`) is the bank's local wall-clock time
    it states: the offset is dropped, the time is never shifted to UTC. A
    timezone-aware timestamp (Parquet) likewise gives the wall-clock time
    in the zone it carries.
    """
    null = _null_mask(raw).to_numpy()

    if kind in ("str", "category"):
        return _as_text(raw), []

    if kind in ("date", "month", "datetime"):
        incomplete = np.zeros(len(raw), dtype=bool)
        if pd.api.types.is_datetime64_any_dtype(raw):
            out = raw
            if getattr(out.dt, "tz", None) is not None:
                out = out.dt.tz_localize(None)  # the wall-clock time in the value's own zone
            out = out.astype("datetime64[ns]")
        else:
            txt = _as_text(raw)
            out = _parse_datetimes(txt)
            partial = _YEAR_ONLY if kind == "month" else f"(?:{_YEAR_ONLY}|{_YEAR_MONTH})"
            incomplete = txt.str.fullmatch(partial, na=False).to_numpy(dtype=bool)
        known = out.notna().to_numpy()
        failed = ~known & ~null
        incomplete &= known
        if kind == "date":
            timed = known & ~incomplete & (out != out.dt.normalize()).to_numpy()
            broken = [failed, incomplete, timed]
        elif kind == "month":
            mid = known & ~incomplete & ((out.dt.day != 1) | (out != out.dt.normalize())).to_numpy()
            broken = [failed, incomplete, mid]
        else:
            broken = [failed, incomplete]
        bad = np.logical_or.reduce(broken[1:])
        if bad.any():
            out = out.where(~bad)  # a value that breaks a rule of its kind is not read
        return out, broken

    if kind in ("float", "int"):
        if pd.api.types.is_bool_dtype(raw) or pd.api.types.is_numeric_dtype(raw):
            num = raw.astype(float)
        else:
            txt = _as_text(raw)
            num = pd.to_numeric(txt, errors="coerce").astype(float)
            # Thousands separators ("1,234.5"): only the values that did not parse
            # are retried, so a clean column of millions costs no per-value Python.
            retry = num.isna() & txt.notna()
            if retry.any():
                num[retry] = pd.to_numeric(txt[retry].str.replace(",", "", regex=False), errors="coerce")
        failed = ((num.isna() & ~null) | np.isinf(num)).to_numpy()
        if failed.any():
            num = num.where(~failed)
        if kind == "float":
            return num, [failed]
        frac = (num.notna() & (num != np.floor(num))).to_numpy()
        if frac.any():
            num = num.where(~frac)
        return num, [failed, frac]

    if kind == "bool":
        if pd.api.types.is_bool_dtype(raw):
            return nulls_as_none(raw), [np.zeros(len(raw), dtype=bool)]
        txt = _as_text(raw)
        low = txt.str.strip().str.lower()  # vectorised: a bool column may have 24M rows
        is_true, is_false = low.isin(TRUE_TOKENS).to_numpy(), low.isin(FALSE_TOKENS).to_numpy()
        values = np.full(len(raw), None, dtype=object)
        values[is_false] = False
        values[is_true] = True
        out = pd.Series(values, index=raw.index, dtype=object)
        return out, [~(is_true | is_false) & txt.notna().to_numpy()]

    raise AssertionError(f"unknown kind {kind}")


def _coerce_column(table: Table, df: pd.DataFrame, col: Column) -> tuple[pd.Series, list[DataProblem]]:
    raw = df[col.name]
    out, broken = convert(col.kind, raw)
    problems = [
        problem_for_rows(table.name, df, mask, rule, column=col.name, values=raw)
        for rule, mask in zip(TYPE_RULES[col.kind], broken)
        if mask.any()
    ]
    return out, problems


def coerce(
    table: Table, df: pd.DataFrame, layout: Callable[[], str | None] | None = None
) -> tuple[pd.DataFrame, list[DataProblem]]:
    """Type every contract column; report missing columns and unreadable values.

    Extra columns are kept as read (the contract says they are ignored).
    Integers stay float64 here so that nulls survive until validation has
    reported them; `analysis.data.dtypes.finalize` gives the final dtypes.
    `layout()`: what the file's layout says when columns are missing
    (`analysis.data.layout.layout_hint`).
    """
    missing = [c.name for c in table.columns if c.name not in df.columns]
    label = file_label(df)
    found = [str(c) for c in df.columns if c not in BOOKKEEPING]
    hint = layout() if missing and layout is not None else None
    problems = missing_column_problems(table, missing, found, label, hint)
    out = df.copy()
    for col in table.columns:
        if col.name in missing:
            continue
        out[col.name], unread = _coerce_column(table, df, col)
        if unread:
            # Values given but not readable as their kind are now null.
            out[UNREADABLE + col.name] = out[col.name].isna().to_numpy() & ~_null_mask(df[col.name]).to_numpy()
        problems.extend(unread)
    return out, problems


def read_table(
    data_dir: Path,
    source: Source,
    branch_ids: Iterable[str] | None = None,
    rows: Callable[[pd.DataFrame], np.ndarray | None] | None = None,
) -> tuple[pd.DataFrame | None, list[DataProblem]]:
    """Read and coerce one table; `None` with a problem when unreadable.

    `rows(raw)`: the rows to keep (a mask over the values as found, or None
    for all), chosen before any value is typed or checked.
    """
    table = TABLES[source.table]
    try:
        raw = read_raw(source, data_dir, branch_ids=branch_ids)
    except _Unreadable as exc:
        return None, [DataProblem(table.name, str(exc), file=exc.file or source.label(data_dir))]
    if rows is not None and len(raw):
        keep = rows(raw)
        if keep is not None and not keep.all():
            label = file_label(raw)
            raw = raw[keep].reset_index(drop=True)
            if raw.empty:
                raw.attrs[SOURCE_ATTR] = label
    return coerce(table, raw, layout=lambda: layout_hint(source.path, source.format, table))
