"""Every run of a branch kept by as-of, the latest as the branch's report.

    OUT/<branch>/                      the latest report (by as-of), as always
    OUT/<branch>/runs/<as_of>/         each run's report, as_of = results.json's (2026-06-30)

A run's folder keeps what a branch acts on and compares: `results.json`, the
briefing (HTML, with every figure embedded, and the deck), `plan.csv`,
`progress.json`, `sections/`, `tables/` and `private/`. The executed
notebooks and the figure PNGs (`LATEST_ONLY`) stay only in the latest
report: the briefing already carries every figure, the notebooks are the
bulk of a report (7.5 of 22 MB on the sample bank) and a rerun of that as-of
reproduces them.

`publish(staging, final)` puts a finished run in place with the one rename of
`swap_in`: the new branch folder (latest report, `runs/` with this run
added or replaced) is assembled beside the old one from hard links (no
bytes copied; a copy where the file system has no links), then swapped in.
Until that rename the previous report, its `runs/` included, is untouched;
after it, the old folder's links are dropped. A run older than the latest
(a backfilled quarter) goes into `runs/` only and leaves the latest report
where it is.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

RUNS_DIR = "runs"
#: kept only in the latest report (see the module's docstring for why)
LATEST_ONLY = ("notebooks", "figures")
#: never kept in a run's folder: the prepared bank a run may leave (`keep_prepared`)
NEVER_KEPT = ("_bank",)


@dataclass(frozen=True)
class Published:
    """Where a run went: the branch folder, this run's folder in `runs/`, and
    whether the branch folder now shows this run (False: an earlier as-of)."""

    folder: Path
    run_folder: Path
    latest: bool
    latest_as_of: str


def swap_in(staging: Path, final: Path) -> None:
    """Replace `final` by `staging` so that a complete report is always there."""
    old = final.with_name(f".old-{final.name}-{os.getpid()}")
    if final.exists():
        final.rename(old)
    try:
        staging.rename(final)
    except OSError:
        if old.exists():
            old.rename(final)
        raise
    shutil.rmtree(old, ignore_errors=True)


def link_file(src: Path, dst: Path) -> None:
    """`dst` as a hard link to `src` (a copy where links are not possible)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(src, dst)


def link_tree(src: Path, dst: Path, skip: Iterable[str] = ()) -> None:
    """Every file under `src` linked into `dst`, but the top-level entries named in `skip`."""
    skip = set(skip)
    dst.mkdir(parents=True, exist_ok=True)
    for entry in sorted(src.iterdir()):
        if entry.name in skip:
            continue
        if entry.is_dir():
            for p in sorted(entry.rglob("*")):
                if p.is_file():
                    link_file(p, dst / p.relative_to(src))
        elif entry.is_file():
            link_file(entry, dst / entry.name)


def report_as_of(folder: Path) -> str | None:
    """The as-of date (YYYY-MM-DD) of the report in `folder`, None without a readable results.json."""
    try:
        value = json.loads((Path(folder) / "results.json").read_text(encoding="utf-8")).get("as_of")
    except (OSError, ValueError, AttributeError):
        return None
    return str(value) if value else None


def kept_runs(branch_folder: Path) -> dict[str, Path]:
    """The runs kept for a branch, as-of → folder, oldest first."""
    root = Path(branch_folder) / RUNS_DIR
    if not root.is_dir():
        return {}
    return {p.name: p for p in sorted(root.iterdir()) if p.is_dir() and (p / "results.json").is_file()}


def publish(staging: Path, final: Path) -> Published:
    """Put the finished run in `staging` in place (see the module's docstring)."""
    staging, final = Path(staging), Path(final)
    as_of = report_as_of(staging)
    if as_of is None:
        raise ValueError(f"{staging} holds no results.json with an as_of: nothing to publish")
    current = report_as_of(final) if final.is_dir() else None
    latest = current is None or as_of >= current
    target = staging if latest else final.with_name(f".staging-{final.name}-top-{os.getpid()}")
    try:
        shutil.rmtree(target / RUNS_DIR, ignore_errors=True)  # a notebook's own `runs` folder is not ours
        if not latest:
            shutil.rmtree(target, ignore_errors=True)
            link_tree(final, target, skip=(RUNS_DIR,))
        runs = target / RUNS_DIR
        for name, folder in kept_runs(final).items():
            if name != as_of:
                link_tree(folder, runs / name)
        if current is not None and current != as_of and not (runs / current).exists():
            # a report from before runs were kept: it becomes a run of its own
            link_tree(final, runs / current, skip=(RUNS_DIR, *LATEST_ONLY, *NEVER_KEPT))
        link_tree(staging, runs / as_of, skip=(RUNS_DIR, *LATEST_ONLY, *NEVER_KEPT))
        swap_in(target, final)
    except BaseException:
        if target is not staging:
            shutil.rmtree(target, ignore_errors=True)
        raise
    if target is not staging:
        shutil.rmtree(staging, ignore_errors=True)
    return Published(final, final / RUNS_DIR / as_of, latest, as_of if latest else current)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_out_root(out_root: Path) -> None:
    """Undo what a killed run left behind in `out_root`.

    A run killed while swapping may have moved the previous report aside
    (`.old-<branch>-<pid>`) without putting the new one in place: the
    previous report goes back. Staging and prepared folders of runs that no
    longer live are removed. Folders of runs still alive are left alone.
    """
    if not out_root.is_dir():
        return
    for p in out_root.iterdir():
        if not (p.is_dir() and p.name.startswith((".staging-", ".prepared-", ".old-"))):
            continue
        try:
            pid = int(p.name.rsplit("-", 1)[1])
        except (IndexError, ValueError):
            continue
        if _alive(pid) and pid != os.getpid():
            continue
        if p.name.startswith(".old-"):
            branch = p.name[len(".old-") :].rsplit("-", 1)[0]
            if not (out_root / branch).exists():
                p.rename(out_root / branch)
                continue
        shutil.rmtree(p, ignore_errors=True)
