"""The briefing's sentences, read off the branch's results.json.

One function per section, `describe_<section>(ctx) -> list[str]`: each
sentence quotes that branch's numbers; a figure that is absent is left out
rather than guessed. Statistical terms get a one-line plain explanation the
first time they appear (odds ratio in churn, NPS in satisfaction, ITT/ATT in
campaigns).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from analysis.questions.competitors import CompetitorsSection
from analysis.questions.overview import OverviewResult
from analysis.questions.qvsrs import QvsrsSection
from analysis.questions.satisfaction import SatisfactionSection
from analysis.questions.value import section_from_dict as value_section_from_dict
from analysis.sections import computed
from analysis.words import campaigns, economics
from analysis.words.assumptions import assumptions_of
from analysis.words.churn import describe_churn
from analysis.words.competitors import PARTS as COMPETITOR_PARTS
from analysis.words.competitors import describe_competitors
from analysis.words.managers import describe_managers
from analysis.words.overview import describe_overview
from analysis.words.plan import describe_plan as plan_summary
from analysis.words.qvsrs import describe_qvsrs
from analysis.words.satisfaction import PARTS as SATISFACTION_PARTS
from analysis.words.satisfaction import describe_satisfaction
from analysis.words.value import describe_value


class BriefingSubject(Protocol):
    """What the briefing's sentences read: the branch's results.json, the edition's
    language and who the branch is. `analysis.report.context.ReportContext` is one;
    the report layer builds it, the words only read it."""

    @property
    def results(self) -> dict[str, Any]: ...
    @property
    def lang(self) -> str: ...
    @property
    def title_name(self) -> str: ...
    @property
    def city(self) -> str | None: ...
    @property
    def home_bank(self) -> str | None: ...
    @property
    def campaign_names(self) -> Mapping[str, str]: ...


def describe_campaigns(ctx: BriefingSubject) -> list[str]:
    """The campaigns section in the notebook's own words (`analysis.words.campaigns`)."""
    section = computed(ctx.results, "campaigns")
    if section is None:
        return []
    section = {"status": "ok", **section, "_merge": {"campaigns_ranked": ctx.results.get("campaigns_ranked") or []}}
    return campaigns.describe_campaigns(section, ctx.lang, names=ctx.campaign_names)


def describe_managers_section(ctx: BriefingSubject) -> list[str]:
    """The plan chapter's sentences on relationship managers: the notebook's `describe_managers`."""
    section = computed(ctx.results, "relationship_managers")
    return describe_managers(section, ctx.lang, assumptions=assumptions_of(ctx.results)) if section else []


def describe_plan(ctx: BriefingSubject) -> list[str]:
    """Next quarter's plan: its summary (budget, expected yearly net contribution with its
    interval, persistence, capacity, what was left out), from `plan`."""
    plan = computed(ctx.results, "plan")
    return plan_summary(plan, ctx.lang) if plan is not None else []


def _unbulleted(lines: list[str]) -> list[str]:
    """A notebook's Markdown lines as running sentences ("- " items lose their dash)."""
    return [line.removeprefix("- ") for line in lines]


def _paragraphs(*parts: list[str]) -> list[list[str]]:
    return [p for p in parts if p]


def overview_paragraphs(ctx: BriefingSubject) -> list[list[str]]:
    """The branch at a glance from results.json, in the overview notebook's words."""
    o = OverviewResult.from_results(ctx.results, ctx.title_name, ctx.city, ctx.home_bank)
    o.window_months = assumptions_of(ctx.results).window_months  # the run's window (the run card's)
    return _paragraphs(describe_overview(o, ctx.lang))


def value_paragraphs(ctx: BriefingSubject) -> list[list[str]]:
    """The value section, in the value notebook's words (what results.json holds of them)."""
    r = ctx.results
    s = value_section_from_dict(computed(r, "value"), r.get("customers"), r.get("active_customers"))
    return _paragraphs(describe_value(s, ctx.lang))


def satisfaction_paragraphs(ctx: BriefingSubject) -> list[list[str]]:
    """Satisfaction (a paragraph per part) and the QVSRS pillars, in the notebook's words."""
    sat = SatisfactionSection.from_dict(computed(ctx.results, "satisfaction"))
    q = QvsrsSection.from_dict(computed(ctx.results, "qvsrs"))
    parts = [describe_satisfaction(sat, ctx.lang, p) for p in SATISFACTION_PARTS]
    return _paragraphs(*parts, describe_qvsrs(q, ctx.lang))


def competitors_paragraphs(ctx: BriefingSubject) -> list[list[str]]:
    """The competitor section, a paragraph per part, in the competitors notebook's words."""
    s = CompetitorsSection.from_dict(computed(ctx.results, "competitors"))
    return _paragraphs(*(describe_competitors(s, ctx.lang, p, home_bank=ctx.home_bank) for p in COMPETITOR_PARTS))


def campaign_paragraphs(ctx: BriefingSubject) -> list[list[str]]:
    """What a CNY of funds earns (`analysis.words.economics`), then one
    paragraph per sentence of `describe_campaigns`: the designs, then each campaign."""
    econ = ctx.results.get("economics")
    first = [economics.describe_economics(econ, ctx.lang)] if isinstance(econ, dict) else []
    return first + [[s] for s in describe_campaigns(ctx)]


#: briefing section → its paragraphs, each a list of sentences
DESCRIBE = {
    "overview": overview_paragraphs,
    "value": value_paragraphs,
    "churn": lambda ctx: _paragraphs(
        _unbulleted(describe_churn(ctx.results.get("churn"), ctx.lang, assumptions_of(ctx.results)))
    ),
    "satisfaction": satisfaction_paragraphs,
    "competitors": competitors_paragraphs,
    "campaigns": campaign_paragraphs,
    "plan": lambda ctx: [[line] for line in describe_plan(ctx)] + _paragraphs(describe_managers_section(ctx)),
}
