"""The briefing as a storyline deck: `briefing.pptx` (python-pptx), 12–15
slides for the consultant to present, drawn from the same composed page as
the HTML briefing (`briefing.compose`, which the English edition reaches with
its names already in English: `words.names.in_language`).

The slides, by name (`slide.name`):

1. `title`: the branch, the city, the as-of date;
2. `agenda`: the storyline, each part with its slides;
3. `summary`: the situation (the first sentence of each of the three
   findings that matter most) and next quarter's decisions as the briefing's
   first page chooses them (`questions.summary.decisions`), each with its
   cost and yearly net contribution (95 % interval);
4. `scorecard`: the first page's QVSRS scorecard, row for row: each figure this
   quarter and last, the change with its noise band, the target where given;
5. `finding-1` … `finding-5`: one finding a slide under an action title that
   states the profit at stake, with its recommendation and the figure that
   shows it;
6. `plan` (when the run has a plan): the plan and budget (`deck_plan`);
7. `next-steps`: approval, who starts what, the holdout, the review;
8. `appendix-methods`, `appendix-assumptions`, `appendix-diagnostics`
   (`deck_appendix`).

Every slide but the title has its number and speaker notes carrying the
numbers, their intervals and caveats. No visible text or note names a result
key, a table or file, or a path (`speakable`; sentences that would are left
out). Sizes, fitting and pictures follow `deck_layout`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pptx import Presentation
from pptx.util import Emu, Inches

from analysis.questions import summary as choose
from analysis.report import deck_appendix as appendix
from analysis.report import deck_plan, paths
from analysis.report import figures as figs
from analysis.report.context import ReportContext
from analysis.report.deck_layout import (
    ACCENT,
    BLUE,
    CONTENT_BOTTOM,
    CONTENT_TOP,
    HEIGHT,
    INK,
    INNER_W,
    LEFT,
    MIN_PT,
    MUTED,
    TEXT_PT,
    WHITE,
    WIDTH,
    Para,
    Run,
    footer,
    legible,
    notes,
    para,
    picture,
    rectangle,
    table,
    table_height,
    text_box,
    title,
)
from analysis.report.page_text import SENTENCE_END, Page, Text, sentences
from analysis.report.recommendations import Recommendation, cite_label
from analysis.words import deck as W
from analysis.words import summary as say
from analysis.words.i18n import pick, t
from analysis.words.plan import describe_plan, persistence_sentence

#: the picture box of a finding (and the diagnostics): the slide's right, at least half its width
PICTURE_LEFT, PICTURE_TOP, PICTURE_W = Inches(5.75), Inches(1.4), Inches(7.0)
PICTURE_H = CONTENT_BOTTOM - PICTURE_TOP
#: the size a finding's own chart is drawn at, inches: it fits the picture box at
#: no less than its drawn size, so its text of MIN_PT stays MIN_PT on the slide
SLIDE_CHART = (6.8, 4.8)
TEXT_W = PICTURE_LEFT - LEFT - Inches(0.15)

#: the scorecard slide's columns (the first page's), and their widths in inches (with a target column)
SCORE_COLUMNS = ("pillar", "figure", "now", "previous", "change", "noise")
SCORE_WIDTHS = [2.8, 2.8, 1.0, 1.2, 1.8, 2.5]
SCORE_WIDTHS_TARGET = [2.0, 3.0, 0.9, 1.1, 1.6, 1.7, 1.8]

#: text that is not for a reader: dotted result keys, snake_case names, file names, paths
INTERNAL = re.compile(
    r"\b[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_\[\]]*"  # churn.drivers (and "e.g")
    r"|\b[a-z]+_[a-z0-9_]+\b"  # monthly_snapshots, churn_rate_12m
    r"|\b\w+\.(?:json|csv|png|pptx|html|parquet|ipynb|yaml|toml)\b"  # results.json
    r"|(?:^|[\s（(：:])/[A-Za-z]"  # /data/…
    r"|\b[A-Za-z_]+/(?=[\s，。；）),;.]|$)"  # private/
)


def speakable(text: str) -> bool:
    """Whether a text may be shown or said: it names no result key, table, file or path."""
    return not INTERNAL.search(text)


def clean(lines: Iterable[str], lang: str) -> list[str]:
    """The lines, each without its sentences that are not `speakable` (a line left empty is dropped)."""
    out = []
    for line in lines:
        if not line or speakable(line):
            out += [line] if line else []
            continue
        kept = [s.text for s in sentences([Text("", line)]) if speakable(s.text)]
        if kept:
            out.append(pick(lang, "", " ").join(kept))
    return out


def first_sentence(text: str) -> str:
    parts = [p for p in SENTENCE_END.split(text) if p and p.strip()]
    return parts[0].strip() if parts else text


def finding_image(rec: Recommendation, figures: list[Path], ctx: ReportContext) -> bytes | Path | None:
    """The picture of a finding: the first notebook figure its hints name that
    is legible in the picture box (`deck_layout.legible`: at least half the
    slide wide, no text under 14 pt at slide size), else a chart of its
    evidence drawn for the box (`SLIDE_CHART`, text of at least 14 pt), else
    None (a figure too small to read is not shown; the text takes the slide)."""
    named: list[Path] = []
    for hint in rec.figure_hints:
        named += [p for p in figures if p.stem.startswith(hint) and p not in named]
    for p in named:
        if legible(p.read_bytes(), PICTURE_W, PICTURE_H):
            return p
    if rec.evidence is not None:
        return figs.evidence_png(rec.evidence, ctx.lang, home_bank=ctx.home_bank, size=SLIDE_CHART, text_pt=MIN_PT)
    return None


def basis(rec: Recommendation, ctx: ReportContext) -> str | None:
    """The figure a finding rests on, in words ("净推荐值 = −25"), when it can be said."""
    label = cite_label(rec.cites, ctx.results, ctx.lang, ctx.campaign_names)
    return label if speakable(label) else None


class Story:
    """The deck of one composed page, drawn slide by slide."""

    def __init__(self, page: Page, ctx: ReportContext):
        self.page, self.ctx = page, ctx
        self.lang, self.results = ctx.lang, ctx.results
        self.as_of = self.results.get("as_of") or "—"
        self.source = f"{ctx.title_name} · {t('as_of', self.lang)} {self.as_of}"
        self.plan = deck_plan.plan_of(ctx)
        self.figures = [p for group in page.figures.values() for p in group]
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        n = len(page.findings)
        self.names = ["title", "agenda", "summary", "scorecard", *(f"finding-{i}" for i in range(1, n + 1))]
        self.names += ["plan"] * bool(self.plan) + ["next-steps"]
        self.names += ["appendix-methods", "appendix-assumptions", "appendix-diagnostics"]

    def number(self, name: str) -> int:
        return self.names.index(name) + 1

    def slide(self, name: str, heading: str, said: list[str]):
        """A content slide: its title, footer with number, and speaker notes (the title first)."""
        s = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank
        s.name = name
        title(s, heading, self.lang)
        footer(s, self.source, self.number(name), self.lang)
        notes(s, clean([heading, *said], self.lang))
        return s

    def text(self, s, left, top, width, height, paras: list[Para], name: str | None = None):
        return text_box(s, left, top, width, height, paras, self.lang, name)

    def draw(self) -> Presentation:
        self.title_slide()
        self.agenda()
        self.summary()
        self.scorecard()
        for i, rec in enumerate(self.page.findings, start=1):
            self.finding(i, rec)
        if self.plan:
            self.plan_slide()
        self.next_steps()
        self.methods()
        self.assumptions()
        self.diagnostics()
        return self.prs

    # -- the opening

    def title_slide(self) -> None:
        lang, ctx = self.lang, self.ctx
        s = self.prs.slides.add_slide(self.prs.slide_layouts[6])
        s.name = "title"
        rectangle(s, 0, Inches(2.3), WIDTH, Inches(2.6), BLUE)
        self.text(
            s, Inches(0.8), Inches(2.5), Inches(11.7), Inches(1.2), [para(ctx.title_name, 40, True, WHITE)], "Title"
        )
        sub = t("briefing", lang) + (f" · {ctx.city}" if ctx.city else "") + f" · {t('as_of', lang)} {self.as_of}"
        self.text(s, Inches(0.8), Inches(3.7), Inches(11.7), Inches(0.9), [para(sub, 20, False, WHITE)], "Subtitle")
        fp = W.fingerprint_line(str(self.results.get("data_fingerprint") or "—"), lang)
        self.text(s, LEFT, Inches(6.9), INNER_W, Inches(0.5), [para(fp, MIN_PT, False, MUTED)])
        notes(s, clean([ctx.title_name, sub, fp], lang))

    def agenda(self) -> None:
        lang, n = self.lang, len(self.page.findings)
        parts = [("agenda_summary", "summary", "summary"), ("agenda_today", "scorecard", "scorecard")]
        parts += [("agenda_findings", "finding-1", f"finding-{n}")] * bool(n)
        parts += [("agenda_plan", "plan", "plan")] * bool(self.plan)
        parts += [
            ("agenda_next", "next-steps", "next-steps"),
            ("agenda_appendix", "appendix-methods", "appendix-diagnostics"),
        ]
        rows = [(W.say(k, lang, n=n), W.slides_label(self.number(a), self.number(b), lang)) for k, a, b in parts]
        s = self.slide("agenda", W.say("agenda", lang), [pick(lang, f"{x}（{y}）", f"{x} ({y})") for x, y in rows])
        for i, (label, where) in enumerate(rows, start=1):
            y = CONTENT_TOP + Inches(0.1) + Inches(0.78) * (i - 1)
            self.text(s, LEFT, y, Inches(0.8), Inches(0.7), [para(str(i), 24, True, ACCENT)])
            self.text(s, LEFT + Inches(0.9), y + Inches(0.05), Inches(8.4), Inches(0.65), [para(label, 20)])
            self.text(s, Inches(9.9), y + Inches(0.08), Inches(2.8), Inches(0.6), [para(where, TEXT_PT, False, MUTED)])

    def summary(self) -> None:
        lang, plan, findings = self.lang, self.plan, self.page.findings
        situation = [first_sentence(r.finding) for r in findings[:3]]
        room = Emu(CONTENT_BOTTOM - CONTENT_TOP - Inches(0.6)).inches
        rows, said = deck_plan.decisions(choose.decisions(self.ctx.results), plan, lang, room) if plan else ([], [])
        if plan:
            claimed = deck_plan.claims_profit(plan["actions"])
            n = len(rows) - 2  # without the header and the whole plan
            money = (plan.get("cost"), plan.get("profit_12m"), plan.get("profit_ci_low"), plan.get("profit_ci_high"))
            heading = W.summary_title(n, *money, lang, claimed)
            said += [persistence_sentence(plan, lang)] * claimed
        else:
            heading = W.summary_title_without_plan(len(findings), findings[0].headline if findings else None, lang)
        s = self.slide("summary", heading, [W.say("situation", lang), *situation, W.say("decisions", lang), *said])
        left_w = Inches(4.75)
        paras = [para(W.say("situation", lang), 18, True, ACCENT)]
        paras += [para(x, 18) for x in situation] or [para(W.say("no_findings", lang), TEXT_PT, False, MUTED)]
        self.text(s, LEFT, CONTENT_TOP, left_w, CONTENT_BOTTOM - CONTENT_TOP, paras, "Situation")
        right = LEFT + left_w + Inches(0.25)
        self.text(s, right, CONTENT_TOP, Inches(7.1), Inches(0.5), [para(W.say("decisions", lang), 18, True, ACCENT)])
        if rows:
            table(s, right, CONTENT_TOP + Inches(0.6), deck_plan.DECISION_WIDTHS, rows, lang)
            return
        items = [para(W.say("no_plan", lang), TEXT_PT, False, MUTED)]
        items += [para(f"{i}. {r.headline}") for i, r in enumerate(findings, start=1)]
        self.text(s, right, CONTENT_TOP + Inches(0.6), Inches(7.1), Inches(4.7), items)

    def scorecard(self) -> None:
        """The first page's scorecard (`page.context["summary"]["scorecard"]`,
        chosen by `questions.summary.scorecard`, worded by `words.summary`), row
        for row: pillar, figure, this quarter, last quarter, the change with its
        noise band and whether it is beyond noise, the target where given."""
        lang, res = self.lang, self.results
        card = (self.page.context.get("summary") or {}).get("scorecard") or {}
        rows = card.get("rows") or []
        nps, churn = paths.number(res, "satisfaction.nps"), paths.number(res, "churn.churn_rate_12m")
        heading = say.scorecard_title(rows, lang) or W.today_title(res.get("active_customers"), churn, nps, lang)
        missing = self.page.context.get("scorecard_missing") or W.say("no_scorecard", lang)
        targets = bool(card.get("with_targets"))
        said = [say.scorecard_note(r, targets, lang) for r in rows] + (card.get("notes") or [missing])
        s = self.slide("scorecard", heading, said)
        if not rows:
            self.text(s, LEFT, CONTENT_TOP, INNER_W, Inches(1.0), [para(missing, TEXT_PT, False, MUTED)])
            return
        keys = [*SCORE_COLUMNS, *("target",) * targets]
        widths = SCORE_WIDTHS_TARGET if targets else SCORE_WIDTHS
        heads = card.get("heads") or {}
        table_rows = [[para(heads.get(k, ""), MIN_PT, True)] for k in keys]
        body = []
        for i, r in enumerate(rows):
            first = i == 0 or r["pillar"] != rows[i - 1]["pillar"]
            shade = (BLUE if r.get("better") else ACCENT) if r.get("beyond_noise") else INK
            cells = {
                "pillar": para(r["pillar"] if first else "", MIN_PT, True),
                "figure": para(r["label"], MIN_PT),
                "now": para(r["now"], MIN_PT, True),
                "previous": para(r["previous"], MIN_PT),
                "change": para(r["change"], MIN_PT, bool(r.get("beyond_noise")), shade),
                "noise": para(r["noise"], MIN_PT, bool(r.get("beyond_noise")), shade),
                "target": para(r.get("target") or "—", MIN_PT),
            }
            body.append([[cells[k]] for k in keys])
        table(s, LEFT, CONTENT_TOP, widths, [table_rows, *body], lang)
        legend = Inches(0.45)
        if CONTENT_TOP + Inches(table_height(widths, [table_rows, *body])) + legend <= CONTENT_BOTTOM:
            key = [para(t("scorecard_note", lang), MIN_PT, False, MUTED)]
            self.text(s, LEFT, CONTENT_BOTTOM - legend, INNER_W, legend, key, "Legend")

    # -- the findings

    def finding(self, i: int, rec: Recommendation) -> None:
        lang, colon = self.lang, pick(self.lang, "：", ": ")
        b = basis(rec, self.ctx)
        stake = rec.stake.estimate if rec.stake is not None else None
        heading = W.finding_title(rec.headline, stake, rec.confidence, lang, b, first_sentence(rec.finding))
        said = [rec.finding, rec.stake_text, t("recommendation", lang) + colon + rec.recommendation]
        said += [t("based_on", lang) + colon + b] * bool(b)
        said += [t("priority", lang) + colon + t(f"priority_{rec.priority}", lang)]
        s = self.slide(f"finding-{i}", heading, said)
        body = [
            para(rec.finding),
            [Run(t("recommendation", lang) + colon, TEXT_PT, True, ACCENT), Run(rec.recommendation)],
        ]
        image = finding_image(rec, self.figures, self.ctx)
        width = TEXT_W if image is not None else INNER_W  # without a picture the text takes the slide
        self.text(s, LEFT, CONTENT_TOP, width, CONTENT_BOTTOM - CONTENT_TOP, body, "Finding")
        if image is not None:
            picture(s, image, PICTURE_LEFT, PICTURE_TOP, PICTURE_W, PICTURE_H)

    # -- the plan and what comes next

    def plan_slide(self) -> None:
        lang, plan = self.lang, self.plan
        claimed = deck_plan.claims_profit(plan["actions"])
        earning = sum(1 for r in plan["actions"] if isinstance(r.get("profit_12m"), (int, float)))
        limit = (plan.get("budget") or {}).get("limit")
        heading = W.plan_title(plan.get("cost"), limit, plan.get("profit_12m"), earning, lang, claimed)
        budget = (plan.get("profit_12m") if claimed else None, plan.get("profit_ci_low"), plan.get("profit_ci_high"))
        line = W.budget_line(plan.get("cost"), limit, *budget, lang)
        room = Emu(CONTENT_BOTTOM - Inches(0.75) - CONTENT_TOP).inches
        rows, said = deck_plan.plan_table(plan, lang, room)
        s = self.slide("plan", heading, [line, *said, *describe_plan(plan, lang)])
        table(s, LEFT, CONTENT_TOP, deck_plan.PLAN_WIDTHS, rows, lang)
        self.text(
            s, LEFT, CONTENT_BOTTOM - Inches(0.6), INNER_W, Inches(0.6), [para(line, TEXT_PT, True, ACCENT)], "Budget"
        )

    def next_steps(self) -> None:
        lang, findings = self.lang, self.page.findings[:4]
        if self.plan:
            heading, steps, said = deck_plan.next_steps(self.plan, lang)
        else:
            heading = W.next_title(None, 0, lang)
            steps, said = [W.step_finding(r.headline, lang) for r in findings], [r.recommendation for r in findings]
        s = self.slide("next-steps", heading, [*steps, *said])
        paras = [[Run(f"{i}  ", 20, True, ACCENT), Run(x, 18)] for i, x in enumerate(steps, start=1)]
        paras = paras or [para(W.say("no_findings", lang), TEXT_PT, False, MUTED)]
        self.text(s, LEFT, CONTENT_TOP, INNER_W, CONTENT_BOTTOM - CONTENT_TOP, paras, "Steps")

    # -- the appendix

    def methods(self) -> None:
        lines, said = appendix.methods(self.ctx)
        s = self.slide("appendix-methods", W.say("appendix_methods", self.lang), said)
        paras = [[Run("▪ ", 18, True, BLUE), Run(x, 18)] for x in lines]
        self.text(s, LEFT, CONTENT_TOP, INNER_W, CONTENT_BOTTOM - CONTENT_TOP, paras, "Methods")

    def assumptions(self) -> None:
        lang = self.lang
        assumed, data, said = appendix.assumptions(self.ctx, self.page, self.plan)
        s = self.slide("appendix-assumptions", W.say("appendix_assumptions", lang), [*assumed, *data, *said])
        half, height = (INNER_W - Inches(0.3)) // 2, CONTENT_BOTTOM - CONTENT_TOP
        left = [para(W.say("appendix_assumed", lang), 18, True, ACCENT), *(para(x) for x in assumed)]
        right = [para(W.say("appendix_data", lang), 18, True, ACCENT), *(para(x) for x in data)]
        self.text(s, LEFT, CONTENT_TOP, half, height, left, "Assumptions")
        self.text(s, LEFT + half + Inches(0.3), CONTENT_TOP, half, height, right, "Data")

    def diagnostics(self) -> None:
        heading, lines = appendix.diagnostics(self.ctx)
        image = appendix.diagnostic_figure(self.figures, self.plan)
        if image is not None and not legible(image.read_bytes(), PICTURE_W, PICTURE_H):
            # its text would be under 14 pt on the slide: the checks are said, the figure is in the briefing
            image = None
        said = [*lines, W.figure_note(image.stem, self.lang)] if image is not None else lines
        s = self.slide("appendix-diagnostics", heading, said)
        width = TEXT_W if image is not None else INNER_W
        paras = [para(x) for x in lines] or [para("—")]
        self.text(s, LEFT, CONTENT_TOP, width, CONTENT_BOTTOM - CONTENT_TOP, paras, "Diagnostics")
        if image is not None:
            picture(s, image, PICTURE_LEFT, PICTURE_TOP, PICTURE_W, PICTURE_H)


def build_deck(out_dir: str | Path, page: Page, ctx: ReportContext) -> Path:
    """Write `briefing.pptx` into the run folder: the composed briefing
    (`briefing.compose`) as a storyline deck, in the language of `ctx`."""
    path = Path(out_dir) / "briefing.pptx"
    tmp = path.with_name(".briefing.pptx.tmp")
    Story(page, ctx).draw().save(str(tmp))
    tmp.replace(path)
    return path
