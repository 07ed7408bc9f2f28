"""One queue for the machine: the notebooks of every branch share `slots`.

A run of many branches is a set of small tasks, each holding one slot while
it runs:

- **prepare** a branch: its rows read from the validated folder and written
  as a prepared bank (the runner's `prepare`);
- **a notebook** of a branch, once every notebook it depends on is done for
  that branch (`notebooks`: stem → the stems it waits for);
- **finish** a branch, once its last notebook has ended: results.json, the
  briefing, the swap-in (the runner's `finish`).

There are `slots` tasks running at any time (fewer only when nothing is
ready), so kernels, their driver threads and the parent's own work add up to
the slots: no level of parallelism multiplies another. A free slot goes to
the earliest branch (in `branches` order) that has a task ready, and within
a branch to the notebook listed first: a branch's reports are finished as
soon as its notebooks are, while the next branch's preparation and notebooks
fill the slots its dependencies leave idle. Preparations run one at a time
(they read the same folder through one DuckDB connection) and so do
finishes (the briefing's figures use matplotlib's process-wide settings).

A branch whose task fails starts nothing more; once its running tasks have
ended, `fail` is called and the other branches carry on. Every task runs in
a thread of this process: a notebook's thread only drives its kernel, the
computation happens in the kernel's own process.

    results = run(["a", "b"], {"01_x": set(), "02_y": {"01_x"}}, execute, slots=2,
                  prepare=..., finish=..., fail=...)   # branch → what finish or fail returned
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

PREPARE = "prepare"
FINISH = "finish"


class Waiting(Exception):
    """A notebook whose dependencies can never be done (a cycle)."""

    def __init__(self, notebook: str, missing: Collection[str]) -> None:
        super().__init__(f"waits for {sorted(missing)}")
        self.notebook, self.missing = notebook, sorted(missing)


@dataclass
class _Branch:
    name: str
    order: int
    state: str = "new"  # new → preparing → notebooks → finishing → done
    pending: list[str] = field(default_factory=list)
    done: set[str] = field(default_factory=set)
    running: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    failure: tuple[str, BaseException] | None = None  # the step that failed first, and why


def _ready(pending: Sequence[str], done: set[str], deps: Mapping[str, Collection[str]]) -> str | None:
    return next((nb for nb in pending if set(deps[nb]) <= done), None)


def run(
    branches: Sequence[str],
    notebooks: Mapping[str, Collection[str]],
    execute: Callable[[str, str], Any],
    *,
    slots: int,
    prepare: Callable[[str], bool] = lambda branch: True,
    finish: Callable[[str, dict[str, float]], Any] = lambda branch, timings: timings,
    fail: Callable[[str, str, BaseException], Any] = lambda branch, step, exc: exc,
    skip: Callable[[str], Any] = lambda branch: None,
) -> dict[str, Any]:
    """Run every branch's notebooks in one queue of `slots` (module notes).

    `notebooks`: each notebook's stem → the stems it waits for, in the order
    to prefer among those ready (dependencies outside `notebooks` are never
    waited for: they are not part of the run). `execute(branch, stem)` runs
    one notebook and raises when it fails. `prepare(branch)` returns False
    when the branch has nothing to run (then `skip(branch)` is its result);
    `finish(branch, timings)` gets each notebook's wall seconds.
    `fail(branch, step, error)` is called once per failing branch, after its
    running tasks have ended; `step` is "prepare", a notebook's stem or
    "finish". Returns each branch's result: what `finish`, `fail` or `skip`
    returned.
    """
    slots = max(1, slots)
    names = set(notebooks)
    deps = {nb: set(notebooks[nb]) & names for nb in notebooks}
    state = {b: _Branch(b, i) for i, b in enumerate(dict.fromkeys(branches))}
    results: dict[str, Any] = {}
    running: dict[Future, tuple[_Branch, str, float]] = {}
    lanes = {PREPARE: 0, FINISH: 0}  # one of each at a time (module notes)

    def conclude(br: _Branch, result: Callable[[], Any]) -> None:
        br.state = "done"
        try:
            results[br.name] = result()
        except Exception as exc:  # a result hook that fails still ends the branch
            results[br.name] = exc

    def settle(br: _Branch) -> None:
        """Conclude a branch that can go no further: failed, or stuck on a cycle."""
        if br.state == "done" or br.running:
            return
        if br.failure is None and br.state == "notebooks" and br.pending and _ready(br.pending, br.done, deps) is None:
            stuck = br.pending[0]
            br.failure = (stuck, Waiting(stuck, deps[stuck] - br.done))
        if br.failure is not None:
            step, exc = br.failure
            conclude(br, lambda: fail(br.name, step, exc))

    def next_task() -> tuple[_Branch, str] | None:
        for br in state.values():  # earliest branch first
            if br.state == "done" or br.failure is not None:
                continue
            if br.state == "new":
                if lanes[PREPARE] == 0:
                    return br, PREPARE
                continue
            if br.state == "notebooks":
                nb = _ready(br.pending, br.done, deps)
                if nb is not None:
                    return br, nb
                if not br.pending and not br.running and lanes[FINISH] == 0:
                    return br, FINISH
        return None

    def start(pool: ThreadPoolExecutor, br: _Branch, step: str) -> None:
        if step == PREPARE:
            br.state, fut = "preparing", pool.submit(prepare, br.name)
        elif step == FINISH:
            br.state, fut = "finishing", pool.submit(finish, br.name, dict(br.timings))
        else:
            br.pending.remove(step)
            fut = pool.submit(execute, br.name, step)
        if step in lanes:
            lanes[step] += 1
        br.running += 1
        running[fut] = (br, step, time.monotonic())

    def ended(fut: Future, br: _Branch, step: str, began: float) -> None:
        br.running -= 1
        if step in lanes:
            lanes[step] -= 1
        exc = fut.exception()
        if exc is not None:
            br.failure = br.failure or (step, exc)
        elif step == PREPARE:
            if fut.result() is False:
                conclude(br, lambda: skip(br.name))
                return
            br.state, br.pending = "notebooks", list(notebooks)
        elif step == FINISH:
            conclude(br, fut.result)
            return
        else:
            br.done.add(step)
            br.timings[step] = round(time.monotonic() - began, 2)
        settle(br)

    pool = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="schedule")
    try:
        while len(results) < len(state):
            while len(running) < slots and (task := next_task()) is not None:
                start(pool, *task)
            if not running:  # nothing runs and nothing can start: every branch left is stuck
                for br in state.values():
                    settle(br)
                if len(results) < len(state):  # cannot happen: every branch is new, failed or stuck
                    raise RuntimeError(f"schedule stalled with {sorted(set(state) - set(results))} left")
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                ended(fut, *running.pop(fut))
    finally:
        # On an interrupt: nothing new starts; the tasks running end with their kernels.
        pool.shutdown(wait=True, cancel_futures=True)
    return {b: results[b] for b in state}
