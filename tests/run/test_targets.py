"""Management's targets: `run --targets FILE` (CSV or TOML), checked, and progress against them."""

from __future__ import annotations

import pytest

from analysis.__main__ import main
from analysis.errors import DataError, UsageError
from analysis.run.targets import Target, load_targets, progress, scorecard_targets, unused_branches

GOOD_CSV = """branch,figure,target,due,direction
meishan,churn_rate_12m,10%,2026-12,
meishan,satisfaction.nps,-15,2027-06-30,
*,coverage_top20,0.9,2026-12-31,
dongpo,customers,3200,2026-12,up
"""


def test_a_csv_file_is_read_with_shares_months_and_every_branch(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    ts = load_targets(path)
    assert [(t.branch, t.figure, t.target, t.due, t.direction) for t in ts] == [
        ("meishan", "churn_rate_12m", pytest.approx(0.10), "2026-12-31", 0),
        ("meishan", "satisfaction.nps", -15.0, "2027-06-30", 0),
        ("*", "coverage_top20", 0.9, "2026-12-31", 0),
        ("dongpo", "customers", 3200.0, "2026-12-31", 1),
    ]
    assert ts[0].row == "targets.csv row 2"
    assert [t.figure for t in ts if t.applies_to("meishan")] == ["churn_rate_12m", "satisfaction.nps", "coverage_top20"]
    assert [t.branch for t in unused_branches(ts, ["meishan"])] == ["dongpo"]


def test_a_toml_file_is_read(tmp_path):
    path = tmp_path / "targets.toml"
    path.write_text(
        '[[target]]\nbranch = "meishan"\nfigure = "satisfaction.cs_gap.fees_value"\ntarget = 0.0\ndue = 2026-12-31\n\n'
        '[[target]]\nbranch = "meishan"\nfigure = "plan.basis.complaints_resolved_share"\ntarget = "90%"\n'
        'due = "2027-03"\ndirection = "up"\n',
        encoding="utf-8",
    )
    ts = load_targets(path)
    assert ts == (
        Target("meishan", "satisfaction.cs_gap.fees_value", 0.0, "2026-12-31", 0, "targets.toml [[target]] 1"),
        Target("meishan", "plan.basis.complaints_resolved_share", 0.9, "2027-03-31", 1, "targets.toml [[target]] 2"),
    )


def test_every_problem_names_the_file_the_row_and_the_column(tmp_path):
    path = tmp_path / "goals.csv"
    path.write_text(
        "branch,figure,target,due,owner\n"
        "meishan,churn_rate_12m,10%,2026-12,\n"
        "meishan,churn.secret_key,0.1,2026-12,\n"
        ",nps,ten,2026-13-01,\n"
        "meishan,churn.churn_rate_12m,0.09,2026-12,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_targets(path)
    lines = [str(p) for p in err.value.problems]
    assert lines == [
        "targets (goals.csv), column owner: unknown column (the columns are branch, figure, target, due, direction)",
        "targets (goals.csv), column figure: not a figure the briefing can name; use a headline figure ("
        + lines[1].split("use a headline figure (", 1)[1].split(") or", 1)[0]
        + ") or a dotted path of results.json such as satisfaction.cs_gap.fees_value — 1 row, first: row 3 "
        "(values: 'churn.secret_key')",
        "targets (goals.csv), column branch: a branch_id (or * for every branch) is required — 1 row, first: row 4",
        "targets (goals.csv), column target: a number is required (a share as 0.10 or 10%) — 1 row, first: row 4 "
        "(values: 'ten')",
        "targets (goals.csv), column due: a date as YYYY-MM-DD or a month as YYYY-MM is required — 1 row, first: "
        "row 4 (values: '2026-13-01')",
        "targets (goals.csv), column figure: a second target for this figure of meishan (the first in row 2) — 1 row, "
        "first: row 5",
    ]
    assert "churn_rate_12m, cs_overall, nps" in lines[1]


def test_a_file_without_the_columns_or_of_another_kind_is_refused(tmp_path):
    (tmp_path / "t.csv").write_text("branch,figure\nmeishan,nps\n", encoding="utf-8")
    with pytest.raises(DataError, match="column target: missing column"):
        load_targets(tmp_path / "t.csv")
    (tmp_path / "t.xlsx").write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="must be .csv or .toml"):
        load_targets(tmp_path / "t.xlsx")
    with pytest.raises(UsageError, match="not found"):
        load_targets(tmp_path / "none.csv")
    (tmp_path / "t.toml").write_text("target = [", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot be read"):
        load_targets(tmp_path / "t.toml")


def test_the_command_line_refuses_a_bad_targets_file_before_any_work(conformance_dir, tmp_path, capsys):
    path = tmp_path / "targets.csv"
    path.write_text("branch,figure,target,due\nfixture-a,nps,high,2026-12\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["run", "--data", str(conformance_dir / "good"), "--branch", "fixture-a", "--out", str(out)]
    assert main([*argv, "--targets", str(path)]) == 2
    err = capsys.readouterr().err
    assert "targets (targets.csv), column target" in err and "row 2" in err and "Traceback" not in err
    assert not out.exists()


def _t(figure: str, target: float, due: str = "2026-12-31", direction: int = 0) -> Target:
    return Target("meishan", figure, target, due, direction)


RESULTS = {"branch_id": "meishan", "as_of": "2026-09-30", "branch": {"home_bank": "中国建设银行"}}


@pytest.mark.parametrize(
    "target, now, earlier, status, expected_now",
    [
        # attrition (lower is better) 14 % in March, aiming at 10 % by December: 3/4 of the way by September
        (_t("churn_rate_12m", 0.10), 0.10, [("2026-03-31", 0.14)], "met", None),
        (_t("churn_rate_12m", 0.10), 0.11, [("2026-03-31", 0.14)], "on_track", 0.14 - 0.04 * 183 / 275),
        (_t("churn_rate_12m", 0.10), 0.13, [("2026-03-31", 0.14)], "behind", 0.14 - 0.04 * 183 / 275),
        (_t("churn_rate_12m", 0.10, due="2026-06-30"), 0.11, [("2026-03-31", 0.14)], "overdue", None),
        (_t("churn_rate_12m", 0.10), 0.12, [], "open", None),
        (_t("nps", -15), None, [("2026-03-31", -30)], "not_measured", None),
        # customers has no better direction: the way from its first value to the target
        (_t("customers", 3200), 3150, [("2026-03-31", 3000)], "on_track", 3000 + 200 * 183 / 275),
        (_t("customers", 3200), 3100, [("2026-03-31", 3000)], "behind", 3000 + 200 * 183 / 275),
        (_t("customers", 2800), 2850, [("2026-03-31", 3000)], "on_track", 3000 - 200 * 183 / 275),
        (_t("customers", 3200, direction=-1), 3100, [("2026-03-31", 3000)], "met", None),
    ],
)
def test_progress_against_a_target(target, now, earlier, status, expected_now):
    h = {"churn_rate_12m": "churn.churn_rate_12m", "nps": "satisfaction.nps", "customers": "customers"}
    path = h[target.figure]
    figures = {} if now is None else {path: now}
    (row,) = progress([target], RESULTS, figures, [(a, {path: v}) for a, v in earlier])
    assert row["status"] == status and row["path"] == path and row["now"] == now
    assert row["start"] == ({"as_of": earlier[0][0], "value": earlier[0][1]} if earlier else None)
    assert row["expected_now"] == (pytest.approx(expected_now) if expected_now is not None else None)


def test_progress_uses_the_branch_s_own_bank_and_skips_other_branches():
    ts = [_t("home_deposit_share", 0.30), Target("dongpo", "nps", 0, "2026-12-31")]
    (row,) = progress(ts, RESULTS, {"competitors.deposit_share.中国建设银行": 0.31})
    assert row["path"] == "competitors.deposit_share.中国建设银行" and row["status"] == "met"


def test_the_scorecard_takes_the_branch_s_qvsrs_targets_its_own_over_every_branch_s():
    ts = (
        Target("*", "qvsrs_quality", 70.0, "2026-12-31"),
        Target("meishan", "qvsrs_quality", 75.0, "2026-12-31"),
        Target("meishan", "rm_coverage", 0.8, "2026-12-31"),
        Target("meishan", "churn_rate_12m", 0.1, "2026-12-31"),  # not on the scorecard
        Target("dongpo", "qvsrs_value", 1.5, "2026-12-31"),  # another branch's
    )
    results = {"branch_id": "meishan", "branch": {"home_bank": "建设银行"}}
    assert scorecard_targets(ts, results) == {"quality": 75.0, "rm_coverage": 0.8}
    assert scorecard_targets(ts, {"branch_id": "dongpo"}) == {"quality": 70.0, "value": 1.5}
