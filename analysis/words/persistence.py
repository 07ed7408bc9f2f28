"""How long a balance effect is counted, in words (zh / en): the clause the
campaigns section, the plan and the first page share.

    lasts_clause({"source": "event_study", "months": 6.7, "slope_per_month": -1500}, "en")
    # 'fades by about CNY 1,500 a month in the event study (month by month), so it is counted as
    #  about 7 months of the full effect'

The decision (a fade measured, or the assumption) is
`analysis.questions.campaign_effects.persistence_of`'s; this module only
words it.
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis.words.format import is_number, num, yuan
from analysis.words.glossary import in_sentence, term
from analysis.words.lang import pick


def slope_of(p: Mapping) -> float | None:
    """The change of the effect per month (CNY), from a campaign's
    `persistence` (an estimate) or a plan row's (a number)."""
    s = p.get("slope_per_month")
    if isinstance(s, Mapping):
        s = s.get("estimate")
    return float(s) if is_number(s) else None  # type: ignore[arg-type]


def months_words(months: object, lang: str = "zh") -> str:
    """ "12个月" / "12 months", "约7个月" / "about 7 months" when not whole."""
    m = float(months) if is_number(months) else 12.0  # type: ignore[arg-type]
    whole = abs(m - round(m)) < 1e-9
    about = "" if whole else pick(lang, "约", "about ")
    unit = pick(lang, "个月", " month" if round(m) == 1 else " months")
    return f"{about}{num(round(m))}{unit}"


def _zero_after(p: Mapping, lang: str) -> str:
    """ ", gone after about N months" for a measured fade that names it."""
    z = p.get("zero_after_months")
    if not is_number(z) or float(z) <= 0:  # type: ignore[arg-type]
        return ""
    return pick(lang, f"，约{months_words(z, lang)}后归零", f", reaching zero after {months_words(z, lang)}")


def lasts_clause(p: Mapping, lang: str = "zh", *, plan: bool = False) -> str:
    """What the balance effect does after the campaign, as the predicate of
    a sentence whose subject is the effect: it fades by about X CNY a month in
    the event study, so it is counted (`plan`: the plan counts it) for N
    months; or it is assumed to last N months (with, when the event study was
    read, that it shows no fade)."""
    ev = term("event study", lang)
    ev = ev if lang == "zh" else in_sentence(ev)
    months = p.get("months")
    s = slope_of(p)
    if p.get("source") == "event_study" and s is not None:
        gone = is_number(months) and round(float(months)) == 0  # type: ignore[arg-type]
        counted = pick(lang, "下季度计划" if plan else "", "the plan counts it" if plan else "it is counted")
        return pick(
            lang,
            f"在{ev}中每月减弱约{yuan(-s, lang)}{_zero_after(p, lang)}，"
            + (
                "活动结束时已基本消失，不计入利润"
                if gone
                else f"因此{counted}只按相当于{months_words(months, lang)}的完整效应计"
            ),
            f"fades by about {yuan(-s, lang)} a month in the {ev}{_zero_after(p, lang)}, "
            + (
                "gone by the campaign's end, so it is not counted"
                if gone
                else f"so {counted} as {months_words(months, lang)} of the full effect"
            ),
        )
    out = pick(lang, f"假设持续{months_words(months, lang)}", f"is assumed to last {months_words(months, lang)}")
    if s is not None:
        out += pick(lang, f"：{ev}未发现其逐月减弱", f": the {ev} shows no sign of it fading")
    return out


def persistence_text(p: Mapping | None, lang: str = "zh") -> str:
    """How long a targeted campaign's balance effect lasts after it, by its
    event study or the assumption: a sentence ("" without `persistence`)."""
    if not isinstance(p, Mapping):
        return ""
    return pick(
        lang,
        f"活动结束后，余额效应{lasts_clause(p, lang, plan=True)}。",
        f" After the campaign, its balance effect {lasts_clause(p, lang, plan=True)}.",
    )
