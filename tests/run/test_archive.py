"""Every run kept by as-of: OUT/<branch>/runs/<as_of>/, the latest as OUT/<branch>/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.run import archive
from analysis.run.archive import LATEST_ONLY, RUNS_DIR, kept_runs, publish


def _report(folder: Path, as_of: str, churn: float = 0.1) -> Path:
    """A finished run folder as the runner leaves it before the swap."""
    folder.mkdir(parents=True)
    (folder / "results.json").write_text(json.dumps({"as_of": as_of, "churn": churn}), encoding="utf-8")
    (folder / "briefing.html").write_text(f"<p>{as_of}</p>", encoding="utf-8")
    (folder / "plan.csv").write_text("action_id\nretention\n", encoding="utf-8")
    for sub, name in (("sections", "churn.json"), ("tables", "churn_x.csv"), ("figures", "churn_x.png")):
        (folder / sub).mkdir()
        (folder / sub / name).write_text(as_of, encoding="utf-8")
    (folder / "notebooks").mkdir()
    (folder / "notebooks" / "02_churn.ipynb").write_text("{}", encoding="utf-8")
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _as_of(folder: Path) -> str:
    return json.loads((folder / "results.json").read_text(encoding="utf-8"))["as_of"]


def test_each_run_is_kept_by_as_of_and_the_latest_is_the_branch_folder(tmp_path):
    final = tmp_path / "meishan"
    first = publish(_report(tmp_path / ".staging-meishan-1", "2026-03-31"), final)
    assert first.latest and first.run_folder == final / RUNS_DIR / "2026-03-31"
    second = publish(_report(tmp_path / ".staging-meishan-2", "2026-06-30", churn=0.2), final)
    assert second.latest and _as_of(final) == "2026-06-30"
    assert list(kept_runs(final)) == ["2026-03-31", "2026-06-30"]
    march = final / RUNS_DIR / "2026-03-31"
    assert _as_of(march) == "2026-03-31" and (march / "plan.csv").is_file()
    assert (march / "sections" / "churn.json").read_text() == "2026-03-31"
    # the briefing embeds the figures, the notebooks are reproducible: only the latest keeps them
    assert not any((march / d).exists() for d in LATEST_ONLY)
    assert all((final / d).is_dir() for d in LATEST_ONLY)
    # the latest run's folder and the branch folder are the same files, not a second copy
    assert (final / "results.json").stat().st_ino == (second.run_folder / "results.json").stat().st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meishan"]  # no staging or .old- folder left


def test_a_rerun_of_the_same_as_of_replaces_that_run_only(tmp_path):
    final = tmp_path / "meishan"
    publish(_report(tmp_path / "s1", "2026-03-31"), final)
    publish(_report(tmp_path / "s2", "2026-06-30", churn=0.2), final)
    march = _files(final / RUNS_DIR / "2026-03-31")
    publish(_report(tmp_path / "s3", "2026-06-30", churn=0.3), final)
    assert list(kept_runs(final)) == ["2026-03-31", "2026-06-30"]
    assert json.loads((final / RUNS_DIR / "2026-06-30" / "results.json").read_text())["churn"] == 0.3
    assert json.loads((final / "results.json").read_text())["churn"] == 0.3
    assert _files(final / RUNS_DIR / "2026-03-31") == march


def test_an_earlier_quarter_run_later_goes_to_runs_and_leaves_the_latest_report(tmp_path):
    final = tmp_path / "meishan"
    publish(_report(tmp_path / "s1", "2026-06-30"), final)
    before = {k: v for k, v in _files(final).items() if not k.startswith(RUNS_DIR + "/")}
    done = publish(_report(tmp_path / "s2", "2025-12-31"), final)
    assert not done.latest and done.latest_as_of == "2026-06-30"
    assert {k: v for k, v in _files(final).items() if not k.startswith(RUNS_DIR + "/")} == before
    assert list(kept_runs(final)) == ["2025-12-31", "2026-06-30"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meishan"]


def test_a_report_from_before_runs_were_kept_becomes_a_run(tmp_path):
    final = _report(tmp_path / "meishan", "2026-03-31")  # today's layout: no runs/
    publish(_report(tmp_path / "s1", "2026-06-30"), final)
    assert list(kept_runs(final)) == ["2026-03-31", "2026-06-30"]
    assert _as_of(final / RUNS_DIR / "2026-03-31") == "2026-03-31"


def test_a_failure_while_publishing_leaves_the_previous_report_and_its_runs(tmp_path, monkeypatch):
    final = tmp_path / "meishan"
    publish(_report(tmp_path / "s1", "2026-03-31"), final)
    publish(_report(tmp_path / "s2", "2026-06-30"), final)
    before = _files(final)
    calls = {"n": 0}
    real = archive.link_file

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(archive, "link_file", flaky)
    for as_of in ("2026-09-30", "2025-12-31"):  # as the latest, and as an earlier run
        calls["n"] = 0
        with pytest.raises(OSError):
            publish(_report(tmp_path / f"s-{as_of}", as_of), final)
        assert _files(final) == before
    assert not list(tmp_path.glob(".staging-*"))  # the assembled folder of the earlier run is gone too


def test_links_fall_back_to_copies(tmp_path, monkeypatch):
    def no_links(src, dst):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(archive.os, "link", no_links)
    final = tmp_path / "meishan"
    publish(_report(tmp_path / "s1", "2026-06-30"), final)
    assert _as_of(final / RUNS_DIR / "2026-06-30") == "2026-06-30"
    assert (final / "results.json").stat().st_ino != (final / RUNS_DIR / "2026-06-30" / "results.json").stat().st_ino
