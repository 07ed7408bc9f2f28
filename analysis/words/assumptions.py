"""The analyst's assumptions in words: the labels that follow them and the
briefing's first-page line when they are not the contract's.

    assumptions_of(results)               # the Assumptions a results.json was made under (run card)
    window_words(6, "zh")                 # "近6个月"
    assumptions_note(results, "en")       # None on the defaults, else one line listing what changed
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from analysis.assumptions import Assumptions
from analysis.errors import UsageError
from analysis.words.format import num, pct
from analysis.words.lang import pick

#: field → (zh, en) with `{v}` (this run's value) and `{d}` (the contract's)
CHANGED: dict[str, tuple[str, str]] = {
    "window_months": ("分析窗口{v}个月（默认{d}个月）", "a {v}-month window (default {d})"),
    "churn_history_months": (
        "流失观察组需{v}个月历史（默认{d}个月）",
        "{v} months of history for the churn cohort (default {d})",
    ),
    "unresolved_days": (
        "投诉超过{v}天未解决视为未解决（默认{d}天）",
        "a complaint unresolved after {v} days (default {d})",
    ),
    "campaign_pre_months": (
        "活动前{v}个月为基期（默认{d}个月）",
        "{v} months before a campaign as its baseline (default {d})",
    ),
    "campaign_post_months": ("活动后观察{v}个月（默认{d}个月）", "{v} months after a campaign (default {d})"),
    "campaign_covariates": (
        "活动调整变量：{v}（默认：流失因素）",
        "campaigns adjusted for {v} (default: the churn drivers)",
    ),
    "campaign_estimator": ("活动效果估计方法{v}（默认{d}）", "campaign effects estimated by {v} (default {d})"),
    "top_share": ("高价值客户为前{v}（默认{d}）", "the top {v} of customers (default {d})"),
    "bottom_share": ("低价值客户为后{v}（默认{d}）", "the bottom {v} of customers (default {d})"),
    "discount_rate": ("客户终身价值年贴现率{v}（默认{d}）", "a {v} yearly discount rate for CLV (default {d})"),
    "effect_persistence_months": (
        "活动效果假设持续{v}个月（默认{d}个月）",
        "campaign effects lasting {v} months (default {d})",
    ),
    "plan_budget_share": (
        "计划预算上限为年利润的{v}（默认{d}）",
        "a plan budget of at most {v} of the yearly profit (default {d})",
    ),
    "rm_contacts_per_quarter": (
        "每位客户经理每季度可增加联系{v}次（默认{d}次）",
        "{v} extra contacts per manager a quarter (default {d})",
    ),
    "alpha": ("显著性水平{v}（默认{d}）", "a significance level of {v} (default {d})"),
}
SHARES = ("top_share", "bottom_share", "discount_rate", "plan_budget_share", "alpha")


def assumptions_of(results: Mapping[str, Any] | None) -> Assumptions:
    """The assumptions a results.json was made under (its run card's `run.assumptions`);
    the contract's when the card has none (or names a field this suite does not know)."""
    card = ((results or {}).get("run") or {}).get("assumptions")
    if not isinstance(card, Mapping):
        return Assumptions()
    known = {f.name for f in fields(Assumptions)}
    try:
        return Assumptions.from_mapping({k: v for k, v in card.items() if k in known})
    except (UsageError, TypeError):
        return Assumptions()


def window_words(months: int, lang: str = "zh") -> str:
    """ "近12个月" / "the last 12 months" for a window of `months` months."""
    return pick(lang, f"近{months}个月", f"the last {months} months")


def _value(name: str, v: Any, lang: str) -> str:
    if name in SHARES:
        return pct(float(v), 1 if name == "alpha" else 0)
    if isinstance(v, (list, tuple)):
        return pick(lang, "、", ", ").join(str(x) for x in v)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return num(v)
    return str(v)


def changed_words(a: Assumptions, lang: str = "zh") -> list[str]:
    """One phrase per assumption that differs from the contract's, in field order."""
    out = []
    for name, (default, value) in a.changed().items():
        zh, en = CHANGED.get(name, (f"{name} = {{v}}（默认{{d}}）", f"{name} {{v}} (default {{d}})"))
        out.append(pick(lang, zh, en).format(v=_value(name, value, lang), d=_value(name, default, lang)))
    return out


def assumptions_note(results: Mapping[str, Any] | None, lang: str = "zh") -> str | None:
    """The briefing's first-page line when the run's assumptions are not the
    contract's (None when they are): what changed, each with its default."""
    phrases = changed_words(assumptions_of(results), lang)
    if not phrases:
        return None
    return pick(
        lang,
        "本报告采用非默认分析假设：" + "；".join(phrases) + "。",
        "This briefing rests on assumptions other than the contract's: " + "; ".join(phrases) + ".",
    )
