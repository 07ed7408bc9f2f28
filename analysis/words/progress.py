"""Words of quarter after quarter: a partial rerun, progress against the
targets, the changes since the previous run, last quarter's plan against
what happened.

The numbers and verdicts come from the run (`analysis.run.progress`); here
they are only worded, one sentence pattern per language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.words.i18n import t
from analysis.words.lang import pick

#: results section → the briefing section that shows it (its title key)
SECTION_TITLES = {
    "overview": "sec_overview",
    "value": "sec_value",
    "churn": "sec_churn",
    "satisfaction": "sec_satisfaction",
    "qvsrs": "sec_satisfaction",
    "competitors": "sec_competitors",
    "campaigns": "sec_campaigns",
    "economics": "sec_campaigns",
    "plan": "sec_plan",
    "relationship_managers": "sec_plan",
}


def when(stamp: Any) -> str:
    """An ISO time as a manager reads it: 2026-07-01T09:00:00+08:00 → 2026-07-01 09:00."""
    text = str(stamp or "—")
    return text[:16].replace("T", " ") if len(text) >= 16 and text[10] == "T" else text


def section_titles(sections: list[str], lang: str) -> list[str]:
    """The briefing titles of results sections, each once, in briefing order."""
    keys = list(dict.fromkeys(SECTION_TITLES[s] for s in sections if s in SECTION_TITLES))
    order = list(dict.fromkeys(SECTION_TITLES.values()))
    return [t(k, lang) for k in sorted(keys, key=order.index)]


def merged_label(lang: str) -> str:
    return pick(lang, "部分重算", "Partial rerun")


def merged_note(merged: Mapping[str, Any] | None, lang: str) -> str | None:
    """The run card's line on a run of some notebooks merged into an earlier
    report of the same month; None for a full run."""
    if not merged:
        return None
    redone = section_titles(list(merged.get("sections_rerun") or []), lang)
    quoted = [f"“{x}”" for x in redone] or ["—"]
    en_list = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    stamp = when(merged.get("into_generated_at"))
    note = pick(
        lang,
        f"本简报只重新计算了{'、'.join(quoted)}；其余各节沿用同一分析月份、生成于{stamp}的报告",
        f"Only {en_list} {'was' if len(quoted) == 1 else 'were'} recomputed for this briefing; the other "
        f"sections are those of the report for the same month generated {stamp}",
    )
    if not merged.get("figures_kept") and merged.get("sections_kept"):
        note += pick(lang, "（这些章节不附图）", " (shown without their figures)")
    return note + pick(lang, "。", ".")
