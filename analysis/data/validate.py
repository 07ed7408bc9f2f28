"""Every rule of the data contract (DATA.md), checked. (A validated table's
final dtypes are `analysis.data.dtypes`'.)

Each rule is written once, as SQL over a table's relation (`analysis.scan`),
and checked the same way whether the table was read into pandas by
`analysis.io` or is scanned where it lies (the big tables: millions of
snapshot and transaction rows stream through DuckDB, never through pandas).
Three kinds of rule:

- **column rules** from the `contract.Column` specs: a value is required,
  belongs to its vocabulary, lies in its range, is unique, matches its
  pattern; and `Table.unique_together`. The same specs also build a pandera
  schema (`table_schema`), an independent check of the SQL in the tests;
- **row rules** within one table (`ROW_RULES` without `needs`): close_date ≥
  open_date, vip_since set exactly when vip_tier ≠ none, one primary bank
  per respondent, market_share periods are quarter ends, …;
- **relations** across tables: foreign keys (`Table.foreign_keys`) and the
  row rules that need another table's columns (snapshots and transactions
  lie within the customer's relationship, a control group only in a
  randomized campaign, home_bank spelt as in the market tables, …); and
  one row per customer per month from open to close
  (`analysis.data.snapshots`).

(Values that cannot be read as their kind at all, and `month` being a first
of month, are `analysis.io.convert`'s rules, applied as a column is typed.)

Each broken rule becomes one `DataProblem` per (table, column, rule) that
names the file, the rule in plain words, how many rows break it and the
first of them as a person counts rows in the file (`io.render_problem`).
A value that could not be read at all (already reported as "not a number"
and the like) is not reported again as missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow

from analysis.data.casts import lit, q
from analysis.data.contract import BRANCH_ID_PATTERN, TABLES, VIP_TIERS, Column, Table
from analysis.data.io import UNREADABLE, file_label
from analysis.data.scan import Engine, View
from analysis.data.selection import city_sql
from analysis.data.snapshots import gap_problems
from analysis.errors import DataProblem

if TYPE_CHECKING:
    import pandera.pandas as pa

# --------------------------------------------------------------------------
# column rules: from the contract's column specs

# Plain words for the patterns of the contract (the regex itself is shown too).
PATTERN_WORDS = {
    BRANCH_ID_PATTERN: "lower-case letters, digits, _ and - only, starting with a letter or digit, "
    "at most 40 characters",
}
NOT_NULLABLE = "is empty; a value is required"
NOT_UNIQUE = "is not unique: the same value is on more than one row"
NO_ROWS = "the table has no rows; it is required"


def _num(v: float) -> str:
    return f"{v:g}"


@dataclass(frozen=True)
class ValueRule:
    """A rule on each given value of a column: its words, its SQL and the pandera
    check that says the same (`table_schema`: the tests' independent check)."""

    words: str
    check: tuple[str, Any]  # pandera's `Check.<name>(argument)`, built only by `table_schema`
    broken: str  # SQL: true where the (non-null) value `x` breaks the rule


def value_rules(col: Column, x: str = "x") -> list[ValueRule]:
    """The rules on one column's values, in the order they are reported."""
    rules: list[ValueRule] = []
    if col.values is not None:
        words = "is not one of: " + ", ".join(col.values)
        rules.append(
            ValueRule(
                words,
                ("isin", list(col.values)),
                f"{x} NOT IN ({', '.join(lit(v) for v in col.values)})",
            )
        )
    if col.min is not None:
        if col.min_exclusive:
            words = f"must be greater than {_num(col.min)}"
            rules.append(ValueRule(words, ("gt", col.min), f"{x} <= {lit(float(col.min))}"))
        else:
            words = f"must be at least {_num(col.min)}"
            rules.append(ValueRule(words, ("ge", col.min), f"{x} < {lit(float(col.min))}"))
    if col.max is not None:
        words = f"must be at most {_num(col.max)}"
        rules.append(ValueRule(words, ("le", col.max), f"{x} > {lit(float(col.max))}"))
    if col.pattern is not None:
        extra = PATTERN_WORDS.get(col.pattern)
        words = f"does not match the pattern {col.pattern}" + (f" ({extra})" if extra else "")
        # str_matches anchors at the start only; \Z makes it a full match.
        rules.append(
            ValueRule(
                words,
                ("str_matches", rf"(?:{col.pattern})\Z"),
                f"NOT regexp_full_match({x}, {lit(col.pattern)})",
            )
        )
    return rules


def table_schema(table: Table, present: set[str] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a table's column rules (columns in `present` only).

    dtypes are not checked here: `io` has already typed every column and
    reported the values it could not read. pandera is imported here only:
    validation itself runs as SQL, this schema is what the tests check it against.
    """
    import pandera.pandas as pa

    present = set(table.column_names) if present is None else present
    columns = {
        c.name: pa.Column(
            nullable=c.nullable,
            unique=c.unique,
            report_duplicates="all",
            checks=[getattr(pa.Check, r.check[0])(r.check[1], error=r.words) for r in value_rules(c)],
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


# --------------------------------------------------------------------------
# row rules (one table, or a table and the tables it refers to)


@dataclass(frozen=True)
class RowRule:
    """A rule on the rows of `table` that the column specs cannot say.

    `sql` is true for the rows that break the rule, written over `t` (the
    row) and, with `ref` = (column, table, key), `r`: the first row of that
    table whose key is the row's `column` (all NULL when there is none). A
    missing or unknown value makes the predicate NULL, which never flags a
    row (those are other rules' problems). `window` adds a column `w`
    computed over the whole table; `{table}` in `sql` names another table's
    relation. `needs` lists the other tables and their columns the rule
    reads; it is checked only when they are given.
    """

    table: str
    column: str  # the column the problem is reported on
    rule: str  # in plain words
    uses: tuple[str, ...]
    sql: str
    needs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ref: tuple[str, str, str] | None = None
    window: str | None = None
    note: str | None = None  # the `Table.notes` entry this rule implements, if any

    def applies(self, view: View, views: Mapping[str, View]) -> bool:
        if not view.has(*self.uses):
            return False
        return all(t in views and views[t].has(*cols) for t, cols in self.needs.items())


def _home_bank_unknown(market: str) -> str:
    """Branches whose home_bank is not among the banks of their city in `market`.

    Only cities that `market` covers: a city without rows is the analyses'
    business (they skip), not a spelling problem. Cities compare as a
    branch run selects market rows (`selection.city_key`: 眉山市 is 眉山).
    """

    def city(x: str) -> str:  # braces doubled: the rule's SQL is formatted with the relations' names
        return city_sql(x).replace("{", "{{").replace("}", "}}")

    t_city, m_city = city("t.city"), city("m.city")
    return (
        f"t.home_bank IS NOT NULL AND {t_city} IN (SELECT {city('city')} FROM {{{market}}}) "
        f"AND NOT EXISTS (SELECT 1 FROM {{{market}}} AS m WHERE {m_city} = {t_city} AND m.bank = t.home_bank)"
    )


def _month(x: str) -> str:
    return f"date_trunc('month', {x})"


CUSTOMER = ("customer_id", "customers", "customer_id")
# Rows with primary_bank true per respondent; NULL for a respondent with a
# primary_bank that could not be read (already reported: not counted again).
PRIMARY_COUNT = (
    f"CASE WHEN bool_or({q(UNREADABLE + 'primary_bank')}) OVER (PARTITION BY respondent_id) THEN NULL "
    "ELSE sum(CASE WHEN primary_bank THEN 1 ELSE 0 END) OVER (PARTITION BY respondent_id) END"
)
TIERED = ", ".join(lit(t) for t in VIP_TIERS if t != "none")  # the tiers that need vip_since

ROW_RULES: tuple[RowRule, ...] = (
    # branches: home_bank "as spelt in market_share and market_survey"
    RowRule(
        "branches",
        "home_bank",
        "home_bank is not spelt as any bank of the branch's city in market_share",
        ("city", "home_bank"),
        _home_bank_unknown("market_share"),
        needs={"market_share": ("city", "bank")},
    ),
    RowRule(
        "branches",
        "home_bank",
        "home_bank is not spelt as any bank of the branch's city in market_survey",
        ("city", "home_bank"),
        _home_bank_unknown("market_survey"),
        needs={"market_survey": ("city", "bank")},
    ),
    # customers
    RowRule(
        "customers",
        "close_date",
        "close_date is before open_date",
        ("open_date", "close_date"),
        "t.close_date < t.open_date",
        note="close_date >= open_date",
    ),
    RowRule(
        "customers",
        "close_reason",
        "close_reason is given but close_date is empty",
        ("close_reason", "close_date"),
        "t.close_reason IS NOT NULL AND t.close_date IS NULL",
        note="close_reason only with close_date",
    ),
    RowRule(
        "customers",
        "birth_year",
        "birth_year is later than the year of open_date minus 16 (customers are at least 16)",
        ("birth_year", "open_date"),
        "t.birth_year > year(t.open_date) - 16",
        note="birth_year <= year(open_date) - 16",
    ),
    RowRule(
        "customers",
        "vip_since",
        "vip_since is empty but vip_tier is not none",
        ("vip_tier", "vip_since"),
        # Only tiers of the vocabulary: an unknown tier is the vocabulary rule's problem.
        f"t.vip_tier IN ({TIERED}) AND t.vip_since IS NULL",
        note="vip_since set exactly when vip_tier != none",
    ),
    RowRule(
        "customers",
        "vip_since",
        "vip_since is set but vip_tier is none",
        ("vip_tier", "vip_since"),
        "t.vip_tier = 'none' AND t.vip_since IS NOT NULL",
        note="vip_since set exactly when vip_tier != none",
    ),
    # monthly_snapshots: rows run from the month of open_date to the month of close_date
    RowRule(
        "monthly_snapshots",
        "month",
        "month is before the month of the customer's open_date",
        ("customer_id", "month"),
        f"{_month('t.month')} < {_month('r.open_date')}",
        needs={"customers": ("customer_id", "open_date")},
        ref=CUSTOMER,
    ),
    RowRule(
        "monthly_snapshots",
        "month",
        "month is after the month of the customer's close_date",
        ("customer_id", "month"),
        f"{_month('t.month')} > {_month('r.close_date')}",
        needs={"customers": ("customer_id", "close_date")},
        ref=CUSTOMER,
    ),
    # transactions
    RowRule(
        "transactions",
        "ts",
        "ts is before the customer's open_date",
        ("customer_id", "ts"),
        "t.ts < r.open_date",
        needs={"customers": ("customer_id", "open_date")},
        ref=CUSTOMER,
        note="ts within the customer's relationship",
    ),
    RowRule(
        "transactions",
        "ts",
        "ts is after the customer's close_date",
        ("customer_id", "ts"),
        # close_date is a day: a transaction at any time of that day is within.
        "t.ts >= r.close_date + INTERVAL 1 DAY",
        needs={"customers": ("customer_id", "close_date")},
        ref=CUSTOMER,
        note="ts within the customer's relationship",
    ),
    # interactions
    RowRule(
        "interactions",
        "resolved_date",
        "resolved_date is before date",
        ("date", "resolved_date"),
        "t.resolved_date < t.date",
        note="resolved_date >= date",
    ),
    # market_survey
    RowRule(
        "market_survey",
        "primary_bank",
        "respondent has no row with primary_bank true (exactly one per respondent)",
        ("respondent_id", "primary_bank"),
        "t.w = 0 AND t.respondent_id IS NOT NULL",
        window=PRIMARY_COUNT,
        note="exactly one primary_bank per respondent",
    ),
    RowRule(
        "market_survey",
        "primary_bank",
        "respondent has more than one row with primary_bank true (exactly one per respondent)",
        ("respondent_id", "primary_bank"),
        "t.w > 1 AND t.primary_bank AND t.respondent_id IS NOT NULL",
        window=PRIMARY_COUNT,
        note="exactly one primary_bank per respondent",
    ),
    # market_share
    RowRule(
        "market_share",
        "period",
        "period is not the last day of a quarter (03-31, 06-30, 09-30 or 12-31)",
        ("period",),
        "t.period IS NOT NULL AND NOT (month(t.period) IN (3, 6, 9, 12) AND day(t.period) = day(last_day(t.period)))",
    ),
    # campaigns
    RowRule(
        "campaigns",
        "end_date",
        "end_date is before start_date",
        ("start_date", "end_date"),
        "t.end_date < t.start_date",
        note="end_date >= start_date",
    ),
    # campaign_contacts
    RowRule(
        "campaign_contacts",
        "group",
        "group is control in a targeted campaign (control only in randomized campaigns)",
        ("campaign_id", "group"),
        "t.\"group\" = 'control' AND r.design = 'targeted'",
        needs={"campaigns": ("campaign_id", "design")},
        ref=("campaign_id", "campaigns", "campaign_id"),
        note="control only in randomized campaigns",
    ),
    RowRule(
        "campaign_contacts",
        "participated",
        "participated is true for a control customer",
        ("group", "participated"),
        "t.\"group\" = 'control' AND t.participated",
        note="participated is false for every control",
    ),
    RowRule(
        # DATA.md: "CNY of new business when responded". A value for a customer
        # who did not respond is an error; a responder without a value is
        # allowed (new business unknown; RESULTS.md counts it as 0).
        "campaign_contacts",
        "response_value",
        "response_value is given but responded is false",
        ("responded", "response_value"),
        "NOT t.responded AND t.response_value IS NOT NULL",
    ),
)


# --------------------------------------------------------------------------
# running the rules over relations


@dataclass
class _Check:
    """One rule to count on a relation, and how to name its problem."""

    rule: str
    column: str | None
    pred: str
    value: str | None = None  # the column whose values are shown


def _shown(table: Table, column: str | None, p: DataProblem) -> DataProblem:
    """Offending values as the file spells them: `21`, not `21.0`; `2024-03-15`, not `2024-03-15 00:00:00`."""
    kind = table.column(column).kind if column in table.column_names else None
    if kind == "int":
        shown = tuple(e[:-2] if e.endswith(".0") else e for e in p.examples)
    elif kind in ("date", "month"):
        shown = tuple(e[:-9] if e.endswith(" 00:00:00") else e for e in p.examples)
    else:
        return p
    return replace(p, examples=shown)


def _run(engine: Engine, view: View, rel: str, checks: list[_Check], together: bool = False) -> list[DataProblem]:
    counts = engine.counts(rel, [c.pred for c in checks], together=together)
    out = []
    for c, n in zip(checks, counts):
        if n:
            p = engine.problem(view, rel, c.pred, n, view.table.name, c.rule, c.column, c.value)
            out.append(_shown(view.table, c.column, p))
    return out


# Above this many rows, duplicates are looked for by sorting 64-bit hashes in
# numpy (100 million in seconds, in 800 MB) rather than by grouping the
# values themselves in DuckDB (which would spill to disk).
HASH_ROWS = 2_000_000


def _duplicates(
    engine: Engine, view: View, cols: list[str], rule: str, column: str, values: bool
) -> DataProblem | None:
    """Rows whose value (or combination) of `cols` is on more than one row.

    Only rows with every value of `cols` given count: a value that is
    missing or could not be read is its own problem, and rows without it
    are not also duplicates of each other (`month=202404` on every row is
    one problem, not a second one of 71,065 duplicate rows).
    """
    keys = ", ".join(q(c) for c in cols)
    given = " AND ".join(f"{q(c)} IS NOT NULL" for c in cols)
    where = f"WHERE {given}"
    source = f"{view.name} {where}"
    if view.rows > HASH_ROWS:
        h = engine.hashes(f"SELECT hash({keys}) FROM {source}", view.rows)
        h.sort()
        same = h[1:] == h[:-1]
        if not same.any():
            return None  # distinct hashes: distinct values
        candidates = engine.register("hashes", pyarrow.table({"h": np.unique(h[1:][same])}))
        del h, same
        source = f"{view.name} WHERE hash({keys}) IN (SELECT h FROM {candidates}) AND {given}"
    dup = engine._name("dup")
    engine.con.execute(
        f"CREATE TEMP TABLE {dup} AS SELECT {keys}, count(*) AS n FROM {source} GROUP BY ALL HAVING count(*) > 1"
    )
    try:
        count = engine.sql(f"SELECT coalesce(sum(n), 0) FROM {dup}")[0][0]
        if not count:
            return None
        on = " AND ".join(f"d.{q(c)} IS NOT DISTINCT FROM t.{q(c)}" for c in cols)
        rel = f"{view.name} AS t SEMI JOIN {dup} AS d ON {on}"
        value = f"t.{q(cols[0])}" if values else None
        return _shown(
            view.table, column, engine.problem(view, rel, "TRUE", int(count), view.table.name, rule, column, value)
        )
    finally:
        engine.con.execute(f"DROP TABLE {dup}")


def table_problems(engine: Engine, view: View) -> list[DataProblem]:
    """Rules on one table alone (`check_table`), over its relation."""
    table = view.table
    if view.rows == 0:
        if table.required:
            return [DataProblem(table.name, NO_ROWS, file=view.label)]
        return []
    problems: list[DataProblem] = []
    for u in table.unique_together:
        if view.has(*u):
            p = _duplicates(
                engine,
                view,
                list(u),
                f"({', '.join(u)}) is not unique: the same combination is on more than one row",
                ", ".join(u),
                values=False,
            )
            problems += [p] if p else []
    # Per column in contract order: missing values, uniqueness, value rules.
    # Counted in one scan; duplicates need their own aggregate.
    checks: list[_Check | tuple[str, Column]] = []
    for col in table.columns:
        if col.name not in view.present:
            continue
        x = f"t.{q(col.name)}"
        if not col.nullable:
            # A value io could not read is already reported; it is not missing too.
            checks.append(_Check(NOT_NULLABLE, col.name, f"{x} IS NULL AND NOT t.{q(UNREADABLE + col.name)}"))
        if col.unique:
            checks.append(("unique", col))
        for r in value_rules(col, x):
            checks.append(_Check(r.words, col.name, f"{x} IS NOT NULL AND {r.broken}", x))
    plain = [c for c in checks if isinstance(c, _Check)]
    counted = dict(zip(map(id, plain), engine.counts(f"{view.name} AS t", [c.pred for c in plain])))
    for c in checks:
        if isinstance(c, tuple):
            p = _duplicates(engine, view, [c[1].name], NOT_UNIQUE, c[1].name, values=True)
            problems += [p] if p else []
        elif counted[id(c)]:
            p = engine.problem(view, f"{view.name} AS t", c.pred, counted[id(c)], table.name, c.rule, c.column, c.value)
            problems.append(_shown(table, c.column, p))
    own = [r for r in ROW_RULES if r.table == table.name and not r.needs]
    problems += _rules(engine, view, own, {table.name: view})
    return problems


def _ref_relation(views: Mapping[str, View], ref_table: str, key: str, cols: set[str]) -> str:
    """The first row (in file order) of `ref_table` for each non-null key."""
    v = views[ref_table]
    picked = ", ".join(f"arg_min({q(c)}, _pos) AS {q(c)}" for c in sorted(cols - {key}))
    return (
        f"(SELECT {q(key)}{', ' + picked if picked else ''} FROM {v.name} WHERE {q(key)} IS NOT NULL GROUP BY {q(key)})"
    )


def _readable(columns: tuple[str, ...]) -> str:
    """SQL: none of the row's `columns` held a value that could not be read.

    Such a value is already reported (as "not an ISO date" and the like); a
    rule that reads the column does not report the same row again (an
    unreadable close_date is not also "close_reason given but close_date
    empty").
    """
    return "".join(f"NOT t.{q(UNREADABLE + c)} AND " for c in columns)


def _rules(
    engine: Engine,
    view: View,
    rules: list[RowRule],
    views: Mapping[str, View],
    extra: list[_Check] | None = None,
    ref: tuple[str, str, str] | None = None,
) -> list[DataProblem]:
    """Row rules of `view` (and `extra` checks) sharing one relation; in order."""
    rules = [r for r in rules if r.applies(view, views)]
    if not rules and not extra:
        return []
    base = f"{view.name}"
    window = next((r.window for r in rules if r.window), None)
    if window:
        base = f"(SELECT *, {window} AS w FROM {view.name})"
    rel = f"{base} AS t"
    refs = {r.ref for r in rules if r.ref} | ({ref} if ref else set())
    assert len(refs) <= 1, refs
    joined = bool(refs)
    if refs:
        column, ref_table, key = refs.pop()
        cols = {c for r in rules for t, cs in r.needs.items() if t == ref_table for c in cs} | {key}
        rel += f" LEFT JOIN {_ref_relation(views, ref_table, key, cols)} AS r ON t.{q(column)} = r.{q(key)}"
    names = {n: v.name for n, v in views.items()}
    checks = list(extra or []) + [
        _Check(r.rule, r.column, _readable(r.uses) + r.sql.format(**names), f"t.{q(r.column)}") for r in rules
    ]
    return _run(engine, view, rel, checks, together=joined or bool(window))


def relation_problems(engine: Engine, views: Mapping[str, View]) -> list[DataProblem]:
    """Rules across tables (`check_relations`), over the relations of `views`.

    Per table: its foreign keys in contract order, then the rules that need
    another table in `ROW_RULES` order. A key and the rules that join on the
    same key share one scan of the table.
    """
    problems: list[DataProblem] = []
    for name, view in views.items():
        table = TABLES.get(name)
        if table is None or view.rows == 0:
            continue
        needs_rules = [r for r in ROW_RULES if r.table == name and r.needs]
        found: dict[str, DataProblem] = {}
        joined: set[tuple[str, str, str]] = set()
        for fk in table.foreign_keys:
            if fk.column not in view.present:
                continue
            ref = views.get(fk.ref_table)
            if ref is None:
                if not fk.when_present and not TABLES[fk.ref_table].required:
                    if engine.counts(f"{view.name} AS t", [f"t.{q(fk.column)} IS NOT NULL"])[0]:
                        problems.append(
                            DataProblem(
                                name,
                                f"{fk.column} refers to {fk.ref_table}, but there is no {fk.ref_table} table",
                                file=view.label,
                                column=fk.column,
                            )
                        )
                continue
            if fk.ref_column not in ref.present or (ref.rows == 0 and TABLES[fk.ref_table].required):
                # An empty required table is already a problem: no row of it to refer to.
                continue
            key = (fk.column, fk.ref_table, fk.ref_column)
            check = _Check(
                f"{fk.column} is not in {fk.ref_table}",
                fk.column,
                f"t.{q(fk.column)} IS NOT NULL AND r.{q(fk.ref_column)} IS NULL",
                f"t.{q(fk.column)}",
            )
            for p in _rules(engine, view, [r for r in needs_rules if r.ref == key], views, extra=[check], ref=key):
                if p.rule == check.rule:
                    problems.append(p)
                else:
                    found[p.rule] = p
            joined.add(key)
        by_ref: dict[object, list[RowRule]] = {}
        for r in needs_rules:
            if r.ref not in joined:
                by_ref.setdefault(r.ref, []).append(r)
        for rules in by_ref.values():
            found.update((p.rule, p) for p in _rules(engine, view, rules, views))
        problems += [found[r.rule] for r in needs_rules if r.rule in found]
        if name == "monthly_snapshots":
            problems += gap_problems(engine, views)
    return problems


# --------------------------------------------------------------------------
# public API on DataFrames


def check_table(table: Table, df: pd.DataFrame) -> list[DataProblem]:
    """Rules on one table alone: nulls, vocabularies, ranges, uniqueness, patterns, row rules.

    An empty required table is one problem and nothing else is checked; an
    empty optional table breaks no rule (the analyses that need it skip).
    Columns missing from `df` are `io`'s problem and are skipped here.
    """
    if len(df) == 0:
        if table.required:
            return [DataProblem(table.name, NO_ROWS, file=file_label(df))]
        return []
    with Engine() as engine:
        return table_problems(engine, engine.add_frame(table, df))


def check_relations(tables: Mapping[str, pd.DataFrame]) -> list[DataProblem]:
    """Rules across tables: foreign keys and the rules that need another table.

    A foreign key into an absent table is skipped when the key is
    `when_present` or the referenced table is required (its absence, or its
    having no rows, is already a problem); a key into an absent optional
    table is a problem (campaign_contacts without campaigns). With a branch
    run, `tables` are that branch's rows, and every rule is checked on them.
    """
    with Engine() as engine:
        views = {name: engine.add_frame(TABLES[name], df) for name, df in tables.items() if name in TABLES}
        return relation_problems(engine, views)
