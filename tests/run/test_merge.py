"""`run --notebooks X` merges into the branch's report of the same as-of."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from analysis.assumptions import Assumptions
from analysis.errors import UsageError
from analysis.run import merge, runner
from analysis.words.progress import merged_note

from probe_notebooks import write_notebook

# a 1×1 PNG: figures the briefing and the deck can embed
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


def _probe(section: str, figure: str, extra: str = "") -> str:
    return (
        "import base64, pathlib\n"
        "from analysis.run import results\n"
        f"p = pathlib.Path(out_dir) / 'figures' / '{figure}.png'\n"
        "p.parent.mkdir(exist_ok=True)\n"
        f"p.write_bytes(base64.b64decode('{PNG}'))\n"
        f"{extra}"
        f"results.write_section(out_dir, '{section}', results.skipped('probe ' + str(as_of)))\n"
    )


@pytest.fixture()
def notebooks(tmp_path) -> Path:
    folder = tmp_path / "nbs"
    write_notebook(folder, "01_value.ipynb", _probe("value", "value_pareto"))
    write_notebook(folder, "02_churn.ipynb", _probe("churn", "churn_first"))
    return folder


def _results(folder: Path) -> dict:
    return json.loads((folder / "results.json").read_text(encoding="utf-8"))


def test_a_run_of_one_notebook_keeps_the_other_sections(conformance_dir, tmp_path, notebooks, caplog):
    data, out = str(conformance_dir / "good"), tmp_path / "out"
    assert runner.run_branch(data, "fixture-b", runner.RunOptions(out_root=out, quiet=True, notebook_dir=notebooks)).ok
    folder = out / "fixture-b"
    first = _results(folder)
    assert first["run"]["notebooks"] == ["01_value", "02_churn"] and first["run"]["merged"] is None
    # the churn notebook changes: another figure, another section text
    write_notebook(notebooks, "02_churn.ipynb", _probe("churn", "churn_second"))
    caplog.set_level(logging.INFO, logger="analysis")
    opts = runner.RunOptions(out_root=out, notebooks=("02_churn",), notebook_dir=notebooks)
    outcome = runner.run_branch(data, "fixture-b", opts)
    assert outcome.ok, outcome.error
    res = _results(folder)
    assert set(res) >= {"value", "churn"}  # the value section kept, not a churn-only report
    assert res["value"] == first["value"]
    merged = res["run"]["merged"]
    assert merged["notebooks_rerun"] == ["02_churn"] and merged["notebooks_kept"] == ["01_value"]
    assert merged["sections_rerun"] == ["churn"] and merged["sections_kept"] == ["value"]
    assert merged["into_generated_at"] == first["generated_at"] and merged["into"] == "latest"
    assert res["run"]["notebooks"] == ["01_value", "02_churn"]
    assert set(res["run"]["timings"]) >= {"01_value", "02_churn"}
    assert (folder / "notebooks" / "01_value.ipynb").is_file() and (folder / "notebooks" / "02_churn.ipynb").is_file()
    figures = sorted(p.name for p in (folder / "figures").iterdir())
    assert figures == ["churn_second.png", "value_pareto.png"]  # the rerun section's old figure is gone
    said = [r.getMessage() for r in caplog.records]
    assert any("02_churn merged into the report as of 2026-06-30" in m and "01_value kept" in m for m in said)
    card = (folder / "briefing.html").read_text(encoding="utf-8")
    assert "部分重算" in card and "本简报只重新计算了“客户流失：谁在离开、为什么”" in card
    # the run kept for that as-of is the merged one
    assert _results(folder / "runs" / "2026-06-30")["run"]["merged"] == merged


def test_with_no_report_of_its_as_of_the_run_says_it_holds_only_its_notebooks(
    conformance_dir, tmp_path, notebooks, caplog
):
    data, out = str(conformance_dir / "good"), tmp_path / "out"
    assert runner.run_branch(data, "fixture-b", runner.RunOptions(out_root=out, quiet=True, notebook_dir=notebooks)).ok
    caplog.set_level(logging.WARNING, logger="analysis")
    opts = runner.RunOptions(out_root=out, as_of="2026-03", quiet=True, notebooks=("02_churn",), notebook_dir=notebooks)
    outcome = runner.run_branch(data, "fixture-b", opts)
    assert outcome.ok, outcome.error
    kept = _results(out / "fixture-b" / "runs" / "2026-03-31")
    assert "value" not in kept and kept["run"]["merged"] is None
    assert any(
        "no report as of 2026-03-31" in r.getMessage() and "only 02_churn" in r.getMessage() for r in caplog.records
    )


def test_a_merge_with_other_assumptions_or_language_is_refused_before_any_kernel(tmp_path, bank_b):
    folder = tmp_path / "out" / "fixture-b"
    folder.mkdir(parents=True)
    fingerprint = runner.branch_fingerprint(bank_b)
    card = {"as_of": "2026-06-30", "data_fingerprint": fingerprint, "generated_at": "2026-07-01T09:00:00+08:00"}
    card["run"] = {"assumptions": Assumptions().to_dict(), "parameters": {"lang": "zh"}}
    (folder / "results.json").write_text(json.dumps(card), encoding="utf-8")
    opts = runner.RunOptions(out_root=tmp_path / "out", notebooks=("02_churn",))
    assert runner.merge_source(bank_b, opts, fingerprint) == folder
    assert runner.merge_source(bank_b, runner.RunOptions(out_root=tmp_path / "out"), fingerprint) is None  # full run
    for why, asked, fp in (
        ("other data", opts, "sha256:other"),
        (
            "another language (zh)",
            runner.RunOptions(out_root=tmp_path / "out", notebooks=("02_churn",), lang="en"),
            fingerprint,
        ),
    ):
        with pytest.raises(UsageError, match="cannot be merged") as err:
            runner.merge_source(bank_b, asked, fp)
        assert why in str(err.value)
    with pytest.raises(UsageError, match="made from other assumptions;"):
        runner.merge_source(bank_b.with_assumptions({"unresolved_days": 14}), opts, fingerprint)


def test_take_over_keeps_what_the_rerun_did_not_replace(tmp_path):
    base, staging = tmp_path / "base", tmp_path / "staging"
    for rel in (
        "sections/churn.json",
        "sections/value.json",
        "figures/churn_old.png",
        "figures/value_pareto.png",
        "figures/qvsrs_scorecard.png",
        "tables/churn_loss.csv",
        "notebooks/01_value.ipynb",
        "notebooks/02_churn.ipynb",
        "plan.csv",
        "results.json",
        "briefing.html",
        "runs/2026-03-31/results.json",
    ):
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(rel)
    assert merge.seed_sections(base, staging) == ["churn", "value"]
    (staging / "sections" / "churn.json").unlink()
    (staging / "sections" / "churn.json").write_text("new")  # the rerun's own
    (staging / "figures").mkdir()
    (staging / "figures" / "churn_new.png").write_text("new")
    assert merge.rewritten_sections(base, staging) == ["churn"]
    taken = merge.take_over(base, staging, ["02_churn"], ["churn"])
    assert sorted(taken) == [
        "figures/qvsrs_scorecard.png",
        "figures/value_pareto.png",
        "notebooks/01_value.ipynb",
        "plan.csv",
    ]
    assert not (staging / "results.json").exists() and not (staging / "runs").exists()


def test_the_run_card_says_what_was_rerun_in_words():
    merged = {
        "sections_rerun": ["churn", "relationship_managers", "plan"],
        "sections_kept": ["value"],
        "into_generated_at": "2026-07-01T09:00:00+08:00",
        "figures_kept": False,
    }
    en = merged_note(merged, "en")
    assert en == (
        "Only “Attrition: who leaves and why” and “Next quarter's plan and the relationship managers” were recomputed "
        "for this briefing; the other sections are those of the report for the same month generated "
        "2026-07-01 09:00 (shown without their figures)."
    )
    assert not re.search(r"[\u4e00-\u9fff]", en)
    assert merged_note(None, "zh") is None
    assert "生成于2026-07-01 09:00的报告" in merged_note({**merged, "figures_kept": True}, "zh")
