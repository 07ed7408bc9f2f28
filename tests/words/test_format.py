"""analysis.words.format and analysis.words.lang: the one formatter and the one
language chooser of the suite."""

from __future__ import annotations

import math

import pytest

from analysis.words import format as F
from analysis.words.lang import check_lang, pick


@pytest.mark.parametrize(
    "value, lang, text",
    [
        (12_345.0, "zh", "1.23万元"),
        (239_473.0, "zh", "23.9万元"),
        (1_234_567.0, "zh", "123万元"),
        (59_430_000.0, "zh", "5,943万元"),
        (123_000_000.0, "zh", "1.23亿元"),
        (-5_000.0, "zh", "−0.50万元"),
        (12_345.0, "en", "CNY 12.3 thousand"),
        (239_473.0, "en", "CNY 239 thousand"),
        (1_700_000.0, "en", "CNY 1.70 million"),
        (2_500_000_000.0, "en", "CNY 2.50 billion"),
        (-250.0, "en", "CNY −0.25 thousand"),
    ],
)
def test_money_to_three_significant_figures_in_the_units_a_manager_uses(value, lang, text):
    assert F.money(value, lang) == text


def test_money_with_fixed_decimals_and_missing_values():
    assert F.money(58_400, "zh", digits=2) == "5.84万元"
    assert F.money(None, "en") == F.money(math.nan, "zh") == F.money(True, "zh") == "—"


def test_shares_points_multiples_and_counts():
    assert F.pct(0.1344) == "13.4%" and F.pct(0.253, 0) == "25%" and F.pct(-0.05) == "−5.0%"
    assert F.pp(-0.0045, "zh") == "0.45个百分点" and F.pp(-0.0045, "en", signed=True) == "−0.45 pp"
    assert F.times(2.234, "zh") == "2.23倍" and F.times(3.1, "en", 1) == "3.1 times"
    assert F.points(0.351) == "+0.35" and F.points(-0.351) == "−0.35" and F.points(0.351, signed=False) == "0.35"
    assert F.num(12_345) == "12,345" and F.num(-3) == "−3" and F.num(float("inf")) == "—"


def test_interval_and_join():
    assert F.interval(0.5, 1.25, "en") == "95% interval 0.50 to 1.25"
    assert F.interval(1, 2, "zh", fmt=lambda v: F.money(v * 1e4, "zh")) == "95%区间1.00万元至2.00万元"
    assert F.interval(None, 2, "zh") == ""
    assert F.join(["甲", "乙", "丙"], "zh") == "甲、乙和丙" and F.join(["a", "b", "c"], "en") == "a, b and c"
    assert F.join(["a"], "en") == "a" and F.join([], "zh") == ""


def test_money_unit_of_axes_and_columns():
    assert F.money_unit("zh") == (1e4, "万元") and F.money_unit("en") == (1e3, "CNY thousand")


def test_one_language_chooser():
    assert pick("zh", "甲", "a") == "甲" and pick("en", "甲", "a") == "a"
    with pytest.raises(ValueError):
        pick("fr", "甲", "a")
    assert check_lang("en") == "en"
