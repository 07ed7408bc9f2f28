"""Targets set by the bank's management: `run --targets FILE`, and progress against them.

A targets file lists, per branch, a figure, the value it should reach and by
when. CSV (UTF-8, a header row) or TOML (one `[[target]]` table per target):

    branch,figure,target,due
    meishan,churn_rate_12m,10%,2026-12
    meishan,satisfaction.nps,-15,2027-06-30
    *,coverage_top20,0.9,2026-12-31

    [[target]]
    branch = "meishan"
    figure = "churn_rate_12m"
    target = 0.10
    due = 2026-12-31

- `branch`: a branch_id, or `*` for every branch;
- `figure`: a headline figure by name (`churn_rate_12m`, `nps`, … the columns
  of branches.csv) or a dotted path of results.json the briefing can name
  (`satisfaction.nps`, `satisfaction.cs_gap.fees_value`,
  `plan.basis.complaints_resolved_share`; `analysis.report.headline.named`);
- `target`: a number; a percentage ("10%") for a share;
- `due`: a date, YYYY-MM-DD, or a month, YYYY-MM (its last day);
- optional `direction`: `up` (reach at least) or `down` (at most); by
  default the figure's better direction, else the way from its first
  recorded value to the target.

`load_targets` reads and checks the whole file and raises one DataError
naming the file, row and column of every problem. `progress` holds a run's
figures against the branch's targets (`analysis.run.progress` writes it into
progress.json for the briefing and the index).
"""

from __future__ import annotations

import csv
import io
import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import DataError, DataProblem, UsageError
from analysis.report.headline import HEADLINE, named, path_of

COLUMNS = ("branch", "figure", "target", "due")
OPTIONAL = ("direction",)
DIRECTIONS = {"up": +1, "down": -1}
EVERY_BRANCH = "*"
#: progress statuses, in the order a manager reads them
STATUSES = ("met", "on_track", "behind", "overdue", "open", "not_measured")


@dataclass(frozen=True)
class Target:
    """One row of a targets file, checked."""

    branch: str  # a branch_id, or "*"
    figure: str  # as written: a headline name or a dotted path
    target: float
    due: str  # YYYY-MM-DD
    direction: int = 0  # +1 at least, −1 at most, 0 from the figure
    row: str = ""  # where it was written ("targets.csv row 3"), for messages

    def applies_to(self, branch: str) -> bool:
        return self.branch in (branch, EVERY_BRANCH)


def _due(v: Any) -> str | None:
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    text = str(v).strip()
    for fmt, month in (("%Y-%m-%d", False), ("%Y-%m", True)):
        try:
            d = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return (pd.Timestamp(d) + pd.offsets.MonthEnd(0)).date().isoformat() if month else d.date().isoformat()
    return None


def _number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v) if math.isfinite(v) else None
    text = str(v).strip().replace(",", "").replace("−", "-")
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1].strip(), 0.01
    try:
        x = float(text) * scale
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _rows(path: Path) -> tuple[list[tuple[str, Mapping[str, Any]]], list[str]]:
    """(row label, values) per target as written, and the column names found."""
    suffix = path.suffix.lower()
    if suffix == ".toml":
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"targets file {path} cannot be read: {exc}") from None
        entries = doc.get("target", doc.get("targets"))
        if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
            raise UsageError(f"targets file {path} must hold [[target]] tables (branch, figure, target, due)")
        names = sorted({k for e in entries for k in e})
        return [(f"[[target]] {i}", e) for i, e in enumerate(entries, start=1)], names
    if suffix == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UsageError(f"targets file {path} is not UTF-8: {exc}") from None
        reader = csv.DictReader(io.StringIO(text))
        names = [n.strip() for n in reader.fieldnames or []]
        rows = []
        for i, r in enumerate(reader, start=2):  # the header is row 1, as a spreadsheet counts
            values = {(k or "").strip(): v for k, v in r.items()}
            if any(str(v or "").strip() for v in values.values()):
                rows.append((f"row {i}", values))
        return rows, names
    raise UsageError(f"targets file must be .csv or .toml, not {path.name}")


def load_targets(path: str | Path) -> tuple[Target, ...]:
    """Every target of the file, checked; DataError listing each problem by file, row and column."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"targets file not found: {path}")
    rows, names = _rows(path)
    problems: list[DataProblem] = []

    def problem(column: str | None, rule: str, row: str | None = None, value: Any = None) -> None:
        problems.append(
            DataProblem(
                "targets",
                rule,
                file=path.name,
                column=column,
                count=1 if row else 0,
                rows=(row,) if row else (),
                examples=(str(value),) if value is not None else (),
            )
        )

    missing = [c for c in COLUMNS if c not in names]
    for c in missing:
        problem(c, "missing column (a targets file has the columns branch, figure, target, due)")
    if missing:
        raise DataError(problems)
    for c in names:
        if c not in COLUMNS + OPTIONAL:
            problem(c, f"unknown column (the columns are {', '.join(COLUMNS + OPTIONAL)})")
    known = ", ".join(h.key for h in HEADLINE)
    out: list[Target] = []
    seen: dict[tuple[str, str], str] = {}
    for where, r in rows:
        branch = str(r.get("branch") or "").strip()
        figure = str(r.get("figure") or "").strip()
        target, due = _number(r.get("target")), _due(r.get("due") or "")
        direction = str(r.get("direction") or "").strip().lower()
        ok = True
        if not branch:
            problem("branch", "a branch_id (or * for every branch) is required", where)
            ok = False
        if not figure:
            problem("figure", "a figure is required", where)
            ok = False
        elif named(figure) is None:
            problem(
                "figure",
                f"not a figure the briefing can name; use a headline figure ({known}) or a dotted path "
                "of results.json such as satisfaction.cs_gap.fees_value",
                where,
                figure,
            )
            ok = False
        if target is None:
            problem("target", "a number is required (a share as 0.10 or 10%)", where, r.get("target"))
            ok = False
        if due is None:
            problem("due", "a date as YYYY-MM-DD or a month as YYYY-MM is required", where, r.get("due"))
            ok = False
        if direction and direction not in DIRECTIONS:
            problem("direction", "up (reach at least) or down (at most)", where, direction)
            ok = False
        if ok:
            t = Target(branch, figure, float(target), due, DIRECTIONS.get(direction, 0), f"{path.name} {where}")
            first = seen.setdefault((branch, named(figure).path), where)
            if first != where:  # two targets for one figure of one branch: which one counts?
                problem("figure", f"a second target for this figure of {branch} (the first in {first})", where)
            out.append(t)
    if problems:
        raise DataError(problems)
    return tuple(out)


def unused_branches(targets: Iterable[Target], branches: Iterable[str]) -> list[Target]:
    """The targets of branches that are not among `branches` (a misspelt branch_id, most likely)."""
    have = set(branches)
    return [t for t in targets if t.branch != EVERY_BRANCH and t.branch not in have]


def scorecard_targets(targets: Iterable[Target], results: Mapping[str, Any]) -> dict[str, float]:
    """This branch's targets on QVSRS figures, as the first page's scorecard
    takes them: metric name (the last part of its `qvsrs.` path) → target; a
    branch's own target wins over one for every branch."""
    branch = str(results.get("branch_id"))
    out: dict[str, float] = {}
    for t in sorted(targets, key=lambda t: t.branch != EVERY_BRANCH):  # "*" first, the branch's own after
        if not t.applies_to(branch):
            continue
        h = named(t.figure, results)
        path = path_of(h, results) if h is not None else t.figure
        if path.startswith("qvsrs."):
            out[path.rsplit(".", 1)[-1]] = t.target
    return out


# --------------------------------------------------------------------------
# progress


def _days(a: str, b: str) -> int:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def progress(
    targets: Sequence[Target],
    results: Mapping[str, Any],
    figures: Mapping[str, float],
    earlier: Sequence[tuple[str, Mapping[str, float]]] = (),
) -> list[dict]:
    """The branch's targets against this run's figures.

    `figures`: this run's figures by path (estimates, `history.figures_of`);
    `earlier`: (as_of, figures by path) of the branch's earlier runs, oldest
    first. Per target: the figure's path, `now`, `start` (its first recorded
    value and as-of, the line progress is measured from), the direction, and
    a status: met (at or beyond the target), overdue (not met by its due
    date), on_track / behind (against a straight line from start to the
    target on its due date), open (not met, first measurement) or
    not_measured (the run has no such figure).
    """
    branch = str(results.get("branch_id"))
    as_of = str(results.get("as_of"))
    out = []
    for t in targets:
        if not t.applies_to(branch):
            continue
        h = named(t.figure, results)
        path = path_of(h, results) if h is not None else t.figure
        now = figures.get(path)
        start = next(((a, f[path]) for a, f in earlier if a < as_of and f.get(path) is not None), None)
        ref = start[1] if start else now
        direction = t.direction or (h.better if h is not None else 0)
        if not direction and ref is not None and ref != t.target:
            direction = 1 if t.target > ref else -1
        row = {
            "figure": t.figure,
            "key": h.key if h is not None else None,
            "path": path,
            "target": t.target,
            "due": t.due,
            "direction": direction,
            "now": now,
            "start": {"as_of": start[0], "value": start[1]} if start else None,
            "expected_now": None,
            "status": "not_measured",
        }
        if now is not None:
            met = (now - t.target) * (direction or 1) >= 0 if direction else math.isclose(now, t.target)
            if met:
                row["status"] = "met"
            elif as_of >= t.due:  # the data reach the due date and it is not met
                row["status"] = "overdue"
            elif start is None:
                row["status"] = "open"
            else:
                span = _days(start[0], t.due)
                share = min(1.0, max(0.0, _days(start[0], as_of) / span)) if span > 0 else 1.0
                expected = start[1] + (t.target - start[1]) * share
                row["expected_now"] = expected
                row["status"] = "on_track" if (now - expected) * (direction or 1) >= -1e-12 else "behind"
        out.append(row)
    return out
