"""The deck's appendix: methods, assumptions and data, diagnostics — as the
lines a slide shows and the notes the presenter reads.

Methods: one line per method on the slide, the run's full method notes in
the speaker notes. Assumptions: the `Assumptions` the results were made
under (a changed one with its default), the funds margin and unit costs the
plan rests on; data: the as-of date, customers, the tables by what they
hold, the fingerprint (the run card in full in the notes). Diagnostics: the
attrition model's cohort and held-out AUC, the survey's size, the campaigns
by design and those whose effect interval includes none, the consistency
check; the picture is a check of an estimate's premises (an event study).
"""

from __future__ import annotations

from pathlib import Path

from analysis.report import paths
from analysis.report.context import ReportContext
from analysis.report.page_text import Page
from analysis.words import deck as W
from analysis.words.i18n import method_notes, pick
from analysis.words.sources import source_name

#: figures that check an estimate's premises rather than show a result, most telling first
DIAGNOSTIC_FIGURES = ("campaigns_event_study", "campaigns_overlap", "churn_hazard_ratios")
#: a fingerprint longer than this is shortened on the slide (in full in the notes)
FINGERPRINT_CHARS = 24


def methods(ctx: ReportContext) -> tuple[list[str], list[str]]:
    """(the slide's lines, the notes)."""
    lang = ctx.lang
    return W.method_lines(ctx.assumptions.window_months, lang), method_notes(lang)


def assumptions(ctx: ReportContext, page: Page, plan: dict | None) -> tuple[list[str], list[str], list[str]]:
    """(the assumptions' lines, the data's lines, the notes: the run card and why assumptions changed)."""
    lang, res = ctx.lang, ctx.results
    assumed = W.assumption_lines(ctx.assumptions, lang)
    margin = paths.get(res, "economics.funds_margin")
    if isinstance(margin, dict) and isinstance(margin.get("estimate"), (int, float)):
        assumed.append(W.margin_line(margin["estimate"], margin.get("ci_low"), margin.get("ci_high"), lang))
    unit = ((plan or {}).get("assumptions") or {}).get("unit_costs")
    if unit:
        assumed.append(W.unit_costs_line(unit, lang))
    run = res.get("run") if isinstance(res.get("run"), dict) else {}
    fp = str(res.get("data_fingerprint") or "—")
    data = [
        W.data_line(res.get("as_of") or "—", res.get("customers"), res.get("active_customers"), lang),
        W.tables_line(
            [source_name(k, lang) for k in run.get("tables") or {}],
            [source_name(k, lang) for k in run.get("missing_tables") or []],
            lang,
        ),
        W.fingerprint_line(fp if len(fp) <= FINGERPRINT_CHARS else fp[: FINGERPRINT_CHARS - 1] + "…", lang),
    ]
    colon = pick(lang, "：", ": ")
    said = [f"{r['label']}{colon}{r['value']}" for r in page.context.get("run_card") or []]
    said += [f"{k}{colon}{v}" for k, v in (ctx.assumptions.notes or {}).items()]
    return assumed, data, said


def diagnostics(ctx: ReportContext) -> tuple[str, list[str]]:
    """(the slide's title, its lines)."""
    lang, res = ctx.lang, ctx.results
    churn = paths.section(res, "churn") or {}
    auc = churn.get("auc_holdout")
    lines = []
    if churn.get("cohort_size") is not None:
        lines.append(W.churn_diagnostic(churn.get("cohort_size"), churn.get("churned"), auc, lang))
    responses = paths.number(res, "satisfaction.responses")
    if responses is not None:
        lines.append(W.survey_diagnostic(responses, lang))
    camps = {k: v for k, v in (paths.section(res, "campaigns") or {}).items() if isinstance(v, dict)}
    if camps:
        unsure = []
        for cid, c in camps.items():
            be = c.get("balance_effect") if isinstance(c.get("balance_effect"), dict) else {}
            lo, hi = be.get("ci_low"), be.get("ci_high")
            if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo <= 0 <= hi:
                unsure.append(ctx.campaign_names.get(cid, cid))
        kinds = [c.get("design") for c in camps.values()]
        lines.append(W.campaigns_diagnostic(kinds.count("randomized"), kinds.count("targeted"), unsure, lang))
    run = res.get("run") if isinstance(res.get("run"), dict) else {}
    if isinstance(run.get("consistency"), list):
        lines.append(W.consistency_diagnostic(len(run["consistency"]), lang))
    return W.diagnostics_title(auc, lang), lines


def diagnostic_figure(figures: list[Path], plan: dict | None) -> Path | None:
    """The most telling check of an estimate's premises: the event study of a
    campaign the plan runs again, else the first check there is."""
    details = (plan or {}).get("details") or {}
    planned = [
        (details.get(r["action_id"]) or {}).get("campaign_id")
        for r in (plan or {}).get("actions") or []
        if r.get("action") in ("campaign_grow", "campaign_repeat", "campaign_test")
    ]
    for prefix in DIAGNOSTIC_FIGURES:
        found = [p for p in figures if p.stem.startswith(prefix)]
        for p in found:
            if any(cid and p.stem.endswith("_" + cid) for cid in planned):
                return p
        if found:
            return found[0]
    return None
