"""Branch runs submitted to a Dask cluster: a local cluster of two worker processes."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import pytest

from analysis.run import runner
from analysis.run.distributed import dask_submitter

from probe_notebooks import write_notebook

PROBE = (
    "import os\n"
    "from analysis.run.notebook import open_bank\n"
    "from analysis.run import results\n"
    "bank = open_bank(bank_path, data_dir, branch, as_of)\n"
    "results.write_section(out_dir, 'probe', results.ok(n=len(bank.customers), runner_pid=os.getppid()))"
)


def _notebooks(folder: Path) -> Path:
    write_notebook(folder, "01_probe.ipynb", PROBE)
    return folder


@pytest.mark.slow
def test_two_branches_through_a_local_dask_cluster(conformance_dir, tmp_path):
    distributed = pytest.importorskip("distributed")
    opts = runner.RunOptions(
        out_root=tmp_path / "out", quiet=True, notebook_dir=_notebooks(tmp_path / "nbs"), lang="en"
    )
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        with distributed.Client(cluster, set_as_default=False) as client:
            workers = set(client.run(os.getpid).values())
        submit, close = dask_submitter(cluster.scheduler_address)
        try:
            outcomes = runner.run_all(str(conformance_dir / "good"), opts, submit=submit)
        finally:
            close()
    by = {o.branch_id: o for o in outcomes}
    assert set(by) == {"fixture-a", "fixture-b"}
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    n = {"fixture-a": 2800, "fixture-b": 1200}
    pids = set()
    for b, o in by.items():
        folder = tmp_path / "out" / b
        res = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        assert res["probe"]["n"] == n[b]
        pids.add(res["probe"]["runner_pid"])  # the kernel's parent: the process that ran the branch
        assert (folder / "briefing.html").is_file() and (folder / "briefing.pptx").is_file()
        assert o.headline["branch_id"] == b
    assert os.getpid() not in pids and pids <= workers  # the branches ran on the cluster's workers
    runner.write_overview(tmp_path / "out", outcomes, lang="en")
    assert (tmp_path / "out" / "index.html").is_file()
    assert not any(p.name.startswith((".staging", ".prepared")) for p in (tmp_path / "out").iterdir())


def _fail(message: str):
    raise ValueError(message)


@pytest.mark.slow
def test_without_an_address_a_local_cluster_of_processes():
    submit, close = dask_submitter(None, n_workers=1)
    try:
        assert submit(os.getpid).result() != os.getpid()
        with pytest.raises(ValueError, match="planted"):
            submit(_fail, "planted").result()
    finally:
        close()


def _say_progress(text: str) -> int:
    """On a worker: a progress line as the runner logs it."""
    logging.getLogger("analysis.run.runner").info(text)
    return os.getpid()


@pytest.mark.slow
def test_worker_progress_is_logged_back_to_the_client():
    """A branch's progress lines, logged on a worker, reach this process's `analysis` loggers."""
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    logger, keep = logging.getLogger("analysis"), Keep()
    level = logger.level
    logger.addHandler(keep)
    logger.setLevel(logging.INFO)
    line = "[fixture-a] 01_value done in 1.0 s"
    submit, close = dask_submitter(None, n_workers=1)
    try:
        assert submit(_say_progress, line).result() != os.getpid()
        deadline = time.monotonic() + 20  # forwarded records arrive on the client's event loop
        while line not in seen and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        close()
        logger.removeHandler(keep)
        logger.setLevel(level)
    assert line in seen
