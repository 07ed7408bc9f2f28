"""Pseudonyms for customer identifiers in everything a briefing shows.

A report that leaves the bank's systems (a notebook, the briefing, a deck)
names customers only by a pseudonym: a keyed hash (HMAC-SHA256) of the
customer_id, so the same customer gets the same pseudonym in every run with
the same key, and nobody without the key can go from a pseudonym back to the
customer (not even by hashing every candidate id). The key comes from the
caller, else from the environment variable `QVSRS_PSEUDONYM_KEY`; without
either, it is derived from the branch id, with a warning, because a derived
key only hides ids from someone who does not know the branch id.

The list with real identifiers goes only to a separate file in the run
folder, `out_dir/private/` (`write_private_table`), never into a notebook's
output or the briefing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ENV_KEY = "QVSRS_PSEUDONYM_KEY"
PRIVATE_DIR = "private"
PREFIX = "C-"
DIGITS = 12  # hex digits kept: 48 bits, no collision among a branch's customers in practice


class DerivedKeyWarning(UserWarning):
    """Pseudonyms made with a key derived from the branch id (no secret key set)."""


@dataclass(frozen=True)
class Pseudonymiser:
    """Maps customer ids to stable pseudonyms (`C-` + 12 hex digits).

    `source` says where the key came from: "argument", "environment" or
    "derived" (from the branch id: weak, see the module docstring).
    """

    key: bytes
    source: str

    def __call__(self, ids: Iterable[str]) -> pd.Series:
        """Pseudonym of each id, in order (a Series indexed like a Series input)."""
        index = ids.index if isinstance(ids, pd.Series) else None
        values = [pseudonym(str(i), self.key) for i in ids]
        return pd.Series(values, index=index, name="pseudonym", dtype=object)

    def __repr__(self) -> str:  # never print the key
        return f"Pseudonymiser(source={self.source!r})"


def pseudonym(customer_id: str, key: bytes) -> str:
    """HMAC-SHA256 of the id under `key`, shortened: `C-` + 12 hex digits."""
    digest = hmac.new(key, customer_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:DIGITS]


def derived_key(branch_id: str) -> bytes:
    """The fallback key: a hash of the branch id (not secret)."""
    return hashlib.sha256(f"qvsrs-pseudonym:{branch_id}".encode()).digest()


def pseudonymiser(
    branch_id: str, key: str | bytes | None = None, env: Mapping[str, str] | None = None
) -> Pseudonymiser:
    """The branch's pseudonymiser: `key` if given, else env `QVSRS_PSEUDONYM_KEY`,
    else a key derived from the branch id (with a `DerivedKeyWarning`)."""
    env = os.environ if env is None else env
    if key:
        return Pseudonymiser(key.encode("utf-8") if isinstance(key, str) else bytes(key), "argument")
    if env.get(ENV_KEY):
        return Pseudonymiser(env[ENV_KEY].encode("utf-8"), "environment")
    warnings.warn(
        f"{ENV_KEY} is not set: customer pseudonyms use a key derived from the branch id "
        f"{branch_id!r}, which anyone who knows the branch id can reproduce. Set {ENV_KEY} "
        "to a secret before sharing a report outside the bank.",
        DerivedKeyWarning,
        stacklevel=2,
    )
    return Pseudonymiser(derived_key(branch_id), "derived")


def pseudonymise(df: pd.DataFrame, pseud: Pseudonymiser, column: str = "customer_id") -> pd.DataFrame:
    """A copy of `df` with `column` replaced by a `pseudonym` column (first)."""
    out = df.drop(columns=[column])
    out.insert(0, "pseudonym", pseud(df[column]).to_numpy())
    return out


def write_private_table(df: pd.DataFrame, out_dir: str | Path, filename: str) -> Path:
    """Write a table with real identifiers to `out_dir/private/filename` (CSV, UTF-8 with BOM for Excel).

    Written atomically; the folder is the one place of a run folder that must not be shared.
    """
    folder = Path(out_dir) / PRIVATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    tmp = path.with_name(path.name + ".tmp")
    df.to_csv(tmp, index=False, encoding="utf-8-sig")
    tmp.replace(path)
    return path
