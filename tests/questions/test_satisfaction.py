"""Satisfaction: contract figures (conformance + hand-computed), complaints,
importance–performance, prose, planted-driver recovery and the notebook."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.data.contract import ATTRIBUTES
from analysis.data.timeframe import Timeframe
from analysis.questions.satisfaction import (
    QUADRANTS,
    SatisfactionSection,
    analyze,
    clear_drivers,
    complaint_summary,
    complaints_and_satisfaction,
    cs_gaps,
    drivers_table,
    gap_table,
    gap_trend,
    importance_performance,
    nps,
    nps_interval,
    nps_trend,
    quadrant,
    window_complaints,
    window_responses,
)
from analysis.run import results
from analysis.sections import Skipped
from analysis.words.format import num, points
from analysis.words.glossary import term
from analysis.words.satisfaction import describe_complaints, describe_ipa, describe_satisfaction


def satisfaction_section(bank: Bank) -> dict:
    """The section as results.json holds it."""
    return analyze(bank).section().to_dict()


# ---------------------------------------------------------------------------
# helpers


def assert_figures(actual, expected, path="", coef=False):
    """Counts exactly, means to float precision, regression figures to ~4
    significant figures (intervals to a small share of their width)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        assert set(actual) >= set(expected), f"{path}: missing {set(expected) - set(actual)}"
        width = expected["ci_high"] - expected["ci_low"] if {"ci_low", "ci_high"} <= set(expected) else None
        for k, v in expected.items():
            if width is not None and k in ("ci_low", "ci_high"):
                assert actual[k] == pytest.approx(v, abs=1e-3 * width), f"{path}.{k}"
            else:
                assert_figures(actual[k], v, f"{path}.{k}", coef or k in ("drivers", "choice_drivers"))
    elif isinstance(expected, bool) or isinstance(expected, int) or isinstance(expected, str) or expected is None:
        assert actual == expected, path
    else:
        assert actual == pytest.approx(expected, rel=1e-4 if coef else 1e-9, abs=0 if coef else 1e-12), path


def _survey_row(rid, cid, date, exp, perc, overall, recommend, **override):
    row = {
        "response_id": rid,
        "customer_id": cid,
        "branch_id": "b1",
        "survey_date": pd.Timestamp(date),
        "overall_satisfaction": overall,
        "recommend": recommend,
    }
    for a in ATTRIBUTES:
        row[f"exp_{a}"] = float(exp)
        row[f"perc_{a}"] = float(perc)
    row.update(override)
    return row


def tiny_bank() -> Bank:
    """A hand-made branch: M = 2026-06, window 2025-07-01 … 2026-06-30."""
    surveys = pd.DataFrame(
        [
            _survey_row("r1", "c1", "2025-08-10", 5, 4, 7, 9, perc_service_quality=6.0),
            _survey_row("r2", None, "2025-11-03", 6, 6, 8, 10, exp_service_quality=np.nan),
            _survey_row("r3", "c2", "2026-05-20", 4, 3, 5, 6),
            _survey_row("r4", "c3", "2025-06-30", 7, 1, 1, 0),  # the day before t0: outside
        ]
    )
    d = pd.Timestamp
    interactions = pd.DataFrame(
        {
            "interaction_id": ["i1", "i2", "i3", "i4", "i5"],
            "customer_id": ["c1", "c1", "c2", "c2", "c3"],
            "date": [d("2025-08-01"), d("2026-01-10"), d("2026-03-01"), d("2026-03-01"), d("2025-05-01")],
            "type": ["complaint", "complaint", "complaint", "inquiry", "complaint"],
            "category": ["fees", "fees", "wait_time", "other", "fees"],
            "channel": ["branch", "phone", "branch", "branch", "branch"],
            "resolved_date": [d("2025-08-31"), d("2026-02-10"), pd.NaT, d("2026-03-01"), d("2025-05-02")],
            "resolution_score": [4.0, 2.0, np.nan, np.nan, 5.0],
        }
    )
    branches = pd.DataFrame([{"branch_id": "b1", "branch_name": "测试支行", "city": "X", "home_bank": "H"}])
    tables = {"branches": branches, "surveys": surveys, "interactions": interactions}
    return Bank("b1", tables, Timeframe(pd.Timestamp("2026-06-01")))


# ---------------------------------------------------------------------------
# hand-computed


def test_section_by_hand():
    s = satisfaction_section(tiny_bank())
    assert s["status"] == "ok"
    assert s["responses"] == 3
    assert s["cs_gap"]["service_quality"] == pytest.approx(0.0)  # (6−5, –, 3−4)
    for a in ATTRIBUTES[1:]:
        assert s["cs_gap"][a] == pytest.approx(-2 / 3)  # (4−5, 6−6, 3−4)
    assert s["cs_overall"] == pytest.approx(7 * (-2 / 3) / 8)
    assert s["nps"] == pytest.approx(100 * (2 / 3 - 1 / 3))  # 9, 10, 6
    assert s["drivers"] is None  # 3 complete cases cannot fit 9 coefficients


def test_nps_and_its_interval_by_hand():
    r = pd.Series([10, 9, 8, 7, 6, 0, np.nan])
    assert nps(r) == pytest.approx(100 * (2 / 6 - 2 / 6))
    assert nps(pd.Series([9, 9, 10])) == 100.0
    assert math.isnan(nps(pd.Series([], dtype=float)))
    est = nps_interval(pd.Series([10] * 6 + [8] * 2 + [3] * 2))
    pp, pm = 0.6, 0.2
    se = 100 * math.sqrt((pp + pm - (pp - pm) ** 2) / 10)
    assert est["estimate"] == pytest.approx(40.0)
    assert est["ci_high"] - est["estimate"] == pytest.approx(1.959963984540054 * se)


def test_gap_table_and_trends_agree_with_cs_gap():
    bank = tiny_bank()
    resp = window_responses(bank)
    t = gap_table(resp)
    np.testing.assert_allclose(t["gap"].to_numpy(), cs_gaps(resp).to_numpy())
    assert t.loc["convenience", "n"] == 3 and t.loc["service_quality", "n"] == 2
    assert t.loc["convenience", "ci_low"] < t.loc["convenience", "gap"] < t.loc["convenience", "ci_high"]
    gt = gap_trend(resp)
    assert len(gt) == 3 * len(ATTRIBUTES)  # three quarters
    nt = nps_trend(resp)
    assert nt["n"].tolist() == [1, 1, 1]
    assert nt["nps"].tolist() == [100.0, 100.0, -100.0]


def test_skipped_without_surveys_or_window_responses():
    bank = tiny_bank()
    no_table = Bank("b1", {k: v for k, v in bank.tables.items() if k != "surveys"}, bank.timeframe)
    s = satisfaction_section(no_table)
    assert s["status"] == "skipped" and "surveys" in s["reason"]
    early = Bank("b1", bank.tables, Timeframe(pd.Timestamp("2024-01-01")))
    assert satisfaction_section(early)["status"] == "skipped"


def test_complaints_by_hand():
    bank = tiny_bank()
    c = window_complaints(bank)
    assert sorted(c["interaction_id"]) == ["i1", "i2", "i3"]
    assert c.set_index("interaction_id")["resolved_30d"].to_dict() == {"i1": True, "i2": False, "i3": False}
    overall = complaint_summary(c)
    assert overall.loc["all", "complaints"] == 3
    assert overall.loc["all", "resolved_30d"] == pytest.approx(1 / 3)
    assert overall.loc["all", "median_days_to_resolve"] == pytest.approx(30.5)
    assert overall.loc["all", "resolution_score"] == pytest.approx(3.0)
    by_cat = complaint_summary(c, "category")
    assert by_cat["complaints"].to_dict() == {"fees": 2, "wait_time": 1}
    linked = complaints_and_satisfaction(bank)
    assert linked["n"].to_dict() == {"none": 0, "resolved_30d": 1, "unresolved": 1}
    assert linked.loc["resolved_30d", "overall_satisfaction"] == 7
    assert linked.loc["unresolved", "overall_satisfaction"] == 5
    for lang in ("zh", "en"):
        text = " ".join(describe_complaints(overall, by_cat, linked, lang))
        assert "3" in text and "33%" in text


def test_quadrants_are_named_for_managers():
    assert quadrant(True, False) == "fix_first"
    assert quadrant(True, True) == "keep_up"
    assert quadrant(False, False) == "low_priority"
    assert quadrant(False, True) == "possible_overkill"
    assert set(QUADRANTS) == {"fix_first", "keep_up", "low_priority", "possible_overkill"}


# ---------------------------------------------------------------------------
# conformance


@pytest.mark.parametrize("branch", ["fixture-a", "fixture-b"])
def test_conformance(branch, good_banks, expected):
    bank = good_banks[branch]
    section = satisfaction_section(bank)
    assert section["status"] == "ok"
    assert_figures(section, expected[branch]["satisfaction"])
    assert set(section) == {"status", "responses", "cs_gap", "cs_overall", "nps", "drivers"}
    for v in section["drivers"].values():
        assert set(v) == {"estimate", "ci_low", "ci_high", "p_value"} and 0 <= v["p_value"] <= 1
    results.dumps(section)  # JSON-clean


def test_lean_bank_is_skipped(lean_banks):
    bank = lean_banks["fixture-a"]
    s = satisfaction_section(bank)
    assert s == results.skipped(s["reason"])


def test_importance_performance_on_the_fixture(bank_a):
    resp = window_responses(bank_a)
    ipa = importance_performance(resp, n_boot=100)
    assert ipa["importance"].sum() == pytest.approx(1.0)
    assert set(ipa["quadrant"]) <= set(QUADRANTS)
    for _, r in ipa.iterrows():
        assert r["quadrant"] == quadrant(r["importance"] > 1 / 8, r["performance"] > ipa["performance"].mean())
    for lang in ("zh", "en"):
        text = describe_ipa(ipa, lang)
        fix = ipa.index[ipa["quadrant"] == "fix_first"]
        assert all(term(a, lang) in " ".join(text) for a in fix)


def test_prose_reads_the_branch_numbers(bank_a, expected):
    result = analyze(bank_a)
    section = result.section()
    for lang in ("zh", "en"):
        gaps = " ".join(describe_satisfaction(result, lang, "gaps"))
        assert "141" in gaps and points(section.nps, 1) in gaps and points(section.cs_overall) in gaps
        drv = " ".join(describe_satisfaction(result, lang, "drivers"))
        assert num(expected["fixture-a"]["satisfaction"]["drivers"]["timeliness"]["estimate"], 2) in drv
        assert num(result.drivers.attrs["n"]) in drv  # the notebook also says what the model was fitted on
        assert describe_satisfaction(result, lang, "trend")
    with pytest.raises(ValueError):
        describe_satisfaction(result, "fr", "gaps")
    with pytest.raises(ValueError):
        describe_satisfaction(result, "en", "everything")


def test_the_briefing_reads_the_same_words_from_results_json(bank_a):
    """From the section alone: the same gap and driver sentences, without what results.json lacks."""
    result = analyze(bank_a)
    section = SatisfactionSection.from_dict(json.loads(results.dumps(result.section())))
    assert section == result.section()
    for lang in ("zh", "en"):
        full = describe_satisfaction(result, lang, "gaps")
        brief = describe_satisfaction(section, lang, "gaps")
        assert brief[:2] == full[:2] and brief[-1] == full[-1]  # responses, gaps, NPS alike
        drivers = describe_satisfaction(section, lang, "drivers")
        top = max(section.drivers, key=lambda a: section.drivers[a].estimate)
        assert term(top, lang) in drivers[1]
        assert not describe_satisfaction(section, lang, "trend") and not describe_satisfaction(section, lang, "ipa")
    assert clear_drivers(section.drivers) == [
        a
        for a in sorted(section.drivers, key=lambda a: -section.drivers[a].estimate)
        if section.drivers[a].p_value < 0.05 and section.drivers[a].estimate > 0
    ]
    assert isinstance(SatisfactionSection.from_dict({"status": "skipped", "reason": "no surveys"}), Skipped)


def test_unresolved_days_follow_the_assumption():
    bank = tiny_bank()
    late = window_complaints(bank, Assumptions(unresolved_days=31)).set_index("interaction_id")["resolved_30d"]
    assert late.to_dict() == {"i1": True, "i2": True, "i3": False}  # i2 took 31 days
    result = analyze(bank, Assumptions(unresolved_days=31))
    assert result.linked["n"].to_dict() == {"none": 0, "resolved_30d": 1, "unresolved": 1}  # r3's complaint is open
    text = " ".join(describe_satisfaction(result, "en", "complaints"))
    assert "resolved within 31 days" in text and "lowest 31-day resolution rate" in text


# ---------------------------------------------------------------------------
# planted effects


def test_planted_satisfaction_weights_inside_intervals(sample_banks):
    from analysis.sample.planted import SATISFACTION

    for branch in ("meishan", "leshan"):
        bank = sample_banks[branch]
        t = drivers_table(window_responses(bank))
        for a in ATTRIBUTES:
            w = SATISFACTION.weights[a]
            assert t.loc[a, "ci_low"] <= w <= t.loc[a, "ci_high"], (branch, a, w, t.loc[a].to_dict())


# ---------------------------------------------------------------------------
# notebook


def test_notebook_is_committed_clean(committed_clean):
    committed_clean("03_satisfaction")


@pytest.mark.slow
def test_notebook_runs_on_conformance_bank(conformance_dir, tmp_path, run_notebook):
    out = tmp_path / "out"
    run_notebook(
        "03_satisfaction",
        tmp_path,
        data_dir=str(conformance_dir / "good"),
        branch="fixture-a",
        out_dir=str(out),
        lang="zh",
    )
    sections = results.read_sections(out)
    assert sections["satisfaction"]["responses"] == 141
    assert sections["qvsrs"]["status"] == "ok"
    figures = {p.stem for p in (out / "figures").glob("*.png")}
    assert {"satisfaction_gaps", "satisfaction_ipa", "qvsrs_scorecard"} <= figures


def test_cs_overall_is_null_when_an_attribute_has_no_answers():
    bank = tiny_bank()
    s = bank.surveys.copy()
    s["perc_brand_image"] = np.nan
    b = Bank("b1", {**bank.tables, "surveys": s}, bank.timeframe)
    section = analyze(b).section()
    assert math.isnan(section.cs_gap["brand_image"]) and math.isnan(section.cs_overall)
    assert section.to_dict()["cs_overall"] is None and section.to_dict()["cs_gap"]["brand_image"] is None


def test_the_driver_estimator_says_why_it_cannot_fit(bank_a):
    from analysis.stats.ols import OLSDrivers

    resp = window_responses(bank_a)
    X = resp[[f"perc_{a}" for a in ATTRIBUTES]]
    y = resp["overall_satisfaction"]
    fit = OLSDrivers().fit(X, y)
    assert list(fit.summary.columns) == ["estimate", "ci_low", "ci_high", "p_value"]
    assert fit.summary.attrs["n"] == fit.n_ and 0 < fit.r_squared_ < 1
    assert "<table" in fit._repr_html_() and "not fitted" in repr(OLSDrivers())
    with pytest.raises(ValueError, match="complete cases"):
        OLSDrivers().fit(X.head(9), y.head(9))
    with pytest.raises(ValueError, match="collinear"):
        OLSDrivers().fit(X.assign(twice=2 * X.iloc[:, 0]), y)
