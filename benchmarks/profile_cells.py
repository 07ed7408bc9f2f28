"""Where a branch's time goes: every notebook's code executed in this one
process, with the slowest cells of each (not part of the tests).

    .venv/bin/python benchmarks/profile_cells.py DATA_DIR [NOTEBOOK ...] [--branch meishan]

For a closer look at one call, run it under cProfile or py-spy; this finds
the cell to look at. At the end it prints how much of the time went into
drawing figures (every `plot_*` of `analysis.figures`) and saving them
(`analysis.figures.style.save`).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import io
import os
import pkgutil
import tempfile
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402

import analysis.figures  # noqa: E402
from analysis.data.bank import load  # noqa: E402
from analysis.figures import style  # noqa: E402
from analysis.run import runner  # noqa: E402


def timed_figures() -> dict[str, float]:
    """Seconds spent in figure code from now on, by kind ("draw": every
    `plot_*` of analysis.figures; "save": `style.save`), filled as it runs."""
    spent = {"draw": 0.0, "save": 0.0}

    def timing(fn, kind):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[kind] += time.perf_counter() - t

        return wrapper

    for info in pkgutil.iter_modules(analysis.figures.__path__):
        module = importlib.import_module(f"analysis.figures.{info.name}")
        for name, fn in vars(module).copy().items():
            if name.startswith("plot_") and callable(fn) and getattr(fn, "__module__", None) == module.__name__:
                setattr(module, name, timing(fn, "draw"))
    style.save = timing(style.save, "save")
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data")
    ap.add_argument("notebooks", nargs="*", help="stems such as 05_campaigns (default: all)")
    ap.add_argument("--branch", default="meishan")
    ap.add_argument("--top", type=int, default=6)
    args = ap.parse_args()
    out = tempfile.mkdtemp(prefix="qvsrs-cells-")
    figures = timed_figures()
    t = time.perf_counter()
    bank = load(args.data, args.branch)
    prepared = bank.save(os.path.join(out, "_bank"))
    print(f"load and prepare: {time.perf_counter() - t:.1f} s")
    for nb_path in runner.notebook_paths():
        if args.notebooks and nb_path.stem not in args.notebooks:
            continue
        nb = nbformat.read(nb_path, as_version=4)
        # The notebook's own defaults first (every parameter it declares), then what a run passes.
        ns: dict = {"__name__": "__main__"}
        for cell in nb.cells:
            if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
                exec(compile(cell.source, nb_path.name, "exec"), ns)
        ns |= {
            "bank_path": str(prepared),
            "data_dir": None,
            "branch": args.branch,
            "as_of": None,
            "out_dir": out,
            "lang": "zh",
        }
        cells, started = [], time.perf_counter()
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
                continue
            src = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            t = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(src, nb_path.name, "exec"), ns)
            first = next((line for line in src.splitlines() if line.strip()), "")
            cells.append((time.perf_counter() - t, i, first[:80]))
        plt.close("all")
        print(f"{nb_path.stem}: {time.perf_counter() - started:.1f} s")
        for dt, i, first in sorted(cells, reverse=True)[: args.top]:
            print(f"  {dt:6.2f} s  cell {i:2d}  {first}")
    saved = len(os.listdir(os.path.join(out, "figures"))) if os.path.isdir(os.path.join(out, "figures")) else 0
    print(f"figures: {saved} saved; drawing {figures['draw']:.1f} s, saving {figures['save']:.1f} s")


if __name__ == "__main__":
    main()
