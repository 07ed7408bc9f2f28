"""The machine's one queue (analysis.run.schedule), driven by fake steps: no kernel, no data."""

from __future__ import annotations

import threading
import time

import pytest

from analysis.run import schedule

# The suite's shape: 06 reads four sections; the order is the runner's (waited-for first).
NOTEBOOKS = {
    "01_value": set(),
    "02_churn": set(),
    "03_satisfaction": set(),
    "05_campaigns": set(),
    "00_overview": set(),
    "04_competitors": set(),
    "06_plan": {"01_value", "02_churn", "03_satisfaction", "05_campaigns"},
}
SECONDS = {"05_campaigns": 0.12, "02_churn": 0.06}  # the rest 0.02 s


class Recorder:
    """Fake steps that log (time, event, branch, step) and count what runs at once."""

    def __init__(self, fail_at: tuple[str, str] | None = None, no_data: set[str] | None = None) -> None:
        self.fail_at, self.no_data = fail_at, no_data or set()
        self.events: list[tuple[float, str, str, str]] = []
        self.lock = threading.Lock()
        self.now = 0
        self.peak = 0
        self.peak_kind: dict[str, int] = {"prepare": 0, "finish": 0}
        self.now_kind: dict[str, int] = {"prepare": 0, "finish": 0}

    def _step(self, branch: str, step: str, seconds: float) -> None:
        kind = step if step in self.now_kind else "notebook"
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
            if kind in self.now_kind:
                self.now_kind[kind] += 1
                self.peak_kind[kind] = max(self.peak_kind[kind], self.now_kind[kind])
            self.events.append((time.monotonic(), "start", branch, step))
        try:
            time.sleep(seconds)
            if self.fail_at == (branch, step):
                raise ValueError(f"planted failure in {branch} {step}")
        finally:
            with self.lock:
                self.now -= 1
                if kind in self.now_kind:
                    self.now_kind[kind] -= 1
                self.events.append((time.monotonic(), "end", branch, step))

    def execute(self, branch: str, stem: str) -> None:
        self._step(branch, stem, SECONDS.get(stem, 0.02))

    def prepare(self, branch: str) -> bool:
        self._step(branch, "prepare", 0.03)
        return branch not in self.no_data

    def finish(self, branch: str, timings: dict[str, float]) -> dict:
        self._step(branch, "finish", 0.02)
        return {"ok": True, "timings": timings}

    def fail(self, branch: str, step: str, exc: BaseException) -> dict:
        return {"ok": False, "step": step, "error": exc}

    def skip(self, branch: str) -> dict:
        return {"ok": True, "no_data": True}

    def run(self, branches: list[str], slots: int, notebooks=NOTEBOOKS) -> dict:
        return schedule.run(
            branches,
            notebooks,
            self.execute,
            slots=slots,
            prepare=self.prepare,
            finish=self.finish,
            fail=self.fail,
            skip=self.skip,
        )

    def at(self, what: str, branch: str, step: str) -> float:
        return next(t for t, e, b, s in self.events if (e, b, s) == (what, branch, step))

    def steps(self, branch: str) -> list[str]:
        return [s for _, e, b, s in self.events if e == "start" and b == branch]


BRANCHES = ["a", "b", "c", "d"]


@pytest.mark.parametrize("slots", [1, 2, 3])
def test_each_step_waits_for_what_it_needs(slots):
    rec = Recorder()
    out = rec.run(BRANCHES, slots)
    assert [out[b]["ok"] for b in BRANCHES] == [True] * 4
    for b in BRANCHES:
        assert rec.steps(b)[0] == "prepare" and rec.steps(b)[-1] == "finish"
        assert sorted(rec.steps(b)[1:-1]) == sorted(NOTEBOOKS)
        for nb, needs in NOTEBOOKS.items():
            assert rec.at("start", b, nb) >= rec.at("end", b, "prepare")
            for dep in needs:
                assert rec.at("start", b, nb) >= rec.at("end", b, dep), f"{b}: {nb} started before {dep} ended"
            assert rec.at("start", b, "finish") >= rec.at("end", b, nb)
        assert set(out[b]["timings"]) == set(NOTEBOOKS)
        assert out[b]["timings"]["05_campaigns"] >= 0.1  # each notebook's own wall time


@pytest.mark.parametrize("slots", [1, 2, 3])
def test_never_more_than_the_slots_at_once_and_the_slots_filled(slots):
    rec = Recorder()
    rec.run(BRANCHES, slots)
    assert rec.peak == slots
    assert rec.peak_kind == {"prepare": 1, "finish": 1}  # one preparation and one finish at a time


def test_the_next_branch_is_prepared_while_the_first_ones_notebooks_run():
    rec = Recorder()
    rec.run(BRANCHES, 2)
    # b's preparation starts before a's last notebook (06_plan, waiting for 05_campaigns) ends
    assert rec.at("start", "b", "prepare") < rec.at("end", "a", "06_plan")
    # and a slot left idle by a's dependencies goes to b's notebooks
    assert rec.at("start", "b", "01_value") < rec.at("start", "a", "06_plan")


def test_a_report_is_finished_as_soon_as_its_last_notebook_ends():
    rec = Recorder()
    rec.run(BRANCHES, 2)
    for b in BRANCHES:
        # the slot 06_plan frees goes to the branch's finish, before any later branch's step
        after = [(t, bb, s) for t, e, bb, s in rec.events if e == "start" and t >= rec.at("end", b, "06_plan")]
        assert min(after)[1:] == (b, "finish")
    # branches finish in their order, a long time before the last one
    assert rec.at("end", "a", "finish") < rec.at("start", "d", "prepare")


def test_a_failing_notebook_stops_its_branch_only():
    rec = Recorder(fail_at=("b", "02_churn"))
    out = rec.run(BRANCHES, 2)
    assert out["b"]["ok"] is False and out["b"]["step"] == "02_churn"
    assert "planted failure in b 02_churn" in str(out["b"]["error"])
    assert "06_plan" not in rec.steps("b") and "finish" not in rec.steps("b")
    for b in ("a", "c", "d"):
        assert out[b]["ok"] and set(out[b]["timings"]) == set(NOTEBOOKS)
    # the notebooks of b that were already running ended before b was given up
    started_b = [s for s in rec.steps("b") if s != "prepare"]
    assert all(any(e == "end" and bb == "b" and s == nb for _, e, bb, s in rec.events) for nb in started_b)


@pytest.mark.parametrize("step", ["prepare", "finish"])
def test_a_failing_preparation_or_finish_stops_its_branch_only(step):
    rec = Recorder(fail_at=("a", step))
    out = rec.run(BRANCHES, 2)
    assert out["a"]["ok"] is False and out["a"]["step"] == step
    if step == "prepare":
        assert rec.steps("a") == ["prepare"]
    assert all(out[b]["ok"] for b in ("b", "c", "d"))


def test_a_branch_without_data_is_skipped():
    rec = Recorder(no_data={"c"})
    out = rec.run(BRANCHES, 2)
    assert out["c"] == {"ok": True, "no_data": True}
    assert rec.steps("c") == ["prepare"]
    assert list(out) == BRANCHES and all(out[b]["ok"] for b in BRANCHES)


def test_a_dependency_cycle_fails_the_branch_saying_what_waits():
    rec = Recorder()
    out = rec.run(["a", "b"], 2, notebooks={"01_x": set(), "02_y": {"03_z"}, "03_z": {"02_y"}, "04_w": {"09_gone"}})
    for b in ("a", "b"):
        assert out[b]["ok"] is False and isinstance(out[b]["error"], schedule.Waiting)
        assert out[b]["step"] == "02_y" and out[b]["error"].missing == ["03_z"]
        # what could run ran (a dependency outside the run is not waited for)
        assert {"01_x", "04_w"} <= set(rec.steps(b))


def test_a_hook_that_fails_still_ends_its_branch():
    def finish(branch, timings):
        raise RuntimeError("finish broke")

    def fail(branch, step, exc):
        raise RuntimeError(f"fail broke after {exc}")

    out = schedule.run(["a", "b"], {"01_x": set()}, lambda b, nb: None, slots=2, finish=finish, fail=fail)
    assert [type(out[b]) for b in ("a", "b")] == [RuntimeError, RuntimeError]
    assert "finish broke" in str(out["a"])
