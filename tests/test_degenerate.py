"""Labels follow the data (issue 17, items 2, 3, 11, 12): a short window, a
city spelt differently in the market tables, --as-of before the first
campaign, degenerate surveys; each says what it is, on a small variant bank."""

from __future__ import annotations

import pytest

import analysis
from analysis.questions import campaigns as campaigns_q
from analysis.questions import competitors as competitors_q
from broken_data import small_bank, write_bank


@pytest.fixture(scope="module")
def small(conformance_dir):
    return small_bank(conformance_dir)


def _copy(small):
    return {k: v.copy() for k, v in small.items()}


# -- item 3: a city spelt 眉山市 in the market tables, 眉山 in branches ----------


def test_a_city_with_its_suffix_in_the_market_tables_still_gives_competitors(small, tmp_path):
    tables = _copy(small)
    for name in ("market_share", "market_survey"):
        tables[name]["city"] = tables[name]["city"] + "市"
    bank = analysis.load(write_bank(tables, tmp_path / "bank"), "fixture-a")
    section = competitors_q.analyze(bank).section().to_dict()
    assert section["status"] == "ok" and section["period"] is not None


def test_market_tables_of_other_cities_only_name_the_mismatch_in_the_skip_reason(small, tmp_path):
    tables = _copy(small)
    tables["market_share"]["city"] = ["成都市", "乐山市"] * (len(tables["market_share"]) // 2) + ["成都市"] * (
        len(tables["market_share"]) % 2
    )
    tables["market_share"].loc[tables["market_share"]["city"] == "乐山市", "city"] = "宜宾市"
    tables["market_survey"]["city"] = "成都市"
    bank = analysis.load(write_bank(tables, tmp_path / "bank"), "fixture-a")
    section = competitors_q.analyze(bank).section().to_dict()
    assert section["status"] == "skipped"
    reason = section["reason"]
    assert "market_share has cities 成都市, 宜宾市 but not 乐山" in reason or (
        "market_share has cities 宜宾市, 成都市 but not 乐山" in reason
    )
    assert "market_survey has cities 成都市 but not 乐山" in reason
    assert "neither" not in reason and "provided" not in reason


def test_without_market_tables_the_reason_says_none_was_provided(small, tmp_path):
    tables = {k: v for k, v in _copy(small).items() if k not in ("market_share", "market_survey")}
    bank = analysis.load(write_bank(tables, tmp_path / "bank"), "fixture-a")
    reason = competitors_q.analyze(bank).section().to_dict()["reason"]
    assert "neither market_share nor market_survey was provided" in reason


# -- item 11: --as-of before the first campaign ------------------------------


def test_as_of_before_the_first_campaign_says_none_to_evaluate_yet(conformance_dir, tmp_path):
    from analysis.run import runner

    bank = analysis.load(conformance_dir / "good", "fixture-a", as_of="2024-03")
    n = bank.set_aside["campaigns"]["rows"]
    section = campaigns_q.analyze(bank).section().to_dict()
    assert section["status"] == "skipped"
    assert section["reason"] == f"all {n} campaigns start after 2024-03: none to evaluate yet"
    assert "no campaigns table" not in section["reason"]
    card = runner.run_card(bank, runner.RunOptions(out_root=tmp_path, as_of="2024-03"), str(conformance_dir / "good"))
    assert set(card["run"]["set_aside_tables"]) >= {"campaigns", "campaign_contacts"}
    assert not {"campaigns", "campaign_contacts"} & set(card["run"]["missing_tables"])


def test_without_a_campaigns_table_the_reason_says_it_was_not_supplied(small, tmp_path):
    tables = {k: v for k, v in _copy(small).items() if k not in ("campaigns", "campaign_contacts")}
    bank = analysis.load(write_bank(tables, tmp_path / "bank"), "fixture-a")
    assert campaigns_q.analyze(bank).section().to_dict()["reason"].startswith("no campaigns table")
