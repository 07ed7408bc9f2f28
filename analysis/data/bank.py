"""A branch's validated data, ready for every analysis: `analysis.load`.

    bank = analysis.load("data/sample", branch="meishan")
    bank.customers, bank.monthly_snapshots, bank.timeframe.as_of, bank.features

Reading goes files → `io` (small tables, typed in pandas) or `scan` (big
tables, left in their files for DuckDB) → `validate` (every rule, in SQL)
→ the branch's rows. A prepared bank can be written once per run (`Bank.save`) and opened by
every notebook of that run (`Bank.open`) without re-reading the raw files.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.assumptions import Assumptions
from analysis.data import casts, dtypes, explore, frames, scan, validate
from analysis.data.asof import as_known_at
from analysis.data.contract import REQUIRED_TABLES, TABLES
from analysis.data.features import customer_features
from analysis.data.io import _Unreadable, find_sources, read_table
from analysis.data.selection import BranchRows, branch_city, select_branch, select_views  # noqa: F401 (select_branch: API)
from analysis.data.timeframe import Timeframe, check_as_of
from analysis.errors import DataError, DataProblem, UsageError


class FolderTables(Mapping[str, pd.DataFrame]):
    """The tables `read_folder` found, each a DataFrame on first use.

    A table read by `io` is kept as read (with row bookkeeping); a table
    checked over its files (`analysis.scan`) is read into pandas only when
    asked for, so `python -m analysis validate` of a bank with 100 million
    transactions never holds them in memory. `row_count` needs no reading.
    """

    def __init__(
        self, engine: scan.Engine, views: dict[str, scan.View], frames: dict[str, pd.DataFrame], selected: bool
    ) -> None:
        self._engine, self._views, self._frames, self._selected = engine, views, frames, selected
        self._loaded: dict[str, pd.DataFrame] = {}
        # A branch read: the market tables with rows but none of the branch's city (`selection.unmatched_note`).
        self.unmatched: dict[str, dict[str, Any]] = {}

    def _positions(self, name: str) -> np.ndarray | None:
        """Rows of an io frame that the branch selection keeps (None: all of them)."""
        view = self._views[name]
        if not self._selected or view.rows == len(self._frames[name]):
            return None
        pos = self._engine.arrow(f"SELECT _pos FROM {view.name}").column("_pos").to_numpy()
        return np.sort(pos)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._views:
            raise KeyError(name)
        if name not in self._loaded:
            if name in self._frames:
                pos = self._positions(name)
                df = self._frames[name]
                self._loaded[name] = df if pos is None else df.iloc[pos].reset_index(drop=True)
            else:
                self._loaded[name] = self._engine.to_pandas(self._views[name])
        return self._loaded[name]

    def final(self, name: str) -> pd.DataFrame:
        """The table with its final dtypes and without bookkeeping (after validation passed)."""
        if name in self._frames or name in self._loaded:
            return dtypes.finalize(TABLES[name], self[name])
        return self._engine.to_pandas(self._views[name], final=True)

    def row_count(self, name: str) -> int:
        return self._views[name].rows

    def arrow(self, name: str) -> pa.Table | None:
        """A table checked over its files, as Arrow with final types (None for
        a table `io` read into pandas, or one already read)."""
        if name in self._frames or name in self._loaded:
            return None
        return self._engine.final_arrow(self._views[name])

    def close(self) -> None:
        """Let go of the DuckDB engine (tables already read stay readable)."""
        self._engine.close()

    def select(self, branch: str, unmatched: dict[str, dict[str, Any]] | None = None) -> dict[str, pd.DataFrame]:
        """One branch's rows of every table, final dtypes (`select_branch` of the
        finalized tables, without reading the big ones whole into pandas).

        For a whole-folder read that passed validation: `--all-branches`
        validates once and prepares each branch from here. `unmatched`
        receives the market tables with rows but none of the branch's city.
        """
        views = select_views(self._engine, self._views, branch, unmatched)
        out = {}
        for name, view in views.items():
            if name in self._frames:
                pos = None
                if view.rows != len(self._frames[name]):
                    pos = np.sort(self._engine.arrow(f"SELECT _pos FROM {view.name}").column("_pos").to_numpy())
                df = self._frames[name] if pos is None else self._frames[name].iloc[pos].reset_index(drop=True)
                out[name] = dtypes.finalize(TABLES[name], df)
            else:
                out[name] = self._engine.to_pandas(view, final=True)
        return out

    def __contains__(self, name: object) -> bool:  # without reading the table (Mapping's would)
        return name in self._views

    def __iter__(self) -> Iterator[str]:
        return iter(self._views)

    def __len__(self) -> int:
        return len(self._views)


def read_folder(
    data_dir: str | Path, branch: str | None = None, engine: str = "auto"
) -> tuple[FolderTables, list[DataProblem]]:
    """Read, type and check every table of a data folder.

    With `branch`, Hive partitions of other branches are not opened, and
    every rule is checked on the rows the branch run reads: the branch's own
    rows and those that belong to no branch (a key that names no branch,
    customer or campaign is reported, not dropped); rows of other branches
    in a shared file are neither typed nor checked (`selection.BranchRows`).
    Without it, every row of the folder is checked (what `python -m
    analysis validate` does). Returns the tables (still with row
    bookkeeping; big tables are read into pandas only when asked for) and
    every problem found.

    `engine`: "auto" checks `transactions`, `monthly_snapshots` and any big
    table over its files (`analysis.scan.scanned`), the others after `io`
    has read them; "pandas" reads every table with `io` first; "duckdb"
    scans every CSV and Parquet entry. All three report the same problems.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise UsageError(f"data folder not found: {data_dir}")
    sources, problems = find_sources(data_dir)
    for name in REQUIRED_TABLES:
        if name not in sources and not any(p.table == name for p in problems):
            problems.append(
                DataProblem(
                    name,
                    f"required table is missing: expected {name}.csv, {name}.parquet, "
                    f"{name}.xlsx or a folder {name}/ of Parquet files",
                    file=str(data_dir),
                )
            )
    eng = scan.Engine()
    views: dict[str, scan.View] = {}
    frames: dict[str, pd.DataFrame] = {}
    branch_ids = [branch] if branch else None
    rows: BranchRows | None = None  # a branch run's rows, once branches are read
    for name, source in sources.items():
        view = None
        if scan.scanned(source, engine):
            try:
                view = eng.add_files(data_dir, source, branch_ids=branch_ids, rows=rows)
            except _Unreadable as exc:
                problems.append(DataProblem(name, str(exc), file=exc.file or source.label(data_dir)))
                continue
            if view is not None:
                problems.extend(view.type_problems)
        if view is None:

            def keep(raw: pd.DataFrame, name: str = name, rows: BranchRows | None = rows) -> np.ndarray | None:
                if rows is None:
                    return None
                rows.note_frame_keys(eng, name, raw)
                return rows.mask(eng, name, raw)

            df, found = read_table(data_dir, source, branch_ids=branch_ids, rows=keep)
            problems.extend(found)
            if df is None:
                continue
            frames[name] = df
            view = eng.add_frame(TABLES[name], df)
        problems.extend(validate.table_problems(eng, view))
        views[name] = view
        if name == "branches" and branch is not None:
            rows = _branch_rows(eng, view, branch)
    if branch is not None and "branches" in views:
        # Every rule is checked on the rows the branch run reads (its own and
        # those of no branch: a key pointing nowhere is reported, not dropped).
        problems.extend(validate.relation_problems(eng, views))
        selected = select_views(eng, views, branch)
        tables = FolderTables(eng, selected, frames, selected=True)
        if rows is not None:
            tables.unmatched = rows.unmatched(selected)
        return tables, problems
    problems.extend(validate.relation_problems(eng, views))
    return FolderTables(eng, views, frames, selected=False), problems


def _branch_rows(eng: scan.Engine, branches: scan.View, branch: str) -> BranchRows:
    """The branch's selection of rows; `UsageError` for a branch that `branches` does not list."""
    known = (
        {r[0] for r in eng.sql(f"SELECT DISTINCT branch_id FROM {branches.name} WHERE branch_id IS NOT NULL")}
        if branches.has("branch_id")
        else set()
    )
    if branch not in known:
        eng.close()
        raise UsageError(f"branch {branch!r} is not in branches; known branches: {', '.join(sorted(known))}")
    return BranchRows(branch, branch_city(eng, branches, branch), known)


def load_tables(data_dir: str | Path, branch: str | None = None) -> dict[str, pd.DataFrame]:
    """Validated tables with their final dtypes; raises `DataError` listing every problem."""
    tables, problems = read_folder(data_dir, branch)
    try:
        if problems:
            raise DataError(problems)
        return {name: tables.final(name) for name in tables}
    finally:
        tables.close()


class PreparedTables(Mapping[str, pd.DataFrame]):
    """The tables of a prepared bank, each read from its Parquet file on
    first use: a notebook that never touches `transactions` never reads it."""

    def __init__(self, folder: Path, rows: dict[str, int]):
        self._folder, self._rows = folder, rows
        self._loaded: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._rows:
            raise KeyError(name)
        if name not in self._loaded:
            self._loaded[name] = frames.read_frame(self._folder / f"{name}.parquet", TABLES[name])
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:  # without reading the table (Mapping's would)
        return name in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def row_count(self, name: str) -> int:
        return self._rows.get(name, 0)

    def unread_file(self, name: str) -> Path | None:
        """The table's Parquet file while it has not been read into pandas (else None)."""
        return None if name in self._loaded or name not in self._rows else self._folder / f"{name}.parquet"


class LoadedTables(Mapping[str, pd.DataFrame]):
    """A loaded branch's tables: small ones as DataFrames, the big ones that
    were checked over their files (`KEPT_AS_ARROW`) as Arrow until first
    asked for. A run writes them to its prepared bank and fingerprints them
    without ever holding millions of rows as Python strings.
    """

    def __init__(self, frames: dict[str, pd.DataFrame], arrow: dict[str, pa.Table]):
        self._frames, self._arrow = frames, arrow

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            if name not in self._arrow:
                raise KeyError(name)
            self._frames[name] = frames.arrow_frame(TABLES[name], self._arrow.pop(name), final=True)
        return self._frames[name]

    def __contains__(self, name: object) -> bool:  # without reading the table (Mapping's would)
        return name in self._frames or name in self._arrow

    def __iter__(self) -> Iterator[str]:
        return iter([*self._frames, *[n for n in self._arrow if n not in self._frames]])

    def __len__(self) -> int:
        return len(set(self._frames) | set(self._arrow))

    def row_count(self, name: str) -> int:
        if name in self._frames:
            return len(self._frames[name])
        return self._arrow[name].num_rows if name in self._arrow else 0

    def unread(self, name: str) -> pa.Table | None:
        """The table as Arrow while it has not become a DataFrame (else None)."""
        return self._arrow.get(name)

    def frames(self, name: str, rows: int = 1_000_000) -> Iterator[pd.DataFrame]:
        """The table in DataFrames of at most `rows` rows (the whole frame once read)."""
        t = self._arrow.get(name)
        if t is None:
            yield self[name]
            return
        for start in range(0, max(t.num_rows, 1), rows):
            yield frames.arrow_frame(TABLES[name], t.slice(start, rows), final=True)


# Tables a branch load keeps as Arrow: only SQL (`Bank.query`) reads them in a run.
KEPT_AS_ARROW = ("transactions",)


def table_frames(tables: Mapping[str, pd.DataFrame], name: str) -> Iterator[pd.DataFrame]:
    """A table in DataFrames, without reading a big one whole when it can be avoided."""
    if isinstance(tables, LoadedTables):
        return tables.frames(name)
    return iter([tables[name]])


@dataclass
class Bank:
    """One branch's validated tables, its time frame and the analyst's assumptions.

    Every table of the contract is an attribute (`bank.customers`, …; `dir(bank)`
    lists them); tables absent from the data folder are `None` (`bank.has(name)`
    is False) and every analysis that needs one reports itself skipped.
    `bank.assumptions` are the assumptions every `analyze(bank)` uses when given
    none; the time frame's window follows `assumptions.window_months`.
    `bank.describe()`, `bank.subset(…)`: a first look and a part of the branch.
    """

    branch_id: str
    tables: Mapping[str, pd.DataFrame]
    timeframe: Timeframe
    data_dir: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    assumptions: Assumptions = field(default_factory=Assumptions)

    def __post_init__(self) -> None:
        if not isinstance(self.assumptions, Assumptions):
            self.assumptions = as_assumptions(self.assumptions)
        self.timeframe = self.timeframe.with_window(self.assumptions.window_months)

    def __getattr__(self, name: str) -> pd.DataFrame | None:
        if name in TABLES:
            tables: Mapping[str, pd.DataFrame] = self.__dict__["tables"]
            return tables.get(name)
        raise AttributeError(name)

    # The tables every branch has (contract.REQUIRED_TABLES: `load` refuses a folder
    # without one), typed as present; the others are `DataFrame | None` (__getattr__).
    @property
    def branches(self) -> pd.DataFrame:
        return self._required("branches")

    @property
    def customers(self) -> pd.DataFrame:
        return self._required("customers")

    @property
    def monthly_snapshots(self) -> pd.DataFrame:
        return self._required("monthly_snapshots")

    def _required(self, name: str) -> pd.DataFrame:
        df = self.tables.get(name)
        if df is None:
            raise DataError([DataProblem(name, "required table is missing", file=self.data_dir or None)])
        return df

    def __dir__(self) -> list[str]:
        """Attributes and the branch's tables (tab completion shows `bank.customers`, …)."""
        return sorted({*super().__dir__(), *(n for n in TABLES if n in self.tables)})

    def __repr__(self) -> str:
        return explore.bank_text(self)

    def _repr_html_(self) -> str:
        return explore.bank_html(self)

    def describe(self) -> pd.DataFrame:
        """A first look: one row per table of the contract (rows, columns, date range, nulls)."""
        return explore.describe(self)

    def subset(
        self,
        segment: str | Iterable[str] | None = None,
        area: str | Iterable[str] | None = None,
        vip_tier: str | Iterable[str] | None = None,
        customers: Iterable[str] | None = None,
    ) -> Bank:
        """The branch restricted to some of its customers (`customers` attributes
        as they stand in the data, or ids): every customer-keyed table filtered,
        features computed afresh. `bank.subset(segment="affluent")`."""
        return explore.subset(self, segment=segment, area=area, vip_tier=vip_tier, customers=customers)

    def with_assumptions(self, assumptions: Assumptions | Mapping[str, Any] | None = None, **changes: Any) -> Bank:
        """The same branch under other assumptions (tables shared, features computed afresh);
        `bank.with_assumptions(window_months=6)`. The bank itself when nothing changes."""
        a = as_assumptions(assumptions, self.assumptions, **changes)
        if a == self.assumptions and a.notes == self.assumptions.notes:
            return self
        return replace(self, assumptions=a)

    def assumed(self, assumptions: Assumptions | None = None) -> tuple[Bank, Assumptions]:
        """(bank, assumptions) as an `analyze(bank, assumptions)` uses them: the ones
        given, else the bank's own; the bank's time frame follows their window."""
        bank = self.with_assumptions(assumptions) if assumptions is not None else self
        return bank, bank.assumptions

    def row_count(self, name: str) -> int:
        """Rows of a table of the branch (0 when absent), without reading a big one."""
        if isinstance(self.tables, (PreparedTables, LoadedTables)):
            return self.tables.row_count(name)
        df = self.tables.get(name)
        return 0 if df is None else len(df)

    def has(self, name: str) -> bool:
        return self.row_count(name) > 0

    def query(self, sql: str, params: list[object] | None = None) -> pd.DataFrame:
        """The result of DuckDB `sql` over the branch's tables, each under its
        own name (only the tables the text names are opened).

        How the big tables are aggregated: a prepared table not yet read is
        scanned from its Parquet file, column by column, and never becomes a
        DataFrame; a table already in memory is read where it lies. The
        result should be branch-sized (a row per customer, say).
        """

        import duckdb

        con = duckdb.connect()
        try:
            for name in TABLES:
                if not re.search(rf"\b{name}\b", sql) or not self.has(name):
                    continue
                path = self.tables.unread_file(name) if isinstance(self.tables, PreparedTables) else None
                arrow = self.tables.unread(name) if isinstance(self.tables, LoadedTables) else None
                if path is not None:
                    con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({casts.lit(str(path))})")
                else:
                    con.register(name, arrow if arrow is not None else self.tables[name])
            return con.execute(sql, params or []).df()
        finally:
            con.close()

    @property
    def branch(self) -> dict[str, Any]:
        """The branch's row of `branches`: branch_name, city, home_bank."""
        b = self.tables["branches"]
        row = b[b["branch_id"] == self.branch_id].iloc[0].to_dict()
        return {str(k): v for k, v in row.items()}  # column names are strings

    @property
    def missing_tables(self) -> list[str]:
        """Tables not supplied (absent, or without a row of the branch); not those set aside by `--as-of`."""
        aside = self.set_aside
        return [n for n in TABLES if not self.has(n) and n not in aside]

    @property
    def set_aside(self) -> dict[str, dict[str, Any]]:
        """Tables supplied whose every row came after as_of (`asof.KnownTables.set_aside`):
        table → {"reason": "all campaigns start after 2024-03", "column", "after", "rows"}."""
        return dict(self.options.get("set_aside") or {})

    @property
    def unmatched_cities(self) -> dict[str, dict[str, Any]]:
        """Market tables with rows, none of them of the branch's city (`selection.unmatched_note`):
        table → {"city": the branch's, "cities": the table's (the first few), "more": how many others}."""
        return dict(self.options.get("unmatched_cities") or {})

    @cached_property
    def features(self) -> pd.DataFrame:
        """The churn drivers measured at t0 (`data.features.driver_features`), one row
        per customer with a snapshot in month M−window (M−12): every such customer,
        not only the churn cohort. The churn cohort with its outcome, features and
        attributes is `analysis.questions.churn.cohort_frame(bank)`."""
        return customer_features(self)

    # -- a prepared bank: written once per run, read by every notebook -------

    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        rows = {}
        for name in self.tables:
            t = self.tables.unread(name) if isinstance(self.tables, LoadedTables) else None
            if t is not None:
                pq.write_table(t, folder / f"{name}.parquet")  # never through pandas
                rows[name] = t.num_rows
            else:
                df = self.tables[name]
                df.to_parquet(folder / f"{name}.parquet", index=False)
                rows[name] = len(df)
        meta = {
            "branch_id": self.branch_id,
            "M": self.timeframe.M.strftime("%Y-%m-%d"),
            "assumptions": self.assumptions.to_dict(),
            "first": None if self.timeframe.first is None else self.timeframe.first.strftime("%Y-%m-%d"),
            "data_dir": str(self.data_dir),
            "options": self.options,
            "tables": rows,
        }
        (folder / "bank.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        return folder

    @classmethod
    def open(cls, folder: str | Path) -> Bank:
        folder = Path(folder)
        meta = json.loads((folder / "bank.json").read_text(encoding="utf-8"))
        tables = PreparedTables(folder, meta["tables"])
        return cls(
            meta["branch_id"],
            tables,
            Timeframe(pd.Timestamp(meta["M"]), pd.Timestamp(meta["first"]) if meta.get("first") else None),
            data_dir=meta.get("data_dir", ""),
            options=meta.get("options", {}),
            assumptions=Assumptions.from_mapping(meta.get("assumptions")),
        )


def as_assumptions(
    assumptions: Assumptions | Mapping[str, Any] | str | Path | None = None,
    base: Assumptions | None = None,
    **changes: Any,
) -> Assumptions:
    """Assumptions from what an analyst hands over, on top of `base` (the
    bank's own; None: the contract's defaults): an `Assumptions` (taken whole),
    a mapping of field names or a TOML/YAML file (the fields named change, the
    others stay as `base`), or None (`base`), with keyword `changes` on top
    (`window_months=6`; unknown names are a `UsageError`).

    >>> as_assumptions({"window_months": 6}, Assumptions(unresolved_days=14)).unresolved_days
    14
    """
    if isinstance(assumptions, Assumptions):
        a = assumptions
    else:
        a = base if base is not None else Assumptions()
        if isinstance(assumptions, (str, Path)):
            values = Assumptions.read_file(assumptions)
        else:
            values = Assumptions.checked_names(assumptions)
        if values:
            a = a.replace(**values)
    if changes:
        a = a.replace(**Assumptions.checked_names(changes))
    return a


def load(
    data_dir: str | Path | None = None,
    branch: str = "meishan",
    as_of: str | None = None,
    assumptions: Assumptions | Mapping[str, Any] | str | Path | None = None,
    **changes: Any,
) -> Bank:
    """Load and validate one branch of a data folder.

    `as_of` (`YYYY-MM`) sets month M and gives the bank as it stood at the
    end of M (`analysis.asof`: later rows set aside, later changes undone);
    by default M is the last month in the branch's `monthly_snapshots` and
    nothing is set aside. `assumptions` (an `Assumptions`, a mapping or a
    TOML/YAML file) and keyword shortcuts (`window_months=6`,
    `unresolved_days=14`, any field of `Assumptions`) become
    `bank.assumptions`. Without `data_dir`, the sample bank (`data/sample`);
    a relative folder that does not exist from the working directory is
    looked for under the project's root (so the README's line works from
    `notebooks/`). Raises `DataError` for data problems and `UsageError` for
    an unknown branch or an as_of outside the snapshots.
    """
    started = time.monotonic()
    a = as_assumptions(assumptions, **changes)
    data_dir = resolve_data_dir(data_dir)
    folder, problems = read_folder(data_dir, branch)
    try:
        if problems:
            raise DataError(problems)
        arrow = {n: t for n in KEPT_AS_ARROW if n in folder and (t := folder.arrow(n)) is not None}
        tables: Mapping[str, pd.DataFrame] = LoadedTables({n: folder.final(n) for n in folder if n not in arrow}, arrow)
        unmatched = folder.unmatched
    finally:
        folder.close()
    snaps = tables["monthly_snapshots"]
    if as_of is None and snaps.empty:
        raise DataError(
            [DataProblem("monthly_snapshots", f"no snapshot rows for branch {branch!r}: nothing to analyse")]
        )
    check_as_of(snaps["month"], as_of, branch)
    tf = Timeframe.from_snapshots(snaps["month"], as_of, a.window_months)
    options = branch_options(unmatched)
    if as_of is not None:
        known = as_known_at(tables, tf)
        tables, options = known, branch_options(unmatched, known.set_aside)
    options["load_seconds"] = round(time.monotonic() - started, 2)
    return Bank(branch, tables, tf, data_dir=str(data_dir), options=options, assumptions=a)


PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """The data folder a path names: as given when it exists; a relative path that
    does not exist from here, under the project's root; None, the sample bank."""
    if data_dir is None:
        if not SAMPLE_DIR.is_dir():
            raise UsageError(f"no data folder given and no sample bank at {SAMPLE_DIR}: run `make sample` first")
        return SAMPLE_DIR
    path = Path(data_dir)
    if not path.exists() and not path.is_absolute() and (PROJECT_ROOT / path).is_dir():
        return PROJECT_ROOT / path
    return path


def load_many(
    data_dir: str | Path | None = None,
    branches: Iterable[str] | None = None,
    as_of: str | None = None,
    assumptions: Assumptions | Mapping[str, Any] | str | Path | None = None,
    **changes: Any,
) -> dict[str, Bank]:
    """Several branches of one data folder, validated once: branch id → Bank
    (every branch of `branches` by default). Same arguments as `load`."""
    a = as_assumptions(assumptions, **changes)
    data_dir = resolve_data_dir(data_dir)
    started = time.monotonic()
    tables, problems = read_folder(data_dir)
    out: dict[str, Bank] = {}
    try:
        if problems:
            raise DataError(problems)
        known = tables.final("branches")["branch_id"].tolist()
        wanted = list(branches) if branches is not None else known
        unknown = [b for b in wanted if b not in known]
        if unknown:
            raise UsageError(f"unknown branch {', '.join(unknown)}; known branches: {', '.join(known)}")
        for b in wanted:
            unmatched: dict[str, Any] = {}
            sel: Mapping[str, pd.DataFrame] = tables.select(b, unmatched)
            months = sel["monthly_snapshots"]["month"]
            if months.empty:
                raise DataError(
                    [DataProblem("monthly_snapshots", f"no snapshot rows for branch {b!r}: nothing to analyse")]
                )
            check_as_of(months, as_of, b)
            tf = Timeframe.from_snapshots(months, as_of, a.window_months)
            options = branch_options(unmatched)
            if as_of is not None:
                known_at = as_known_at(sel, tf)
                sel, options = known_at, branch_options(unmatched, known_at.set_aside)
            options["load_seconds"] = round(time.monotonic() - started, 2)
            out[b] = Bank(b, sel, tf, data_dir=str(data_dir), options=options, assumptions=a)
    finally:
        tables.close()
    return out


def branch_options(
    unmatched: Mapping[str, Any] | None = None, set_aside: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A Bank's `options` from what its load found: the market tables without
    the branch's city (`Bank.unmatched_cities`) and the tables `--as-of` set
    aside whole (`Bank.set_aside`)."""
    out: dict[str, Any] = {}
    if unmatched:
        out["unmatched_cities"] = dict(unmatched)
    if set_aside:
        out["set_aside"] = dict(set_aside)
    return out


def branch_ids(data_dir: str | Path) -> list[str]:
    """Branch ids listed in `branches`, in file order."""
    tables = load_tables_subset(data_dir, ["branches"])
    return tables["branches"]["branch_id"].tolist()


def load_tables_subset(data_dir: str | Path, names: Iterable[str]) -> dict[str, pd.DataFrame]:
    """Read and check only the named tables (single-table rules only)."""
    data_dir = Path(data_dir)
    sources, problems = find_sources(data_dir)
    out = {}
    for name in names:
        if name not in sources:
            problems.append(DataProblem(name, "table is missing", file=str(data_dir)))
            continue
        df, found = read_table(data_dir, sources[name])
        problems.extend(found)
        if df is not None:
            problems.extend(validate.check_table(TABLES[name], df))
            out[name] = df
    if problems:
        raise DataError(problems)
    return {n: dtypes.finalize(TABLES[n], df) for n, df in out.items()}
