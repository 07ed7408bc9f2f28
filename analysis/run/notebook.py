"""What the first cells of every notebook call.

    bank = open_bank(bank_path, data_dir, branch, as_of)

In a run, the runner has loaded and validated the branch once and passes
`bank_path` (a prepared bank folder); in a consultant's own session the same
call loads `data_dir` (by default the sample bank) directly.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.bank import Bank, load
from analysis.figures.style import use_style

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"


def open_bank(
    bank_path: str | None = None,
    data_dir: str | None = None,
    branch: str = "meishan",
    as_of: str | None = None,
) -> Bank:
    """The branch's validated bank: prepared by the runner, or loaded afresh."""
    if bank_path:
        return Bank.open(bank_path)
    return load(data_dir or SAMPLE_DIR, branch=branch, as_of=as_of)


def setup(lang: str = "zh") -> None:
    """House style for figures and readable tables in the notebook."""
    use_style(lang)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 160)
    pd.set_option("display.float_format", lambda v: f"{v:,.3f}")
