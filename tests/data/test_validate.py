"""Every rule of the data contract, broken one at a time (fixtures in tests/broken_data.py)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from analysis.data import dtypes, io, validate
from analysis.data.bank import read_folder
from analysis.data.contract import TABLES

from broken_data import CASES, Case, Tables, as_text, drop_month, small_bank, write_bank


@pytest.fixture(scope="session")
def small(conformance_dir) -> Tables:
    return small_bank(conformance_dir)


def copy(tables: Tables) -> Tables:
    return {k: v.copy() for k, v in tables.items()}


def problems_of(tables: Tables, folder: Path, branch: str | None = None):
    return read_folder(write_bank(tables, folder / "bank"), branch)[1]


def rows_words(positions) -> tuple[str, ...]:
    """CSV rows as a person counts them: the header is row 1."""
    return tuple(f"row {i + 2}" for i in sorted(positions)[:5])


def test_small_bank_is_clean_and_covers_every_table(small, tmp_path):
    assert problems_of(small, tmp_path) == []
    assert set(small) == set(TABLES)
    assert all(len(df) for df in small.values())
    c = small["customers"]
    assert 40 <= len(c) <= 100 and set(c["branch_id"]) == {"fixture-a", "fixture-b"}
    assert c["close_date"].notna().any() and (c["vip_tier"] != "none").any() and c["rm_id"].notna().any()
    assert small["surveys"]["customer_id"].isna().any()  # anonymous responses are allowed
    assert set(small["campaign_contacts"]["group"]) == {"treatment", "control"}


COLUMN_RULE_WORDS = ("is empty", "is not one of", "must be", "does not match", "is not unique")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_broken_rule_is_one_clear_problem(case: Case, small, tmp_path):
    tables = copy(small)
    broken = case.breaks(tables)
    read, problems = read_folder(write_bank(tables, tmp_path / "bank"))
    assert len(problems) == 1, "\n".join(map(str, problems))
    p = problems[0]
    assert (p.table, p.column) == (case.table, case.column)
    assert case.words in p.rule
    assert p.file == f"{case.table}.csv"
    assert p.count == len(broken)
    assert p.rows == rows_words(broken)
    if case.example is not None:
        assert case.example in p.examples
    text = str(p)
    assert case.table in text and case.words in text and rows_words(broken)[0] in text
    if case.words.startswith(COLUMN_RULE_WORDS):
        # The vectorised runner flags exactly the rows pandera's own lazy validation flags.
        df = read[case.table]
        with pytest.raises(pa.errors.SchemaErrors) as err:
            validate.table_schema(TABLES[case.table]).validate(df, lazy=True)
        flagged = sorted(set(err.value.failure_cases["index"].dropna().astype(int)))
        assert p.count == len(flagged)
        assert p.rows == tuple(f"row {r}" for r in df[io.SOURCE_ROW].iloc[flagged[:5]])


def test_every_contract_note_is_a_rule():
    implemented = {r.note for r in validate.ROW_RULES}
    for table in TABLES.values():
        for note in table.notes:
            assert note in implemented, f"{table.name}: {note!r} is not checked"
    for r in validate.ROW_RULES:
        spec = TABLES[r.table]
        assert r.column in spec.column_names and set(r.uses) <= set(spec.column_names)
        for other, cols in r.needs.items():
            assert set(cols) <= set(TABLES[other].column_names)


# ---- edges of the rules


def test_many_broken_rows_are_counted_and_the_first_shown(small, tmp_path):
    tables = copy(small)
    rows = [3, 4, 8, 9, 10, 20, 31]
    tables["monthly_snapshots"].loc[rows, "deposit_balance"] = -1.0
    (p,) = problems_of(tables, tmp_path)
    assert p.count == 7 and p.rows == ("row 5", "row 6", "row 10", "row 11", "row 12")
    assert "7 rows, first: row 5, row 6, row 10, row 11, row 12" in str(p)


def test_a_transaction_late_on_the_close_date_is_within_the_relationship(small, tmp_path):
    tables = copy(small)
    c = tables["customers"]
    closed = c[c["close_date"].notna() & c["customer_id"].isin(tables["monthly_snapshots"]["customer_id"])].iloc[0]
    tables["transactions"].loc[0, "customer_id"] = closed["customer_id"]
    tables["transactions"].loc[0, "ts"] = closed["close_date"] + pd.Timedelta(hours=23, minutes=59)
    assert problems_of(tables, tmp_path) == []
    tables["transactions"].loc[0, "ts"] = closed["close_date"] + pd.Timedelta(days=1)
    (p,) = problems_of(tables, tmp_path)
    assert p.rule == "ts is after the customer's close_date"


def test_rm_id_is_checked_only_when_relationship_managers_are_given(small, tmp_path):
    tables = copy(small)
    tables["customers"].loc[0, "rm_id"] = "nobody"
    del tables["relationship_managers"]
    assert problems_of(tables, tmp_path) == []


def test_contacts_without_campaigns_table(small, tmp_path):
    tables = copy(small)
    del tables["campaigns"]
    (p,) = problems_of(tables, tmp_path)
    assert (p.table, p.column) == ("campaign_contacts", "campaign_id")
    assert "there is no campaigns table" in p.rule


def test_an_unreadable_value_is_not_also_reported_missing(small, tmp_path):
    tables = copy(small)
    tables["customers"]["birth_year"] = tables["customers"]["birth_year"].astype(object)
    tables["customers"].loc[4, "birth_year"] = "abc"
    (p,) = problems_of(tables, tmp_path)
    assert (p.table, p.column, p.rule, p.rows, p.examples) == (
        "customers",
        "birth_year",
        "not a number",
        ("row 6",),
        ("abc",),
    )


def test_empty_tables(small):
    empty = small["customers"].iloc[:0]
    (p,) = validate.check_table(TABLES["customers"], empty)
    assert p.table == "customers" and "no rows" in p.rule
    assert validate.check_table(TABLES["interactions"], small["interactions"].iloc[:0]) == []
    # nothing refers into an empty required table twice: its emptiness is the problem
    tables = {**small, "customers": empty}
    assert [p for p in validate.check_relations(tables) if p.column == "customer_id"] == []


def test_problems_name_the_partition_file_of_each_row(small):
    df = small["monthly_snapshots"].head(6).copy()
    df[io.SOURCE_FILE] = pd.Categorical(["s/branch_id=a/part-0.parquet"] * 3 + ["s/branch_id=b/part-0.parquet"] * 3)
    df[io.SOURCE_ROW] = [1, 2, 3, 1, 2, 3]
    df.loc[[1, 4], "products_held"] = 30
    (p,) = validate.check_table(TABLES["monthly_snapshots"], df)
    assert p.rows == ("s/branch_id=a/part-0.parquet row 2", "s/branch_id=b/part-0.parquet row 2")
    assert p.examples == ("30", "30")


# ---- final dtypes


def test_finalize_gives_contract_dtypes_and_drops_bookkeeping(conformance_dir):
    tables, problems = read_folder(conformance_dir / "good")
    assert problems == []
    c = dtypes.finalize(TABLES["customers"], tables["customers"])
    assert not any(col.startswith("_") for col in c.columns)
    assert c["customer_id"].dtype == object and c["customer_id"].iloc[0] == "00000001"
    assert list(c["vip_tier"].cat.categories) == ["none", "gold", "platinum", "diamond"]
    assert c["birth_year"].dtype == np.int64 and c["open_date"].dtype == "datetime64[ns]"
    i = dtypes.finalize(TABLES["interactions"], tables["interactions"])
    assert i["resolution_score"].dtype == np.float64 and i["resolution_score"].isna().any()
    s = dtypes.finalize(TABLES["monthly_snapshots"], tables["monthly_snapshots"])
    assert s["digital_active"].dtype == bool and s["products_held"].dtype == np.int64


def test_restore_dtypes_survives_a_parquet_round_trip(small, tmp_path):
    for name in ("customers", "campaign_contacts", "surveys"):
        path = tmp_path / f"{name}.parquet"
        small[name].to_parquet(path, index=False)
        back = dtypes.restore_dtypes(TABLES[name], pd.read_parquet(path))
        pd.testing.assert_frame_equal(back, small[name], check_categorical=True)


# ---- speed on the scale of a real bank


@pytest.mark.slow
def test_check_table_is_vectorised_even_when_every_row_is_broken():
    n = 2_000_000
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "customer_id": pd.Series(np.char.zfill((np.arange(n) // 24).astype(str), 8), dtype=object),
            "month": (np.datetime64("2024-01", "M") + np.arange(n) % 24).astype("datetime64[ns]"),
            "deposit_balance": -rng.random(n),  # every row broken
            "loan_balance": rng.random(n),
            "wealth_aum": rng.random(n),
            "products_held": rng.integers(0, 21, n).astype(float),
            "txn_count": rng.integers(0, 50, n).astype(float),
            "digital_active": pd.Series(rng.random(n) < 0.5, dtype=object),
            "revenue": rng.normal(size=n),
            io.SOURCE_ROW: np.arange(2, n + 2),
            io.SOURCE_FILE: pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), ["monthly_snapshots.csv"]),
        }
    )
    start = time.perf_counter()
    (p,) = validate.check_table(TABLES["monthly_snapshots"], df)
    elapsed = time.perf_counter() - start
    assert p.count == n and p.column == "deposit_balance"
    # pandera's lazy validate needs ~25 s here; the vectorised runner about one.
    assert elapsed < 10, f"check_table took {elapsed:.1f} s on {n:,} rows"


# ---- one row per customer per month, from open to close (issue 17)

GAP_WORDS = "one row per customer per month"


def gaps(problems):
    return [p for p in problems if GAP_WORDS in p.rule]


def test_a_month_missing_entirely_is_named(small, tmp_path):
    tables = copy(small)
    _, had = drop_month(tables, "2025-06-01")  # month M−12 of the small bank (M = 2026-06)
    (p,) = problems_of(tables, tmp_path)
    assert (p.table, p.column, p.file) == ("monthly_snapshots", "month", "monthly_snapshots.csv")
    assert p.rule.startswith(f"month 2025-06 has no rows: {had:,} customers expected")


def test_a_partly_loaded_month_says_how_many_customers_lack_it(small, tmp_path):
    tables = copy(small)
    kept, had = drop_month(tables, "2026-06-01", keep=0.4)  # the last month 40 % loaded
    s = small["monthly_snapshots"]
    first_lacking = s.loc[s["month"] == pd.Timestamp("2026-06-01"), "customer_id"].iloc[kept]
    (p,) = problems_of(tables, tmp_path)
    assert f"month 2026-06 has rows for {kept:,} of {had:,} customers expected" in p.rule
    assert first_lacking in p.rule and p.count == 0  # missing rows have no row number
    # a branch run finds it too (fixture-a or fixture-b, whichever lacks rows)
    branch_gaps = gaps(
        problems_of(tables, tmp_path / "a", "fixture-a") + problems_of(tables, tmp_path / "b", "fixture-b")
    )
    assert branch_gaps and all("month 2026-06 has rows for" in p.rule for p in branch_gaps)


def test_one_customer_without_a_middle_month(small, tmp_path):
    tables = copy(small)
    s = tables["monthly_snapshots"]
    cid = s.loc[0, "customer_id"]
    mine = s.index[s["customer_id"] == cid]
    tables["monthly_snapshots"] = s.drop(index=mine[3]).reset_index(drop=True)
    (p,) = problems_of(tables, tmp_path)
    month = s.loc[mine[3], "month"]
    n = int((s["month"] == month).sum())
    assert f"month {month:%Y-%m} has rows for {n - 1} of {n} customers expected" in p.rule
    assert p.rule.endswith(f"without a row: {cid}")


def test_many_months_with_gaps_are_reported_together_after_the_first_few(small, tmp_path):
    from analysis.data.snapshots import MONTHS_SHOWN

    tables = copy(small)
    s = tables["monthly_snapshots"]
    cid = s.loc[0, "customer_id"]
    mine = s.index[s["customer_id"] == cid]
    tables["monthly_snapshots"] = s.drop(index=mine[1:-1]).reset_index(drop=True)  # only the first and last month
    found = gaps(problems_of(tables, tmp_path))
    assert len(found) == MONTHS_SHOWN + 1
    assert found[-1].rule.startswith(f"{len(mine) - 2 - MONTHS_SHOWN} more months lack rows for some customers")


def test_a_closed_customer_needs_no_rows_after_closing_nor_before_the_data(small, tmp_path):
    # The small bank is complete: its closed and its late customers break no rule (see the clean test);
    # a customer closed before the data begins has no rows and is not expected to have any.
    tables = copy(small)
    c = tables["customers"]
    extra = c.iloc[[0]].assign(customer_id="early-leaver", open_date=pd.Timestamp("2010-01-01"))
    extra = extra.assign(close_date=pd.Timestamp("2023-05-31"), close_reason="relocation", rm_id=None)
    tables["customers"] = pd.concat([c, extra], ignore_index=True)
    assert problems_of(tables, tmp_path) == []


# ---- full dates, and a value that cannot be read is reported once (issue 17)


def test_a_bare_year_is_not_a_date(small, tmp_path):
    tables = copy(small)
    rows = as_text(tables, "customers", "open_date", 2, "1996")
    read, (p,) = read_folder(write_bank(tables, tmp_path / "bank"))
    assert (p.column, p.rows, p.examples) == ("open_date", rows_words(rows), ("1996",))
    assert "incomplete date" in p.rule and "YYYY-MM-DD" in p.rule
    assert pd.isna(read["customers"].loc[2, "open_date"])  # not 1996-01-01


def test_an_unreadable_close_date_is_reported_once(small, tmp_path):
    tables = copy(small)
    c = tables["customers"]
    closed = int(c.index[c["close_date"].notna() & c["close_reason"].notna()][0])
    as_text(tables, "customers", "close_date", closed, "2024年1月31日")
    vip = int(c.index[c["vip_tier"] != "none"][0])
    as_text(tables, "customers", "vip_since", vip, "2021年5月1日")
    problems = problems_of(tables, tmp_path)
    assert [(p.column, p.rows, p.rule) for p in problems] == [
        ("close_date", rows_words([closed]), "not an ISO date (YYYY-MM-DD)"),
        ("vip_since", rows_words([vip]), "not an ISO date (YYYY-MM-DD)"),
    ], "\n".join(map(str, problems))


def test_an_unreadable_month_is_one_problem_not_also_duplicates_or_gaps(small, tmp_path):
    tables = copy(small)
    s = tables["monthly_snapshots"] = tables["monthly_snapshots"].astype({"month": object})
    s["month"] = s["month"].map(lambda m: m.strftime("%Y%m"))  # 202404: no dash
    (p,) = problems_of(tables, tmp_path)
    assert (p.column, p.count) == ("month", len(s)) and p.rule.startswith("not a month")
