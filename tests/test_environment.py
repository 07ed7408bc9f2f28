"""The suite's pins live in pyproject.toml; environment.yml and constraints.txt
follow from it (scripts/pins.py writes them) and must not drift."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _pins_module():
    spec = importlib.util.spec_from_file_location("qvsrs_pins", REPO / "scripts" / "pins.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pins = _pins_module()


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = set(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted |= set(extra)
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert set(pip) == wanted
    assert "python=3.11" in env["dependencies"]


def test_environment_yml_is_generated():
    """environment.yml is exactly what `make pins` writes from pyproject.toml."""
    assert (REPO / "environment.yml").read_text(encoding="utf-8") == pins.environment_yml()


def test_constraints_agree_with_pins():
    """Every exact pin of pyproject.toml is the version in constraints.txt."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pinned = {}
    for spec in project["dependencies"] + sum(project["optional-dependencies"].values(), []):
        name, version = spec.split("==")
        pinned[name.lower().replace("_", "-")] = version
    constraints = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if "==" in line:
            n, v = line.split("==")
            constraints[n.lower().replace("_", "-")] = v
    mismatched = {n: (v, constraints.get(n)) for n, v in pinned.items() if constraints.get(n) != v}
    assert not mismatched


def test_pins_check_reports_drift(tmp_path):
    """The check names the file to regenerate when a mirror has drifted."""
    assert pins.problems() == []
    env = tmp_path / "environment.yml"
    env.write_text(pins.environment_yml().replace("pandas==", "pandas>="), encoding="utf-8")
    constraints = tmp_path / "constraints.txt"
    constraints.write_text((REPO / "constraints.txt").read_text().replace("pandas==2", "pandas==1"), encoding="utf-8")
    found = pins.problems(environment=env, constraints=constraints)
    assert len(found) == 2
    assert "environment.yml" in found[0] and "make pins" in found[0]
    assert "pandas" in found[1] and "make lock" in found[1]


def test_supported_pythons_agree():
    """pyproject.toml's requires-python is the range the Makefile accepts (3.11–3.13)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    makefile = (REPO / "Makefile").read_text()
    assert "(3, 11) <= sys.version_info[:2] <= (3, 13)" in makefile
