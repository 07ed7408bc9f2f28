"""Big tables checked where they lie (analysis.scan) report exactly what the
pandas route reports: every broken rule of tests/broken_data.py, read both
ways, gives the same problems (table, file, column, rule, count, rows, values)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.data import frames, scan
from analysis.data.bank import load_tables, read_folder
from analysis.data.contract import TABLES

from broken_data import CASES, Case, Tables, small_bank, write_bank


@pytest.fixture(scope="module")
def small(conformance_dir) -> Tables:
    return small_bank(conformance_dir)


def copy(tables: Tables) -> Tables:
    return {k: v.copy() for k, v in tables.items()}


def both(folder: Path, branch: str | None = None):
    """Problems of `folder` read by each engine."""
    return [read_folder(folder, branch, engine=e)[1] for e in ("pandas", "duckdb")]


def write_parquet_bank(tables: Tables, folder: Path) -> Path:
    """Every table as typed Parquet; the big two partitioned by branch as the generator writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    branch_of = tables["customers"].drop_duplicates("customer_id").set_index("customer_id")["branch_id"]
    for name, df in tables.items():
        if name in scan.ALWAYS_SCANNED:
            b = df["customer_id"].map(branch_of).fillna("fixture-a")
            for branch, part in df.groupby(b, sort=True):
                d = folder / name / f"branch_id={branch}"
                d.mkdir(parents=True)
                part.to_parquet(d / "part-0.parquet", index=False)
        else:
            df.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


@pytest.mark.slow  # every rule through both engines: minutes; make test runs it
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_broken_rule_is_the_same_problem_either_way(case: Case, small, tmp_path):
    tables = copy(small)
    case.breaks(tables)
    pandas_way, duckdb_way = both(write_bank(tables, tmp_path / "csv"))
    assert len(pandas_way) == 1, "\n".join(map(str, pandas_way))
    assert duckdb_way == pandas_way


PARQUET_CASES = [c for c in CASES if c.table in ("monthly_snapshots", "transactions", "customers", "campaign_contacts")]


@pytest.mark.slow  # every rule through both engines: minutes; make test runs it
@pytest.mark.parametrize("case", PARQUET_CASES, ids=lambda c: c.id)
def test_a_broken_rule_in_parquet_partitions_is_the_same_problem_either_way(case: Case, small, tmp_path):
    tables = copy(small)
    case.breaks(tables)
    folder = write_parquet_bank(tables, tmp_path / "pq")
    pandas_way, duckdb_way = both(folder)
    assert len(pandas_way) >= 1
    assert duckdb_way == pandas_way
    # and for a branch run, which reads its partitions only
    assert [p for p in read_folder(folder, "fixture-a", engine="duckdb")[1]] == [
        p for p in read_folder(folder, "fixture-a", engine="pandas")[1]
    ]


# Values that cannot be read as their kind, in the big tables and in CSV text.
TYPE_CASES = [
    ("monthly_snapshots", "products_held", ["abc", "1,234", "2.5", " 7", "inf"]),
    ("monthly_snapshots", "deposit_balance", ["1,234.50", "-", "1e3", "NaN", "12.5.1"]),
    ("monthly_snapshots", "month", ["2024-03", "2024-03-15", "2024-13-01", "2024-03-01 10:00", "20240301"]),
    ("monthly_snapshots", "digital_active", ["maybe", "是", "YES", " true", "2"]),
    ("transactions", "ts", ["2024-03-01", "2024-03-01T10:00:00", "yesterday", "2024-02-30 10:00:00", "1850-01-01"]),
    ("transactions", "amount", ["0", "-1", "abc", "NULL", "5,5"]),
    ("customers", "birth_year", ["nineteen", "1980.5", "1,980", "", "\\N"]),
    ("customers", "open_date", ["2024-13-45", "2020-01-01 10:30", "2020/01/01", "01-02-2020", "2020-1-1"]),
    # issue 17: incomplete dates, offsets, dates a bank's system spelt its own way
    ("customers", "open_date", ["1996", "1996-03", "2020-01-01T00:00:00+08:00", "2024年1月31日", "NaT"]),
    ("customers", "close_date", ["2024年1月31日", "2025", "2025-06-30", " ", "2025-06-30T00:00:00Z"]),
    (
        "transactions",
        "ts",
        ["2024-03-31T10:00:00+08:00", "2024-03-31 10:00+0800", "2024-03-31T10:00Z", "2024", "2024-03"],
    ),
    ("monthly_snapshots", "month", ["202404", "2024", "2024-04-01T00:00:00+08:00", "2024-4", "2024-04"]),
]


@pytest.mark.parametrize("table, column, values", TYPE_CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_unreadable_values_are_the_same_problems_either_way(table, column, values, small, tmp_path):
    tables = copy(small)
    df = tables[table].astype({column: object})
    rows = [1, 3, 4, 6, 9]
    for r, v in zip(rows, values):
        df.loc[r, column] = v
    tables[table] = df
    pandas_way, duckdb_way = both(write_bank(tables, tmp_path / "csv"))
    assert pandas_way, "the broken values must be found"
    assert duckdb_way == pandas_way


def test_many_files_are_named_the_same_either_way(small, tmp_path):
    tables = copy(small)
    s = tables["monthly_snapshots"]
    s.loc[s.index[::7], "deposit_balance"] = -1.0
    tables["transactions"].loc[[0, 5], "amount"] = 0.0
    folder = write_parquet_bank(tables, tmp_path / "pq")
    pandas_way, duckdb_way = both(folder)
    assert duckdb_way == pandas_way
    (p,) = [p for p in pandas_way if p.table == "monthly_snapshots"]
    assert " row " in p.rows[0] and "branch_id=" in p.file


def test_engines_load_the_same_bank(conformance_dir):
    a = analysis.load_tables(conformance_dir / "good", "fixture-a")
    tables, problems = read_folder(conformance_dir / "good", "fixture-a", engine="pandas")
    assert problems == []
    for name, df in a.items():
        ref = tables.final(name)[list(df.columns)]
        pd.testing.assert_frame_equal(df, ref, check_categorical=True, obj=name)


def test_a_large_csv_is_streamed_through_parquet(small, tmp_path, monkeypatch):
    tables = copy(small)
    tables["transactions"] = tables["transactions"].astype({"channel": object})
    tables["transactions"].loc[[2, 8], "channel"] = "fax"
    folder = write_bank(tables, tmp_path / "csv")
    expected = read_folder(folder, engine="pandas")[1]
    monkeypatch.setattr(scan, "CSV_IN_MEMORY_BYTES", 0)
    assert read_folder(folder, engine="duckdb")[1] == expected


def test_a_gbk_csv_is_scanned(small, tmp_path):
    tables = copy(small)
    tables["customers"] = tables["customers"].astype({"gender": object})
    tables["customers"].loc[3, "destination_bank"] = "眉山农村商业银行"
    tables["customers"].loc[5, "gender"] = "女"
    folder = write_bank(tables, tmp_path / "csv")
    tables["customers"].to_csv(folder / "customers.csv", index=False, encoding="gbk")
    pandas_way, duckdb_way = both(folder)
    assert [p.examples for p in pandas_way] == [("女",)]
    assert duckdb_way == pandas_way


def test_whole_folder_validation_does_not_read_big_tables_into_pandas(conformance_dir):
    tables, problems = read_folder(conformance_dir / "good")
    assert problems == []
    assert tables.row_count("transactions") > 0
    assert "transactions" not in tables._frames and "transactions" not in tables._loaded


def test_a_branch_frame_has_contract_dtypes_without_copies(conformance_dir):
    t = load_tables(conformance_dir / "good", "fixture-a")
    x = t["transactions"]
    assert x["customer_id"].dtype == object and x["ts"].dtype == "datetime64[ns]"
    assert isinstance(x["channel"].dtype, pd.CategoricalDtype)
    assert list(x["channel"].cat.categories) == list(TABLES["transactions"].column("channel").values)
    # repeated ids share one Python string: no per-row objects
    ids = x["customer_id"].to_numpy()
    assert len({id(v) for v in ids}) == x["customer_id"].nunique()
    s = t["monthly_snapshots"]
    assert s["products_held"].dtype == np.int64 and s["digital_active"].dtype == bool
    assert not any(c.startswith("_") for c in s.columns)


def test_text_numbers_and_dates_are_read_to_the_same_values_either_way(small, tmp_path):
    tables = copy(small)
    s = tables["monthly_snapshots"] = tables["monthly_snapshots"].astype({"deposit_balance": object, "month": object})
    odd = ["0.18686389208257614", "1,234.5", "12345678901234567", "3.14159265358979323846", "1e3", "007"]
    s.loc[: len(odd) - 1, "deposit_balance"] = odd
    s.loc[len(odd), "month"] = s.loc[len(odd), "month"].strftime("%Y-%m")  # 2024-03 is a month too
    folder = write_bank(tables, tmp_path / "csv")
    frames = [read_folder(folder, engine=e)[0] for e in ("pandas", "duckdb")]
    for name in ("monthly_snapshots", "customers"):
        pd.testing.assert_frame_equal(frames[1].final(name), frames[0].final(name), obj=name)


def test_a_prepared_table_reads_back_as_restore_dtypes_gives_it(conformance_dir, tmp_path):
    from analysis.data import dtypes

    bank = analysis.load(conformance_dir / "good", "fixture-a")
    for name in ("transactions", "customers", "monthly_snapshots", "surveys", "campaign_contacts"):
        path = tmp_path / f"{name}.parquet"
        bank.tables[name].to_parquet(path, index=False)
        expected = dtypes.restore_dtypes(TABLES[name], pd.read_parquet(path))
        pd.testing.assert_frame_equal(frames.read_frame(path, TABLES[name]), expected, check_categorical=True, obj=name)


def test_a_branch_without_rows_in_a_shared_file_gets_an_empty_table(small, tmp_path):
    tables = copy(small)
    b_ids = set(tables["customers"].loc[tables["customers"]["branch_id"] == "fixture-b", "customer_id"])
    tables["interactions"] = tables["interactions"][~tables["interactions"]["customer_id"].isin(b_ids)]
    folders = {"csv": write_bank(tables, tmp_path / "csv"), "parquet": write_parquet_bank(tables, tmp_path / "pq")}
    for kind, folder in folders.items():
        read = {e: read_folder(folder, "fixture-b", engine=e) for e in ("pandas", "duckdb")}
        assert read["duckdb"][1] == read["pandas"][1] == [], kind
        got, want = read["duckdb"][0].final("interactions"), read["pandas"][0].final("interactions")
        assert len(got) == 0
        pd.testing.assert_frame_equal(got, want, obj=kind)


@pytest.mark.parametrize("keep", [0.0, 0.4])
def test_a_month_with_gaps_is_the_same_problem_either_way(keep, small, tmp_path):
    from broken_data import drop_month

    tables = copy(small)
    drop_month(tables, "2025-04-01", keep=keep)
    for folder in (write_bank(tables, tmp_path / "csv"), write_parquet_bank(tables, tmp_path / "pq")):
        pandas_way, duckdb_way = both(folder)
        assert len(pandas_way) == 1 and pandas_way[0].rule.startswith("month 2025-04 has")
        assert duckdb_way == pandas_way
