"""Words of quarter after quarter: a partial rerun, progress against the
targets, the changes since the previous run, last quarter's plan against
what happened.

The numbers and verdicts come from the run (`analysis.run.progress`); here
they are only worded, one sentence pattern per language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.words.format import plural
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


# --------------------------------------------------------------------------
# the briefing's block: targets, since the last run, last quarter's plan

TARGET_STATUS: dict[str, tuple[str, str]] = {
    "met": ("已达成", "Met"),
    "on_track": ("按进度推进", "On track"),
    "behind": ("落后于进度", "Behind"),
    "overdue": ("逾期未达成", "Overdue"),
    "open": ("首次测量", "First measurement"),
    "not_measured": ("本期无此数字", "Not measured"),
}
NOISE: dict[object, tuple[str, str]] = {
    True: ("超出随机波动", "Beyond noise"),
    False: ("在随机波动之内", "Within noise"),
    None: ("无法判断", "Noise unknown"),
}
PLAN_VERDICT: dict[str, tuple[str, str]] = {
    "met": ("达到目标", "Target met"),
    "improved": ("有改善，未达目标", "Improved, short of target"),
    "not_improved": ("未改善", "Not improved"),
    "not_measured": ("本套数字无法衡量", "Not measured by these figures"),
}
#: statuses shown as good news (marked like the index's best) and bad news (worst)
GOOD = ("met", "on_track")
BAD = ("behind", "overdue", "not_improved")


def target_status(status: str, lang: str) -> str:
    return pick(lang, *TARGET_STATUS[status])


def noise_word(beyond: bool | None, lang: str) -> str:
    return pick(lang, *NOISE[beyond])


def plan_verdict(verdict: str, lang: str) -> str:
    return pick(lang, *PLAN_VERDICT[verdict])


def headings(lang: str) -> dict[str, str]:
    """Titles and column heads of the block."""
    return {
        "targets": pick(lang, "目标进度", "Progress against targets"),
        "figure": pick(lang, "指标", "Figure"),
        "start": pick(lang, "起点", "Start"),
        "now": pick(lang, "本期", "Now"),
        "target": pick(lang, "目标值", "Target"),
        "due": pick(lang, "期限", "Due"),
        "status": pick(lang, "进度", "Status"),
        "then": pick(lang, "上次", "Then"),
        "change": pick(lang, "变化", "Change"),
        "noise": pick(lang, "是否超出随机波动", "Beyond noise?"),
        "action": pick(lang, "行动", "Action"),
        "kpi": pick(lang, "衡量指标", "KPI"),
        "baseline": pick(lang, "基线", "Baseline"),
        "actual": pick(lang, "实际", "Actual"),
        "outcome": pick(lang, "结果", "Outcome"),
    }


def targets_note(lang: str) -> str:
    return pick(
        lang,
        "目标由管理层设定。“按进度推进”指本期数字不差于从起点（首次记录）到期限的直线进度。",
        "Targets are set by management. “On track” means the figure is no worse than a straight line "
        "from its start (first recorded value) to the target on its due date.",
    )


def since_title(as_of: str, lang: str) -> str:
    return pick(lang, f"与上次运行（数据截至{as_of}）相比", f"Since the last run (data as of {as_of})")


def since_note(moved_elsewhere: int, lang: str, unchanged: int = 0) -> str:
    """The line under the changes: how many figures read as last time, what
    beyond noise means, and how many other figures moved beyond noise."""
    note = ""
    if unchanged:
        note += pick(
            lang,
            f"其余{unchanged}项指标与上次相同。",
            f"The other {plural(unchanged, 'figure')} read as last time. ",
        )
    note += pick(
        lang,
        "超出随机波动：变化的95%区间不含0，即很可能不是抽样造成的。",
        "Beyond noise: the change's 95% interval excludes zero, so it is unlikely to be chance.",
    )
    if moved_elsewhere:
        note += pick(
            lang,
            f"另有{moved_elsewhere}项数字的变化超出随机波动。",
            f" {plural(moved_elsewhere, 'other figure')} moved beyond noise.",
        )
    return note


def plan_title(start: Any, end: Any, lang: str) -> str:
    return pick(
        lang,
        f"上季度计划执行情况（{start or '—'}至{end or '—'}）",
        f"Last quarter's plan against what happened ({start or '—'} to {end or '—'})",
    )


def plan_note(quarter_over: bool, as_of: str, lang: str) -> str:
    base = pick(
        lang,
        "实际值取自本期的同一指标（全网点口径）；触达人数、活动支出和活动效果需看执行记录，本套数字无法衡量。",
        "Actual values are the same measures in this run's figures (the whole branch); customers reached, "
        "spend and a campaign's effect need the delivery records and are not measured here.",
    )
    if not quarter_over:
        base += pick(
            lang,
            f"本期数据截至{as_of}，该季度尚未结束，实际值是阶段性结果。",
            f" The data run to {as_of}, before that quarter ended: the actual values are interim.",
        )
    return base
