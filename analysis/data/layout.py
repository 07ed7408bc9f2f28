"""Why a table's columns were not found: the file's layout, detected and reported.

A bank's export often differs from the contract in its layout, not in its
values: a title line above the header, a tab or semicolon as delimiter, the
data on the second sheet of a workbook. Read as the contract says (header
on line 1, commas, the first sheet), such a file has none of its columns.
Rather than one "required column is missing" per column, the problem says
what the file looks like:

    the header looks like line 2: 客户号,分行,开户日期,…
    the file looks tab-separated (line 1: customer_id<TAB>branch_id…); save it comma-separated
    sheets: 说明, 客户明细 — data read from the first sheet (说明); sheet 客户明细 row 1 has customer_id, branch_id, …

The file is not read another way on a guess: the consultant fixes the
export, and the run reads it as the contract says.
"""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.data.contract import Table
from analysis.errors import DataProblem

#: Lines (or sheet rows) looked at for a header.
LINES = 10
#: Bytes of a CSV read to look at its first lines.
HEAD_BYTES = 64 * 1024
#: Missing columns named in the one problem.
NAMES_SHOWN = 6
DELIMITERS = {"\t": "tab", ";": "semicolon", "|": "pipe"}
ENCODINGS = ("utf-8-sig", "gb18030")
MISSING = "required column is missing"


def _fields(cells: Sequence[object]) -> list[str]:
    out = ["" if c is None or (isinstance(c, float) and c != c) else str(c).strip() for c in cells]
    while out and not out[-1]:
        out.pop()
    return out


def _shown(cells: Sequence[str], sep: str = ",") -> str:
    cells = list(cells)
    text = sep.join(cells[:8]) + (sep + "…" if len(cells) > 8 else "")
    return text if len(text) <= 120 else text[:119] + "…"


def _hits(cells: Sequence[str], table: Table) -> int:
    names = set(table.column_names)
    return sum(1 for c in cells if c.lstrip("\ufeff") in names)


def _header_elsewhere(rows: list[list[str]], table: Table, what: str, of: str = "") -> str | None:
    """'the header looks like line N: …' when a later row is the header rather than the first
    (`what`: line or row; `of`: where, as " of sheet 客户明细")."""
    if len(rows) < 2:
        return None
    first = rows[0]
    first_hits, first_filled = _hits(first, table), sum(1 for c in first if c)
    for i, row in enumerate(rows[1:], start=2):
        if _hits(row, table) >= 2 and _hits(row, table) > first_hits:
            return f"the header looks like {what} {i}{of}: {_shown(row)}"
    if first_filled <= 1:
        # A title line above the table: the first row with several cells is the header.
        for i, row in enumerate(rows[1:], start=2):
            if sum(1 for c in row if c) >= 3:
                return f"the header looks like {what} {i}{of}: {_shown(row)}"
    return None


def _csv_lines(path: Path) -> list[str]:
    head = path.read_bytes()[:HEAD_BYTES]
    for enc in ENCODINGS:
        try:
            text = head.decode(enc)
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not only a character cut at the end of the sample
                continue
            text = head[: exc.start].decode(enc)
        return text.splitlines()[:LINES]
    return []


def csv_hint(path: Path, table: Table) -> str | None:
    """What a CSV's first lines say about its layout, when its header is not the contract's."""
    lines = _csv_lines(path)
    if not lines:
        return None
    first = lines[0]
    commas = next(csv.reader([first]), [])
    for sep, word in DELIMITERS.items():
        cells = _fields(first.split(sep))
        if (
            len(cells) >= 2
            and len(cells) > len(_fields(commas))
            and (_hits(cells, table) >= 2 or len(_fields(commas)) <= 1)
        ):
            shown = _shown(cells, "<TAB>" if sep == "\t" else sep)
            return f"the file looks {word}-separated (line 1: {shown}); save it comma-separated"
    rows = [_fields(r) for r in csv.reader(_io.StringIO("\n".join(lines)))]
    return _header_elsewhere(rows, table, "line")


def xlsx_hint(path: Path, table: Table) -> str | None:
    """What a workbook's sheets say, when the first sheet's header is not the contract's."""
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, nrows=LINES, dtype=str)
    except Exception:  # an unreadable workbook is reported when it is read
        return None
    names = list(sheets)
    if not names:
        return None
    first = [_fields(r) for r in sheets[names[0]].itertuples(index=False)]
    found = _header_elsewhere(first, table, "row", f" of sheet {names[0]}") if first else None
    if len(names) == 1:
        return found
    where = ""
    for name in names[1:]:
        for i, r in enumerate(sheets[name].itertuples(index=False), start=1):
            cells = _fields(r)
            if _hits(cells, table) >= 2:
                hits = [c for c in cells if c in table.column_names]
                where = f"; sheet {name} row {i} has {_shown(hits, ', ')}"
                break
        if where:
            break
    sheets_text = f"sheets: {', '.join(names)} — data read from the first sheet ({names[0]}){where}"
    return sheets_text + (f"; {found}" if found else "")


def layout_hint(path: Path, fmt: str, table: Table) -> str | None:
    """Why the contract's columns are not where they should be in this file, if its layout says."""
    try:
        if fmt == "csv":
            return csv_hint(path, table)
        if fmt == "xlsx":
            return xlsx_hint(path, table)
    except OSError:
        return None
    return None


def missing_column_problems(
    table: Table, missing: Sequence[str], found: Sequence[str], label: str | None, hint: str | None
) -> list[DataProblem]:
    """The problems of a table without some of its columns.

    One problem per missing column, as long as the file's layout gives no
    reason; when it does (`layout_hint`), or when none of the contract's
    columns is there at all, one problem for the table that says what was
    found instead.
    """
    if not missing:
        return []
    present = [c for c in found if c in table.column_names]
    if hint is None and present:
        return [DataProblem(table.name, MISSING, file=label, column=c) for c in missing]
    listed = ", ".join(missing[:NAMES_SHOWN]) + (" …" if len(missing) > NAMES_SHOWN else "")
    n = len(table.column_names)
    words = f"{len(missing)} of {n} required columns are missing ({listed})"
    if hint is None:
        shown = [c for c in found if not str(c).startswith("_")]
        hint = f"the columns found are: {_shown(shown, ', ')}" if shown else "the file has no columns"
    return [DataProblem(table.name, f"{words}; {hint}", file=label)]
