"""The runner: atomic reports, failures reported by notebook and cell, exit codes."""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import nbformat as nbf
import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.errors import UsageError
from analysis.run import runner

from probe_notebooks import write_notebook

GOOD_CODE = (
    "from analysis.run.notebook import open_bank\n"
    "from analysis.run import results\n"
    "bank = open_bank(bank_path, data_dir, branch, as_of)\n"
    "results.write_section(out_dir, 'probe', results.ok(n=len(bank.customers)))"
)


@pytest.fixture()
def good_notebooks(tmp_path) -> Path:
    folder = tmp_path / "nbs_good"
    write_notebook(folder, "01_probe.ipynb", GOOD_CODE)
    return folder


@pytest.fixture()
def failing_notebooks(tmp_path) -> Path:
    folder = tmp_path / "nbs_bad"
    write_notebook(folder, "01_probe.ipynb", GOOD_CODE)
    write_notebook(folder, "02_broken.ipynb", "x = 1\nraise ValueError('planted failure')")
    return folder


def test_run_writes_report_and_results(conformance_dir, tmp_path, good_notebooks):
    opts = runner.RunOptions(out_root=tmp_path / "out", quiet=True, notebook_dir=good_notebooks)
    outcome = runner.run_branch(str(conformance_dir / "good"), "fixture-b", opts)
    assert outcome.ok, outcome.error
    folder = tmp_path / "out" / "fixture-b"
    res = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert res["schema_version"] == 2
    assert res["branch_id"] == "fixture-b"
    assert res["as_of"] == "2026-06-30"
    assert res["probe"] == {"status": "ok", "n": 1200}
    assert res["data_fingerprint"].startswith("sha256:")
    assert (folder / "notebooks" / "01_probe.ipynb").is_file()
    assert (folder / "briefing.html").is_file()
    assert not any(p.name.startswith(".staging") for p in (tmp_path / "out").iterdir())


def test_failed_rerun_keeps_previous_report(conformance_dir, tmp_path, good_notebooks, failing_notebooks):
    data = str(conformance_dir / "good")
    out = tmp_path / "out"
    first = runner.run_branch(
        data, "fixture-b", runner.RunOptions(out_root=out, quiet=True, notebook_dir=good_notebooks)
    )
    assert first.ok
    before = (out / "fixture-b" / "results.json").read_bytes()
    second = runner.run_branch(
        data, "fixture-b", runner.RunOptions(out_root=out, quiet=True, notebook_dir=failing_notebooks)
    )
    assert not second.ok
    assert second.notebook == "02_broken"
    assert second.cell is not None
    assert "planted failure" in second.error
    assert (out / "fixture-b" / "results.json").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["fixture-b", "history"]  # no staging leftovers


def test_all_branches_one_failure_others_finish(conformance_dir, tmp_path, good_notebooks, monkeypatch):
    # Branch fixture-a fails in its notebook; fixture-b must still be written.
    folder = tmp_path / "nbs_mixed"
    write_notebook(
        folder, "01_probe.ipynb", GOOD_CODE + "\nassert branch != 'fixture-a', 'planted failure for fixture-a'"
    )
    opts = runner.RunOptions(out_root=tmp_path / "out", quiet=True, notebook_dir=folder)
    outcomes = runner.run_all(str(conformance_dir / "good"), opts, jobs=2)
    by = {o.branch_id: o for o in outcomes}
    assert not by["fixture-a"].ok and "planted failure" in by["fixture-a"].error
    assert by["fixture-b"].ok
    runner.write_overview(tmp_path / "out", outcomes)
    csv = (tmp_path / "out" / "branches.csv").read_text(encoding="utf-8")
    assert "fixture-a" in csv and "failed" in csv
    assert (tmp_path / "out" / "index.html").is_file()


def test_all_branches_a_failed_rerun_keeps_that_branchs_report_and_renews_the_others(
    conformance_dir, tmp_path, good_notebooks
):
    data, out = str(conformance_dir / "good"), tmp_path / "out"
    first = runner.run_all(data, runner.RunOptions(out_root=out, quiet=True, notebook_dir=good_notebooks), jobs=2)
    assert all(o.ok for o in first), [o.error for o in first]
    before = {b: (out / b / "results.json").read_bytes() for b in ("fixture-a", "fixture-b")}
    mixed = tmp_path / "nbs_mixed"
    write_notebook(mixed, "01_probe.ipynb", GOOD_CODE + "\nassert branch != 'fixture-a', 'planted failure'")
    write_notebook(mixed, "02_after.ipynb", "import time; time.sleep(0.5)")
    second = runner.run_all(data, runner.RunOptions(out_root=out, quiet=True, notebook_dir=mixed), jobs=2)
    by = {o.branch_id: o for o in second}
    assert not by["fixture-a"].ok and by["fixture-a"].notebook == "01_probe" and "planted" in by["fixture-a"].error
    assert by["fixture-b"].ok, by["fixture-b"].error
    assert (out / "fixture-a" / "results.json").read_bytes() == before["fixture-a"]  # the last good report
    renewed = json.loads((out / "fixture-b" / "results.json").read_text(encoding="utf-8"))
    assert (out / "fixture-b" / "results.json").read_bytes() != before["fixture-b"]
    assert set(renewed["run"]["timings"]) == {"load_s", "01_probe", "02_after"}
    assert sorted(p.name for p in out.iterdir()) == ["fixture-a", "fixture-b", "history"]  # nothing left behind


@pytest.mark.notebook
def test_a_warm_kernel_is_replaced_after_its_uses(conformance_dir, tmp_path, monkeypatch):
    folder = tmp_path / "nbs_uses"
    for i in range(3):
        write_notebook(
            folder,
            f"0{i}_pid.ipynb",
            "import os\nfrom analysis.run import results\n"
            f"results.write_section(out_dir, 'pid{i}', results.ok(pid=os.getpid()))",
        )
    monkeypatch.setattr(runner, "KERNEL_USES", 2)
    opts = runner.RunOptions(out_root=tmp_path / "out", quiet=True, notebook_dir=folder, notebook_jobs=1)
    assert runner.run_branch(str(conformance_dir / "good"), "fixture-b", opts).ok
    res = json.loads((tmp_path / "out" / "fixture-b" / "results.json").read_text(encoding="utf-8"))
    pids = [res[f"pid{i}"]["pid"] for i in range(3)]
    assert pids[0] == pids[1] != pids[2]


def test_fingerprint_equal_data_equal_hash(conformance_dir, tmp_path):
    """The same rows in other formats give the same fingerprint; one change, another."""
    import pandas as pd

    import analysis

    src = conformance_dir / "lean"
    copy = tmp_path / "copy"
    shutil.copytree(src, copy)
    # customers as Parquet instead of CSV, rows shuffled
    df = pd.read_csv(copy / "customers.csv", dtype=str, encoding="utf-8-sig")
    (copy / "customers.csv").unlink()
    df.sample(frac=1, random_state=1).to_parquet(copy / "customers.parquet", index=False)
    a = runner.branch_fingerprint(analysis.load(src, "fixture-b"))
    b = runner.branch_fingerprint(analysis.load(copy, "fixture-b"))
    assert a == b
    first_b = df.index[df["branch_id"] == "fixture-b"][0]
    df.loc[first_b, "birth_year"] = "1950" if df.loc[first_b, "birth_year"] != "1950" else "1951"
    df.to_parquet(copy / "customers.parquet", index=False)
    assert runner.branch_fingerprint(analysis.load(copy, "fixture-b")) != a


@pytest.mark.parametrize(
    "argv, words",
    [
        (["run", "--data", "MISSING", "--branch", "x", "--out", "o"], "data folder not found"),
        (["run", "--data", "GOOD", "--branch", "nope", "--out", "o"], "not in branches"),
        (["run", "--data", "GOOD", "--branch", "fixture-a", "--out", "o", "--as-of", "2026/06"], "YYYY-MM"),
        (["run", "--data", "GOOD", "--branch", "fixture-a", "--out", "o", "--as-of", "2031-01"], "outside"),
    ],
)
def test_run_usage_errors_exit_2(conformance_dir, tmp_path, capsys, argv, words):
    argv = [a.replace("GOOD", str(conformance_dir / "good")).replace("MISSING", str(tmp_path / "none")) for a in argv]
    argv = [str(tmp_path / "o") if a == "o" else a for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_as_of_parsing():
    assert runner.parse_as_of("2026-03") == "2026-03"
    with pytest.raises(UsageError):
        runner.parse_as_of("March")


@pytest.mark.notebook
def test_notebooks_run_side_by_side_after_their_dependencies(conformance_dir, tmp_path):
    """With two notebook slots, a notebook declaring `depends_on` still runs
    after the one whose section it reads; the others run in parallel."""
    folder = tmp_path / "nbs_deps"
    write_notebook(folder, "01_first.ipynb", GOOD_CODE + "\nimport time; time.sleep(2)")
    write_notebook(folder, "02_other.ipynb", "x = 1")
    write_notebook(
        folder,
        "03_reader.ipynb",
        "import json, pathlib\n"
        "s = json.loads((pathlib.Path(out_dir) / 'sections' / 'probe.json').read_text())\n"
        "from analysis.run import results\n"
        "results.write_section(out_dir, 'reader', results.ok(seen=s['n']))",
    )
    nb = nbf.read(folder / "03_reader.ipynb", as_version=4)
    nb.metadata["qvsrs"] = {"depends_on": ["01_first"]}
    nbf.write(nb, folder / "03_reader.ipynb")
    opts = runner.RunOptions(out_root=tmp_path / "out", quiet=True, notebook_dir=folder, notebook_jobs=2)
    outcome = runner.run_branch(str(conformance_dir / "good"), "fixture-b", opts)
    assert outcome.ok, outcome.error
    res = json.loads((tmp_path / "out" / "fixture-b" / "results.json").read_text(encoding="utf-8"))
    assert res["reader"] == {"status": "ok", "seen": 1200}
    assert set(res["run"]["timings"]) >= {"01_first", "02_other", "03_reader"}


def test_prepared_bank_reads_tables_on_first_use(bank_b, tmp_path):
    from analysis.data.bank import Bank, PreparedTables

    bank_b.save(tmp_path / "prep")
    opened = Bank.open(tmp_path / "prep")
    assert isinstance(opened.tables, PreparedTables)
    assert opened.has("transactions") and not opened.tables._loaded
    assert len(opened.customers) == 1200
    assert set(opened.tables._loaded) == {"customers"}
    assert opened.customers["customer_id"].tolist() == bank_b.customers["customer_id"].tolist()


def test_branch_run_reports_orphan_rows(conformance_dir, tmp_path):
    """A snapshot row whose customer is in no customers row is a problem for
    a branch run too, not a row silently left out by the branch selection."""
    import pandas as pd

    import analysis
    from analysis.errors import DataError

    copy = tmp_path / "orphans"
    shutil.copytree(conformance_dir / "lean", copy)
    snaps = pd.read_csv(copy / "monthly_snapshots.csv", dtype=str)
    extra = snaps.iloc[[0]].assign(customer_id="99999999")
    pd.concat([snaps, extra]).to_csv(copy / "monthly_snapshots.csv", index=False)
    with pytest.raises(DataError) as err:
        analysis.load(copy, "fixture-b")
    assert "monthly_snapshots" in str(err.value) and "customer_id" in str(err.value)


def test_relative_paths_from_any_working_directory(conformance_dir, tmp_path, good_notebooks, monkeypatch):
    """`--data` and `--out` relative to where the consultant stands, as
    `make report` passes them, while notebooks run in their staging folder."""
    work = tmp_path / "work"
    shutil.copytree(conformance_dir / "lean", work / "data")
    monkeypatch.chdir(work)
    opts = runner.RunOptions(out_root=Path("reports"), quiet=True, notebook_dir=good_notebooks)
    assert runner.run_branch("data", "fixture-b", opts).ok
    outcomes = runner.run_all(
        "data", runner.RunOptions(out_root=Path("reports2"), quiet=True, notebook_dir=good_notebooks)
    )
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    assert (work / "reports" / "fixture-b" / "results.json").is_file()
    assert (work / "reports2" / "fixture-a" / "results.json").is_file()


def test_killed_run_leaves_previous_report_and_is_cleaned_up(conformance_dir, tmp_path, good_notebooks):
    """SIGKILL a run halfway: the previous report is byte for byte as it was,
    and the next run clears what the dead one left."""
    import signal
    import subprocess
    import sys
    import time

    data, out = str(conformance_dir / "good"), tmp_path / "out"
    assert runner.run_branch(
        data, "fixture-b", runner.RunOptions(out_root=out, quiet=True, notebook_dir=good_notebooks)
    ).ok
    before = {p.relative_to(out): p.read_bytes() for p in (out / "fixture-b").rglob("*") if p.is_file()}

    slow = tmp_path / "nbs_slow"
    write_notebook(slow, "01_probe.ipynb", GOOD_CODE + "\nimport time; time.sleep(60)")
    code = (
        "from pathlib import Path; from analysis.run import runner\n"
        f"opts = runner.RunOptions(out_root=Path({str(out)!r}), quiet=True, notebook_dir=Path({str(slow)!r}))\n"
        f"runner.run_branch({data!r}, 'fixture-b', opts)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not list(out.glob(".staging-*/sections/probe.json")):
        time.sleep(0.5)
    assert list(out.glob(".staging-*/sections/probe.json")), "the run never reached its notebook"
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its kernel
    proc.wait()

    after = {p.relative_to(out): p.read_bytes() for p in (out / "fixture-b").rglob("*") if p.is_file()}
    assert after == before
    assert list(out.glob(".staging-*"))  # what the dead run left …
    runner.recover_out_root(out)
    assert not list(out.glob(".staging-*"))  # … is cleared by the next run


def test_a_swap_cut_short_is_undone(tmp_path):
    out = tmp_path / "out"
    (out / ".old-fixture-b-999999").mkdir(parents=True)
    (out / ".old-fixture-b-999999" / "results.json").write_text("{}")
    runner.recover_out_root(out)
    assert (out / "fixture-b" / "results.json").is_file()


def test_notebooks_others_wait_for_are_counted_through_chains():
    deps = {
        "00_a": set(),
        "02_churn": set(),
        "05_campaigns": set(),
        "06_plan": {"02_churn", "05_campaigns"},
        "07_after_plan": {"06_plan"},
    }
    assert runner._dependents("02_churn", deps) == {"06_plan", "07_after_plan"}
    assert runner._dependents("06_plan", deps) == {"07_after_plan"}
    assert runner._dependents("00_a", deps) == set()


@pytest.mark.notebook
def test_a_warm_kernel_runs_the_next_notebook_with_nothing_left_behind(conformance_dir, tmp_path):
    """One notebook slot: the second notebook runs in the first one's kernel
    (same process, modules already imported) but sees none of its names or
    figures, and its cells are numbered from 1."""
    folder = tmp_path / "nbs_warm"
    write_notebook(
        folder,
        "01_first.ipynb",
        "import os, sys, matplotlib.pyplot as plt\nfrom analysis.run import results\n"
        "leftover = 42\nplt.figure()\n"
        "results.write_section(out_dir, 'first', results.ok(pid=os.getpid()))",
    )
    write_notebook(
        folder,
        "02_second.ipynb",
        "import os, sys, matplotlib.pyplot as plt\nfrom analysis.run import results\n"
        "results.write_section(out_dir, 'second', results.ok(pid=os.getpid(), leftover='leftover' in dir(),\n"
        "    figures=len(plt.get_fignums())))",
    )
    opts = runner.RunOptions(out_root=tmp_path / "out", quiet=True, notebook_dir=folder, notebook_jobs=1)
    outcome = runner.run_branch(str(conformance_dir / "good"), "fixture-b", opts)
    assert outcome.ok, outcome.error
    res = json.loads((tmp_path / "out" / "fixture-b" / "results.json").read_text(encoding="utf-8"))
    assert res["second"]["pid"] == res["first"]["pid"]
    assert (res["second"]["leftover"], res["second"]["figures"]) == (False, 0)
    second = nbf.read(tmp_path / "out" / "fixture-b" / "notebooks" / "02_second.ipynb", as_version=4)
    assert [c.execution_count for c in second.cells if c.cell_type == "code"][0] == 1


CWD_PROBE = (
    "import os, time\n"
    "from analysis.run import results\n"
    "time.sleep(0.3)\n"
    "results.write_section(out_dir, 'cwd_' + str(os.getpid()) + '_' + str(time.monotonic_ns()), "
    "results.ok(kernel_cwd=os.getcwd(), staging=out_dir))"
)


@pytest.mark.notebook
def test_parallel_notebooks_never_move_the_process_working_directory(sample_dir, tmp_path):
    # Several branches in one queue of two slots in this process, twice
    # over: the parent's working directory must never move (papermill's
    # cwd= chdirs the whole process from a thread), every kernel works in its
    # own branch's staging folder also when a warm kernel passes from one
    # branch to the next, and no branch is lost however the swaps interleave.
    import threading

    folder = tmp_path / "nbs_cwd"
    for i in range(4):
        write_notebook(folder, f"0{i}_probe.ipynb", CWD_PROBE)
    start = os.getcwd()
    seen: set[str] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.add(os.getcwd())
            time.sleep(0.005)

    import time

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        for _ in range(2):
            opts = runner.RunOptions(out_root=tmp_path / "out", quiet=True, notebook_dir=folder)
            outcomes = runner.run_all(str(sample_dir), opts, jobs=2)
            assert [o.ok for o in outcomes] == [True] * len(outcomes), [o.error for o in outcomes]
            assert len(outcomes) >= 2
            kernels = []
            for o in outcomes:
                res = json.loads((Path(o.folder) / "results.json").read_text(encoding="utf-8"))
                probes = {k: v for k, v in res.items() if k.startswith("cwd_")}
                assert len(probes) == 4
                for p in probes.values():
                    assert p["kernel_cwd"] == p["staging"], "a kernel ran outside its branch's staging folder"
                kernels.append({k.split("_")[1] for k in probes})
            assert set.intersection(*kernels), "no warm kernel passed from one branch to another"
    finally:
        stop.set()
        watcher.join()
    assert seen == {start}, f"the process's working directory moved: {sorted(seen)}"
    assert os.getcwd() == start


def test_progress_is_logged_and_quiet_is_debug(tmp_path, caplog):
    """Progress lines go to the runner's logger: INFO, or DEBUG for a quiet run."""
    caplog.set_level(logging.DEBUG, logger="analysis")
    runner._say(runner.RunOptions(out_root=tmp_path), "[fixture-a] 01_value done in 1.0 s")
    runner._say(runner.RunOptions(out_root=tmp_path, quiet=True), "[fixture-a] 02_churn done in 1.0 s")
    got = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert got == [
        ("analysis.run.runner", logging.INFO, "[fixture-a] 01_value done in 1.0 s"),
        ("analysis.run.runner", logging.DEBUG, "[fixture-a] 02_churn done in 1.0 s"),
    ]


def test_command_line_prints_progress_to_stdout_and_problems_to_stderr(conformance_dir, tmp_path, capsys):
    """The CLI's console handler: the same lines as before logging, on the same streams;
    afterwards the process's logging is as it was."""
    logger = logging.getLogger("analysis")
    before = (list(logger.handlers), logger.level, logger.propagate)
    assert main(["validate", str(conformance_dir / "lean")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"{conformance_dir / 'lean'}: valid (branches 2, customers ") and err == ""
    bad = tmp_path / "bad"
    shutil.copytree(conformance_dir / "lean", bad)
    (bad / "customers.csv").unlink()
    assert main(["validate", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "problem" in err and "customers" in err
    assert (list(logger.handlers), logger.level, logger.propagate) == before


def test_a_branch_without_customers_is_no_data_not_a_failure(conformance_dir, tmp_path, good_notebooks):
    # A closed or merged outlet still in the master list: listed in branches, nothing else.
    data = tmp_path / "good"
    shutil.copytree(conformance_dir / "good", data)
    with (data / "branches.csv").open("a", encoding="utf-8") as f:
        f.write("fixture-c,建行测试丙支行,眉山,中国建设银行\n")
    out = tmp_path / "out"
    opts = runner.RunOptions(out_root=out, quiet=True, notebook_dir=good_notebooks)
    outcomes = runner.run_all(str(data), opts)
    by = {o.branch_id: o for o in outcomes}
    assert [o.branch_id for o in outcomes] == ["fixture-a", "fixture-b", "fixture-c"]
    assert by["fixture-c"].ok and by["fixture-c"].no_data and by["fixture-c"].error is None
    assert by["fixture-a"].ok and by["fixture-b"].ok and not by["fixture-a"].no_data
    assert not (out / "fixture-c").exists()
    runner.write_overview(out, outcomes)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-branch="fixture-c"' in html and "无数据的网点" in html
    assert 'href="fixture-c/briefing.html"' not in html
    assert "fixture-c/" not in [line.split(",")[0] for line in (out / "branches.csv").read_text().splitlines()]
    rows = pd.read_csv(out / "branches.csv", dtype=str).set_index("branch_id")
    assert rows.loc["fixture-c", "status"] == "no data" and rows.loc["fixture-a", "status"] == "ok"


def test_branches_csv_keeps_counts_as_integers(tmp_path):
    outcomes = [
        runner.BranchOutcome("a", True, 1.0, headline={"branch_id": "a", "customers": 1500, "nps": 12.5}),
        runner.BranchOutcome("b", True, 0.0, no_data=runner.NO_DATA),
        runner.BranchOutcome("c", False, 2.0, error="planted"),
    ]
    runner.write_overview(tmp_path, outcomes)
    df = pd.read_csv(tmp_path / "branches.csv", dtype=str, keep_default_na=False).set_index("branch_id")
    assert df.loc["a", "customers"] == "1500" and df.loc["a", "nps"] == "12.5" and df.loc["a", "status"] == "ok"
    assert df.loc["b", "customers"] == "" and df.loc["b", "status"] == "no data"
    assert df.loc["b", "error"].startswith("no customers")
    assert (df.loc["c", "status"], df.loc["c", "error"]) == ("failed", "planted")


def test_runs_of_two_as_of_dates_sit_side_by_side(conformance_dir, tmp_path, good_notebooks):
    """Each run kept in OUT/<branch>/runs/<as_of>/; OUT/<branch>/ is the latest by as-of,
    also when an earlier quarter is run afterwards."""
    data, out = str(conformance_dir / "good"), tmp_path / "out"
    june = runner.run_branch(
        data, "fixture-b", runner.RunOptions(out_root=out, quiet=True, notebook_dir=good_notebooks)
    )
    march = runner.run_branch(
        data, "fixture-b", runner.RunOptions(out_root=out, as_of="2026-03", quiet=True, notebook_dir=good_notebooks)
    )
    assert june.ok and march.ok, (june.error, march.error)
    folder = out / "fixture-b"
    assert sorted(p.name for p in (folder / "runs").iterdir()) == ["2026-03-31", "2026-06-30"]
    assert march.run_folder == str(folder / "runs" / "2026-03-31") and march.folder == str(folder)
    assert json.loads((folder / "results.json").read_text(encoding="utf-8"))["as_of"] == "2026-06-30"
    assert march.headline["as_of"] == "2026-06-30"  # the overview describes the branch folder, the latest
    kept = folder / "runs" / "2026-03-31"
    assert json.loads((kept / "results.json").read_text(encoding="utf-8"))["as_of"] == "2026-03-31"
    assert (kept / "briefing.html").is_file() and not (kept / "notebooks").exists()
    assert sorted(p.name for p in out.iterdir()) == ["fixture-b", "history"]
