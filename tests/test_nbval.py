"""nbval over the notebooks, beside the papermill tests: every notebook runs as
it is committed — its parameters cell's defaults included — from the project
root, on a small sample bank named by QVSRS_DATA_DIR (read by
`analysis.run.notebook.open_bank` when `data_dir` is None).

`--nbval-lax`: only that every cell runs without error, not that outputs match
(the notebooks are committed without outputs; their numbers are checked by
each question's tests and the papermill runs)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.run.notebook import DATA_DIR_VARIABLE
from analysis.sample.generate import generate

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.notebook
@pytest.mark.slow
def test_every_notebook_runs_as_committed_on_a_small_bank(tmp_path):
    if importlib.util.find_spec("nbval") is None:
        pytest.skip("nbval is not installed (the `test` extra)")
    generate(tmp_path / "bank", branches=1, customers=1500, seed=7)
    env = {**os.environ, DATA_DIR_VARIABLE: str(tmp_path / "bank"), "PYTHONPATH": str(REPO)}
    got = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "-n", "0"]
        # the research notebooks 00–06; recipes.ipynb has its own test
        + ["--nbval-lax", "--nbval-current-env"]
        + sorted(str(p.relative_to(REPO)) for p in (REPO / "notebooks").glob("0*.ipynb")),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert got.returncode == 0, got.stdout[-6000:] + got.stderr[-2000:]
    assert " passed" in got.stdout and "failed" not in got.stdout


def test_open_bank_reads_the_data_folder_from_the_environment(tmp_path, monkeypatch):
    from analysis.run import notebook

    seen = {}
    monkeypatch.setattr(
        notebook, "load", lambda folder, branch, as_of, assumptions=None: seen.setdefault("folder", folder)
    )
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path))
    notebook.open_bank()
    assert seen.pop("folder") == str(tmp_path)
    notebook.open_bank(data_dir="elsewhere")  # an explicit data_dir wins
    assert seen.pop("folder") == "elsewhere"
    monkeypatch.delenv(DATA_DIR_VARIABLE)
    notebook.open_bank()
    assert seen.pop("folder") == notebook.SAMPLE_DIR
