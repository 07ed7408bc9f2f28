"""The briefing's appendix: the method diagnostics, out of the main text.

A section's figures are of two kinds: those a manager acts on (an effect
with its interval, the profit, a ranking) stay in the section; the checks of
an estimate's premises go to the appendix (`DIAGNOSTICS`, by the figure
file's name: `campaigns_balance_<campaign>.png`, `campaigns_overlap_…`,
`campaigns_event_study_…`, `…_pretrend…`). The section then points to the
appendix in words (`words.appendix.see_appendix`). Each diagnostic's caption
names its campaign as a reader knows it (`ReportContext.campaign_names`),
never by its id.
"""

from __future__ import annotations

from pathlib import Path

from analysis.report import figures as figs
from analysis.report.context import ReportContext
from analysis.words import appendix as words
from analysis.words.i18n import pick, t

#: the file-name prefix of a diagnostic figure → its kind (`words.appendix.KINDS`); longest prefix first
DIAGNOSTICS: tuple[tuple[str, str], ...] = (
    ("campaigns_event_study", "event_study"),
    ("campaigns_balance", "balance"),
    ("campaigns_overlap", "overlap"),
    ("campaigns_propensity", "overlap"),
    ("campaigns_pretrend", "pretrend"),
    ("did_pretrend", "pretrend"),
)
#: the order of the kinds in the appendix: the groups alike first, then their trends
ORDER = ("balance", "overlap", "event_study", "pretrend")


def diagnostic_of(stem: str) -> tuple[str, str | None] | None:
    """(kind, campaign id or None) of a diagnostic figure's file stem; None for a figure of the main text."""
    for prefix, kind in DIAGNOSTICS:
        if stem == prefix:
            return kind, None
        if stem.startswith(prefix + "_"):
            return kind, stem[len(prefix) + 1 :] or None
    return None


def split(files: list[Path]) -> tuple[list[Path], list[Path]]:
    """(the figures of the main text, the diagnostics), each in the order given."""
    main = [p for p in files if diagnostic_of(p.stem) is None]
    return main, [p for p in files if diagnostic_of(p.stem) is not None]


def appendix_view(ctx: ReportContext, files: list[Path]) -> dict:
    """The appendix of the page: its title, what it holds, and the diagnostic
    figures by kind (balance, overlap, event study), each captioned with its
    campaign's name; {} without diagnostics."""
    if not files:
        return {}
    lang = ctx.lang
    seen = {p: diagnostic_of(p.stem) for p in files}
    ordered = sorted(files, key=lambda p: ORDER.index(seen[p][0]))  # stable: the notebooks' order within a kind
    views = []
    for j, p in enumerate(ordered, start=1):
        kind, cid = seen[p]
        number = f"{t('figure', lang)} A.{j}"
        what = words.caption(kind, ctx.campaign_names.get(cid) if cid else None, lang)
        views.append({"uri": figs.data_uri(p), "alt": number, "caption": number + pick(lang, "　", ". ") + what})
    return {"id": "appendix", "title": words.title(lang), "intro": words.intro(lang), "figures": views}
