"""monthly_snapshots: one row per customer per month, from open to close.

DATA.md: a customer has a row for every month from the month of open_date
(or the first month of the data, if later) to the month of close_date (or
the last month of the data). A month that is missing, or only partly
loaded, changes every headline built on it (active customers, deposits,
growth), so it is a problem that names the month and how many customers
lack it:

    month 2025-04 has rows for 471 of 1,144 customers expected …
    month 2024-03 has no rows: 1,144 customers expected …

Checked in SQL over the tables' relations (`analysis.scan`), in one join of
the snapshots with the customers, so that it scales with the big table.
The data's months are those of the rows that lie within their customer's
relationship (a row outside it is another rule's problem). A customer
whose open_date or close_date could not be read, or who has a row whose
month is missing or could not be read, is left out: that value is already
reported, and its gap would be the same problem again. Likewise a month's
rows of no known customer (an unknown or missing customer_id, already
reported) may be the rows its customers lack: a gap they could explain is
not reported.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.data.casts import lit, q
from analysis.data.io import UNREADABLE
from analysis.data.scan import Engine, View
from analysis.errors import DataProblem

#: Months reported one by one; any further months with gaps are one problem together.
MONTHS_SHOWN = 6
#: Customers named in a month's problem.
CUSTOMERS_SHOWN = 5
RULE = "one row per customer per month from the month of open_date to the month of close_date"


def _month(ts: pd.Timestamp) -> str:
    return f"{ts:%Y-%m}"


def gap_problems(engine: Engine, views: Mapping[str, View]) -> list[DataProblem]:
    """Months of `monthly_snapshots` without a row for every customer open then."""
    snaps, cust = views.get("monthly_snapshots"), views.get("customers")
    if snaps is None or cust is None or snaps.rows == 0 or cust.rows == 0:
        return []
    if not (snaps.has("customer_id", "month") and cust.has("customer_id", "open_date", "close_date")):
        return []
    flags = " OR ".join(f"arg_min({q(UNREADABLE + c)}, _pos)" for c in ("open_date", "close_date"))
    spans = engine._name("spans")
    # Each customer's first row (as every rule that refers to customers reads it); `ok`: its
    # relationship is known (open_date and close_date read) and none of its rows lacks its month.
    engine.con.execute(
        f"CREATE TEMP TABLE {spans} AS SELECT customer_id AS k, min(_pos) AS pos, "
        f"date_trunc('month', arg_min(open_date, _pos)) AS o, date_trunc('month', arg_min(close_date, _pos)) AS c, "
        f"(arg_min(open_date, _pos) IS NOT NULL AND NOT ({flags}) AND customer_id NOT IN "
        f"(SELECT customer_id FROM {snaps.name} WHERE month IS NULL AND customer_id IS NOT NULL)) AS ok "
        f"FROM {cust.name} WHERE customer_id IS NOT NULL GROUP BY customer_id"
    )
    try:
        # One pass over the snapshots: per month, the rows within their customer's
        # relationship, and the rows of no known customer (each already a problem,
        # and maybe the row a customer lacks: a gap they explain is not reported).
        counted = engine.sql(
            f"SELECT s.month, count(*) FILTER (WHERE e.ok AND s.month >= e.o AND (e.c IS NULL OR s.month <= e.c)), "
            f"count(*) FILTER (WHERE e.k IS NULL) FROM {snaps.name} AS s LEFT JOIN {spans} AS e ON s.customer_id = e.k "
            "WHERE s.month IS NOT NULL GROUP BY s.month"
        )
        have = {pd.Timestamp(m): int(n) for m, n, _ in counted if n}
        orphans = {pd.Timestamp(m): int(k) for m, _, k in counted if k}
        if not have:
            return []
        lo, hi = min(have), max(have)
        span = (
            f"greatest(o, {lit(str(lo))}::TIMESTAMP) AS f, least(coalesce(c, {lit(str(hi))}::TIMESTAMP), "
            f"{lit(str(hi))}::TIMESTAMP) AS l"
        )
        open_in_data = f"(SELECT k, pos, {span} FROM {spans} WHERE ok) AS e WHERE f <= l"
        starts = engine.sql(f"SELECT f, count(*) FROM {open_in_data} GROUP BY f")
        ends = engine.sql(f"SELECT l, count(*) FROM {open_in_data} GROUP BY l")
        months = pd.date_range(lo, hi, freq="MS")
        delta = pd.Series(0, index=months.append(pd.DatetimeIndex([hi + pd.DateOffset(months=1)])), dtype="int64")
        # pandas-stubs: a Timestamp label is missing from Series.__setitem__'s keys (pandas takes it)
        for m, n in starts:
            delta[pd.Timestamp(m)] += int(n)  # type: ignore[call-overload]
        for m, n in ends:
            delta[pd.Timestamp(m) + pd.DateOffset(months=1)] -= int(n)  # type: ignore[call-overload]
        expected = delta.cumsum().iloc[:-1]
        short = [
            (m, int(expected[m]), have.get(m, 0))
            for m in months
            if have.get(m, 0) + orphans.get(m, 0) < int(expected[m])
        ]
        if not short:
            return []
        shown, rest = short[:MONTHS_SHOWN], short[MONTHS_SHOWN:]
        lacking = _lacking(engine, snaps, open_in_data, [m for m, _, n in shown if n > 0])
        problems = []
        for m, want, n in shown:
            if n == 0:
                rule = f"month {_month(m)} has no rows: {want:,} customers expected ({RULE})"
            else:
                rule = (
                    f"month {_month(m)} has rows for {n:,} of {want:,} customers expected ({RULE}); "
                    f"without a row: {', '.join(lacking.get(m, []))}" + (" …" if want - n > CUSTOMERS_SHOWN else "")
                )
            problems.append(DataProblem("monthly_snapshots", rule, file=snaps.label, column="month"))
        if rest:
            listed = ", ".join(f"{_month(m)} ({want - n:,} of {want:,} missing)" for m, want, n in rest[:12])
            more = " …" if len(rest) > 12 else ""
            problems.append(
                DataProblem(
                    "monthly_snapshots",
                    f"{len(rest)} more months lack rows for some customers ({RULE}): {listed}{more}",
                    file=snaps.label,
                    column="month",
                )
            )
        return problems
    finally:
        engine.con.execute(f"DROP TABLE {spans}")


def _lacking(
    engine: Engine, snaps: View, open_in_data: str, months: list[pd.Timestamp]
) -> dict[pd.Timestamp, list[str]]:
    """The first customers (in file order) open in each month of `months` without a row for it."""
    if not months:
        return {}
    listed = ", ".join(f"{lit(str(m))}::TIMESTAMP" for m in months)
    rows = engine.sql(
        f"SELECT mm.m, e.k FROM (SELECT unnest([{listed}]) AS m) AS mm "
        f"JOIN (SELECT * FROM {open_in_data}) AS e ON e.f <= mm.m AND mm.m <= e.l "
        f"ANTI JOIN (SELECT customer_id, month FROM {snaps.name} WHERE month IN ({listed})) AS s "
        "ON s.customer_id = e.k AND s.month = mm.m "
        f"QUALIFY row_number() OVER (PARTITION BY mm.m ORDER BY e.pos) <= {CUSTOMERS_SHOWN} ORDER BY mm.m, e.pos"
    )
    out: dict[pd.Timestamp, list[str]] = {}
    for m, k in rows:
        out.setdefault(pd.Timestamp(m), []).append(str(k))
    return out
