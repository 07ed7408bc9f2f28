"""The briefing's appendix in words (zh / en): the method diagnostics.

The main text of a section keeps the figures a manager acts on (an effect
with its interval, the profit); the checks of an estimate's premises (the
balance of the groups, the overlap of their propensity scores, the event
study's months before the start) are in the appendix, and the section says
so ("见附录" / "see appendix").
"""

from __future__ import annotations

from analysis.words.lang import pick

#: a diagnostic's kind → (zh, en): what its figure checks
KINDS: dict[str, tuple[str, str]] = {
    "balance": (
        "加权前后参加者与对照客户的特征平衡（标准化均值差，绝对值小于0.1为可比）",
        "balance of participants and the comparison before and after weighting"
        " (standardized mean difference; below 0.1 either way is comparable)",
    ),
    "overlap": (
        "参加者与对照客户的倾向得分重叠（范围之外的客户不参与估计）",
        "overlap of participants' and the comparison's propensity scores (customers outside it are left out)",
    ),
    "event_study": (
        "事件研究（活动前各月的余额差应接近零，即两组原本走势相同；活动后的差才是效果）",
        "event study (before the start the balance gap should be near zero, as the groups moved alike;"
        " after it, the gap is the effect)",
    ),
    "pretrend": (
        "活动前趋势检验：活动前两组的走势应相同",
        "pre-trend check: before the start the groups should move alike",
    ),
}


def title(lang: str = "zh") -> str:
    """The appendix's heading."""
    return pick(lang, "附录A　方法诊断", "Appendix A. Method diagnostics")


def intro(lang: str = "zh") -> str:
    """What the appendix holds and why it is not in the main text."""
    return pick(
        lang,
        "以下图表检验第6节活动效果估计的前提：定向活动的参加者与对照客户是否可比（特征平衡、倾向得分重叠），"
        "以及两组在活动前走势是否相同（事件研究）。前提不成立时，相应的效果估计不可靠。",
        "These charts check the premises of the campaign effects in section 6: whether a targeted campaign's"
        " participants and its comparison are alike (balance, overlap of propensity scores) and whether the"
        " groups moved alike before the start (event study). Where a premise fails, the effect built on it"
        " is not reliable.",
    )


def caption(kind: str, campaign: str | None, lang: str = "zh") -> str:
    """A diagnostic figure's caption: the campaign by its name, then what the chart checks."""
    zh, en = KINDS.get(kind, ("模型检验", "a check of the model's premises"))
    if not campaign:
        return pick(lang, zh, en[0].upper() + en[1:])
    return pick(lang, f"{campaign}：{zh}", f"{campaign}: {en}")


def see_appendix(n: int, lang: str = "zh") -> str:
    """The main text's pointer to the diagnostics moved to the appendix."""
    return pick(
        lang,
        f"支撑这些估计的{n}张诊断图（特征平衡、倾向得分重叠、事件研究）见附录A。",
        f"The {n} diagnostic charts behind these estimates (balance, overlap, event study): see appendix A.",
    )
