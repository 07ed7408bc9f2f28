"""environment.yml mirrors pyproject.toml: the same packages at the same pins."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = set(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted |= set(extra)
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert set(pip) == wanted
    assert "python=3.11" in env["dependencies"]


def test_constraints_agree_with_pins():
    """Every exact pin of pyproject.toml is the version in constraints.txt."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pins = {}
    for spec in project["dependencies"] + sum(project["optional-dependencies"].values(), []):
        name, version = spec.split("==")
        pins[name.lower().replace("_", "-")] = version
    constraints = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if "==" in line:
            n, v = line.split("==")
            constraints[n.lower().replace("_", "-")] = v
    mismatched = {n: (v, constraints.get(n)) for n, v in pins.items() if constraints.get(n) != v}
    assert not mismatched
