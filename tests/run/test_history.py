"""The history store and `compare`: every run kept by as-of, two runs side by side."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.run import history as H
from analysis.stats.change import nps_se


def _results(as_of: str, churn_rate: float = 0.10, nps: float = -25.0, top20: float = 0.8) -> dict:
    return {
        "schema_version": 2,
        "branch_id": "meishan",
        "as_of": as_of,
        "generated_at": f"{as_of}T12:00:00+08:00",
        "data_fingerprint": "sha256:abc",
        "run": {"timings": {"02_churn": 10.0}},
        "customers": 3000,
        "active_customers": 2800,
        "value": {"status": "ok", "top20_revenue_share": top20},
        "churn": {
            "status": "ok",
            "cohort_size": 2000,
            "churned": int(churn_rate * 2000),
            "churn_rate_12m": churn_rate,
            "drivers": {"age": {"odds_ratio": 1.2, "ci_low": 1.1, "ci_high": 1.31, "p_value": 0.01}},
        },
        "satisfaction": {"status": "ok", "responses": 400, "nps": nps, "cs_overall": -0.5},
        "campaigns": {
            "status": "ok",
            "C1": {
                "design": "randomized",
                "n_treatment": 100,
                "verdict": "test",
                "balance_effect": {"estimate": 5000.0, "ci_low": -1000.0, "ci_high": 11000.0, "p_value": 0.1},
            },
        },
    }


def test_figures_of_a_run_with_their_uncertainty():
    f = H.figures_of(_results("2026-06-30")).set_index("path")
    assert "run.timings.02_churn" not in f.index and "generated_at" not in f.index
    assert f.loc["churn.churn_rate_12m", "se"] == pytest.approx((0.1 * 0.9 / 2000) ** 0.5)  # a share of the cohort
    assert f.loc["satisfaction.nps", "se"] == pytest.approx(nps_se(-25.0, 400))
    assert f.loc["customers", "se"] == 0 and f.loc["value.top20_revenue_share", "se"] == 0  # the whole book
    assert pd.isna(f.loc["satisfaction.cs_overall", "se"])  # a survey mean without an interval: unknown
    assert f.loc["churn.drivers.age", "scale"] == "log" and f.loc["churn.drivers.age", "estimate"] == 1.2
    assert f.loc["campaigns.C1.balance_effect", "ci_low"] == -1000.0
    assert "campaigns.C1.verdict" not in f.index


def test_runs_are_kept_by_as_of_and_a_rerun_replaces_its_month(tmp_path):
    H.record(_results("2026-06-30"), tmp_path)
    H.record(_results("2026-09-30"), tmp_path)
    H.record(_results("2026-09-30", churn_rate=0.2), tmp_path)
    assert H.runs(tmp_path, "meishan") == ["2026-06-30", "2026-09-30"]
    h = H.history(tmp_path)
    assert set(h["branch_id"]) == {"meishan"}
    latest = h[(h["as_of"] == "2026-09-30") & (h["path"] == "churn.churn_rate_12m")]
    assert latest["estimate"].tolist() == [0.2]


def test_compare_says_what_moved_beyond_noise(tmp_path):
    H.record(_results("2026-06-30", churn_rate=0.10, nps=-25.0), tmp_path)
    H.record(_results("2026-09-30", churn_rate=0.14, nps=-24.0, top20=0.82), tmp_path)
    c = H.compare(tmp_path, "meishan").set_index("path")
    assert c.attrs["as_of_a"] == "2026-06-30" and c.attrs["as_of_b"] == "2026-09-30"
    assert c.loc["churn.churn_rate_12m", "change"] == pytest.approx(0.04)
    assert c.loc["churn.churn_rate_12m", "beyond_noise"]  # 10 % → 14 % of 2,000 customers
    assert not c.loc["satisfaction.nps", "beyond_noise"]  # −25 → −24 from 400 answers
    assert c.loc["value.top20_revenue_share", "beyond_noise"]  # the whole book: any change is real
    assert c.loc["satisfaction.cs_overall", "beyond_noise"] is None
    assert c.loc["churn.drivers.age", "change_kind"] == "ratio" and c.loc["churn.drivers.age", "change"] == 1.0
    assert H.compare(tmp_path, "meishan", "2026-09", "2026-06").attrs["as_of_a"] == "2026-09-30"


def test_compare_command(tmp_path, capsys):
    H.record(_results("2026-06-30", churn_rate=0.10), tmp_path)
    assert main(["compare", "--out", str(tmp_path), "--branch", "meishan"]) == 2  # one run only
    assert "needs two" in capsys.readouterr().err
    H.record(_results("2026-09-30", churn_rate=0.14), tmp_path)
    csv = tmp_path / "moved.csv"
    assert main(["compare", "--out", str(tmp_path), "--branch", "meishan", "--moved", "--csv", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "2026-06-30 → 2026-09-30" in out and "churn.churn_rate_12m" in out and "satisfaction.nps" not in out
    assert set(pd.read_csv(csv, encoding="utf-8-sig")["path"]) == {"churn.churned", "churn.churn_rate_12m"}


def test_a_branch_run_records_its_figures(tmp_path, conformance_dir):
    import analysis.run.runner as runner

    # a probe notebook is enough: the history holds the run's top-level figures
    from probe_notebooks import write_notebook

    nb_dir = tmp_path / "nb"
    write_notebook(
        nb_dir,
        "01_probe.ipynb",
        "from analysis.run import results\nresults.write_section(out_dir, 'probe', results.ok(n=7))",
    )
    opts = runner.RunOptions(out_root=tmp_path / "out", quiet=True, notebook_dir=nb_dir)
    outcome = runner.run_branch(str(conformance_dir / "good"), "fixture-a", opts)
    assert outcome.ok, outcome.error
    results = json.loads((tmp_path / "out" / "fixture-a" / "results.json").read_text(encoding="utf-8"))
    assert H.runs(tmp_path / "out", "fixture-a") == [results["as_of"]]
    f = H.history(tmp_path / "out", "fixture-a").set_index("path")
    assert f.loc["probe.n", "estimate"] == results["probe"]["n"] == 7
