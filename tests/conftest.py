"""Shared fixtures: the contract's conformance bank and a small sample bank."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CONFORMANCE = SHARED / "contract" / "conformance"


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
def sample_dir(tmp_path_factory) -> Path:
    """A small sample bank (2 branches), generated once per test session."""
    from analysis.sample import generate

    out = tmp_path_factory.mktemp("sample") / "bank"
    generate(out, branches=2, customers=1500, seed=7)
    return out
