"""Quarter after quarter in the briefing and the index: progress.json (run.progress),
its block (report.progress, the `_progress` partial) and its words (words.progress)."""

from __future__ import annotations

import copy
import json
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from fixtures.specimen import make_run, specimen_results

from analysis.questions.plan import PLAN_COLUMNS
from analysis.report.briefing import build_briefing
from analysis.report.index import compose_index
from analysis.report.progress import change_text, progress_view, summary
from analysis.run import history, progress, runner
from analysis.run.runner import BranchOutcome
from analysis.run.tables import write_csv
from analysis.run.targets import Target, load_targets

from probe_notebooks import write_notebook

BRANCH_A = {"branch_name": "建行测试甲支行", "city": "乐山", "home_bank": "中国建设银行"}
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
BASIS = {
    "top20_churn_rate": 0.030,
    "complaints_resolved_share": 0.80,
    "leaver_reasons": {"fees": 0.1, "competitor_offer": 0.3},
}


def _plan_row(action_id, action, kpi, baseline, target, **kw) -> dict:
    row = dict.fromkeys(PLAN_COLUMNS)
    row.update(action_id=action_id, topic="churn", action=action, owner_role="rm_team_lead", kpi=kpi)
    row.update(start="2026-04-01", end="2026-06-30", customers=40, cost=1000.0, baseline=baseline, target=target)
    row.update(holdout_share=0.0, evidence="churn.churn_rate_12m", **kw)
    return row


PLAN = [
    _plan_row("rm-coverage", "rm_coverage", "coverage_top20", 0.55, 0.59),  # reached 0.599: met
    _plan_row("retention-top20", "retention_visit", "top20_churn_rate", 0.035, 0.025),  # 0.030: improved
    _plan_row("complaint-closure", "complaint_closure", "complaints_resolved_share", 0.85, 0.9),  # 0.80: worse
    _plan_row("pricing-review", "pricing_review", "leavers_price_share", 0.45, 0.35),  # 0.40: improved
    _plan_row("MS-C05-repeat", "campaign_repeat", "balance_effect_per_contact", 15000.0, 16000.0),  # not measured
]


@pytest.fixture()
def runs(tmp_path, expected) -> tuple[Path, Path, dict]:
    """A branch with a run as of March kept (plan included) and the June run in its staging folder."""
    out = tmp_path / "out"
    march = specimen_results(copy.deepcopy(expected["fixture-a"]), BRANCH_A)
    march.update(as_of="2026-03-31", generated_at="2026-04-02T09:00:00+08:00")
    march["churn"]["churn_rate_12m"] = 0.16
    march["satisfaction"]["nps"] = 20.0
    march["plan"] = {"status": "ok", "period": {"start": "2026-04-01", "end": "2026-06-30"}, "details": {}}
    kept = out / "fixture-a" / "runs" / "2026-03-31"
    kept.mkdir(parents=True)
    (kept / "results.json").write_text(json.dumps(march, ensure_ascii=False), encoding="utf-8")
    write_csv(pd.DataFrame(PLAN, columns=list(PLAN_COLUMNS)), kept / "plan.csv")
    history.record(march, out)
    staging = tmp_path / "staging"
    june = make_run(staging, copy.deepcopy(expected["fixture-a"]), BRANCH_A, "zh", with_figures=False)
    june["plan"] = {"status": "ok", "basis": BASIS, "actions": [], "cost": 0.0, "profit_12m": 0.0}
    june["plan"]["period"] = {"start": "2026-07-01", "end": "2026-09-30"}
    (staging / "results.json").write_text(json.dumps(june, ensure_ascii=False), encoding="utf-8")
    return out, staging, june


TARGETS = (
    Target("fixture-a", "churn_rate_12m", 0.10, "2026-12-31"),
    Target("*", "nps", 30.0, "2026-09-30"),
    Target("fixture-a", "satisfaction.cs_gap.fees_value", 0.5, "2026-06-30"),
    Target("fixture-b", "nps", 10.0, "2026-12-31"),
)


def test_progress_json_holds_targets_changes_and_last_quarter_s_plan(runs):
    out, staging, june = runs
    content = progress.write(staging, out, june, TARGETS)
    assert json.loads((staging / "progress.json").read_text(encoding="utf-8")) == json.loads(json.dumps(content))
    goals = {g["figure"]: g for g in content["targets"]}
    assert set(goals) == {"churn_rate_12m", "nps", "satisfaction.cs_gap.fees_value"}  # not fixture-b's
    churn = goals["churn_rate_12m"]
    assert churn["start"] == {"as_of": "2026-03-31", "value": 0.16} and churn["now"] == pytest.approx(0.1339, abs=1e-4)
    # 16 % → 10 % by December: 91 of 275 days gone, 14.0 % expected by June; 13.4 % is ahead
    assert churn["expected_now"] == pytest.approx(0.16 - 0.06 * 91 / 275) and churn["status"] == "on_track"
    assert goals["nps"]["status"] == "behind"  # 20 → 30 by September: 26.7 expected, 21.3 read
    assert goals["satisfaction.cs_gap.fees_value"]["status"] == "overdue"  # due the day the data reach
    since = content["since_last"]
    assert since["as_of"] == "2026-03-31"
    rows = {r["path"]: r for r in since["figures"]}
    assert rows["churn.churn_rate_12m"]["then"] == 0.16
    assert rows["churn.churn_rate_12m"]["change"] == pytest.approx(0.1339 - 0.16, abs=1e-4)
    assert rows["churn.churn_rate_12m"]["beyond_noise"] is True  # 2.7 points on 2,308 customers
    assert rows["satisfaction.nps"]["beyond_noise"] is False  # 1.3 points on 141 answers
    assert "satisfaction.cs_gap.fees_value" in rows  # a figure with a target is followed too
    assert since["moved_elsewhere"] == 0  # everything else is as in March
    review = content["plan_review"]
    assert review["from_as_of"] == "2026-03-31" and review["quarter_over"] is True
    got = {a["action_id"]: (a["actual"], a["verdict"]) for a in review["actions"]}
    assert got["rm-coverage"] == (pytest.approx(0.5992, abs=1e-4), "met")
    assert got["retention-top20"] == (0.030, "improved")
    assert got["complaint-closure"] == (0.80, "not_improved")
    assert got["pricing-review"] == (pytest.approx(0.40), "improved")
    assert got["MS-C05-repeat"] == (None, "not_measured")


def test_a_first_run_has_nothing_to_hold_it_against(tmp_path, expected):
    june = make_run(tmp_path / "s", copy.deepcopy(expected["fixture-a"]), BRANCH_A, "zh", with_figures=False)
    content = progress.write(tmp_path / "s", tmp_path / "out", june)
    assert content["targets"] == [] and content["since_last"] is None and content["plan_review"] is None
    assert progress_view(tmp_path / "s", june, "zh") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_briefing_shows_the_block_in_both_languages(runs, lang):
    out, staging, june = runs
    progress.write(staging, out, june, TARGETS)
    html = build_briefing(staging, june, lang, deck=False).read_text(encoding="utf-8")
    start = html.index('<div class="progress" id="progress">')
    block = unescape(html[start : html.index("</section>", start)])
    if lang == "en":
        assert not HAN.search(block), HAN.findall(block)[:10]
        for text in (
            "Progress against targets",
            "Since the last run (data as of 2026-03-31)",
            "Last quarter's plan against what happened (2026-04-01 to 2026-06-30)",
            "12-month attrition",
            "Satisfaction gap on fees and value for money",
            ">On track<",
            ">Behind<",
            ">Overdue<",
            "Beyond noise",
            "Within noise",
            "Target met",
            "Improved, short of target",
            "Not measured by these figures",
        ):
            assert text in block, text
        assert "−2.61 pp" in block  # 16.0 % → 13.4 %
    else:
        assert "目标进度" in block and "与上次运行（数据截至2026-03-31）相比" in block and "达到目标" in block
    assert "churn.churn_rate_12m" not in block and "fees_value" not in block  # no internal keys


def test_the_index_line_on_targets(runs):
    out, staging, june = runs
    progress.write(staging, out, june, TARGETS)
    assert summary(staging, "en") == "0 of 3 met · 1 on track · 1 behind · 1 overdue"
    assert summary(staging, "zh") == "3项中0项已达成 · 1项按进度推进 · 1项落后于进度 · 1项逾期未达成"
    o = BranchOutcome("fixture-a", True, 1.0, folder=str(staging), headline={"customers": 2800})
    (b,) = compose_index(staging.parent, [o], "en")["branches"]
    assert b["targets"] == "0 of 3 met · 1 on track · 1 behind · 1 overdue"


def test_changes_are_worded_in_the_figure_s_unit():
    assert change_text(-0.0265, "pct", "difference", "en") == "−2.65 pp"
    assert change_text(-0.0265, "pct", "difference", "zh") == "−2.65个百分点"
    assert change_text(120, "count", "difference", "en") == "+120"
    assert change_text(-1234, "count", "difference", "en") == "−1,234"
    assert change_text(-0.31, "signed", "difference", "en") == "−0.31"
    assert change_text(1.3, "number2", "ratio", "en") == "1.30 times"
    assert change_text(None, "pct", "difference", "en") == "—"


def test_a_branch_run_holds_its_figures_against_targets_and_the_previous_run(conformance_dir, tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(
        nbs,
        "01_probe.ipynb",
        "from analysis.run.notebook import open_bank\nfrom analysis.run import results\n"
        "bank = open_bank(bank_path, data_dir, branch, as_of)\n"
        "n = int((bank.monthly_snapshots['month'] == bank.monthly_snapshots['month'].max()).sum())\n"
        "results.write_section(out_dir, '_probe', {'_top': {'active_customers': n}})",
    )
    (tmp_path / "targets.csv").write_text(
        "branch,figure,target,due,direction\nfixture-b,active_customers,5000,2026-12,up\n", encoding="utf-8"
    )
    targets = load_targets(tmp_path / "targets.csv")
    out, data = tmp_path / "out", str(conformance_dir / "good")
    for as_of in ("2026-03", None):
        opts = runner.RunOptions(out_root=out, as_of=as_of, quiet=True, notebook_dir=nbs, targets=targets)
        outcome = runner.run_branch(data, "fixture-b", opts)
        assert outcome.ok, outcome.error
    folder = out / "fixture-b"
    content = json.loads((folder / "progress.json").read_text(encoding="utf-8"))
    march = json.loads((folder / "runs" / "2026-03-31" / "results.json").read_text(encoding="utf-8"))
    june = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    (goal,) = content["targets"]
    assert goal["start"] == {"as_of": "2026-03-31", "value": march["active_customers"]}
    assert goal["now"] == june["active_customers"] and goal["status"] in ("on_track", "behind")
    (row,) = [r for r in content["since_last"]["figures"] if r["path"] == "active_customers"]
    assert (row["then"], row["now"]) == (march["active_customers"], june["active_customers"])
    assert (folder / "runs" / "2026-06-30" / "progress.json").is_file()
    html = (folder / "briefing.html").read_text(encoding="utf-8")
    assert "目标进度" in html and "与上次运行（数据截至2026-03-31）相比" in html
    runner.write_overview(out, [outcome])
    assert "目标进度" in (out / "index.html").read_text(encoding="utf-8")
