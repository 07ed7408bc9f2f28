"""When a seasonal event can be held: the one table the plan and the
consistency check both read (a 端午 theme day belongs in May or June, a
year-end gala in December or January).

    season_of("2026年端午主题日")            # (5, 6)
    in_season((5, 6), "2026-10-01", "2026-12-31")   # False

A campaign is seasonal when its name holds a festival's name (zh or en) or
its kind is seasonal (`year_end_gala`); the months are those the festival
falls in over the years (lunar festivals move by a few weeks).
"""

from __future__ import annotations

import pandas as pd

#: festival (as it appears in a campaign's name, lower case for English) → months it falls in
SEASONS: dict[str, tuple[int, ...]] = {
    "春节": (1, 2),
    "spring festival": (1, 2),
    "chinese new year": (1, 2),
    "元宵": (2, 3),
    "lantern festival": (2, 3),
    "妇女节": (3,),
    "三八": (3,),
    "women's day": (3,),
    "清明": (4,),
    "劳动节": (5,),
    "五一": (5,),
    "母亲节": (5,),
    "mother's day": (5,),
    "端午": (5, 6),
    "dragon boat": (5, 6),
    "儿童节": (6,),
    "父亲节": (6,),
    "father's day": (6,),
    "暑期": (7, 8),
    "七夕": (8,),
    "中秋": (9, 10),
    "mid-autumn": (9, 10),
    "国庆": (10,),
    "national day": (10,),
    "重阳": (10, 11),
    "double ninth": (10, 11),
    "圣诞": (12,),
    "christmas": (12,),
    "年终": (12, 1),
    "year-end": (12, 1),
    "新年": (12, 1),
}
#: campaign kinds that are seasonal whatever their name
KIND_SEASONS: dict[str, tuple[int, ...]] = {"year_end_gala": (12, 1)}


def season_of(name: str | None = None, kind: str | None = None) -> tuple[int, ...] | None:
    """The months a campaign belongs in, from its name or kind; None when not seasonal."""
    text = str(name or "").lower()
    months: set[int] = set()
    for key, ms in SEASONS.items():
        if key in text:
            months.update(ms)
    if kind and str(kind) in KIND_SEASONS:
        months.update(KIND_SEASONS[str(kind)])
    return tuple(sorted(months)) or None


def months_between(start, end) -> set[int]:
    """The calendar months (1–12) from `start` to `end` (dates), both included."""
    a, b = pd.Timestamp(start), pd.Timestamp(end)
    if b < a:
        return set()
    return {p.month for p in pd.period_range(a, b, freq="M")}


def in_season(months: tuple[int, ...] | None, start, end) -> bool:
    """Whether an event of `months` can be held between `start` and `end` (not seasonal: always)."""
    return months is None or bool(set(months) & months_between(start, end))
