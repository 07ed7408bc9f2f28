"""A run of some notebooks merged into the branch's report of its as-of.

`run --notebooks 02_churn` reruns the churn notebook and keeps the rest of the
branch's report as of the same month, rather than replacing it with a
churn-only one:

1. `merge_base` finds that report (the branch folder when it shows that
   as-of, else the run kept in `runs/<as_of>/`); `check_base` refuses to mix
   sections computed on other data, under other assumptions or in another
   language (a UsageError that says which and what to do);
2. `seed_sections` links its sections into the staging folder before the
   notebooks start, so a rerun notebook that reads another's section finds
   it, as in a full run;
3. after the notebooks, `take_over` links in every notebook, figure, table
   and file of that report the rerun did not replace (a figure or table
   belongs to the section its name starts with: a rerun section's old files
   are dropped, not mixed with its new ones);
4. `merged_card` says in the run card what was rerun and what was kept.

A report kept in `runs/` has no figure PNGs or executed notebooks
(`archive.LATEST_ONLY`): merged into it, the kept sections keep their
numbers and text but no figures, and the runner says so.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis.errors import UsageError
from analysis.report.figures import section_of
from analysis.run.archive import NEVER_KEPT, RUNS_DIR, kept_runs, link_file, report_as_of
from analysis.sections import dumps

SECTIONS_DIR = "sections"
#: the run's own files, never taken over from the report merged into
OWN_FILES = ("results.json", "results.schema.json", "briefing.html", "briefing.pptx", "progress.json")
#: results sections shown in another's briefing section (their files share its prefixes)
SHOWN_WITH = {"qvsrs": "satisfaction", "relationship_managers": "plan", "economics": "campaigns"}
NOTEBOOK_STEM = re.compile(r"^\d\d_\w+$")


def merge_base(final: Path, as_of: str) -> Path | None:
    """The branch's report as of `as_of` (YYYY-MM-DD) to merge into: the
    branch folder when it shows that as-of, else its kept run, else None."""
    final = Path(final)
    if report_as_of(final) == as_of:
        return final
    return kept_runs(final).get(as_of)


def _plain(x: Any) -> Any:
    """As results.json holds it (tuples as lists, numbers as JSON numbers)."""
    return json.loads(dumps(x))


def base_results(base: Path) -> dict:
    return json.loads((Path(base) / "results.json").read_text(encoding="utf-8"))


def check_base(
    base: Path, fingerprint: str, assumptions: Mapping[str, Any], lang: str, notebooks: Iterable[str]
) -> dict:
    """The base report's results.json; UsageError when the rerun's sections
    would not belong beside its sections."""
    res = base_results(base)
    run = res.get("run") if isinstance(res.get("run"), dict) else {}
    why = []
    if res.get("data_fingerprint") != fingerprint:
        why.append("other data (its data fingerprint differs)")
    if _plain(run.get("assumptions")) != _plain(dict(assumptions)):
        why.append("other assumptions")
    made_in = (run.get("parameters") or {}).get("lang")
    if made_in and made_in != lang:
        why.append(f"another language ({made_in})")
    if why:
        raise UsageError(
            f"{', '.join(notebooks)} cannot be merged into the report as of {res.get('as_of')} in {base}: "
            f"that report was made from {' and '.join(why)}; run every notebook (leave out --notebooks), "
            f"or run with that report's data, assumptions and language"
        )
    return res


def seed_sections(base: Path, staging: Path) -> list[str]:
    """The base report's sections linked into the staging folder; their names."""
    names = []
    for p in sorted((Path(base) / SECTIONS_DIR).glob("*.json")):
        link_file(p, Path(staging) / SECTIONS_DIR / p.name)
        names.append(p.stem)
    return names


def rewritten_sections(base: Path, staging: Path) -> list[str]:
    """The sections the rerun wrote (a section is written whole, by a rename:
    a seeded one that is still the base's file was not rewritten)."""
    out = []
    for p in sorted((Path(staging) / SECTIONS_DIR).glob("*.json")):
        b = Path(base) / SECTIONS_DIR / p.name
        if not b.is_file() or not os.path.samestat(p.stat(), b.stat()):
            out.append(p.stem)
    return out


def take_over(base: Path, staging: Path, ran: Iterable[str], rewritten: Iterable[str]) -> list[str]:
    """Link into `staging` what of the base report the rerun did not replace:
    the notebooks not rerun, the figures and tables of the sections not
    rewritten, and any other file the rerun did not write. The files taken."""
    base, staging = Path(base), Path(staging)
    ran = set(ran)
    redone = {SHOWN_WITH.get(s, s) for s in rewritten}
    taken = []
    for p in sorted(base.rglob("*")):
        rel = p.relative_to(base)
        top = rel.parts[0]
        if not p.is_file() or top in (RUNS_DIR, SECTIONS_DIR, *NEVER_KEPT) or rel.as_posix() in OWN_FILES:
            continue
        dst = staging / rel
        if dst.exists():
            continue
        if top == "notebooks" and p.stem in ran:
            continue
        if top in ("figures", "tables") and section_of(p.stem) in redone:
            continue  # the rerun section's files are its new ones only
        link_file(p, dst)
        taken.append(rel.as_posix())
    return taken


def notebooks_of(results: Mapping[str, Any]) -> list[str]:
    """The notebooks whose sections a report holds (its run card's, or its timings')."""
    run = results.get("run") if isinstance(results.get("run"), dict) else {}
    if isinstance(run.get("notebooks"), list):
        return list(run["notebooks"])
    return sorted(k for k in (run.get("timings") or {}) if NOTEBOOK_STEM.match(k))


def merged_card(
    base: Path, final: Path, res: Mapping[str, Any], ran: list[str], seeded: list[str], rewritten: list[str]
) -> dict:
    """The run card's `merged`: what was rerun, what was kept and from which report."""
    kept = [n for n in notebooks_of(res) if n not in ran]
    return {
        "into_as_of": res.get("as_of"),
        "into_generated_at": res.get("generated_at"),
        "into": "latest" if Path(base) == Path(final) else "kept run",
        "notebooks_rerun": sorted(ran),
        "notebooks_kept": kept,
        "sections_rerun": rewritten,
        "sections_kept": [s for s in seeded if s not in rewritten],
        "figures_kept": (Path(base) / "figures").is_dir(),
    }
