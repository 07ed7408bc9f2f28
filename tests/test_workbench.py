"""The analyst's workbench (issue 16): assumptions all the way through, subsets,
several branches, finding one's way. Nothing here patches a module constant."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

import analysis
from analysis.assumptions import Assumptions
from analysis.data.bank import PROJECT_ROOT, resolve_data_dir
from analysis.data.explore import customer_tables
from analysis.errors import UsageError
from analysis.questions import campaigns, churn, satisfaction, value
from analysis.words.assumptions import assumptions_note
from analysis.words.churn import describe_churn, driver_label
from analysis.words.glossary import term

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(scope="module")
def bank(sample_banks):
    return sample_banks[sorted(sample_banks)[0]]


def test_defaults_are_the_bank_itself(bank):
    same, a = bank.assumed(None)
    assert same is bank and a == Assumptions()
    assert bank.with_assumptions(Assumptions()) is bank
    assert bank.timeframe.t0 == bank.timeframe.month(11)


def test_a_mapping_changes_only_the_assumptions_it_names(bank, tmp_path):
    b14 = bank.with_assumptions(unresolved_days=14)
    both = b14.with_assumptions({"window_months": 6})
    assert (both.assumptions.unresolved_days, both.assumptions.window_months) == (14, 6)
    f = tmp_path / "a.toml"
    f.write_text("window_months = 9\n", encoding="utf-8")
    from_file = b14.with_assumptions(str(f))
    assert (from_file.assumptions.unresolved_days, from_file.assumptions.window_months) == (14, 9)
    # a whole Assumptions object is taken as it is
    assert b14.with_assumptions(Assumptions(window_months=6)).assumptions.unresolved_days == 30
    # and a run's file starts from the contract's defaults
    assert Assumptions.from_file(f) == Assumptions(window_months=9)
    with pytest.raises(UsageError, match="unknown assumption: windw"):
        b14.with_assumptions({"windw": 6})


def test_unresolved_days_reach_churn_satisfaction_and_labels(bank):
    b14 = bank.with_assumptions(unresolved_days=14)
    assert b14.tables is bank.tables and "features" not in b14.__dict__
    d30 = churn.analyze(bank).section().to_dict()["drivers"]["unresolved_complaint"]
    d14 = churn.analyze(b14).section().to_dict()["drivers"]["unresolved_complaint"]
    assert d30["odds_ratio"] != d14["odds_ratio"]
    # the same through the explicit argument
    assert churn.analyze(bank, Assumptions(unresolved_days=14)).section().to_dict()["drivers"][
        "unresolved_complaint"
    ] == pytest.approx(d14)
    s30 = satisfaction.complaints_and_satisfaction(bank)
    s14 = satisfaction.complaints_and_satisfaction(b14)
    if s30 is not None:
        assert s14.loc["unresolved", "n"] >= s30.loc["unresolved", "n"]
        assert s14["n"].sum() == s30["n"].sum()
    w = satisfaction.window_complaints(b14)
    assert w is not None
    a14 = Assumptions(unresolved_days=14)
    assert "14" in driver_label("unresolved_complaint", "en", a14) and "30" not in driver_label(
        "unresolved_complaint", "en", a14
    )
    assert "14天" in driver_label("unresolved_complaint", "zh", a14)


def test_window_months_follow_into_the_time_frame_and_labels(bank):
    b6 = bank.with_assumptions(window_months=6)
    tf = b6.timeframe
    assert tf.window_months == 6 and tf.t0 == tf.month(5) and tf.before == tf.month(6)
    r12 = churn.analyze(bank).section().to_dict()
    r6 = churn.analyze(b6).section().to_dict()
    assert r6["churn_rate_12m"] != r12["churn_rate_12m"]  # the key stays; the figure follows the window
    assert term("churn_rate_12m", "zh", 6) == "近6个月流失率"
    assert term("churn_rate_12m", "en", 6) == "6-month attrition rate"
    assert term("churn_rate_12m", "en") == "12-month attrition rate"
    text = " ".join(describe_churn(r6, "en", b6.assumptions))
    assert "6-month attrition rate" in text and "12-month" not in text
    # the value base is the window's
    v6 = value.customer_values(b6)
    assert (v6["months"] <= 6).all()


def test_load_takes_assumptions_and_shortcuts(sample_dir):
    b = analysis.load(sample_dir, branch=analysis.data.bank.branch_ids(sample_dir)[0], window_months=6)
    assert b.assumptions.window_months == 6 and b.timeframe.window_months == 6
    with pytest.raises(UsageError, match="unknown assumption"):
        analysis.load(sample_dir, branch=analysis.data.bank.branch_ids(sample_dir)[0], windw_months=6)


def test_assumptions_note_lists_what_changed():
    assert assumptions_note({"run": {"assumptions": Assumptions().to_dict()}}, "en") is None
    assert assumptions_note({}, "zh") is None
    note = assumptions_note({"run": {"assumptions": Assumptions(unresolved_days=14, window_months=6).to_dict()}}, "en")
    assert "6-month window" in note and "14 days" in note and "default 12" in note
    zh = assumptions_note({"run": {"assumptions": Assumptions(unresolved_days=14).to_dict()}}, "zh")
    assert "14天" in zh and "默认30天" in zh


def test_no_module_copies_unresolved_days():
    import analysis.data.features as features

    assert not hasattr(features, "UNRESOLVED_DAYS")
    assert not hasattr(satisfaction, "UNRESOLVED_DAYS")


def test_subset_filters_every_customer_table(bank):
    sub = bank.subset(segment="affluent")
    ids = set(sub.customers["customer_id"])
    assert ids and set(sub.customers["segment"].astype(str)) == {"affluent"}
    for name in customer_tables():
        df = sub.tables.get(name)
        if df is not None:
            assert set(df["customer_id"].dropna()) <= ids, name
    assert "features" not in sub.__dict__
    assert set(sub.features.index) <= ids
    assert len(bank.subset(customers=list(ids)[:5]).customers) == 5
    with pytest.raises(UsageError):
        bank.subset(segment="nobody")


def test_load_many_one_bank_per_branch(sample_dir, sample_banks):
    banks = analysis.load_many(sample_dir, unresolved_days=14)
    assert set(banks) == set(sample_banks)
    for b, bk in banks.items():
        assert bk.assumptions.unresolved_days == 14
        assert bk.row_count("customers") == sample_banks[b].row_count("customers")
        assert bk.timeframe == sample_banks[b].timeframe


def test_find_your_way(bank):
    assert {"customers", "monthly_snapshots"} <= set(dir(bank))
    text = repr(bank)
    assert bank.branch_id in text and "customers" in text and f"{bank.row_count('customers'):,}" in text
    assert "window" in text and "<table>" in bank._repr_html_()
    d = bank.describe()
    assert d.loc["customers", "rows"] == bank.row_count("customers")
    assert pd.api.types.is_numeric_dtype(d["rows"]) and pd.api.types.is_numeric_dtype(d["null_share"])


def test_exploration_frames(bank):
    cf = churn.cohort_frame(bank)
    assert len(cf) == churn.analyze(bank).section().to_dict()["cohort_size"]
    assert {"churned", "segment", "products_held", "unresolved_complaint"} <= set(cf.columns)
    vf = value.value_frame(bank)
    assert {"revenue_12m", "tier", "area"} <= set(vf.columns)
    cc = campaigns.contacts_frame(bank)
    if bank.has("campaign_contacts"):
        assert {"campaign_id", "balance_change", "segment"} <= set(cc.columns)


def test_relative_data_dir_resolves_against_the_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_data_dir("notebooks") == PROJECT_ROOT / "notebooks"
    assert resolve_data_dir(tmp_path) == tmp_path


def test_notebook_parameters_are_typed_and_commented():
    import papermill as pm

    for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        params = pm.inspect_notebook(str(p))
        assert set(params) >= {"bank_path", "data_dir", "branch", "as_of", "out_dir", "lang", "assumptions"}, p.name
        assert all(v["inferred_type_name"] != "None" and v["help"] for v in params.values()), p.name
        assert nbformat.read(p, as_version=4).metadata["kernelspec"]["name"] == "qvsrs-analysis"


def test_recipes_notebook_equals_the_pipeline(run_notebook, sample_dir, sample_banks, tmp_path):
    """The recipes run on the small sample bank; where they overlap with the
    research notebooks' sections (what results.json holds), the figures are equal."""
    import json

    first, second = sorted(sample_banks)[:2]
    run_notebook("recipes", tmp_path, data_dir=str(sample_dir), branch=first, out_dir=str(tmp_path))
    got = json.loads((tmp_path / "recipes.json").read_text(encoding="utf-8"))
    bank = sample_banks[first]
    assert got["churn_rate_12m"] == churn.analyze(bank).section().to_dict()["churn_rate_12m"]
    six = churn.analyze(bank, Assumptions(window_months=6)).section().to_dict()["churn_rate_12m"]
    assert got["churn_rate_6m"] == six
    assert (
        got["unresolved_14"]
        == churn.analyze(bank, Assumptions(unresolved_days=14)).section().to_dict()["drivers"]["unresolved_complaint"]
    )
    for b in (first, second):
        assert got["gaps"][b] == satisfaction.analyze(sample_banks[b]).section().to_dict()["cs_gap"]
    base = value.customer_values(bank)
    assert sum(got["value_by_area"].values()) == pytest.approx(base["revenue_12m"].sum())
    assert got["compared"] > 0


def test_recipes_are_short_and_committed_clean():
    nb = nbformat.read(NOTEBOOKS / "recipes.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.metadata["kernelspec"]["name"] == "qvsrs-analysis"
    for c in code[2:-1]:  # parameters, imports and the closing record aside
        lines = [x for x in c.source.splitlines() if x.strip() and not x.strip().startswith("#")]
        assert len(lines) <= 5, c.source
