"""Pseudonyms: HMAC-SHA256 against the published test vector, stable and
keyed, where the key comes from, and the private file."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from analysis.data import pseudonym as P

# RFC 4231, test case 1: HMAC-SHA-256(key = 0x0b × 20, "Hi There")
RFC4231_KEY = b"\x0b" * 20
RFC4231_MAC = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"


def test_pseudonym_is_the_hmac_sha256_of_the_id():
    assert P.pseudonym("Hi There", RFC4231_KEY) == "C-" + RFC4231_MAC[:12]


def test_stable_keyed_and_distinct():
    ids = [f"{i:08d}" for i in range(20_000)]
    a = P.Pseudonymiser(b"key-one", "argument")
    first, again = a(ids), a(ids)
    assert first.tolist() == again.tolist()  # deterministic
    assert first.nunique() == len(ids)  # no collisions among a branch's customers
    other = P.Pseudonymiser(b"key-two", "argument")(ids)
    assert (first != other).all()  # a different key, different pseudonyms
    assert not any(i in p for i, p in zip(ids, first))
    s = pd.Series(ids[:3], index=[10, 11, 12])
    assert list(a(s).index) == [10, 11, 12]


def test_key_from_argument_then_environment_then_branch():
    env = {P.ENV_KEY: "from-env"}
    assert P.pseudonymiser("b1", key="given", env=env).source == "argument"
    p = P.pseudonymiser("b1", env=env)
    assert p.source == "environment" and p.key == b"from-env"
    with pytest.warns(P.DerivedKeyWarning, match=P.ENV_KEY):
        d = P.pseudonymiser("b1", env={})
    assert d.source == "derived" and d.key == P.derived_key("b1") != P.derived_key("b2")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning when a key is set
        P.pseudonymiser("b1", env=env)
    assert "from-env" not in repr(p)


def test_pseudonymise_and_private_file(tmp_path):
    df = pd.DataFrame({"customer_id": ["000123", "000124"], "p": [0.2, 0.4]})
    pseud = P.Pseudonymiser(b"k", "argument")
    shown = P.pseudonymise(df, pseud)
    assert list(shown.columns) == ["pseudonym", "p"] and "000123" not in shown.to_csv()
    path = P.write_private_table(df, tmp_path, "at_risk_customers.csv")
    assert path == tmp_path / "private" / "at_risk_customers.csv"
    back = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    assert back["customer_id"].tolist() == ["000123", "000124"]  # leading zeros kept
    assert not list((tmp_path / "private").glob("*.tmp"))
