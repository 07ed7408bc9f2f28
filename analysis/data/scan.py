"""Tables as DuckDB relations: big tables checked where they lie, small ones alike.

Every rule of the contract is checked in SQL (`analysis.validate`) over one
relation per table, whatever the table was read from:

- a DataFrame that `analysis.io` has read and typed (`Engine.add_frame`):
  the small tables, and every table of an Excel file;
- the table's own files (`Engine.add_files`): Parquet files (one, or a
  folder, Hive-partitioned or not) are scanned by DuckDB in place, streaming,
  never materialised in pandas; a CSV file is read by pyarrow into Arrow
  strings (streamed to a temporary Parquet file when it is very large). This
  is how `transactions`, `monthly_snapshots` and any table with more than
  `SCAN_ROWS` rows (or a CSV above `SCAN_CSV_BYTES`) are checked.

A relation has the contract columns typed for validation (text VARCHAR,
numbers DOUBLE, bool BOOLEAN, dates TIMESTAMP), `_unreadable:<col>` (a value
was given but cannot be read as its kind), `_source_file`, `_source_row` (as
a person counts rows in that file) and `_pos` (the order of rows).

Reading a value as its kind has one definition, `io.convert`. Over files, a
value is cast in SQL only where the cast provably agrees with `io.convert`
and breaks no rule (a native Parquet type, or a string of a strict ISO or
decimal form: `analysis.data.casts`); every other distinct value of the column is read by
`io.convert` itself, and the relation joins that mapping. So both routes
report the same problems with the same rows.
"""

from __future__ import annotations

import csv
import mmap
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from analysis.data import io
from analysis.data.casts import (
    SQL_TYPE,
    arrow_tz,
    cast_rules,
    lit,
    native,
    q,
    to_arrow,
    wall_clock_sql,
    zoned,
)
from analysis.data.contract import TABLES, Column, Table
from analysis.data.frames import arrow_frame
from analysis.data.layout import layout_hint, missing_column_problems
from analysis.errors import FIRST_ROWS_SHOWN, DataProblem

if TYPE_CHECKING:
    from analysis.data.selection import BranchRows

#: Tables always checked over their files (the large tables of DATA.md).
ALWAYS_SCANNED = ("transactions", "monthly_snapshots")
#: Any other Parquet table with more rows than this is checked over its files.
SCAN_ROWS = 1_000_000
#: Any other CSV file larger than this (bytes) is checked over its file.
SCAN_CSV_BYTES = 8 * 2**20
#: A CSV larger than this is streamed to a temporary Parquet file rather than held in memory.
CSV_IN_MEMORY_BYTES = 512 * 2**20
#: DuckDB's memory budget; beyond it, joins and aggregates spill to disk.
MEMORY_LIMIT = os.environ.get("QVSRS_DUCKDB_MEMORY", "2GB")


def scanned(source: io.Source, engine: str = "auto") -> bool:
    """Whether `source` is checked over its files rather than read into pandas first."""
    if source.format == "xlsx" or engine == "pandas":
        return False
    if engine == "duckdb" or source.table in ALWAYS_SCANNED:
        return True
    if source.format == "csv":
        return source.path.stat().st_size > SCAN_CSV_BYTES
    try:
        files = [source.path] if source.format == "parquet" else sorted(source.path.rglob("*.parquet"))
        return int(sum(pq.read_metadata(f).num_rows for f in files)) > SCAN_ROWS
    except Exception:  # unreadable: the pandas route names the file
        return False


class _NoContractColumns(Exception):
    """A CSV whose header has none of the table's columns."""


def _hint(source: io.Source, table: Table, src_types: dict[str, str]) -> str | None:
    """What the file's layout says when contract columns are missing (`layout.layout_hint`)."""
    if all(c in src_types for c in table.column_names):
        return None
    return layout_hint(source.path, source.format, table)


# --------------------------------------------------------------------------
# relations


@dataclass
class View:
    """One table as a relation of the engine."""

    table: Table
    name: str  # SQL relation name
    columns: tuple[str, ...]  # contract columns present, in contract order
    rows: int
    label: str | None  # the file named when a problem has no rows (io.file_label)
    multi_file: bool  # rows may come from several files
    type_problems: list[DataProblem] = field(default_factory=list)
    # Parquet files whose contract columns are the relation's columns as they
    # are (no cast, no mapping, every row kept): pyarrow reads them directly.
    parquet: tuple[Path, ...] = ()

    @property
    def present(self) -> set[str]:
        return set(self.columns)

    def has(self, *cols: str) -> bool:
        return all(c in self.columns for c in cols)


class Engine:
    """A DuckDB connection holding one relation per table."""

    def __init__(self, memory_limit: str = MEMORY_LIMIT, threads: int | None = None) -> None:
        self._tmp = Path(tempfile.mkdtemp(prefix="qvsrs-scan-"))
        # Spill files go with the engine, also when the interpreter exits first.
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(self._tmp), True)
        self.con = duckdb.connect(
            config={
                "memory_limit": memory_limit,
                "threads": threads or os.cpu_count() or 1,
                "temp_directory": str(self._tmp / "spill"),
            }
        )
        self.con.execute("SET TimeZone = 'UTC'")
        try:  # no progress bar on stderr; in a Jupyter kernel DuckDB refuses the setting without ipywidgets
            self.con.execute("SET enable_progress_bar = false")
        except duckdb.Error:
            pass
        self._n = 0
        self._keep: list[tuple[str, pa.Table]] = []  # Arrow tables registered: alive while the engine is

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            self._cleanup()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _name(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    def register(self, prefix: str, table: pa.Table) -> str:
        name = self._name(prefix)
        self.con.register(name, table)
        self._keep.append((name, table))
        return name

    def sql(self, query: str, params: Sequence[object] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(query, params or []).fetchall()

    def arrow(self, query: str) -> pa.Table:
        return self.con.sql(query).to_arrow_table()

    # -- a DataFrame read by io ------------------------------------------------

    def add_frame(self, table: Table, df: pd.DataFrame) -> View:
        """Register io's typed frame (with or without row bookkeeping)."""
        cols = tuple(c.name for c in table.columns if c.name in df.columns)
        n = len(df)
        arrays = {c: to_arrow(df[c], SQL_TYPE[table.column(c).kind]) for c in cols}
        for c in cols:
            flag = io.UNREADABLE + c
            arrays[flag] = pa.array(df[flag].to_numpy(dtype=bool) if flag in df else np.zeros(n, dtype=bool))
        arrays["_pos"] = pa.array(np.arange(n, dtype=np.int64))
        rows = (
            df[io.SOURCE_ROW].to_numpy(dtype=np.int64) if io.SOURCE_ROW in df else np.arange(1, n + 1, dtype=np.int64)
        )
        arrays["_source_row"] = pa.array(rows)
        multi = False
        if io.SOURCE_FILE in df:
            files = df[io.SOURCE_FILE]
            if isinstance(files.dtype, pd.CategoricalDtype):
                cats = pa.array(files.cat.categories.astype(str).to_numpy(dtype=object), type=pa.string())
                arrays["_source_file"] = pa.DictionaryArray.from_arrays(
                    pa.array(files.cat.codes.to_numpy(), mask=files.cat.codes.to_numpy() < 0), cats
                ).cast(pa.string())
                multi = len(files.cat.categories) > 1
            else:
                arrays["_source_file"] = pa.array(
                    io.nulls_as_none(files).astype(str).to_numpy(dtype=object), type=pa.string()
                )
                multi = files.nunique() > 1
        else:
            arrays["_source_file"] = pa.nulls(n, type=pa.string())
        name = self.register("frame", pa.table(arrays))
        return View(table, name, cols, n, io.file_label(df), multi)

    # -- a table's own files ---------------------------------------------------

    def add_files(
        self,
        data_dir: Path,
        source: io.Source,
        branch_ids: Iterable[str] | None = None,
        rows: BranchRows | None = None,
    ) -> View | None:
        """A relation over the files of `source` (only `branch_ids`' partitions).

        Returns None when there is nothing to scan (no file, or no row): the
        caller reads such an entry with io. Raises `io._Unreadable` naming
        the file that cannot be read.
        """
        table = TABLES[source.table]
        if source.format == "csv":
            try:
                raw, src_types, files, n, found = self._csv(source, data_dir)
            except _NoContractColumns:
                return None  # a header of other columns (a title line, another delimiter): io says what it found
            hint = _hint(source, table, src_types)
            if rows is not None:
                rows.note_all_keys(self, table.name, raw, src_types)
            where = rows.where(table.name, src_types) if rows is not None else None
            if n == 0:
                self._unregister(raw)
                return None  # an empty file: io says so
            view = self._typed_table(table, raw, src_types, files[0], n, where, hint, found)
            return view if view.rows else self._empty(table, src_types, files[0], hint, found)
        else:
            paths: list[tuple[Path, str | None]]
            if source.format == "parquet":
                paths = [(source.path, None)]
                files = [source.label(data_dir)]
            else:
                paths = io._parquet_files(source.path, branch_ids)
                files = [str(f.relative_to(data_dir)) if data_dir else str(f) for f, _ in paths]
            if not paths:
                return None
            n = 0
            for (f, _), label in zip(paths, files):
                try:
                    n += pq.read_metadata(f).num_rows
                except Exception as exc:
                    raise io._Unreadable(
                        f"cannot read the file: {exc}", file=label if source.format == "folder" else None
                    ) from exc
            if n == 0:
                return None
            file_list = "[" + ", ".join(lit(str(f)) for f, _ in paths) + "]"
            scan = f"read_parquet({file_list}, file_row_number = true, union_by_name = true, hive_partitioning = false)"
            try:
                described = self.sql(f"DESCRIBE SELECT * FROM {scan}")
            except duckdb.Error as exc:
                raise io._Unreadable(f"cannot read the file: {exc}") from exc
            src_types = {str(r[0]).strip(): str(r[1]) for r in described}
            names = {str(r[0]).strip(): str(r[0]) for r in described}
            select = [f"{q(names[c])} AS {q(c)}" for c in table.column_names if c in names]
            renamed = any(names[c] != c for c in table.column_names if c in names)
            for i, c in enumerate(c for c in table.column_names if c in names):
                if zoned(src_types[c]):
                    # The wall-clock time in the zone each file records (io.convert), not UTC.
                    select[i] = f"{wall_clock_sql(q(names[c]), [arrow_tz(f, names[c]) for f, _ in paths])} AS {q(c)}"
                    src_types[c] = "TIMESTAMP"
                    renamed = True
            partition = [b for _, b in paths]
            if "branch_id" in table.column_names and "branch_id" not in names and any(partition):
                # The partition names the branch of files without the column (io does the same).
                select.append(
                    "["
                    + ", ".join(lit(b) if b else "NULL" for b in partition)
                    + "][CAST(file_index AS BIGINT) + 1] AS branch_id"
                )
                src_types["branch_id"] = "VARCHAR"
                renamed = True
            raw = self._name("raw")
            cols = ", ".join([*select, "file_index AS _fi", "file_row_number AS _fr"])
            self.con.execute(f"CREATE TEMP VIEW {raw} AS SELECT {cols} FROM {scan}")
            if rows is not None:
                rows.note_all_keys(self, table.name, raw, src_types)
            where = rows.where(table.name, src_types) if rows is not None else None
            if where is not None:
                kept = self.sql(f"SELECT count(*) FROM {raw} AS r WHERE {where}")[0][0]
                if kept == 0:
                    return self._empty(table, src_types, files[0], None, list(src_types))
                if kept < n:  # rows of other branches: typed and checked no further
                    n, whole = kept, raw
                    raw = self._name("raw")
                    self.con.execute(f"CREATE TEMP VIEW {raw} AS SELECT * FROM {whole} AS r WHERE {where}")
                    renamed = True  # not the files as they are
            labels = "[" + ", ".join(lit(f) for f in files) + "]"
            file_expr = lit(files[0]) if len(files) == 1 else f"{labels}[CAST(_fi AS BIGINT) + 1]"
            row_expr, pos_expr = "CAST(_fr AS BIGINT) + 1", "CAST(_fi AS BIGINT) * 1099511627776 + CAST(_fr AS BIGINT)"
        view, plain = self._typed(table, raw, src_types, file_expr, row_expr, pos_expr, n, files)
        if plain and not renamed:
            view.parquet = tuple(f for f, _ in paths)
        return view

    def _empty(self, table: Table, src_types: dict[str, str], label: str, hint: str | None, found: list[str]) -> View:
        """No row of the entry is the branch's: an empty table, as io reports it
        (`found`: the file's columns, `hint`: what its layout says)."""
        raw = pd.DataFrame({c: pd.Series(dtype=object) for c in dict.fromkeys([*found, *src_types])})
        raw[io.SOURCE_ROW] = pd.Series(dtype=np.int64)
        raw[io.SOURCE_FILE] = pd.Series(dtype=object)
        raw.attrs[io.SOURCE_ATTR] = label
        df, problems = io.coerce(table, raw, layout=lambda: hint)
        view = self.add_frame(table, df)
        view.type_problems = problems
        return view

    def _csv(self, source: io.Source, data_dir: Path) -> tuple[str, dict[str, str], list[str], int, list[str]]:
        """Read a CSV as Arrow strings (header stripped, rows numbered from 2)."""
        label = source.label(data_dir)
        last: Exception | None = None
        for enc in io.CSV_ENCODINGS:
            try:
                header = _csv_header(source.path, enc)
                names = [h.strip() for h in header]
                wanted = [c for c in TABLES[source.table].column_names if c in names]
                if not wanted:
                    raise _NoContractColumns()
                read = pacsv.ReadOptions(
                    encoding="utf8" if enc == "utf-8-sig" else enc,
                    skip_rows=1,
                    column_names=names,
                    block_size=16 * 2**20,
                )
                conv = pacsv.ConvertOptions(
                    column_types={c: pa.string() for c in names},
                    include_columns=wanted,
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                )
                # Quoted values may hold line breaks only if the file has quotes at all;
                # without, pyarrow splits the file freely among its threads.
                parse = pacsv.ParseOptions(newlines_in_values=_has_quotes(source.path))
                if source.path.stat().st_size <= CSV_IN_MEMORY_BYTES:
                    t = pacsv.read_csv(source.path, read_options=read, parse_options=parse, convert_options=conv)
                    t = t.append_column("_row", pa.array(np.arange(2, t.num_rows + 2, dtype=np.int64)))
                    n = t.num_rows
                    name = self.register("csv", t)
                else:
                    name, n = self._csv_to_parquet(source.path, read, parse, conv)
                return name, {c: "VARCHAR" for c in wanted}, [label], n, names
            except (UnicodeDecodeError, pa.ArrowInvalid) as exc:
                if "UTF8" not in str(exc) and "decode" not in str(exc) and not isinstance(exc, UnicodeDecodeError):
                    raise io._Unreadable(f"cannot read the file: {exc}") from exc
                last = exc
        raise io._Unreadable(
            "cannot decode the file as UTF-8 or GB18030/GBK; save it in one of these encodings"
        ) from last

    def _csv_to_parquet(
        self, path: Path, read: pacsv.ReadOptions, parse: pacsv.ParseOptions, conv: pacsv.ConvertOptions
    ) -> tuple[str, int]:
        out = self._tmp / f"{self._name('csv')}.parquet"
        writer = None
        n = 0
        with pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=conv) as reader:
            for batch in reader:
                batch = pa.RecordBatch.from_arrays(
                    [*batch.columns, pa.array(np.arange(n + 2, n + 2 + batch.num_rows, dtype=np.int64))],
                    names=[*batch.schema.names, "_row"],
                )
                if writer is None:
                    writer = pq.ParquetWriter(out, batch.schema)
                writer.write_batch(batch)
                n += batch.num_rows
        if writer is not None:
            writer.close()
        name = self._name("csvfile")
        self.con.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM read_parquet({lit(str(out))})")
        return name, n

    def _typed(
        self,
        table: Table,
        raw: str,
        src_types: dict[str, str],
        file_expr: str,
        row_expr: str,
        pos_expr: str,
        n: int,
        files: list[str],
    ) -> tuple[View, bool]:
        """The typed relation over `raw`, joining io.convert's reading of the odd values;
        and whether every column is the scan's own (no cast, no mapping).

        A column whose values all have their kind already (the usual case of
        a typed Parquet file) stays a plain column of the scan, so that
        DuckDB pushes every check on it down into the Parquet reader (row
        groups ruled out by their statistics and dictionaries are not read).
        """
        label = files[0] if files else None
        missing = [c for c in table.column_names if c not in src_types]
        problems = missing_column_problems(table, missing, list(src_types), label, None)
        cols = tuple(c for c in table.column_names if c in src_types)
        select, joins, problems_cols = [], [], []
        plain = 0
        for c in cols:
            col = table.column(c)
            x = f"r.{q(c)}"
            src = src_types[c]
            null, fast, value = cast_rules(col.kind, src, x)
            mapping = self._mapping(raw, col, c, null, fast)
            sql_type = SQL_TYPE[col.kind]
            if mapping is None:
                special = (
                    null != f"({x} IS NULL)"
                    and self.sql(f"SELECT count(*) FROM {raw} AS r WHERE {null} AND {x} IS NOT NULL")[0][0] > 0
                )
                if not special and native(col.kind, src):
                    select.append(f"{x} AS {q(c)}")
                    plain += 1
                else:
                    select.append(f"CASE WHEN {null} THEN NULL ELSE CAST({value} AS {sql_type}) END AS {q(c)}")
                select.append(f"FALSE AS {q(io.UNREADABLE + c)}")
                continue
            m, errors = mapping
            joins.append(f"LEFT JOIN {m} AS {q('m.' + c)} ON {x} = {q('m.' + c)}.raw")
            mv = f"{q('m.' + c)}.value"
            cast = f"CAST({value} AS {sql_type})" if fast else "NULL"
            fast_sql = fast or "FALSE"
            select.append(f"CASE WHEN {null} THEN NULL WHEN {fast_sql} THEN {cast} ELSE {mv} END AS {q(c)}")
            select.append(f"(NOT {null} AND NOT {fast_sql} AND {mv} IS NULL) AS {q(io.UNREADABLE + c)}")
            if errors:
                problems_cols.append((c, m))
        select += [f"{file_expr} AS _source_file", f"{row_expr} AS _source_row", f"{pos_expr} AS _pos"]
        for c in cols:
            select.append(f"r.{q(c)} AS {q('raw:' + c)}")
        name = self._name("t")
        self.con.execute(f"CREATE TEMP VIEW {name} AS SELECT {', '.join(select)} FROM {raw} AS r {' '.join(joins)}")
        view = View(table, name, cols, n, label, len(files) > 1)
        view.type_problems = problems
        plain_scan = plain == len(cols)
        for c, m in problems_cols:
            view.type_problems += self._type_problems(view, table, c, m)
        return view, plain_scan

    def _typed_table(
        self,
        table: Table,
        raw: str,
        src_types: dict[str, str],
        label: str,
        n: int,
        where: str | None = None,
        hint: str | None = None,
        found: list[str] | None = None,
    ) -> View:
        """A CSV's strings typed once into a DuckDB table (every check then reads typed columns).

        Values SQL casts outright are cast in the one pass; the others (kept
        in `raw:<col>`) are read by io.convert, distinct value by distinct
        value, and written back.
        """
        missing = [c for c in table.column_names if c not in src_types]
        problems = missing_column_problems(table, missing, found or list(src_types), label, hint)
        cols = tuple(c for c in table.column_names if c in src_types)
        select, odd_cols = [], []
        for c in cols:
            col = table.column(c)
            x = f"r.{q(c)}"
            null, fast, value = cast_rules(col.kind, src_types[c], x)
            sql_type = SQL_TYPE[col.kind]
            if fast == "TRUE":
                select.append(f"CASE WHEN {null} THEN NULL ELSE CAST({value} AS {sql_type}) END AS {q(c)}")
                continue
            odd = f"(NOT {null} AND NOT {fast or 'FALSE'})"
            cast = f"CAST({value} AS {sql_type})" if fast else "NULL"
            select.append(f"CASE WHEN {null} OR {odd} THEN NULL ELSE {cast} END AS {q(c)}")
            select.append(f"CASE WHEN {odd} THEN {x} END AS {q('raw:' + c)}")
            odd_cols.append(c)
        select += [f"{lit(label)} AS _source_file", "_row AS _source_row", "_row AS _pos"]
        name = self._name("t")
        self.con.execute(
            f"CREATE TEMP TABLE {name} AS SELECT {', '.join(select)} FROM {raw} AS r"
            + (f" WHERE {where}" if where else "")
        )
        self._unregister(raw)
        if where:
            n = self.sql(f"SELECT count(*) FROM {name}")[0][0]
        flags = []
        view = View(table, name, cols, n, label, False)
        for c in cols:
            if c not in odd_cols:
                flags.append(f"FALSE AS {q(io.UNREADABLE + c)}")
                continue
            x = q("raw:" + c)
            distinct = self.arrow(f"SELECT DISTINCT {x} AS raw FROM {name} WHERE {x} IS NOT NULL")
            if distinct.num_rows == 0:
                flags.append(f"FALSE AS {q(io.UNREADABLE + c)}")
                continue
            m, errors = self._register_mapping(table.column(c), distinct)
            self.con.execute(f"UPDATE {name} SET {q(c)} = m.value FROM {m} AS m WHERE {name}.{x} = m.raw")
            flags.append(f"({x} IS NOT NULL AND {q(c)} IS NULL) AS {q(io.UNREADABLE + c)}")
            if errors:
                problems += self._type_problems(view, table, c, m, rel_name=name)
        typed = self._name("v")
        self.con.execute(
            f"CREATE TEMP VIEW {typed} AS SELECT *, {', '.join(flags)} FROM {name}"
            if flags
            else f"CREATE TEMP VIEW {typed} AS SELECT * FROM {name}"
        )
        view.name = typed
        view.type_problems = problems
        return view

    def _unregister(self, name: str) -> None:
        """Let go of a registered Arrow table (or view over a temporary file)."""
        try:
            self.con.unregister(name)
        except duckdb.Error:
            self.con.execute(f"DROP VIEW IF EXISTS {name}")
        self._keep = [k for k in self._keep if k[0] != name]

    def _mapping(self, raw: str, col: Column, c: str, null: str, fast: str | None) -> tuple[str, bool] | None:
        """io.convert's reading of the distinct values SQL does not cast; None when there are none."""
        if fast == "TRUE":
            return None
        x = f"r.{q(c)}"
        where = f"NOT {null}" + (f" AND NOT {fast}" if fast else "")
        distinct = self.arrow(f"SELECT DISTINCT {x} AS raw FROM {raw} AS r WHERE {where}")
        if distinct.num_rows == 0:
            return None
        return self._register_mapping(col, distinct)

    def _register_mapping(self, col: Column, distinct: pa.Table) -> tuple[str, bool]:
        """A table raw → value, err: io.convert's reading of each distinct raw value."""
        values = io._arrow_to_pandas(distinct)["raw"]
        typed, broken = io.convert(col.kind, values)
        err = np.full(len(values), -1, dtype=np.int8)
        for k, mask in reversed(list(enumerate(broken))):
            err[np.asarray(mask, dtype=bool)] = k
        mapping = pa.table(
            {
                "raw": distinct.column("raw"),
                "value": to_arrow(typed.reset_index(drop=True), SQL_TYPE[col.kind]),
                "err": pa.array(err, mask=err < 0),
            }
        )
        return self.register("map", mapping), bool((err >= 0).any())

    def _type_problems(
        self, view: View, table: Table, c: str, m: str, rel_name: str | None = None
    ) -> list[DataProblem]:
        rules = io.TYPE_RULES[table.column(c).kind]
        x = q("raw:" + c)
        rel = f"{rel_name or view.name} AS t JOIN {m} AS mm ON t.{x} = mm.raw"
        preds = [f"mm.err = {k}" for k in range(len(rules))]
        counts = self.counts(rel, preds, together=True)
        return [
            self.problem(view, rel, pred, count, table.name, rule, c, f"t.{x}", raw_values=True)
            for rule, pred, count in zip(rules, preds, counts)
            if count
        ]

    # -- problems ----------------------------------------------------------------

    def counts(self, rel: str, preds: Sequence[str], together: bool = False) -> list[int]:
        """How many rows of `rel` each predicate flags (NULL counts as false).

        One query per predicate by default: on a plain scan DuckDB pushes
        each into the Parquet reader, which skips what statistics rule out
        (far cheaper than one pass evaluating every predicate on every
        row). `together`: one pass (for a join, computed once).
        """
        if not preds:
            return []
        if together:
            select = ", ".join(f"count(*) FILTER (WHERE coalesce(({p}), FALSE))" for p in preds)
            return [int(v) for v in self.sql(f"SELECT {select} FROM {rel}")[0]]
        return [int(self.sql(f"SELECT count(*) FROM {rel} WHERE {p}")[0][0]) for p in preds]

    def hashes(self, query: str, n: int) -> np.ndarray:
        """The single UBIGINT column of `query` (at most `n` rows) as a numpy array, batch by batch."""
        out = np.empty(n, dtype=np.uint64)
        k = 0
        for batch in self.con.sql(query).to_arrow_reader(1 << 20):
            a = batch.column(0).to_numpy(zero_copy_only=False)
            out[k : k + len(a)] = a
            k += len(a)
        return out[:k]

    def problem(
        self,
        view: View,
        rel: str,
        pred: str,
        count: int,
        table: str,
        rule: str,
        column: str | None,
        value: str | None = None,
        raw_values: bool = False,
    ) -> DataProblem:
        """The DataProblem of the `count` rows of `rel` that `pred` flags (io.render_problem)."""
        where = f"coalesce(({pred}), FALSE)"
        v = value or "NULL"
        first = self.arrow(
            f"SELECT t._source_file AS f, t._source_row AS r, {v} AS v FROM {rel} WHERE {where} "
            f"ORDER BY t._pos LIMIT {FIRST_ROWS_SHOWN}"
        )
        files = first.column("f").to_pylist()
        rows = first.column("r").to_pylist()
        if view.multi_file:
            all_files = [
                r[0] for r in self.sql(f"SELECT DISTINCT t._source_file FROM {rel} WHERE {where}") if r[0] is not None
            ]
        else:
            all_files = sorted({f for f in files if f is not None})
        examples: tuple[str, ...] = ()
        if value is not None:
            v = first.column("v")
            if not raw_values and (pa.types.is_integer(v.type) or pa.types.is_decimal(v.type)):
                v = pc.cast(v, pa.float64())  # as io holds a number until validation passed
            if pa.types.is_date(v.type):
                v = pc.cast(v, pa.timestamp("us"))
            examples = tuple(str(e) for e in io._arrow_to_pandas(pa.table({"v": v}))["v"].tolist())
        return io.render_problem(
            table, rule, column, count, [str(f) for f in files], rows, all_files, examples, view.label
        )

    # -- back to pandas ---------------------------------------------------------------

    def to_pandas(self, view: View, where: str | None = None, final: bool = False) -> pd.DataFrame:
        """The rows of `view` (those `where` selects) as a DataFrame.

        `final`: the contract's final dtypes, no bookkeeping (the data have
        passed validation). Otherwise io's typed frame: ints as float64,
        bools as objects, row bookkeeping kept.
        """
        if final and where is None:
            return arrow_frame(view.table, self.final_arrow(view), final)
        return arrow_frame(view.table, self._ordered(view, where, final), final)

    def final_arrow(self, view: View) -> pa.Table:
        """A validated table's columns as Arrow, in row order: what
        `to_pandas(view, final=True)` converts, at a fraction of its memory."""
        if view.parquet:
            # Straight from the files: repeated strings come as the files'
            # dictionaries, decoded once rather than hashed again.
            dictionary = [
                c
                for c in view.columns
                if view.table.column(c).kind in ("str", "category") and not view.table.column(c).unique
            ]
            try:
                return pq.read_table(list(view.parquet), columns=list(view.columns), read_dictionary=dictionary)
            except (pa.ArrowException, OSError, ValueError):
                pass  # files that differ in shape: DuckDB unites them by name
        return self._ordered(view, None, True)

    def _ordered(self, view: View, where: str | None, final: bool) -> pa.Table:
        cols = [q(c) for c in view.columns]
        if not final:
            cols += [q(io.UNREADABLE + c) for c in view.columns] + ["_source_file", "_source_row"]
        query = f"SELECT {', '.join(cols + ['_pos'])} FROM {view.name}" + (f" WHERE {where}" if where else "")
        t = self.arrow(query)
        pos = t.column("_pos").to_numpy()
        if len(pos) > 1 and not (np.diff(pos) > 0).all():
            t = t.take(pc.sort_indices(t.column("_pos")))
        return t.drop_columns(["_pos"])


def _has_quotes(path: Path) -> bool:

    with path.open("rb") as f:
        if path.stat().st_size == 0:
            return False
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return m.find(b'"') >= 0


def _csv_header(path: Path, encoding: str) -> list[str]:

    with path.open(encoding=encoding, newline="") as f:
        first = next(csv.reader(f), [])
    if first and encoding != "utf-8-sig":
        first[0] = first[0].lstrip("\ufeff")
    return first
