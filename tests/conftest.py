"""Shared fixtures, built once per test session (once per xdist worker):
the contract's conformance bank (good and lean), the sample banks of the
suite's generator (loaded), and helpers to run and check the notebooks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CONFORMANCE = SHARED / "contract" / "conformance"
NOTEBOOKS = REPO / "notebooks"
#: Debian's chromium, which the browser tests drive (README: "Browser tests")
CHROMIUM = Path("/usr/bin/chromium")
#: set by .ci/run: there a test that cannot run fails instead of skipping
IN_CI = os.environ.get("QVSRS_CI") == "1"
#: fixtures that execute notebooks in a kernel: tests using them are marked `notebook`
NOTEBOOK_FIXTURES = {"run_notebook", "good_notebooks", "failing_notebooks"}
#: The papermill parameters cell every notebook starts with (house rules).
NOTEBOOK_PARAMETERS = [
    "from typing import Optional",
    "",
    "bank_path: Optional[str] = None  # a prepared bank folder (the runner's); None: load data_dir afresh",
    "data_dir: Optional[str] = None  # the data folder; None: the sample bank (data/sample)",
    'branch: str = "meishan"  # branch_id to analyse',
    "as_of: Optional[str] = None  # month M as YYYY-MM; None: the last month of the snapshots",
    "out_dir: Optional[str] = None  # the run folder for results, figures and tables; None: only shown here",
    'lang: str = "zh"  # language of words, tables and figures: zh or en',
    'assumptions: Optional[dict] = None  # analysis.Assumptions fields, e.g. {"unresolved_days": 14, "window_months": '
    "6}",
]


def pytest_collection_modifyitems(config, items):
    """A test that executes notebooks is a `notebook` test (make test-fast leaves them out)."""
    for item in items:
        if NOTEBOOK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.notebook)


def pytest_runtest_setup(item):
    """Browser tests skip, saying why, where chromium is missing; in CI (QVSRS_CI=1) they fail."""
    if item.get_closest_marker("browser") and not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"chromium not found at {CHROMIUM}; CI runs the browser tests (.ci/run installs it)", False)
        pytest.skip(f"chromium not found at {CHROMIUM}: `sudo apt-get install chromium` to run the browser tests")


@pytest.fixture(scope="session")
def conformance_dir() -> Path:
    if not CONFORMANCE.is_dir():
        pytest.fail(f"conformance fixture not found at {CONFORMANCE} (the repository sits beside shared/)")
    return CONFORMANCE


@pytest.fixture(scope="session")
def expected(conformance_dir) -> dict:
    return json.loads((conformance_dir / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def expected_lean(conformance_dir) -> dict:
    return json.loads((conformance_dir / "expected_lean.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def bank_a(conformance_dir):
    import analysis

    return analysis.load(conformance_dir / "good", branch="fixture-a")


@pytest.fixture(scope="session")
def bank_b(conformance_dir):
    import analysis

    return analysis.load(conformance_dir / "good", branch="fixture-b")


@pytest.fixture(scope="session")
def good_banks(bank_a, bank_b) -> dict:
    """The conformance bank with every table, per branch (do not modify)."""
    return {"fixture-a": bank_a, "fixture-b": bank_b}


@pytest.fixture(scope="session")
def lean_banks(conformance_dir) -> dict:
    """The conformance bank with only the required tables, per branch (do not modify)."""
    import analysis

    return {b: analysis.load(conformance_dir / "lean", branch=b) for b in ("fixture-a", "fixture-b")}


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """A small sample bank (2 branches × 1,500 customers, seed 7), generated once per test session."""
    from analysis.sample.generate import generate

    out = tmp_path_factory.mktemp("sample") / "bank"
    generate(out, branches=2, customers=1500, seed=7)
    return out


@pytest.fixture(scope="session")
def sample_banks(sample_dir) -> dict:
    """The branches of `sample_dir`, loaded: branch id → Bank (do not modify)."""
    import analysis
    from analysis.data.bank import branch_ids

    return {b: analysis.load(sample_dir, branch=b) for b in branch_ids(sample_dir)}


@pytest.fixture(scope="session")
def sample_dir_3000(tmp_path_factory) -> Path:
    """The sample bank at the suite's default size (2 branches × 3,000 customers,
    seed 0), for the tests that need that many customers; generated once per session."""
    from analysis.sample.generate import generate

    out = tmp_path_factory.mktemp("sample3000") / "bank"
    generate(out, branches=2, customers=3000, seed=0)
    return out


@pytest.fixture(scope="session")
def run_notebook():
    """`run(name, tmp_path, **parameters)`: execute notebooks/<name>.ipynb with
    papermill (the project's kernel, as the runner) and return the executed
    notebook, also written to tmp_path/<name>.ipynb."""
    import papermill as pm

    from analysis.run.runner import ensure_kernel

    kernel = ensure_kernel()

    def run(name: str, tmp_path: Path, **parameters):
        nb = pm.execute_notebook(
            str(NOTEBOOKS / f"{name}.ipynb"),
            str(tmp_path / f"{name}.ipynb"),
            parameters=parameters,
            kernel_name=kernel,
            progress_bar=False,
            resources={"metadata": {"path": str(NOTEBOOKS)}},  # the kernel's cwd; never chdir the test process
        )
        # A reader of the executed notebook never sees the font falling back.
        streams = [
            o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "stream"
        ]
        assert not [t for t in streams if "findfont" in t], f"{name}: matplotlib font fallback in the outputs"
        return nb

    return run


@pytest.fixture(scope="session")
def committed_clean():
    """`check(name)`: notebooks/<name>.ipynb is committed without outputs, with
    the house parameters cell (tagged `parameters`, typed and commented) and the project's kernel."""
    import nbformat

    def check(name: str) -> None:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.outputs == [] and c.execution_count is None for c in code)
        assert "parameters" in code[0].metadata.get("tags", [])
        assert code[0].source.split("\n") == NOTEBOOK_PARAMETERS
        assert nb.metadata["kernelspec"]["name"] == "qvsrs-analysis"

    return check
