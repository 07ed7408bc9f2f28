"""Quarter after quarter in one file per run: `progress.json`, beside results.json.

Written by the runner after results.json is assembled and before the
briefing is built (the briefing and the index read it; they never read the
history store themselves). Three parts, each empty or null where there is
nothing to hold the run against:

- `targets`: the branch's targets (`run --targets FILE`) against this run's
  figures (`analysis.run.targets.progress`);
- `since_last`: the changes since the branch's previous run (the latest
  recorded run with an earlier as-of): per headline figure (and per figure
  with a target) then, now, the change with its 95 % interval and whether
  it is beyond noise (`history.since`, `analysis.stats.change`); and how
  many other figures moved beyond noise;
- `plan_review`: the previous run's plan.csv held against what happened:
  per action its KPI, baseline, target and the actual value in this run's
  figures (`KPI_FIGURES`; null where the suite's figures do not measure it:
  contacts made, spend, a campaign's effect on the customers it reached),
  and a verdict: met (at or beyond the target), improved (moved from the
  baseline towards it), not_improved, or not_measured.

Numbers and verdicts only; `analysis.words.progress` words them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.questions.plan_evidence import PRICE_REASONS
from analysis.report.headline import HEADLINE, get, number, path_of
from analysis.report.progress import PROGRESS_FILE
from analysis.report.progress import read as read  # the briefing's and the index's reader
from analysis.run import history
from analysis.run.archive import kept_runs, report_as_of
from analysis.run.tables import PLAN_FILE, read_plan
from analysis.run.targets import Target
from analysis.run.targets import progress as target_progress
from analysis.sections import dumps

#: a plan KPI → the figure of results.json that measures it on the whole branch
KPI_FIGURES = {
    "coverage_top20": "relationship_managers.coverage_top20",
    "top20_churn_rate": "plan.basis.top20_churn_rate",
    "complaints_resolved_share": "plan.basis.complaints_resolved_share",
    "digital_active_share": "plan.basis.digital_active_share",
}
VERDICTS = ("met", "improved", "not_improved", "not_measured")


def kpi_actual(kpi: str, results: Mapping[str, Any]) -> float | None:
    """What a plan KPI reads in a run's figures; None where the figures do not measure it."""
    if kpi in KPI_FIGURES:
        return number(get(results, KPI_FIGURES[kpi]))
    if kpi == "leavers_price_share":
        reasons = get(results, "plan.basis.leaver_reasons")
        if isinstance(reasons, Mapping) and reasons:
            return float(sum(number(reasons.get(r)) or 0.0 for r in PRICE_REASONS))
    return None


def previous_run(out_root: Path, branch: str, as_of: str) -> str | None:
    """The as-of of the branch's latest recorded run before `as_of`, if any."""
    earlier = [a for a in history.runs(out_root, branch) if a < as_of]
    return earlier[-1] if earlier else None


def run_folder(out_root: Path, branch: str, as_of: str) -> Path | None:
    """The folder of the branch's report as of `as_of`: kept in runs/, or the branch folder itself."""
    final = Path(out_root) / branch
    kept = kept_runs(final).get(as_of)
    if kept is not None:
        return kept
    return final if report_as_of(final) == as_of else None


def _figures(results: Mapping[str, Any]) -> dict[str, float]:
    f = history.figures_of(results)
    return {p: float(e) for p, e in zip(f["path"], f["estimate"]) if e is not None and not math.isnan(e)}


def since_last(out_root: Path, results: Mapping[str, Any], previous: str, extra: Sequence[str] = ()) -> dict:
    """The changes since the run as of `previous` (see the module's docstring)."""
    table = history.since(out_root, results, previous)
    shown = [path_of(h, results) for h in HEADLINE]
    shown += [p for p in extra if p not in shown]
    by_path = {r["path"]: r for r in table.to_dict("records")}
    rows = []
    for path in shown:
        r = by_path.get(path)
        if r is None:
            continue
        noise = r["beyond_noise"]
        rows.append(
            {
                "path": path,
                "key": next((h.key for h in HEADLINE if path_of(h, results) == path), None),
                "then": r["a"],
                "now": r["b"],
                "change": r["change"],
                "change_kind": r["change_kind"],
                "ci_low": None if r["ci_low"] is None or r["ci_low"] != r["ci_low"] else r["ci_low"],
                "ci_high": None if r["ci_high"] is None or r["ci_high"] != r["ci_high"] else r["ci_high"],
                "beyond_noise": None if noise is None or noise != noise else bool(noise),
            }
        )
    others = [r for r in table.to_dict("records") if r["path"] not in shown and r["beyond_noise"] is True]
    return {"as_of": previous, "figures": rows, "moved_elsewhere": len(others)}


def plan_review(folder: Path, results: Mapping[str, Any]) -> dict | None:
    """The plan.csv of the run in `folder` against this run's figures; None without one."""
    path = Path(folder) / PLAN_FILE
    if not path.is_file():
        return None
    plan = read_plan(path)
    try:
        earlier = json.loads((Path(folder) / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = {}
    section = earlier.get("plan") if isinstance(earlier.get("plan"), Mapping) else {}
    period = section.get("period") or {}
    details = section.get("details") or {}
    actions = []
    for r in plan.to_dict("records"):
        baseline, target = number(r.get("baseline")), number(r.get("target"))
        actual = kpi_actual(r["kpi"], results)
        verdict = "not_measured"
        if actual is not None and baseline is not None and target is not None and target != baseline:
            way = 1 if target > baseline else -1
            verdict = (
                "met"
                if (actual - target) * way >= 0
                else "improved"
                if (actual - baseline) * way > 0
                else "not_improved"
            )
        actions.append(
            {
                **{k: r.get(k) for k in ("action_id", "topic", "action", "owner_role", "start", "end", "kpi")},
                "holdout_share": number(r.get("holdout_share")),
                "customers": number(r.get("customers")),
                "baseline": baseline,
                "target": target,
                "actual": actual,
                "verdict": verdict,
                "details": details.get(r["action_id"]) or {},
            }
        )
    end = str(period.get("end") or "")
    return {
        "from_as_of": earlier.get("as_of"),
        "period": {"start": period.get("start"), "end": period.get("end")},
        "quarter_over": bool(end) and str(results.get("as_of")) >= end,
        "unresolved_days": ((earlier.get("run") or {}).get("assumptions") or {}).get("unresolved_days"),
        "actions": actions,
    }


def build(out_root: Path, results: Mapping[str, Any], targets: Sequence[Target] = ()) -> dict:
    """progress.json's content for a run not yet recorded in the history."""
    out_root = Path(out_root)
    branch, as_of = str(results["branch_id"]), str(results["as_of"])
    previous = previous_run(out_root, branch, as_of)
    now = _figures(results)
    earlier = []
    if targets:
        h = history.history(out_root, branch)
        for a in sorted(set(h["as_of"])):
            if a < as_of:
                rows = h[h["as_of"] == a]
                earlier.append((a, {p: float(e) for p, e in zip(rows["path"], rows["estimate"]) if e == e}))
    goals = target_progress(targets, results, now, earlier)
    folder = run_folder(out_root, branch, previous) if previous else None
    return {
        "branch_id": branch,
        "as_of": as_of,
        "targets": goals,
        "since_last": since_last(out_root, results, previous, [g["path"] for g in goals]) if previous else None,
        "plan_review": plan_review(folder, results) if folder is not None else None,
    }


def write(out_dir: Path, out_root: Path, results: Mapping[str, Any], targets: Sequence[Target] = ()) -> dict:
    """Build progress.json into the run folder `out_dir`; its content."""
    content = build(out_root, results, targets)
    path = Path(out_dir) / PROGRESS_FILE
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(dumps(content), encoding="utf-8")
    tmp.replace(path)
    return content
