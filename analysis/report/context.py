"""Who the report is about: the branch's name, city and home bank.

results.json names the branch by id only; the name, the city and the home
bank (needed to find "our" bank among the competitors) come from, in order:
`results["branch"]` (the run card, which every run writes), else a
section's `branch` (overview, competitors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.assumptions import Assumptions
from analysis.report.paths import get
from analysis.words.assumptions import assumptions_of
from analysis.words.names import campaign_name


@dataclass(frozen=True)
class ReportContext:
    results: dict
    lang: str = "zh"
    branch_name: str | None = None
    city: str | None = None
    home_bank: str | None = None
    campaign_names: dict = field(default_factory=dict)  # campaign_id → name

    @property
    def branch_id(self) -> str:
        return str(self.results.get("branch_id") or "")

    @property
    def assumptions(self) -> Assumptions:
        """The assumptions the results were made under (the run card's; the contract's without one)."""
        return assumptions_of(self.results)

    @property
    def title_name(self) -> str:
        """The branch as a reader names it (its name, else its id)."""
        return self.branch_name or self.branch_id


def branch_info(results: dict) -> dict:
    """{branch_name, city, home_bank} of the branch, as far as known."""
    for path in ("branch", "overview.branch", "competitors.branch"):
        v = get(results, path)
        if isinstance(v, dict) and v.get("home_bank"):
            return dict(v)
    info: dict = {}
    for key in ("branch_name", "city", "home_bank"):
        for where in ("", "overview.", "competitors."):
            v = get(results, where + key)
            if isinstance(v, str) and v:
                info.setdefault(key, v)
    return info


def campaign_names(results: dict, out_dir: str | Path | None = None, lang: str = "zh") -> dict[str, str]:
    """campaign_id → name as the edition's reader names it: from the campaigns
    section, else the campaigns notebook's table (`tables/campaigns.csv`,
    columns campaign_id and name), else the plan's rows; in English by kind and month
    (`words.names.campaign_name`), since the banks' own titles are Chinese."""
    names = _campaign_titles(results, out_dir)
    kinds, starts = {}, {}
    plan = results.get("plan") if isinstance(results.get("plan"), dict) else {}
    rows = list((plan.get("details") or {}).values()) + list(plan.get("not_scheduled") or [])
    for row in rows:
        if isinstance(row, dict) and row.get("campaign_id"):
            kinds.setdefault(row["campaign_id"], row.get("kind"))
            starts.setdefault(row["campaign_id"], row.get("start_date"))
            if row.get("name"):  # the plan names the campaigns it runs or stops: a name for a run without the table
                names.setdefault(row["campaign_id"], str(row["name"]))
    kinds = {**_campaign_kinds(out_dir), **{k: v for k, v in kinds.items() if v}}
    return {cid: campaign_name(name, kinds.get(cid), starts.get(cid), lang) for cid, name in names.items()}


def _campaign_kinds(out_dir: str | Path | None) -> dict[str, str]:
    path = Path(out_dir) / "tables" / "campaigns.csv" if out_dir is not None else None
    if path is None or not path.is_file():
        return {}
    try:
        df = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    except (OSError, ValueError):
        return {}
    if not {"campaign_id", "kind"} <= set(df.columns):
        return {}
    return {cid: kind for cid, kind in zip(df["campaign_id"], df["kind"]) if isinstance(kind, str) and kind}


def _campaign_titles(results: dict, out_dir: str | Path | None = None) -> dict[str, str]:
    names = {}
    camps = results.get("campaigns")
    if isinstance(camps, dict):
        names = {k: str(v["name"]) for k, v in camps.items() if isinstance(v, dict) and v.get("name")}
    path = Path(out_dir) / "tables" / "campaigns.csv" if out_dir is not None else None
    if path is not None and path.is_file():
        try:
            df = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
            if {"campaign_id", "name"} <= set(df.columns):
                for cid, name in zip(df["campaign_id"], df["name"]):
                    if isinstance(name, str) and name:
                        names.setdefault(cid, name)
        except (OSError, ValueError):
            pass
    return names


def make_context(results: dict, lang: str = "zh", out_dir: str | Path | None = None) -> ReportContext:
    info = branch_info(results)
    return ReportContext(
        results,
        lang,
        info.get("branch_name"),
        info.get("city"),
        info.get("home_bank"),
        campaign_names(results, out_dir, lang),
    )
