"""The findings of the briefing's first page: the five that matter most.

Candidates are every fired recommendation, across every section (the book,
value, attrition by driver and segment, pricing, satisfaction, the
competition, campaigns, coverage). They are ranked by the profit at stake,
CNY a year, discounted when the evidence is not sure (`Recommendation.score`,
see `recommendations`); findings the results cannot put a figure on come
after every quantified one. Two limits keep one question from crowding out
the others: at most `per_section` findings from one section, and never two
from the same rule (one campaign verdict stands for its kind). When the
limits leave fewer than `n`, the next best of the rest fill the page.
"""

from __future__ import annotations

from analysis.report.recommendations import Recommendation, evaluate

TOP_N = 5
PER_SECTION = 2


def _rule(rec: Recommendation) -> str:
    # per-campaign and per-segment rules append ".<id>" to their rule id
    parts = rec.id.split(".")
    return ".".join(parts[:2])


def rank_key(rec: Recommendation) -> tuple[bool, float]:
    """Quantified first, then by ranked stake, largest first."""
    return (rec.stake is None, -rec.score)


def top_findings(recs: list[Recommendation], n: int = TOP_N, per_section: int = PER_SECTION) -> list[Recommendation]:
    """The `n` findings that matter most, by stake, diversified by section and rule."""
    ranked = sorted(recs, key=rank_key)  # stable: rule order breaks ties
    chosen: list[Recommendation] = []
    sections: dict[str, int] = {}
    rules: set[str] = set()
    for r in ranked:
        if len(chosen) == n:
            break
        if sections.get(r.section, 0) >= per_section or _rule(r) in rules:
            continue
        chosen.append(r)
        sections[r.section] = sections.get(r.section, 0) + 1
        rules.add(_rule(r))
    for r in ranked:  # fill up when the limits left room
        if len(chosen) == n:
            break
        if r not in chosen:
            chosen.append(r)
    return sorted(chosen, key=rank_key)


def findings(results: dict, lang: str = "zh", n: int = TOP_N, context=None) -> list[Recommendation]:
    """The first page's findings for a branch's results."""
    return top_findings(evaluate(results, lang, context=context), n)
