"""Finding one's way in a loaded branch: its repr, a first look, a subset.

    bank                                   # branch, tables with rows, time frame, missing tables
    bank.describe()                        # per table: rows, columns, date range, nulls
    bank.subset(segment="affluent")        # every customer-keyed table filtered

`Bank` calls these; they take the bank as it is (this module imports no
`bank`, which imports it).
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.data.contract import TABLES
from analysis.errors import UsageError

if TYPE_CHECKING:  # bank.py imports this module: Bank is needed for the hints only
    from analysis.data.bank import Bank

#: what `Bank.subset` filters by: a column of `customers`
SUBSET_BY = ("segment", "area", "vip_tier")
DATE_KINDS = ("date", "month", "datetime")


def customer_tables() -> list[str]:
    """Tables of the contract with a `customer_id` column (`customers` first)."""
    return [name for name, t in TABLES.items() if "customer_id" in t.column_names]


def _frame_line(bank: Bank) -> str:
    tf = bank.timeframe
    return f"M = {tf.M:%Y-%m}, window {tf.t0:%Y-%m-%d} … {tf.as_of:%Y-%m-%d} ({tf.window_months} months)" + (
        f", snapshots from {tf.first:%Y-%m}" if tf.first is not None else ""
    )


def _changed_line(bank: Bank) -> str | None:
    changed = bank.assumptions.changed()
    if not changed:
        return None
    return "assumptions changed: " + ", ".join(f"{k} = {v!r} (default {d!r})" for k, (d, v) in changed.items())


def bank_text(bank: Bank) -> str:
    """`repr(bank)`: branch, time frame, tables with their rows, missing tables."""
    lines = [f"Bank {bank.branch_id!r} ({bank.data_dir or 'built by hand'})", "  " + _frame_line(bank)]
    present = [n for n in TABLES if n in bank.tables and bank.has(n)]
    width = max((len(n) for n in present), default=0)
    lines += [f"  {n:<{width}}  {bank.row_count(n):>12,} rows" for n in present]
    if bank.missing_tables:
        lines.append("  missing: " + ", ".join(bank.missing_tables))
    if bank.set_aside:
        lines.append("  set aside by as_of: " + ", ".join(bank.set_aside))
    if (note := _changed_line(bank)) is not None:
        lines.append("  " + note)
    return "\n".join(lines)


def bank_html(bank: Bank) -> str:
    """The same as `bank_text`, as a small HTML table for Jupyter."""
    esc = html.escape
    rows = "".join(
        f"<tr><td><code>{esc(n)}</code></td><td style='text-align:right'>{bank.row_count(n):,}</td></tr>"
        for n in TABLES
        if n in bank.tables and bank.has(n)
    )
    extra = ""
    if bank.missing_tables:
        extra += f"<p>missing: {esc(', '.join(bank.missing_tables))}</p>"
    if bank.set_aside:
        extra += f"<p>set aside by as_of: {esc(', '.join(bank.set_aside))}</p>"
    if (note := _changed_line(bank)) is not None:
        extra += f"<p>{esc(note)}</p>"
    return (
        f"<div><strong>Bank {esc(bank.branch_id)}</strong> <small>{esc(str(bank.data_dir))}</small>"
        f"<p>{esc(_frame_line(bank))}</p>"
        f"<table><thead><tr><th>table</th><th>rows</th></tr></thead><tbody>{rows}</tbody></table>{extra}</div>"
    )


def describe(bank: Bank) -> pd.DataFrame:
    """One row per table of the contract: rows, columns, first and last date
    (of its date columns), null cells and the share of null cells; a missing
    table has 0 rows and `present` False. Numbers stay numbers."""
    out = []
    for name, spec in TABLES.items():
        df = bank.tables.get(name) if name in bank.tables else None
        row: dict[str, Any] = {"table": name, "present": df is not None and len(df) > 0}
        if df is None:
            row.update(rows=0, columns=0, first_date=pd.NaT, last_date=pd.NaT, null_cells=0, null_share=float("nan"))
        else:
            dates = [c.name for c in spec.columns if c.kind in DATE_KINDS and c.name in df.columns]
            lo = min((df[c].min() for c in dates if df[c].notna().any()), default=pd.NaT)
            hi = max((df[c].max() for c in dates if df[c].notna().any()), default=pd.NaT)
            nulls = int(df.isna().sum().sum())
            cells = df.shape[0] * df.shape[1]
            row.update(
                rows=len(df),
                columns=df.shape[1],
                first_date=pd.Timestamp(lo) if pd.notna(lo) else pd.NaT,
                last_date=pd.Timestamp(hi) if pd.notna(hi) else pd.NaT,
                null_cells=nulls,
                null_share=nulls / cells if cells else float("nan"),
            )
        out.append(row)
    return pd.DataFrame(out).set_index("table")


def _values(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def subset(
    bank: Bank,
    segment: str | Iterable[str] | None = None,
    area: str | Iterable[str] | None = None,
    vip_tier: str | Iterable[str] | None = None,
    customers: Iterable[str] | None = None,
) -> Bank:
    """The bank restricted to the customers that match every filter given:
    `segment`, `area`, `vip_tier` (one value or several, as in `customers`)
    and `customers` (ids). Every table with a `customer_id` is filtered
    (surveys keep only the named responses of those customers: an anonymous
    answer belongs to nobody in the subset); other tables (branches,
    campaigns, market tables, managers) stay whole. A new Bank, so its
    features are computed afresh; time frame and assumptions stay."""
    c = bank.customers
    if c is None:
        raise UsageError("subset: the bank has no customers table")
    customers = None if customers is None else list(customers)
    keep = pd.Series(True, index=c.index)
    for col, value in (("segment", segment), ("area", area), ("vip_tier", vip_tier)):
        wanted = _values(value)
        if wanted is None:
            continue
        known = set(c[col].dropna().astype(str))
        unknown = [w for w in wanted if w not in known]
        if unknown and not known.intersection(wanted):
            raise UsageError(
                f"subset: no customer has {col} {', '.join(unknown)}; the branch has {', '.join(sorted(known))}"
            )
        keep &= c[col].astype(str).isin(wanted)
    if customers is not None:
        keep &= c["customer_id"].isin(list(customers))
    ids = set(c.loc[keep, "customer_id"])
    tables = {}
    for name in bank.tables:
        df = bank.tables[name]
        if name in customer_tables() and df is not None:
            df = df[df["customer_id"].isin(ids)].reset_index(drop=True)
        tables[name] = df
    options = {
        **bank.options,
        "subset": {k: _values(v) for k, v in _filters(segment, area, vip_tier, customers).items()},
    }
    return dataclasses.replace(bank, tables=tables, options=options)


def _filters(segment: Any, area: Any, vip_tier: Any, customers: Any) -> dict[str, Any]:
    given = {"segment": segment, "area": area, "vip_tier": vip_tier}
    out = {k: v for k, v in given.items() if v is not None}
    if customers is not None:
        out["customers"] = [f"{len(customers)} ids"]
    return out
