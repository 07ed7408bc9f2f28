"""How long a balance effect is counted, in words (analysis.words.persistence)."""

from __future__ import annotations

import re

import pytest

from analysis.words.persistence import lasts_clause, months_words, persistence_text, slope_of

FADE = {"slope_per_month": {"estimate": -1_500.0, "ci_low": -2_000.0, "ci_high": -1_000.0}, "months": 6.7}
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_months_and_slope():
    assert months_words(12, "zh") == "12个月" and months_words(12, "en") == "12 months"
    assert months_words(6.7, "zh") == "约7个月" and months_words(6.7, "en") == "about 7 months"
    assert months_words(1, "en") == "1 month"
    assert slope_of(FADE) == -1_500.0 and slope_of({"slope_per_month": 200}) == 200.0
    assert slope_of({"slope_per_month": None}) is None


@pytest.mark.parametrize(
    "p, zh, en",
    [
        (
            {**FADE, "source": "event_study"},
            ["每月减弱约1,500元", "只按相当于约7个月的完整效应计"],
            ["fades by about CNY 1,500 a month", "counted as about 7 months of the full effect"],
        ),
        ({**FADE, "source": "event_study", "months": 0.0}, ["不计入利润"], ["not counted"]),
        (
            {**FADE, "source": "assumption", "months": 12},
            ["假设持续12个月", "未发现其逐月减弱"],
            ["assumed to last 12 months", "no sign of it fading"],
        ),
        (
            {"slope_per_month": None, "source": "assumption", "months": 9},
            ["假设持续9个月"],
            ["assumed to last 9 months"],
        ),
    ],
)
def test_the_clause_follows_the_decision(p, zh, en):
    z, e = lasts_clause(p, "zh"), lasts_clause(p, "en")
    assert all(w in z for w in zh), z
    assert all(w in e for w in en), e
    assert not HAN.search(e)
    if p["source"] == "assumption":
        assert "减弱约" not in z and "fades" not in e
    if p["slope_per_month"] is None:
        assert "事件研究" not in z and "event study" not in e


def test_the_plan_counts_it():
    p = {**FADE, "source": "event_study"}
    assert "the plan counts it as about 7 months of the full effect" in lasts_clause(p, "en", plan=True)
    assert "下季度计划只按相当于约7个月的完整效应计" in lasts_clause(p, "zh", plan=True)
    # a measured fade names when it reaches zero
    z = {**p, "zero_after_months": 13.4}
    assert "reaching zero after about 13 months" in lasts_clause(z, "en") and "约13个月后归零" in lasts_clause(z, "zh")


def test_the_campaigns_sentence():
    p = {**FADE, "source": "assumption", "months": 12}
    assert persistence_text(None, "en") == ""
    assert persistence_text(p, "en") == f" After the campaign, its balance effect {lasts_clause(p, 'en', plan=True)}."
    assert persistence_text(p, "zh").startswith("活动结束后，余额效应假设持续12个月")
