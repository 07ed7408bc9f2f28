"""Branch runs on a Dask cluster (`--executor dask --scheduler ADDRESS`).

A branch run is independent of every other, so scaling out is only a matter
of where `runner._run_prepared_folder` executes: `dask_submitter` hands the
runner a `submit(fn, *args)` that sends each branch to a `dask.distributed`
cluster instead of the local process pool; the runner collects the futures'
results as before.

The workers run the same code on the same files: the suite must be installed
on every worker (the same version) and the run's output folder (`--out`, where
the prepared banks and the staging folders live) must be on a file system the
workers share with the client, e.g. an NFS mount at the same path. Each task
is one whole branch and is not retried (a branch run writes files; a retry
after a lost worker would race with the first attempt's staging folder).

Progress: the runner logs each branch's lines (logger `analysis.run.runner`)
on the worker that runs it; the client forwards the `analysis` loggers'
records of INFO and above from the workers to the same loggers here, so the
command line prints them as for a local run (they also stay in the workers'
own logs).

Without an address, a local cluster of worker processes is started (and shut
down by `close`), which is how the tests exercise this path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

#: the loggers forwarded from the workers: the whole suite's
LOGGER = "analysis"


def _log_progress(level: int) -> None:
    """On a worker: let the suite's loggers pass records of `level` to the forwarding handler."""
    logging.getLogger(LOGGER).setLevel(level)


def dask_submitter(
    address: str | None = None, n_workers: int | None = None, log_level: int = logging.INFO
) -> tuple[Callable[..., Any], Callable[[], None]]:
    """`(submit, close)` for running branches on a Dask cluster.

    `submit(fn, *args)` returns a `distributed.Future` (its `.result()` gives
    the task's return value or raises its error); `close()` releases the
    client, and the local cluster when one was started here. The workers'
    `analysis` log records of `log_level` and above come back to this
    process's loggers of the same names.
    """
    # dask is a heavy dependency needed only with --executor dask
    from distributed import Client, LocalCluster
    from distributed.diagnostics.plugin import WorkerPlugin

    class ProgressLogging(WorkerPlugin):  # type: ignore[misc]
        """Every worker, those that join later too, logs the suite's progress."""

        name = "qvsrs-progress-logging"

        def setup(self, worker: Any) -> None:
            _log_progress(log_level)

    cluster = None
    if address:
        client = Client(address, set_as_default=False)
    else:
        # one thread per worker: a branch run drives its own kernels and
        # matplotlib, which are not meant to share a process's threads
        cluster = LocalCluster(n_workers=n_workers, processes=True, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster, set_as_default=False)
    client.register_plugin(ProgressLogging())
    client.forward_logging(LOGGER, level=log_level)

    def submit(fn: Callable[..., Any], *args: Any):
        # pure=False: two runs of the same branch are two different tasks
        return client.submit(fn, *args, pure=False, retries=0)

    def close() -> None:
        client.close()
        if cluster is not None:
            cluster.close()

    return submit, close
