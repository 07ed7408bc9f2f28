"""Python 3.11–3.13 (pyproject.toml's requires-python).

The whole suite runs on the interpreter of `.venv` (3.11 here and in CI).
For each other supported version found on this machine, the package must
byte-compile (syntax and the standard library's grammar of that version)
and the base modules that need only the standard library must import and
work. A version that is not installed is skipped, saying so; a fresh
virtualenv per version would take minutes and is left to a release check.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SUPPORTED = ("3.11", "3.12", "3.13")
#: modules that import only the standard library (and each other)
PURE = ("analysis.errors", "analysis.assumptions", "analysis.words.lang", "analysis.words.format")
SMOKE = (
    "from analysis.assumptions import Assumptions\n"
    "from analysis.words import format as f\n"
    "from analysis.words.lang import pick\n"
    "from analysis.errors import UsageError\n"
    "assert Assumptions().replace(alpha=0.1).changed() == {'alpha': (0.05, 0.1)}\n"
    "assert pick('en', '是', 'yes') == 'yes'\n"
    "assert f.num(1234.5, 1) == '1,234.5'\n"
)


def interpreter(version: str) -> str | None:
    """A working `pythonX.Y`: on PATH, else under pyenv's versions (whose shims answer only
    for the versions pyenv has enabled)."""
    candidates = [shutil.which(f"python{version}")]
    root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates += sorted(glob.glob(f"{root}/versions/{version}.*/bin/python{version}"), reverse=True)
    for exe in filter(None, candidates):
        got = subprocess.run(
            [exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True
        )
        if got.returncode == 0 and got.stdout.strip() == version:
            return exe
    return None


@pytest.mark.slow
@pytest.mark.parametrize("version", SUPPORTED)
def test_the_package_compiles_and_its_base_runs(version, tmp_path):
    exe = interpreter(version)
    if exe is None:
        pytest.skip(f"python{version} is not installed here")
    # byte-code goes to tmp_path, not beside the sources
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path), "PYTHONPATH": str(REPO), "PYTHONNOUSERSITE": "1"}
    compiled = subprocess.run(
        [exe, "-m", "compileall", "-q", str(REPO / "analysis")], env=env, capture_output=True, text=True
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    # -I would drop PYTHONPATH; -s keeps that interpreter's user site out; its own site-packages stay, so
    # importing works only if these modules need nothing beyond the standard library
    code = "import sys\n" + "".join(f"import {m}\n" for m in PURE) + SMOKE
    code += "assert 'analysis.data' not in sys.modules and 'pandas' not in sys.modules\n"
    ran = subprocess.run([exe, "-s", "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
