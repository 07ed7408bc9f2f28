"""Run the suite for one branch or all of them (RESULTS.md "Running").

For each branch: load and validate once, write the prepared bank into a
staging folder beside the output, execute every notebook with papermill
against it, assemble `results.json`, build the briefing, and only then swap
the staging folder in place of the branch's previous report. A failure at
any step leaves the previous report untouched and is reported with the
notebook, the cell and the error. Every run is also kept by its as-of in
`OUT/<branch>/runs/<as_of>/` (`analysis.run.archive`). One failing branch does not stop the
others; the caller exits non-zero if any failed.

Progress goes to the logger `analysis.run.runner` at INFO (DEBUG with
`RunOptions.quiet`): the command line prints it, and a Dask run forwards
it from the workers (`analysis.run.distributed`).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, as_completed, wait
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
from papermill.exceptions import PapermillExecutionError

from analysis import __version__
from analysis.assumptions import Assumptions
from analysis.data.asof import as_known_at
from analysis.data.bank import Bank, branch_options, load, read_folder, table_frames
from analysis.data.fingerprint import data_fingerprint
from analysis.data.timeframe import Timeframe, check_as_of
from analysis.errors import DataError, UsageError
from analysis.report.briefing import write_briefing
from analysis.report.consistency import check as consistency_check
from analysis.run import history, merge, progress
from analysis.run.archive import publish
from analysis.run.archive import swap_in as swap_in  # where it always was: runner.swap_in
from analysis.run.kernels import WARM_ENGINE, KernelPool, KernelReset
from analysis.run.overview import headline_figures
from analysis.run.overview import write_overview as write_overview  # runner.write_overview, as before
from analysis.run.results import assemble, dumps, publish_schema, schema_problems
from analysis.run.tables import read_plan
from analysis.run.targets import Target, scorecard_targets

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
KERNEL_NAME = "qvsrs-analysis"
PREPARED = "_bank"  # the prepared bank inside a staging folder; removed on success
LANGS = ("zh", "en")

log = logging.getLogger(__name__)


@dataclass
class RunOptions:
    out_root: Path
    as_of: str | None = None
    lang: str = "zh"
    quiet: bool = False
    notebooks: tuple[str, ...] | None = None  # names to run; default every notebook
    notebook_dir: Path = NOTEBOOK_DIR
    notebook_jobs: int = 1  # notebooks of one branch run side by side
    assumptions: Assumptions = field(default_factory=Assumptions)  # `--assumptions FILE`: every notebook's
    targets: tuple[Target, ...] = ()  # `--targets FILE`: management's targets, held against in progress.json

    def __post_init__(self) -> None:
        # Notebooks run with their staging folder as working directory, so
        # every path handed to them must be absolute.
        self.out_root = Path(self.out_root).resolve()
        self.notebook_dir = Path(self.notebook_dir).resolve()

    keep_prepared: bool = False


@dataclass
class BranchOutcome:
    branch_id: str
    ok: bool
    seconds: float
    error: str | None = None
    notebook: str | None = None
    cell: int | None = None
    folder: str | None = None
    headline: dict = field(default_factory=dict)
    no_data: str | None = None  # why a branch listed in branches had nothing to analyse (then ok, no report)
    run_folder: str | None = None  # this run's own folder, OUT/<branch>/runs/<as_of> (folder: the latest report)


NO_DATA = "no customers with snapshot rows in the data: nothing to analyse"


# --------------------------------------------------------------------------
# parameters, checked before any kernel starts


def parse_as_of(value: str | None) -> str | None:
    """`YYYY-MM` → the same string; anything else is a usage error."""
    if value is None:
        return None
    try:
        ts = pd.Timestamp(datetime.strptime(value, "%Y-%m"))
    except ValueError:
        raise UsageError(f"--as-of must be a month as YYYY-MM (e.g. 2026-06), not {value!r}") from None
    return ts.strftime("%Y-%m")


def notebook_paths(names: Iterable[str] | None = None, folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """The notebooks of a run, in order (`NN_name.ipynb`)."""
    if not folder.is_dir():
        raise UsageError(f"notebooks folder not found at {folder}; is the suite installed from its repository?")
    paths = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if names:
        wanted = set(names)
        paths = [p for p in paths if p.stem in wanted or p.stem[3:] in wanted]
    if not paths:
        raise UsageError(f"no notebooks to run in {folder}" + (f" named {', '.join(names)}" if names else ""))
    return paths


def ensure_kernel() -> str:
    """A kernelspec that runs this very interpreter (the one `make` set up),
    never whatever `python3` a machine has on its PATH."""
    folder = Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    spec = {
        # The kernel runs on this machine for this run only; its TCP notice and
        # the "KeyboardInterrupt caught" that jupyter_client's interrupt before
        # every shutdown makes it log are noise on a consultant's terminal. A
        # kernel that dies still fails its notebook with the cell and error.
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--IPKernelApp.log_level=CRITICAL",
        ],
        "display_name": "QVSRS analysis (.venv)",
        "language": "python",
        "metadata": {"debugger": False},
        # Notebooks (and branches) run side by side on few cores: one BLAS
        # thread each avoids oversubscription that slowed fits tenfold.
        "env": {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
    }
    path = folder / "kernel.json"
    if not path.is_file() or json.loads(path.read_text()) != spec:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(spec, indent=1))
    return KERNEL_NAME


# --------------------------------------------------------------------------
# the run card: what produced a report


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
    opts: RunOptions,
    data_dir: str,
    timings: dict | None = None,
    fingerprint: str | None = None,
    notebooks: list[str] | None = None,
    merged: dict | None = None,
) -> dict:
    """results.json's top: the branch, as-of, fingerprint and the run card
    (`notebooks`: those whose sections the report holds; `merged`: what a run
    of some notebooks kept from the report it was merged into)."""
    return {
        "branch_id": bank.branch_id,
        "branch": {k: bank.branch[k] for k in ("branch_name", "city", "home_bank")},
        "as_of": bank.timeframe.as_of.strftime("%Y-%m-%d"),
        "generated_at": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        "data_fingerprint": fingerprint or branch_fingerprint(bank),
        "run": {
            "data_dir": str(Path(data_dir).resolve()),
            "parameters": {
                "as_of": opts.as_of,
                "lang": opts.lang,
                "notebooks": list(opts.notebooks) if opts.notebooks else None,
            },
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


# --------------------------------------------------------------------------
# one branch


class NotebookFailed(Exception):
    def __init__(self, notebook: str, cell: int | None, message: str):
        super().__init__(f"{notebook}, cell {cell}: {message}" if cell is not None else f"{notebook}: {message}")
        self.notebook, self.cell, self.message = notebook, cell, message


def _say(opts: RunOptions, text: str) -> None:
    """A progress line: INFO, or DEBUG for a quiet run."""
    log.log(logging.DEBUG if opts.quiet else logging.INFO, text)


def execute_notebook(
    nb: Path, staging: Path, bank_dir: Path, opts: RunOptions, branch: str, kernel: str, km=None
) -> None:
    """Run one notebook with papermill into staging/notebooks/; on a lent
    warm kernel (`analysis.kernels`) when `km` is given."""
    out_nb = staging / "notebooks" / nb.name
    out_nb.parent.mkdir(parents=True, exist_ok=True)
    params = {
        "bank_path": str(bank_dir),
        "data_dir": None,
        "branch": branch,
        "as_of": opts.as_of,
        "out_dir": str(staging),
        "lang": opts.lang,
        "assumptions": opts.assumptions.to_dict(),
    }
    try:
        # The kernel starts in the staging folder (nbclient's `resources`
        # path becomes its cwd). Never papermill's `cwd=`: it chdirs this
        # whole process, and notebooks run here in threads side by side, so
        # one thread would restore a folder another branch has since renamed.
        pm.execute_notebook(
            str(nb),
            str(out_nb),
            parameters=params,
            kernel_name=kernel,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            resources={"metadata": {"path": str(staging)}},
            **({"engine_name": WARM_ENGINE, "km": km} if km is not None else {}),
        )
    except PapermillExecutionError as exc:
        # papermill counts the injected-parameters cell; report the cell as
        # numbered in the source notebook a consultant opens.
        raise NotebookFailed(nb.stem, exc.exec_count, f"{exc.ename}: {exc.evalue}") from None
    except Exception as exc:  # kernel died, timeout …
        raise NotebookFailed(nb.stem, None, f"{type(exc).__name__}: {exc}") from None


def notebook_dependencies(nb: Path) -> set[str]:
    """Notebooks (stems) whose sections this one reads: its metadata
    `qvsrs.depends_on`. Notebooks without it depend on nothing."""
    meta = nbformat.read(nb, as_version=4).metadata.get("qvsrs", {})
    return set(meta.get("depends_on", []))


def _dependents(stem: str, deps: dict[str, set[str]]) -> set[str]:
    """The notebooks that wait, directly or through others, for `stem`."""
    out: set[str] = set()
    todo = [stem]
    while todo:
        cur = todo.pop()
        for nb, needs in deps.items():
            if cur in needs and nb not in out:
                out.add(nb)
                todo.append(nb)
    return out


def execute_notebooks(paths: list[Path], staging: Path, bank_dir: Path, opts: RunOptions, branch: str) -> dict:
    """Run the notebooks, `opts.notebook_jobs` at a time, each after those it
    depends on; stop at the first failure (after the running ones end)."""
    kernel = ensure_kernel()
    deps = {nb.stem: notebook_dependencies(nb) & {p.stem for p in paths} for nb in paths}
    # Notebooks others wait for start first (then in file order), so that the
    # last ones are not left running alone at the end.
    waiting = {nb.stem: len(_dependents(nb.stem, deps)) for nb in paths}
    pending = sorted(paths, key=lambda p: -waiting[p.stem])
    done: set[str] = set()
    timings: dict[str, float] = {}
    failure: NotebookFailed | None = None

    def run(nb: Path) -> float:
        t = time.monotonic()
        _say(opts, f"[{branch}] {nb.stem} …")
        try:
            with kernels.kernel() as km:
                execute_notebook(nb, staging, bank_dir, opts, branch, kernel, km)
        except KernelReset as exc:
            raise NotebookFailed(nb.stem, None, str(exc)) from None
        return round(time.monotonic() - t, 2)

    with KernelPool(kernel) as kernels, ThreadPoolExecutor(max_workers=max(1, opts.notebook_jobs)) as pool:
        running: dict = {}
        while (pending or running) and failure is None:
            for nb in [p for p in pending if deps[p.stem] <= done][: max(1, opts.notebook_jobs) - len(running)]:
                pending.remove(nb)
                running[pool.submit(run, nb)] = nb
            if not running:  # a dependency cycle or a missing dependency
                raise NotebookFailed(pending[0].stem, None, f"waits for {sorted(deps[pending[0].stem] - done)}")
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                nb = running.pop(fut)
                try:
                    timings[nb.stem] = fut.result()
                    done.add(nb.stem)
                    _say(opts, f"[{branch}] {nb.stem} done in {timings[nb.stem]:.1f} s")
                except NotebookFailed as exc:
                    failure = failure or exc
        for fut in running:  # let the notebooks already started finish
            fut.exception()
    if failure is not None:
        raise failure
    return timings


def check_consistency(staging: Path, results: dict, page, opts: RunOptions, branch: str) -> list[dict]:
    """The consistency check of the composed briefing (`analysis.report.consistency`):
    each contradiction printed as a warning line and kept in the run card
    (`run.consistency`, results.json rewritten); the run does not fail on them."""
    plan_csv = staging / "plan.csv"
    plan = read_plan(plan_csv) if plan_csv.is_file() else None
    problems = [p.to_dict() for p in consistency_check(results, plan, page)]
    for p in problems:
        log.warning(f"[{branch}] WARNING consistency: {p['what']} at {p['where']}: {p['detail']} [{p['figure']}]")
    results.setdefault("run", {})["consistency"] = problems
    path = staging / "results.json"
    path.write_text(dumps(results), encoding="utf-8")
    return problems


def run_prepared_branch(bank: Bank, data_dir: str, opts: RunOptions) -> BranchOutcome:
    """Run every notebook for an already loaded bank and swap the report in."""
    started = time.monotonic()
    branch = bank.branch_id
    out_root = Path(opts.out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    staging = out_root / f".staging-{branch}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        fingerprint = branch_fingerprint(bank)
        base = merge_source(bank, opts, fingerprint)
        seeded = merge.seed_sections(base, staging) if base is not None else []
        bank_dir = bank.save(staging / PREPARED)
        nbs = notebook_paths(opts.notebooks, opts.notebook_dir)
        ran = [p.stem for p in nbs]
        timings = {"load_s": bank.options.get("load_seconds")}
        timings.update(execute_notebooks(nbs, staging, bank_dir, opts, branch))
        merged, notebooks = None, ran
        if base is not None:
            earlier = merge.base_results(base)
            rewritten = merge.rewritten_sections(base, staging)
            merge.take_over(base, staging, ran, rewritten)
            merged = merge.merged_card(base, out_root / branch, earlier, ran, seeded, rewritten)
            notebooks = sorted(set(ran) | set(merged["notebooks_kept"]))
            before = (earlier.get("run") or {}).get("timings") or {}
            timings = {**{k: v for k, v in before.items() if k in merged["notebooks_kept"]}, **timings}
            _say_merged(opts, branch, merged)
        elif opts.notebooks:
            log.warning(
                f"[{branch}] no report as of {bank.timeframe.as_of:%Y-%m-%d} in {out_root / branch} to merge "
                f"{', '.join(ran)} into: this report holds only {', '.join(ran)}"
            )
        card = run_card(bank, opts, data_dir, timings, fingerprint, notebooks, merged)
        t = time.monotonic()
        results = assemble(staging, card)
        publish_schema(staging)
        for problem in schema_problems(results):  # a figure off the contract is a bug of the suite: say it loudly
            log.warning(f"[{branch}] results.json departs from RESULTS.md: {problem}")
        progress.write(staging, out_root, results, opts.targets)  # targets, since last run, last plan: for the briefing
        page = write_briefing(staging, results, lang=opts.lang, targets=scorecard_targets(opts.targets, results))
        check_consistency(staging, results, page, opts, branch)
        _say(opts, f"[{branch}] briefing done in {time.monotonic() - t:.1f} s")
        if not opts.keep_prepared:
            shutil.rmtree(staging / PREPARED, ignore_errors=True)
        done = publish(staging, out_root / branch)
        history.record(results, out_root)  # after the swap: the history lists only reports that exist
        seconds = time.monotonic() - started
        if done.latest:
            _say(opts, f"[{branch}] report written to {done.folder}, kept in {done.run_folder} ({seconds:.1f} s)")
        else:
            _say(
                opts,
                f"[{branch}] run as of {results.get('as_of')} kept in {done.run_folder}; {done.folder} stays "
                f"the report as of {done.latest_as_of}, the latest ({seconds:.1f} s)",
            )
            results = json.loads((done.folder / "results.json").read_text(encoding="utf-8"))
        return BranchOutcome(
            branch,
            True,
            seconds,
            folder=str(done.folder),
            headline=headline_figures(results),
            run_folder=str(done.run_folder),
        )
    except NotebookFailed as exc:
        shutil.rmtree(staging, ignore_errors=True)
        _say(opts, f"[{branch}] FAILED in notebook {exc.notebook}, cell {exc.cell}: {exc.message}")
        return BranchOutcome(
            branch, False, time.monotonic() - started, error=exc.message, notebook=exc.notebook, cell=exc.cell
        )
    except Exception as exc:
        shutil.rmtree(staging, ignore_errors=True)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        _say(opts, f"[{branch}] FAILED: {detail}")
        return BranchOutcome(branch, False, time.monotonic() - started, error=detail)


def merge_source(bank: Bank, opts: RunOptions, fingerprint: str) -> Path | None:
    """The report a run of some notebooks (`opts.notebooks`) merges into: the
    branch's report of the same as-of, None for a full run or when there is
    none. UsageError when it was made from other data, assumptions or language."""
    if not opts.notebooks:
        return None
    base = merge.merge_base(Path(opts.out_root) / bank.branch_id, bank.timeframe.as_of.strftime("%Y-%m-%d"))
    if base is not None:
        merge.check_base(base, fingerprint, bank.assumptions.to_dict(), opts.lang, opts.notebooks)
    return base


def _say_merged(opts: RunOptions, branch: str, merged: dict) -> None:
    kept = ", ".join(merged["notebooks_kept"]) or "no other notebook"
    _say(
        opts,
        f"[{branch}] {', '.join(merged['notebooks_rerun'])} merged into the report as of {merged['into_as_of']} "
        f"(generated {merged['into_generated_at']}): {kept} kept from it",
    )
    if not merged["figures_kept"]:
        log.warning(
            f"[{branch}] the report merged into is a kept earlier run, which keeps no figure files: the sections "
            f"of {kept} keep their numbers and text but show no figures (run every notebook for them)"
        )


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


def run_branch(data_dir: str, branch: str, opts: RunOptions) -> BranchOutcome:
    """Load, validate and run one branch (in this process).

    Data problems and bad requests raise (DataError, UsageError) before any
    kernel starts; failures while running are returned as the outcome.
    """
    data_dir = str(Path(data_dir).resolve())
    recover_out_root(opts.out_root)
    bank = load(data_dir, branch, as_of=opts.as_of, assumptions=opts.assumptions)
    merge_source(bank, opts, branch_fingerprint(bank))  # a merge that cannot be is a bad request: before any kernel
    return run_prepared_branch(bank, data_dir, opts)


def _run_prepared_folder(bank_dir: str, data_dir: str, opts: RunOptions) -> BranchOutcome:
    bank = Bank.open(bank_dir).with_assumptions(opts.assumptions)
    try:
        return run_prepared_branch(bank, data_dir, opts)
    finally:
        shutil.rmtree(bank_dir, ignore_errors=True)


# --------------------------------------------------------------------------
# several branches


def prepare_all(data_dir: str, branches: list[str] | None, opts: RunOptions) -> tuple[list[str], Path]:
    """Validate the whole folder once and write one prepared bank per branch.

    Raises DataError when the folder breaks the contract: a run refuses bad
    data the way `validate` reports it.
    """
    tables, problems = read_folder(data_dir)
    try:
        if problems:
            raise DataError(problems)
        known = tables.final("branches")["branch_id"].tolist()
        if branches:
            unknown = [b for b in branches if b not in known]
            if unknown:
                raise UsageError(f"unknown branch {', '.join(unknown)}; known branches: {', '.join(known)}")
        else:
            branches = known
        prep_root = Path(opts.out_root) / f".prepared-{os.getpid()}"
        for b in branches:
            # One branch's rows at a time: the whole bank is never in pandas at once.
            unmatched: dict = {}
            sel = tables.select(b, unmatched)
            months = sel["monthly_snapshots"]["month"]
            if months.empty:
                continue  # no data: run_all reports it, not as a failure
            check_as_of(months, opts.as_of, b)
            tf = Timeframe.from_snapshots(months, opts.as_of, opts.assumptions.window_months)
            options = branch_options(unmatched)
            if opts.as_of is not None:
                known = as_known_at(sel, tf)
                sel, options = known, branch_options(unmatched, known.set_aside)
            bank = Bank(b, sel, tf, data_dir=str(data_dir), options=options, assumptions=opts.assumptions)
            bank.save(prep_root / b)
            del sel, bank
    finally:
        tables.close()
    return branches, prep_root


def run_all(
    data_dir: str,
    opts: RunOptions,
    branches: list[str] | None = None,
    jobs: int = 1,
    submit: Callable | None = None,
) -> list[BranchOutcome]:
    """Run several branches, `jobs` at a time in separate processes.

    `submit` replaces the local process pool (the Dask executor passes its
    client's submit); each task runs one prepared branch.
    """
    Path(opts.out_root).mkdir(parents=True, exist_ok=True)
    recover_out_root(opts.out_root)
    data_dir = str(Path(data_dir).resolve())
    branches, prep_root = prepare_all(data_dir, branches, opts)
    outcomes: list[BranchOutcome] = []
    try:
        todo = []
        for b in branches:
            if (prep_root / b).is_dir():
                todo.append(b)
            else:
                # Listed in branches but without a customer or a snapshot row (a closed or
                # merged outlet): nothing to analyse, and not a failure.
                outcomes.append(BranchOutcome(b, True, 0.0, no_data=NO_DATA))
        if jobs <= 1 and submit is None:
            for b in todo:
                outcomes.append(_run_prepared_folder(str(prep_root / b), data_dir, opts))
        elif submit is not None:
            futures = {b: submit(_run_prepared_folder, str(prep_root / b), data_dir, opts) for b in todo}
            for b, fut in futures.items():
                try:
                    outcomes.append(fut.result())
                except Exception as exc:  # a worker lost, a cluster gone
                    outcomes.append(BranchOutcome(b, False, 0.0, error=f"{type(exc).__name__}: {exc}"))
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(_run_prepared_folder, str(prep_root / b), data_dir, opts): b for b in todo}
                for fut in as_completed(futures):
                    try:
                        outcomes.append(fut.result())
                    except Exception as exc:  # a worker process died
                        outcomes.append(BranchOutcome(futures[fut], False, 0.0, error=f"{type(exc).__name__}: {exc}"))
    finally:
        shutil.rmtree(prep_root, ignore_errors=True)
    order = {b: i for i, b in enumerate(branches)}
    outcomes.sort(key=lambda o: order.get(o.branch_id, 0))
    return outcomes


def outcome_dict(o: BranchOutcome) -> dict:
    return asdict(o)
