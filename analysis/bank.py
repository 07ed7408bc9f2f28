"""A branch's validated data, ready for every analysis: `analysis.load`.

    bank = analysis.load("data/sample", branch="meishan")
    bank.customers, bank.monthly_snapshots, bank.timeframe.as_of, bank.features

Reading goes files → `io` (typed) → `validate` (every rule) → the branch's
rows. A prepared bank can be written once per run (`Bank.save`) and opened by
every notebook of that run (`Bank.open`) without re-reading the raw files.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import pandas as pd

from . import validate
from .contract import REQUIRED_TABLES, TABLES
from .errors import DataError, DataProblem, UsageError
from .io import find_sources, read_table
from .timeframe import Timeframe


def read_folder(
    data_dir: str | Path, branch: str | None = None
) -> tuple[dict[str, pd.DataFrame], list[DataProblem]]:
    """Read, type and check every table of a data folder.

    With `branch`, Hive partitions of other branches are not opened and the
    cross-table rules are checked on that branch's rows; without it, on the
    whole folder (what `python -m analysis validate` does). Returns the
    tables (still with row bookkeeping) and every problem found.
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
    tables: dict[str, pd.DataFrame] = {}
    branch_ids = [branch] if branch else None
    for name, source in sources.items():
        df, found = read_table(data_dir, source, branch_ids=branch_ids)
        problems.extend(found)
        if df is None:
            continue
        problems.extend(validate.check_table(TABLES[name], df))
        tables[name] = df
    if branch is not None and "branches" in tables:
        known = set(tables["branches"]["branch_id"].dropna())
        if branch not in known:
            raise UsageError(
                f"branch {branch!r} is not in branches; known branches: {', '.join(sorted(known))}"
            )
        # Keys are checked on every row read, so that a row pointing at no
        # customer is reported, not dropped by the branch selection. Only
        # when customers come from the branch's own partition (other
        # branches' customers unread) must the check wait for the selection.
        customers_partitioned = "customers" in sources and sources["customers"].partitioned_by_branch
        if not customers_partitioned:
            problems.extend(validate.check_relations(tables))
        tables = select_branch(tables, branch)
        if customers_partitioned:
            problems.extend(validate.check_relations(tables))
        return tables, problems
    problems.extend(validate.check_relations(tables))
    return tables, problems


def select_branch(tables: dict[str, pd.DataFrame], branch: str) -> dict[str, pd.DataFrame]:
    """The rows of every table that belong to `branch` (and its city)."""
    out: dict[str, pd.DataFrame] = {}
    branches = tables["branches"]
    row = branches[branches["branch_id"] == branch]
    city = row["city"].iloc[0] if len(row) else None
    customers = tables.get("customers")
    ids = set(customers.loc[customers["branch_id"] == branch, "customer_id"]) if customers is not None else set()
    campaigns = tables.get("campaigns")
    campaign_ids = (
        set(campaigns.loc[campaigns["branch_id"] == branch, "campaign_id"]) if campaigns is not None else set()
    )
    for name, df in tables.items():
        if name in ("market_survey", "market_share"):
            out[name] = df[df["city"] == city]
        elif name == "campaign_contacts":
            out[name] = df[df["campaign_id"].isin(campaign_ids)]
        elif name == "branches":
            out[name] = df  # kept whole: foreign keys and the branch list refer to it
        elif TABLES[name].branch_key == "branch_id" and "branch_id" in df:
            out[name] = df[df["branch_id"] == branch]
        elif TABLES[name].branch_key == "customer_id" and "customer_id" in df:
            out[name] = df[df["customer_id"].isin(ids)]
        else:
            out[name] = df
    return {k: v.reset_index(drop=True) for k, v in out.items()}


def load_tables(data_dir: str | Path, branch: str | None = None) -> dict[str, pd.DataFrame]:
    """Validated tables with their final dtypes; raises `DataError` listing every problem."""
    tables, problems = read_folder(data_dir, branch)
    if problems:
        raise DataError(problems)
    return {name: validate.finalize(TABLES[name], df) for name, df in tables.items()}


class PreparedTables(Mapping):
    """The tables of a prepared bank, each read from its Parquet file on
    first use: a notebook that never touches `transactions` never reads it."""

    def __init__(self, folder: Path, rows: dict[str, int]):
        self._folder, self._rows, self._loaded = folder, rows, {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._rows:
            raise KeyError(name)
        if name not in self._loaded:
            df = pd.read_parquet(self._folder / f"{name}.parquet")
            self._loaded[name] = validate.restore_dtypes(TABLES[name], df)
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def row_count(self, name: str) -> int:
        return self._rows.get(name, 0)


@dataclass
class Bank:
    """One branch's validated tables and its time frame.

    Tables absent from the data folder are `None` (`bank.has(name)` is
    False); every analysis that needs one reports itself skipped.
    """

    branch_id: str
    tables: Mapping[str, pd.DataFrame]
    timeframe: Timeframe
    data_dir: str = ""
    options: dict = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame | None:
        if name in TABLES:
            return self.__dict__["tables"].get(name)
        raise AttributeError(name)

    def has(self, name: str) -> bool:
        if isinstance(self.tables, PreparedTables):
            return self.tables.row_count(name) > 0
        df = self.tables.get(name)
        return df is not None and len(df) > 0

    @property
    def branch(self) -> dict:
        """The branch's row of `branches`: branch_name, city, home_bank."""
        b = self.tables["branches"]
        return b[b["branch_id"] == self.branch_id].iloc[0].to_dict()

    @property
    def missing_tables(self) -> list[str]:
        return [n for n in TABLES if not self.has(n)]

    @cached_property
    def features(self):
        """Canonical per-customer features (see `analysis.features`)."""
        from .features import customer_features

        return customer_features(self)

    # -- a prepared bank: written once per run, read by every notebook -------

    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in self.tables.items():
            df.to_parquet(folder / f"{name}.parquet", index=False)
        meta = {
            "branch_id": self.branch_id,
            "M": self.timeframe.M.strftime("%Y-%m-%d"),
            "data_dir": str(self.data_dir),
            "options": self.options,
            "tables": {name: int(len(df)) for name, df in self.tables.items()},
        }
        (folder / "bank.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        return folder

    @classmethod
    def open(cls, folder: str | Path) -> "Bank":
        folder = Path(folder)
        meta = json.loads((folder / "bank.json").read_text(encoding="utf-8"))
        tables = PreparedTables(folder, meta["tables"])
        return cls(
            meta["branch_id"],
            tables,
            Timeframe(pd.Timestamp(meta["M"])),
            data_dir=meta.get("data_dir", ""),
            options=meta.get("options", {}),
        )


def load(data_dir: str | Path, branch: str, as_of: str | None = None) -> Bank:
    """Load and validate one branch of a data folder.

    `as_of` (`YYYY-MM`) sets month M; by default M is the last month in the
    branch's `monthly_snapshots`. Raises `DataError` for data problems and
    `UsageError` for an unknown branch.
    """
    started = time.monotonic()
    tables = load_tables(data_dir, branch)
    snaps = tables["monthly_snapshots"]
    if as_of is None and snaps.empty:
        raise DataError(
            [DataProblem("monthly_snapshots", f"no snapshot rows for branch {branch!r}: nothing to analyse")]
        )
    tf = Timeframe.from_snapshots(snaps["month"], as_of)
    return Bank(branch, tables, tf, data_dir=str(data_dir), options={"load_seconds": round(time.monotonic() - started, 2)})


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
    return {n: validate.finalize(TABLES[n], df) for n, df in out.items()}
