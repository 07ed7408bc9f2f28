"""The glossary: the shared entries as shared/GLOSSARY.md spells them, one term
per idea, a term for every value the suite labels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.data.contract import (
    AREAS,
    ATTRIBUTES,
    CAMPAIGN_KINDS,
    CLOSE_REASONS,
    INTERACTION_CATEGORIES,
    INTERACTION_CHANNELS,
    RM_GRADES,
    SEGMENTS,
    VIP_TIERS,
)
from analysis.data.features import DRIVER_ORDER
from analysis.words import glossary as g

SHARED = Path(__file__).resolve().parents[3] / "shared"  # the repository sits beside shared/

#: Rows of GLOSSARY.md whose key column names a group rather than the keys.
GROUP_KEYS = {"IPA quadrants": ["fix_first", "keep_up", "low_priority", "possible_overkill"]}


def shared_glossary() -> dict[str, tuple[str, str]]:
    """key → (zh, en) as shared/GLOSSARY.md's table spells them (grouped rows split on " / ")."""
    out = {}
    for line in (SHARED / "GLOSSARY.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("key", "---"):
            continue
        key, zh, en = cells
        key = re.sub(r" \((?:the |of |vip_tier)[^)]*\)$", "", key)  # "branch (the unit of a run)" → "branch"
        zh = re.sub(r" \([^)]* [^)]*\)$", "", zh)  # a note in prose after the term: "网点 (a sentence that …)"
        keys = GROUP_KEYS.get(key) or key.removeprefix("vip_tier ").removeprefix("verdict ").split(" / ")
        zhs, ens = zh.split(" / "), en.split(" / ")
        if len(keys) > 1:
            assert len(keys) == len(zhs) == len(ens), line
        else:
            zhs, ens = [zh], [en]
        out.update({k: (z, e) for k, z, e in zip(keys, zhs, ens)})
    return out


def test_the_shared_block_spells_glossary_md_exactly():
    md = shared_glossary()
    assert len(md) > 50
    for key, pair in md.items():
        assert g.SHARED.get(key) == pair, key
    assert set(g.SHARED) == set(md)
    assert list(g.GLOSSARY)[: len(g.SHARED)] == list(g.SHARED)  # shared entries first


def test_suite_terms_extend_and_never_redefine_the_shared_ones():
    assert not set(g.SHARED) & set(g.SUITE)
    assert g.GLOSSARY == {**g.SHARED, **g.SUITE}
    assert all(target in g.GLOSSARY and alias not in g.GLOSSARY for alias, target in g.ALIASES.items())


@pytest.mark.parametrize("lang", [0, 1])
def test_one_term_per_idea(lang):
    seen: dict[str, str] = {}
    for key, pair in g.GLOSSARY.items():
        assert pair[lang] and pair[lang] == pair[lang].strip(), key
        assert pair[lang] not in seen, (key, seen.get(pair[lang]))
        seen[pair[lang]] = key


@pytest.mark.parametrize(
    "values",
    [
        SEGMENTS,
        AREAS,
        VIP_TIERS,
        ATTRIBUTES,
        CLOSE_REASONS,
        INTERACTION_CATEGORIES,
        INTERACTION_CHANNELS,
        CAMPAIGN_KINDS,
        RM_GRADES,
    ],
)
def test_every_vocabulary_value_has_a_term(values):
    for v in values:
        assert g.is_term(v), v
        assert g.term(v, "zh") != g.term(v, "en"), v


def test_driver_features_and_their_dummies_have_terms():
    for col in [*DRIVER_ORDER, "balance_trend_missing"]:
        assert g.feature_term(col, "en"), col
    assert g.feature_term("segment[sme]", "zh") == "小微企业主"
    assert g.feature_term("area[rural]", "en") == "Rural"


def test_aliases_find_the_one_term():
    assert g.term("year_end_gala", "en") == g.term("year-end gala", "en") == "Year-end appreciation gala"
    assert g.term("rm", "zh") == g.term("relationship manager", "zh") == "客户经理"
    assert g.term("birthday", "zh") == g.term("birthday_greeting", "zh") == "生日问候"


def test_unknown_key_and_language_fail_loudly():
    with pytest.raises(KeyError):
        g.term("no-such-idea")
    with pytest.raises(ValueError):
        g.term("churn", "fr")
    assert not g.is_term("no-such-idea")


def test_word_list():
    assert g.word_list(["甲", "乙", "丙"], "zh") == "甲、乙、丙"
    assert g.word_list(["a", "b", "c"], "en") == "a, b and c"
    assert g.word_list(["a"], "en") == "a"
    assert g.word_list([], "en") == ""
