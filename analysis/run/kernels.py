"""Warm kernels for one branch run: each kernel runs several of the run's
notebooks, one after another, with its namespace cleared in between.

A fresh kernel spends about 3.5 s of CPU importing pandas, matplotlib,
statsmodels and the package before the first cell does any work; seven
notebooks a branch made that a quarter of a 50,000-customer run. A kernel
here is started once per notebook slot and reused: before each notebook
every name the previous one defined is deleted (IPython's `reset`, a new
session: execution counts start at 1 again, so a failing cell is reported
with its number in the notebook), its figures are closed and garbage is
collected. Only imported modules stay, which is the point. A kernel lent
for another branch's notebook is moved into that branch's staging folder
(`cwd`), as a fresh kernel starts there; after `max_uses` notebooks it is
shut down and a fresh one takes its place, so that what a long-lived kernel
accumulates (a fragmented heap, caches) stays bounded over a province.

    with KernelPool("qvsrs-analysis") as pool:
        with pool.kernel(cwd=staging) as km:
            papermill.execute_notebook(..., engine_name=WARM_ENGINE, km=km)
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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

    `kernel(cwd)` lends one, working in folder `cwd` (a fresh kernel is
    started there by nbclient from the notebook's `resources` path); a
    kernel whose notebook failed or died, or that has run `max_uses`
    notebooks (None: no limit), is shut down rather than lent again.
    `close()` shuts every kernel down. Safe to use from several threads.
    """

    def __init__(self, kernel_name: str, max_uses: int | None = None) -> None:
        self.kernel_name = kernel_name
        self.max_uses = max_uses
        self._idle: queue.SimpleQueue[AsyncKernelManager] = queue.SimpleQueue()
        self._all: list[AsyncKernelManager] = []
        self._uses: dict[int, int] = {}  # id(kernel manager) → notebooks it has been lent for

    @contextmanager
    def kernel(self, cwd: str | Path | None = None) -> Iterator[AsyncKernelManager]:
        try:
            km = self._idle.get_nowait()
        except queue.Empty:
            # Not started here: nbclient starts it in the notebook's own event loop.
            km = AsyncKernelManager(kernel_name=self.kernel_name)
            self._all.append(km)
        else:
            try:
                reset(km, cwd)
            except BaseException:
                self._retire(km)
                raise
        self._uses[id(km)] = self._uses.get(id(km), 0) + 1
        try:
            yield km
        except BaseException:
            self._retire(km)
            raise
        if self.max_uses is not None and self._uses[id(km)] >= self.max_uses:
            self._retire(km)
        else:
            self._idle.put(km)

    def _retire(self, km: AsyncKernelManager) -> None:
        _shutdown(km)
        self._uses.pop(id(km), None)
        if km in self._all:
            self._all.remove(km)

    def close(self) -> None:
        for km in list(self._all):
            _shutdown(km)
        self._all.clear()
        self._uses.clear()

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reset(km: AsyncKernelManager, cwd: str | Path | None = None, timeout: float = 60) -> None:
    """Clear a kernel's namespace and figures, and move it into folder `cwd`
    when given; `KernelReset` when it does not answer."""
    code = RESET
    if cwd is not None:
        # the kernel's own working directory (its process, not this one)
        code += f"import os as _os\n_os.chdir({str(cwd)!r})\ndel _os\n"
    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        reply = kc.execute_interactive(code, store_history=False, timeout=timeout, output_hook=lambda msg: None)
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
