"""The briefing as a slide deck: `briefing.pptx` (python-pptx).

The same story as the HTML briefing, for the consultant to present:

1. `title`: the branch, the as-of date;
2. `scorecard`: the QVSRS scorecard and the headline counts;
3. `finding-1` … `finding-5`: one slide per finding, with its number, the
   recommendation, the figure it cites (the notebook's figure named in the
   finding's hints, else a chart of the finding's evidence drawn here);
   then `plan` (when the run has a plan): next quarter's decisions, each with
   its owner, cost and expected yearly net contribution, and the budget;
4. `recommendations` (and `recommendations-2` … when they do not fit): every
   recommendation by score;
5. `run-card`: data fingerprint, parameters, versions.

Each slide's name (`slide.name`) is the id above. Text uses Microsoft YaHei
(zh) or Calibri (en), the fonts PowerPoint has on the consultants' machines;
the figures carry their own embedded CJK font.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from analysis.figures.style import HOME
from analysis.report import figures as figs
from analysis.report.context import ReportContext
from analysis.report.page_text import Page
from analysis.report.recommendations import Recommendation, cite_label
from analysis.words.glossary import term
from analysis.words.i18n import pick, t

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
INK = RGBColor(0x1D, 0x25, 0x30)
MUTED = RGBColor(0x5B, 0x66, 0x75)
BLUE = RGBColor.from_string(HOME.lstrip("#"))
ACCENT = RGBColor(0xD5, 0x5E, 0x00)
WASH = RGBColor(0xF3, 0xF6, 0xF9)
PRIORITY_COLOURS = {"high": ACCENT, "medium": RGBColor(0xE6, 0x9F, 0x00), "low": RGBColor(0x9E, 0x9E, 0x9E)}
RECS_PER_SLIDE = 7


def _fonts(lang: str) -> tuple[str, str]:
    """(latin, east-asian) typefaces."""
    return ("Microsoft YaHei", "Microsoft YaHei") if lang == "zh" else ("Calibri", "Microsoft YaHei")


def _style_run(run, lang: str, size: float, bold: bool = False, color: RGBColor = INK) -> None:
    latin, ea = _fonts(lang)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    run.font.name = latin
    rpr = run._r.get_or_add_rPr()
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    el = OxmlElement("a:ea")
    el.set("typeface", ea)
    rpr.find(qn("a:latin")).addnext(el)


def _text(slide, left, top, width, height, paragraphs, lang: str, name: str | None = None, align=PP_ALIGN.LEFT):
    """A text box; `paragraphs` is a list of (text, size, bold, colour) or lists of such runs."""
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    tf = box.text_frame
    tf.word_wrap = True
    first = True
    for para in paragraphs:
        p = tf.paragraphs[0] if first else tf.add_paragraph()
        first = False
        p.alignment = align
        runs = para if isinstance(para, list) else [para]
        for text, size, bold, colour in runs:
            r = p.add_run()
            r.text = text
            _style_run(r, lang, size, bold, colour)
        p.space_after = Pt(6)
    return box


def _slide(prs, name: str, title: str | None, lang: str):
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    slide.name = name
    if title is not None:
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, Inches(0.12))
        bar.fill.solid()
        bar.fill.fore_color.rgb = BLUE
        bar.line.fill.background()
        _text(slide, Inches(0.6), Inches(0.35), Inches(12.1), Inches(0.9), [(title, 26, True, INK)], lang, name="Title")
    return slide


def _footer(slide, text: str, lang: str) -> None:
    _text(slide, Inches(0.6), Inches(7.0), Inches(12.1), Inches(0.35), [(text, 9, False, MUTED)], lang, name="Footer")


def _picture(slide, image, left, top, max_w, max_h) -> None:
    """Place an image (path or PNG bytes) inside a box, keeping its proportions."""
    data = Path(image).read_bytes() if isinstance(image, (str, Path)) else image
    with Image.open(io.BytesIO(data)) as im:
        w, h = im.size
    scale = min(max_w / w, max_h / h)
    pw, ph = int(w * scale), int(h * scale)
    slide.shapes.add_picture(io.BytesIO(data), left + (max_w - pw) // 2, top + (max_h - ph) // 2, Emu(pw), Emu(ph))


def finding_image(rec: Recommendation, figures: list[Path], ctx: ReportContext) -> bytes | Path | None:
    """The notebook figure a finding names, else a chart of its evidence."""
    found = figs.figure_for(rec, figures)
    if found is not None:
        return found
    if rec.evidence is None:
        return None
    source = t("deck_source", ctx.lang, branch=ctx.title_name, as_of=ctx.results.get("as_of") or "—")
    return figs.evidence_png(rec.evidence, ctx.lang, source=source, home_bank=ctx.home_bank)


def plan_slide(prs, dec: dict, lang: str):
    """One slide: the first page's decisions (action, owner, when, cost,
    expected yearly net contribution) and the plan's budget."""
    s = _slide(prs, "plan", dec["title"], lang)
    rows = dec.get("rows") or []
    if rows:
        heads = dec["heads"]
        keys = ("action", "owner", "when", "cost", "profit")
        widths = (5.2, 1.6, 1.9, 1.2, 2.2)
        table = s.shapes.add_table(
            len(rows) + 1, len(keys), Inches(0.6), Inches(1.4), Inches(12.1), Inches(0.7) * (len(rows) + 1)
        ).table
        for c, (k, w) in enumerate(zip(keys, widths)):
            table.columns[c].width = Inches(w)
            cell = table.cell(0, c)
            cell.text = ""
            r = cell.text_frame.paragraphs[0].add_run()
            r.text = heads[k]
            _style_run(r, lang, 12, True, RGBColor(0xFF, 0xFF, 0xFF))
        for i, row in enumerate(rows, start=1):
            for c, k in enumerate(keys):
                cell = table.cell(i, c)
                cell.text = ""
                r = cell.text_frame.paragraphs[0].add_run()
                r.text = str(row[k])
                _style_run(r, lang, 11 if k == "action" else 12, k == "profit", INK)
    _text(s, Inches(0.6), Inches(6.4), Inches(12.1), Inches(0.5), [(dec.get("budget", ""), 14, True, ACCENT)], lang)
    return s


def build_deck(out_dir: str | Path, page: Page, ctx: ReportContext) -> Path:
    """Write `briefing.pptx` into the run folder: the composed briefing
    (`briefing.compose`) as slides, in the language of `ctx`."""
    out_dir = Path(out_dir)
    results, lang = ctx.results, ctx.lang
    all_figures = [p for group in page.figures.values() for p in group]
    as_of = results.get("as_of") or "—"
    source = t("deck_source", lang, branch=ctx.title_name, as_of=as_of)

    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT

    # 1 title
    s = _slide(prs, "title", None, lang)
    band = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(2.3), WIDTH, Inches(2.6))
    band.fill.solid()
    band.fill.fore_color.rgb = BLUE
    band.line.fill.background()
    _text(
        s,
        Inches(0.8),
        Inches(2.5),
        Inches(11.7),
        Inches(1.2),
        [(ctx.title_name, 40, True, RGBColor(0xFF, 0xFF, 0xFF))],
        lang,
        name="Title",
    )
    _text(
        s,
        Inches(0.8),
        Inches(3.6),
        Inches(11.7),
        Inches(1.0),
        [
            (
                t("briefing", lang) + (f" · {ctx.city}" if ctx.city else "") + f" · {t('as_of', lang)} {as_of}",
                20,
                False,
                RGBColor(0xFF, 0xFF, 0xFF),
            )
        ],
        lang,
        name="Subtitle",
    )
    _footer(s, f"{t('fingerprint', lang)}: {results.get('data_fingerprint') or '—'}", lang)

    # 2 scorecard
    s = _slide(prs, "scorecard", t("scorecard", lang), lang)
    card = page.context["scorecard"]
    if card:
        col_w, gap, left0, top0 = Inches(2.3), Inches(0.15), Inches(0.6), Inches(1.5)
        for i, p in enumerate(card):
            left = left0 + i * (col_w + gap)
            box = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top0, col_w, Inches(4.4))
            box.fill.solid()
            box.fill.fore_color.rgb = WASH
            box.line.color.rgb = BLUE
            paras = [(p["letter"], 30, True, BLUE), (p["name"], 13, True, INK)]
            for j, m in enumerate(p["metrics"]):
                paras.append((m["value"], 22 if j == 0 else 16, True, INK))
                paras.append((m["label"], 10, False, MUTED))
            _text(s, left + Inches(0.12), top0 + Inches(0.1), col_w - Inches(0.24), Inches(4.2), paras, lang)
        _text(
            s,
            Inches(0.6),
            Inches(6.05),
            Inches(12.1),
            Inches(0.5),
            [(t("scorecard_note", lang), 11, False, MUTED)],
            lang,
        )
    else:
        _text(
            s,
            Inches(0.6),
            Inches(1.6),
            Inches(12.1),
            Inches(1.0),
            [(page.context["scorecard_missing"], 16, False, MUTED)],
            lang,
        )
    kpis = "   ".join(f"{k['label']} {k['value']}" for k in page.context["kpis"])
    if kpis:
        _text(s, Inches(0.6), Inches(6.45), Inches(12.1), Inches(0.45), [(kpis, 12, True, INK)], lang)
    _footer(s, source, lang)

    # 3 findings
    colon = pick(lang, "：", ": ")
    for i, rec in enumerate(page.findings, start=1):
        s = _slide(prs, f"finding-{i}", f"{i}. {rec.headline}", lang)
        _text(
            s,
            Inches(0.6),
            Inches(1.45),
            Inches(5.0),
            Inches(5.4),
            [
                (rec.finding, 16, False, INK),
                (rec.stake_text, 12, True, INK),
                [(t("recommendation", lang) + colon, 16, True, ACCENT), (rec.recommendation, 16, False, INK)],
                (t("based_on", lang) + colon + cite_label(rec.cites, results, lang), 11, False, MUTED),
                (
                    t("priority", lang) + colon + t(f"priority_{rec.priority}", lang),
                    11,
                    True,
                    PRIORITY_COLOURS[rec.priority],
                ),
            ],
            lang,
            name="Finding",
        )
        image = finding_image(rec, all_figures, ctx)
        if image is not None:
            _picture(s, image, Inches(5.9), Inches(1.4), Inches(7.0), Inches(5.5))
        _footer(s, source, lang)

    # the plan: next quarter's decisions and the budget
    dec = page.context.get("decisions") or {}
    if dec:
        plan_slide(prs, dec, lang)
        _footer(prs.slides[-1], source, lang)

    # 4 recommendations
    recs = page.recommendations
    chunks = [recs[i : i + RECS_PER_SLIDE] for i in range(0, len(recs), RECS_PER_SLIDE)] or [[]]
    for k, chunk in enumerate(chunks, start=1):
        name = "recommendations" if k == 1 else f"recommendations-{k}"
        title = t("deck_recs", lang) + (f" ({k}/{len(chunks)})" if len(chunks) > 1 else "")
        s = _slide(prs, name, title, lang)
        if not chunk:
            _text(
                s, Inches(0.6), Inches(1.6), Inches(12.1), Inches(1), [(t("no_findings", lang), 16, False, MUTED)], lang
            )
            continue
        rows, cols = len(chunk) + 1, 3
        table = s.shapes.add_table(rows, cols, Inches(0.6), Inches(1.4), Inches(12.1), Inches(0.6) * rows).table
        table.columns[0].width = Inches(1.1)
        table.columns[1].width = Inches(8.2)
        table.columns[2].width = Inches(2.8)
        for c, head in enumerate((t("priority", lang), t("recommendation", lang), t("based_on", lang))):
            cell = table.cell(0, c)
            cell.text = ""
            r = cell.text_frame.paragraphs[0].add_run()
            r.text = head
            _style_run(r, lang, 12, True, RGBColor(0xFF, 0xFF, 0xFF))
        for row, rec in enumerate(chunk, start=1):
            values = [
                [(t(f"priority_{rec.priority}", lang), 11, True, PRIORITY_COLOURS[rec.priority])],
                [(rec.headline + colon, 11, True, INK), (rec.recommendation, 10, False, INK)],
                [(cite_label(rec.cites, results, lang), 9, False, MUTED)],
            ]
            for c, runs in enumerate(values):
                cell = table.cell(row, c)
                cell.text = ""
                p = cell.text_frame.paragraphs[0]
                for text, size, bold, colour in runs:
                    r = p.add_run()
                    r.text = text
                    _style_run(r, lang, size, bold, colour)
        _footer(s, source, lang)

    # 5 run card
    s = _slide(prs, "run-card", t("run_card", lang), lang)
    rows = page.context["run_card"]
    _text(
        s,
        Inches(0.6),
        Inches(1.4),
        Inches(12.1),
        Inches(5.5),
        [[(row["label"] + colon, 12, True, INK), (row["value"], 11, False, MUTED)] for row in rows],
        lang,
    )
    _footer(
        s,
        pick(lang, f"{term('briefing', lang)}由QVSRS分析套件生成", f"{term('briefing', lang)} made by the QVSRS suite"),
        lang,
    )

    path = out_dir / "briefing.pptx"
    tmp = path.with_name(".briefing.pptx.tmp")
    prs.save(str(tmp))
    tmp.replace(path)
    return path
