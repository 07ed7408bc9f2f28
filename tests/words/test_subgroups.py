"""The subgroup figure's headline names only effects clear of zero (issue 14:
no headline on the largest of many estimates with p = 0.14)."""

from __future__ import annotations

import pandas as pd

from analysis.questions.campaigns import CampaignsResult
from analysis.words.subgroups import subgroups_title

ROWS = pd.DataFrame(
    {
        "by": ["segment"] * 3 + ["vip_tier"],
        "group": ["mass", "affluent", "hnw", "platinum"],
        "estimate": [900.0, 4_000.0, 15_000.0, -3_000.0],
        "ci_low": [100.0, -500.0, -4_000.0, -5_000.0],
        "ci_high": [1_700.0, 8_500.0, 34_000.0, -1_000.0],
        "campaign_id": ["C1"] * 4,
    }
)


class _Result(CampaignsResult):
    def __init__(self, h: pd.DataFrame) -> None:  # only heterogeneity() is read
        self._h = h

    def heterogeneity(self) -> pd.DataFrame:
        return self._h


def test_only_intervals_clear_of_zero_are_named():
    clear = _Result(ROWS).clear_subgroups("segment")
    assert list(clear["group"]) == ["mass"]  # not hnw, the largest estimate, whose interval spans 0
    en, zh = subgroups_title(clear, "segment", "en"), subgroups_title(clear, "segment", "zh")
    assert "clearly positive" in en and "High net worth" not in en and "most" not in en
    assert "明确为正" in zh and "最大" not in zh
    neg = _Result(ROWS).clear_subgroups("vip_tier")
    assert "clearly negative" in subgroups_title(neg, "vip_tier", "en")


def test_no_clear_group_says_so():
    none = _Result(ROWS.assign(ci_low=-1e9)).clear_subgroups("segment")
    assert none.empty
    assert "no group's effect is clear of zero" in subgroups_title(none, "segment", "en")
    assert "没有哪一组" in subgroups_title(none, "segment", "zh")
