"""Warm kernels for one branch run: each kernel runs several of the run's
notebooks, one after another, with its namespace cleared in between.

A fresh kernel spends about 3.5 s of CPU importing pandas, matplotlib,
statsmodels and the package before the first cell does any work; seven
notebooks a branch made that a quarter of a 50,000-customer run. A kernel
here is started once per notebook slot and reused: before each notebook
every name the previous one defined is deleted (IPython's `reset`, a new
session: execution counts start at 1 again, so a failing cell is reported
with its number in the notebook), its figures are closed and garbage is
collected. Only imported modules stay, which is the point.

    with KernelPool("qvsrs-analysis") as pool:
        with pool.kernel() as km:
            papermill.execute_notebook(..., engine_name=WARM_ENGINE, km=km)
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager

from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

WARM_ENGINE = "qvsrs-warm"

# Run in the kernel before each notebook after the first.
RESET = """\
get_ipython().reset(new_session=True)
import gc as _gc, matplotlib.pyplot as _plt
_plt.close("all")
_gc.collect()
del _gc, _plt
"""


class KernelReset(RuntimeError):
    """A warm kernel could not be cleared for the next notebook."""


class KernelPool:
    """Kernels of one kernelspec, started when first needed and kept for reuse.

    `kernel()` lends one; a kernel whose notebook failed or died is shut
    down rather than lent again. `close()` shuts every kernel down.
    """

    def __init__(self, kernel_name: str) -> None:
        self.kernel_name = kernel_name
        self._idle: queue.SimpleQueue[AsyncKernelManager] = queue.SimpleQueue()
        self._all: list[AsyncKernelManager] = []

    @contextmanager
    def kernel(self) -> Iterator[AsyncKernelManager]:
        try:
            km = self._idle.get_nowait()
        except queue.Empty:
            # Not started here: nbclient starts it in the notebook's own event loop.
            km = AsyncKernelManager(kernel_name=self.kernel_name)
            self._all.append(km)
        else:
            reset(km)
        try:
            yield km
        except BaseException:
            _shutdown(km)
            raise
        self._idle.put(km)

    def close(self) -> None:
        for km in self._all:
            _shutdown(km)
        self._all.clear()

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reset(km: AsyncKernelManager, timeout: float = 60) -> None:
    """Clear a kernel's namespace and figures; `KernelReset` when it does not answer."""
    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        reply = kc.execute_interactive(RESET, store_history=False, timeout=timeout, output_hook=lambda msg: None)
    except (RuntimeError, TimeoutError) as exc:
        raise KernelReset(f"the kernel did not answer ({exc})") from exc
    finally:
        kc.stop_channels()
    if reply["content"]["status"] != "ok":
        raise KernelReset(f"the kernel could not be cleared: {reply['content'].get('evalue', '')}")


def _shutdown(km: AsyncKernelManager) -> None:
    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # already dead: nothing to stop
        pass


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine on a lent kernel (`km=`), which it leaves
    running; its client's channels are closed after the notebook."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client = PapermillNotebookClient(nb_man, **final_kwargs)
        try:
            return client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()
                client.kc = None


papermill_engines.register(WARM_ENGINE, WarmKernelEngine)
