"""The run card: what produced a report (RESULTS.md "results.json", `run`).

The branch, its as-of, the data's fingerprint, and for the run itself the
data folder, parameters, assumptions, tables read, package versions, the
suite's commit, the machine and the timings: enough to say, a quarter later,
what a figure was computed from.
"""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from analysis import __version__
from analysis.data.bank import Bank, table_frames
from analysis.data.fingerprint import data_fingerprint

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def suite_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
        )
        if out.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
        return out.stdout.strip() + ("+changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "analysis": __version__}
    for name in ("pandas", "numpy", "statsmodels", "lifelines", "pandera", "pyarrow", "papermill", "matplotlib"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def branch_fingerprint(bank: Bank) -> str:
    # big tables hashed piece by piece, never whole in pandas
    tables = {name: table_frames(bank.tables, name) for name in bank.tables}
    b = bank.tables["branches"]
    tables["branches"] = b[b["branch_id"] == bank.branch_id]
    return data_fingerprint(tables)


def run_card(
    bank: Bank,
    parameters: dict,
    data_dir: str,
    timings: dict | None = None,
    fingerprint: str | None = None,
    notebooks: list[str] | None = None,
    merged: dict | None = None,
) -> dict:
    """results.json's top: the branch, as-of, fingerprint and the run card
    (`parameters`: the run's as-of, language and notebooks as asked;
    `notebooks`: those whose sections the report holds; `merged`: what a run
    of some notebooks kept from the report it was merged into)."""
    return {
        "branch_id": bank.branch_id,
        "branch": {k: bank.branch[k] for k in ("branch_name", "city", "home_bank")},
        "as_of": bank.timeframe.as_of.strftime("%Y-%m-%d"),
        "generated_at": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        "data_fingerprint": fingerprint or branch_fingerprint(bank),
        "run": {
            "data_dir": str(Path(data_dir).resolve()),
            "parameters": parameters,
            "notebooks": notebooks,
            "merged": merged,
            "assumptions": bank.assumptions.to_dict(),
            "assumptions_changed": {k: v for k, (_, v) in bank.assumptions.changed().items()},
            "tables": {name: bank.row_count(name) for name in bank.tables},
            "missing_tables": bank.missing_tables,
            "set_aside_tables": {name: v.get("reason") for name, v in bank.set_aside.items()},
            "versions": package_versions(),
            "suite_commit": suite_commit(),
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
            "timings": timings or {},
        },
    }
