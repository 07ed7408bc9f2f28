"""Time every stage of the suite at several bank sizes (not part of the tests).

    .venv/bin/python benchmarks/run.py                       # small and medium
    .venv/bin/python benchmarks/run.py --sizes large         # the 1M-customer bank (long, ~10 GB disk)

Sizes: small = 1 branch × 5,000 customers; medium = 1 branch × 50,000;
large = 20 branches × 50,000 (1M customers; 31 months, so ≥ 24M snapshot
rows). Each stage runs in its own process, so its wall time and peak memory
(max RSS of the process and of any process it started: kernels, workers)
are its own. Writes `benchmarks/results.json` and `benchmarks/results.md`
with the machine and versions, and compares against the targets of issue 8.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE  # results.json and results.md are committed beside this script
PY = sys.executable
CORES = os.cpu_count() or 1
JOBS_BRANCHES = 4

SIZES = {
    "small": {"branches": 1, "customers": 5_000},
    "medium": {"branches": 1, "customers": 50_000},
    # 31 months of history: at least 24M snapshot rows, as issue 8 asks (30 months give 23.9M)
    "large": {"branches": 20, "customers": 50_000, "months": 31},
}

# Targets of issue 8 (seconds / MB).
TARGETS = {
    "medium.run_branch_s": 45.0,
    "medium.notebook_overhead_ratio": 1.3,
    "medium.run_branch_peak_mb": 2048.0,
    "large.partition_read_ratio": 1.5,
    "large.validate_s": 60.0,
    "large.validate_peak_mb": 4096.0,
    "large.sample_s": 120.0,
    "large.jobs2_speedup": 1.7,
    "scaling.per10k_ratio": 1.5,
}

STAGE = r"""
import json, resource, sys, time
_started = time.perf_counter()
{code}
wall = time.perf_counter() - _started
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
stats = {{"wall_s": wall, "peak_mb": max(me, kids) / 1024, "extra": globals().get("extra", {{}})}}
print("@@STAGE@@" + json.dumps(stats))
"""


def stage(name: str, code: str) -> dict:
    """Run `code` in a fresh interpreter; its wall time and peak memory."""
    script = STAGE.format(code=code)
    started = time.perf_counter()
    proc = subprocess.run([PY, "-c", script], cwd=REPO, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"stage {name} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    line = next(line for line in proc.stdout.splitlines() if line.startswith("@@STAGE@@"))
    out = json.loads(line[len("@@STAGE@@") :])
    out["process_s"] = time.perf_counter() - started
    print(f"  {name:<34} {out['wall_s']:8.1f} s  {out['peak_mb']:8.0f} MB", flush=True)
    return out


def bench_size(size: str, work: Path, jobs_compare: bool) -> dict:
    spec = SIZES[size]
    data = work / f"bank-{size}"
    res: dict = {"size": size, **spec}
    print(f"\n== {size}: {spec['branches']} branch(es) × {spec['customers']:,} customers", flush=True)
    if data.exists():
        shutil.rmtree(data)
    res["sample"] = stage(
        "sample",
        f"from analysis.sample import generate\n"
        f"s = generate({str(data)!r}, branches={spec['branches']}, customers={spec['customers']}, "
        f"months={spec.get('months', 30)}, seed=1, jobs={CORES})\n"
        f"extra = s.get('rows', {{}})",
    )
    res["rows"] = res["sample"]["extra"]
    res["validate"] = stage(
        "validate (whole folder)",
        f"from analysis.data.bank import read_folder\nt, p = read_folder({str(data)!r})\nassert not p, p[:3]",
    )
    res["load_branch"] = stage("load one branch", f"import analysis\nb = analysis.load({str(data)!r}, 'meishan')")
    if spec["branches"] > 1:
        # The same branch stored alone, to price reading it from the shared store.
        alone = work / f"bank-{size}-meishan-alone"
        res["extract_alone"] = stage("extract meishan alone", EXTRACT.format(src=str(data), dst=str(alone)))
        res["load_branch_alone"] = stage(
            "load meishan stored alone", f"import analysis\nb = analysis.load({str(alone)!r}, 'meishan')"
        )
        res["partition_read_ratio"] = res["load_branch"]["wall_s"] / res["load_branch_alone"]["wall_s"]
    res["in_process"] = stage(
        "notebook code in one process", IN_PROCESS.format(data=str(data), out=str(work / f"inproc-{size}"))
    )
    res["in_process_timings"] = res["in_process"]["extra"]
    out = work / f"out-{size}"
    res["run_branch"] = stage(
        "run one branch (notebooks + briefing)",
        f"from analysis.run import runner\n"
        f"opts = runner.RunOptions(out_root={str(out)!r}, quiet=True, notebook_jobs={CORES})\n"
        f"o = runner.run_branch({str(data)!r}, 'meishan', opts)\n"
        f"assert o.ok, o.error\n"
        f"import json\n"
        f"extra = json.load(open({str(out / 'meishan' / 'results.json')!r}))['run'].get('timings', {{}})",
    )
    res["notebook_timings"] = res["run_branch"]["extra"]
    res["notebook_overhead_ratio"] = res["run_branch"]["wall_s"] / res["in_process"]["wall_s"]
    if jobs_compare and spec["branches"] > 1:
        # Throughput of --jobs 1 against --jobs 2 on the first JOBS_BRANCHES
        # branches (the whole bank would take an hour per setting here); cores
        # go to notebooks within a branch when branches run one at a time.
        first = ["meishan", "leshan", "deyang", "ziyang"][:JOBS_BRANCHES]
        for jobs in (1, 2):
            res[f"run_all_jobs{jobs}"] = stage(
                f"run {len(first)} branches, --jobs {jobs}",
                f"from analysis.run import runner\n"
                f"opts = runner.RunOptions(out_root={str(work / f'out-all-{jobs}')!r}, quiet=True, "
                f"notebook_jobs={CORES} // {jobs})\n"
                f"o = runner.run_all({str(data)!r}, opts, branches={first!r}, jobs={jobs})\n"
                f"assert all(x.ok for x in o), [x.error for x in o if not x.ok]",
            )
        res["jobs2_speedup"] = res["run_all_jobs1"]["wall_s"] / res["run_all_jobs2"]["wall_s"]
    per10k = res["run_branch"]["wall_s"] / (spec["customers"] / 10_000)
    res["run_branch_per_10k_s"] = per10k
    return res


EXTRACT = """
import shutil
from pathlib import Path
src, dst = Path({src!r}), Path({dst!r})
shutil.rmtree(dst, ignore_errors=True)
dst.mkdir(parents=True)
import pandas as pd
for p in src.iterdir():
    if p.is_dir():
        part = p / "branch_id=meishan"
        if part.is_dir():
            shutil.copytree(part, dst / p.name / "branch_id=meishan")
    elif p.suffix == ".csv":
        df = pd.read_csv(p, dtype=str, keep_default_na=False)
        if "branch_id" in df and p.stem != "branches":
            df = df[df["branch_id"] == "meishan"]
        if p.stem == "branches":
            df = df[df["branch_id"] == "meishan"]
        if p.stem in ("campaign_contacts", "interactions", "transactions", "monthly_snapshots"):
            cust = pd.read_csv(src / "customers.csv", dtype=str, keep_default_na=False)
            ids = set(cust.loc[cust["branch_id"] == "meishan", "customer_id"])
            df = df[df["customer_id"].isin(ids)]
        df.to_csv(dst / p.name, index=False)
"""

IN_PROCESS = """
# The notebooks' own code, every cell, executed in this one process: the
# same package calls, tables and PNG figures, without kernels or papermill.
import json, os, time
import matplotlib
matplotlib.use("Agg")
import nbformat
from analysis.run import runner
from analysis.data.bank import load
out = {out!r}
bank = load({data!r}, "meishan")
prepared = bank.save(os.path.join(out, "_bank"))
extra = {{}}
for nb_path in runner.notebook_paths():
    nb = nbformat.read(nb_path, as_version=4)
    ns = {{"__name__": "__main__"}}
    params = dict(bank_path=str(prepared), data_dir=None, branch="meishan", as_of=None, out_dir=out, lang="zh")
    t = time.perf_counter()
    ns.update(params)
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        src = "\\n".join(l for l in cell.source.splitlines() if not l.lstrip().startswith(("%", "!")))
        exec(compile(src, nb_path.name, "exec"), ns)
    import matplotlib.pyplot as plt
    plt.close("all")
    extra[nb_path.stem] = round(time.perf_counter() - t, 2)
# and the briefing, as the runner builds it after the notebooks
from pathlib import Path
from analysis.report.briefing import build_briefing
from analysis.run.results import assemble
t = time.perf_counter()
card = runner.run_card(bank, runner.RunOptions(out_root=out), {data!r}, {{}})
build_briefing(Path(out), assemble(Path(out), card), lang="zh")
extra["briefing"] = round(time.perf_counter() - t, 2)
"""


def machine() -> dict:
    from importlib.metadata import version

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "platform": platform.platform(),
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gb": round(mem, 1),
        "python": platform.python_version(),
        "versions": {p: version(p) for p in ("pandas", "numpy", "pyarrow", "duckdb", "statsmodels", "papermill")},
    }


def check_targets(results: dict) -> list[dict]:
    rows = []

    def add(key: str, value: float | None, higher_is_better: bool = False) -> None:
        target = TARGETS[key]
        if value is None:
            return
        ok = value >= target if higher_is_better else value <= target
        rows.append({"target": key, "measured": round(value, 2), "limit": target, "met": ok})

    med = results.get("medium")
    if med:
        add("medium.run_branch_s", med["run_branch"]["wall_s"])
        add("medium.notebook_overhead_ratio", med["notebook_overhead_ratio"])
        add("medium.run_branch_peak_mb", med["run_branch"]["peak_mb"])
    large = results.get("large")
    if large:
        add("large.partition_read_ratio", large.get("partition_read_ratio"))
        add("large.validate_s", large["validate"]["wall_s"])
        add("large.validate_peak_mb", large["validate"]["peak_mb"])
        add("large.sample_s", large["sample"]["wall_s"])
        add("large.jobs2_speedup", large.get("jobs2_speedup"), higher_is_better=True)
    if results.get("small") and med:
        ratio = med["run_branch_per_10k_s"] / results["small"]["run_branch_per_10k_s"]
        # Linear cost: time per 10k customers within 1.5× between sizes (either way).
        add("scaling.per10k_ratio", max(ratio, 1 / ratio))
    return rows


def markdown(report: dict) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {report['machine']['platform']}, {report['machine']['cores']} cores, "
        f"{report['machine']['memory_gb']} GB; Python {report['machine']['python']}; "
        + ", ".join(f"{k} {v}" for k, v in report["machine"]["versions"].items()),
        "",
        "| size | stage | wall (s) | peak memory (MB) |",
        "| --- | --- | ---: | ---: |",
    ]
    for size, res in report["results"].items():
        for key, val in res.items():
            if isinstance(val, dict) and "wall_s" in val:
                lines.append(f"| {size} | {key} | {val['wall_s']:.1f} | {val['peak_mb']:.0f} |")
    lines += ["", "Notebook timings (s) of the one-branch run:", ""]
    for size, res in report["results"].items():
        t = res.get("notebook_timings") or {}
        if t:
            lines.append(f"- {size}: " + ", ".join(f"{k} {v:.1f}" for k, v in t.items()))
    lines += ["", "| target | measured | limit | met |", "| --- | ---: | ---: | --- |"]
    for row in report["targets"]:
        lines.append(f"| {row['target']} | {row['measured']} | {row['limit']} | {'yes' if row['met'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="small,medium", help="comma-separated: small, medium, large")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "qvsrs-bench")
    ap.add_argument("--keep", action="store_true", help="keep the generated banks and reports")
    args = ap.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size {unknown}; choose from {list(SIZES)}")
    args.work.mkdir(parents=True, exist_ok=True)
    results = {s: bench_size(s, args.work, jobs_compare=(s == "large")) for s in sizes}
    OUT.mkdir(exist_ok=True)
    previous = json.loads((OUT / "results.json").read_text()) if (OUT / "results.json").is_file() else {}
    merged = {**previous.get("results", {}), **results}
    report = {
        "machine": machine(),
        "results": merged,
        "targets": check_targets(merged),
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    (OUT / "results.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    (OUT / "results.md").write_text(markdown(report))
    print("\n" + markdown(report))
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
