"""OUT/index.html and branches.csv for a run of several branches."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from fixtures.specimen import make_run

from analysis.__main__ import main
from analysis.report.index import COLUMNS, build_index, compose_index, marks
from analysis.run import history, runner
from analysis.run.overview import CSV_COLUMNS
from analysis.stats.change import nps_se

BRANCHES = {
    "fixture-a": {"branch_name": "建行测试甲支行", "city": "乐山", "home_bank": "中国建设银行"},
    "fixture-b": {"branch_name": "建行测试乙支行", "city": "资阳", "home_bank": "中国建设银行"},
}


@pytest.fixture()
def outcomes(tmp_path, expected) -> list[runner.BranchOutcome]:
    out = []
    for bid, info in BRANCHES.items():
        folder = tmp_path / bid
        res = make_run(folder, copy.deepcopy(expected[bid]), info, "zh", with_figures=False)
        (folder / "briefing.html").write_text("<html></html>", encoding="utf-8")
        out.append(runner.BranchOutcome(bid, True, 12.5, folder=str(folder), headline=runner.headline_figures(res)))
    out.append(
        runner.BranchOutcome("fixture-c", False, 3.2, error="ValueError: planted failure", notebook="02_churn", cell=7)
    )
    return out


def test_marks_best_and_worst_by_direction():
    assert marks([0.13, 0.11, 0.12], -1) == ["worst", "best", None]
    assert marks([0.13, 0.11, None], +1) == ["best", "worst", None]
    assert marks([0.8, 0.8], +1) == [None, None]  # all equal: nothing to say
    assert marks([0.8, None], +1) == [None, None]  # one branch reports it
    assert marks([0.83, 0.87], 0) == [None, None]  # concentration is neither good nor bad
    assert marks([2.9931, 2.9948], +1, "number2") == [None, None]  # both read 2.99
    assert marks([2.9931, 2.9948, 2.5], +1, "number2") == ["best", "best", "worst"]


def test_marks_only_differences_beyond_noise():
    """NPS −25 against −24 from 150 responses each (about ±16) is no best and
    worst, nor a benefits ÷ costs of 1.37 against 1.35 (±0.06); a difference
    beyond both intervals is; an unknown error claims nothing."""
    n = 150
    nps = [-25, -24]
    assert marks(nps, +1, "number0", [nps_se(v, n) for v in nps]) == [None, None]
    assert marks([-25, 10], +1, "number0", [nps_se(-25, n), nps_se(10, n)]) == ["worst", "best"]
    assert marks([1.37, 1.35], +1, "number2", [0.03, 0.03]) == [None, None]
    assert marks([1.37, 1.05], +1, "number2", [0.03, 0.03]) == ["best", "worst"]
    assert marks([1.37, 1.05], +1, "number2", [0.03, None]) == [None, None]
    assert marks([0.067, 0.077], -1, "pct", [0.0, 0.0]) == ["best", "worst"]  # exact: as shown
    # three branches: the best and the worst apart, the one between unmarked
    assert marks([-25, -24, 10], +1, "number0", [nps_se(v, n) for v in (-25, -24, 10)]) == ["worst", None, "best"]


def test_the_scorecard_s_errors_decide_the_survey_marks(tmp_path, outcomes):
    """With each branch's scorecard table (its standard errors), a survey index
    is marked when the branches are apart, and not when they are within noise."""
    for o, (quality, se) in zip(outcomes, ((71.4, 0.9), (80.0, 1.1))):
        tables = Path(o.folder) / "tables"
        tables.mkdir(exist_ok=True)
        rows = [
            {"pillar": "quality", "metric": "quality", "current": quality, "se_current": se},
            {"pillar": "value", "metric": "value", "current": 1.5, "se_current": 0.03},
        ]
        pd.DataFrame(rows).to_csv(tables / "qvsrs_scorecard.csv", index=False)
        o.headline["qvsrs_quality"] = quality
    cells = {r["key"]: [c["mark"] for c in r["cells"]] for r in compose_index(tmp_path, outcomes, "en")["rows"]}
    assert cells["qvsrs_quality"] == ["worst", "best"]  # 71.4 ± 1.8 against 80.0 ± 2.2
    assert cells["qvsrs_value"] == [None, None]  # 1.50 against 1.51, ± 0.06


def test_index_links_league_table_and_failures(tmp_path, outcomes):
    path = build_index(tmp_path, outcomes, "zh")
    html = path.read_text(encoding="utf-8")
    assert 'href="fixture-a/briefing.html"' in html and 'href="fixture-b/briefing.html"' in html
    assert "建行测试甲支行" in html and "建行测试乙支行" in html
    # loss-making customers (a census of the book): fixture-a (6.7 %) is best, fixture-b (7.7 %) worst
    ctx = compose_index(tmp_path, outcomes, "zh")
    cells = {r["key"]: {c["branch_id"]: c for c in r["cells"]} for r in ctx["rows"]}
    assert (
        cells["unprofitable_share"]["fixture-a"]["mark"] == "best"
        and cells["unprofitable_share"]["fixture-b"]["mark"] == "worst"
    )
    # attrition 13.4 % of 2,308 against 11.3 % of 977: the difference is within noise, nothing marked
    assert cells["churn_rate_12m"]["fixture-a"]["text"] == "13.4%"
    assert cells["churn_rate_12m"]["fixture-a"]["mark"] is cells["churn_rate_12m"]["fixture-b"]["mark"] is None
    assert cells["nps"]["fixture-a"]["mark"] is None  # 21.3 and 20.7 both read 21
    assert cells["qvsrs_quality"]["fixture-b"]["mark"] is None  # 71.5 against 71.4, its error unknown here
    assert cells["top20_revenue_share"]["fixture-a"]["mark"] is None
    assert re.search(r'class="num best" data-branch="fixture-a" data-mark="best">6\.7%', html)
    # the failed branch with its error, notebook and cell
    assert ctx["failed"][0]["branch_id"] == "fixture-c"
    assert "planted failure" in html and "02_churn" in html and "第7个单元" in html
    # each branch's first finding
    assert [b["name"] for b in ctx["branches"]] == ["建行测试甲支行", "建行测试乙支行"]
    assert all(b["top"] for b in ctx["branches"])
    # offline: the font is embedded, nothing fetched
    assert "data:font/otf;base64," in html
    assert not re.search(r'(src|href)="https?:', html)


def test_columns_without_any_figure_are_left_out(tmp_path, outcomes):
    ctx = compose_index(tmp_path, outcomes, "en")
    keys = [r["key"] for r in ctx["rows"]]
    assert "home_deposit_share" in keys  # the run card names the home bank
    assert keys == [c.key for c in COLUMNS if c.key in keys]
    for o in outcomes:
        o.headline.pop("home_deposit_share", None)
    keys = [r["key"] for r in compose_index(tmp_path, outcomes, "en")["rows"]]
    assert "home_deposit_share" not in keys  # no branch reports it: no empty row
    assert ctx["rows"][0]["label"] == "Customers"


def test_write_overview_writes_csv_and_index(tmp_path, outcomes):
    runner.write_overview(tmp_path, outcomes, lang="en")
    df = pd.read_csv(tmp_path / "branches.csv")
    assert list(df["branch_id"]) == ["fixture-a", "fixture-b", "fixture-c"]
    assert list(df["status"]) == ["ok", "ok", "failed"]
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Strategy briefings by branch" in html and "notebook 02_churn, cell 7" in html


def test_index_of_only_failures(tmp_path):
    html = build_index(tmp_path, [runner.BranchOutcome("x", False, 0.0, error="no snapshot rows")], "en").read_text(
        encoding="utf-8"
    )
    assert "no snapshot rows" in html and "Headline figures" not in html


def test_branches_csv_has_the_same_english_columns_in_both_languages(tmp_path, outcomes):
    written = {}
    for lang in ("zh", "en"):
        runner.write_overview(tmp_path, outcomes, lang=lang)
        written[lang] = (tmp_path / "branches.csv").read_bytes()
    assert written["zh"] == written["en"]
    header = written["en"].decode("utf-8").splitlines()[0]
    assert header.split(",") == list(CSV_COLUMNS) and header.isascii()
    df = pd.read_csv(tmp_path / "branches.csv")
    assert df.set_index("branch_id").loc["fixture-a", "churn_rate_12m"] == pytest.approx(0.134, abs=5e-4)
    # a run with only failures has the same columns
    runner.write_overview(tmp_path / "fail", [runner.BranchOutcome("x", False, 0.0, error="planted")], lang="en")
    assert (tmp_path / "fail" / "branches.csv").read_text(encoding="utf-8").splitlines()[0] == header


def test_the_overview_keeps_the_branches_an_earlier_run_left(tmp_path, outcomes):
    """Branches run one at a time into one folder still give one overview."""
    a, b, c = outcomes
    shown = runner.write_overview(tmp_path, [b], lang="en")
    assert [o.branch_id if hasattr(o, "branch_id") else o["branch_id"] for o in shown] == ["fixture-b", "fixture-a"]
    df = pd.read_csv(tmp_path / "branches.csv")
    assert list(df["branch_id"]) == ["fixture-b", "fixture-a"] and list(df["status"]) == ["ok", "ok"]
    assert df.loc[1, "customers"] == a.headline["customers"]
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="fixture-a/briefing.html"' in html and "1 branches done · 1 from earlier runs" in html


def test_a_single_branch_run_writes_the_overview(tmp_path, outcomes, conformance_dir, monkeypatch):
    a = outcomes[0]
    monkeypatch.setattr(runner, "run_branch", lambda data, branch, opts: a)
    argv = ["run", "--data", str(conformance_dir / "good"), "--branch", "fixture-a", "--out", str(tmp_path)]
    assert main([*argv, "--lang", "en", "--quiet"]) == 0
    df = pd.read_csv(tmp_path / "branches.csv")
    assert list(df.columns) == list(CSV_COLUMNS)
    assert set(df["branch_id"]) == {"fixture-a", "fixture-b"}  # fixture-b's report is in the folder too
    assert (tmp_path / "index.html").is_file()


def test_the_index_draws_each_branch_s_figures_over_its_runs(tmp_path, outcomes):
    a = outcomes[0]
    res = json.loads((Path(a.folder) / "results.json").read_text(encoding="utf-8"))
    for as_of, churn in (("2025-12-31", 0.15), ("2026-03-31", 0.12)):
        earlier = copy.deepcopy(res)
        earlier["as_of"], earlier["churn"]["churn_rate_12m"] = as_of, churn
        history.record(earlier, tmp_path)
    history.record(res, tmp_path)
    runner.write_overview(tmp_path, outcomes, lang="en")
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-key="churn_rate_12m">(.*?)</tr>', html).group(1)
    cell_a = re.search(r'data-branch="fixture-a"[^>]*>(.*?)</td>', row).group(1)
    assert cell_a.startswith('13.4%<br><svg class="spark"')
    assert "2025-12-31: 15.0%; 2026-03-31: 12.0%; 2026-06-30: 13.4%" in cell_a
    assert "<svg" not in re.search(r'data-branch="fixture-b"[^>]*>(.*?)</td>', row).group(1)  # no runs recorded
    assert "<script" not in html
