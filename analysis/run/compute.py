"""Every section of results.json in one process: no notebooks, no figures.

    from analysis.run.compute import compute_results
    results = compute_results(bank)

The compute-only path: the same section-building calls the notebooks make,
in the notebooks' order, assembled as `analysis.run.results.assemble` does
(same keys, the same lifting of `_top` and `_merge`), without the run card
(`run`, `generated_at`, `data_fingerprint`: the runner's). It serves the
tests that push many random banks through the report and its consistency
check, and the benchmark.

The section calls live in ONE place, `SECTION_BUILDERS` below: when a
question module is split or renamed, this is the only list to update.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.questions import book, campaigns, churn, competitors, managers, plans, qvsrs, satisfaction, value
from analysis.run.results import combine, dumps


@dataclass
class Shared:
    """Fits that several sections reuse within one computation (as notebook 06
    reuses the churn and campaign sections of 02 and 05)."""

    bank: Bank
    assumptions: Assumptions
    done: dict[str, dict] = field(default_factory=dict)  # section name → section
    cache: dict[str, Any] = field(default_factory=dict)

    def churn_fit(self):
        if "churn_fit" not in self.cache:
            self.cache["churn_fit"] = churn.analyse_churn(self.bank)
        return self.cache["churn_fit"]

    def risk(self):
        if "risk" not in self.cache:
            self.cache["risk"] = managers.churn_risk(self.bank, self.churn_fit())
        return self.cache["risk"]

    def rm(self):
        if "rm" not in self.cache:
            self.cache["rm"] = managers.rm_section(self.bank, self.risk())
        return self.cache["rm"]


def _campaigns(s: Shared) -> dict:
    reason = campaigns.skip_reason(s.bank)
    return campaigns.campaigns_section(s.bank) if reason is None else {"status": "skipped", "reason": reason}


#: section name → how the notebooks build it (notebook 00 … 06, in their order).
SECTION_BUILDERS: dict[str, Callable[[Shared], dict]] = {
    "overview": lambda s: book.overview_section(s.bank, s.assumptions),  # 00_overview
    "value": lambda s: value.value_section(s.bank),  # 01_value (carries `_top`)
    "churn": lambda s: churn.churn_section(analysis=s.churn_fit()),  # 02_churn
    "satisfaction": lambda s: satisfaction.satisfaction_section(s.bank),  # 03_satisfaction
    "qvsrs": lambda s: qvsrs.qvsrs_section(s.bank),  # 03_satisfaction
    "competitors": lambda s: competitors.competitors_section(s.bank),  # 04_competitors
    "campaigns": _campaigns,  # 05_campaigns (carries `_merge`: campaigns_ranked)
    "relationship_managers": lambda s: s.rm()[0],  # 06_plan
    "plans": lambda s: plans.build_plans(  # 06_plan
        s.bank, s.done.get("churn"), s.done.get("campaigns"), s.risk(), s.rm()[2]
    ),
}


def top_level(bank: Bank) -> dict:
    """The top of results.json that is about the branch (the run card's
    `branch_id`, `branch`, `as_of`), without what only a run knows."""
    return {
        "branch_id": bank.branch_id,
        "branch": {k: bank.branch[k] for k in ("branch_name", "city", "home_bank")},
        "as_of": bank.timeframe.as_of.strftime("%Y-%m-%d"),
    }


def compute_sections(bank: Bank, assumptions: Assumptions | None = None, only=None) -> dict[str, dict]:
    """Each section by name, as the notebooks write them (with `_top`/`_merge`)."""
    shared = Shared(bank, assumptions or Assumptions())
    for name, build in SECTION_BUILDERS.items():
        if only is not None and name not in only:
            continue
        shared.done[name] = build(shared)
    return shared.done


def compute_results(bank: Bank, assumptions: Assumptions | None = None) -> dict:
    """results.json of one branch computed in this process (module notes):
    every section, the top-level counts, no run card."""
    result = combine(top_level(bank), compute_sections(bank, assumptions))
    return json.loads(dumps(result))
