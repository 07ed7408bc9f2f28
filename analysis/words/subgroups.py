"""Campaign effects by subgroup in words: the headline of the subgroup
figure names only the groups whose effect is clear of zero
(`CampaignsResult.clear_subgroups`), never "the largest" of many estimates.

    >>> import pandas as pd
    >>> none = pd.DataFrame(columns=["group", "estimate"])
    >>> subgroups_title(none, "segment", "en")
    "By segment: no group's effect is clear of zero (95 % intervals)"
"""

from __future__ import annotations

import pandas as pd

from analysis.words.format import join
from analysis.words.glossary import term
from analysis.words.lang import pick


def subgroups_title(clear: pd.DataFrame, by: str, lang: str = "zh") -> str:
    """The title of the subgroup-effects figure; `clear`: the rows whose
    interval excludes 0, with `group` and `estimate` (CNY)."""
    what = pick(lang, "客群", "segment") if by == "segment" else pick(lang, "VIP等级", "VIP tier")
    if clear.empty:
        return pick(
            lang,
            f"按{what}看，没有哪一组的效果明确不为零（95%区间）",
            f"By {what}: no group's effect is clear of zero (95 % intervals)",
        )
    up = clear[clear["estimate"] > 0]
    groups = list(dict.fromkeys(term(str(g), lang) for g in (up if len(up) else clear)["group"]))
    if len(up):
        return pick(
            lang,
            f"按{what}看，{join(groups, lang)}的余额效应明确为正",
            f"By {what}, the balance effect is clearly positive for {join(groups, lang)} customers",
        )
    return pick(
        lang,
        f"按{what}看，{join(groups, lang)}的余额效应明确为负",
        f"By {what}, the balance effect is clearly negative for {join(groups, lang)} customers",
    )
