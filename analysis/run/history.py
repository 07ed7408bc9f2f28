"""Quarter after quarter: every run's figures in one history table, and `compare`.

Each branch run appends its figures to the history store, a Parquet table
partitioned by branch under the output folder
(`OUT/history/branch_id=<id>/as_of=<date>.parquet`: one file per run, so
branches running side by side never write the same file, and a rerun of the
same month replaces its own file). One row per figure of results.json:

| column | meaning |
| --- | --- |
| branch_id, as_of | which run (as_of: the last day of month M) |
| path | the figure's dotted path in results.json (`churn.churn_rate_12m`) |
| estimate, ci_low, ci_high | its value and 95 % interval (null where none) |
| se | its standard error: from the interval, from its count (a share of n), 0 when exact, null when unknown |
| scale | "log" for ratios compared on the log scale, else "linear" |
| generated_at, data_fingerprint | when and from what data the run was made |

`compare(out, branch)` lists the figures of two runs side by side (by default
the two latest), with the change and whether it is beyond noise
(`analysis.stats.change`). `python -m analysis compare --out OUT --branch ID`
prints it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.questions.noise import figure_se
from analysis.stats.change import change, se_of_interval

HISTORY_DIR = "history"
COLUMNS = [
    "branch_id",
    "as_of",
    "path",
    "estimate",
    "ci_low",
    "ci_high",
    "se",
    "scale",
    "generated_at",
    "data_fingerprint",
]

#: Top-level keys that are about the run, not figures of the branch.
NOT_FIGURES = {
    "schema_version",
    "branch_id",
    "branch",
    "as_of",
    "generated_at",
    "data_fingerprint",
    "run",
    "campaigns_ranked",
}
#: Leaf keys inside sections that are not figures (or are part of an estimate).
NOT_FIGURE_KEYS = {"status", "reason", "p_value", "text", "method", "design", "verdict", "name", "kind", "actions"}


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    f = float(v)
    return None if math.isnan(f) or math.isinf(f) else f


def _walk(node: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, dict]]:
    """(path, {estimate, ci_low, ci_high, scale}) for every figure under `node`."""
    for key, v in node.items():
        if key in NOT_FIGURE_KEYS or (not prefix and key in NOT_FIGURES):
            continue
        path = f"{prefix}{key}"
        if isinstance(v, Mapping):
            if "odds_ratio" in v:
                yield (
                    path,
                    {
                        "estimate": _number(v["odds_ratio"]),
                        "ci_low": _number(v.get("ci_low")),
                        "ci_high": _number(v.get("ci_high")),
                        "scale": "log",
                    },
                )
            elif "estimate" in v:
                yield (
                    path,
                    {
                        "estimate": _number(v["estimate"]),
                        "ci_low": _number(v.get("ci_low")),
                        "ci_high": _number(v.get("ci_high")),
                        "scale": "linear",
                    },
                )
            else:
                yield from _walk(v, path + ".")
        elif _number(v) is not None:
            yield path, {"estimate": _number(v), "ci_low": None, "ci_high": None, "scale": "linear"}


def _se(path: str, row: dict, results: Mapping[str, Any]) -> float | None:
    """The figure's standard error: from its interval, its count, 0 when exact, else None."""
    lo, hi, est = row["ci_low"], row["ci_high"], row["estimate"]
    if lo is not None and hi is not None:
        if row["scale"] == "log":
            return se_of_interval(math.log(lo), math.log(hi)) if lo > 0 and hi > 0 else None
        return se_of_interval(lo, hi)
    return figure_se(path, est, results)  # from its count, 0 when exact (the one rule, `questions.noise`)


def figures_of(results: Mapping[str, Any]) -> pd.DataFrame:
    """Every figure of a results.json as rows of the history table."""
    rows = []
    for path, row in _walk(results, ""):
        rows.append(
            {
                "branch_id": results.get("branch_id"),
                "as_of": results.get("as_of"),
                "path": path,
                **row,
                "se": _se(path, row, results),
                "generated_at": results.get("generated_at"),
                "data_fingerprint": results.get("data_fingerprint"),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def record(results: Mapping[str, Any], out_root: str | Path) -> Path:
    """Add a run's figures to the history store (replacing an earlier run of the same month)."""
    folder = Path(out_root) / HISTORY_DIR / f"branch_id={results['branch_id']}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"as_of={results['as_of']}.parquet"
    tmp = path.with_suffix(".parquet.tmp")
    figures_of(results).drop(columns="branch_id").to_parquet(tmp, index=False)
    tmp.replace(path)
    return path


def history(out_root: str | Path, branch: str | None = None) -> pd.DataFrame:
    """The history table (one branch or all), oldest run first."""
    root = Path(out_root) / HISTORY_DIR
    folders = [root / f"branch_id={branch}"] if branch else sorted(root.glob("branch_id=*"))
    frames = []
    for folder in folders:
        for f in sorted(folder.glob("as_of=*.parquet")):
            df = pd.read_parquet(f)
            df.insert(0, "branch_id", folder.name.split("=", 1)[1])
            frames.append(df)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True).sort_values(["branch_id", "as_of", "path"], kind="stable")


def runs(out_root: str | Path, branch: str) -> list[str]:
    """The as-of dates of a branch's recorded runs, oldest first."""
    h = history(out_root, branch)
    return sorted(h["as_of"].unique().tolist()) if len(h) else []


def _pick_run(available: list[str], wanted: str | None) -> str | None:
    if wanted is None:
        return None
    for a in available:  # "2026-06" matches the run as of 2026-06-30
        if a.startswith(wanted):
            return a
    return None


def compare(out_root: str | Path, branch: str, a: str | None = None, b: str | None = None) -> pd.DataFrame:
    """Two runs of a branch side by side, one row per figure both have.

    `a` and `b` are as-of dates or months (`2026-06`); by default the two
    latest runs (a the earlier). Columns: path, a, b, change (b − a, or b ÷ a
    for odds ratios: change_kind "difference" / "ratio"), ci_low, ci_high
    (its 95 % interval), beyond_noise (True / False / None when the
    figure's uncertainty is unknown). Empty with fewer than two runs.
    """
    available = runs(out_root, branch)
    ra = _pick_run(available, a) if a else (available[-2] if len(available) >= 2 else None)
    rb = _pick_run(available, b) if b else (available[-1] if available else None)
    out_cols = ["path", "a", "b", "change", "change_kind", "ci_low", "ci_high", "beyond_noise"]
    if ra is None or rb is None or ra == rb:
        return pd.DataFrame(columns=out_cols).assign(**{"as_of_a": ra, "as_of_b": rb})
    h = history(out_root, branch)
    out = compare_figures(h[h["as_of"] == ra], h[h["as_of"] == rb])
    out.attrs.update(as_of_a=ra, as_of_b=rb, branch_id=branch)
    return out


def since(out_root: str | Path, results: Mapping[str, Any], a: str) -> pd.DataFrame:
    """A run not yet recorded (its results.json) against the branch's recorded run as of `a`:
    `compare`'s table, the run as b."""
    h = history(out_root, results["branch_id"])
    out = compare_figures(h[h["as_of"] == a], figures_of(results))
    out.attrs.update(as_of_a=a, as_of_b=results.get("as_of"), branch_id=results["branch_id"])
    return out


def compare_figures(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """Two runs' history rows side by side (`compare`'s columns), one row per figure both have."""
    out_cols = ["path", "a", "b", "change", "change_kind", "ci_low", "ci_high", "beyond_noise"]
    left, right = left.set_index("path"), right.set_index("path")
    rows = []
    for path in [p for p in right.index if p in left.index]:
        x, y = left.loc[path], right.loc[path]
        if x["estimate"] is None or y["estimate"] is None or pd.isna(x["estimate"]) or pd.isna(y["estimate"]):
            continue
        log = x["scale"] == "log" and x["estimate"] > 0 and y["estimate"] > 0
        ea, eb = (math.log(x["estimate"]), math.log(y["estimate"])) if log else (x["estimate"], y["estimate"])
        sa = None if pd.isna(x["se"]) else float(x["se"])
        sb = None if pd.isna(y["se"]) else float(y["se"])
        c = change(float(ea), float(eb), sa, sb)
        lo, hi, d = c.ci_low, c.ci_high, c.change
        if log:
            d = math.exp(d)
            lo = None if lo is None else math.exp(lo)
            hi = None if hi is None else math.exp(hi)
        rows.append(
            {
                "path": path,
                "a": float(x["estimate"]),
                "b": float(y["estimate"]),
                "change": d,
                "change_kind": "ratio" if log else "difference",
                "ci_low": lo,
                "ci_high": hi,
                "beyond_noise": c.beyond_noise,
            }
        )
    return pd.DataFrame(rows, columns=out_cols)
