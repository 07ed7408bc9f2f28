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


# -- item 12: degenerate surveys ---------------------------------------------


def _survey_bank(conformance_dir, tmp_path, change):
    """The conformance bank with its surveys changed by `change` (a tmp copy)."""
    from analysis.data.bank import load_tables

    src = conformance_dir / "good"
    folder = tmp_path / "bank"
    folder.mkdir()
    for f in src.iterdir():
        if not f.name.startswith("surveys."):
            (folder / f.name).symlink_to(f)
    surveys = load_tables(src)["surveys"].copy()
    change(surveys)
    surveys.to_csv(folder / "surveys.csv", index=False)
    return analysis.load(folder, "fixture-a")


def _both(result, lang, part):
    """What the notebook (the result) and the briefing (the section of results.json) say."""
    from analysis.questions.satisfaction import SatisfactionSection
    from analysis.words.satisfaction import describe_satisfaction

    section = SatisfactionSection.from_dict(result.section().to_dict())
    return " ".join(describe_satisfaction(result, lang, part)), " ".join(describe_satisfaction(section, lang, part))


def _identical(s):
    from analysis.questions.satisfaction import EXP, PERC

    for c in [*EXP, *PERC]:
        s[c] = 5  # every response answers 5 to everything
    s["overall_satisfaction"], s["recommend"] = 7, 8


def _sixty_percent_blank(s):
    import numpy as np

    from analysis.questions.satisfaction import PERC

    rng = np.random.default_rng(0)
    for c in PERC:
        s.loc[rng.random(len(s)) < 0.6, c] = None


def _collinear(s):
    s["perc_staff_attitude"] = s["perc_service_quality"]


def test_identical_answers_say_so_and_name_no_widest_or_best_gap(conformance_dir, tmp_path):
    from analysis.questions import satisfaction

    result = satisfaction.analyze(_survey_bank(conformance_dir, tmp_path, _identical))
    section = result.section().to_dict()
    assert section["status"] == "ok" and section["drivers"] is None
    assert len(set(section["cs_gap"].values())) == 1
    assert section["drivers_reason"]["kind"] == "identical" and "same answers" in section["drivers_reason"]["reason"]
    notebook, briefing = _both(result, "en", "gaps")
    for text in (notebook, briefing):
        assert "All eight gaps are the same" in text
        assert "widest" not in text and "the best" not in text
    assert "exactly the same expectations and ratings" in notebook and "Clearly below" not in notebook
    zh_notebook, zh_briefing = _both(result, "zh", "gaps")
    assert "八项缺口全部相同" in zh_briefing and "差距最大的是" not in zh_briefing
    assert "完全相同" in zh_notebook
    assert "same answers" in _both(result, "en", "drivers")[1]


def test_sixty_percent_blank_ratings_say_why_the_drivers_vanish(conformance_dir, tmp_path):
    from analysis.questions import satisfaction

    result = satisfaction.analyze(_survey_bank(conformance_dir, tmp_path, _sixty_percent_blank))
    section = result.section().to_dict()
    n = section["responses"]
    assert section["drivers"] is None
    reason = section["drivers_reason"]
    assert reason["kind"] == "too_few" and reason["needed"] == 10 and reason["complete"] < 10
    assert reason["responses"] == n and reason["blank"] > 0 and 0.5 < reason["blank_share"] < 0.7
    assert "too few complete responses" in reason["reason"] and f"of {n} responses" in reason["reason"]
    for text in _both(result, "en", "drivers"):
        assert "not estimated" in text and "too few complete responses" in text and "blank" in text
        assert f"n = {reason['complete']} < 10" in text and f"of {n} responses" in text
    for text in _both(result, "zh", "drivers"):
        assert "未估计满意度驱动因素" in text and "完整问卷太少" in text and "空缺" in text
    assert "too few complete responses" in " ".join(describe_ipa_of(result))


def describe_ipa_of(result):
    from analysis.words.satisfaction import describe_satisfaction

    return describe_satisfaction(result, "en", "ipa")


def test_collinear_ratings_are_named_not_blamed_on_too_few_responses(conformance_dir, tmp_path):
    from analysis.questions import satisfaction

    result = satisfaction.analyze(_survey_bank(conformance_dir, tmp_path, _collinear))
    section = result.section().to_dict()
    assert section["drivers"] is None and section["drivers_reason"]["kind"] == "collinear"
    for text in _both(result, "en", "drivers"):
        assert "collinear" in text and "too few" not in text.lower()
    # unchanged surveys: the drivers are given and the section has no reason
    whole = satisfaction.analyze(analysis.load(conformance_dir / "good", "fixture-a")).section().to_dict()
    assert whole["drivers"] is not None and "drivers_reason" not in whole


# -- item 2: a window shorter than 12 months ---------------------------------


@pytest.fixture(scope="module")
def six_months(conformance_dir):
    """The conformance bank as of its sixth snapshot month: 6 of the window's 12 months."""
    return analysis.load(conformance_dir / "good", "fixture-a", as_of="2024-06")


def test_a_six_month_window_labels_value_by_its_real_length(six_months, bank_a):
    from analysis.questions import value
    from analysis.questions.value import section_from_dict
    from analysis.words.value import describe_value

    result = value.analyze(six_months)
    section = result.section().to_dict()
    assert result.window_months == 6 and section["window_months"] == 6
    assert "window_months" not in value.analyze(bank_a).section().to_dict()  # a full window: as before
    briefing = section_from_dict(section)
    for lang, words in (
        ("en", ("Only 6 of the 12 months", "6-month profit")),
        ("zh", ("12个月窗口中的6个月", "近6个月利润")),
    ):
        for text in (
            " ".join(describe_value(result, lang, "claims")),
            " ".join(describe_value(briefing, lang, "claims")),
        ):
            assert all(w in text for w in words) and "12-month profit" not in text
    notebook = " ".join(describe_value(result, "en", "claims"))
    assert "Over the last 6 months" in notebook and "last 12 months" not in notebook


def test_a_six_month_window_labels_manager_books_by_their_length(six_months, bank_a):
    from analysis.questions import managers
    from analysis.words.managers import describe_managers, describe_portfolio

    result = managers.analyze(six_months)
    section = result.section().to_dict()
    assert section["window_months"] == 6
    en = " ".join(describe_managers(section, "en"))
    assert "by 6-month profit" in en and "Only 6 of the 12 months" in en and "12-month" not in en
    assert "近6个月利润" in " ".join(describe_managers(section, "zh"))
    book = " ".join(describe_portfolio(result.book, result.flags, "en"))
    assert "6-month profit" in book and "12-month profit" not in book
    full = managers.analyze(bank_a)
    assert "window_months" not in full.section().to_dict()
    assert "12-month profit" in " ".join(describe_portfolio(full.book, full.flags, "en"))


def test_a_six_month_window_skips_churn_with_the_months_it_lacks(six_months):
    from analysis.questions import churn

    section = churn.analyze(six_months).section().to_dict()
    assert section["status"] == "skipped" and "19 months" in section["reason"] and "2024-01" in section["reason"]


def test_sustainability_figures_left_null_by_a_short_window_say_what_they_need(six_months, bank_a):
    from analysis.questions import qvsrs
    from analysis.questions.qvsrs import QvsrsSection
    from analysis.words.qvsrs import describe_qvsrs

    section = qvsrs.analyze(six_months, previous_months=None).section()
    assert section.sustainability["revenue_growth_12m"] is None and section.sustainability["retention_12m"] is None
    en = " ".join(describe_qvsrs(section, "en", "pillars"))
    assert "Not computed" in en and "24 months" in en and "19 months" in en
    assert "需要M−23至M共24个月的快照" in " ".join(describe_qvsrs(section, "zh", "pillars"))
    assert isinstance(section, QvsrsSection)


def test_choice_drivers_dropped_say_why_in_the_briefing(conformance_dir, tmp_path):
    from analysis.data.bank import load_tables
    from analysis.questions.competitors import CompetitorsSection
    from analysis.words.competitors import describe_competitors

    src, folder = conformance_dir / "good", tmp_path / "bank"
    folder.mkdir()
    for f in src.iterdir():
        if not f.name.startswith("market_survey."):
            (folder / f.name).symlink_to(f)
    ms = load_tables(src)["market_survey"].copy()
    ms["rating_staff_attitude"] = ms["rating_service_quality"]  # collinear ratings
    ms.to_csv(folder / "market_survey.csv", index=False)
    result = competitors_q.analyze(analysis.load(folder, "fixture-a"))
    section = result.section().to_dict()
    assert section["choice_drivers"] is None and "not identified" in section["choice_reason"]
    briefing = CompetitorsSection.from_dict(section)
    for sec in (result, briefing):
        en = " ".join(describe_competitors(sec, "en", "choice", home_bank=result.home_bank))
        assert "is not estimated" in en and "not identified" in en and "Too few" not in en
    full = competitors_q.analyze(analysis.load(src, "fixture-a")).section().to_dict()
    assert full["choice_drivers"] is not None and "choice_reason" not in full


def test_the_notebook_names_a_market_table_of_other_cities_not_a_missing_one():
    from analysis.words.competitors import missing_table_words

    note = {"city": "乐山", "cities": ["成都市", "宜宾市"], "more": 0}
    en = missing_table_words("market_share", "en", note)
    assert "the market share table covers Chengdu, Yibin but not Leshan" in en and "not provided" not in en
    zh = missing_table_words("market_share", "zh", note)
    assert "市场份额跳过" in zh and "成都市、宜宾市" in zh and "market_share" not in zh
    assert missing_table_words("market_survey", "en") == "The market survey was not provided: positioning skipped."


def test_skip_reasons_read_in_the_edition_language_without_table_names(small, tmp_path):
    """The recorded (English) reason of results.json, worded for each edition (issue 17)."""
    from analysis.words.competitors import skipped_words
    from analysis.words.names import has_han
    from analysis.words.reasons import reason_text

    tables = {k: v for k, v in _copy(small).items() if k not in ("market_share", "market_survey")}
    bank = analysis.load(write_bank(tables, tmp_path / "bank"), "fixture-a")
    section = competitors_q.analyze(bank).section()
    zh, en = skipped_words(section, "zh"), skipped_words(section, "en")
    assert "市场份额数据" in zh and "市场调查数据" in zh
    assert not any(w in zh for w in ("neither", "provided", "market_share", "market_survey"))
    assert "the market share table nor the market survey" in en and "market_share" not in en
    assert not has_han(en)
    # every reason the questions record has Chinese words, not the English sentence
    for reason in (
        "no survey responses dated in the 12-month window",
        "the churn cohort has 12 customers; the driver model needs at least 50",
        "no customer has an rm_id: relationship-manager coverage cannot be measured",
        "no campaign_contacts table: the branch's VIP services and events cannot be evaluated",
    ):
        assert not any(c.isascii() and c.isalpha() for c in reason_text(reason, "zh").replace("VIP", "")), reason
        assert "rm_id" not in reason_text(reason, "en") and "campaign_contacts" not in reason_text(reason, "en")
