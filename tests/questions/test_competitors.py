"""Competitors: contract figures (conformance), market and survey helpers,
missing tables, planted choice coefficients and the notebook."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data.bank import Bank
from analysis.data.contract import ATTRIBUTES
from analysis.questions.competitors import (
    UNKNOWN,
    CompetitorsSection,
    analyze,
    attribute_means,
    choice_estimates,
    choice_model,
    choice_priorities,
    gap_to_competitors,
    ground,
    head_to_head,
    perceptual_map,
    quarters_before,
    share_change,
    share_history,
    switching_by_segment,
    switching_destinations,
    window_leavers,
)
from analysis.run import results
from analysis.words.competitors import describe_choice, describe_competitors, describe_switching

HOME = "中国建设银行"


def competitors_section(bank: Bank) -> dict:
    """The section as results.json holds it."""
    return analyze(bank).section().to_dict()


def _close(actual, expected, coef=False):
    if coef:
        for a, e in expected.items():
            w = e["ci_high"] - e["ci_low"]
            assert actual[a]["estimate"] == pytest.approx(e["estimate"], rel=1e-4), a
            assert actual[a]["ci_low"] == pytest.approx(e["ci_low"], abs=1e-3 * w), a
            assert actual[a]["ci_high"] == pytest.approx(e["ci_high"], abs=1e-3 * w), a
        return
    assert set(actual) == set(expected)
    for k, v in expected.items():
        if isinstance(v, dict):
            _close(actual[k], v)
        else:
            assert actual[k] == pytest.approx(v, rel=1e-12, abs=1e-15), k


@pytest.mark.parametrize("branch", ["fixture-a", "fixture-b"])
def test_conformance(branch, good_banks, expected):
    bank = good_banks[branch]
    s = competitors_section(bank)
    exp = expected[branch]["competitors"]
    assert set(s) == {"status", *exp}
    assert s["status"] == "ok"
    assert s["period"] == exp["period"]
    for k in ("deposit_share", "loan_share", "deposit_share_change_4q", "attribute_means"):
        _close(s[k], exp[k])
    _close(s["choice_drivers"], exp["choice_drivers"], coef=True)
    assert s["switching_destinations"] == exp["switching_destinations"]
    assert all(0 <= v["p_value"] <= 1 for v in s["choice_drivers"].values())
    results.dumps(s)


def _without(bank: Bank, *names: str) -> Bank:
    return Bank(bank.branch_id, {k: v for k, v in bank.tables.items() if k not in names}, bank.timeframe)


def test_missing_market_tables(bank_a, expected):
    s = competitors_section(_without(bank_a, "market_share", "market_survey"))
    assert s["status"] == "skipped" and "market" in s["reason"]
    only_share = competitors_section(_without(bank_a, "market_survey"))
    assert only_share["status"] == "ok"
    assert only_share["attribute_means"] is None and only_share["choice_drivers"] is None
    assert only_share["deposit_share"] == pytest.approx(expected["fixture-a"]["competitors"]["deposit_share"])
    only_survey = competitors_section(_without(bank_a, "market_share"))
    assert only_survey["period"] is None and only_survey["deposit_share"] is None
    assert only_survey["switching_destinations"] == expected["fixture-a"]["competitors"]["switching_destinations"]


def test_share_change_needs_the_period_four_quarters_earlier(bank_a):
    h = share_history(bank_a.market_share)
    assert h.groupby("period")["deposit_share"].sum().to_numpy() == pytest.approx(1.0)
    assert quarters_before(pd.Timestamp("2026-06-30"), 4) == pd.Timestamp("2025-06-30")
    assert quarters_before(pd.Timestamp("2026-03-31"), 1) == pd.Timestamp("2025-12-31")
    short = h[h["period"] > pd.Timestamp("2025-06-30")]
    assert share_change(short) is None and head_to_head(short, HOME) is None


def test_head_to_head_is_home_change_minus_competitor_change(bank_a):
    h = share_history(bank_a.market_share)
    dep = share_change(h)
    t = head_to_head(h, HOME)
    assert HOME not in t.index and len(t) == len(dep) - 1
    for comp, r in t.iterrows():
        assert r["home_net_deposit"] == pytest.approx(dep[HOME] - dep[comp])
    assert t.attrs["home_deposit_change"] == pytest.approx(dep[HOME])
    lost, gained = ground(dep.to_dict(), HOME)
    assert lost == t.index[t["home_net_deposit"] < 0].tolist()  # most lost first, as head_to_head sorts
    assert gained == t.index[t["home_net_deposit"] > 0].tolist()
    result = analyze(bank_a)
    for lang in ("zh", "en"):
        text = " ".join(describe_competitors(result, lang, "market"))
        assert "9.1%" in text and all(b in text for b in lost + gained)


def test_rating_gaps_and_perceptual_map(bank_a):
    ms = bank_a.market_survey
    means = attribute_means(ms)
    gaps = gap_to_competitors(ms, HOME)
    assert len(gaps) == (len(means) - 1) * len(ATTRIBUTES)
    for _, r in gaps.iterrows():
        assert r["gap"] == pytest.approx(means.loc[HOME, r["attribute"]] - means.loc[r["competitor"], r["attribute"]])
        assert r["ci_low"] < r["gap"] < r["ci_high"]
    pmap = perceptual_map(means)
    assert list(pmap["banks"].index) == list(means.index)
    assert 0 < pmap["explained"].sum() <= 1 and pmap["explained"][0] >= pmap["explained"][1]
    # the first axis is the direction of greatest spread: bank coordinates are centred
    np.testing.assert_allclose(pmap["banks"].mean().to_numpy(), 0, atol=1e-12)
    with pytest.raises(ValueError):
        perceptual_map(means.head(2))
    for lang in ("zh", "en"):
        assert describe_competitors(analyze(bank_a), lang, "positioning")


def test_choice_priorities_flag_weak_spots(bank_a):
    ms = bank_a.market_survey
    fit = choice_model(ms)
    pr = choice_priorities(choice_estimates(fit), attribute_means(ms), HOME)
    assert pr["coef"].is_monotonic_decreasing
    assert pr.index[0] == "convenience"  # the fixture's largest coefficient
    expect = (pr["p_value"] < 0.05) & (pr["coef"] > 0) & (pr["home"] < pr["competitors"])
    assert (pr["weak_on_what_matters"] == expect).all()
    assert pr["weak_on_what_matters"].any()
    for lang in ("zh", "en"):
        text = " ".join(describe_choice(pr, HOME, lang))
        assert f"{np.exp(pr['coef'].iloc[0]):.2f}" in text


def test_the_briefing_says_what_the_notebook_says_from_results_json(bank_a):
    """Market, positioning and choice read only the section's figures: the same
    sentences from results.json (with the home bank's name) as in the notebook."""
    result = analyze(bank_a)
    section = CompetitorsSection.from_dict(results.to_jsonable(result.section()))
    for part in ("market", "positioning", "choice"):
        for lang in ("zh", "en"):
            assert describe_competitors(section, lang, part, home_bank=HOME) == describe_competitors(result, lang, part)
    # the notebook's priorities and the ones decided from the section agree
    pr = choice_priorities(section.choice_drivers, attribute_means(bank_a.market_survey), HOME)
    pd.testing.assert_frame_equal(pr, result.priorities)
    en = " ".join(describe_competitors(section, "en", "switching", home_bank=HOME))
    top = max(section.switching_destinations, key=section.switching_destinations.get)
    assert top in en and str(sum(section.switching_destinations.values())) in en


def test_switching_by_segment_adds_up(bank_a, expected):
    by_seg = switching_by_segment(bank_a)
    leavers = window_leavers(bank_a)
    assert by_seg.to_numpy().sum() == len(leavers)
    assert by_seg.columns[-1] == UNKNOWN
    assert by_seg.drop(columns=UNKNOWN).sum().to_dict() == switching_destinations(bank_a).to_dict()
    assert switching_destinations(bank_a).to_dict() == expected["fixture-a"]["competitors"]["switching_destinations"]
    for lang in ("zh", "en"):
        text = " ".join(describe_switching(by_seg, lang))
        assert str(len(leavers)) in text


def test_planted_choice_coefficients_inside_intervals(sample_banks):
    from analysis.sample.planted import CHOICE

    for branch in ("meishan", "leshan"):
        bank = sample_banks[branch]
        s = competitors_section(bank)
        for a in ATTRIBUTES:
            b = CHOICE.coefficients[a]
            d = s["choice_drivers"][a]
            assert d["ci_low"] <= b <= d["ci_high"], (branch, a, b, d)


def test_notebook_is_committed_clean(committed_clean):
    committed_clean("04_competitors")


@pytest.mark.slow
def test_notebook_runs_on_conformance_bank(conformance_dir, tmp_path, run_notebook):
    out = tmp_path / "out"
    run_notebook(
        "04_competitors",
        tmp_path,
        data_dir=str(conformance_dir / "good"),
        branch="fixture-a",
        out_dir=str(out),
        lang="en",
    )
    s = results.read_sections(out)["competitors"]
    assert s["period"] == "2026-06-30"
    figures = {p.stem for p in (out / "figures").glob("*.png")}
    assert {"competitors_deposit_share", "competitors_perceptual_map", "competitors_choice_drivers"} <= figures
