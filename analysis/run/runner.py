"""Run the suite for one branch or all of them (RESULTS.md "Running").

For each branch: load and validate once, write the prepared bank into a
staging folder beside the output, execute every notebook with papermill
against it, assemble `results.json`, build the briefing, and only then swap
the staging folder in place of the branch's previous report. A failure at
any step leaves the previous report untouched and is reported with the
notebook, the cell and the error. Every run is also kept by its as-of in
`OUT/<branch>/runs/<as_of>/` (`analysis.run.archive`). One failing branch does not stop the
others; the caller exits non-zero if any failed.

Branches on one machine share one queue (`analysis.run.schedule`): the
notebooks of every branch take `jobs` slots in all, each after the notebooks
it depends on, a branch's preparation overlapping other branches'
notebooks, and each report finished as soon as its last notebook ends.

Progress goes to the logger `analysis.run.runner` at INFO (DEBUG with
`RunOptions.quiet`): the command line prints it, and a Dask run forwards
it from the workers (`analysis.run.distributed`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
from papermill.exceptions import PapermillExecutionError

from analysis.assumptions import Assumptions
from analysis.data.asof import as_known_at
from analysis.data.bank import Bank, FolderTables, branch_options, load, read_folder
from analysis.data.timeframe import Timeframe, check_as_of
from analysis.errors import DataError, UsageError
from analysis.report.briefing import write_briefing
from analysis.report.consistency import check as consistency_check
from analysis.run import card, history, merge, progress, schedule
from analysis.run.archive import publish
from analysis.run.archive import recover_out_root as recover_out_root  # runner.recover_out_root, as before
from analysis.run.archive import swap_in as swap_in  # where it always was: runner.swap_in
from analysis.run.card import branch_fingerprint as branch_fingerprint  # runner.branch_fingerprint, as before
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
#: notebooks a warm kernel runs before a fresh one replaces it (`analysis.run.kernels`):
#: four branches' worth, so a kernel start (about 3.5 s of CPU) is spread over 28 notebooks
KERNEL_USES = 28

log = logging.getLogger(__name__)


@dataclass
class RunOptions:
    out_root: Path
    as_of: str | None = None
    lang: str = "zh"
    quiet: bool = False
    notebooks: tuple[str, ...] | None = None  # names to run; default every notebook
    notebook_dir: Path = NOTEBOOK_DIR
    notebook_jobs: int = 1  # slots of a one-branch run (run_branch, a Dask task): its notebooks side by side
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
    try:
        current = json.loads(path.read_text())
    except (OSError, ValueError):  # none yet, or another run's write seen halfway
        current = None
    if current != spec:
        # Written whole or not at all: runs side by side (from checkouts whose
        # interpreter path differs) rewrite it while others read it.
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"kernel.json.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(spec, indent=1))
        tmp.replace(path)
    return KERNEL_NAME


# --------------------------------------------------------------------------
# the run card: what produced a report (`analysis.run.card`)


def run_card(
    bank: Bank,
    opts: RunOptions,
    data_dir: str,
    timings: dict | None = None,
    fingerprint: str | None = None,
    notebooks: list[str] | None = None,
    merged: dict | None = None,
) -> dict:
    """results.json's top for a run with `opts` (`analysis.run.card.run_card`)."""
    parameters = {"as_of": opts.as_of, "lang": opts.lang, "notebooks": list(opts.notebooks) if opts.notebooks else None}
    return card.run_card(bank, parameters, data_dir, timings, fingerprint, notebooks, merged)


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


def notebook_order(paths: list[Path]) -> dict[str, set[str]]:
    """Each notebook's stem → the notebooks of the run it waits for, in the
    order a free slot takes them: those others wait for first (then file
    order), so that the last ones are not left running alone at the end."""
    deps = {nb.stem: notebook_dependencies(nb) & {p.stem for p in paths} for nb in paths}
    waiting = {stem: len(_dependents(stem, deps)) for stem in deps}
    return {stem: deps[stem] for stem in sorted(deps, key=lambda stem: -waiting[stem])}


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


def new_staging(out_root: Path, branch: str) -> Path:
    """An empty staging folder for `branch` beside its report."""
    staging = Path(out_root) / f".staging-{branch}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


@dataclass
class Prepared:
    """What a branch's preparation settles before its notebooks run: the
    data's fingerprint, and for a run of some notebooks the report it
    merges into (`base`) with the sections seeded from it."""

    fingerprint: str
    base: Path | None = None
    seeded: list[str] = field(default_factory=list)


def prepare_staging(bank: Bank, staging: Path, opts: RunOptions) -> Prepared:
    """Fingerprint the branch, seed a merge's staging folder from the report it
    merges into, and write the prepared bank the notebooks read."""
    fingerprint = branch_fingerprint(bank)
    base = merge_source(bank, opts, fingerprint)
    seeded = merge.seed_sections(base, staging) if base is not None else []
    bank.save(staging / PREPARED)
    return Prepared(fingerprint, base, seeded)


def finish_branch(
    bank: Bank,
    staging: Path,
    data_dir: str,
    opts: RunOptions,
    timings: dict,
    started: float,
    prepared: Prepared | None = None,
) -> BranchOutcome:
    """After a branch's last notebook: a merge into the earlier report (a run
    of some notebooks), results.json with its run card, progress against
    targets, the briefing and its consistency check, the swap-in (kept by
    as-of, `analysis.run.archive`) and the history record."""
    branch = bank.branch_id
    out_root = Path(opts.out_root)
    prepared = prepared or Prepared(branch_fingerprint(bank))
    ran = [p.stem for p in notebook_paths(opts.notebooks, opts.notebook_dir)]
    merged, notebooks = None, ran
    base = prepared.base
    if base is not None:
        earlier = merge.base_results(base)
        rewritten = merge.rewritten_sections(base, staging)
        merge.take_over(base, staging, ran, rewritten)
        merged = merge.merged_card(base, out_root / branch, earlier, ran, prepared.seeded, rewritten)
        notebooks = sorted(set(ran) | set(merged["notebooks_kept"]))
        before = (earlier.get("run") or {}).get("timings") or {}
        timings = {**{k: v for k, v in before.items() if k in merged["notebooks_kept"]}, **timings}
        _say_merged(opts, branch, merged)
    elif opts.notebooks:
        log.warning(
            f"[{branch}] no report as of {bank.timeframe.as_of:%Y-%m-%d} in {out_root / branch} to merge "
            f"{', '.join(ran)} into: this report holds only {', '.join(ran)}"
        )
    card = run_card(bank, opts, data_dir, timings, prepared.fingerprint, notebooks, merged)
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


def branch_failed(
    branch: str, staging: Path | None, exc: BaseException, opts: RunOptions, started: float
) -> BranchOutcome:
    """A branch that failed at any step: its staging folder removed (the
    previous report stays), the failure said and returned."""
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)
    seconds = time.monotonic() - started
    if isinstance(exc, NotebookFailed):
        _say(opts, f"[{branch}] FAILED in notebook {exc.notebook}, cell {exc.cell}: {exc.message}")
        return BranchOutcome(branch, False, seconds, error=exc.message, notebook=exc.notebook, cell=exc.cell)
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    _say(opts, f"[{branch}] FAILED: {detail}")
    return BranchOutcome(branch, False, seconds, error=detail)


class _Runs:
    """The runner's side of a schedule (`analysis.run.schedule`): each
    branch's staging folder, bank and clock, and the warm kernels every
    branch's notebooks share.

    `bank_for(branch)` gives the branch's bank (None: nothing to analyse);
    with `keep_banks` the run card is made from that bank itself (a branch
    loaded by `run_branch`), else from the prepared bank as the notebooks
    read it, so that no branch is held in this process while it runs.
    """

    def __init__(
        self,
        data_dir: str,
        opts: RunOptions,
        kernels: KernelPool,
        kernel: str,
        bank_for: Callable[[str], Bank | None],
        keep_banks: bool,
    ) -> None:
        self.data_dir, self.opts, self.kernels, self.kernel = data_dir, opts, kernels, kernel
        self.paths = {p.stem: p for p in notebook_paths(opts.notebooks, opts.notebook_dir)}
        self.bank_for, self.keep_banks = bank_for, keep_banks
        self.staging: dict[str, Path] = {}
        self.banks: dict[str, Bank] = {}
        self.started: dict[str, float] = {}
        self.prepared: dict[str, Prepared] = {}

    def order(self) -> dict[str, set[str]]:
        return notebook_order(list(self.paths.values()))

    def prepare(self, branch: str) -> bool:
        self.started[branch] = time.monotonic()
        bank = self.bank_for(branch)
        if bank is None:
            return False
        self.staging[branch] = new_staging(self.opts.out_root, branch)
        self.prepared[branch] = prepare_staging(bank, self.staging[branch], self.opts)
        if self.keep_banks:
            self.banks[branch] = bank
        _say(self.opts, f"[{branch}] data prepared in {time.monotonic() - self.started[branch]:.1f} s")
        return True

    def execute(self, branch: str, stem: str) -> None:
        staging, t = self.staging[branch], time.monotonic()
        _say(self.opts, f"[{branch}] {stem} …")
        try:
            with self.kernels.kernel(cwd=staging) as km:
                execute_notebook(self.paths[stem], staging, staging / PREPARED, self.opts, branch, self.kernel, km)
        except KernelReset as exc:
            raise NotebookFailed(stem, None, str(exc)) from None
        _say(self.opts, f"[{branch}] {stem} done in {time.monotonic() - t:.1f} s")

    def finish(self, branch: str, timings: dict[str, float]) -> BranchOutcome:
        staging = self.staging[branch]
        bank = self.banks.pop(branch, None) or Bank.open(staging / PREPARED).with_assumptions(self.opts.assumptions)
        card_timings = {"load_s": bank.options.get("load_seconds"), **timings}
        return finish_branch(
            bank, staging, self.data_dir, self.opts, card_timings, self.started[branch], self.prepared.pop(branch)
        )

    def fail(self, branch: str, step: str, exc: BaseException) -> BranchOutcome:
        self.banks.pop(branch, None)
        self.prepared.pop(branch, None)
        if isinstance(exc, schedule.Waiting):  # a dependency cycle among the notebooks
            exc = NotebookFailed(exc.notebook, None, str(exc))
        started = self.started.get(branch, time.monotonic())
        return branch_failed(branch, self.staging.get(branch), exc, self.opts, started)

    def skip(self, branch: str) -> BranchOutcome:
        # Listed in branches but without a customer or a snapshot row (a closed or
        # merged outlet): nothing to analyse, and not a failure.
        return BranchOutcome(branch, True, 0.0, no_data=NO_DATA)


def run_scheduled(
    branches: list[str],
    bank_for: Callable[[str], Bank | None],
    data_dir: str,
    opts: RunOptions,
    slots: int,
    keep_banks: bool = False,
) -> list[BranchOutcome]:
    """Run `branches` in one queue of `slots` (`analysis.run.schedule`), in
    this process, on warm kernels shared by all of them; their outcomes in
    the order of `branches`."""
    Path(opts.out_root).mkdir(parents=True, exist_ok=True)
    kernel = ensure_kernel()
    with KernelPool(kernel, max_uses=KERNEL_USES) as kernels:
        runs = _Runs(data_dir, opts, kernels, kernel, bank_for, keep_banks)
        done = schedule.run(
            branches,
            runs.order(),
            runs.execute,
            slots=slots,
            prepare=runs.prepare,
            finish=runs.finish,
            fail=runs.fail,
            skip=runs.skip,
        )
    out = []
    for b in branches:
        o = done[b]
        if not isinstance(o, BranchOutcome):  # a finishing or failing step itself failed
            o = BranchOutcome(b, False, 0.0, error=f"{type(o).__name__}: {o}")
        out.append(o)
    return out


def run_prepared_branch(bank: Bank, data_dir: str, opts: RunOptions) -> BranchOutcome:
    """Run every notebook for an already loaded bank, `opts.notebook_jobs` at
    a time, and swap the report in."""
    return run_scheduled([bank.branch_id], lambda b: bank, data_dir, opts, opts.notebook_jobs, keep_banks=True)[0]


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


def open_folder(data_dir: str, branches: list[str] | None, opts: RunOptions) -> tuple[FolderTables, list[str]]:
    """Validate the whole folder once: its tables, to prepare each branch
    from, and the branches to run (every branch by default).

    Raises DataError when the folder breaks the contract: a run refuses bad
    data the way `validate` reports it; UsageError for an unknown branch.
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
    except BaseException:
        tables.close()
        raise
    return tables, list(branches)


def branch_bank(tables: FolderTables, branch: str, data_dir: str, opts: RunOptions) -> Bank | None:
    """One branch's bank from the validated folder (`open_folder`); None when
    it has no snapshot rows (nothing to analyse); UsageError for an `--as-of`
    outside its snapshots."""
    # One branch's rows at a time: the whole bank is never in pandas at once.
    unmatched: dict = {}
    sel = tables.select(branch, unmatched)
    months = sel["monthly_snapshots"]["month"]
    if months.empty:
        return None
    check_as_of(months, opts.as_of, branch)
    tf = Timeframe.from_snapshots(months, opts.as_of, opts.assumptions.window_months)
    options = branch_options(unmatched)
    if opts.as_of is not None:
        known = as_known_at(sel, tf)
        sel, options = known, branch_options(unmatched, known.set_aside)
    return Bank(branch, sel, tf, data_dir=str(data_dir), options=options, assumptions=opts.assumptions)


def prepare_all(data_dir: str, branches: list[str] | None, opts: RunOptions) -> tuple[list[str], Path]:
    """Validate the whole folder once and write one prepared bank per branch
    (for branches run elsewhere: a Dask cluster). Raises as `open_folder`,
    and UsageError for an `--as-of` outside a branch's snapshots."""
    tables, branches = open_folder(data_dir, branches, opts)
    try:
        prep_root = Path(opts.out_root) / f".prepared-{os.getpid()}"
        for b in branches:
            bank = branch_bank(tables, b, data_dir, opts)
            if bank is None:
                continue  # no data: run_all reports it, not as a failure
            bank.save(prep_root / b)
            del bank
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
    """Run several branches: here, in one queue of `jobs` slots for the
    notebooks of all of them (`analysis.run.schedule`; `opts.notebook_jobs`
    plays no part); with `submit`, one task per prepared branch.

    `submit` replaces the local queue (the Dask executor passes its client's
    submit); each task runs one prepared branch, `opts.notebook_jobs`
    notebooks at a time. A branch whose `--as-of` lies outside its snapshots
    fails alone here (the others run); with `submit` it stops the run
    before any branch starts.
    """
    Path(opts.out_root).mkdir(parents=True, exist_ok=True)
    recover_out_root(opts.out_root)
    data_dir = str(Path(data_dir).resolve())
    if submit is None:
        tables, branches = open_folder(data_dir, branches, opts)
        left = set(branches)

        def bank_for(branch: str) -> Bank | None:
            try:
                return branch_bank(tables, branch, data_dir, opts)
            finally:
                # Preparations run one at a time, in branch order: the last lets go of the folder.
                left.discard(branch)
                if not left:
                    tables.close()

        try:
            return run_scheduled(branches, bank_for, data_dir, opts, jobs)
        finally:
            tables.close()
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
        futures = {b: submit(_run_prepared_folder, str(prep_root / b), data_dir, opts) for b in todo}
        for b, fut in futures.items():
            try:
                outcomes.append(fut.result())
            except Exception as exc:  # a worker lost, a cluster gone
                outcomes.append(BranchOutcome(b, False, 0.0, error=f"{type(exc).__name__}: {exc}"))
    finally:
        shutil.rmtree(prep_root, ignore_errors=True)
    order = {b: i for i, b in enumerate(branches)}
    outcomes.sort(key=lambda o: order.get(o.branch_id, 0))
    return outcomes


def outcome_dict(o: BranchOutcome) -> dict:
    return asdict(o)
