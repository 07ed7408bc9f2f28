"""RESULTS.md as a JSON Schema: the schema itself, what it accepts and refuses,
and that a real run's results.json conforms and carries the schema beside it."""

from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from analysis.run import results


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(results.schema())


def _minimal() -> dict:
    return {
        "schema_version": 2,
        "branch_id": "meishan",
        "as_of": "2026-09-30",
        "generated_at": "2026-12-02T10:00:00+08:00",
        "data_fingerprint": "sha256:0123456789abcdef",
        "customers": 10,
        "active_customers": 8,
        "value": {
            "status": "ok",
            "top20_revenue_share": 0.8,
            "bottom30_revenue_share": -0.01,
            "unprofitable_share": 0.1,
        },
        "satisfaction": {"status": "skipped", "reason": "no surveys table"},
        "campaigns": {
            "status": "ok",
            "C1": {
                "design": "randomized",
                "n_treatment": 100,
                "n_control": 20,
                "balance_effect": {"estimate": 1.0, "ci_low": -1.0, "ci_high": 3.0, "p_value": 0.4},
                "business_roi": 2.5,
                "profit_12m": {"estimate": 10.0, "ci_low": -10.0, "ci_high": 30.0},
                "profit_roi": -0.5,
                "verdict": "test",
            },
        },
        "economics": {
            "status": "ok",
            "customers": 10,
            "funds_margin": {"estimate": 0.012, "ci_low": 0.01, "ci_high": 0.014, "p_value": 0.0},
            "loan_margin": {"estimate": 0.03, "ci_low": 0.02, "ci_high": 0.04, "p_value": 0.0},
        },
    }


def test_a_conforming_minimal_results_passes():
    assert results.schema_problems(_minimal()) == []


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda r: r.update(schema_version=1), "schema_version"),
        (lambda r: r["value"].pop("unprofitable_share"), "value"),
        (lambda r: r["satisfaction"].pop("reason"), "satisfaction"),
        (lambda r: r["campaigns"]["C1"].update(roi=2.5), "campaigns.C1"),  # schema 1's name for business_roi
        (lambda r: r["campaigns"]["C1"].update(verdict="scale"), "campaigns.C1.verdict"),
        (lambda r: r["economics"]["funds_margin"].pop("ci_low"), "economics"),
        (lambda r: r.update(customers=-1), "customers"),
    ],
)
def test_departures_from_the_contract_are_named_by_their_path(change, where):
    r = copy.deepcopy(_minimal())
    change(r)
    problems = results.schema_problems(r)
    assert problems and any(p.startswith(where) for p in problems), problems


def test_published_beside_results(tmp_path):
    path = results.publish_schema(tmp_path)
    assert path.name == "results.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == results.schema()


SECTIONS = {
    "value": ("analysis.questions.value", "ValueSection"),
    "satisfaction": ("analysis.questions.satisfaction", "SatisfactionSection"),
    "competitors": ("analysis.questions.competitors", "CompetitorsSection"),
    "relationship_managers": ("analysis.questions.managers", "ManagersSection"),
}


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_key_a_section_writes_is_named_in_the_schema(name):
    """A key beyond RESULTS.md is still documented where the package publishes
    the shape of results.json (issue 17: window_months, drivers_reason, choice_reason …)."""
    import dataclasses
    import importlib

    module, cls = SECTIONS[name]
    section = getattr(importlib.import_module(module), cls)
    keys = {f.name for f in dataclasses.fields(section)}
    if name == "value":
        keys -= {"customers", "active_customers"}  # lifted to the top of results.json
    named = set(results.schema()["$defs"][name]["properties"])
    assert keys - named == set()
