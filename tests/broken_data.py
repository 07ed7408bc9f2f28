"""Broken-data fixtures: a small good bank, and one way to break each rule.

`small_bank(conformance_dir)` takes ~60 customers of the conformance bank
(both branches: active, closed, VIP, with a relationship manager, contacted
by every campaign) with their rows of every table. Each `Case` copies it,
breaks exactly one rule and says which problem `analysis.bank.read_folder`
must report: table, column, words of the rule, and the rows that break it
(0-based positions in the frame; the test writes CSV, where the header is
row 1 and position i is "row i+2").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.data.bank import load_tables

Tables = dict[str, pd.DataFrame]


def small_bank(conformance_dir: Path) -> Tables:
    """~60 customers of the conformance bank and their rows of every table (final dtypes)."""
    t = load_tables(conformance_dir / "good")
    c = t["customers"]
    contacts = t["campaign_contacts"]
    picks = [
        c.groupby("branch_id").head(15).index,
        c[c["close_date"].notna()].groupby("branch_id").head(5).index,
        c[c["vip_tier"] != "none"].groupby("branch_id").head(3).index,
        c[c["rm_id"].notna()].groupby("branch_id").head(3).index,
        c[c["open_date"] >= "2024-06-01"].groupby("branch_id").head(2).index,
        c[c["customer_id"].isin(t["transactions"]["customer_id"])].head(5).index,
        c[
            c["customer_id"].isin(contacts.groupby(["campaign_id", "group"], observed=True).head(3)["customer_id"])
        ].index,
    ]
    keep = c.index.isin(picks[0].append(picks[1:]))
    ids = set(c.loc[keep, "customer_id"])
    out: Tables = {"branches": t["branches"], "customers": c[keep]}
    for name in ("monthly_snapshots", "transactions", "interactions", "campaign_contacts"):
        out[name] = t[name][t[name]["customer_id"].isin(ids)]
    s = t["surveys"]
    anonymous = s[s["customer_id"].isna()].groupby("branch_id").head(3).index
    out["surveys"] = s[s["customer_id"].isin(ids) | s.index.isin(anonymous)]
    ms = t["market_survey"]
    respondents = ms.drop_duplicates("respondent_id").groupby("city").head(4)["respondent_id"]
    out["market_survey"] = ms[ms["respondent_id"].isin(respondents)]
    out["market_share"] = t["market_share"].head(12)
    out["campaigns"] = t["campaigns"]
    out["relationship_managers"] = t["relationship_managers"]
    return {k: v.reset_index(drop=True) for k, v in out.items()}


def write_bank(tables: Tables, folder: Path) -> Path:
    """Every table as UTF-8 CSV, as a bank would export them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", index=False)
    return folder


# --------------------------------------------------------------------------
# ways to break one thing; each returns the positions of the rows to report


def _first(df: pd.DataFrame, mask) -> int:
    return int(df.index[mask][0])


def _set(tables: Tables, table: str, row: int, **values) -> list[int]:
    df = tables[table]
    for col, v in values.items():
        if isinstance(df[col].dtype, pd.CategoricalDtype) or (df[col].dtype == bool and v is None):
            df[col] = df[col].astype(object)
        df.loc[row, col] = v
    return [row]


def _append_copy(tables: Tables, table: str, row: int, **values) -> list[int]:
    df = tables[table]
    new = df.iloc[[row]].copy()
    for col, v in values.items():
        if isinstance(new[col].dtype, pd.CategoricalDtype):
            new[col] = new[col].astype(object)
        new[col] = v
    tables[table] = pd.concat([df, new], ignore_index=True)
    return [len(df)]


def _without_customer_rows(tables: Tables, customer_id: str) -> None:
    """Drop a customer's rows from every table that refers to customers."""
    for name in ("monthly_snapshots", "transactions", "interactions", "campaign_contacts", "surveys"):
        df = tables[name]
        tables[name] = df[df["customer_id"] != customer_id].reset_index(drop=True)


def _active(t: Tables) -> int:
    c = t["customers"]
    return _first(c, c["close_date"].isna())


def _closed_in_data(t: Tables) -> int:
    """A customer closed while the data runs (so they have snapshot rows)."""
    c = t["customers"]
    with_rows = c["customer_id"].isin(t["monthly_snapshots"]["customer_id"])
    return _first(c, c["close_date"].notna() & with_rows & (c["close_date"] < "2026-01-01"))


def break_close_before_open(t: Tables) -> list[int]:
    i = _active(t)
    c = t["customers"]
    _without_customer_rows(t, c.loc[i, "customer_id"])  # else its snapshots run past the close month
    return _set(t, "customers", i, close_date=c.loc[i, "open_date"] - pd.Timedelta(days=1))


def break_birth_year(t: Tables) -> list[int]:
    c = t["customers"]
    i = _active(t)
    return _set(t, "customers", i, birth_year=c.loc[i, "open_date"].year - 10)


def break_vip_since_missing(t: Tables) -> list[int]:
    c = t["customers"]
    return _set(t, "customers", _first(c, c["vip_tier"] != "none"), vip_since=pd.NaT)


def break_vip_since_without_tier(t: Tables) -> list[int]:
    c = t["customers"]
    return _set(t, "customers", _first(c, c["vip_tier"] == "none"), vip_since=pd.Timestamp("2024-05-01"))


def break_snapshot_before_open(t: Tables) -> list[int]:
    c, s = t["customers"], t["monthly_snapshots"]
    late = c.loc[c["open_date"] >= "2024-06-01"].iloc[0]
    row = _first(s, s["customer_id"] == late["customer_id"])
    month = late["open_date"].to_period("M").to_timestamp() - pd.DateOffset(months=1)
    return _append_copy(t, "monthly_snapshots", row, month=month)


def break_snapshot_after_close(t: Tables) -> list[int]:
    c, s = t["customers"], t["monthly_snapshots"]
    closed = c.loc[_closed_in_data(t)]
    row = _first(s, s["customer_id"] == closed["customer_id"])
    month = closed["close_date"].to_period("M").to_timestamp() + pd.DateOffset(months=1)
    return _append_copy(t, "monthly_snapshots", row, month=month)


def break_ts_before_open(t: Tables) -> list[int]:
    c, x = t["customers"], t["transactions"]
    open_date = c.set_index("customer_id").loc[x.loc[0, "customer_id"], "open_date"]
    return _set(t, "transactions", 0, ts=open_date - pd.Timedelta(hours=1))


def break_ts_after_close(t: Tables) -> list[int]:
    closed = t["customers"].loc[_closed_in_data(t)]
    return _set(
        t,
        "transactions",
        0,
        customer_id=closed["customer_id"],
        ts=closed["close_date"] + pd.Timedelta(days=1, minutes=5),
    )


def break_control_in_targeted(t: Tables) -> list[int]:
    targeted = t["campaigns"].loc[t["campaigns"]["design"] == "targeted", "campaign_id"]
    cc = t["campaign_contacts"]
    # A control that did not take part: only the campaign's design is wrong.
    return _set(
        t, "campaign_contacts", _first(cc, cc["campaign_id"].isin(targeted)), group="control", participated=False
    )


def break_no_primary_bank(t: Tables) -> list[int]:
    ms = t["market_survey"]
    rid = ms.loc[0, "respondent_id"]
    rows = ms.index[ms["respondent_id"] == rid].tolist()
    ms.loc[rows, "primary_bank"] = False
    return rows


def break_two_primary_banks(t: Tables) -> list[int]:
    ms = t["market_survey"]
    rid = ms.loc[0, "respondent_id"]
    rows = ms.index[ms["respondent_id"] == rid]
    is_primary = ms.loc[rows, "primary_bank"].to_numpy(dtype=bool)
    primary, other = rows[is_primary][0], rows[~is_primary][0]
    ms.loc[other, "primary_bank"] = True
    return sorted([int(primary), int(other)])


def break_duplicate(table: str, row: int = 0) -> Callable[[Tables], list[int]]:
    def breaker(t: Tables) -> list[int]:
        return [row, *_append_copy(t, table, row)]

    return breaker


def set_where(table: str, where: Callable[[pd.DataFrame], pd.Series] | None = None, **values):
    """Set `values` on the first row of `table` where `where` holds (row 0 without it)."""

    def breaker(t: Tables) -> list[int]:
        df = t[table]
        return _set(t, table, 0 if where is None else _first(df, where(df)), **values)

    return breaker


def append_copy(table: str, row: int = 0, **values):
    def breaker(t: Tables) -> list[int]:
        return _append_copy(t, table, row, **values)

    return breaker


@dataclass(frozen=True)
class Case:
    """One broken rule: how to break it and the problem it must produce."""

    id: str
    breaks: Callable[[Tables], list[int]]
    table: str
    column: str
    words: str  # words the problem's rule must contain
    example: str | None = None  # an offending value the problem must show


ACTIVE = lambda df: df["close_date"].isna()  # noqa: E731
CONTROL = lambda df: df["group"] == "control"  # noqa: E731
NOT_RESPONDED = lambda df: ~df["responded"].astype(bool)  # noqa: E731
RESPONDED = lambda df: df["responded"].astype(bool)  # noqa: E731

CASES: tuple[Case, ...] = (
    # ---- column rules: required values, vocabularies, ranges, uniqueness, patterns
    Case(
        "branch_id pattern",
        append_copy("branches", 0, branch_id="Fixture C"),
        "branches",
        "branch_id",
        "does not match the pattern",
        "Fixture C",
    ),
    Case("branch_id unique", break_duplicate("branches"), "branches", "branch_id", "is not unique"),
    Case("branch_name required", set_where("branches", branch_name=None), "branches", "branch_name", "is empty"),
    Case("customer_id unique", break_duplicate("customers", 3), "customers", "customer_id", "is not unique"),
    Case("segment required", set_where("customers", segment=None), "customers", "segment", "is empty"),
    Case("gender vocabulary", set_where("customers", gender="X"), "customers", "gender", "is not one of: F, M, U", "X"),
    Case("area vocabulary", set_where("customers", area="suburb"), "customers", "area", "is not one of", "suburb"),
    Case(
        "vip_tier vocabulary",
        set_where("customers", lambda df: df["vip_tier"] == "none", vip_tier="silver"),
        "customers",
        "vip_tier",
        "is not one of",
        "silver",
    ),
    Case(
        "close_reason vocabulary",
        set_where("customers", lambda df: df["close_date"].notna(), close_reason="bored"),
        "customers",
        "close_reason",
        "is not one of",
        "bored",
    ),
    Case(
        "birth_year at least 1900",
        set_where("customers", birth_year=1890),
        "customers",
        "birth_year",
        "must be at least 1900",
        "1890",
    ),
    Case(
        "snapshot (customer_id, month) unique",
        break_duplicate("monthly_snapshots", 5),
        "monthly_snapshots",
        "customer_id, month",
        "is not unique",
    ),
    Case("month required", set_where("monthly_snapshots", month=None), "monthly_snapshots", "month", "is empty"),
    Case(
        "deposit_balance >= 0",
        set_where("monthly_snapshots", deposit_balance=-5.0),
        "monthly_snapshots",
        "deposit_balance",
        "must be at least 0",
        "-5.0",
    ),
    Case(
        "loan_balance >= 0",
        set_where("monthly_snapshots", loan_balance=-1.0),
        "monthly_snapshots",
        "loan_balance",
        "must be at least 0",
    ),
    Case(
        "wealth_aum >= 0",
        set_where("monthly_snapshots", wealth_aum=-1.0),
        "monthly_snapshots",
        "wealth_aum",
        "must be at least 0",
    ),
    Case(
        "products_held <= 20",
        set_where("monthly_snapshots", products_held=21),
        "monthly_snapshots",
        "products_held",
        "must be at most 20",
        "21",
    ),
    Case(
        "txn_count >= 0",
        set_where("monthly_snapshots", txn_count=-1),
        "monthly_snapshots",
        "txn_count",
        "must be at least 0",
    ),
    Case(
        "digital_active required",
        set_where("monthly_snapshots", digital_active=None),
        "monthly_snapshots",
        "digital_active",
        "is empty",
    ),
    Case("revenue required", set_where("monthly_snapshots", revenue=None), "monthly_snapshots", "revenue", "is empty"),
    Case("txn_id unique", break_duplicate("transactions"), "transactions", "txn_id", "is not unique"),
    Case("amount > 0", set_where("transactions", amount=0.0), "transactions", "amount", "must be greater than 0"),
    Case(
        "direction vocabulary",
        set_where("transactions", direction="in"),
        "transactions",
        "direction",
        "is not one of: credit, debit",
        "in",
    ),
    Case("channel vocabulary", set_where("transactions", channel="fax"), "transactions", "channel", "is not one of"),
    Case(
        "txn category vocabulary",
        set_where("transactions", category="gift"),
        "transactions",
        "category",
        "is not one of",
    ),
    Case("interaction_id unique", break_duplicate("interactions"), "interactions", "interaction_id", "is not unique"),
    Case(
        "interaction type vocabulary", set_where("interactions", type="praise"), "interactions", "type", "is not one of"
    ),
    Case(
        "resolution_score <= 5",
        set_where("interactions", lambda df: df["resolution_score"].notna(), resolution_score=6),
        "interactions",
        "resolution_score",
        "must be at most 5",
    ),
    Case(
        "resolution_score >= 1",
        set_where("interactions", lambda df: df["resolution_score"].notna(), resolution_score=0),
        "interactions",
        "resolution_score",
        "must be at least 1",
    ),
    Case("response_id unique", break_duplicate("surveys"), "surveys", "response_id", "is not unique"),
    Case(
        "exp rating <= 7",
        set_where("surveys", exp_service_quality=8),
        "surveys",
        "exp_service_quality",
        "must be at most 7",
    ),
    Case(
        "perc rating >= 1", set_where("surveys", perc_timeliness=0), "surveys", "perc_timeliness", "must be at least 1"
    ),
    Case(
        "overall_satisfaction <= 10",
        set_where("surveys", overall_satisfaction=11),
        "surveys",
        "overall_satisfaction",
        "must be at most 10",
    ),
    Case("recommend >= 0", set_where("surveys", recommend=-1), "surveys", "recommend", "must be at least 0"),
    Case("recommend required", set_where("surveys", recommend=None), "surveys", "recommend", "is empty"),
    Case(
        "market_survey (respondent_id, bank) unique",
        lambda t: _dup_non_primary(t),
        "market_survey",
        "respondent_id, bank",
        "is not unique",
    ),
    Case(
        "market rating <= 7",
        set_where("market_survey", rating_brand_image=9),
        "market_survey",
        "rating_brand_image",
        "must be at most 7",
    ),
    Case(
        "market_share (city, bank, period) unique",
        break_duplicate("market_share", 2),
        "market_share",
        "city, bank, period",
        "is not unique",
    ),
    Case("deposits >= 0", set_where("market_share", deposits=-1.0), "market_share", "deposits", "must be at least 0"),
    Case("outlets >= 0", set_where("market_share", outlets=-2), "market_share", "outlets", "must be at least 0"),
    Case("campaign_id unique", lambda t: _dup_campaign(t), "campaigns", "campaign_id", "is not unique"),
    Case(
        "campaign kind vocabulary",
        set_where("campaigns", kind="karaoke"),
        "campaigns",
        "kind",
        "is not one of",
        "karaoke",
    ),
    Case(
        "campaign design vocabulary",
        set_where("campaigns", design="random"),
        "campaigns",
        "design",
        "is not one of: randomized, targeted",
    ),
    Case("cost >= 0", set_where("campaigns", cost=-100.0), "campaigns", "cost", "must be at least 0"),
    Case(
        "contacts (campaign_id, customer_id) unique",
        break_duplicate("campaign_contacts"),
        "campaign_contacts",
        "campaign_id, customer_id",
        "is not unique",
    ),
    Case(
        "group vocabulary",
        set_where("campaign_contacts", group="holdout"),
        "campaign_contacts",
        "group",
        "is not one of: treatment, control",
    ),
    Case(
        "response_value >= 0",
        set_where("campaign_contacts", RESPONDED, response_value=-10.0),
        "campaign_contacts",
        "response_value",
        "must be at least 0",
    ),
    Case("rm_id unique", break_duplicate("relationship_managers"), "relationship_managers", "rm_id", "is not unique"),
    Case(
        "grade vocabulary",
        set_where("relationship_managers", grade="chief"),
        "relationship_managers",
        "grade",
        "is not one of: junior, senior, principal",
    ),
    Case(
        "hire_date required",
        set_where("relationship_managers", hire_date=None),
        "relationship_managers",
        "hire_date",
        "is empty",
    ),
    # ---- row rules
    Case(
        "close_date >= open_date", break_close_before_open, "customers", "close_date", "close_date is before open_date"
    ),
    Case(
        "close_reason only with close_date",
        set_where("customers", ACTIVE, close_reason="fees"),
        "customers",
        "close_reason",
        "close_reason is given but close_date is empty",
    ),
    Case(
        "birth_year <= year(open_date) - 16",
        break_birth_year,
        "customers",
        "birth_year",
        "birth_year is later than the year of open_date minus 16",
    ),
    Case(
        "vip_since needed when vip_tier != none",
        break_vip_since_missing,
        "customers",
        "vip_since",
        "vip_since is empty but vip_tier is not none",
    ),
    Case(
        "vip_since only when vip_tier != none",
        break_vip_since_without_tier,
        "customers",
        "vip_since",
        "vip_since is set but vip_tier is none",
    ),
    Case(
        "month first of month",
        set_where("monthly_snapshots", month=pd.Timestamp("2024-03-15")),
        "monthly_snapshots",
        "month",
        "first day of the month",
    ),
    Case(
        "snapshot not before open month",
        break_snapshot_before_open,
        "monthly_snapshots",
        "month",
        "month is before the month of the customer's open_date",
    ),
    Case(
        "snapshot not after close month",
        break_snapshot_after_close,
        "monthly_snapshots",
        "month",
        "month is after the month of the customer's close_date",
    ),
    Case(
        "ts not before open_date", break_ts_before_open, "transactions", "ts", "ts is before the customer's open_date"
    ),
    Case(
        "ts not after close_date", break_ts_after_close, "transactions", "ts", "ts is after the customer's close_date"
    ),
    Case(
        "resolved_date >= date",
        lambda t: _resolved_before(t),
        "interactions",
        "resolved_date",
        "resolved_date is before date",
    ),
    Case(
        "end_date >= start_date",
        lambda t: _set(t, "campaigns", 0, end_date=t["campaigns"].loc[0, "start_date"] - pd.Timedelta(days=1)),
        "campaigns",
        "end_date",
        "end_date is before start_date",
    ),
    Case(
        "control only in randomized campaigns",
        break_control_in_targeted,
        "campaign_contacts",
        "group",
        "group is control in a targeted campaign",
    ),
    Case(
        "participated false for every control",
        set_where("campaign_contacts", CONTROL, participated=True),
        "campaign_contacts",
        "participated",
        "participated is true for a control customer",
    ),
    Case(
        "response_value only when responded",
        set_where("campaign_contacts", NOT_RESPONDED, response_value=500.0),
        "campaign_contacts",
        "response_value",
        "response_value is given but responded is false",
    ),
    Case(
        "exactly one primary bank: none",
        break_no_primary_bank,
        "market_survey",
        "primary_bank",
        "respondent has no row with primary_bank true",
    ),
    Case(
        "exactly one primary bank: two",
        break_two_primary_banks,
        "market_survey",
        "primary_bank",
        "respondent has more than one row with primary_bank true",
    ),
    Case(
        "period is a quarter end",
        set_where("market_share", period=pd.Timestamp("2024-03-30")),
        "market_share",
        "period",
        "period is not the last day of a quarter",
        "2024-03-30",
    ),
    Case(
        "home_bank as spelt in market_share",
        lambda t: _misspell_home_bank(t, without="market_survey"),
        "branches",
        "home_bank",
        "home_bank is not spelt as any bank of the branch's city in market_share",
        "建设银行",
    ),
    Case(
        "home_bank as spelt in market_survey",
        lambda t: _misspell_home_bank(t, without="market_share"),
        "branches",
        "home_bank",
        "home_bank is not spelt as any bank of the branch's city in market_survey",
    ),
    # ---- foreign keys
    Case(
        "customers.branch_id in branches",
        set_where("customers", branch_id="fixture-z"),
        "customers",
        "branch_id",
        "branch_id is not in branches",
        "fixture-z",
    ),
    Case(
        "customers.rm_id in relationship_managers",
        set_where("customers", rm_id="nobody"),
        "customers",
        "rm_id",
        "rm_id is not in relationship_managers",
        "nobody",
    ),
    Case(
        "snapshots.customer_id in customers",
        set_where("monthly_snapshots", customer_id="99999999"),
        "monthly_snapshots",
        "customer_id",
        "customer_id is not in customers",
        "99999999",
    ),
    Case(
        "transactions.customer_id in customers",
        set_where("transactions", customer_id="99999999"),
        "transactions",
        "customer_id",
        "customer_id is not in customers",
    ),
    Case(
        "interactions.customer_id in customers",
        set_where("interactions", customer_id="99999999"),
        "interactions",
        "customer_id",
        "customer_id is not in customers",
    ),
    Case(
        "surveys.customer_id in customers",
        set_where("surveys", lambda df: df["customer_id"].notna(), customer_id="99999999"),
        "surveys",
        "customer_id",
        "customer_id is not in customers",
    ),
    Case(
        "surveys.branch_id in branches",
        set_where("surveys", branch_id="fixture-z"),
        "surveys",
        "branch_id",
        "branch_id is not in branches",
    ),
    Case(
        "campaigns.branch_id in branches",
        set_where("campaigns", branch_id="fixture-z"),
        "campaigns",
        "branch_id",
        "branch_id is not in branches",
    ),
    Case(
        "contacts.campaign_id in campaigns",
        set_where("campaign_contacts", campaign_id="FX-Z9"),
        "campaign_contacts",
        "campaign_id",
        "campaign_id is not in campaigns",
        "FX-Z9",
    ),
    Case(
        "contacts.customer_id in customers",
        set_where("campaign_contacts", customer_id="99999999"),
        "campaign_contacts",
        "customer_id",
        "customer_id is not in customers",
    ),
    Case(
        "relationship_managers.branch_id in branches",
        lambda t: _rm_elsewhere(t),
        "relationship_managers",
        "branch_id",
        "branch_id is not in branches",
    ),
)


def _dup_non_primary(t: Tables) -> list[int]:
    ms = t["market_survey"]
    row = _first(ms, ~ms["primary_bank"])
    return [row, *_append_copy(t, "market_survey", row)]


def _dup_campaign(t: Tables) -> list[int]:
    # A second campaign with the first one's id (a different name): no contact changes meaning.
    return [0, *_append_copy(t, "campaigns", 0, name="另一个活动")]


def _resolved_before(t: Tables) -> list[int]:
    x = t["interactions"]
    i = _first(x, x["resolved_date"].notna())
    return _set(t, "interactions", i, resolved_date=x.loc[i, "date"] - pd.Timedelta(days=2))


def _rm_elsewhere(t: Tables) -> list[int]:
    # An RM no customer refers to, so only its branch_id is wrong.
    rms = t["relationship_managers"]
    used = set(t["customers"]["rm_id"].dropna())
    return _set(t, "relationship_managers", _first(rms, ~rms["rm_id"].isin(used)), branch_id="fixture-z")


def _misspell_home_bank(t: Tables, without: str) -> list[int]:
    # The other market table is left out so that only one problem arises.
    del t[without]
    return _set(t, "branches", 0, home_bank="建设银行")


# --------------------------------------------------------------------------
# variants of a messy extract (issue 17): one thing wrong, as a bank's export has it


def drop_month(t: Tables, month: str, keep: float = 0.0) -> tuple[int, int]:
    """Load only `keep` of month `month`'s snapshot rows (0: the month is missing).

    Returns (rows kept, rows the month had): the customers the month has
    rows for, of those expected (the small bank is complete).
    """
    s = t["monthly_snapshots"]
    in_month = s.index[s["month"] == pd.Timestamp(month)]
    kept = in_month[: int(len(in_month) * keep)]
    t["monthly_snapshots"] = s.drop(index=in_month.difference(kept)).reset_index(drop=True)
    return len(kept), len(in_month)


def as_text(t: Tables, table: str, column: str, row: int, value: str) -> list[int]:
    """Write `value` as the text of one cell (a date a bank's system spelt its own way)."""
    t[table] = t[table].astype({column: object})
    t[table].loc[row, column] = value
    return [row]
