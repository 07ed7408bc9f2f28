"""The strategy briefing of one branch: `briefing.html` (and `briefing.pptx`).

A single self-contained page for the branch's management, built from the
run's `results.json`, `figures/` and `tables/`:

- first page, the executive summary (`executive_summary`): the situation in
  three sentences (the biggest movements, with numbers), the three to five
  decisions for next quarter with their cost and yearly profit range, and
  the QVSRS scorecard against last quarter with its noise band and, where
  given, targets (`targets`: metric → target value); chosen by
  `analysis.questions.summary`, worded by `analysis.words.summary`;
- the findings page: the five findings that matter most, each with its
  number and recommendation (`findings.top_findings` over the rules of
  `recommendations`);
- one section per question (the branch, value, attrition, satisfaction,
  competitors, campaigns, the plan) with its prose (`prose`), figures,
  tables and recommendations; a section whose data was missing says so in
  one line;
- then the run card (data fingerprint, parameters, versions) and method
  notes;
- last, the appendix (`appendix`): the method diagnostics (balance, overlap,
  event studies) that a section's main text points to ("见附录" / "see
  appendix") instead of showing.

It opens offline: figures are embedded as data URIs, the font is a subset of
Noto Sans CJK SC embedded as a data URI (`fonts`), and nothing is fetched
from the network. No code is shown anywhere.
"""

from __future__ import annotations

import html as _html
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from analysis.questions import summary as choose
from analysis.questions.qvsrs import PREVIOUS_MONTHS
from analysis.report import appendix, fonts, paths
from analysis.report import figures as figs
from analysis.report.context import ReportContext, make_context
from analysis.report.deck import build_deck
from analysis.report.findings import top_findings
from analysis.report.page_text import Page
from analysis.report.progress import progress_view
from analysis.report.recommendations import Recommendation, cite_label, evaluate
from analysis.report.rulebase import CLEAR, confidence_of
from analysis.words import appendix as appendix_words
from analysis.words import churn_tables, managers, names
from analysis.words import summary as say
from analysis.words.assumptions import assumptions_note, assumptions_of
from analysis.words.format import money_unit
from analysis.words.glossary import term
from analysis.words.i18n import STRINGS, method_notes, money, num, pct, pick, t
from analysis.words.plan import plan_table
from analysis.words.progress import merged_label, merged_note
from analysis.words.prose import DESCRIBE
from analysis.words.reasons import reason_text
from analysis.words.sources import source_name

TEMPLATES = Path(__file__).parent / "templates"

#: The briefing's sections, in the order of the seed deck's arc:
#: (id, title key, results sections it reads)
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("overview", "sec_overview", ()),
    ("value", "sec_value", ("value",)),
    ("churn", "sec_churn", ("churn",)),
    ("satisfaction", "sec_satisfaction", ("satisfaction", "qvsrs")),
    ("competitors", "sec_competitors", ("competitors",)),
    ("campaigns", "sec_campaigns", ("campaigns",)),
    ("plan", "sec_plan", ("plan", "relationship_managers")),
)
#: the briefing section in which a recommendation of a results section is shown
REC_SECTION = {"relationship_managers": "plan", "qvsrs": "overview"}


def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["j2", "html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def strings(lang: str) -> dict[str, str]:
    return {k: t(k, lang) for k in STRINGS}


def punctuation(lang: str) -> dict[str, str]:
    return {"colon": pick(lang, "：", ": "), "lparen": pick(lang, "（", " ("), "rparen": pick(lang, "）", ")")}


# ---------------------------------------------------------------------------
# the parts of the page


def _rec_view(r: Recommendation, ctx: ReportContext, anchors: dict[str, tuple[str, str]]) -> dict:
    sec = REC_SECTION.get(r.section, r.section)
    anchor = anchors.get(sec)
    return {
        "id": r.id,
        "cites": r.cites,
        "headline": r.headline,
        "finding": r.finding,
        "recommendation": r.recommendation,
        "priority": r.priority,
        "priority_label": t(f"priority_{r.priority}", ctx.lang),
        "score_text": money(r.stake.estimate, ctx.lang) if r.stake is not None else "—",
        "stake_text": r.stake_text,
        "confidence": r.confidence,
        "cite_text": cite_label(r.cites, ctx.results, ctx.lang, ctx.campaign_names),
        "anchor": sec if anchor else None,
        "anchor_title": f"{anchor[0]} {anchor[1]}" if anchor else "",
    }


def _format_cell(v) -> str:
    if isinstance(v, float):
        if v != v:
            return "—"
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        if float(v).is_integer():
            return f"{v:.0f}"
        return f"{v:,.3g}" if abs(v) < 1 else f"{v:,.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def table_html(df: pd.DataFrame, formats: Mapping[str, str] | None = None) -> str:
    """A small table in the house style (numbers right-aligned); `formats`:
    column → format of its numbers (the words modules' display formats:
    shares as percentages, money to the figures' decimals)."""
    formats = formats or {}
    num_cols = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])}

    def cell(c, v) -> str:
        f = formats.get(c)
        if f and isinstance(v, (int, float)) and not isinstance(v, bool) and v == v:
            return f.format(v).replace("-", "−")
        return _format_cell(v)

    head = "".join(
        f'<th class="num">{_html.escape(str(c))}</th>' if c in num_cols else f"<th>{_html.escape(str(c))}</th>"
        for c in df.columns
    )
    rows = []
    for _, row in df.iterrows():
        cells = "".join(
            f'<td class="num">{_html.escape(cell(c, row[c]))}</td>'
            if c in num_cols
            else f"<td>{_html.escape(cell(c, row[c]))}</td>"
            for c in df.columns
        )
        rows.append(f"<tr>{cells}</tr>")
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def display_formats(df: pd.DataFrame) -> dict[str, str]:
    """The display formats the words modules give a table's columns (either language)."""
    return {**churn_tables.formats(df), **managers.formats(df)}


def per_rm_table(ctx: ReportContext) -> pd.DataFrame | None:
    per = paths.get(ctx.results, "relationship_managers.per_rm")
    if not isinstance(per, dict) or not per:
        return None
    lang = ctx.lang
    div, unit = money_unit(lang)
    rows = [
        {
            term("relationship manager", lang): rm,
            t("active_customers", lang): v.get("customers"),
            pick(lang, f"{term('revenue_12m', lang)}（{unit}）", f"{term('revenue_12m', lang)} ({unit})"): (
                v.get("revenue_12m") or 0
            )
            / div,
        }
        for rm, v in per.items()
        if isinstance(v, dict)
    ]
    return pd.DataFrame(rows)


def plan_view(ctx: ReportContext) -> pd.DataFrame | None:
    """The plan's rows as the briefing shows them (action, owner, dates,
    customers, cost, yearly net contribution with its interval, KPI
    baseline → target, holdout), or None without a plan."""
    plan = paths.section(ctx.results, "plan")
    if plan is None or not plan.get("actions"):
        return None
    return plan_table(plan, ctx.lang)


def scorecard_card(out_dir: Path) -> pd.DataFrame | None:
    """The satisfaction notebook's scorecard table (last quarter and the noise band), if written."""
    path = out_dir / "tables" / "qvsrs_scorecard.csv"
    if not path.is_file():
        return None
    try:
        return pd.read_csv(path, encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError):
        return None


def decision_views(ctx: ReportContext) -> dict:
    """The first page's decisions for next quarter (`questions.summary.decisions`):
    action, owner, dates, cost, yearly net contribution and what remains after
    cost, each with its range; the plan's totals beneath."""
    dec = choose.decisions(ctx.results)
    if not dec.chosen:
        return {}
    lang = ctx.lang
    rows = say.decision_rows(dec, lang, ctx.campaign_names)
    notes = say.decisions_notes(dec, lang)
    return {
        "title": say.heading("decisions", lang, start=dec.period.get("start", "—"), end=dec.period.get("end", "—")),
        "rows": rows,
        "budget": notes[0] if notes else "",
        "notes": notes,
        "heads": {
            k: say.heading(f"decision_{k}", lang) for k in ("action", "owner", "when", "cost", "profit", "after")
        },
    }


def situation_view(ctx: ReportContext) -> dict:
    """The situation in three sentences (`questions.summary.situation`)."""
    sit = choose.situation(ctx.results)
    risk = sit.segment_risk
    sure = False
    if risk is not None:
        driver = paths.get(ctx.results, f"churn.drivers.segment[{risk.segment}]")
        sure = confidence_of(driver, 1.0, ratio=True) == CLEAR
    sentences = say.situation(sit, ctx.lang, ctx.assumptions.window_months, segment_sure=sure)
    return {"title": say.heading("situation", ctx.lang), "sentences": sentences}


def scorecard_view(ctx: ReportContext, out_dir: Path, targets: Mapping[str, float] | None = None) -> dict:
    """The QVSRS scorecard against last quarter, with the noise band and targets."""
    card = scorecard_card(out_dir)
    rows = choose.scorecard(ctx.results, card, targets)
    if not rows:
        return {}
    lang = ctx.lang
    has_band = any(r.previous is not None for r in rows)
    return {
        "title": say.heading("scorecard", lang),
        "rows": say.scorecard_rows(rows, lang),
        "with_targets": any(r.target is not None for r in rows),
        "notes": say.scorecard_notes(
            choose.previous_as_of(ctx.results.get("as_of")), PREVIOUS_MONTHS, has_band, bool(targets), lang
        ),
        "heads": {
            k: say.heading(f"score_{k}", lang)
            for k in ("pillar", "figure", "now", "previous", "change", "noise", "target")
        },
    }


def executive_summary(ctx: ReportContext, out_dir: Path, targets: Mapping[str, float] | None = None) -> dict:
    """The first page's three blocks: situation, decisions, scorecard."""
    return {
        "title": say.heading("summary", ctx.lang),
        "situation": situation_view(ctx),
        "decisions": decision_views(ctx),
        "scorecard": scorecard_view(ctx, out_dir, targets),
    }


def status_lines(ctx: ReportContext, keys: tuple[str, ...]) -> tuple[list[str], bool]:
    """One line per results section that is skipped; and whether any is ok."""
    lines, any_ok, any_present = [], False, False
    for k in keys:
        s = ctx.results.get(k)
        if s is None:
            continue
        any_present = True
        if isinstance(s, dict) and s.get("status") == "skipped":
            lines.append(t("section_skipped", ctx.lang, reason=reason_text(s.get("reason"), ctx.lang)))
        else:
            any_ok = True
    if keys and not any_present:
        lines.append(t("section_missing", ctx.lang))
    return lines, any_ok or not keys


def _figure_views(files: list[Path], number: int, lang: str) -> list[dict]:
    return [
        {
            "uri": figs.data_uri(p),
            "alt": f"{t('figure', lang)} {number}.{j}",
            "caption": f"{t('figure', lang)} {number}.{j}",
        }
        for j, p in enumerate(files, start=1)
    ]


def _table_views(files: list[Path], number: int, lang: str, first: list[pd.DataFrame] = ()) -> list[dict]:
    """The section's tables: its own (`first`), then the notebooks' presentable CSVs."""
    frames: list[tuple[pd.DataFrame, str]] = [(df, "") for df in first]
    for p in files:
        try:
            df, more = figs.read_table(p)
        except (OSError, ValueError, pd.errors.ParserError):
            continue
        if figs.presentable(df):
            frames.append((df, t("more_rows", lang, n=more, file=p.name) if more else ""))
    return [
        {
            "html": table_html(names.frame_in_language(df, lang), display_formats(df)),
            "caption": f"{t('table', lang)} {number}.{j}",
            "more": more,
        }
        for j, (df, more) in enumerate(frames, start=1)
    ]


def _kpis(results: dict, lang: str) -> list[dict]:
    """The counts and rates beside the branch's name."""
    out = []
    if results.get("customers") is not None:
        out.append({"value": num(results["customers"]), "label": t("customers", lang)})
    if results.get("active_customers") is not None:
        out.append({"value": num(results["active_customers"]), "label": t("active_customers", lang)})
    rate = paths.number(results, "churn.churn_rate_12m")
    if rate is not None:
        out.append({"value": pct(rate), "label": term("churn_rate_12m", lang, assumptions_of(results).window_months)})
    nps = paths.number(results, "satisfaction.nps")
    if nps is not None:
        out.append({"value": num(nps), "label": term("NPS", lang)})
    return out


def compose(
    out_dir: str | Path,
    results: dict,
    lang: str = "zh",
    ctx: ReportContext | None = None,
    targets: Mapping[str, float] | None = None,
) -> Page:
    """The briefing's content: the executive summary, findings, sections,
    figures, run card. `targets`: QVSRS figure → target value, shown on the
    scorecard (none by default)."""
    out_dir = Path(out_dir)
    ctx = ctx or make_context(results, lang, out_dir)
    recs = evaluate(results, lang, context=ctx)
    top = top_findings(recs)
    by_fig = figs.figures_by_section(out_dir)
    by_tab = figs.tables_by_section(out_dir)

    titled = [(sid, t(key, lang), keys) for sid, key, keys in SECTIONS]
    anchors = {sid: (str(i + 1), title) for i, (sid, title, _) in enumerate(titled)}
    sections, diagnostics = [], []
    for i, (sid, title, keys) in enumerate(titled, start=1):
        lines, ok = status_lines(ctx, keys)
        shown, checks = appendix.split(by_fig.get(sid, []))  # the premises' checks go to the appendix
        diagnostics += checks
        own = [plan_view(ctx), per_rm_table(ctx)] if sid == "plan" and ok else []
        sections.append(
            {
                "id": sid,
                "number": str(i),
                "title": title,
                "status_lines": lines,
                "paragraphs": [paragraph(p, lang) for p in DESCRIBE[sid](ctx)] if ok else [],
                "blocks": [b for k in keys for b in text_blocks(paths.section(results, k), lang)] if ok else [],
                "figures": _figure_views(shown, i, lang),
                "appendix_note": appendix_words.see_appendix(len(checks), lang) if checks else "",
                "tables": _table_views(by_tab.get(sid, []), i, lang, [df for df in own if df is not None]),
                "recs": [_rec_view(r, ctx, anchors) for r in recs if REC_SECTION.get(r.section, r.section) == sid]
                if sid != "plan"
                else [],
                "recs_title": pick(lang, "本节建议", "What to do"),
                # the plan ends with every recommendation, by score
                "all_recs": [_rec_view(r, ctx, anchors) for r in recs] if sid == "plan" else [],
            }
        )
    if by_fig.get(None) or by_tab.get(None):  # files without a known section prefix
        n = len(sections) + 1
        sections.append(
            {
                "id": "other",
                "number": str(n),
                "title": t("other_figures", lang),
                "status_lines": [],
                "paragraphs": [],
                "blocks": [],
                "figures": _figure_views(by_fig.get(None, []), n, lang),
                "tables": _table_views(by_tab.get(None, []), n, lang),
                "recs": [],
                "recs_title": "",
                "all_recs": [],
            }
        )

    as_of = results.get("as_of") or "—"
    summary = executive_summary(ctx, out_dir, targets)
    context = {
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "font_family": fonts.FAMILY,
        "s": strings(lang),
        **punctuation(lang),
        "page_title": f"{ctx.title_name} · {t('briefing', lang)} · {as_of}",
        "branch_title": ctx.title_name,
        "meta_line": " · ".join(m for m in (ctx.city, f"{t('as_of', lang)} {as_of}") if m),
        "assumptions_note": assumptions_note(results, lang),  # None on the contract's assumptions
        "kpis": _kpis(results, lang),
        "scorecard_missing": _missing_line(ctx, "qvsrs"),
        "summary": summary,
        "decisions": summary["decisions"],
        "findings_title": t("top_findings", lang) if len(top) == 5 else t("top_findings_n", lang, n=len(top)),
        "findings": [_rec_view(r, ctx, anchors) for r in top],
        "progress": progress_view(out_dir, results, lang),  # targets, since the last run, last plan (_progress)
        "sections": sections,
        "appendix": appendix.appendix_view(ctx, diagnostics),
        "run_card": run_card_rows(results, lang),
        "method_notes": method_notes(lang),
        "campaign_names": dict(ctx.campaign_names),  # not shown: for the consistency check
    }
    return Page(context, recs, top, by_fig)


def _segments(text: str) -> list[dict]:
    """Inline **bold** as segments (the only markup a section's text uses)."""
    parts = text.split("**")
    return [{"text": p, "bold": i % 2 == 1} for i, p in enumerate(parts) if p]


def text_blocks(section: dict | None, lang: str) -> list[dict]:
    """A section's own prose (`"text": {"zh": [...], "en": [...]}`, lines of
    light Markdown: "- " items, **bold**) as paragraphs and lists."""
    if not section or not isinstance(section.get("text"), dict):
        return []
    lines = section["text"].get(lang)
    if not isinstance(lines, list):
        return []
    blocks: list[dict] = []
    for line in lines:
        if not isinstance(line, str) or not line.strip():
            continue
        line = line.strip()
        if line.startswith(("- ", "* ")):
            if not blocks or blocks[-1]["kind"] != "ul":
                blocks.append({"kind": "ul", "items": []})
            blocks[-1]["items"].append(_segments(line[2:]))
        else:
            blocks.append({"kind": "p", "segments": _segments(line)})
    return blocks


def paragraph(sentences: list[str], lang: str) -> str:
    """Sentences of one thought as one paragraph."""
    return ("" if lang == "zh" else " ").join(s.strip() for s in sentences if s)


def _missing_line(ctx: ReportContext, key: str) -> str:
    s = ctx.results.get(key)
    if isinstance(s, dict) and s.get("status") == "skipped":
        return t("section_skipped", ctx.lang, reason=reason_text(s.get("reason"), ctx.lang))
    return t("section_missing", ctx.lang)


def run_card_rows(results: dict, lang: str) -> list[dict]:
    """The run card as label/value rows: what produced this briefing."""
    run = results.get("run") if isinstance(results.get("run"), dict) else {}
    params = run.get("parameters") or {}
    rows = [
        (t("fingerprint", lang), results.get("data_fingerprint")),
        (t("as_of", lang), results.get("as_of")),
        (t("generated", lang), results.get("generated_at")),
        (t("param_as_of", lang), params.get("as_of") or t("param_as_of_default", lang)),
        (t("param_lang", lang), params.get("lang") or lang),
        # The data folder by its name: the machine's path is nobody's business on a briefing.
        (t("data_dir", lang), Path(run["data_dir"]).name if run.get("data_dir") else None),
        (
            t("tables", lang),
            "; ".join(f"{source_name(k, lang)} {num(v)}" for k, v in (run.get("tables") or {}).items()),
        ),
        (
            t("missing_tables", lang),
            ", ".join(source_name(k, lang) for k in run.get("missing_tables") or []) or t("none", lang),
        ),
        (t("versions", lang), ", ".join(f"{k} {v}" for k, v in (run.get("versions") or {}).items())),
        (t("suite_commit", lang), run.get("suite_commit")),
        (t("machine", lang), run.get("machine")),
    ]
    if run.get("merged"):  # a run of some notebooks, merged into the report of its month
        rows.insert(3, (merged_label(lang), merged_note(run["merged"], lang)))
    return [{"label": k, "value": "—" if v in (None, "") else str(v)} for k, v in rows]


def render(page: Page) -> str:
    """The page as HTML, with the font subset for exactly its characters."""
    html = environment().get_template("briefing.html.j2").render(**page.context)
    return fonts.embed_font(html)


def write_briefing(
    out_dir: str | Path,
    results: dict,
    lang: str = "zh",
    deck: bool = True,
    targets: Mapping[str, float] | None = None,
) -> Page:
    """Write `briefing.html` (and, with `deck`, `briefing.pptx`) into the run
    folder; the composed page (for the consistency check). `targets`: QVSRS
    figure → target value for the first page's scorecard."""
    out_dir = Path(out_dir)
    # The English edition names the branch, its city, the banks and the campaigns in English.
    results = names.in_language(results, lang)
    ctx = make_context(results, lang, out_dir)
    page = compose(out_dir, results, lang, ctx, targets)
    path = out_dir / "briefing.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(render(page), encoding="utf-8")
    tmp.replace(path)
    if deck:
        build_deck(out_dir, page, ctx)
    return page


def build_briefing(
    out_dir: str | Path,
    results: dict,
    lang: str = "zh",
    deck: bool = True,
    targets: Mapping[str, float] | None = None,
) -> Path:
    """Write `briefing.html` (and, with `deck`, `briefing.pptx`) into the run folder; its path."""
    write_briefing(out_dir, results, lang, deck, targets)
    return Path(out_dir) / "briefing.html"
