"""The findings of the briefing's first page: the five that matter most.

Every fired recommendation carries a score (see `recommendations`: weight of
the lever × how far its figure is past the threshold, 0–100). The first page
takes the highest scores, with two limits so that one question does not
crowd out the others: at most `per_section` findings from one section (two
odds ratios of the same churn model are one story), and never two from the
same rule (one campaign verdict stands for its kind). When the limits leave
fewer than `n`, the next best of the rest fill the page.
"""

from __future__ import annotations

from analysis.report.recommendations import Recommendation, evaluate

TOP_N = 5
PER_SECTION = 2


def _rule(rec: Recommendation) -> str:
    # per-campaign rules append ".<campaign_id>" to their rule id
    parts = rec.id.split(".")
    return ".".join(parts[:2])


def top_findings(recs: list[Recommendation], n: int = TOP_N, per_section: int = PER_SECTION) -> list[Recommendation]:
    """The `n` findings that matter most, by score, diversified by section and rule."""
    ranked = sorted(recs, key=lambda r: -r.score)  # stable: rule order breaks ties
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
    return sorted(chosen, key=lambda r: -r.score)


def findings(results: dict, lang: str = "zh", n: int = TOP_N, context=None) -> list[Recommendation]:
    """The first page's findings for a branch's results."""
    return top_findings(evaluate(results, lang, context=context), n)
