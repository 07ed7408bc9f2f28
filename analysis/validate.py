"""Every rule of the data contract (DATA.md), checked; and the final dtypes.

Three kinds of rule, all vectorised so that 24 million snapshot rows are
checked in seconds, never a Python loop over rows:

- **column rules**, a pandera schema built from the `contract.Column` specs:
  a value is required, belongs to its vocabulary, lies in its range, is
  unique, matches its pattern; and `Table.unique_together`;
- **row rules** within one table (`ROW_RULES` without `needs`): close_date ≥
  open_date, vip_since set exactly when vip_tier ≠ none, one primary bank
  per respondent, market_share periods are quarter ends, …;
- **relations** across tables: foreign keys (`Table.foreign_keys`) and the
  row rules that need another table's columns (snapshots and transactions
  lie within the customer's relationship, a control group only in a
  randomized campaign, home_bank spelt as in the market tables, …).

(`month` being a first of month, and values that cannot be read as their
kind at all, are checked by `analysis.io` as it types the columns.)

Each broken rule becomes one `DataProblem` per (table, column, rule) that
names the file, the rule in plain words, how many rows break it and the
first of them as a person counts rows in the file (`io.problem_for_rows`).
A value that `io` could not read at all (already reported as "not a number"
and the like) is not reported again as missing.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .contract import BRANCH_ID_PATTERN, TABLES, VIP_TIERS, Column, Table
from .errors import DataProblem
from .io import BOOKKEEPING, UNREADABLE, file_label, problem_for_rows

# --------------------------------------------------------------------------
# column rules: pandera schemas built from the contract

# Plain words for the patterns of the contract (the regex itself is shown too).
PATTERN_WORDS = {
    BRANCH_ID_PATTERN: "lower-case letters, digits, _ and - only, starting with a letter or digit, "
    "at most 40 characters",
}
NOT_NULLABLE = "is empty; a value is required"
NOT_UNIQUE = "is not unique: the same value is on more than one row"


def _problem(
    table: Table, df: pd.DataFrame, mask: np.ndarray, rule: str, column: str, values: pd.Series | None = None
) -> DataProblem:
    """`io.problem_for_rows`, with offending values shown as the file spells them.

    io keeps integers as float64 until validation has passed, and dates as
    timestamps: show `21`, not `21.0`, and `2024-03-15`, not `2024-03-15 00:00:00`.
    """
    p = problem_for_rows(table.name, df, mask, rule, column=column, values=values)
    kind = table.column(column).kind if column in table.column_names else None
    if kind == "int":
        shown = tuple(e[:-2] if e.endswith(".0") else e for e in p.examples)
    elif kind in ("date", "month"):
        shown = tuple(e[:-9] if e.endswith(" 00:00:00") else e for e in p.examples)
    else:
        return p
    return replace(p, examples=shown)


def _num(v: float) -> str:
    return f"{v:g}"


def _column_checks(col: Column) -> list[pa.Check]:
    """pandera checks of one column's values; `error` is the rule in plain words."""
    checks: list[pa.Check] = []
    if col.values is not None:
        checks.append(pa.Check.isin(list(col.values), error="is not one of: " + ", ".join(col.values)))
    if col.min is not None:
        if col.min_exclusive:
            checks.append(pa.Check.gt(col.min, error=f"must be greater than {_num(col.min)}"))
        else:
            checks.append(pa.Check.ge(col.min, error=f"must be at least {_num(col.min)}"))
    if col.max is not None:
        checks.append(pa.Check.le(col.max, error=f"must be at most {_num(col.max)}"))
    if col.pattern is not None:
        words = PATTERN_WORDS.get(col.pattern)
        rule = f"does not match the pattern {col.pattern}" + (f" ({words})" if words else "")
        # str_matches anchors at the start only; \Z makes it a full match.
        checks.append(pa.Check.str_matches(rf"(?:{col.pattern})\Z", error=rule))
    return checks


def table_schema(table: Table, present: set[str] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a table's column rules (columns in `present` only).

    dtypes are not checked here: `io` has already typed every column and
    reported the values it could not read.
    """
    present = set(table.column_names) if present is None else present
    columns = {
        c.name: pa.Column(
            nullable=c.nullable,
            unique=c.unique,
            report_duplicates="all",
            checks=_column_checks(c),
            required=False,
        )
        for c in table.columns
        if c.name in present
    }
    unique = [list(u) for u in table.unique_together if all(c in present for c in u)]
    return pa.DataFrameSchema(
        columns,
        unique=unique or None,
        report_duplicates="all",
        strict=False,
        coerce=False,
        name=table.name,
    )


def _column_problems(table: Table, df: pd.DataFrame) -> list[DataProblem]:
    """Run the table's pandera schema, one vectorised mask per (column, rule).

    The schema is pandera's (`table_schema`), but it is not run through
    `DataFrameSchema.validate`: with lazy validation pandera materialises
    and sorts one failure-case row per failing value, which took a minute on
    5 million snapshot rows when two columns failed on every row. Here each
    pandera `Check` is called on its column and its boolean output is counted
    directly, so a systematic error costs no more than clean data.
    """
    schema = table_schema(table, set(df.columns))
    problems: list[DataProblem] = []
    for u in schema.unique or []:
        cols = list(u)
        mask = df.duplicated(subset=cols, keep=False).to_numpy()
        if mask.any():
            problems.append(
                problem_for_rows(
                    table.name, df, mask,
                    f"({', '.join(cols)}) is not unique: the same combination is on more than one row",
                    column=", ".join(cols),
                )
            )
    for name, col in schema.columns.items():
        s = df[name]
        null = s.isna().to_numpy()
        if not col.nullable:
            # A value io could not read is already reported; it is not missing too.
            unreadable = df[UNREADABLE + name].to_numpy(dtype=bool) if UNREADABLE + name in df else False
            mask = null & ~unreadable
            if mask.any():
                problems.append(problem_for_rows(table.name, df, mask, NOT_NULLABLE, column=name))
        if col.unique:
            mask = s.duplicated(keep=False).to_numpy() & ~null
            if mask.any():
                problems.append(_problem(table, df, mask, NOT_UNIQUE, name, values=s))
        if null.all() or not col.checks:
            continue
        # Value checks see the non-null values only (missing values are the
        # rule above); pandera would drop them itself (ignore_na).
        given = s if not null.any() else s[~null]
        for check in col.checks:
            ok = np.ones(len(df), dtype=bool)
            ok[~null] = np.asarray(check(given).check_output, dtype=bool)
            if not ok.all():
                problems.append(_problem(table, df, ~ok, check.error, name, values=s))
    return problems


# --------------------------------------------------------------------------
# row rules (one table, or a table and the tables it refers to)


class Lookup:
    """Other tables' columns, aligned to the rows of the table `df` being checked.

    Positions are computed once per (column, referenced key) and shared by
    the foreign-key check and every rule that joins on the same key.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame], df: pd.DataFrame | None = None) -> None:
        self.tables = tables
        self.df = df
        self._cache: dict[tuple[str, str, str], np.ndarray] = {}

    def positions(self, column: str, ref_table: str, ref_column: str) -> np.ndarray:
        """Row position in `ref_table` of each row's `column` value; −1 where not found or null."""
        key = (column, ref_table, ref_column)
        if key not in self._cache:
            ref = self.tables[ref_table][ref_column]
            # A duplicated key is its own problem (uniqueness); join on the first.
            first = np.flatnonzero(~ref.duplicated(keep="first").to_numpy())
            pos = pd.Index(ref.iloc[first]).get_indexer(self.df[column])
            found = pos >= 0
            # A null key is never "found", even when the referenced column has nulls.
            found &= self.df[column].notna().to_numpy()
            self._cache[key] = np.where(found, first[np.where(found, pos, 0)] if len(first) else -1, -1)
        return self._cache[key]

    def values(self, column: str, ref_table: str, ref_column: str, value_column: str) -> np.ndarray:
        """`ref_table.value_column` of the row each row's `column` refers to (NaT/NaN/None when none)."""
        pos = self.positions(column, ref_table, ref_column)
        ref = self.tables[ref_table][value_column]
        if len(ref) == 0:
            return pd.Series(index=range(len(pos)), dtype=ref.dtype).to_numpy()
        out = ref.iloc[np.maximum(pos, 0)].reset_index(drop=True)
        return out.where(pd.Series(pos >= 0)).to_numpy()


@dataclass(frozen=True)
class RowRule:
    """A rule on the rows of `table` that pandera's column specs cannot say.

    `broken(df, lookup)` returns a boolean mask of the rows that break the
    rule; rows whose values are missing or unknown are not flagged (those are
    other rules' problems). `needs` lists the other tables and their columns
    the rule reads; it is checked only when they are given.
    """

    table: str
    column: str  # the column the problem is reported on
    rule: str  # in plain words
    uses: tuple[str, ...]
    broken: Callable[[pd.DataFrame, Lookup], np.ndarray]
    needs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    note: str | None = None  # the `Table.notes` entry this rule implements, if any

    def applies(self, df: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> bool:
        if not all(c in df for c in self.uses):
            return False
        return all(t in tables and all(c in tables[t] for c in cols) for t, cols in self.needs.items())


def _is(s: pd.Series, value: object) -> np.ndarray:
    return (s == value).fillna(False).to_numpy(dtype=bool)


def _dates(s: pd.Series | np.ndarray) -> np.ndarray:
    return np.asarray(s, dtype="datetime64[ns]")


def _month(s: pd.Series | np.ndarray) -> np.ndarray:
    """Each date's month as numpy datetime64[M] (NaT stays NaT)."""
    return _dates(s).astype("datetime64[M]")


def _before(a: pd.Series | np.ndarray, b: pd.Series | np.ndarray) -> np.ndarray:
    """a < b where both are known (numpy's NaT compares false)."""
    return _dates(a) < _dates(b)


def _primary_count(df: pd.DataFrame) -> np.ndarray:
    """Per row: how many rows of its respondent say primary_bank is true."""
    primary = df["primary_bank"].eq(True).astype(np.int64)
    return primary.groupby(df["respondent_id"].to_numpy(), sort=False).transform("sum").to_numpy()


def _customer(lk: Lookup, column: str) -> np.ndarray:
    """The customer's `column` (open_date, close_date) for each row, by customer_id."""
    return lk.values("customer_id", "customers", "customer_id", column)


def _home_bank_unknown(branches: pd.DataFrame, market: pd.DataFrame) -> np.ndarray:
    """Branches whose home_bank is not among the banks of their city in `market`.

    Only cities that `market` covers: a city without rows is the analyses'
    business (they skip), not a spelling problem.
    """
    pairs = pd.MultiIndex.from_frame(market[["city", "bank"]].dropna().drop_duplicates())
    covered = branches["city"].isin(market["city"]).to_numpy()
    spelt = pd.MultiIndex.from_arrays([branches["city"], branches["home_bank"]]).isin(pairs)
    return covered & ~spelt & branches["home_bank"].notna().to_numpy()


ONE_DAY = np.timedelta64(1, "D")
TIERED = [t for t in VIP_TIERS if t != "none"]  # the tiers that need vip_since

ROW_RULES: tuple[RowRule, ...] = (
    # branches: home_bank "as spelt in market_share and market_survey"
    RowRule(
        "branches", "home_bank", "home_bank is not spelt as any bank of the branch's city in market_share",
        ("city", "home_bank"),
        lambda df, lk: _home_bank_unknown(df, lk.tables["market_share"]),
        needs={"market_share": ("city", "bank")},
    ),
    RowRule(
        "branches", "home_bank", "home_bank is not spelt as any bank of the branch's city in market_survey",
        ("city", "home_bank"),
        lambda df, lk: _home_bank_unknown(df, lk.tables["market_survey"]),
        needs={"market_survey": ("city", "bank")},
    ),
    # customers
    RowRule(
        "customers", "close_date", "close_date is before open_date", ("open_date", "close_date"),
        lambda df, lk: _before(df["close_date"], df["open_date"]),
        note="close_date >= open_date",
    ),
    RowRule(
        "customers", "close_reason", "close_reason is given but close_date is empty",
        ("close_reason", "close_date"),
        lambda df, lk: (df["close_reason"].notna() & df["close_date"].isna()).to_numpy(),
        note="close_reason only with close_date",
    ),
    RowRule(
        "customers", "birth_year",
        "birth_year is later than the year of open_date minus 16 (customers are at least 16)",
        ("birth_year", "open_date"),
        lambda df, lk: np.asarray(df["birth_year"] > df["open_date"].dt.year - 16, dtype=bool),
        note="birth_year <= year(open_date) - 16",
    ),
    RowRule(
        "customers", "vip_since", "vip_since is empty but vip_tier is not none", ("vip_tier", "vip_since"),
        # Only tiers of the vocabulary: an unknown tier is the vocabulary rule's problem.
        lambda df, lk: (df["vip_tier"].isin(TIERED) & df["vip_since"].isna()).to_numpy(),
        note="vip_since set exactly when vip_tier != none",
    ),
    RowRule(
        "customers", "vip_since", "vip_since is set but vip_tier is none", ("vip_tier", "vip_since"),
        lambda df, lk: _is(df["vip_tier"], "none") & df["vip_since"].notna().to_numpy(),
        note="vip_since set exactly when vip_tier != none",
    ),
    # monthly_snapshots: rows run from the month of open_date to the month of close_date
    RowRule(
        "monthly_snapshots", "month", "month is before the month of the customer's open_date",
        ("customer_id", "month"),
        lambda df, lk: _month(df["month"]) < _month(_customer(lk, "open_date")),
        needs={"customers": ("customer_id", "open_date")},
    ),
    RowRule(
        "monthly_snapshots", "month", "month is after the month of the customer's close_date",
        ("customer_id", "month"),
        lambda df, lk: _month(df["month"]) > _month(_customer(lk, "close_date")),
        needs={"customers": ("customer_id", "close_date")},
    ),
    # transactions
    RowRule(
        "transactions", "ts", "ts is before the customer's open_date", ("customer_id", "ts"),
        lambda df, lk: _before(df["ts"], _customer(lk, "open_date")),
        needs={"customers": ("customer_id", "open_date")},
        note="ts within the customer's relationship",
    ),
    RowRule(
        "transactions", "ts", "ts is after the customer's close_date", ("customer_id", "ts"),
        # close_date is a day: a transaction at any time of that day is within.
        lambda df, lk: _dates(df["ts"]) >= _dates(_customer(lk, "close_date")) + ONE_DAY,
        needs={"customers": ("customer_id", "close_date")},
        note="ts within the customer's relationship",
    ),
    # interactions
    RowRule(
        "interactions", "resolved_date", "resolved_date is before date", ("date", "resolved_date"),
        lambda df, lk: _before(df["resolved_date"], df["date"]),
        note="resolved_date >= date",
    ),
    # market_survey
    RowRule(
        "market_survey", "primary_bank",
        "respondent has no row with primary_bank true (exactly one per respondent)",
        ("respondent_id", "primary_bank"),
        lambda df, lk: (_primary_count(df) == 0) & df["respondent_id"].notna().to_numpy(),
        note="exactly one primary_bank per respondent",
    ),
    RowRule(
        "market_survey", "primary_bank",
        "respondent has more than one row with primary_bank true (exactly one per respondent)",
        ("respondent_id", "primary_bank"),
        lambda df, lk: (_primary_count(df) > 1) & _is(df["primary_bank"], True) & df["respondent_id"].notna().to_numpy(),
        note="exactly one primary_bank per respondent",
    ),
    # market_share
    RowRule(
        "market_share", "period", "period is not the last day of a quarter (03-31, 06-30, 09-30 or 12-31)",
        ("period",),
        lambda df, lk: (df["period"].notna() & ~df["period"].dt.is_quarter_end).to_numpy(),
    ),
    # campaigns
    RowRule(
        "campaigns", "end_date", "end_date is before start_date", ("start_date", "end_date"),
        lambda df, lk: _before(df["end_date"], df["start_date"]),
        note="end_date >= start_date",
    ),
    # campaign_contacts
    RowRule(
        "campaign_contacts", "group", "group is control in a targeted campaign (control only in randomized campaigns)",
        ("campaign_id", "group"),
        lambda df, lk: _is(df["group"], "control")
        & _is(pd.Series(lk.values("campaign_id", "campaigns", "campaign_id", "design")), "targeted"),
        needs={"campaigns": ("campaign_id", "design")},
        note="control only in randomized campaigns",
    ),
    RowRule(
        "campaign_contacts", "participated", "participated is true for a control customer",
        ("group", "participated"),
        lambda df, lk: _is(df["group"], "control") & _is(df["participated"], True),
        note="participated is false for every control",
    ),
    RowRule(
        # DATA.md: "CNY of new business when responded". A value for a customer
        # who did not respond is an error; a responder without a value is
        # allowed (new business unknown; RESULTS.md counts it as 0).
        "campaign_contacts", "response_value", "response_value is given but responded is false",
        ("responded", "response_value"),
        lambda df, lk: _is(df["responded"], False) & df["response_value"].notna().to_numpy(),
    ),
)


def _apply_rules(
    table: Table, df: pd.DataFrame, rules: tuple[RowRule, ...], lookup: Lookup
) -> list[DataProblem]:
    problems = []
    for rule in rules:
        if rule.table != table.name or not rule.applies(df, lookup.tables):
            continue
        mask = np.asarray(rule.broken(df, lookup), dtype=bool)
        if mask.any():
            problems.append(
                _problem(table, df, mask, rule.rule, rule.column, values=df[rule.column])
            )
    return problems


# --------------------------------------------------------------------------
# public API


def check_table(table: Table, df: pd.DataFrame) -> list[DataProblem]:
    """Rules on one table alone: nulls, vocabularies, ranges, uniqueness, patterns, row rules.

    An empty required table is one problem and nothing else is checked; an
    empty optional table breaks no rule (the analyses that need it skip).
    Columns missing from `df` are `io`'s problem and are skipped here.
    """
    if len(df) == 0:
        if table.required:
            return [DataProblem(table.name, "the table has no rows; it is required", file=file_label(df))]
        return []
    problems = _column_problems(table, df)
    own = tuple(r for r in ROW_RULES if not r.needs)
    problems.extend(_apply_rules(table, df, own, Lookup({}, df)))
    return problems


def check_relations(tables: Mapping[str, pd.DataFrame]) -> list[DataProblem]:
    """Rules across tables: foreign keys and the rules that need another table.

    A foreign key into an absent table is skipped when the key is
    `when_present` or the referenced table is required (its absence, or its
    having no rows, is already a problem); a key into an absent optional
    table is a problem (campaign_contacts without campaigns). With a branch
    run, `tables` are that branch's rows, and every rule is checked on them.
    """
    problems: list[DataProblem] = []
    for name, df in tables.items():
        table = TABLES.get(name)
        if table is None or len(df) == 0:
            continue
        lookup = Lookup(tables, df)
        for fk in table.foreign_keys:
            if fk.column not in df:
                continue
            ref = tables.get(fk.ref_table)
            if ref is None:
                if not fk.when_present and not TABLES[fk.ref_table].required and df[fk.column].notna().any():
                    problems.append(
                        DataProblem(
                            name,
                            f"{fk.column} refers to {fk.ref_table}, but there is no {fk.ref_table} table",
                            file=file_label(df),
                            column=fk.column,
                        )
                    )
                continue
            if fk.ref_column not in ref or (len(ref) == 0 and TABLES[fk.ref_table].required):
                # An empty required table is already a problem: no row of it to refer to.
                continue
            keys = df[fk.column]
            unknown = (lookup.positions(fk.column, fk.ref_table, fk.ref_column) < 0) & keys.notna().to_numpy()
            if unknown.any():
                problems.append(
                    _problem(table, df, unknown, f"{fk.column} is not in {fk.ref_table}", fk.column, values=keys)
                )
        problems.extend(_apply_rules(table, df, tuple(r for r in ROW_RULES if r.needs), lookup))
    return problems


def restore_dtypes(table: Table, df: pd.DataFrame) -> pd.DataFrame:
    """Give contract columns their final dtypes (after validation passed).

    str → object of str; category → pandas Categorical over the contract's
    vocabulary; int → int64 (float64 when nullable, NaN for missing); float →
    float64; bool → bool; date/month/datetime → datetime64[ns].
    """
    out = df.copy()
    for col in table.columns:
        if col.name not in out:
            continue
        s = out[col.name]
        if col.kind == "category":
            if isinstance(s.dtype, pd.CategoricalDtype) and list(s.cat.categories) == list(col.values):
                continue
            out[col.name] = pd.Categorical(s.astype(object).where(s.notna(), None), categories=list(col.values))
        elif col.kind == "int":
            out[col.name] = s.astype(float) if col.nullable else s.astype(np.int64)
        elif col.kind == "float":
            out[col.name] = s.astype(float)
        elif col.kind == "bool":
            out[col.name] = s.astype(bool)
        elif col.kind in ("date", "month", "datetime"):
            out[col.name] = pd.to_datetime(s).astype("datetime64[ns]")
        else:
            out[col.name] = s.astype(object).where(s.notna(), None)
    return out


def finalize(table: Table, df: pd.DataFrame) -> pd.DataFrame:
    """The validated table with final dtypes and without row bookkeeping."""
    drop = [c for c in df.columns if c in BOOKKEEPING or str(c).startswith(UNREADABLE)]
    return restore_dtypes(table, df.drop(columns=drop))

