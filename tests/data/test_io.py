"""Reading a data folder: every format and encoding, ids, partitions, and unreadable data."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

import analysis
from analysis.data import dtypes, io, validate
from analysis.data.bank import read_folder
from analysis.data.contract import TABLES
from analysis.errors import DataError

from broken_data import Tables, small_bank, write_bank

# ---- the conformance bank


def rows_in_file(path: Path) -> int:
    """Data rows of a file, counted without the loader (header excluded)."""
    if path.is_dir():
        return sum(rows_in_file(p) for p in path.rglob("*.parquet"))
    if path.suffix == ".parquet":
        return pq.ParquetFile(path).metadata.num_rows
    if path.suffix == ".xlsx":
        return openpyxl.load_workbook(path, read_only=True).worksheets[0].max_row - 1
    for enc in ("utf-8-sig", "gb18030"):
        try:
            with path.open(encoding=enc, newline="") as f:
                return sum(1 for _ in csv.reader(f)) - 1
        except UnicodeDecodeError:
            continue
    raise AssertionError(path)


@pytest.mark.parametrize("folder", ["good", "lean"])
def test_conformance_folders_load_clean_with_every_row(conformance_dir, folder):
    data = conformance_dir / folder
    tables, problems = read_folder(data)
    assert problems == []
    entries = {p.stem if p.is_file() else p.name: p for p in data.iterdir()}
    assert set(tables) == set(entries) and len(tables) == (11 if folder == "good" else 3)
    for name, df in tables.items():
        assert len(df) == rows_in_file(entries[name]), name


def test_a_branch_has_its_rows_and_contract_dtypes(conformance_dir):
    bank = analysis.load(conformance_dir / "good", branch="fixture-a")
    c = bank.customers
    assert len(c) == 2800 and set(c["branch_id"]) == {"fixture-a"}
    assert c["customer_id"].iloc[0] == "00000001"  # leading zeros kept
    assert c["customer_id"].dtype == object and c["customer_id"].map(type).eq(str).all()
    assert isinstance(c["segment"].dtype, pd.CategoricalDtype)
    assert list(c["segment"].cat.categories) == ["mass", "affluent", "high_net_worth", "sme"]
    assert c["open_date"].dtype == "datetime64[ns]" and c["birth_year"].dtype == np.int64
    assert bank.monthly_snapshots["digital_active"].dtype == bool
    assert bank.monthly_snapshots["products_held"].dtype == np.int64
    assert bank.monthly_snapshots["month"].dt.day.eq(1).all()
    assert bank.surveys["exp_service_quality"].dtype == np.float64  # nullable int
    assert bank.transactions["ts"].dtype == "datetime64[ns]"
    assert bank.branch["branch_name"] == "建行测试甲支行"  # UTF-8 with BOM
    # GB18030 text read as such
    assert bank.market_survey["city"].eq("乐山").all()


# ---- one small table in every format

CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["000123", "000124", "010000", "000001"],
        "branch_id": ["meishan", "meishan", "leshan", "leshan"],
        "open_date": ["2015-03-02", "2020-11-30", "2019-01-15", "2024-03-01"],
        "close_date": [None, "2025-06-30", None, None],
        "close_reason": [None, "competitor_offer", None, None],
        "destination_bank": [None, "眉山农村商业银行", None, "乐山市商业银行"],
        "birth_year": [1970, 1988, 1990, 2000],
        "gender": ["F", "M", "U", "F"],
        "area": ["urban", "county", "rural", "urban"],
        "segment": ["mass", "affluent", "sme", "high_net_worth"],
        "vip_tier": ["none", "gold", "none", "diamond"],
        "vip_since": [None, "2021-01-01", None, "2024-05-01"],
        "rm_id": [None, "007", None, "0080"],
    }
)
DATES = ["open_date", "close_date", "vip_since"]


def typed(df: pd.DataFrame) -> pd.DataFrame:
    """The table as a typed export (Parquet, Excel) would hold it."""
    out = df.copy()
    for c in DATES:
        out[c] = pd.to_datetime(out[c])
    return out


def write_csv(df, folder, encoding):
    df.to_csv(folder / "customers.csv", index=False, encoding=encoding)


def write_partitioned(df, folder):
    for branch, part in typed(df).groupby("branch_id"):
        d = folder / "customers" / f"branch_id={branch}"
        d.mkdir(parents=True)
        part.drop(columns="branch_id").to_parquet(d / "part-0.parquet", index=False)


WRITERS = {
    "utf-8 csv": lambda df, d: write_csv(df, d, "utf-8"),
    "utf-8 bom csv": lambda df, d: write_csv(df, d, "utf-8-sig"),
    "gbk csv": lambda df, d: write_csv(df, d, "gbk"),
    "gb18030 csv": lambda df, d: write_csv(df, d, "gb18030"),
    "parquet": lambda df, d: typed(df).to_parquet(d / "customers.parquet", index=False),
    "parquet of strings": lambda df, d: df.astype({"birth_year": str}).to_parquet(d / "customers.parquet", index=False),
    "excel": lambda df, d: typed(df).to_excel(d / "customers.xlsx", index=False),
    "excel, data on the first of two sheets": lambda df, d: _two_sheets(df, d / "customers.xlsx"),
    "partitioned folder": write_partitioned,
}


def _two_sheets(df, path):
    with pd.ExcelWriter(path) as xl:
        typed(df).to_excel(xl, sheet_name="客户", index=False)
        pd.DataFrame({"说明": ["导出说明"]}).to_excel(xl, sheet_name="说明", index=False)


def read_one(folder: Path, name: str = "customers", branch_ids=None):
    """One table read, coerced and checked as `read_folder` does: (frame, problems)."""
    sources, problems = io.find_sources(folder)
    df, found = io.read_table(folder, sources[name], branch_ids=branch_ids)
    problems += found
    if df is not None:
        problems += validate.check_table(TABLES[name], df)
    return df, problems


def final(df: pd.DataFrame, name: str = "customers") -> pd.DataFrame:
    out = dtypes.finalize(TABLES[name], df)[list(TABLES[name].column_names)]
    return out.sort_values(out.columns[0]).reset_index(drop=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> pd.DataFrame:
    d = tmp_path_factory.mktemp("ref")
    write_csv(CUSTOMERS, d, "utf-8")
    df, problems = read_one(d)
    assert problems == []
    return final(df)


@pytest.mark.parametrize("fmt", WRITERS)
def test_every_format_reads_the_same_table(fmt, tmp_path, reference):
    WRITERS[fmt](CUSTOMERS, tmp_path)
    df, problems = read_one(tmp_path)
    assert problems == []
    got = final(df)
    pd.testing.assert_frame_equal(got, reference)
    assert sorted(got["customer_id"]) == ["000001", "000123", "000124", "010000"]
    assert set(got["rm_id"].dropna()) == {"007", "0080"}
    assert "眉山农村商业银行" in set(got["destination_bank"])


def test_reference_has_the_contract_dtypes(reference):
    assert reference["customer_id"].tolist() == ["000001", "000123", "000124", "010000"]
    assert reference["close_date"].dtype == "datetime64[ns]" and reference["close_date"].isna().sum() == 3
    assert reference["birth_year"].dtype == np.int64
    assert isinstance(reference["vip_tier"].dtype, pd.CategoricalDtype)
    assert reference["vip_tier"].tolist() == ["diamond", "none", "gold", "none"]  # "none" is a tier, not a null


def test_a_gbk_file_is_not_utf8(tmp_path):
    write_csv(CUSTOMERS, tmp_path, "gbk")
    with pytest.raises(UnicodeDecodeError):
        (tmp_path / "customers.csv").read_bytes().decode("utf-8")


def test_month_may_be_written_as_year_and_month(tmp_path, small):
    snaps = small["monthly_snapshots"].head(3).copy()
    snaps["month"] = ["2024-03", "2024-04", "2024-05-01"]
    snaps.to_csv(tmp_path / "monthly_snapshots.csv", index=False)
    df, problems = read_one(tmp_path, "monthly_snapshots")
    assert problems == []
    assert df["month"].tolist() == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-01"), pd.Timestamp("2024-05-01")]


def test_month_with_a_day_other_than_the_first_is_a_problem(tmp_path, small):
    snaps = small["monthly_snapshots"].head(3).copy()
    snaps["month"] = ["2024-03-01", "2024-04-15", "2024-05-01 10:00"]
    snaps.to_parquet(tmp_path / "monthly_snapshots.parquet", index=False)
    _, (p,) = read_one(tmp_path, "monthly_snapshots")
    assert (p.column, p.rows, p.file) == ("month", ("row 2", "row 3"), "monthly_snapshots.parquet")
    assert "first day of the month" in p.rule


# ---- partitions: a branch run reads only its branch's files


def test_a_branch_read_opens_only_that_branchs_partition(tmp_path):
    write_partitioned(CUSTOMERS, tmp_path)
    (tmp_path / "customers/branch_id=leshan/part-0.parquet").write_bytes(b"not parquet at all")
    df, problems = read_one(tmp_path, branch_ids=["meishan"])
    assert problems == []
    assert df["customer_id"].tolist() == ["000123", "000124"] and set(df["branch_id"]) == {"meishan"}
    assert set(df[io.SOURCE_FILE]) == {"customers/branch_id=meishan/part-0.parquet"}
    # the whole folder does open the broken file, and says which one it is
    df, (p,) = read_one(tmp_path)
    assert df is None
    assert (p.table, p.file) == ("customers", "customers/branch_id=leshan/part-0.parquet")
    assert "cannot read" in p.rule


def test_a_branch_loads_when_another_branchs_snapshots_are_broken(conformance_dir, tmp_path):
    data = tmp_path / "good"
    shutil.copytree(conformance_dir / "good", data)
    broken = data / "monthly_snapshots/branch_id=fixture-b/part-0.parquet"
    broken.write_bytes(broken.read_bytes()[:200])
    bank = analysis.load(data, branch="fixture-a")
    assert len(bank.monthly_snapshots) > 0 and len(bank.customers) == 2800
    with pytest.raises(DataError) as err:
        analysis.load(data, branch="fixture-b")
    (p,) = err.value.problems
    assert p.file == "monthly_snapshots/branch_id=fixture-b/part-0.parquet"
    assert "monthly_snapshots/branch_id=fixture-b/part-0.parquet" in str(err.value)


def test_rows_of_a_partitioned_folder_name_their_file(tmp_path):
    bad = CUSTOMERS.assign(gender=["F", "M", "X", "F"])
    write_partitioned(bad, tmp_path)
    _, (p,) = read_one(tmp_path)
    # all broken rows are in one part: the problem names it; Parquet rows count from 1
    assert p.file == "customers/branch_id=leshan/part-0.parquet" and p.rows == ("row 1",)
    assert p.examples == ("X",)
    bad = CUSTOMERS.assign(gender=["F", "Q", "X", "F"])
    shutil.rmtree(tmp_path / "customers")
    write_partitioned(bad, tmp_path)
    _, (p,) = read_one(tmp_path)
    # rows in several parts: each row names its part
    assert p.rows == (
        "customers/branch_id=leshan/part-0.parquet row 1",
        "customers/branch_id=meishan/part-0.parquet row 2",
    )


def test_excel_rows_count_from_the_header(tmp_path):
    typed(CUSTOMERS.assign(birth_year=[1970, 1988, 1850, 2000])).to_excel(tmp_path / "customers.xlsx", index=False)
    _, (p,) = read_one(tmp_path)
    assert (p.file, p.column, p.rows, p.examples) == ("customers.xlsx", "birth_year", ("row 4",), ("1850",))


# ---- a folder that cannot be read as the contract says


@pytest.fixture(scope="module")
def small(conformance_dir) -> Tables:
    return small_bank(conformance_dir)


@pytest.fixture
def lean(small, tmp_path) -> Path:
    """The small bank with only its required tables, as CSV."""
    return write_bank({k: small[k] for k in ("branches", "customers", "monthly_snapshots")}, tmp_path / "lean")


def only_problem(folder: Path):
    _, problems = read_folder(folder)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_the_lean_small_bank_is_clean(lean):
    assert read_folder(lean)[1] == []


def test_undecodable_csv(lean):
    (lean / "customers.csv").write_bytes(b"customer_id,branch_id\n\xff\xfe\x80\x81,\x80\n")
    p = only_problem(lean)
    assert (p.table, p.file) == ("customers", "customers.csv")
    assert "cannot decode" in p.rule and "GB18030" in p.rule


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_unreadable_binary_file(lean, suffix):
    (lean / "customers.csv").unlink()
    (lean / f"customers{suffix}").write_bytes(b"PK\x03\x04 this is not really a file")
    p = only_problem(lean)
    assert (p.table, p.file) == ("customers", f"customers{suffix}")
    assert "cannot read the file" in p.rule


def test_missing_required_table(lean):
    (lean / "monthly_snapshots.csv").unlink()
    p = only_problem(lean)
    assert p.table == "monthly_snapshots" and "required table is missing" in p.rule
    assert p.file == str(lean)


def test_two_files_for_one_table(lean, small):
    small["customers"].to_parquet(lean / "customers.parquet", index=False)
    _, problems = read_folder(lean)
    p = problems[0]  # (and every rule that needs customers then finds none)
    assert p.table == "customers" and "more than one file" in p.rule
    assert "customers.csv" in p.rule and "customers.parquet" in p.rule


def test_empty_required_table(lean):
    header = (lean / "customers.csv").read_text(encoding="utf-8").splitlines()[0]
    (lean / "customers.csv").write_text(header + "\n", encoding="utf-8")
    p = only_problem(lean)
    assert (p.table, p.file) == ("customers", "customers.csv") and "no rows" in p.rule


def test_empty_partition_folder_is_an_empty_table_not_missing_columns(tmp_path):
    (tmp_path / "customers").mkdir()
    df, (p,) = read_one(tmp_path)
    assert len(df) == 0 and (p.table, p.file) == ("customers", "customers") and "no rows" in p.rule


def test_missing_column(lean, small):
    small["customers"].drop(columns="segment").to_csv(lean / "customers.csv", index=False)
    p = only_problem(lean)
    assert (p.table, p.file, p.column) == ("customers", "customers.csv", "segment")
    assert "required column is missing" in p.rule


def test_extra_columns_are_kept_and_ignored(lean, small):
    small["customers"].assign(note="备注").to_csv(lean / "customers.csv", index=False)
    tables, problems = read_folder(lean)
    assert problems == [] and tables["customers"]["note"].eq("备注").all()


@pytest.mark.parametrize(
    "column, value, words",
    [
        ("birth_year", "nineteen", "not a number"),
        ("birth_year", "1980.5", "not a whole number"),
        ("open_date", "2024-13-45", "not an ISO date"),
        ("open_date", "{} 10:30", "a date with a time of day"),  # {}: the customer's own open date
    ],
)
def test_values_of_the_wrong_type(lean, small, column, value, words):
    c = small["customers"].astype({column: object})
    value = value.format(str(c.loc[2, column])[:10])
    c.loc[2, column] = value
    c.to_csv(lean / "customers.csv", index=False)
    p = only_problem(lean)
    assert (p.table, p.file, p.column, p.count, p.rows, p.examples) == (
        "customers",
        "customers.csv",
        column,
        1,
        ("row 4",),
        (value,),
    )
    assert words in p.rule


def test_a_bool_column_of_the_wrong_type(lean, small):
    s = small["monthly_snapshots"].astype({"digital_active": object})
    s.loc[[0, 7], "digital_active"] = ["maybe", "是"]  # 是 (yes) is read as true
    s.to_csv(lean / "monthly_snapshots.csv", index=False)
    p = only_problem(lean)
    assert (p.column, p.rows, p.examples, p.rule) == ("digital_active", ("row 2",), ("maybe",), "not true/false")


# ---- a branch run reads and checks the rows it analyses


def test_a_broken_row_of_another_branch_does_not_stop_a_branch(small, tmp_path):
    tables = {k: v.copy() for k, v in small.items()}
    c = tables["customers"] = tables["customers"].astype({"gender": object, "birth_year": object})
    b_row = int(c.index[c["branch_id"] == "fixture-b"][0])
    c.loc[b_row, "gender"] = "X"
    c.loc[b_row, "birth_year"] = "nineteen"
    folder = write_bank(tables, tmp_path / "bank")
    assert len(read_folder(folder)[1]) == 2  # validate sees every row
    tables_a, problems_a = read_folder(folder, "fixture-a")
    assert problems_a == []
    assert set(tables_a.final("customers")["branch_id"]) == {"fixture-a"}
    _, problems_b = read_folder(folder, "fixture-b")
    assert [(p.column, p.rows) for p in problems_b] == [
        ("birth_year", (f"row {b_row + 2}",)),
        ("gender", (f"row {b_row + 2}",)),
    ]


def test_a_row_of_no_branch_is_reported_in_every_branch_run(small, tmp_path):
    tables = {k: v.copy() for k, v in small.items()}
    tables["interactions"].loc[3, "customer_id"] = "nobody"
    tables["customers"].loc[0, "branch_id"] = "fixture-z"
    folder = write_bank(tables, tmp_path / "bank")
    for branch in ("fixture-a", "fixture-b"):
        problems = read_folder(folder, branch)[1]
        assert {(p.table, p.column, p.rows) for p in problems} >= {
            ("interactions", "customer_id", ("row 5",)),
            ("customers", "branch_id", ("row 2",)),
        }, branch


@pytest.mark.slow
def test_a_branch_load_is_the_branch_of_the_whole_load(conformance_dir):
    from analysis.data.bank import load_tables, select_branch

    whole = load_tables(conformance_dir / "good")
    for branch in ("fixture-a", "fixture-b"):
        mine = load_tables(conformance_dir / "good", branch)
        for name, df in select_branch(whole, branch).items():
            pd.testing.assert_frame_equal(mine[name], df.reset_index(drop=True), obj=f"{branch} {name}")


@pytest.mark.slow
def test_a_whole_folder_read_gives_each_branch_without_reading_it_again(conformance_dir):
    from analysis.data.bank import load_tables

    tables, problems = read_folder(conformance_dir / "good")
    assert problems == []
    for branch in ("fixture-a", "fixture-b"):
        mine = tables.select(branch)
        for name, df in load_tables(conformance_dir / "good", branch).items():
            pd.testing.assert_frame_equal(mine[name], df, obj=f"{branch} {name}")


def test_a_branch_load_keeps_partitioned_transactions_as_arrow_to_the_prepared_bank(sample_dir, tmp_path):
    """Hive-partitioned transactions stay Arrow through load, save and
    fingerprint, and come back from the prepared bank as the pandas load has them."""
    import analysis
    from analysis.data.bank import Bank, load_tables
    from analysis.data.fingerprint import data_fingerprint
    from analysis.run.runner import branch_fingerprint

    bank = analysis.load(sample_dir, branch="meishan")
    assert bank.tables.unread("transactions") is not None
    opened = Bank.open(bank.save(tmp_path / "prep"))
    ref = load_tables(sample_dir, "meishan")
    pd.testing.assert_frame_equal(opened.transactions, ref["transactions"])
    ref["branches"] = ref["branches"][ref["branches"]["branch_id"] == "meishan"]
    assert branch_fingerprint(bank) == data_fingerprint(ref)
    assert bank.tables.unread("transactions") is not None  # none of it needed a DataFrame


# ---- a bank's messy extract (issue 17): read as the contract types it, or a clear problem


def both_engines(folder: Path, branch: str | None = None):
    """(tables, problems) of `folder` read by each engine."""
    return [read_folder(folder, branch, engine=e) for e in ("pandas", "duckdb")]


def test_timestamps_with_an_offset_keep_their_wall_clock_time(small, tmp_path):
    tables = {k: v.copy() for k, v in small.items()}
    ts = small["transactions"]["ts"]
    tables["transactions"] = tables["transactions"].astype({"ts": object})
    tables["transactions"]["ts"] = ts.dt.strftime("%Y-%m-%dT%H:%M:%S+08:00")
    tables["transactions"].loc[1, "ts"] = ts[1].strftime("%Y-%m-%d %H:%M:%S+09:00")  # mixed offsets too
    tables["transactions"].loc[2, "ts"] = ts[2].strftime("%Y-%m-%dT%H:%M:%SZ")
    folder = write_bank(tables, tmp_path / "csv")
    for read, problems in both_engines(folder):
        assert problems == []
        pd.testing.assert_series_equal(read.final("transactions")["ts"], ts)  # 10:00+08:00 is 10:00, not 02:00


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "+08:00", "UTC"])
def test_timezone_aware_parquet_timestamps_are_the_wall_clock_of_their_zone(small, tmp_path, zone):
    tables = {k: v.copy() for k, v in small.items()}
    folder = write_bank(tables, tmp_path / "pq")
    (folder / "transactions.csv").unlink()
    ts = small["transactions"]["ts"]
    tables["transactions"].assign(ts=ts.dt.tz_localize(zone)).to_parquet(folder / "transactions.parquet", index=False)
    for read, problems in both_engines(folder):
        assert problems == []  # no "ts is before the customer's open_date" from a shift to UTC
        pd.testing.assert_series_equal(read.final("transactions")["ts"], ts)
    bank = analysis.load(folder, "fixture-a")
    mine = small["transactions"]["customer_id"].isin(bank.customers["customer_id"])
    assert sorted(bank.transactions["ts"]) == sorted(ts[mine])


def test_integer_ids_in_parquet_are_the_text_ids_of_the_csv_tables(small, tmp_path):
    tables = {k: v.copy() for k, v in small.items()}
    for df in tables.values():
        if "customer_id" in df:  # ids without leading zeros, as an integer export writes them
            df["customer_id"] = df["customer_id"].map(lambda v: v if v is None or v != v else str(int(v)))
    folder = write_bank(tables, tmp_path / "bank")
    (folder / "customers.csv").unlink()
    tables["customers"].astype({"customer_id": "int64"}).to_parquet(folder / "customers.parquet", index=False)
    for read, problems in both_engines(folder):
        assert problems == [] and read.final("customers")["customer_id"].map(type).eq(str).all()
    for branch in ("fixture-a", "fixture-b"):
        # validate and run agree: a branch selects its rows comparing text with text
        for read, problems in both_engines(folder, branch):
            assert problems == [], branch
            ids = set(read.final("customers")["customer_id"])
            assert ids and set(read.final("monthly_snapshots")["customer_id"]) <= ids
        bank = analysis.load(folder, branch)
        assert bank.has("monthly_snapshots") and set(bank.customers["branch_id"]) == {branch}


def test_text_ids_keep_their_leading_zeros_against_integer_ids(small, tmp_path):
    tables = {k: v.copy() for k, v in small.items()}
    folder = write_bank(tables, tmp_path / "bank")  # "00000001" in every CSV
    (folder / "monthly_snapshots.csv").unlink()
    s = tables["monthly_snapshots"].astype({"customer_id": "int64"})  # 1, not 00000001
    s.to_parquet(folder / "monthly_snapshots.parquet", index=False)
    (p, *_) = [p for p in read_folder(folder)[1] if p.column == "customer_id"]
    assert p.table == "monthly_snapshots" and p.rule == "customer_id is not in customers" and p.examples[0] == "1"


def _lean_folder(small, folder: Path) -> Path:
    return write_bank({k: small[k] for k in ("branches", "customers", "monthly_snapshots")}, folder)


def only_customers_problem(folder: Path):
    found = [[p for p in problems if p.table == "customers"] for _, problems in both_engines(folder)]
    assert found[0] == found[1]
    (p,) = found[0]
    assert p.column is None and p.rule.startswith("13 of 13 required columns are missing (customer_id, branch_id")
    return p


def test_a_title_line_above_the_header_is_named(small, tmp_path):
    folder = _lean_folder(small, tmp_path / "bank")
    zh = small["customers"].set_axis(["客户号", "分行", *small["customers"].columns[2:]], axis=1)
    (folder / "customers.csv").write_text("客户明细表 2025年4月\n" + zh.to_csv(index=False), encoding="utf-8")
    p = only_customers_problem(folder)
    assert "the header looks like line 2: 客户号,分行,open_date," in p.rule


@pytest.mark.parametrize("sep, word", [("\t", "tab"), (";", "semicolon")])
def test_another_delimiter_is_named(small, tmp_path, sep, word):
    folder = _lean_folder(small, tmp_path / "bank")
    small["customers"].to_csv(folder / "customers.csv", sep=sep, index=False)
    p = only_customers_problem(folder)
    assert f"the file looks {word}-separated" in p.rule and "save it comma-separated" in p.rule


def test_data_on_another_sheet_names_the_sheets(small, tmp_path):
    folder = _lean_folder(small, tmp_path / "bank")
    (folder / "customers.csv").unlink()
    with pd.ExcelWriter(folder / "customers.xlsx") as xl:
        pd.DataFrame({"说明": ["导出说明"]}).to_excel(xl, sheet_name="说明", index=False)
        small["customers"].to_excel(xl, sheet_name="客户明细", index=False)
    p = only_customers_problem(folder)
    assert "sheets: 说明, 客户明细 — data read from the first sheet (说明)" in p.rule
    assert "sheet 客户明细 row 1 has customer_id, branch_id" in p.rule


def test_a_header_of_other_names_is_shown(small, tmp_path):
    folder = _lean_folder(small, tmp_path / "bank")
    zh = small["customers"].set_axis([f"列{i}" for i in range(13)], axis=1)
    zh.to_csv(folder / "customers.csv", index=False)
    assert "the columns found are: 列0, 列1, 列2" in only_customers_problem(folder).rule


def test_a_city_with_or_without_its_suffix_is_the_same_city(small, tmp_path):
    from analysis.data.bank import load_tables, select_branch

    tables = {k: v.copy() for k, v in small.items()}
    for name in ("market_share", "market_survey"):
        tables[name]["city"] = tables[name]["city"] + "市"  # 乐山市 in the market tables, 乐山 in branches
    folder = write_bank(tables, tmp_path / "bank")
    want = {n: int((small[n]["city"] == "乐山").sum()) for n in ("market_share", "market_survey")}
    for read, problems in both_engines(folder, "fixture-a"):
        assert problems == [] and {n: len(read.final(n)) for n in want} == want
    assert {n: len(select_branch(load_tables(folder), "fixture-a")[n]) for n in want} == want
    bank = analysis.load(folder, "fixture-a")
    assert bank.row_count("market_share") == want["market_share"] and bank.unmatched_cities == {}


def test_market_tables_without_the_branchs_city_record_what_they_have(small, tmp_path):
    tables = {k: v.copy() for k, v in small.items()}
    tables["market_share"]["city"] = "成都"
    folder = write_bank(tables, tmp_path / "bank")
    note = {"market_share": {"city": "乐山", "cities": ["成都"], "more": 0}}
    for read, problems in both_engines(folder, "fixture-a"):
        assert problems == [] and read.unmatched == note
    assert analysis.load(folder, "fixture-a").unmatched_cities == note
    whole, unmatched = read_folder(folder)[0], {}
    assert len(whole.select("fixture-a", unmatched)["market_share"]) == 0 and unmatched == note
