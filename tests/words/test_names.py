"""analysis.words.names: banks, places, branches and campaigns named in English."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.words.names import (
    BANKS,
    bank_name,
    branch_name,
    campaign_name,
    frame_in_language,
    has_han,
    in_language,
    place_name,
    romanise,
)


@pytest.mark.parametrize(
    "zh, official, short",
    [
        ("中国工商银行", "Industrial and Commercial Bank of China", "ICBC"),
        ("中国农业银行", "Agricultural Bank of China", "ABC"),
        ("中国银行", "Bank of China", "BOC"),
        ("中国建设银行", "China Construction Bank", "CCB"),
        ("交通银行", "Bank of Communications", "BoCom"),
        ("中国邮政储蓄银行", "Postal Savings Bank of China", "PSBC"),
        ("招商银行", "China Merchants Bank", "CMB"),
        ("四川农信", "Sichuan Rural Credit Cooperatives", "Sichuan Rural Credit"),
        ("成都银行", "Bank of Chengdu", "Bank of Chengdu"),
        ("乐山商业银行", "Leshan Commercial Bank", "Leshan Commercial Bank"),
    ],
)
def test_known_banks_have_their_official_english_names(zh, official, short):
    assert bank_name(zh, "en") == official
    assert bank_name(zh, "en", short=True) == short
    assert bank_name(zh, "zh") == zh


def test_every_bank_of_the_sample_generator_is_known():
    from analysis.sample.generate import BANK_KIND

    assert set(BANK_KIND) <= set(BANKS)


@pytest.mark.parametrize(
    "zh, en",
    [
        ("眉山农商银行", "Meishan Rural Commercial Bank"),
        ("青神县农村信用社", "Qingshen Rural Credit Cooperative"),
        ("雅安市商业银行", "Ya'an Commercial Bank"),
        ("仁寿村镇银行", "Renshou Village Bank"),
    ],
)
def test_unknown_banks_are_romanised_with_their_ending_translated(zh, en):
    assert bank_name(zh, "en") == en and not has_han(bank_name(zh, "en", short=True))


def test_places_lose_their_administrative_ending():
    assert place_name("眉山") == place_name("眉山市") == "Meishan"
    assert place_name("乐山") == "Leshan" and place_name("西安市") == "Xi'an"
    assert place_name("眉山市", "zh") == "眉山市"
    assert romanise("重庆") == "Chongqing"


def test_branches_by_bank_place_and_kind_of_office():
    assert branch_name("建行眉山分行") == "CCB Meishan Branch"
    assert branch_name("工行乐山分行") == "ICBC Leshan Branch"
    assert branch_name("中国建设银行德阳支行") == "CCB Deyang Sub-branch"
    assert branch_name("建行眉山分行", "zh") == "建行眉山分行"
    assert branch_name("Meishan branch") == "Meishan branch"


def test_campaigns_by_kind_and_month_in_english_by_title_in_chinese():
    assert campaign_name("红酒品鉴会", "wine_tasting", "2026-05-10") == "Wine tasting, May 2026"
    # a festival event of no known kind says its festival, not just "Event"
    assert campaign_name("端午主题日", "other", date(2026, 6, 1)) == "Dragon Boat Festival event, June 2026"
    assert campaign_name("客户活动", "other", date(2026, 6, 1)) == "Event, June 2026"
    assert campaign_name("红酒品鉴会", "wine_tasting", "2026-05-10", "zh") == "红酒品鉴会"
    assert campaign_name(None, "salon", "2026-03-02", "zh") == "2026年3月沙龙活动"
    assert campaign_name("Spring salon", "salon", "2026-03-02") == "Spring salon, March 2026"


def test_results_in_english_name_branch_banks_and_campaigns_and_keep_the_figures():
    results = {
        "branch": {"branch_name": "建行眉山分行", "city": "眉山", "home_bank": "中国建设银行"},
        "competitors": {"deposit_share": {"中国建设银行": 0.10, "四川农信": 0.21}, "reason": None},
        "plan": {
            "details": {
                "C1-stop": {
                    "campaign_id": "C1",
                    "name": "2024年红酒品鉴会",
                    "kind": "wine_tasting",
                    "start_date": "2024-05-10",
                }
            },
            "not_scheduled": [
                {"campaign_id": "C2", "name": "2024年生日问候", "kind": "birthday_greeting", "start_date": "2024-11-06"}
            ],
        },
        "customers": 3000,
    }
    en = in_language(results, "en")
    assert en["branch"] == {"branch_name": "CCB Meishan Branch", "city": "Meishan", "home_bank": "CCB"}
    assert en["competitors"]["deposit_share"] == {"CCB": 0.10, "Sichuan Rural Credit": 0.21}
    assert en["plan"]["details"]["C1-stop"]["name"].endswith("May 2024")
    assert en["plan"]["not_scheduled"][0]["name"].endswith("November 2024")
    assert en["customers"] == 3000 and not has_han(str(en))
    assert results["branch"]["home_bank"] == "中国建设银行"  # the results themselves are untouched
    assert in_language(results, "zh") == results


def test_display_tables_in_english_carry_no_chinese():
    df = pd.DataFrame({"n": [8, 24, 3]}, index=["中国农业银行", "四川农信", "2024年红酒品鉴会"])
    en = frame_in_language(df, "en")
    assert list(en.index[:2]) == ["ABC", "Sichuan Rural Credit"] and not any(has_han(str(i)) for i in en.index)
    assert en["n"].tolist() == [8, 24, 3] and frame_in_language(df, "zh") is df
