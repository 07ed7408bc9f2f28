"""Numbers as a manager reads them, the one formatter of the suite.

Money in 万元 / 亿元 (zh) or CNY thousand / million (en), to three significant
figures, one style everywhere ("CNY 1.70 million", table heads "(CNY thousand)");
shares as percentages; changes of shares in percentage points;
ratios as multiples; rating differences as signed points; counts with
thousands separators. Anything that is not a finite number prints as "—".

>>> money(239473, "zh"), money(239473, "en")
('23.9万元', 'CNY 239 thousand')
>>> money(1_700_000, "en"), money(59_430_000, "zh")
('CNY 1.70 million', '5,943万元')
>>> pct(0.1344), pp(-0.0045, "en", signed=True), times(2.234, "zh"), points(0.3512)
('13.4%', '−0.45 pp', '2.23倍', '+0.35')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from analysis.words.lang import check_lang, pick

MINUS = "−"  # typographic minus: "−0.45", never a hyphen


def is_number(x: object) -> bool:
    """A finite int or float (not a bool)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _sig3(x: float) -> str:
    """`x` to three significant figures, thousands separated, whole from 100 up."""
    ax = abs(x)
    digits = 0 if ax >= 100 or ax == 0 else 1 if ax >= 10 else 2
    return _signed(f"{x:,.{digits}f}")


def _signed(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


def money(x: object, lang: str = "zh", digits: int | None = None) -> str:
    """CNY as 万元/亿元 (zh) or CNY thousand/million/billion (en).

    `digits` fixes the decimals; by default three significant figures.
    """
    check_lang(lang)
    if not is_number(x):
        return "—"
    x = float(x)  # type: ignore[arg-type]
    if x == 0:
        return pick(lang, "0元", "CNY 0")
    if lang == "zh":
        div, unit = (1e8, "亿元") if abs(x) >= 1e8 else (1e4, "万元")
        v = x / div
        return (_signed(f"{v:,.{digits}f}") if digits is not None else _sig3(v)) + unit
    div, unit = (1e9, "billion") if abs(x) >= 1e9 else (1e6, "million") if abs(x) >= 1e6 else (1e3, "thousand")
    v = x / div
    return f"CNY {_signed(f'{v:,.{digits}f}') if digits is not None else _sig3(v)} {unit}"


def _money_parts(x: float, lang: str) -> tuple[str, str]:
    """(number, unit) of `money`: ("2.09", "万元") / ("20.9", "thousand")."""
    text = money(x, lang)
    if lang == "zh":
        return text[:-2], text[-2:]
    number, unit = text[4:].rsplit(" ", 1)
    return number, unit


def money_range(low: object, high: object, lang: str = "zh") -> str:
    """A range of money, its unit said once where both ends share it.

    >>> money_range(20866.8, 159933.6, "en"), money_range(20866.8, 159933.6, "zh")
    ('CNY 20.9 to 160 thousand', '2.09至16.0万元')
    >>> money_range(22800, 1520000, "en"), money_range(-79510, 59557, "zh")
    ('CNY 22.8 thousand to 1.52 million', '−7.95至5.96万元')
    """
    check_lang(lang)
    if not (is_number(low) and is_number(high)):
        return "—"
    (a, ua), (b, ub) = _money_parts(float(low), lang), _money_parts(float(high), lang)  # type: ignore[arg-type]
    if lang == "zh":
        return f"{a}至{b}{ub}" if ua == ub else f"{a}{ua}至{b}{ub}"
    return f"CNY {a} to {b} {ub}" if ua == ub else f"CNY {a} {ua} to {b} {ub}"


def amount(x: object, lang: str = "zh") -> str:
    """Money in a table column's unit (`money_unit`: 万元 / CNY thousand), the unit
    left to the column's head; three significant figures.

    >>> amount(90400, "zh"), amount(90400, "en"), amount(1_996_000, "en")
    ('9.04', '90.4', '1,996')
    """
    if not is_number(x):
        return "—"
    div, _ = money_unit(lang)
    return _sig3(float(x) / div)  # type: ignore[arg-type]


def yuan(x: object, lang: str = "zh") -> str:
    """A small amount (a unit cost) in whole yuan: "80元" / "CNY 80".

    >>> yuan(80, "zh"), yuan(1250, "en")
    ('80元', 'CNY 1,250')
    """
    if not is_number(x):
        return "—"
    return pick(lang, f"{_signed(f'{x:,.0f}')}元", f"CNY {_signed(f'{x:,.0f}')}")


def money_unit(lang: str = "zh") -> tuple[float, str]:
    """(divisor, unit) of a money axis or table column: 万元, or CNY thousand
    (the unit written as `money` writes it: "CNY 239 thousand")."""
    return (1e4, "万元") if check_lang(lang) == "zh" else (1e3, "CNY thousand")


def pct(x: object, digits: int = 1) -> str:
    """A share as a percentage: 0.134 → "13.4%"."""
    return _signed(f"{float(x) * 100:.{digits}f}%") if is_number(x) else "—"  # type: ignore[arg-type]


def pp(x: object, lang: str = "zh", digits: int = 2, signed: bool = False) -> str:
    """A change of a share in percentage points: −0.0045 → "−0.45个百分点" / "−0.45 pp"."""
    if not is_number(x):
        return "—"
    v = float(x) * 100  # type: ignore[arg-type]
    text = _signed(f"{v:+.{digits}f}") if signed else f"{abs(v):.{digits}f}"
    return pick(lang, f"{text}个百分点", f"{text} pp")


def times(x: object, lang: str = "zh", digits: int = 2) -> str:
    """A ratio: 2.23 → "2.23倍" / "2.23 times"."""
    if not is_number(x):
        return "—"
    return pick(lang, f"{x:.{digits}f}倍", f"{x:.{digits}f} times")


def points(x: object, digits: int = 2, signed: bool = True) -> str:
    """A difference of ratings or scores: 0.351 → "+0.35"."""
    if not is_number(x):
        return "—"
    return _signed(f"{x:+.{digits}f}" if signed else f"{x:.{digits}f}")


def num(x: object, digits: int = 0) -> str:
    """A count or plain number with thousands separators."""
    return _signed(f"{x:,.{digits}f}") if is_number(x) else "—"


def interval(low: object, high: object, lang: str = "zh", fmt: Callable[[object], str] | None = None) -> str:
    """ "95%区间a至b" / "95% interval a to b", each end formatted by `fmt` (default `num` with 2 digits)."""
    if not (is_number(low) and is_number(high)):
        return ""
    f = fmt or (lambda v: num(v, 2))
    return pick(lang, f"95%区间{f(low)}至{f(high)}", f"95% interval {f(low)} to {f(high)}")


def plural(n: int, one: str, many: str | None = None) -> str:
    """An English count with its noun in the right number (Chinese has none to choose).

    >>> plural(1, "product line"), plural(2, "product line"), plural(0, "complaint")
    ('1 product line', '2 product lines', '0 complaints')
    """
    return f"{num(n)} {one if n == 1 else (many or one + 's')}"


def join(items: Iterable[str], lang: str = "zh") -> str:
    """A list in running text: 甲、乙和丙 / a, b and c."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return pick(lang, "、".join(items[:-1]) + "和" + items[-1], ", ".join(items[:-1]) + " and " + items[-1])
