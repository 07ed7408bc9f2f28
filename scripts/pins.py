"""The suite's pins: one source, two mirrors.

`pyproject.toml` (`[project] dependencies` and the extras) holds the exact pin
of every package the suite names. Two files follow from it and are never
edited by hand:

- `environment.yml`, the conda environment: written from pyproject.toml by
  `python scripts/pins.py write` (`make pins`);
- `constraints.txt`, the whole installed tree (every transitive package at an
  exact version, what `make` installs with `pip -c`): written by
  `python scripts/pins.py lock` (`make lock`), which installs the project
  with its pins into a throwaway virtualenv and records `pip freeze`.

`python scripts/pins.py check` (and tests/test_environment.py) fails when a
mirror has drifted: environment.yml is not what `write` would give, or a pin
of pyproject.toml is missing from constraints.txt or has another version.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = REPO / "pyproject.toml"
ENVIRONMENT = REPO / "environment.yml"
CONSTRAINTS = REPO / "constraints.txt"
#: the interpreter of the conda environment: the oldest supported, which the suite is tested on
CONDA_PYTHON = "3.11"


def normalize(name: str) -> str:
    """A distribution's name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(pyproject: Path = PYPROJECT) -> list[str]:
    """Every requirement of pyproject.toml, dependencies first, then each extra in order."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    out = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        out += [r for r in extra if r not in out]
    return out


def pinned_versions(requirements: list[str]) -> dict[str, str]:
    """name → version of `name==version` requirements; anything else is an error (pins are exact)."""
    out = {}
    for req in requirements:
        name, sep, version = req.partition("==")
        if not sep or not version or any(c in version for c in "<>=!~,; "):
            raise ValueError(f"not an exact pin: {req!r} (pyproject.toml pins every package with ==)")
        out[normalize(name)] = version
    return out


def environment_yml(pyproject: Path = PYPROJECT) -> str:
    """The text of environment.yml for these pins."""
    lines = [
        "# Conda environment: GENERATED from pyproject.toml by `python scripts/pins.py write` (make pins);",
        "# do not edit, tests/test_environment.py checks it.",
        "# conda env create -f environment.yml && conda activate qvsrs && pip install -e . --no-deps",
        "name: qvsrs",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={CONDA_PYTHON}",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {req}" for req in pins(pyproject)]
    return "\n".join(lines) + "\n"


def constraint_versions(constraints: Path = CONSTRAINTS) -> dict[str, str]:
    out = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            out[normalize(name)] = version.strip()
    return out


def problems(
    pyproject: Path = PYPROJECT, environment: Path = ENVIRONMENT, constraints: Path = CONSTRAINTS
) -> list[str]:
    """What is out of step between pyproject.toml and its two mirrors (empty when all agree)."""
    out = []
    if not environment.is_file() or environment.read_text(encoding="utf-8") != environment_yml(pyproject):
        out.append(f"{environment.name} is not what pyproject.toml gives: run `make pins`")
    locked = constraint_versions(constraints)
    for name, version in pinned_versions(pins(pyproject)).items():
        if locked.get(name) != version:
            found = locked.get(name, "missing")
            out.append(f"{constraints.name}: {name} is {found}, pyproject.toml pins {version}: run `make lock`")
    return out


def lock(python: str = sys.executable) -> None:
    """Resolve the project's pins afresh in a throwaway virtualenv and write its tree to constraints.txt."""
    extras = ",".join(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"].get("optional-dependencies", {}))
    with tempfile.TemporaryDirectory(prefix="qvsrs-lock-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--quiet", f"{REPO}[{extras}]"], check=True)
        frozen = subprocess.run([*pip, "freeze", "--exclude-editable"], check=True, capture_output=True, text=True)
    tree = [line for line in frozen.stdout.splitlines() if "==" in line and not line.startswith("qvsrs-analysis==")]
    CONSTRAINTS.write_text("\n".join(tree) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("check", "write", "lock"))
    args = parser.parse_args(argv)
    if args.command == "write":
        ENVIRONMENT.write_text(environment_yml(), encoding="utf-8")
    elif args.command == "lock":
        lock()
    found = problems()
    for p in found:
        print(p, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
