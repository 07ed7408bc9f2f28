"""The house holds (DESIGN.md "The house", issue 15): imports point only
downward (the import contract of pyproject.toml, checked with import-linter),
no cycles, no module over 700 lines, no function-local imports but those of
heavy optional dependencies, and `import analysis` stays light.

Where today's code still breaks a rule while its owners split it, that
module's test is an expected failure (xfail, not strict: it passes as soon
as the module is fixed, and the mark is then removed); a module not listed
fails at once.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "analysis"
MODULES = sorted(p.relative_to(REPO).as_posix() for p in PACKAGE.rglob("*.py"))
CONTRACT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]

SPLITTING = "split by job in issue 15 (questions, words, figures); remove from this list when it lands"

# --------------------------------------------------------------------------
# the import contract


def lint_imports(root: Path, config: Path) -> subprocess.CompletedProcess[str]:
    """import-linter's `lint-imports` on the `analysis` package found in `root`."""
    if importlib.util.find_spec("importlinter") is None:
        message = "import-linter is not installed (the `test` extra: make test installs it)"
        if os.environ.get("QVSRS_CI") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-c", code, "--config", str(config), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_contract_names_the_layers_of_the_house():
    """pyproject.toml's layers are DESIGN.md's, top to bottom, and every subpackage has its place."""
    (layers,) = [c for c in CONTRACT["contracts"] if c["type"] == "layers"]
    assert layers["containers"] == ["analysis"] and layers["exhaustive"] is True
    assert layers["layers"] == [
        "__main__",
        "run | sample",  # sample beside run: independent of each other
        "report",
        "figures",
        "words",
        "questions",
        "data | stats",  # independent of each other
        "errors : assumptions : sections",  # the base
    ]
    assert CONTRACT["exclude_type_checking_imports"] is True
    assert {c["type"] for c in CONTRACT["contracts"]} == {"layers", "forbidden", "acyclic_siblings"}
    # Python modules and packages only: analysis/schema/ holds the JSON Schema, no code.
    children = {
        p.stem if p.is_file() else p.name
        for p in PACKAGE.iterdir()
        if p.suffix == ".py" or (p / "__init__.py").exists()
    }
    children -= {"__init__", "__pycache__"}
    named = {m.strip() for layer in layers["layers"] for m in layer.replace("|", ":").split(":")}
    assert children == named


@pytest.fixture(scope="module")
def skeleton(tmp_path_factory) -> Path:
    """The package's modules, every one empty, beside a copy of pyproject.toml."""
    root = tmp_path_factory.mktemp("skeleton")
    for module in MODULES:
        (root / module).parent.mkdir(parents=True, exist_ok=True)
        (root / module).write_text("", encoding="utf-8")
    (root / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return root


def _add(root: Path, module: str, line: str) -> None:
    path = root / module
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def test_the_contract_keeps_a_house_without_imports(skeleton):
    got = lint_imports(skeleton, skeleton / "pyproject.toml")
    assert got.returncode == 0, got.stdout + got.stderr


@pytest.mark.parametrize(
    "module, line, says",
    [
        (
            "analysis/questions/churn.py",
            "from analysis.figures import style",
            "analysis.questions is not allowed to import analysis.figures",
        ),
        ("analysis/stats/did.py", "import analysis.data.bank", "analysis.stats is not allowed to import analysis.data"),
        (
            "analysis/errors.py",
            "from analysis.data import bank",
            "analysis.errors is not allowed to import analysis.data",
        ),
        (
            "analysis/run/runner.py",
            "import analysis.sample.generate",
            "analysis.run is not allowed to import analysis.sample",
        ),
        ("analysis/sample/generate.py", "import analysis.words.format", "analysis.sample is not allowed to import"),
        ("analysis/words/format.py", "import matplotlib.pyplot", "analysis.words is not allowed to import matplotlib"),
        ("analysis/data/features.py", "from analysis.data.bank import Bank", "No cycles are allowed in analysis.data"),
    ],
    ids=["upward", "stats-data", "base-data", "run-sample", "sample-words", "words-matplotlib", "cycle"],
)
def test_the_contract_catches_a_wrong_way_import(skeleton, tmp_path, module, line, says):
    """One wrong import added to the empty house breaks the contract, and the message says where."""
    root = tmp_path / "house"
    shutil.copytree(skeleton, root)
    if "cycle" in says:
        _add(root, "analysis/data/bank.py", "from analysis.data import features")
    _add(root, module, line)
    got = lint_imports(root, root / "pyproject.toml")
    assert got.returncode == 1, got.stdout + got.stderr
    assert says in got.stdout


def test_a_type_hint_import_is_no_dependency(skeleton, tmp_path):
    """`if TYPE_CHECKING:` imports are left out (exclude_type_checking_imports): bank ↔ features is no cycle."""
    root = tmp_path / "house"
    shutil.copytree(skeleton, root)
    _add(root, "analysis/data/bank.py", "from analysis.data import features")
    _add(
        root,
        "analysis/data/features.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import analysis.data.bank",
    )
    got = lint_imports(root, root / "pyproject.toml")
    assert got.returncode == 0, got.stdout + got.stderr


def test_the_package_keeps_the_import_contract():
    got = lint_imports(REPO, REPO / "pyproject.toml")
    assert got.returncode == 0, got.stdout[-6000:] + got.stderr[-2000:]


# --------------------------------------------------------------------------
# module size

MAX_LINES = 700
#: modules over MAX_LINES today, and who splits them
LONG_TODAY: dict[str, str] = {}


def _known(known: dict[str, str], what: str) -> list:
    return [
        pytest.param(m, marks=pytest.mark.xfail(strict=False, reason=f"{what} today: {known[m]}")) if m in known else m
        for m in MODULES
    ]


@pytest.mark.parametrize("module", _known(LONG_TODAY, f"over {MAX_LINES} lines"))
def test_no_module_over_700_lines(module):
    lines = len((REPO / module).read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by job (DESIGN.md)"


def test_the_lists_of_known_offenders_name_real_modules():
    assert set(LONG_TODAY) <= set(MODULES)
    assert set(LOCAL_IMPORTS_TODAY) <= set(MODULES)
    assert set(OPTIONAL_HERE) <= set(MODULES)


# --------------------------------------------------------------------------
# function-local imports

#: heavy optional dependencies, imported where a cold path needs them (BRIEF: "No function-local
#: imports except for optional heavy dependencies")
HEAVY_OPTIONAL = {
    "lifelines",  # survival fits
    "duckdb",  # SQL over large tables
    "statsmodels",  # in cold paths
    "papermill",  # executing notebooks
    "pptx",  # the deck
    "playwright",  # the browser tests
    "distributed",  # --executor dask only
    "dask",
    "pandera",  # validate.table_schema: the tests' independent check, not on the run path
}
#: modules allowed one more function-local import, and why
OPTIONAL_HERE = {
    # the base imports only the standard library (tests/test_pythons.py imports it bare); YAML is optional input
    "analysis/assumptions.py": {"yaml"},
    # a saved figure is shown only inside a Jupyter kernel; a report built outside one never imports IPython
    "analysis/figures/style.py": {"IPython"},
    # subsetting the CJK font for the briefing (0.7 s to import), only when a briefing embeds it
    "analysis/report/fonts.py": {"fontTools"},
}
#: the one module allowed to import its own package inside a function: the command line
#: imports the layer a subcommand needs when it runs, so that `--help` answers at once
LAZY_PACKAGE_IMPORTS = {"analysis/__main__.py"}
#: modules with other function-local imports today, and who removes them
LOCAL_IMPORTS_TODAY = {}


def local_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import inside a function, but those HEAVY_OPTIONAL allows."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = ["." * node.level + (node.module or "")]
            else:
                continue
            found += [(node.lineno, n) for n in names if n.split(".")[0] not in HEAVY_OPTIONAL]
    return sorted(set(found))


@pytest.mark.parametrize("module", _known(LOCAL_IMPORTS_TODAY, "function-local imports"))
def test_no_function_local_imports(module):
    found = local_imports(REPO / module)
    if module in LAZY_PACKAGE_IMPORTS:
        found = [(line, name) for line, name in found if name.split(".")[0] != "analysis"]
    found = [(line, name) for line, name in found if name.split(".")[0] not in OPTIONAL_HERE.get(module, set())]
    assert not found, f"{module}: import at module level (or add a heavy optional dependency): {found}"


def test_the_local_import_check_finds_one(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import os\n\ndef f():\n    import duckdb\n    from analysis.data import bank\n", encoding="utf-8")
    assert local_imports(probe) == [(5, "analysis.data")]  # duckdb is a heavy optional dependency


# --------------------------------------------------------------------------
# a light `import analysis`


def test_import_analysis_imports_no_heavy_package():
    """`import analysis` leaves pandas, numpy, duckdb, pandera and matplotlib unimported;
    its names still arrive on first use."""
    code = (
        "import sys, analysis\n"
        "heavy = [m for m in ('pandas', 'numpy', 'duckdb', 'pandera', 'matplotlib', 'pyarrow') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert {'load', 'Bank', 'Assumptions', 'Timeframe', 'DataError', 'UsageError'} <= set(dir(analysis))\n"
        "from analysis import UsageError, Assumptions\n"
        "assert 'pandas' not in sys.modules\n"
        "assert analysis.load.__module__ == 'analysis.data.bank'\n"
    )
    got = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )
    assert got.returncode == 0, got.stderr


def test_unknown_names_are_attribute_errors():
    import analysis

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        analysis.nope  # noqa: B018
    assert sorted(analysis.__all__) == sorted(analysis._EXPORTS)


# --------------------------------------------------------------------------
# the top level shows the product


def test_data_and_reports_are_in_every_clone_but_their_contents_are_not():
    for folder in ("data", "reports"):
        assert (REPO / folder / "README.md").is_file()
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    probe = ["data/README.md", "reports/README.md", "data/sample/customers.csv", "data/bank-2026-06/x.csv"]
    probe += ["reports/index.html", "reports/meishan/results.json"]
    got = subprocess.run(["git", "check-ignore", "--no-index", *probe], cwd=REPO, capture_output=True, text=True)
    assert got.stdout.split() == probe[2:]


# --------------------------------------------------------------------------
# tests mirror the package

#: tests that span layers, kept at the top of tests/
ACROSS_LAYERS = {
    "test_architecture.py",
    "test_degenerate.py",
    "test_environment.py",
    "test_nbval.py",
    "test_pythons.py",
    "test_workbench.py",
}


def test_tests_mirror_the_package():
    """tests/<layer>/ for each subpackage of analysis/, no folder of tests without its
    layer, and at the top only the tests that span layers."""
    layers = {p.name for p in (REPO / "analysis").iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    folders = {p.name for p in (REPO / "tests").iterdir() if p.is_dir() and any(p.glob("test_*.py"))}
    assert folders == layers, f"tests/ folders {sorted(folders)} against layers {sorted(layers)}"
    top = {p.name for p in (REPO / "tests").glob("test_*.py")}
    assert top == ACROSS_LAYERS, f"tests at the top that belong to a layer: {sorted(top - ACROSS_LAYERS)}"
