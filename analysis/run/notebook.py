"""What every notebook calls: its first cell, its prose and its figures.

    setup(lang)
    bank = open_bank(bank_path, data_dir, branch, as_of, assumptions)   # assumptions: a mapping or None
    say(describe_churn(section, lang))          # sentences as one Markdown block
    show(fig, out_dir, "churn_drivers", caption) # source line under it, saved as PNG, shown once

In a run, the runner has loaded and validated the branch once and passes
`bank_path` (a prepared bank folder); in a consultant's own session the same
call loads `data_dir` directly: by default the folder named by the
environment variable QVSRS_DATA_DIR, else the sample bank (data/sample). The
notebook tests (nbval runs the notebooks as they are, parameters cell
included) point QVSRS_DATA_DIR at a small bank they generate. The notebook
parameter `assumptions` (a mapping of `Assumptions` fields, None: the
contract's) becomes `bank.assumptions`, which every `analyze(bank)` uses.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from IPython.display import Markdown, display

from analysis.assumptions import Assumptions
from analysis.data.bank import SAMPLE_DIR, Bank, load
from analysis.figures import style

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: the environment variable naming the default data folder of `open_bank`
DATA_DIR_VARIABLE = "QVSRS_DATA_DIR"
__all__ = ["SAMPLE_DIR", "open_bank", "say", "setup", "show"]


def open_bank(
    bank_path: str | None = None,
    data_dir: str | None = None,
    branch: str = "meishan",
    as_of: str | None = None,
    assumptions: Assumptions | Mapping[str, Any] | None = None,
) -> Bank:
    """The branch's validated bank: prepared by the runner, or loaded afresh;
    under `assumptions` when given (else the prepared bank's, or the contract's)."""
    if bank_path:
        bank = Bank.open(bank_path)
        return bank.with_assumptions(assumptions) if assumptions is not None else bank
    return load(
        data_dir or os.environ.get(DATA_DIR_VARIABLE) or SAMPLE_DIR, branch=branch, as_of=as_of, assumptions=assumptions
    )


def setup(lang: str = "zh") -> None:
    """The house style for figures (set once per kernel: every notebook of a
    run uses the same one). Tables are formatted by their own styling, never
    by pandas' process-wide display options."""
    style.use_style(lang)


def say(lines: Iterable[str]) -> None:
    """Sentences (light Markdown) shown as one block under the cell."""
    text = "\n\n".join(line for line in lines if line)
    if text:
        display(Markdown(text))


def show(fig, out_dir: str | Path | None, name: str, caption: str | None = None) -> Path | None:
    """A figure with its source line under it, saved into the run's figures/
    folder (when `out_dir` is given) and shown once; returns the PNG path."""
    if caption:
        style.caption(fig, caption)
    return style.save(fig, out_dir, name)
