"""The briefing's block on progress: targets, since the last run, last quarter's plan.

The run writes `progress.json` beside results.json (`analysis.run.progress`:
numbers and verdicts); `progress_view` turns it into what the template
partial `_progress.html.j2` shows, worded by `analysis.words.progress`. A
figure the briefing has no words for is left out, never shown by its key.
`summary` gives the index its one line per branch.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.report.headline import BY_KEY, Headline, format_value, named, number
from analysis.words import progress as words
from analysis.words.format import MINUS, num, points, pp, times
from analysis.words.lang import pick
from analysis.words.plan import action_line, kpi_label, kpi_value

PROGRESS_FILE = "progress.json"


def read(folder: str | Path | None) -> dict | None:
    """A run folder's progress.json; None without one."""
    if not folder:
        return None
    try:
        data = json.loads((Path(folder) / PROGRESS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def figure_of(row: Mapping[str, Any], results: Mapping[str, Any]) -> Headline | None:
    """The figure a progress row is about (by its headline key, else its path)."""
    key = row.get("key")
    if key in BY_KEY:
        return BY_KEY[key]
    return named(str(row.get("path") or row.get("figure") or ""), results)


def change_text(change: Any, kind: str, change_kind: str, lang: str) -> str:
    """A change between two runs in the figure's unit: +0.45 pp, −120, ×1.30."""
    x = number(change)
    if x is None:
        return "—"
    if change_kind == "ratio":
        return times(x, lang)
    if kind in ("pct", "signed_pct"):
        return pp(x, lang, signed=True)
    if kind == "signed":
        return points(x)
    digits = {"count": 0, "number0": 0, "number1": 1, "number2": 2}.get(kind, 2)
    text = f"{x:+,.{digits}f}" if kind != "count" else ("+" if x >= 0 else "-") + num(abs(x))
    return MINUS + text[1:] if text.startswith("-") else text


def _mark(status: str) -> str | None:
    return "best" if status in words.GOOD else "worst" if status in words.BAD else None


def target_rows(data: Mapping[str, Any], results: Mapping[str, Any], lang: str) -> list[dict]:
    rows = []
    for r in data.get("targets") or []:
        h = figure_of(r, results)
        if h is None:
            continue
        start = r.get("start") or {}
        rows.append(
            {
                "label": h.label(lang),
                "start": format_value(start.get("value"), h.kind) if start else "—",
                "start_as_of": start.get("as_of") or "",
                "now": format_value(r.get("now"), h.kind),
                "target": format_value(r.get("target"), h.kind),
                "due": r.get("due") or "—",
                "status": r["status"],
                "status_text": words.target_status(r["status"], lang),
                "mark": _mark(r["status"]),
            }
        )
    return rows


def since_view(data: Mapping[str, Any], results: Mapping[str, Any], lang: str) -> dict | None:
    since = data.get("since_last")
    if not isinstance(since, Mapping):
        return None
    rows, same = [], 0
    for r in since.get("figures") or []:
        h = figure_of(r, results)
        if h is None:
            continue
        then, now = format_value(r.get("then"), h.kind), format_value(r.get("now"), h.kind)
        if then == now:  # reads as last time: counted, not listed (the block stays short)
            same += 1
            continue
        noise = r.get("beyond_noise")
        rows.append(
            {
                "label": h.label(lang),
                "then": then,
                "now": now,
                "change": change_text(r.get("change"), h.kind, r.get("change_kind") or "difference", lang),
                "noise": words.noise_word(noise, lang),
                "mark": "moved" if noise is True else None,
            }
        )
    if not rows and not same:
        return None
    return {
        "title": words.since_title(str(since.get("as_of") or "—"), lang),
        "rows": rows,
        "note": words.since_note(int(since.get("moved_elsewhere") or 0), lang, same),
    }


def plan_view(data: Mapping[str, Any], lang: str) -> dict | None:
    review = data.get("plan_review")
    if not isinstance(review, Mapping) or not review.get("actions"):
        return None
    days = review.get("unresolved_days") or 30
    rows = []
    for r in review["actions"]:
        k = r.get("kpi") or ""
        rows.append(
            {
                "action": action_line(r, r.get("details"), lang),
                "kpi": kpi_label(k, lang, days),
                "baseline": kpi_value(k, r.get("baseline"), lang),
                "target": kpi_value(k, r.get("target"), lang),
                "actual": kpi_value(k, r.get("actual"), lang),
                "verdict": r["verdict"],
                "outcome": words.plan_verdict(r["verdict"], lang),
                "mark": _mark(r["verdict"]),
            }
        )
    period = review.get("period") or {}
    return {
        "title": words.plan_title(period.get("start"), period.get("end"), lang),
        "rows": rows,
        "note": words.plan_note(bool(review.get("quarter_over")), str(data.get("as_of") or "—"), lang),
    }


def progress_view(out_dir: str | Path, results: Mapping[str, Any], lang: str) -> dict | None:
    """What the briefing's progress block shows; None when the run has nothing to hold it against."""
    data = read(out_dir)
    if data is None:
        return None
    view = {
        "heads": words.headings(lang),
        "targets": target_rows(data, results, lang),
        "targets_note": words.targets_note(lang),
        "since": since_view(data, results, lang),
        "plan": plan_view(data, lang),
    }
    return view if view["targets"] or view["since"] or view["plan"] else None


def summary(folder: str | Path | None, lang: str) -> str | None:
    """The index's line on a branch's targets: "2 of 3 met · 1 behind"; None without targets."""
    data = read(folder)
    goals = (data or {}).get("targets") or []
    if not goals:
        return None
    counts: dict[str, int] = {}
    for g in goals:
        counts[g["status"]] = counts.get(g["status"], 0) + 1
    met = counts.pop("met", 0)
    parts = [pick(lang, f"{len(goals)}项中{met}项已达成", f"{met} of {len(goals)} met")]
    for status in words.TARGET_STATUS:
        if counts.get(status):
            n, what = counts[status], words.target_status(status, lang)
            parts.append(pick(lang, f"{n}项{what}", f"{n} {what.lower()}"))
    return " · ".join(parts)
