"""Every section of results.json in one process: no notebooks, no figures.

    from analysis.run.compute import compute_results, compute_run
    results = compute_results(bank)
    results, plan = compute_run(bank)        # with plan.csv's rows (run.tables.read_plan's frame)

The compute-only path: each question's `analyze(bank, assumptions)` and
`.section()`, in the order the notebooks write them (00 overview, 01 value,
02 churn, 03 satisfaction and qvsrs, 04 competitors, 05 economics then
campaigns, 06 relationship managers then the plan, which reads the sections
written before it), assembled as `analysis.run.results.assemble` does (same
keys, the same lifting of `_top` and `_merge`), without the run card (`run`,
`generated_at`, `data_fingerprint`: the runner's). It serves the tests that
push many random banks through the report and its consistency check, and the
benchmark.

The section calls live in ONE place, `SECTION_BUILDERS` below: when a
question module is split or renamed, this is the only list to update.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.bank import Bank
from analysis.questions import (
    campaigns,
    churn,
    competitors,
    economics,
    managers,
    overview,
    plan,
    qvsrs,
    satisfaction,
    value,
)
from analysis.run.results import combine
from analysis.sections import dumps


def _plain(section: Any) -> dict:
    """A section as results.json holds it (and as a later notebook reads it back)."""
    return json.loads(dumps(section))


@dataclass
class Shared:
    """Fits that several sections reuse within one computation (as notebook 06
    reuses the churn fit and the sections of 00 … 05)."""

    bank: Bank
    assumptions: Assumptions
    done: dict[str, dict] = field(default_factory=dict)  # section name → section, as written
    cache: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    def churn_fit(self) -> churn.ChurnResult:
        return self.get("churn", lambda: churn.analyze(self.bank, self.assumptions))

    def margins(self) -> economics.EconomicsResult:
        return self.get("economics", lambda: economics.analyze(self.bank, self.assumptions))

    def managers(self) -> managers.ManagersResult:
        risk = self.get("risk", lambda: churn.churn_risk(self.bank, self.churn_fit()))
        return self.get("managers", lambda: managers.analyze(self.bank, self.assumptions, risk))

    def plan(self) -> plan.PlanResult:
        return self.get("plan", lambda: plan.analyze(self.bank, dict(self.done), self.assumptions))


#: section name → how its notebook builds it (notebook 00 … 06, in their order of writing).
SECTION_BUILDERS: dict[str, Callable[[Shared], Any]] = {
    "overview": lambda s: overview.analyze(s.bank, s.assumptions).section(),  # 00_overview
    "value": lambda s: value.analyze(s.bank, s.assumptions).section(),  # 01_value (carries `_top`)
    "churn": lambda s: s.churn_fit().section(),  # 02_churn
    "satisfaction": lambda s: satisfaction.analyze(s.bank, s.assumptions).section(),  # 03_satisfaction
    "qvsrs": lambda s: qvsrs.analyze(s.bank, s.assumptions).section(),  # 03_satisfaction
    "competitors": lambda s: competitors.analyze(s.bank, s.assumptions).section(),  # 04_competitors
    "economics": lambda s: s.margins().section(),  # 05_campaigns, before the campaigns
    "campaigns": lambda s: campaigns.analyze(  # 05_campaigns (carries `_merge`: campaigns_ranked)
        s.bank, s.assumptions, economics=s.margins(), with_did=False, with_heterogeneity=False
    ).section(),
    "relationship_managers": lambda s: s.managers().section(),  # 06_plan
    "plan": lambda s: s.plan().section(),  # 06_plan, last: it reads every section before it
}


def top_level(bank: Bank) -> dict:
    """The top of results.json that is about the branch (the run card's
    `branch_id`, `branch`, `as_of`), without what only a run knows."""
    return {
        "branch_id": bank.branch_id,
        "branch": {k: bank.branch[k] for k in ("branch_name", "city", "home_bank")},
        "as_of": bank.timeframe.as_of.strftime("%Y-%m-%d"),
    }


def _compute(bank: Bank, assumptions: Assumptions | None, only=None) -> Shared:
    # The bank's own assumptions unless others are given (as every analyze does).
    bank, a = bank.assumed(assumptions)
    shared = Shared(bank, a)
    for name, build in SECTION_BUILDERS.items():
        if only is not None and name not in only:
            continue
        shared.done[name] = _plain(build(shared))
    return shared


def compute_sections(bank: Bank, assumptions: Assumptions | None = None, only=None) -> dict[str, dict]:
    """Each section by name, as the notebooks write them (with `_top`/`_merge`)."""
    return _compute(bank, assumptions, only).done


def compute_run(bank: Bank, assumptions: Assumptions | None = None) -> tuple[dict, pd.DataFrame | None]:
    """results.json of one branch computed in this process (module notes) and
    plan.csv's rows as `run.tables.read_plan` reads them (None when the plan
    section is skipped: an empty plan.csv)."""
    shared = _compute(bank, assumptions)
    result = json.loads(dumps(combine(top_level(bank), shared.done)))
    if "plan" not in shared.cache:
        return result, None
    table = shared.plan().table()
    return result, table


def compute_results(bank: Bank, assumptions: Assumptions | None = None) -> dict:
    """results.json of one branch computed in this process (module notes):
    every section, the top-level counts, no run card."""
    return compute_run(bank, assumptions)[0]
