"""Command line: `python -m analysis sample | validate | run` (RESULTS.md "Running").

Exit status: 0 when all went well; 2 for a data problem or a bad request
(the message says which table, file, column, rule and rows, never a
traceback); 1 when a branch failed while running (the others still ran).

Light to import (DESIGN.md): a subcommand imports the layer it needs when it
runs, so that `--help` and a usage error answer at once.

Everything said goes through `logging` (loggers under `analysis`): progress
at INFO to stdout, problems at WARNING and above to stderr, as plain lines;
`run --quiet` keeps only the problems.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from analysis.assumptions import Assumptions
from analysis.errors import DataError, UsageError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2

# `python -m analysis` runs this module as __main__: name the logger for the package
log = logging.getLogger("analysis.cli")


class ConsoleHandler(logging.Handler):
    """Plain lines: INFO and below to stdout, WARNING and above to stderr
    (the streams looked up at each line, so that a caller's redirection holds)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = sys.stderr if record.levelno >= logging.WARNING else sys.stdout
            stream.write(self.format(record) + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


def configure_logging(quiet: bool = False) -> Callable[[], None]:
    """The command line's console: the `analysis` loggers print through one
    ConsoleHandler, at INFO (WARNING when quiet). Returns what undoes it, for
    a caller that runs `main` inside its own process (tests, a notebook)."""
    logger = logging.getLogger("analysis")
    before = logger.level, logger.propagate
    handler = ConsoleHandler()
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False

    def restore() -> None:
        logger.removeHandler(handler)
        logger.setLevel(before[0])
        logger.propagate = before[1]

    return restore


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis", description="QVSRS branch strategy suite")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("sample", help="write the sample bank (planted effects documented in analysis/planted.py)")
    s.add_argument("--out", required=True, type=Path, help="folder to write the bank into")
    s.add_argument("--branches", type=_positive, default=3, help="number of branches (Meishan first)")
    s.add_argument("--customers", type=_positive, default=3000, help="customers per branch")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument(
        "--jobs",
        type=_positive,
        default=os.cpu_count() or 1,
        help="branches generated in parallel processes (the files do not depend on it)",
    )

    v = sub.add_parser("validate", help="check a data folder against the contract; exit 2 on any problem")
    v.add_argument("data", type=Path)

    r = sub.add_parser("run", help="run the suite for a branch or every branch")
    r.add_argument("--data", required=True, type=Path)
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument("--branch", help="branch_id to run")
    which.add_argument("--all-branches", action="store_true")
    r.add_argument("--out", required=True, type=Path)
    r.add_argument("--as-of", dest="as_of", help="month M as YYYY-MM (default: last month in the data)")
    r.add_argument(
        "--jobs",
        type=_positive,
        default=os.cpu_count() or 1,
        help="notebooks run at once, across every branch of the run (default: the machine's cores)",
    )
    r.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the briefing and figures")
    r.add_argument("--quiet", action="store_true", help="no progress lines")
    r.add_argument(
        "--assumptions",
        type=Path,
        help="a TOML or YAML file of assumptions (e.g. unresolved_days = 14, window_months = 6); default RESULTS.md's",
    )
    r.add_argument(
        "--targets",
        type=Path,
        help="a CSV or TOML file of management's targets (branch, figure, target, due): progress shown in the "
        "briefing and the index",
    )
    r.add_argument(
        "--notebooks",
        nargs="*",
        help="run only these notebooks (e.g. 02_churn), merged into the branch's report of the same month: "
        "its other sections are kept",
    )
    r.add_argument("--executor", choices=("local", "dask"), default="local")
    r.add_argument("--scheduler", help="Dask scheduler address (with --executor dask)")
    c = sub.add_parser("compare", help="two runs of a branch side by side: what moved beyond noise")
    c.add_argument("--out", required=True, type=Path, help="the output folder the runs were written to")
    c.add_argument("--branch", required=True)
    c.add_argument("--from", dest="a", help="the earlier run's month, YYYY-MM (default: the second latest run)")
    c.add_argument("--to", dest="b", help="the later run's month, YYYY-MM (default: the latest run)")
    c.add_argument("--moved", action="store_true", help="only the figures that moved beyond noise")
    c.add_argument("--csv", type=Path, help="also write the comparison as CSV (UTF-8 with BOM)")
    return p


def cmd_compare(args: argparse.Namespace) -> int:
    from analysis.run.history import compare, runs

    available = runs(args.out, args.branch)
    if len(available) < 2:
        raise UsageError(
            f"branch {args.branch} has {len(available)} recorded run{'s' if len(available) != 1 else ''} in "
            f"{args.out / 'history'}; compare needs two (run it again with another --as-of)"
        )
    table = compare(args.out, args.branch, args.a, args.b)
    if table.attrs.get("as_of_a") is None or table.attrs.get("as_of_b") is None:
        raise UsageError(f"no run of {args.branch} as of {args.a or args.b}; recorded: {', '.join(available)}")
    if args.moved:
        table = table[table["beyond_noise"].map(lambda v: v is True)]
    if args.csv:
        table.to_csv(args.csv, index=False, encoding="utf-8-sig")
    noise = {True: "moved", False: "within noise", None: "noise unknown"}
    print(f"{args.branch}: {table.attrs['as_of_a']} → {table.attrs['as_of_b']}, {len(table)} figures")
    for r in table.itertuples(index=False):
        band = f"[{r.ci_low:.4g}, {r.ci_high:.4g}]" if r.ci_low is not None and r.ci_low == r.ci_low else ""
        moved = noise[None if r.beyond_noise is None or r.beyond_noise != r.beyond_noise else bool(r.beyond_noise)]
        delta = f"×{r.change:.3g}" if r.change_kind == "ratio" else f"{r.change:+.4g}"
        print(f"  {r.path:<58} {r.a:>14.4g} {r.b:>14.4g} {delta:>12} {band:<24} {moved}")
    return EXIT_OK


def cmd_sample(args: argparse.Namespace) -> int:
    from analysis.sample.generate import generate

    t = time.monotonic()
    summary = generate(args.out, branches=args.branches, customers=args.customers, seed=args.seed, jobs=args.jobs)
    log.info(f"sample bank written to {args.out} in {time.monotonic() - t:.1f} s")
    for name, n in summary.get("rows", {}).items():
        log.info(f"  {name:<22} {n:>10,} rows")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from analysis.data.bank import read_folder

    t = time.monotonic()
    tables, problems = read_folder(args.data)
    if problems:
        log.error(f"{args.data}: {len(problems)} problem{'s' if len(problems) != 1 else ''} found")
        for p in problems:
            log.error(f"  - {p}")
        return EXIT_BAD_INPUT
    rows = ", ".join(f"{n} {tables.row_count(n):,}" for n in tables)
    log.info(f"{args.data}: valid ({rows}) in {time.monotonic() - t:.1f} s")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from analysis.run import runner
    from analysis.run.targets import load_targets, unused_branches

    as_of = runner.parse_as_of(args.as_of)
    assumptions = Assumptions.from_file(args.assumptions) if args.assumptions else Assumptions()
    targets = load_targets(args.targets) if args.targets else ()  # a bad file: exit 2 before any work
    if not args.data.is_dir():
        raise UsageError(f"data folder not found: {args.data}")
    if args.executor == "dask" and not args.scheduler:
        raise UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    runner.notebook_paths(args.notebooks)  # fail before any work when none match
    # --jobs slots for the whole run: the notebooks of every branch share them (one branch's
    # notebooks with --branch, and each branch's on a Dask worker).
    notebook_jobs = args.jobs
    opts = runner.RunOptions(
        out_root=args.out,
        as_of=as_of,
        lang=args.lang,
        quiet=args.quiet,
        notebooks=tuple(args.notebooks) if args.notebooks else None,
        notebook_jobs=notebook_jobs,
        assumptions=assumptions,
        targets=targets,
    )
    if args.branch:
        outcome = runner.run_branch(str(args.data), args.branch, opts)  # data problems raise
        runner.write_overview(args.out, [outcome], lang=args.lang)  # with the branches earlier runs left there
        if not outcome.ok:
            where = f" in notebook {outcome.notebook}, cell {outcome.cell}" if outcome.notebook else ""
            log.error(f"branch {args.branch} failed{where}: {outcome.error}")
            return EXIT_FAILED
        return EXIT_OK
    submit, close = None, None
    if args.executor == "dask":
        from analysis.run.distributed import dask_submitter

        submit, close = dask_submitter(args.scheduler)
    try:
        outcomes = runner.run_all(str(args.data), opts, jobs=args.jobs, submit=submit)
    finally:
        if close:
            close()
    runner.write_overview(args.out, outcomes, lang=args.lang)
    for t in unused_branches(targets, [o.branch_id for o in outcomes]):
        log.warning(f"target for branch {t.branch} ({t.row}) not used: no such branch in {args.data}")
    failed = [o for o in outcomes if not o.ok]
    written = len(outcomes) - len(failed)
    log.info(f"{written} of {len(outcomes)} branches written to {args.out}; open {args.out / 'index.html'}")
    for o in failed:
        where = f" in notebook {o.notebook}, cell {o.cell}" if o.notebook else ""
        log.error(f"branch {o.branch_id} failed{where}: {o.error}")
    return EXIT_FAILED if failed else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    restore_logging = configure_logging(quiet=getattr(args, "quiet", False))
    try:
        return {"sample": cmd_sample, "validate": cmd_validate, "run": cmd_run, "compare": cmd_compare}[args.command](
            args
        )
    except (DataError, UsageError) as exc:
        log.error(str(exc))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        log.error("interrupted; earlier reports are left as they were")
        return 130
    finally:
        restore_logging()


if __name__ == "__main__":
    sys.exit(main())
