"""Time every stage of the suite at several bank sizes (not part of the tests).

    .venv/bin/python benchmarks/run.py                                    # small and medium
    .venv/bin/python benchmarks/run.py --sizes large                      # the 1M-customer bank (long, ~10 GB disk)
    .venv/bin/python benchmarks/run.py --sizes province                   # 40 branches × 5k, --jobs 2 (~10 min)
    .venv/bin/python benchmarks/run.py --sizes four                       # 4 branches × 2k, --jobs 1 against 2
    .venv/bin/python benchmarks/run.py --sizes small --stages compute_only,run_branch

Sizes: small = 1 branch × 5,000 customers; medium = 1 branch × 50,000;
large = 20 branches × 50,000 (1M customers; 31 months, so ≥ 24M snapshot
rows); four = 4 branches × 2,000 (the throughput of `--jobs 1` against
`--jobs 2`); province = 40 branches × 5,000 (a province's outlets, the whole
run with briefings, `--jobs 2`). `--stages` picks stages (default: each
size's own list, `STAGES`), `--jobs` the settings of the `run_all` stage.

Each stage runs in its own process, so its wall time and peak memory (max
RSS of the process and of any process it started: kernels, workers) are its
own. `compute_only` computes every results.json section in one process
(`analysis.run.compute`: no notebooks, no figures, no briefing) beside the
full `run_branch`; with one-branch runs at two sizes or more, the fixed
per-branch cost and the cost per 10k customers are fitted from them. Writes
`benchmarks/results.json` and `benchmarks/results.md` (stages measured
before are kept, each with its date and command) with the machine and
versions, and compares against the targets of issues 8 and 18.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: the checkout whose package the stages run (`--repo`: another one, to compare code on the same banks)
SUITE = {"repo": REPO}
OUT = HERE  # results.json and results.md are committed beside this script
PY = sys.executable
CORES = os.cpu_count() or 1

SIZES = {
    "small": {"branches": 1, "customers": 5_000},
    "medium": {"branches": 1, "customers": 50_000},
    # 31 months of history: at least 24M snapshot rows, as issue 8 asks (30 months give 23.9M)
    "large": {"branches": 20, "customers": 50_000, "months": 31},
    "four": {"branches": 4, "customers": 2_000},
    "province": {"branches": 40, "customers": 5_000},
}
ONE_BRANCH = ["sample", "validate", "load_branch", "in_process", "compute_only", "run_branch"]
STAGES = {
    "small": ONE_BRANCH,
    "medium": ONE_BRANCH,
    "large": ["sample", "validate", "load_branch", "partition", "in_process", "run_branch", "run_all"],
    "four": ["sample", "run_all"],
    "province": ["sample", "validate", "run_all"],
}
ALL_STAGES = ["sample", "validate", "load_branch", "partition", "in_process", "compute_only", "run_branch", "run_all"]
#: `run_all`: the --jobs settings and how many of the size's branches (None: all)
RUN_ALL = {"large": ((1, 2), 4), "four": ((1, 2), None), "province": ((2,), None)}

# Targets: (issue, name, limit, higher is better).
TARGETS = [
    (8, "medium.run_branch_s", 45.0, False),
    (8, "medium.notebook_overhead_ratio", 1.3, False),
    (8, "medium.run_branch_peak_mb", 2048.0, False),
    (8, "large.partition_read_ratio", 1.5, False),
    (8, "large.validate_s", 60.0, False),
    (8, "large.validate_peak_mb", 4096.0, False),
    (8, "large.sample_s", 120.0, False),
    (8, "large.jobs2_speedup", 1.7, True),
    (8, "scaling.per10k_ratio", 1.5, False),
    (18, "province.run_all_jobs2_s", 480.0, False),
    (18, "small.run_branch_s", 12.0, False),
    (18, "medium.run_branch_s", 30.0, False),
    (18, "medium.run_branch_peak_mb", 1536.0, False),
    (18, "medium.full_over_compute", 2.0, False),
    (18, "four.jobs2_speedup", 1.6, True),
]

STAGE = r"""
import json, resource, sys, time
_started = time.perf_counter()
{code}
wall = time.perf_counter() - _started
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # kernels and workers, once ended
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
stats = {{"wall_s": wall, "cpu_s": cpu, "peak_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024,
         "extra": globals().get("extra", {{}})}}
print("@@STAGE@@" + json.dumps(stats))
"""


def stage(name: str, code: str) -> dict:
    """Run `code` in a fresh interpreter; its wall time and peak memory."""
    script = STAGE.format(code=code)
    load_before = os.getloadavg()[0]  # a shared machine: how busy it was when the stage began
    started = time.perf_counter()
    # The stage imports the package of the checkout it runs in, and so do its kernels.
    env = {**os.environ, "PYTHONPATH": str(SUITE["repo"])}
    proc = subprocess.run([PY, "-c", script], cwd=SUITE["repo"], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"stage {name} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    line = next(line for line in proc.stdout.splitlines() if line.startswith("@@STAGE@@"))
    out = json.loads(line[len("@@STAGE@@") :])
    out["process_s"] = time.perf_counter() - started
    out["measured_at"] = time.strftime("%Y-%m-%d %H:%M")
    out["load_before"] = round(load_before, 2)
    out["load_after"] = round(os.getloadavg()[0], 2)
    print(
        f"  {name:<34} {out['wall_s']:8.1f} s  {out['cpu_s']:8.1f} s CPU  {out['peak_mb']:8.0f} MB"
        f"  (load {load_before:.1f})",
        flush=True,
    )
    return out


def bench_size(size: str, work: Path, stages: list[str], jobs: tuple[int, ...] | None, reuse: bool) -> dict:
    """The stages of one size, by name (plus what they report: rows, timings)."""
    spec = SIZES[size]
    data = work / f"bank-{size}"
    res: dict = {"size": size, **spec}
    print(f"\n== {size}: {spec['branches']} branch(es) × {spec['customers']:,} customers", flush=True)
    if "sample" in stages or not (reuse and data.is_dir()):
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
    if "validate" in stages:
        res["validate"] = stage(
            "validate (whole folder)",
            f"from analysis.data.bank import read_folder\nt, p = read_folder({str(data)!r})\nassert not p, p[:3]",
        )
    if "load_branch" in stages:
        res["load_branch"] = stage("load one branch", f"import analysis\nb = analysis.load({str(data)!r}, 'meishan')")
    if "partition" in stages and spec["branches"] > 1:
        # The same branch stored alone, to price reading it from the shared store.
        alone = work / f"bank-{size}-meishan-alone"
        res["extract_alone"] = stage("extract meishan alone", EXTRACT.format(src=str(data), dst=str(alone)))
        res["load_branch_alone"] = stage(
            "load meishan stored alone", f"import analysis\nb = analysis.load({str(alone)!r}, 'meishan')"
        )
    if "in_process" in stages:
        res["in_process"] = stage(
            "notebook code in one process", IN_PROCESS.format(data=str(data), out=str(work / f"inproc-{size}"))
        )
        res["in_process_timings"] = res["in_process"]["extra"]
    if "compute_only" in stages:
        res["compute_only"] = stage("every section, no notebooks/figures", COMPUTE_ONLY.format(data=str(data)))
    if "run_branch" in stages:
        out = work / f"out-{size}"
        res["run_branch"] = stage(
            f"run one branch (notebooks + briefing, {CORES} slots)",
            f"from analysis.run import runner\n"
            f"opts = runner.RunOptions(out_root={str(out)!r}, quiet=True, notebook_jobs={CORES})\n"
            f"o = runner.run_branch({str(data)!r}, 'meishan', opts)\n"
            f"assert o.ok, o.error\n"
            f"import json\n"
            f"extra = json.load(open({str(out / 'meishan' / 'results.json')!r}))['run'].get('timings', {{}})",
        )
        res["notebook_timings"] = res["run_branch"]["extra"]
    if "run_all" in stages:
        settings, first = RUN_ALL.get(size, ((1, 2), None))
        for j in jobs or settings:
            res[f"run_all_jobs{j}"] = stage(
                f"run {first or spec['branches']} branches, --jobs {j}",
                RUN_ALL_CODE.format(
                    data=str(data), out=str(work / f"out-all-{size}-{j}"), first=first, jobs=j, cores=CORES
                ),
            )
    return res


RUN_ALL_CODE = """
# What `python -m analysis run --all-branches --jobs J` does: every branch's
# notebooks in one queue of J slots, briefings, then branches.csv and index.html.
# (notebook_jobs as the command line set it before the one queue, for `--repo`
# of older code: J processes of cores // J notebooks each; the queue ignores it.)
from analysis.data.bank import branch_ids
from analysis.run import runner
branches = branch_ids({data!r})[:{first}]
opts = runner.RunOptions(out_root={out!r}, quiet=True, notebook_jobs=max(1, {cores} // {jobs}))
o = runner.run_all({data!r}, opts, branches=branches, jobs={jobs})
assert all(x.ok for x in o), [x.error for x in o if not x.ok]
runner.write_overview(opts.out_root, o)
extra = {{"branches": len(o), "branch_s": [round(x.seconds, 1) for x in o]}}
"""

COMPUTE_ONLY = """
# Every section of results.json computed in this one process (analysis.run.compute):
# the same questions as the notebooks, without kernels, figures or the briefing.
import time
from analysis.data.bank import load
from analysis.run.compute import compute_results
t = time.perf_counter()
bank = load({data!r}, "meishan")
loaded = time.perf_counter()
results = compute_results(bank)
extra = {{
    "load_s": round(loaded - t, 2),
    "compute_s": round(time.perf_counter() - loaded, 2),
    "sections": sorted(k for k, v in results.items() if isinstance(v, dict) and "status" in v),
}}
"""

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


def derived(res: dict) -> dict:
    """The ratios and rates of one size, from its stages (as measured, whenever that was)."""
    out: dict = {}

    def wall(key: str) -> float | None:
        return res[key]["wall_s"] if isinstance(res.get(key), dict) and "wall_s" in res[key] else None

    pairs = {
        "notebook_overhead_ratio": ("run_branch", "in_process"),  # full run against the notebooks' code in one process
        "full_over_compute": ("run_branch", "compute_only"),  # full run against every section computed, no figures
        "partition_read_ratio": ("load_branch", "load_branch_alone"),
        "jobs2_speedup": ("run_all_jobs1", "run_all_jobs2"),  # throughput of --jobs 2 over --jobs 1
    }
    for name, (a, b) in pairs.items():
        if wall(a) and wall(b):
            out[name] = wall(a) / wall(b)
    if wall("run_branch"):
        out["run_branch_per_10k_s"] = wall("run_branch") / (res["customers"] / 10_000)
    for key in res:
        if key.startswith("run_all_jobs") and wall(key):
            n = res[key].get("extra", {}).get("branches") or res["branches"]
            out[f"{key}_per_branch_s"] = wall(key) / n
    return out


def scaling(results: dict) -> dict:
    """Fixed per-branch cost and cost per 10k customers: a line through the
    one-branch runs (`run_branch`, and `compute_only`) at two sizes or more."""
    out: dict = {}
    for key in ("run_branch", "compute_only"):
        points = sorted(
            (r["customers"], r[key]["wall_s"], r[key].get("measured_at", "?"))
            for r in results.values()
            if r.get("branches") == 1 and isinstance(r.get(key), dict)
        )
        if len({n for n, _, _ in points}) < 2:
            continue
        xs = [n / 10_000 for n, _, _ in points]
        ys = [t for _, t, _ in points]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        out[key] = {
            "fixed_s": my - slope * mx,
            "per_10k_s": slope,
            "points": [{"customers": n, "wall_s": t, "measured_at": d} for n, t, d in points],
        }
    return out


def value_of(results: dict, name: str) -> float | None:
    """A target's figure: `size.stage_s`, `size.stage_peak_mb`, `size.<derived>`, `scaling.per10k_ratio`."""
    size, what = name.split(".", 1)
    if size == "scaling":
        small, med = results.get("small", {}), results.get("medium", {})
        a, b = derived(small).get("run_branch_per_10k_s"), derived(med).get("run_branch_per_10k_s")
        # Linear cost: time per 10k customers within 1.5× between sizes (either way).
        return max(a / b, b / a) if a and b else None
    res = results.get(size)
    if not res:
        return None
    for suffix, field in (("_s", "wall_s"), ("_peak_mb", "peak_mb")):
        key = what[: -len(suffix)]
        if what.endswith(suffix) and isinstance(res.get(key), dict):
            return res[key][field]
    return derived(res).get(what)


def check_targets(results: dict) -> list[dict]:
    rows = []
    for issue, name, limit, higher in TARGETS:
        value = value_of(results, name)
        if value is None:
            continue
        ok = value >= limit if higher else value <= limit
        rows.append({"issue": issue, "target": name, "measured": round(value, 2), "limit": limit, "met": ok})
    return rows


def _day(measured_at: str) -> str | None:
    """The date in a stage's `measured_at` ("2026-12-03 09:02", "by 2026-11-28")."""
    found = re.search(r"\d{4}-\d\d-\d\d", measured_at)
    return found.group(0) if found else None


def markdown(report: dict) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/run.py` (see benchmarks/README.md for how to read them).",
        "",
        f"Machine: {report['machine']['platform']}, {report['machine']['cores']} cores, "
        f"{report['machine']['memory_gb']} GB; Python {report['machine']['python']}; "
        + ", ".join(f"{k} {v}" for k, v in report["machine"]["versions"].items()),
        "",
        "The load average (1 min) before and after a stage tells how busy the shared machine was;",
        f"below {report['machine']['cores']} the stage had the cores to itself.",
        "",
        "CPU is the stage's own (its process and every process it started, user + system): CPU ÷ wall is",
        "how many cores the stage kept busy, which the machine's other work does not inflate.",
        "",
        "| size | stage | wall (s) | CPU (s) | cores busy | peak memory (MB) | measured | load before → after |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for size, res in report["results"].items():
        for key, val in res.items():
            if isinstance(val, dict) and "wall_s" in val:
                when = val.get("measured_at", "?")
                load = f"{val['load_before']:.1f} → {val['load_after']:.1f}" if "load_before" in val else ""
                cpu = f"{val['cpu_s']:.1f} | {val['cpu_s'] / val['wall_s']:.2f}" if "cpu_s" in val else " | "
                lines.append(
                    f"| {size} | {key} | {val['wall_s']:.1f} | {cpu} | {val['peak_mb']:.0f} | {when} | {load} |"
                )
    lines += ["", "Derived figures:", ""]
    for size, res in report["results"].items():
        d = derived(res)
        if d:
            lines.append(f"- {size}: " + ", ".join(f"{k} {v:.2f}" for k, v in d.items()))
    fit = report.get("scaling") or {}
    if fit:
        lines += ["", "Fixed per-branch cost and cost per 10k customers (a line through the one-branch runs):", ""]
        for key, f in fit.items():
            pts = "; ".join(
                f"{p['customers']:,} customers {p['wall_s']:.1f} s ({p['measured_at']})" for p in f["points"]
            )
            lines.append(f"- {key}: fixed {f['fixed_s']:.1f} s + {f['per_10k_s']:.2f} s per 10k customers (from {pts})")
            if len({_day(p["measured_at"]) for p in f["points"]}) > 1:
                lines.append(
                    "  (points measured on different days, perhaps of different code: measure both sizes again)"
                )
    lines += ["", "Notebook timings (s) of the one-branch run:", ""]
    for size, res in report["results"].items():
        t = res.get("notebook_timings") or {}
        if t:
            lines.append(f"- {size}: " + ", ".join(f"{k} {v:.1f}" for k, v in t.items() if v is not None))
    lines += ["", "| issue | target | measured | limit | met |", "| --- | --- | ---: | ---: | --- |"]
    for row in report["targets"]:
        met = "yes" if row["met"] else "NO"
        lines.append(f"| {row.get('issue', 8)} | {row['target']} | {row['measured']} | {row['limit']} | {met} |")
    commands = report.get("commands") or []
    if commands:
        lines += ["", "Commands that measured the figures above (latest last):", ""]
        for c in commands:
            stages = f" ({', '.join(c['measured'])})" if c.get("measured") else ""
            lines.append(f"- {c['measured_at']}: `{c['command']}`{stages}")
    return "\n".join(lines) + "\n"


def commands_after(previous: list[dict], command: str, results: dict) -> list[dict]:
    """The commands behind the figures kept: this one (with the stages it
    measured), and those before it that still have a stage not measured again."""
    now = {
        f"{size}.{k}" for size, res in results.items() for k, v in res.items() if isinstance(v, dict) and "wall_s" in v
    }
    kept = []
    for c in previous:
        left = [m for m in c.get("measured", []) if m not in now]
        if left or "measured" not in c:
            kept.append({**c, "measured": left} if "measured" in c else c)
    return [*kept, {"command": command, "measured_at": time.strftime("%Y-%m-%d %H:%M"), "measured": sorted(now)}]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="small,medium", help=f"comma-separated: {', '.join(SIZES)}")
    ap.add_argument("--stages", help=f"comma-separated, for every size given: {', '.join(ALL_STAGES)}")
    ap.add_argument("--jobs", help="the --jobs settings of run_all, comma-separated (default: the size's)")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "qvsrs-bench")
    ap.add_argument("--keep", action="store_true", help="keep the generated banks and reports")
    ap.add_argument("--reuse", action="store_true", help="use a bank left by an earlier --keep run (no sample stage)")
    ap.add_argument(
        "--repo",
        type=Path,
        help="run the stages with another checkout's package (e.g. main, on the same --reuse banks); "
        "its figures are printed, results.json and results.md are left as they are",
    )
    args = ap.parse_args()
    if args.repo:
        SUITE["repo"] = args.repo.resolve()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size {unknown}; choose from {list(SIZES)}")
    chosen = [s.strip() for s in args.stages.split(",")] if args.stages else None
    if chosen and set(chosen) - set(ALL_STAGES):
        raise SystemExit(f"unknown stage {sorted(set(chosen) - set(ALL_STAGES))}; choose from {ALL_STAGES}")
    jobs = tuple(int(j) for j in args.jobs.split(",")) if args.jobs else None
    args.work.mkdir(parents=True, exist_ok=True)
    results = {s: bench_size(s, args.work, chosen or STAGES[s], jobs, args.reuse) for s in sizes}
    if args.repo:
        for size, res in results.items():
            print(f"{size} with {SUITE['repo']}: " + ", ".join(f"{k} {v:.2f}" for k, v in derived(res).items()))
        if not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)
        return
    OUT.mkdir(exist_ok=True)
    previous = json.loads((OUT / "results.json").read_text()) if (OUT / "results.json").is_file() else {}
    merged = dict(previous.get("results", {}))
    for res in merged.values():  # stages of a report from before dates were kept per stage
        for val in res.values():
            if isinstance(val, dict) and "wall_s" in val and "measured_at" not in val:
                val["measured_at"] = f"by {previous.get('measured_at', '?')[:10]}"
    for size, res in results.items():
        # Stages measured now replace the same stages of before; the others are kept (with their dates).
        merged[size] = {**merged.get(size, {}), **res}
        for old in [k for k in merged[size] if k.endswith(("_ratio", "_speedup", "_per_10k_s"))]:
            merged[size].pop(old)  # derived figures are computed afresh (`derived`)
    command = "OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/run.py " + shlex.join(sys.argv[1:])
    report = {
        "machine": machine(),
        "results": merged,
        "derived": {size: derived(res) for size, res in merged.items()},
        "scaling": scaling(merged),
        "targets": check_targets(merged),
        "commands": commands_after(previous.get("commands", []), command, results),
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    (OUT / "results.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    (OUT / "results.md").write_text(markdown(report))
    print("\n" + markdown(report))
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
